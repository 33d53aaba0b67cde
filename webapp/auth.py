"""Who is signed in, per workspace, from the Flask session.

The session holds ``contacts: {workspace_id: contact_id}`` (customers; one entry per workspace
they signed in to, which is what workspace switching uses) and ``users: {workspace_id: user_id}``
(agents). Signing in or out changes only these keys.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, g, redirect, request, session, url_for

from core.db import db
from core.models import Contact, User, Workspace
from core.snapshots import contact_info, user_info
from hooks.types import Viewer

#: The endpoint of the agents' sign-in page (webapp/inbox/auth.py).
AGENT_SIGN_IN_ENDPOINT = "inbox.login"
#: What an agent without the required role is told (403 page).
ROLE_REFUSALS = {"admin": "Only workspace admins can change settings."}

View = TypeVar("View", bound=Callable[..., Any])


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


def safe_next(target: str | None, default: str) -> str:
    """``target`` when it is a path on this site, else ``default`` (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    # Browsers read "//evil.test/x", and "/" followed by a backslash, as another host.
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    return target


def login_required(role: str | None = None) -> Callable[[View], View]:
    """Guard an agent page whose URL carries the workspace ``slug``.

    Unknown slug: 404. Nobody signed in as an agent of that workspace: redirect to the agents'
    sign-in page with ``next`` set to this page. ``role`` None or "agent" admits every agent and
    admin; "admin" only admins, others get 403 with the sentence from :data:`ROLE_REFUSALS`.
    The view runs with ``g.workspace`` and ``g.user`` set (the base layout reads them).
    """

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            from webapp.tenancy import workspace_by_slug

            workspace = workspace_by_slug(kwargs["slug"])
            g.workspace = workspace
            user = current_user(workspace)
            if user is None:
                return redirect(url_for(AGENT_SIGN_IN_ENDPOINT, slug=workspace.slug, next=_here()))
            g.user = user
            if role is not None and user.role != role and not (role == "agent" and user.is_admin):
                abort(403, description=ROLE_REFUSALS.get(role, "You may not open this page."))
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorator


def _here() -> str | None:
    """This page's path and query, for ``next``; None for a form post (its URL is not a page)."""
    if request.method not in ("GET", "HEAD"):
        return None
    return request.full_path.rstrip("?") if request.query_string else request.path
