"""Bad input answers 4xx with the error shape of webapp.errors: never a 500."""

from __future__ import annotations

W = "/workspaces/acme"


def test_unknown_fields_are_422_with_field_messages(agent_api):
    response = agent_api.post(f"{W}/accounts", {"name": "A", "colour": "red"})
    assert response.status_code == 422
    assert response.json == {"error": {"status": 422, "message": "The request body is not valid.",
                                       "fields": {"colour": ["Unknown field."]}}}


def test_wrong_types_and_required_fields(agent_api):
    response = agent_api.post(f"{W}/tickets", {"title": 5, "severity": "urgent", "reported_by": ["1"]})
    fields = response.json["error"]["fields"]
    assert response.status_code == 422
    assert set(fields) >= {"title", "severity", "reported_by.0"}
    missing = agent_api.post(f"{W}/tickets", {})
    assert missing.json["error"]["fields"] == {"title": ["Missing data for required field."]}


def test_malformed_json_is_400(agent_api):
    response = agent_api.post(f"{W}/accounts", data='{"name": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"]["status"] == 400
    nan = agent_api.post(f"{W}/accounts", data='{"name": NaN}', content_type="application/json")
    assert nan.status_code == 400
    bad_bytes = agent_api.post(f"{W}/accounts", data=b'{"name": "\xff"}', content_type="application/json")
    assert bad_bytes.status_code == 400


def test_wrong_content_type_is_415(agent_api):
    response = agent_api.post(f"{W}/accounts", data="name=A", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.json["error"]["status"] == 415


def test_non_object_bodies_are_422(agent_api):
    for body in ("[]", "null", "5", '"text"'):
        response = agent_api.post(f"{W}/accounts", data=body, content_type="application/json")
        assert response.status_code == 422, body


def test_ids_in_urls_that_are_not_ids_are_404(agent_api):
    for path in ("/conversations/abc", "/conversations/-1", "/conversations/0", "/tickets/1.5",
                 "/articles/99999999999999999999999", "/accounts/2147483648"):
        response = agent_api.get(W + path)
        assert response.status_code == 404, path
        assert response.json["error"]["status"] == 404


def test_huge_ids_in_bodies_are_422(agent_api):
    response = agent_api.post(f"{W}/conversations", {"contact_id": 2**70, "body": "x"})
    assert response.status_code == 422 and "contact_id" in response.json["error"]["fields"]


def test_page_size_bounds(agent_api):
    assert agent_api.get(f"{W}/accounts?limit=200").status_code == 200
    for query in ("limit=201", "limit=0", "limit=abc", "offset=-5", "offset=1e309"):
        response = agent_api.get(f"{W}/accounts?{query}")
        assert response.status_code == 422, query


def test_huge_strings_are_refused_by_length(agent_api):
    response = agent_api.post(f"{W}/accounts", {"name": "x" * 100_000})
    assert response.status_code == 422 and "name" in response.json["error"]["fields"]


def test_nul_characters_are_refused_per_field(agent_api):
    response = agent_api.post(f"{W}/accounts", {"name": "a\u0000b"})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"name": ["Text may not contain NUL characters."]}
    assert agent_api.get(f"{W}/tickets?q=%00").status_code == 422
