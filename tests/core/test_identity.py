"""Sign-in services (core/identity.py): email OTP, customer JWTs, admission, agent passwords, API tokens."""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

import jwt
import pytest
from sqlalchemy import select

import core.mail
from core import identity
from core.db import commit, db, utcnow
from core.errors import LoginError, NotFound, RateLimited, ValidationError
from core.models import ApiToken, Contact, OtpChallenge, UsedToken, User
from core.people import create_contact, find_contact_by_email, find_user_by_email
from core.workspaces import create_workspace
from hooks import ProvisionDecision, Snapin, hookimpl
from webapp.testing.smtp import find_code

ONLY_VERIFIED = "Only verified users can log in. Ask the support team of Acme to verify your email address."


class AllowEveryone(Snapin):
    """A tiny JIT-provisioning snap-in: lets any email in, verified."""

    title = "Allow everyone"

    @hookimpl
    def snapdesk_provision_identity(self, email, name, method, claims):
        return ProvisionDecision(allow=True, name=claims.get("name") or f"Provisioned {method}")


class RefuseWithReason(Snapin):
    title = "Refuse"

    @hookimpl
    def snapdesk_provision_identity(self, email):
        return ProvisionDecision(allow=False, reason="Sign-ups are closed this week.")


def new_workspace(slug: str = "acme", name: str = "Acme"):
    workspace = create_workspace(slug=slug, name=name, admin_email=f"admin@{slug}.test", admin_password="admin-pass-1")
    commit()
    return workspace


def verified_contact(workspace, email: str = "cara@customer.test") -> Contact:
    contact = create_contact(workspace, email=email, name="Cara", verified=True)
    commit()
    return contact


def latest_code_from(outbox) -> str:
    return find_code(outbox[-1])


def challenges(workspace, email: str) -> list[OtpChallenge]:
    return list(db.session.scalars(
        select(OtpChallenge).where(OtpChallenge.workspace_id == workspace.id, OtpChallenge.email == email)
        .order_by(OtpChallenge.id)
    ))


# -- OTP -----------------------------------------------------------------------------------------


def test_otp_end_to_end_through_a_real_smtp_server(make_app, smtp_sink):
    make_app(mailer=core.mail.mailer_from_url(smtp_sink.url))
    workspace = new_workspace()
    contact = verified_contact(workspace)

    identity.request_otp(workspace, "  Cara@Customer.TEST ", ip="203.0.113.5")
    commit()
    [message] = smtp_sink.wait_for(1)
    assert message.envelope_to == ("cara@customer.test",)
    assert str(message["Subject"]) == "Your Acme sign-in code"
    assert message["From"].addresses[0].display_name == "Acme"
    assert "10 minutes" in message.get_body(("plain",)).get_content()
    code = find_code(message)

    # Only a keyed hash is stored: the code appears in no column.
    [row] = challenges(workspace, "cara@customer.test")
    for column in OtpChallenge.__table__.columns:
        assert code not in str(getattr(row, column.key))

    signed_in = identity.verify_otp(workspace, "cara@customer.test", code)
    commit()
    assert signed_in.id == contact.id

    with pytest.raises(LoginError, match="No sign-in code is waiting"):
        identity.verify_otp(workspace, "cara@customer.test", code)


def test_a_new_code_replaces_the_previous_one(app, workspace, outbox):
    verified_contact(workspace)
    identity.request_otp(workspace, "cara@customer.test", ip=None)
    commit()
    first = latest_code_from(outbox)
    identity.request_otp(workspace, "cara@customer.test", ip=None)
    commit()
    second = latest_code_from(outbox)
    rows = challenges(workspace, "cara@customer.test")
    assert rows[0].consumed_at is not None and rows[1].consumed_at is None
    if first != second:
        with pytest.raises(LoginError, match="not right"):
            identity.verify_otp(workspace, "cara@customer.test", first)
    assert identity.verify_otp(workspace, "cara@customer.test", second).email == "cara@customer.test"


def test_an_expired_code_is_refused(app, workspace, outbox):
    verified_contact(workspace)
    identity.request_otp(workspace, "cara@customer.test", ip=None)
    commit()
    [row] = challenges(workspace, "cara@customer.test")
    row.expires_at = utcnow() - timedelta(seconds=1)
    commit()
    with pytest.raises(LoginError, match="^This code has expired. Request a new one.$"):
        identity.verify_otp(workspace, "cara@customer.test", latest_code_from(outbox))


