"""Workspace settings for admins: ``/settings/<slug>/...``.

Sections: Snap-ins (:mod:`webapp.settings.snapins`), Portal (:mod:`webapp.settings.portal`, with the
ticket form editor in :mod:`webapp.settings.ticket_form`), Knowledge base
(:mod:`webapp.settings.knowledge_base`), Accounts & contacts (:mod:`webapp.settings.accounts`). The
layout's settings menu lists :data:`webapp.layout.SETTINGS_SECTIONS`; a section whose view does
not exist yet shows as "coming soon".
"""

from __future__ import annotations

# Importing a view module attaches its views to the blueprint.
from webapp.settings import accounts, knowledge_base, portal, snapins, ticket_form  # noqa: F401
from webapp.settings.blueprint import blueprint

__all__ = ["blueprint"]
