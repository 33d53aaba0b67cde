"""The agents' side: ``/inbox/<slug>/...``.

So far: sign-in and sign-out (:mod:`webapp.inbox.auth`) and a placeholder home page
(:mod:`webapp.inbox.home`); the inbox itself comes with its own issue.
"""

from __future__ import annotations

from webapp.inbox import auth, home  # noqa: F401 - attach the views to the blueprint
from webapp.inbox.blueprint import blueprint

__all__ = ["blueprint"]
