"""Customer sign-in on the portal: email code (OTP), JWT from the company's app, sign-out, and
switching between workspaces.

Routes (blueprint ``portal``, under ``/<slug>``):

- ``GET/POST /login`` (``portal.login``): email form -> :func:`core.identity.request_otp` -> code
  form -> :func:`core.identity.verify_otp` -> signed in, then to ``next`` (same-site paths only).
- ``GET/POST /login/jwt`` (``portal.login_jwt``): ``token`` -> :func:`core.identity.login_with_jwt`.
- ``POST /logout`` (``portal.logout``), ``POST /switch`` (``portal.switch``, field ``to`` = slug).

Every refusal (not verified, wrong or expired code, too many codes, bad token, mail down) is shown
on the sign-in page, never as an error page.

Workspace switching: each successful OTP/JWT sign-in records the proven email in the session
(``proven_emails``). :func:`switch` signs the browser in to another workspace without a new code
only when a *verified* contact there has one of those emails; otherwise it goes to that
workspace's sign-in page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from core.db import commit, db
from core.errors import LoginError, RateLimited, SnapdeskError, ValidationError
from core.identity import company_name, login_with_jwt, request_otp, verify_otp
from core.models import Contact, Workspace
from core.people import normalize_email
from webapp.auth import safe_next, sign_in_contact, sign_out, signed_in_workspace_ids
from webapp.portal import blueprint
from webapp.portal import chrome  # noqa: F401 - header/footer context for every portal page

#: Session key: emails this browser proved (by code or token), lower case, newest last.
PROVEN_EMAILS = "proven_emails"
#: How many proven emails a session remembers.
MAX_PROVEN_EMAILS = 10


# -- Proven emails and the workspace picker --------------------------------------------------------


def proven_emails() -> list[str]:
    """Emails this browser session proved by code or token."""
    return [str(email) for email in session.get(PROVEN_EMAILS) or []]


def remember_proven_email(email: str | None) -> None:
    if not email:
        return
    email = email.strip().lower()
    emails = [e for e in proven_emails() if e != email] + [email]
    session[PROVEN_EMAILS] = emails[-MAX_PROVEN_EMAILS:]


def _forget_proven_email(email: str | None) -> None:
    if email:
        session[PROVEN_EMAILS] = [e for e in proven_emails() if e != email.strip().lower()]


def _signed_in_elsewhere_as(email: str | None) -> bool:
    """Whether another workspace of this browser is signed in with ``email``."""
    ids = signed_in_workspace_ids()
    if not email or not ids:
        return False
    contact_ids = [int(v) for v in (session.get("contacts") or {}).values()]
    return db.session.scalar(
        select(func.count()).select_from(Contact).where(Contact.id.in_(contact_ids), func.lower(Contact.email) == email.lower())
    ) > 0


def _contact_for_switch(workspace: Workspace) -> Contact | None:
    """A verified contact of ``workspace`` whose email this session proved, if any."""
    emails = proven_emails()
    if not emails:
        return None
    return db.session.scalar(
        select(Contact)
        .where(Contact.workspace_id == workspace.id, Contact.verified.is_(True), func.lower(Contact.email).in_(emails))
        .order_by(Contact.id)
        .limit(1)
    )


@dataclass(frozen=True)
class WorkspaceChoice:
    """One entry of the profile menu's workspace picker."""

    slug: str
    name: str
    #: True: this browser is signed in there already; False: a switch signs in by a proven email.
    signed_in: bool


def workspace_choices(current: Workspace) -> list[WorkspaceChoice]:
    """Other workspaces this browser can go to as a signed-in customer, by name.

    Those with a signed-in contact, plus those where a verified contact has an email this session
    proved (see the module docstring).
    """
    signed_in = {ws_id for ws_id in signed_in_workspace_ids() if ws_id != current.id}
    choices: dict[int, WorkspaceChoice] = {}
    if signed_in:
        for workspace in db.session.scalars(select(Workspace).where(Workspace.id.in_(signed_in))):
            choices[workspace.id] = WorkspaceChoice(workspace.slug, company_name(workspace), True)
    emails = proven_emails()
    if emails:
        # DISTINCT on ids only: PostgreSQL has no equality for the JSON settings column.
        with_contact = (
            select(Contact.workspace_id)
            .where(Contact.verified.is_(True), func.lower(Contact.email).in_(emails), Contact.workspace_id != current.id)
            .distinct()
        )
        rows = db.session.scalars(select(Workspace).where(Workspace.id.in_(with_contact)))
        for workspace in rows:
            choices.setdefault(workspace.id, WorkspaceChoice(workspace.slug, company_name(workspace), False))
    return sorted(choices.values(), key=lambda choice: choice.name.lower())


