"""The custom ticket form: coercion, field errors, dependent fields."""

from __future__ import annotations

import pytest

from core.errors import ValidationError
from core.portal_settings import update_settings
from core.ticket_form import active_fields, form_fields, validate_custom_fields

FORM = [
    {"name": "environment", "label": "Environment", "type": "choice", "choices": ["cloud", "on_prem"], "required": True},
    # Only asked for on-prem installs, and then required.
    {"name": "version", "label": "Version", "type": "text", "required": True,
     "show_when": {"field": "environment", "equals": "on_prem"}},
    {"name": "seats", "label": "Seats", "type": "number"},
    {"name": "urgent", "label": "Urgent?", "type": "boolean"},
    {"name": "reason", "label": "Why urgent", "type": "textarea", "required": True,
     "show_when": {"field": "urgent", "equals": "true"}},
]


@pytest.fixture
def form_workspace(workspace):
    update_settings(workspace, {"ticket_form": {"fields": FORM}})
    return workspace


def errors_of(workspace, values) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        validate_custom_fields(workspace, values)
    return caught.value.fields


def test_form_fields_come_from_portal_settings(form_workspace):
    assert [f["name"] for f in form_fields(form_workspace)] == ["environment", "version", "seats", "urgent", "reason"]


def test_empty_form_accepts_nothing_but_empty(workspace):
    assert validate_custom_fields(workspace, {}) == {}
    assert errors_of(workspace, {"color": "red"}) == {"custom_fields.color": ["Unknown field."]}


def test_coercion_of_numbers_booleans_and_choices(form_workspace):
    cleaned = validate_custom_fields(form_workspace, {"environment": "cloud", "seats": "12", "urgent": "off"})
    assert cleaned == {"environment": "cloud", "seats": 12, "urgent": False}
    assert validate_custom_fields(form_workspace, {"environment": "cloud", "seats": 12.5})["seats"] == 12.5
    assert validate_custom_fields(form_workspace, {"environment": "cloud", "urgent": "on", "reason": "x"})["urgent"] is True
    assert validate_custom_fields(form_workspace, {"environment": "cloud", "urgent": True, "reason": "x"})["urgent"] is True


@pytest.mark.parametrize(
    ("values", "field", "message_part"),
    [
        ({"environment": "mars"}, "environment", "Choose one of: cloud, on_prem"),
        ({"environment": "cloud", "seats": "twelve"}, "seats", "Enter a number"),
        ({"environment": "cloud", "seats": True}, "seats", "Enter a number"),
        ({"environment": "cloud", "urgent": "maybe"}, "urgent", "true or false"),
        ({"environment": "on_prem", "version": "x" * 2001}, "version", "at most 2000"),
        ({"environment": "on_prem", "version": ["1"]}, "version", "Enter text"),
    ],
)
def test_wrong_values_are_field_errors(form_workspace, values, field, message_part):
    errors = errors_of(form_workspace, values)
    assert list(errors) == [f"custom_fields.{field}"]
    assert message_part in errors[f"custom_fields.{field}"][0]


def test_required_field_missing_or_blank(form_workspace):
    assert errors_of(form_workspace, {}) == {"custom_fields.environment": ["This field is required."]}
    assert errors_of(form_workspace, {"environment": "  "}) == {"custom_fields.environment": ["This field is required."]}


def test_inactive_dependent_field_is_dropped_and_not_required(form_workspace):
    # environment=cloud: "version" is inactive, so its value is dropped and its `required` ignored.
    cleaned = validate_custom_fields(form_workspace, {"environment": "cloud", "version": "7.2"})
    assert cleaned == {"environment": "cloud"}
    assert validate_custom_fields(form_workspace, {"environment": "cloud"}) == {"environment": "cloud"}


def test_active_dependent_field_is_required(form_workspace):
    assert errors_of(form_workspace, {"environment": "on_prem"}) == {"custom_fields.version": ["This field is required."]}
    cleaned = validate_custom_fields(form_workspace, {"environment": "on_prem", "version": "7.2"})
    assert cleaned == {"environment": "on_prem", "version": "7.2"}


def test_dependency_compares_the_coerced_value(form_workspace):
    # "on" coerces to True, compared as "true" with show_when.equals.
    assert errors_of(form_workspace, {"environment": "cloud", "urgent": "on"}) == {
        "custom_fields.reason": ["This field is required."]
    }
    cleaned = validate_custom_fields(form_workspace, {"environment": "cloud", "urgent": "false", "reason": "dropped"})
    assert "reason" not in cleaned


def test_all_errors_reported_together(form_workspace):
    errors = errors_of(form_workspace, {"environment": "on_prem", "seats": "x", "nope": 1})
    assert set(errors) == {"custom_fields.version", "custom_fields.seats", "custom_fields.nope"}


def test_non_mapping_is_a_field_error(form_workspace):
    assert "custom_fields" in errors_of(form_workspace, ["environment"])  # type: ignore[arg-type]


def test_active_fields_follow_the_values(form_workspace):
    assert [f["name"] for f in active_fields(form_workspace, {"environment": "cloud"})] == [
        "environment", "seats", "urgent",
    ]
    assert [f["name"] for f in active_fields(form_workspace, {"environment": "on_prem", "urgent": True})] == [
        "environment", "version", "seats", "urgent", "reason",
    ]
    # An invalid controlling value leaves its dependants inactive instead of raising.
    assert "version" not in [f["name"] for f in active_fields(form_workspace, {"environment": 5})]
