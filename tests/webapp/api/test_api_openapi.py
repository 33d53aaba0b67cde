"""The OpenAPI document: valid OpenAPI 3, generated from the real routes, every route documented."""

from __future__ import annotations

from openapi_spec_validator import validate

from webapp.api.openapi import openapi_path


def test_document_is_valid_openapi(client, app):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    validate(response.json)
    assert response.json["openapi"].startswith("3.")


def test_every_api_route_is_in_the_document(client, app):
    document = client.get("/api/v1/openapi.json").json
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")]
    assert len(rules) > 30
    for rule in rules:
        path, _ = openapi_path(rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = document["paths"][path][method.lower()]
            assert operation["summary"], rule.rule
            assert operation["responses"], rule.rule


def test_bodies_and_responses_reference_the_marshmallow_schemas(client, app):
    document = client.get("/api/v1/openapi.json").json
    create = document["paths"]["/api/v1/workspaces/{slug}/conversations"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ConversationCreate"}
    schema = document["components"]["schemas"]["ConversationCreate"]
    assert schema["properties"]["channel"]["enum"] == ["widget", "email", "portal"]
    assert schema["additionalProperties"] is False
    assert "422" in create["responses"] and "401" in create["responses"]
    one = document["paths"]["/api/v1/workspaces/{slug}/tickets/{ticket_id}"]["get"]
    assert {"in": "path", "name": "ticket_id", "required": True, "schema": {"type": "integer"}} in one["parameters"]


def test_openapi_path_conversion():
    assert openapi_path("/w/<slug>/t/<int(min=1, max=9):ticket_id>")[0] == "/w/{slug}/t/{ticket_id}"
