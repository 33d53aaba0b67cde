"""Settings > Accounts & contacts: create, link, verify, customer admins, search; errors inline."""

from __future__ import annotations

from core import people
from core.db import commit, db
from core.models import Account, Contact

PAGE = "/settings/acme/accounts"


def _refresh():
    db.session.rollback()


def test_create_account_and_contact_joins_by_domain(admin_client, workspace):
    agent = people.find_user_by_email(workspace.id, "agent@acme.test")
    response = admin_client.post(PAGE + "/new", data={"account-name": "Initech", "account-domains": "initech.test, @Initech.example",
                                                      "account-default_owner_id": str(agent.id)})
    assert response.status_code == 302
    _refresh()
    account = db.session.query(Account).one()
    assert account.domain_names == ["initech.example", "initech.test"] and account.default_owner_id == agent.id
    response = admin_client.post(PAGE + "/contacts/new", data={"contact-email": "Peter@initech.test", "contact-name": "Peter",
                                                               "contact-verified": "on"})
    assert response.status_code == 302
    _refresh()
    contact = db.session.query(Contact).one()
    assert contact.email == "peter@initech.test" and contact.account_id == account.id and contact.verified
    html = admin_client.get(PAGE).get_data(as_text=True)
    assert "Initech" in html and "peter@initech.test" in html


def test_account_errors_inline(admin_client, workspace):
    response = admin_client.post(PAGE + "/new", data={"account-name": "", "account-domains": "kept.test"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "An account needs a name." in html and 'value="kept.test"' in html
    response = admin_client.post(PAGE + "/new", data={"account-name": "X", "account-domains": "not_a_domain"})
    assert response.status_code == 422 and "is not a domain like example.com" in response.get_data(as_text=True)
    response = admin_client.post(PAGE + "/new", data={"account-name": "X", "account-default_owner_id": "99999"})
    assert response.status_code == 422 and "Choose an agent of this workspace." in response.get_data(as_text=True)
    _refresh()
    assert db.session.query(Account).count() == 0


def test_contact_errors_inline(admin_client, workspace):
    people.create_contact(workspace, email="dup@x.test")
    commit()
    for form, message in [
        ({"contact-email": "nope"}, "Enter a valid email address."),
        ({"contact-email": "dup@x.test"}, "already exists"),
        ({"contact-email": "new@x.test", "contact-is_customer_admin": "on"}, "Link the contact to an account"),
        ({"contact-email": "new@x.test", "contact-locale": "??"}, "Use a locale such as"),
    ]:
        response = admin_client.post(PAGE + "/contacts/new", data=form)
        assert response.status_code == 422, form
        assert message in response.get_data(as_text=True)
    _refresh()
    assert db.session.query(Contact).count() == 1


def test_link_verify_and_designate_customer_admin(admin_client, workspace):
    account = people.create_account(workspace, name="Globex Corp")
    contact = people.create_contact(workspace, email="hank@elsewhere.test")
    commit()
    response = admin_client.post(f"{PAGE}/contacts/{contact.id}", data={
        "contact-name": "Hank", "contact-account_id": str(account.id), "contact-verified": "on",
        "contact-is_customer_admin": "on", "contact-locale": "fr"})
    assert response.status_code == 302
    _refresh()
    assert (contact.name, contact.account_id, contact.verified, contact.is_customer_admin, contact.locale) == (
        "Hank", account.id, True, True, "fr")
    # Quick actions from the list.
    admin_client.post(f"{PAGE}/contacts/{contact.id}/flags", data={"action": "remove_admin"})
    admin_client.post(f"{PAGE}/contacts/{contact.id}/flags", data={"action": "unverify"})
    _refresh()
    assert not contact.is_customer_admin and not contact.verified
    admin_client.post(f"{PAGE}/contacts/{contact.id}/flags", data={"action": "verify"})
    admin_client.post(f"{PAGE}/contacts/{contact.id}/flags", data={"action": "make_admin"})
    _refresh()
    assert contact.is_customer_admin and contact.verified


def test_make_admin_without_account_is_refused_with_a_message(admin_client, workspace):
    contact = people.create_contact(workspace, email="solo@x.test")
    commit()
    response = admin_client.post(f"{PAGE}/contacts/{contact.id}/flags", data={"action": "make_admin"}, follow_redirects=True)
    assert "Link the contact to an account" in response.get_data(as_text=True)
    _refresh()
    assert not contact.is_customer_admin
    response = admin_client.post(f"{PAGE}/contacts/{contact.id}", data={"contact-is_customer_admin": "on", "contact-name": "Kept"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Link the contact to an account" in html and 'value="Kept"' in html


def test_search_and_filters(admin_client, workspace):
    account = people.create_account(workspace, name="Umbrella")
    people.create_contact(workspace, email="alice@u.test", account_id=account.id, verified=True)
    people.create_contact(workspace, email="bob@b.test")
    commit()
    html = admin_client.get(PAGE + "?q=alice").get_data(as_text=True)
    assert "alice@u.test" in html and "bob@b.test" not in html
    html = admin_client.get(PAGE + "?verified=no").get_data(as_text=True)
    assert "bob@b.test" in html and "alice@u.test" not in html
    html = admin_client.get(f"{PAGE}?account={account.id}").get_data(as_text=True)
    assert "alice@u.test" in html and "bob@b.test" not in html


def test_edit_and_delete_account(admin_client, workspace):
    account = people.create_account(workspace, name="Old", domains=["old.test"])
    contact = people.create_contact(workspace, email="c@old.test")
    commit()
    page = admin_client.get(f"{PAGE}/{account.id}").get_data(as_text=True)
    assert 'value="old.test"' in page and "c@old.test" in page
    admin_client.post(f"{PAGE}/{account.id}", data={"account-name": "New", "account-domains": "new.test"})
    _refresh()
    assert account.name == "New" and account.domain_names == ["new.test"]
    admin_client.post(f"{PAGE}/{account.id}/delete")
    _refresh()
    assert db.session.query(Account).count() == 0
    assert db.session.get(Contact, contact.id).account_id is None
    admin_client.post(f"{PAGE}/contacts/{contact.id}/delete")
    _refresh()
    assert db.session.query(Contact).count() == 0


def test_other_workspace_records_are_404(admin_client, workspace):
    from core.workspaces import create_workspace

    other = create_workspace(slug="globex", name="Globex")
    foreign = people.create_contact(other, email="x@globex.test")
    foreign_account = people.create_account(other, name="G")
    commit()
    assert admin_client.get(f"{PAGE}/contacts/{foreign.id}").status_code == 404
    assert admin_client.post(f"{PAGE}/contacts/{foreign.id}/flags", data={"action": "verify"}).status_code == 404
    assert admin_client.post(f"{PAGE}/{foreign_account.id}/delete").status_code == 404
    # Linking to another workspace's account is a field error.
    mine = people.create_contact(workspace, email="m@acme.test")
    commit()
    response = admin_client.post(f"{PAGE}/contacts/{mine.id}", data={"contact-account_id": str(foreign_account.id)})
    assert response.status_code == 422 and "Choose an account of this workspace." in response.get_data(as_text=True)
    _refresh()
    assert not db.session.get(Contact, foreign.id).verified


def test_agent_is_refused(client, sign_in_as, workspace):
    sign_in_as("agent@acme.test", "agent-pass-1")
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE + "/new", data={"account-name": "X"}).status_code == 403
    _refresh()
    assert db.session.query(Account).count() == 0
