"""jit-provisioning, tested with the snapdesk test kit only."""

from __future__ import annotations

import pytest

from hooks.testing import assert_valid_snapin
from snapdesk_jit_provisioning import JitProvisioning


def test_contract():
    assert_valid_snapin(JitProvisioning)


@pytest.fixture
def desk(make_app):
    from core.db import commit
    from core.people import create_account
    from core.workspaces import create_workspace

    make_app(snapins={"jit-provisioning": JitProvisioning})
    workspace = create_workspace(slug="acme", name="Acme")
    globex = create_account(workspace, name="Globex", domains=["globex.test"])
    fallback = create_account(workspace, name="Everyone else")
    commit()
    return workspace, globex, fallback


def sign_in_with_jwt(workspace, email, name=None):
    from core.db import commit
    from core.identity import issue_widget_token, login_with_jwt

    contact = login_with_jwt(workspace, issue_widget_token(workspace, email=email, name=name))
    commit()
    return contact


def test_without_the_snapin_unknown_emails_cannot_sign_in(desk):
    from core.errors import LoginError
    from core.people import find_contact_by_email

    workspace, _, _ = desk
    with pytest.raises(LoginError, match="Only verified users can log in"):
        sign_in_with_jwt(workspace, "new@globex.test")
    assert find_contact_by_email(workspace.id, "new@globex.test") is None


def test_enabled_it_creates_a_verified_contact_in_the_domains_account(desk, enable_snapin):
    workspace, globex, _ = desk
    enable_snapin(workspace, "jit-provisioning")
    contact = sign_in_with_jwt(workspace, "new@globex.test", name="New Person")
    assert (contact.email, contact.verified, contact.account_id, contact.name) == ("new@globex.test", True, globex.id, "New Person")


def test_unmatched_domains_join_the_default_account_or_none(desk, enable_snapin):
    workspace, _, fallback = desk
    enable_snapin(workspace, "jit-provisioning")
    assert sign_in_with_jwt(workspace, "solo@elsewhere.test").account_id is None
    enable_snapin(workspace, "jit-provisioning", {"default_account_id": fallback.id})
    assert sign_in_with_jwt(workspace, "solo2@elsewhere.test").account_id == fallback.id


def test_allowed_domains_and_methods_are_enforced(desk, enable_snapin):
    from core.errors import LoginError

    workspace, _, _ = desk
    enable_snapin(workspace, "jit-provisioning", {"allowed_domains": ["globex.test"]})
    with pytest.raises(LoginError, match="globex.test addresses only"):
        sign_in_with_jwt(workspace, "x@elsewhere.test")
    enable_snapin(workspace, "jit-provisioning", {"methods": ["otp"]})
    with pytest.raises(LoginError, match="Only verified users"):
        sign_in_with_jwt(workspace, "y@globex.test")


def test_a_default_account_of_another_workspace_is_refused(desk, enable_snapin):
    from core.db import commit
    from core.errors import ValidationError
    from core.people import create_account
    from core.workspaces import create_workspace

    workspace, _, _ = desk
    other = create_workspace(slug="other", name="Other")
    foreign = create_account(other, name="Foreign")
    commit()
    with pytest.raises(ValidationError) as error:
        enable_snapin(workspace, "jit-provisioning", {"default_account_id": foreign.id})
    assert "default_account_id" in error.value.fields