def test_wrong_codes_count_down_survive_rollback_and_end_the_code(app, workspace, outbox):
    verified_contact(workspace)
    identity.request_otp(workspace, "cara@customer.test", ip=None)
    commit()
    code = latest_code_from(outbox)
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(LoginError, match=f"^That code is not right. {left} attempts? left.$"):
            identity.verify_otp(workspace, "cara@customer.test", wrong)
        db.session.rollback()  # what the web layer does on an error: the attempt must still count
    with pytest.raises(LoginError, match="^Too many wrong codes. Request a new one.$"):
        identity.verify_otp(workspace, "cara@customer.test", wrong)
    db.session.rollback()
    [row] = challenges(workspace, "cara@customer.test")
    assert row.attempts == 5 and row.consumed_at is not None
    # Even the right code no longer works.
    with pytest.raises(LoginError):
        identity.verify_otp(workspace, "cara@customer.test", code)


def test_garbage_codes_are_wrong_codes_not_crashes(app, workspace, outbox):
    verified_contact(workspace)
    identity.request_otp(workspace, "cara@customer.test", ip=None)
    commit()
    for garbage in ("", "abcdef", "12345", "1234567", None):
        with pytest.raises(LoginError, match="not right|Too many"):
            identity.verify_otp(workspace, "cara@customer.test", garbage)  # type: ignore[arg-type]


def test_code_with_spaces_is_accepted(app, workspace, outbox):
    verified_contact(workspace)
    identity.request_otp(workspace, "cara@customer.test", ip=None)
    commit()
    code = latest_code_from(outbox)
    assert identity.verify_otp(workspace, "cara@customer.test", f" {code[:3]} {code[3:]} ").verified


def test_rate_limit_per_email(make_app):
    make_app(OTP_PER_EMAIL_PER_HOUR=2)
    workspace = new_workspace()
    verified_contact(workspace)
    for _ in range(2):
        identity.request_otp(workspace, "cara@customer.test", ip=None)
        commit()
    with pytest.raises(RateLimited, match=r"Try again in (60|59) minutes\.$"):
        identity.request_otp(workspace, "cara@customer.test", ip=None)
    # Challenges older than an hour no longer count.
    for row in challenges(workspace, "cara@customer.test"):
        row.created_at = utcnow() - timedelta(hours=1, seconds=1)
    commit()
    identity.request_otp(workspace, "cara@customer.test", ip=None)


def test_rate_limit_per_ip(make_app):
    make_app(OTP_PER_IP_PER_HOUR=3)
    workspace = new_workspace()
    for i in range(4):
        verified_contact(workspace, f"c{i}@customer.test")
    for i in range(3):
        identity.request_otp(workspace, f"c{i}@customer.test", ip="198.51.100.7")
        commit()
    with pytest.raises(RateLimited, match="from your network. Try again in"):
        identity.request_otp(workspace, "c3@customer.test", ip="198.51.100.7")
    identity.request_otp(workspace, "c3@customer.test", ip="198.51.100.8")


def test_malformed_email_is_a_field_error(app, workspace):
    with pytest.raises(ValidationError) as caught:
        identity.request_otp(workspace, "not-an-email", ip=None)
    assert "email" in caught.value.fields


def test_unknown_email_without_provisioning_is_refused_and_nothing_created(app, workspace, outbox):
    with pytest.raises(LoginError) as caught:
        identity.request_otp(workspace, "stranger@else.test", ip=None)
    assert str(caught.value) == ONLY_VERIFIED
    assert len(outbox) == 0
    assert find_contact_by_email(workspace.id, "stranger@else.test") is None
    assert challenges(workspace, "stranger@else.test") == []


def test_unverified_contact_without_provisioning_is_refused(app, workspace, outbox):
    create_contact(workspace, email="pending@customer.test", verified=False)
    commit()
    with pytest.raises(LoginError, match="Only verified users can log in"):
        identity.request_otp(workspace, "pending@customer.test", ip=None)


def test_company_name_from_portal_settings_is_used(app, workspace, outbox):
    from core.portal_settings import update_settings

    update_settings(workspace, {"appearance": {"company_name": "Acme Rockets"}})
    commit()
    with pytest.raises(LoginError, match="support team of Acme Rockets"):
        identity.request_otp(workspace, "stranger@else.test", ip=None)
    verified_contact(workspace)
    identity.request_otp(workspace, "cara@customer.test", ip=None)
    assert str(outbox[-1]["Subject"]) == "Your Acme Rockets sign-in code"


