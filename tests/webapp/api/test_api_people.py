"""Accounts, contacts and users over the API."""

from __future__ import annotations

W = "/workspaces/acme"


def test_account_crud(agent_api, agent):
    created = agent_api.post(f"{W}/accounts", {"name": "Initech", "domains": ["initech.test", "@Initech.io"],
                                               "default_owner_id": agent.id})
    assert created.status_code == 201, created.json
    account = created.json
    assert account["domains"] == ["initech.io", "initech.test"] and account["default_owner_id"] == agent.id
    patched = agent_api.patch(f"{W}/accounts/{account['id']}", {"domains": ["initech.test"], "default_owner_id": None})
    assert patched.json["domains"] == ["initech.test"] and patched.json["default_owner_id"] is None
    assert agent_api.get(f"{W}/accounts?domain=initech.test").json["items"][0]["id"] == account["id"]
    assert agent_api.get(f"{W}/accounts/{account['id']}").json["name"] == "Initech"
    assert agent_api.delete(f"{W}/accounts/{account['id']}").status_code == 204
    assert agent_api.get(f"{W}/accounts/{account['id']}").status_code == 404
    assert agent_api.get(f"{W}/accounts").json["total"] == 0


def test_account_field_errors(agent_api):
    response = agent_api.post(f"{W}/accounts", {"name": "", "domains": ["not a domain", 5], "default_owner_id": "1"})
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert "name" in fields and "domains.1" in fields and "default_owner_id" in fields
    taken = agent_api.post(f"{W}/accounts", {"name": "A", "domains": ["a.test"]})
    assert taken.status_code == 201
    clash = agent_api.post(f"{W}/accounts", {"name": "B", "domains": ["a.test"]})
    assert clash.status_code == 422 and "domains" in clash.json["error"]["fields"]
    assert agent_api.post(f"{W}/accounts", {"name": "C", "default_owner_id": 777777}).status_code == 422


def test_contact_crud_joins_account_by_domain(agent_api):
    account_id = agent_api.post(f"{W}/accounts", {"name": "Initech", "domains": ["initech.test"]}).json["id"]
    created = agent_api.post(f"{W}/contacts", {"email": "Peter@Initech.test", "name": "Peter", "locale": "fr",
                                               "verified": True, "is_customer_admin": True})
    assert created.status_code == 201, created.json
    contact = created.json
    assert (contact["email"], contact["account_id"], contact["verified"], contact["is_customer_admin"],
            contact["locale"]) == ("peter@initech.test", account_id, True, True, "fr")
    duplicate = agent_api.post(f"{W}/contacts", {"email": "peter@initech.test"})
    assert duplicate.status_code == 409
    patched = agent_api.patch(f"{W}/contacts/{contact['id']}", {"name": "Pete", "locale": None, "verified": False})
    assert (patched.json["name"], patched.json["locale"], patched.json["verified"]) == ("Pete", None, False)
    listed = agent_api.get(f"{W}/contacts?account_id={account_id}").json
    assert [c["id"] for c in listed["items"]] == [contact["id"]]
    assert agent_api.get(f"{W}/contacts?email=PETER@initech.test").json["total"] == 1
    assert agent_api.delete(f"{W}/contacts/{contact['id']}").status_code == 204
    assert agent_api.get(f"{W}/contacts").json["total"] == 0


def test_customer_admin_needs_an_account(agent_api):
    response = agent_api.post(f"{W}/contacts", {"email": "lone@nowhere.test", "is_customer_admin": True})
    assert response.status_code == 422 and "is_customer_admin" in response.json["error"]["fields"]
    bad = agent_api.post(f"{W}/contacts", {"email": "nope", "verified": "maybe"})
    assert bad.status_code == 422 and "verified" in bad.json["error"]["fields"]


def test_users_list_and_role_filter(agent_api):
    users = agent_api.get(f"{W}/users").json
    assert users["total"] == 2 and {u["role"] for u in users["items"]} == {"admin", "agent"}
    assert "password_hash" not in users["items"][0]
    admins = agent_api.get(f"{W}/users?role=admin").json["items"]
    assert [u["email"] for u in admins] == ["admin@acme.test"]
