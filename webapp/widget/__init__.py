"""The PLuG chat widget: the embeddable script (``/widget/plug.js``), its JSON API and live stream
(``/widget/api/<slug>/...``) and a demo host page (``/widget/demo/<slug>``). See README.md."""

from webapp.widget.blueprint import blueprint

__all__ = ["blueprint"]