def test_provisioning_snapin_lets_an_unknown_email_in_and_creates_a_verified_contact(make_app, enable_snapin, hook_calls):
    make_app(snapins={"allow-everyone": AllowEveryone})
    workspace = new_workspace()
    outbox = identity.get_runtime().mailer.outbox
    enable_snapin(workspace, "allow-everyone")

    identity.request_otp(workspace, "newbie@else.test", ip=None)
    commit()
    assert find_contact_by_email(workspace.id, "newbie@else.test") is None  # a decision only, so far
    contact = identity.verify_otp(workspace, "newbie@else.test", find_code(outbox[-1]))
    commit()
    assert contact.id is not None and contact.verified and contact.name == "Provisioned otp"
    calls = [c for c in hook_calls if c.hook == "snapdesk_provision_identity"]
    assert [c.kwargs["method"] for c in calls] == ["otp", "otp"]
    assert calls[0].kwargs["claims"] == {}


def test_provisioning_verifies_an_existing_unverified_contact(make_app, enable_snapin):
    make_app(snapins={"allow-everyone": AllowEveryone})
    workspace = new_workspace()
    enable_snapin(workspace, "allow-everyone")
    pending = create_contact(workspace, email="pending@customer.test", name="Pat", verified=False)
    commit()
    contact = identity.admit(workspace, "pending@customer.test", method="otp")
    assert contact.id == pending.id and contact.verified and contact.name == "Pat"


def test_provisioning_refusal_carries_the_snapins_reason(make_app, enable_snapin):
    make_app(snapins={"refuse": RefuseWithReason})
    workspace = new_workspace()
    enable_snapin(workspace, "refuse")
    with pytest.raises(LoginError, match="^Sign-ups are closed this week.$"):
        identity.request_otp(workspace, "stranger@else.test", ip=None)


def test_a_disabled_provisioning_snapin_is_not_asked(make_app):
    make_app(snapins={"allow-everyone": AllowEveryone})
    workspace = new_workspace()  # installed, not enabled here
    with pytest.raises(LoginError, match="Only verified users"):
        identity.admit(workspace, "stranger@else.test", method="otp")


# -- JWT -----------------------------------------------------------------------------------------


def sign(workspace, *, secret: str | None = None, drop: tuple[str, ...] = (), **overrides) -> str:
    now = int(time.time())
    claims = {
        "email": "cara@customer.test",
        "aud": identity.jwt_audience(workspace),
        "iat": now,
        "exp": now + 300,
        "jti": f"jti-{time.time_ns()}",
    }
    claims.update(overrides)
    for name in drop:
        claims.pop(name)
    return jwt.encode(claims, secret or workspace.app_token_secret, algorithm="HS256")


def test_valid_jwt_signs_a_verified_contact_in(app, workspace):
    contact = verified_contact(workspace)
    assert identity.jwt_audience(workspace) == "snapdesk:acme"
    assert identity.login_with_jwt(workspace, sign(workspace)).id == contact.id


def test_issue_widget_token_round_trip(app, workspace):
    contact = verified_contact(workspace)
    token = identity.issue_widget_token(workspace, email="cara@customer.test", external_id="u-42", ttl=120)
    assert identity.login_with_jwt(workspace, token).id == contact.id
    assert contact.external_id == "u-42"
    with pytest.raises(ValidationError):
        identity.issue_widget_token(workspace, email="cara@customer.test", ttl=7200)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"exp": int(time.time()) - 120, "iat": int(time.time()) - 600}, "has expired"),
        ({"aud": "snapdesk:other"}, 'audience must be "snapdesk:acme"'),
        ({"secret": "not-the-workspace-secret-but-long-enough-0123"}, "signature is not valid"),
        ({"drop": ("exp",)}, 'missing the claim "exp"'),
        ({"drop": ("jti",)}, 'missing the claim "jti"'),
        ({"drop": ("aud",)}, 'missing the claim "aud"'),
        ({"drop": ("email",)}, 'missing the claim "email"'),
        ({"email": "nonsense"}, 'claim "email" of this sign-in token is not a valid'),
        ({"iat": int(time.time()), "exp": int(time.time()) + 3601 + 60}, "longer than 1 hour"),
        ({"drop": ("iat",), "exp": int(time.time()) + 7200}, "more than 1 hour from now"),
    ],
)
def test_bad_jwts_are_refused_with_a_clear_sentence(app, workspace, overrides, message):
    verified_contact(workspace)
    with pytest.raises(LoginError, match=message.replace("(", r"\(")):
        identity.login_with_jwt(workspace, sign(workspace, **overrides))


def test_malformed_tokens_are_login_errors(app, workspace):
    for token in ("", "abc", "a.b.c", None):
        with pytest.raises(LoginError):
            identity.login_with_jwt(workspace, token)  # type: ignore[arg-type]
    none_alg = jwt.encode({"email": "cara@customer.test"}, None, algorithm="none")
    with pytest.raises(LoginError, match="HS256"):
        identity.login_with_jwt(workspace, none_alg)


