"""Sign-in: customers by email one-time code (OTP) or by a JWT from the company's app; agents by
password and personal API tokens.

Who may get in is decided in one place, :func:`admit`: a verified contact always; anyone else only
when a snap-in answering ``snapdesk_provision_identity`` says so (JIT provisioning). Without such a
snap-in, only verified contacts sign in.

Secrets are never stored in clear: an OTP is kept as an HMAC keyed with the app's secret key, an
API token as its SHA-256. Services flush and leave the commit to the caller, with one documented
exception: :func:`verify_otp` commits a wrong attempt before raising, so that the attempt limit
holds although the web layer rolls back on errors.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import math
import secrets
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

import jwt
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from core.db import commit, db, utcnow
from core.errors import LoginError, NotFound, RateLimited, SnapdeskError, ValidationError
from core.mail import MailError, OutgoingMail
from core.models import Account, ApiToken, Contact, OtpChallenge, UsedToken, User, Workspace
from core.people import check_password, create_contact, find_contact_by_email, find_user_by_email, normalize_email, update_contact
from core.portal_settings import get_settings
from core.runtime import get_runtime
from hooks.types import ProvisionDecision

log = logging.getLogger("snapdesk.identity")

__all__ = [
    "MailNotSent", "ONLY_VERIFIED", "admit", "authenticate_agent", "company_name", "issue_api_token",
    "issue_widget_token", "jwt_audience", "list_api_tokens", "login_with_jwt", "request_otp", "revoke_api_token",
    "user_for_api_token", "verify_otp",
]

#: Used when the runtime's options lack a value (they come from webapp.config).
DEFAULT_OPTIONS = {
    "OTP_TTL_SECONDS": 600,
    "OTP_MAX_ATTEMPTS": 5,
    "OTP_PER_EMAIL_PER_HOUR": 5,
    "OTP_PER_IP_PER_HOUR": 20,
}
#: Longest lifetime a customer JWT may have (exp - iat, and exp - now).
JWT_MAX_LIFETIME = 3600
#: Clock skew tolerated between the company's server and ours.
JWT_LEEWAY = 30
API_TOKEN_PREFIX = "sdk_"
BAD_AGENT_LOGIN = "Email or password is not right."
ONLY_VERIFIED = "Only verified users can log in. Ask the support team of {company} to verify your email address."
HOUR = timedelta(hours=1)


class MailNotSent(SnapdeskError):
    """The sign-in code could not be mailed (the mail server failed); try again later."""

    status = 503


def _option(name: str) -> int:
    return int(get_runtime().options.get(name, DEFAULT_OPTIONS[name]))


def company_name(workspace: Workspace) -> str:
    """The name customers know the company by: the portal's company name, else the workspace name."""
    return (get_settings(workspace)["appearance"].get("company_name") or "").strip() or workspace.name


def _only_verified(workspace: Workspace) -> LoginError:
    return LoginError(ONLY_VERIFIED.format(company=company_name(workspace)))


# -- Who may get in ------------------------------------------------------------------------------


def _verified_contact(workspace: Workspace, email: str) -> Contact | None:
    contact = find_contact_by_email(workspace.id, email)
    return contact if contact is not None and contact.verified else None


def _ask_provisioning(
    workspace: Workspace, email: str, *, method: str, name: str | None, claims: Mapping[str, Any] | None
) -> ProvisionDecision | None:
    """The first snap-in's decision about an email that is not a verified contact (None: nobody answered)."""
    answer = get_runtime().dispatcher.first(
        "snapdesk_provision_identity", workspace, email=email, name=name, method=method, claims=dict(claims or {})
    )
    if answer is None:
        return None
    if not isinstance(answer.value, ProvisionDecision):
        # A snap-in bug must not let anyone in: treat a malformed answer as a refusal.
        log.warning("snap-in %s answered snapdesk_provision_identity with %r, not a ProvisionDecision",
                    answer.snapin_id, answer.value)
        return ProvisionDecision(allow=False)
    return answer.value


