"""Workspace isolation of EVERY API endpoint, and no 500 on malformed bodies.

Routes are read from ``app.url_map`` (not from a hand-written list), so a new endpoint is covered
the moment it exists.
"""

from __future__ import annotations

import re

import pytest

from conftest import seed
from webapp.api.routing import ENDPOINTS

_PARAM = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?(\w+)>")
#: Query strings some listings need to answer at all.
REQUIRED_QUERY = {"api.search": "?q=shipping"}
#: Valid bodies (bodies are checked before rows are looked up, so a 404 needs a valid body).
VALID_BODY = {
    "api.post_message": {"body": "hello"},
    "api.change_stage": {"stage": "waiting_on_user"},
    "api.set_tag": {},
    "api.assign": {"owner_id": None},
    "api.set_priority": {"priority": "p1"},
    "api.add_comment": {"body": "hello"},
    "api.change_ticket_stage": {"stage": "work_in_progress"},
    "api.update_ticket": {"title": "Renamed"},
    "api.update_article": {"title": "Renamed"},
    "api.publish_article": {},
    "api.update_account": {"name": "Renamed"},
    "api.update_contact": {"name": "Renamed"},
}


def api_routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) of every API route that belongs to a workspace."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and "<slug>" in rule.rule:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                routes.append((rule.endpoint, method, rule.rule))
    return sorted(routes)


def fill(rule: str, slug: str, ids: dict[str, int]) -> str:
    values = {"slug": slug, "snapin_id": "greeter", "tag": "stalled", **{k: str(v) for k, v in ids.items()}}
    return _PARAM.sub(lambda m: values[m.group(1)], rule)


@pytest.fixture
def two_workspaces(workspace, other_workspace, enable_snapin):
    a = seed(workspace, "a")
    b = seed(other_workspace, "b")
    enable_snapin(other_workspace, "greeter", {"greeting": "beta-only-greeting", "api_key": "beta-secret"})
    return a, b


def test_every_route_is_covered(app):
    routes = api_routes(app)
    declared = {name for name in ENDPOINTS if name not in ("api.openapi_document", "api.create_token")}
    assert {endpoint for endpoint, _, _ in routes} >= declared
    assert len(routes) >= 40


def test_foreign_token_gets_404_on_every_endpoint(app, client, two_workspaces, admin_api, other_api):
    a, b = two_workspaces
    unknown = other_api.get("/workspaces/zzz-unknown/users").json
    for endpoint, method, rule in api_routes(app):
        url = fill(rule, "acme", a.ids) + REQUIRED_QUERY.get(endpoint, "")
        if endpoint == "api.create_token":
            continue  # no token involved: a login, covered in test_api_auth
        response = other_api.call(method, url, json=VALID_BODY.get(endpoint, {}))
        assert response.status_code == 404, (method, url, response.status_code)
        assert response.json == unknown, url
        if method == "GET":
            # The same URL works for the workspace's own token: the 404 above is isolation, not a typo.
            assert admin_api.call(method, url).status_code == 200, url


def test_ids_of_another_workspace_are_404_under_your_own_slug(app, two_workspaces, other_api):
    a, b = two_workspaces
    for endpoint, method, rule in api_routes(app):
        if "<int(" not in rule:
            continue
        url = fill(rule, "beta", a.ids)
        response = other_api.call(method, url, json=VALID_BODY.get(endpoint, {}))
        assert response.status_code == 404, (method, url, response.status_code, response.json)


def test_listings_never_include_another_workspaces_rows(app, two_workspaces, admin_api):
    a, b = two_workspaces
    checked = 0
    for endpoint, method, rule in api_routes(app):
        if method != "GET" or "<int(" in rule:
            continue
        url = fill(rule, "acme", a.ids) + REQUIRED_QUERY.get(endpoint, "")
        response = admin_api.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        assert "globex-b" not in text and "beta" not in text, url
        items = response.json.get("items")
        if items is None:
            continue
        checked += 1
        kind = rule.rsplit("/", 1)[-1]
        if kind == "search":
            ids = {hit["article"]["id"] for hit in items}
            assert ids == a.all_ids["articles"], url
        elif kind in b.all_ids:
            ids = {row["id"] for row in items}
            assert ids and not ids & b.all_ids[kind], url
            assert ids <= a.all_ids[kind] | ({u for u in ids} if kind == "users" else set()), url
    assert checked >= 8


MALFORMED = [
    None, True, -1, 0, 2**70, 1.5, "", "x" * 200_000, [], [None], {}, {"nested": {"deep": [1, {"x": None}]}},
    "not-a-date", "\u0000",
]


def test_no_500_on_malformed_bodies(app, two_workspaces, admin_api):
    a, _ = two_workspaces
    seen = 0
    for endpoint, method, rule in api_routes(app):
        declared = ENDPOINTS[endpoint]
        if declared.body is None:
            continue
        url = fill(rule, "acme", a.ids)
        raw_bodies = [("text/plain", "hello"), ("application/json", "{"), ("application/json", "[1, 2]"),
                      ("application/json", "null"), ("application/json", '"\\ud800"'),
                      ("application/json", "[" * 5000), ("application/json", "1e999999")]
        for content_type, data in raw_bodies:
            response = admin_api.call(method, url, data=data, content_type=content_type)
            assert response.status_code < 500, (method, url, data[:20])
        for name in declared.body().fields:
            for value in MALFORMED:
                response = admin_api.call(method, url, json={name: value})
                assert response.status_code < 500, (method, url, name, repr(value)[:40])
                assert response.is_json, (method, url, name)
                seen += 1
    assert seen > 300


def test_no_500_on_malformed_query_strings(app, two_workspaces, admin_api):
    a, _ = two_workspaces
    for endpoint, method, rule in api_routes(app):
        declared = ENDPOINTS[endpoint]
        if method != "GET" or declared.query is None:
            continue
        url = fill(rule, "acme", a.ids)
        for name in declared.query().fields:
            for value in ("", "x" * 5000, "-1", "99999999999999999999999", "nan", "%00", "1.5"):
                response = admin_api.get(f"{url}?{name}={value}")
                assert response.status_code < 500, (url, name, value)