def test_jwt_within_leeway_is_accepted(app, workspace):
    verified_contact(workspace)
    identity.login_with_jwt(workspace, sign(workspace, exp=int(time.time()) - 10))


def test_replayed_jti_is_refused(app, workspace):
    verified_contact(workspace)
    token = sign(workspace, jti="one-time")
    identity.login_with_jwt(workspace, token)
    commit()
    with pytest.raises(LoginError, match="^This sign-in link has already been used.$"):
        identity.login_with_jwt(workspace, token)
    assert db.session.scalars(select(UsedToken.jti)).all() == ["one-time"]


def test_token_of_workspace_a_is_refused_by_workspace_b(app, workspace):
    verified_contact(workspace)
    other = new_workspace("globex", "Globex")
    verified_contact(other)
    token = sign(workspace)
    with pytest.raises(LoginError, match="signature is not valid"):
        identity.login_with_jwt(other, token)
    # Even signed with B's secret, A's audience is refused.
    with pytest.raises(LoginError, match="audience"):
        identity.login_with_jwt(other, sign(workspace, secret=other.app_token_secret))


def test_jwt_for_unknown_email_needs_provisioning(make_app, enable_snapin, hook_calls):
    make_app(snapins={"allow-everyone": AllowEveryone})
    workspace = new_workspace()
    with pytest.raises(LoginError, match="Only verified users"):
        identity.login_with_jwt(workspace, sign(workspace, email="new@else.test", name="Nia"))
    db.session.rollback()
    assert find_contact_by_email(workspace.id, "new@else.test") is None

    enable_snapin(workspace, "allow-everyone")
    contact = identity.login_with_jwt(workspace, sign(workspace, email="new@else.test", name="Nia", sub="ext-7", plan="pro"))
    commit()
    assert contact.verified and contact.name == "Nia" and contact.external_id == "ext-7"
    [call] = [c for c in hook_calls if c.hook == "snapdesk_provision_identity"]
    assert call.kwargs["method"] == "jwt" and call.kwargs["claims"]["plan"] == "pro"


# -- Agents --------------------------------------------------------------------------------------


def test_agent_login(app, workspace):
    user = identity.authenticate_agent(workspace, "Agent@Acme.test", "agent-pass-1")
    assert user.email == "agent@acme.test"
    messages = set()
    for email, password in [("agent@acme.test", "wrong-pass"), ("nobody@acme.test", "agent-pass-1"), ("bad", "x"), ("agent@acme.test", None)]:
        with pytest.raises(LoginError) as caught:
            identity.authenticate_agent(workspace, email, password)  # type: ignore[arg-type]
        messages.add(str(caught.value))
    assert messages == {"Email or password is not right."}


def test_agent_login_is_per_workspace(app, workspace):
    other = new_workspace("globex", "Globex")
    with pytest.raises(LoginError):
        identity.authenticate_agent(other, "agent@acme.test", "agent-pass-1")


def test_api_token_round_trip_stores_only_a_hash(app, workspace):
    user = find_user_by_email(workspace.id, "agent@acme.test")
    token = identity.issue_api_token(user, name="ci")
    commit()
    assert token.startswith("sdk_") and len(token) > 40
    [row] = db.session.scalars(select(ApiToken)).all()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert all(token not in str(getattr(row, c.key)) for c in ApiToken.__table__.columns)
    assert row.last_used_at is None

    found = identity.user_for_api_token(token)
    assert found is not None and found.id == user.id
    assert row.last_used_at is not None
    for bad in ("", None, "sdk_nope", token + "x", token[4:]):
        assert identity.user_for_api_token(bad) is None  # type: ignore[arg-type]

    assert [t.id for t in identity.list_api_tokens(user)] == [row.id]
    identity.revoke_api_token(user, row.id)
    commit()
    assert identity.user_for_api_token(token) is None


def test_api_token_belongs_to_its_workspace(app, workspace):
    other = new_workspace("globex", "Globex")
    a_user = find_user_by_email(workspace.id, "agent@acme.test")
    b_user = db.session.scalar(select(User).where(User.workspace_id == other.id))
    token = identity.issue_api_token(a_user)
    commit()
    found = identity.user_for_api_token(token)
    assert found.workspace_id == workspace.id and found.workspace_id != other.id
    # A user of B cannot revoke A's token.
    [row] = db.session.scalars(select(ApiToken)).all()
    with pytest.raises(NotFound):
        identity.revoke_api_token(b_user, row.id)
    with pytest.raises(NotFound):
        identity.revoke_api_token(a_user, "nonsense")  # type: ignore[arg-type]
