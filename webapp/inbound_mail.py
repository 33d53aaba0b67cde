"""``POST /inbound/email/<slug>``: a mail provider's inbound webhook (or a local MTA pipe) hands
the desk one raw RFC 822 message per request.

Authorized by the workspace's inbound token (:func:`core.email_channel.inbound_token`) in the
``X-Snapdesk-Inbound-Token`` header or ``?token=``; the token is derived from the workspace's
application secret, so no new secret needs storing. Answers 201 with the message and conversation
ids (200 when the mail was seen before), 403 for a wrong token, 422 for an unusable mail.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from sqlalchemy import func, select

from core.db import commit, db
from core.email_channel import check_inbound_token, parse_recipient, receive_email
from core.errors import Forbidden, ValidationError
from core.models import Message
from webapp.tenancy import workspace_by_slug

blueprint = Blueprint("inbound_mail", __name__, url_prefix="/inbound")
#: Largest raw mail accepted (attachments are not stored; the text part is what counts).
MAX_MAIL_BYTES = 10 * 1024 * 1024


@blueprint.errorhandler(Exception)
def _json_errors(exc: Exception):
    from werkzeug.exceptions import HTTPException

    from core.errors import SnapdeskError
    from webapp.errors import error_body

    if isinstance(exc, SnapdeskError):
        db.session.rollback()
        fields = exc.fields if isinstance(exc, ValidationError) else None
        return jsonify(error_body(exc.status, str(exc), fields)), exc.status
    if isinstance(exc, HTTPException):
        return jsonify(error_body(exc.code or 500, exc.description or exc.name)), exc.code or 500
    raise exc


@blueprint.post("/email/<slug>")
def inbound_email(slug: str):
    workspace = workspace_by_slug(slug)
    token = request.headers.get("X-Snapdesk-Inbound-Token") or request.args.get("token")
    if not check_inbound_token(workspace, token):
        raise Forbidden("The inbound mail token is missing or wrong for this workspace.")
    raw = request.get_data(cache=False)
    if len(raw) > MAX_MAIL_BYTES:
        raise ValidationError.field("message", "The mail is too large.")
    # The envelope recipient, when the provider passes it, may name a conversation (slug+c<id>@...).
    recipient = parse_recipient(request.args.get("to") or request.headers.get("X-Original-To") or "")
    conversation_id = recipient[1] if recipient is not None and recipient[0] == workspace.slug else None
    newest_before = db.session.scalar(select(func.max(Message.id)).where(Message.workspace_id == workspace.id)) or 0
    message = receive_email(workspace, raw, conversation_id=conversation_id)
    created = message.id > newest_before
    commit()
    return jsonify({"message_id": message.id, "conversation_id": message.conversation_id}), 201 if created else 200

