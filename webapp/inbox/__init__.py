"""The agents' side: ``/inbox/<slug>/...``.

- :mod:`webapp.inbox.auth`: sign-in and sign-out;
- :mod:`webapp.inbox.home`: the inbox (conversations by stage, filters, sorting, live list);
- :mod:`webapp.inbox.conversation`: one conversation and its actions (reply, note, stage, owner,
  tags, priority, escalate, spam);
- :mod:`webapp.inbox.tickets`: the Active Ticket Tracker and the Product Assist Tracker;
- :mod:`webapp.inbox.reports`: response and resolution times (:mod:`core.metrics`);
- :mod:`webapp.inbox.stream`: server-sent events for the live pages.

Every page is for agents of the workspace in the URL (:func:`webapp.auth.login_required`).
"""

from __future__ import annotations

from webapp.inbox import auth, conversation, home, reports, stream, tickets  # noqa: F401 - attach the views
from webapp.inbox import common  # noqa: F401 - the blueprint's template context
from webapp.inbox.blueprint import blueprint

__all__ = ["blueprint"]
