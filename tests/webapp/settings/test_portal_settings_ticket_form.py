"""Settings > Portal > Ticket form: custom and dependent fields, ordering, removal, inline errors."""

from __future__ import annotations

from core.db import db
from core.portal_settings import get_settings

PAGE = "/settings/acme/portal/ticket-form"


def _fields(workspace):
    db.session.rollback()
    return get_settings(workspace)["ticket_form"]["fields"]


def _row(i, **values):
    return {f"fields-{i}-{key}": value for key, value in values.items()}


def test_page_has_an_empty_row(admin_client, workspace):
    html = admin_client.get(PAGE).get_data(as_text=True)
    assert 'name="fields-0-name"' in html and 'name="fields-0-show_when_field"' in html
    assert "data-add-row" in html and '<template data-row-template>' in html


def test_fields_with_a_dependent_field_are_saved_in_position_order(admin_client, workspace):
    form = {
        **_row(0, name="os", label="Operating system", type="choice", choices="Linux\nmacOS\r\nWindows", position="2",
               required="on"),
        **_row(1, name="product", label="Product", type="choice", choices="Cloud\nOn-prem", position="1"),
        **_row(2, name="region", label="Region", type="text", show_when_field="product", show_when_equals="Cloud",
               required="on", position="3"),
        **_row(3, name="", label="", type="text", position="4"),  # the blank row is ignored
    }
    response = admin_client.post(PAGE, data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    fields = _fields(workspace)
    assert [f["name"] for f in fields] == ["product", "os", "region"]
    assert fields[1]["choices"] == ["Linux", "macOS", "Windows"] and fields[1]["required"] is True
    assert fields[2]["show_when"] == {"field": "product", "equals": "Cloud"}
    assert fields[0]["show_when"] is None and fields[0]["required"] is False
    html = admin_client.get(PAGE).get_data(as_text=True)
    assert 'value="region"' in html and "Cloud" in html


def test_remove_on_save(admin_client, workspace):
    admin_client.post(PAGE, data={**_row(0, name="a", label="A", type="text"), **_row(1, name="b", label="B", type="text")})
    admin_client.post(PAGE, data={**_row(0, name="a", label="A", type="text", remove="on"),
                                  **_row(1, name="b", label="B", type="text")})
    assert [f["name"] for f in _fields(workspace)] == ["b"]


def test_errors_are_shown_beside_the_row_and_nothing_is_stored(admin_client, workspace):
    admin_client.post(PAGE, data=_row(0, name="keep", label="Keep", type="text"))
    response = admin_client.post(PAGE, data={**_row(0, name="Bad Name", label="Bad", type="text"),
                                            **_row(1, name="ok", label="", type="text")})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Use lowercase letters, digits and _." in html
    assert "Length must be between 1 and 100." in html
    assert 'value="Bad Name"' in html  # input kept
    # Rules across fields come once every field is well formed.
    form = {
        **_row(0, name="kind", label="Kind", type="choice", choices=""),
        **_row(1, name="later", label="Later", type="text", show_when_field="nowhere", show_when_equals="x"),
        **_row(2, name="kind", label="Kind again", type="text"),
    }
    response = admin_client.post(PAGE, data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "A choice field needs at least one choice." in html
    assert "A dependent field must depend on a field defined before it." in html
    assert "The field name &#39;kind&#39; is used twice." in html
    assert [f["name"] for f in _fields(workspace)] == ["keep"]


def test_unknown_type_is_an_error_not_a_crash(admin_client, workspace):
    response = admin_client.post(PAGE, data=_row(0, name="x", label="X", type="<script>"))
    assert response.status_code == 422
    assert "Must be one of" in response.get_data(as_text=True)
