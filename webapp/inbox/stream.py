"""``/inbox/<slug>/events``: the agents' live updates (server-sent events).

Always the workspace's inbox channel; with ``?conversation=<id>`` also that conversation's
channel, with ``?ticket=<id>`` that ticket's. The ids are checked against the signed-in agent's
workspace first (404 otherwise), so a stream never carries another workspace's events.
"""

from __future__ import annotations

from flask import g, request
from werkzeug.wrappers import Response

from core.db import db, get_scoped
from core.live import conversation_channel, inbox_channel, ticket_channel
from core.models import Conversation, Ticket, Workspace
from webapp.auth import login_required
from webapp.inbox.blueprint import blueprint
from webapp.live import event_stream


@blueprint.route("/events")
@login_required(role="agent")
def events(slug: str) -> Response:
    workspace: Workspace = g.workspace
    channels = [inbox_channel(workspace.id)]
    conversation_id = request.args.get("conversation")
    if conversation_id:
        channels.append(conversation_channel(workspace.id, get_scoped(Conversation, workspace.id, conversation_id).id))
    ticket_id = request.args.get("ticket")
    if ticket_id:
        channels.append(ticket_channel(workspace.id, get_scoped(Ticket, workspace.id, ticket_id).id))
    # The stream may stay open for hours: hand the database connection back to the pool first.
    db.session.remove()
    return event_stream(channels, agent=True)