# -- Sign-in by email code -------------------------------------------------------------------------


def _default_landing() -> str:
    from webapp.portal.tickets import tickets_available

    if tickets_available():
        return url_for("portal.tickets")
    return url_for("portal.home") if _has_endpoint("portal.home") else url_for("portal.tickets")


def _has_endpoint(endpoint: str) -> bool:
    from flask import current_app

    return endpoint in current_app.view_functions


def _next_target() -> str:
    return safe_next(request.values.get("next"), _default_landing())


def _finish_sign_in(contact: Contact) -> Response:
    sign_in_contact(g.workspace, contact)
    remember_proven_email(contact.email)
    commit()
    return redirect(_next_target())


def _login_page(step: str, *, email: str = "", error: str | None = None, status: int = 200, notice: str | None = None):
    return (
        render_template(
            "portal/auth/login.html",
            step=step,
            email=email,
            error=error,
            notice=notice,
            next_url=safe_next(request.values.get("next"), ""),
            company=company_name(g.workspace),
        ),
        status,
    )


@blueprint.route("/login", methods=["GET", "POST"], endpoint="login")
def login() -> Any:
    """The email-code sign-in: step "email" asks for the address, step "code" for the code."""
    if request.method == "GET":
        if g.get("contact") is not None and request.args.get("next"):
            return redirect(_next_target())
        return _login_page("email", email=request.args.get("email", ""))

    step = request.form.get("step", "email")
    raw_email = (request.form.get("email") or "").strip()
    try:
        email = normalize_email(raw_email)
    except ValidationError:
        return _login_page("email", email=raw_email, error=_("Enter a valid email address, like name@example.com."), status=422)

    if step == "code":
        try:
            contact = verify_otp(g.workspace, email, request.form.get("code", ""), ip=request.remote_addr)
        except LoginError as exc:
            db.session.rollback()
            return _login_page("code", email=email, error=str(exc), status=exc.status)
        return _finish_sign_in(contact)

    try:
        request_otp(g.workspace, email, ip=request.remote_addr)
    except (LoginError, RateLimited) as exc:
        db.session.rollback()
        return _login_page("email", email=email, error=str(exc), status=exc.status)
    except SnapdeskError as exc:  # MailNotSent and anything else the service refuses with
        db.session.rollback()
        return _login_page("email", email=email, error=str(exc), status=exc.status)
    commit()
    return _login_page("code", email=email, notice=_("We sent a 6-digit code to %(email)s.", email=email))


# -- Sign-in by token from the company's app ---------------------------------------------------------


@blueprint.route("/login/jwt", methods=["GET", "POST"], endpoint="login_jwt")
def login_jwt() -> Any:
    """``?token=<JWT>`` (or a form field ``token``): the company's app signs its user in."""
    token = request.values.get("token", "")
    try:
        contact = login_with_jwt(g.workspace, token)
    except LoginError as exc:
        db.session.rollback()
        return _login_page(
            "email", error=str(exc), status=exc.status,
            notice=_("You can also sign in with a code sent to your email address."),
        )
    return _finish_sign_in(contact)


# -- Sign-out and switching ------------------------------------------------------------------------------


@blueprint.route("/logout", methods=["POST"], endpoint="logout")
def logout() -> Response:
    """Sign this browser out of this workspace's portal (other workspaces stay signed in)."""
    contact = g.get("contact")
    sign_out(g.workspace)
    if contact is not None and not _signed_in_elsewhere_as(contact.email):
        _forget_proven_email(contact.email)
    flash(_("You are signed out."), "info")
    return redirect(url_for("portal.login"))


@blueprint.route("/switch", methods=["POST"], endpoint="switch")
def switch() -> Response:
    """Go to workspace ``to`` as a signed-in customer, without a new code when allowed."""
    from webapp.auth import current_contact

    target = db.session.scalar(select(Workspace).where(Workspace.slug == (request.form.get("to") or "").strip().lower()))
    if target is None:
        flash(_("That workspace does not exist."), "error")
        return redirect(url_for("portal.login") if g.get("contact") is None else _default_landing())
    home = _workspace_home(target)
    if current_contact(target) is not None:
        return redirect(home)
    contact = _contact_for_switch(target)
    if contact is None:
        # Nothing proven here for that workspace: its own sign-in page, which brings the person back.
        return redirect(url_for("portal.login", slug=target.slug, next=home))
    sign_in_contact(target, contact)
    return redirect(home)


def _workspace_home(workspace: Workspace) -> str:
    if _has_endpoint("portal.home"):
        return url_for("portal.home", slug=workspace.slug)
    return url_for("portal.tickets", slug=workspace.slug)
