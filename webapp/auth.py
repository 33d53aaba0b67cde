"""Who is signed in, per workspace, from the Flask session.

The session holds ``contacts: {workspace_id: contact_id}`` (customers; one entry per workspace
they signed in to, which is what workspace switching uses) and ``users: {workspace_id: user_id}``
(agents). Signing in or out changes only these keys.
"""

from __future__ import annotations

from flask import session

from core.db import db
from core.models import Contact, User, Workspace
from core.snapshots import contact_info, user_info
from hooks.types import Viewer


def _ids(key: str) -> dict[str, int]:
    return dict(session.get(key) or {})


def sign_in_contact(workspace: Workspace, contact: Contact) -> None:
    ids = _ids("contacts")
    ids[str(workspace.id)] = contact.id
    session["contacts"] = ids
    session.permanent = True


def sign_in_user(workspace: Workspace, user: User) -> None:
    ids = _ids("users")
    ids[str(workspace.id)] = user.id
    session["users"] = ids
    session.permanent = True


def sign_out(workspace: Workspace, *, kind: str = "contacts") -> None:
    ids = _ids(kind)
    ids.pop(str(workspace.id), None)
    session[kind] = ids


def current_contact(workspace: Workspace) -> Contact | None:
    contact_id = _ids("contacts").get(str(workspace.id))
    if contact_id is None:
        return None
    contact = db.session.get(Contact, contact_id)
    # A contact deleted or moved since sign-in is signed out.
    return contact if contact is not None and contact.workspace_id == workspace.id else None


def current_user(workspace: Workspace) -> User | None:
    user_id = _ids("users").get(str(workspace.id))
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.workspace_id == workspace.id else None


def current_viewer(workspace: Workspace) -> Viewer:
    user = current_user(workspace)
    if user is not None:
        return Viewer(kind="agent", user=user_info(user))
    contact = current_contact(workspace)
    if contact is not None:
        return Viewer(kind="contact", contact=contact_info(contact))
    return Viewer(kind="anonymous")


def signed_in_workspace_ids() -> list[int]:
    """Workspaces where this browser has a signed-in customer (for the workspace picker)."""
    return [int(k) for k in _ids("contacts")]