def _refusal(workspace: Workspace, decision: ProvisionDecision | None) -> LoginError | None:
    """The error to raise for a decision, or None when it lets the person in."""
    if decision is None:
        return _only_verified(workspace)
    if not decision.allow:
        return LoginError(decision.reason or ONLY_VERIFIED.format(company=company_name(workspace)))
    return None


def admit(
    workspace: Workspace,
    email: str,
    *,
    method: str,
    name: str | None = None,
    claims: Mapping[str, Any] | None = None,
) -> Contact:
    """Let ``email`` in after its owner proved it (by ``method``: "otp", "jwt"...); return its contact.

    A verified contact is returned as is. Otherwise the provisioning hook decides: allow -> the
    contact is created (or the existing unverified one updated), verified as the decision says;
    refuse -> :class:`LoginError` with the snap-in's reason; no answer -> :class:`LoginError`
    "Only verified users can log in...". Flushes; the caller commits.
    """
    email = normalize_email(email)
    external_id = str(claims["sub"]) if claims and method == "jwt" and claims.get("sub") is not None else None
    contact = find_contact_by_email(workspace.id, email)
    if contact is not None and contact.verified:
        if external_id and not contact.external_id:
            contact.external_id = external_id[:200]
            db.session.flush()
        return contact
    decision = _ask_provisioning(workspace, email, method=method, name=name, claims=claims)
    refusal = _refusal(workspace, decision)
    if refusal is not None:
        raise refusal
    assert decision is not None
    account_id = decision.account_id
    if account_id is not None and db.session.scalar(
        select(Account.id).where(Account.id == account_id, Account.workspace_id == workspace.id)
    ) is None:
        # The snap-in named an account of another workspace (or a deleted one): fall back to
        # matching the email's domain rather than failing the sign-in.
        log.warning("provisioning named account %s, which is not in workspace %s", account_id, workspace.id)
        account_id = None
    display_name = (decision.name or name or "").strip()[:200]
    if contact is None:
        return create_contact(
            workspace, email=email, name=display_name, account_id=account_id, verified=decision.verified,
            external_id=external_id[:200] if external_id else None,
        )
    update_contact(
        workspace,
        contact,
        name=display_name if display_name and not contact.name else None,
        account_id=account_id if account_id is not None and contact.account_id is None else ...,
        verified=decision.verified,
    )
    if external_id and not contact.external_id:
        contact.external_id = external_id[:200]
        db.session.flush()
    return contact


# -- Email one-time codes ------------------------------------------------------------------------


def _code_hash(workspace: Workspace, email: str, code: str) -> str:
    key = get_runtime().secret_key.encode("utf-8")
    return hmac.new(key, f"{workspace.id}:{email}:{code}".encode("utf-8"), hashlib.sha256).hexdigest()


def _retry_sentence(oldest: datetime, now: datetime) -> str:
    minutes = max(1, math.ceil((oldest + HOUR - now).total_seconds() / 60))
    return f"Try again in {minutes} minute{'s' if minutes != 1 else ''}."


def _check_rate_limits(workspace: Workspace, email: str, ip: str | None, now: datetime) -> None:
    since = now - HOUR
    recent = (OtpChallenge.workspace_id == workspace.id, OtpChallenge.created_at > since)
    count, oldest = db.session.execute(
        select(func.count(), func.min(OtpChallenge.created_at)).where(*recent, OtpChallenge.email == email)
    ).one()
    if count >= _option("OTP_PER_EMAIL_PER_HOUR"):
        raise RateLimited(f"Too many sign-in codes were requested for {email}. {_retry_sentence(_aware(oldest), now)}")
    if ip:
        count, oldest = db.session.execute(
            select(func.count(), func.min(OtpChallenge.created_at)).where(*recent, OtpChallenge.ip == ip)
        ).one()
        if count >= _option("OTP_PER_IP_PER_HOUR"):
            raise RateLimited(f"Too many sign-in codes were requested from your network. {_retry_sentence(_aware(oldest), now)}")


