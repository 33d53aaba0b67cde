"""The snap-in manifest: the class a snap-in's entry point names.

A snap-in is a distribution that declares, in its ``pyproject.toml``::

    [project.entry-points."snapdesk.snapins"]
    keyword-routing = "snapdesk_keyword_routing:KeywordRouting"

The entry-point name is the snap-in id. The class subclasses :class:`Snapin`, sets the manifest
attributes below and implements hooks as methods marked with :data:`hooks.hookimpl`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from marshmallow import Schema

if TYPE_CHECKING:  # pragma: no cover
    from hooks.context import Context


class ConfigError(Exception):
    """Raised by :meth:`Snapin.validate_config`; ``fields`` maps field names to messages."""

    def __init__(self, fields: Mapping[str, list[str] | str]) -> None:
        self.fields = {k: [v] if isinstance(v, str) else list(v) for k, v in fields.items()}
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in self.fields.items()))


class Snapin:
    """Base class of every snap-in. All attributes are class attributes (the manifest).

    Lifecycle methods are optional and must be idempotent: an admin may enable twice.
    """

    #: Set by the core from the entry-point name; do not set it yourself.
    id: ClassVar[str] = ""
    #: Short name shown in Settings > Snap-ins.
    title: ClassVar[str] = ""
    #: One or two sentences: what it does for a support team.
    description: ClassVar[str] = ""
    author: ClassVar[str] = ""
    #: Set by the core from the installed distribution's version.
    version: ClassVar[str] = "0"
    #: Which snapdesk versions this snap-in works with (PEP 440 specifier of ``snapdesk``).
    compatibility: ClassVar[str] = "snapdesk>=0.1,<1"
    #: Marshmallow schema of the per-workspace configuration. Field ``metadata`` keys the
    #: settings page reads: ``label``, ``help``, ``secret`` (never echoed back), ``widget``
    #: ("textarea", "json"). The schema is loaded with ``unknown=RAISE``; every field needs a
    #: ``load_default`` or ``required=True``.
    config_schema: ClassVar[type[Schema] | None] = None

    def validate_config(self, config: dict[str, Any]) -> None:
        """Check rules that span fields, after the schema loaded ``config``; raise :class:`ConfigError`.

        An override may take a second argument ``context`` (a :class:`hooks.Context` of the
        workspace being configured) to check against workspace data, e.g. that an agent exists.
        """

    def on_enable(self, context: "Context") -> None:
        """Called when an admin enables the snap-in in a workspace (also on re-enable)."""

    def on_disable(self, context: "Context") -> None:
        """Called when an admin disables the snap-in in a workspace."""
