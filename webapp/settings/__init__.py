"""Workspace settings for admins: ``/settings/<slug>/...``.

Sections so far: Snap-ins (:mod:`webapp.settings.snapins`). The layout's settings menu lists
:data:`webapp.layout.SETTINGS_SECTIONS`; a section whose view does not exist yet shows as
"coming soon".
"""

from __future__ import annotations

from webapp.settings import snapins  # noqa: F401 - attach the views to the blueprint
from webapp.settings.blueprint import blueprint

__all__ = ["blueprint"]