def _aware(value: datetime) -> datetime:
    # Aggregates (min) bypass the UTCDateTime column type, so SQLite hands back naive values or text.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def request_otp(workspace: Workspace, email: str, *, ip: str | None) -> None:
    """Mail a 6-digit sign-in code to ``email`` if it may sign in.

    Raises :class:`ValidationError` (field "email") for a malformed address, :class:`LoginError`
    when the email may not sign in (not a verified contact and no snap-in allows it; nothing is
    created), :class:`RateLimited` past OTP_PER_EMAIL_PER_HOUR / OTP_PER_IP_PER_HOUR, and
    :class:`MailNotSent` when the mail server fails. Earlier open codes of the email stop working.

    The mail is sent within the call, but the challenge is only flushed: the caller must commit,
    or the mailed code will not verify.
    """
    email = normalize_email(email)
    ip = (ip or "").strip()[:64] or None
    now = utcnow()
    _check_rate_limits(workspace, email, ip, now)
    if _verified_contact(workspace, email) is None:
        refusal = _refusal(workspace, _ask_provisioning(workspace, email, method="otp", name=None, claims={}))
        if refusal is not None:
            raise refusal

    db.session.execute(
        update(OtpChallenge)
        .where(OtpChallenge.workspace_id == workspace.id, OtpChallenge.email == email, OtpChallenge.consumed_at.is_(None))
        .values(consumed_at=now)
        .execution_options(synchronize_session=False)
    )
    code = f"{secrets.randbelow(10**6):06d}"
    ttl = _option("OTP_TTL_SECONDS")
    db.session.add(OtpChallenge(
        workspace_id=workspace.id, email=email, code_hash=_code_hash(workspace, email, code), ip=ip,
        attempts=0, created_at=now, expires_at=now + timedelta(seconds=ttl),
    ))
    db.session.flush()

    company = company_name(workspace)
    minutes = max(1, ttl // 60)
    lifetime = f"{minutes} minute{'s' if minutes != 1 else ''}"
    text = (
        f"Your sign-in code for {company} is:\n\n    {code}\n\n"
        f"It works once and expires in {lifetime}. If you did not ask to sign in, ignore this email.\n"
    )
    try:
        get_runtime().mailer.send(OutgoingMail(
            to=(email,), subject=f"Your {company} sign-in code", text=text, sender_name=company,
        ))
    except (MailError, OSError) as exc:
        log.error("could not mail a sign-in code in workspace %s: %s", workspace.id, exc)
        raise MailNotSent("We could not send the sign-in code right now. Try again in a few minutes.") from exc


def verify_otp(workspace: Workspace, email: str, code: str, *, ip: str | None = None) -> Contact:
    """Check the code mailed to ``email``; on success consume it and return :func:`admit`'s contact.

    Raises :class:`LoginError` when no code is waiting, the code expired, is wrong ("N attempts
    left"), or too many wrong codes were tried (the code is then spent). On success the caller
    commits. A wrong code is COMMITTED here before raising, so the attempt counts although the
    web layer rolls back on errors: call it with no other uncommitted work in the session.
    """
    email = normalize_email(email)
    challenge = db.session.scalar(
        select(OtpChallenge)
        .where(OtpChallenge.workspace_id == workspace.id, OtpChallenge.email == email, OtpChallenge.consumed_at.is_(None))
        .order_by(OtpChallenge.created_at.desc(), OtpChallenge.id.desc())
        .limit(1)
    )
    if challenge is None:
        raise LoginError("No sign-in code is waiting for this email. Request a new one.")
    now = utcnow()
    if challenge.expires_at <= now:
        raise LoginError("This code has expired. Request a new one.")
    max_attempts = _option("OTP_MAX_ATTEMPTS")
    if challenge.attempts >= max_attempts:
        challenge.consumed_at = now
        commit()
        raise LoginError("Too many wrong codes. Request a new one.")

    given = "".join((code or "").split())
    expected = challenge.code_hash
    candidate = _code_hash(workspace, email, given) if given.isdigit() and len(given) == 6 else ""
    if not candidate or not hmac.compare_digest(candidate, expected):
        challenge.attempts += 1
        left = max_attempts - challenge.attempts
        if left <= 0:
            challenge.consumed_at = now
        commit()
        if left <= 0:
            raise LoginError("Too many wrong codes. Request a new one.")
        raise LoginError(f"That code is not right. {left} attempt{'s' if left != 1 else ''} left.")

    challenge.consumed_at = now
    db.session.flush()
    return admit(workspace, email, method="otp")


# -- Customer JWTs -------------------------------------------------------------------------------


def jwt_audience(workspace: Workspace) -> str:
    """The ``aud`` a workspace's customer JWTs must carry."""
    return f"snapdesk:{workspace.slug}"


def _jwt_error(exc: jwt.PyJWTError, workspace: Workspace) -> LoginError:
    if isinstance(exc, jwt.ExpiredSignatureError):
        return LoginError("This sign-in link has expired. Ask for a new one.")
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return LoginError(f'This sign-in token is missing the claim "{exc.claim}".')
    if isinstance(exc, jwt.InvalidAudienceError):
        return LoginError(f'This sign-in token is meant for another site: its audience must be "{jwt_audience(workspace)}".')
    if isinstance(exc, jwt.InvalidSignatureError):
        return LoginError("This sign-in token's signature is not valid: it was not signed with this workspace's application access token.")
    if isinstance(exc, jwt.InvalidAlgorithmError):
        return LoginError("This sign-in token must be signed with HS256.")
    if isinstance(exc, jwt.ImmatureSignatureError):
        return LoginError("This sign-in token is not valid yet; check the clock of the server that signed it.")
    if isinstance(exc, jwt.DecodeError):
        return LoginError("This sign-in token is malformed.")
    return LoginError(f"This sign-in token is not valid: {exc}.")


def _timestamp(claims: Mapping[str, Any], name: str) -> float:
    value = claims[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise LoginError(f'The claim "{name}" of this sign-in token must be a number of seconds since 1970.')
    return float(value)


def login_with_jwt(workspace: Workspace, token: str) -> Contact:
    """Sign a customer in with a JWT signed by the company's server; returns :func:`admit`'s contact.

    The token must be HS256 with the workspace's application access token secret and carry
    ``exp``, ``jti``, ``aud`` (= :func:`jwt_audience`) and ``email``; it may live at most one hour
    (30 s clock leeway) and signs in once (its ``jti`` is remembered). ``name`` and every other
    claim go to the provisioning hook. Raises :class:`LoginError` with a sentence naming the fault.
    Flushes; the caller commits (an uncommitted use does not count).
    """
    if not isinstance(token, str) or not token.strip():
        raise LoginError("A sign-in token is required.")
    try:
        claims = jwt.decode(
            token.strip(),
            workspace.app_token_secret,
            algorithms=["HS256"],
            audience=jwt_audience(workspace),
            leeway=JWT_LEEWAY,
            options={"require": ["exp", "jti", "aud", "email"]},
        )
    except jwt.PyJWTError as exc:
        raise _jwt_error(exc, workspace) from None

    now = utcnow().timestamp()
    exp = _timestamp(claims, "exp")
    if "iat" in claims and exp - _timestamp(claims, "iat") > JWT_MAX_LIFETIME:
        raise LoginError("This sign-in token lives longer than 1 hour; sign tokens that expire within an hour.")
    if exp - now > JWT_MAX_LIFETIME + JWT_LEEWAY:
        raise LoginError("This sign-in token expires more than 1 hour from now; sign tokens that expire within an hour.")
    jti = claims["jti"]
    if not isinstance(jti, str) or not jti.strip() or len(jti) > 200:
        raise LoginError('The claim "jti" of this sign-in token must be a unique string of at most 200 characters.')
    try:
        email = normalize_email(claims["email"] if isinstance(claims["email"], str) else None)
    except ValidationError:
        raise LoginError('The claim "email" of this sign-in token is not a valid email address.') from None
    name = claims.get("name") if isinstance(claims.get("name"), str) else None

    _remember_jti(workspace, jti, datetime.fromtimestamp(exp, timezone.utc))
    return admit(workspace, email, method="jwt", name=name, claims=claims)


def _remember_jti(workspace: Workspace, jti: str, expires_at: datetime) -> None:
    # A jti whose token expired can never be replayed (exp is checked first), so its row can go.
    db.session.execute(
        delete(UsedToken)
        .where(UsedToken.workspace_id == workspace.id, UsedToken.expires_at < utcnow() - timedelta(seconds=JWT_LEEWAY))
        .execution_options(synchronize_session=False)
    )
    used = LoginError("This sign-in link has already been used.")
    if db.session.scalar(select(UsedToken.id).where(UsedToken.workspace_id == workspace.id, UsedToken.jti == jti)):
        raise used
    try:
        # The unique constraint settles a race between two requests carrying the same token.
        with db.session.begin_nested():
            db.session.add(UsedToken(workspace_id=workspace.id, jti=jti, expires_at=expires_at))
            db.session.flush()
    except IntegrityError:
        raise used from None


def issue_widget_token(
    workspace: Workspace, *, email: str, name: str | None = None, external_id: str | None = None, ttl: int = 600
) -> str:
    """Sign a customer JWT the way the company's server does (demo, tests, docs).

    ``ttl`` seconds, at most one hour. The token carries email, aud, iat, exp, a fresh jti, and
    ``name``/``sub`` (= ``external_id``) when given.
    """
    if not 0 < ttl <= JWT_MAX_LIFETIME:
        raise ValidationError.field("ttl", f"A sign-in token lives between 1 and {JWT_MAX_LIFETIME} seconds.")
    now = int(utcnow().timestamp())
    claims: dict[str, Any] = {
        "email": normalize_email(email),
        "aud": jwt_audience(workspace),
        "iat": now,
        "exp": now + int(ttl),
        "jti": uuid.uuid4().hex,
    }
    if name:
        claims["name"] = name
    if external_id:
        claims["sub"] = str(external_id)
    return jwt.encode(claims, workspace.app_token_secret, algorithm="HS256")


# -- Agents --------------------------------------------------------------------------------------


@functools.cache
def _dummy_password_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def authenticate_agent(workspace: Workspace, email: str, password: str) -> User:
    """The agent or admin whose email and password these are; :class:`LoginError` otherwise.

    Unknown email, malformed email and wrong password give the same sentence and take about the
    same time (an unknown email is checked against a dummy hash), so the answer does not reveal
    which agents exist.
    """
    try:
        email = normalize_email(email)
    except ValidationError:
        email = ""
    user = find_user_by_email(workspace.id, email) if email else None
    if user is None or not user.password_hash:
        check_password_hash(_dummy_password_hash(), password or "")
        raise LoginError(BAD_AGENT_LOGIN)
    if not check_password(user, password):
        raise LoginError(BAD_AGENT_LOGIN)
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_api_token(user: User, name: str = "api") -> str:
    """Create a personal API token for ``user`` and return it; shown once, only its SHA-256 is kept.

    Flushes; the caller commits.
    """
    label = (name or "").strip() or "api"
    if len(label) > 100:
        raise ValidationError.field("name", "Use at most 100 characters for the token name.")
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(workspace_id=user.workspace_id, user_id=user.id, token_hash=_token_hash(token), name=label))
    db.session.flush()
    return token


def user_for_api_token(token: str | None) -> User | None:
    """The user a token belongs to (any workspace: the API layer checks it matches the URL's), or None.

    Records ``last_used_at``; the caller commits.
    """
    if not isinstance(token, str) or not token.startswith(API_TOKEN_PREFIX) or len(token) > 200:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
    if row is None:
        return None
    row.last_used_at = utcnow()
    db.session.flush()
    return row.user


def list_api_tokens(user: User) -> list[ApiToken]:
    """The user's tokens (hashes only), newest first."""
    return list(db.session.scalars(
        select(ApiToken)
        .where(ApiToken.workspace_id == user.workspace_id, ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def revoke_api_token(user: User, token_id: int) -> None:
    """Delete one of the user's own tokens; :class:`NotFound` for anyone else's. Flushes."""
    try:
        token_id = int(token_id)
    except (TypeError, ValueError):
        raise NotFound("API token not found.") from None
    row = db.session.scalar(
        select(ApiToken).where(
            ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.workspace_id == user.workspace_id
        )
    )
    if row is None:
        raise NotFound(f"API token {token_id} not found.")
    db.session.delete(row)
    db.session.flush()
