"""Admin endpoints: snap-ins (secrets never echoed) and portal settings."""

from __future__ import annotations

W = "/workspaces/acme"


def test_snapin_enable_configure_disable_never_echoes_secrets(admin_api, workspace):
    listed = admin_api.get(f"{W}/snapins").json
    assert [(s["id"], s["status"]) for s in listed["items"]] == [("greeter", "disabled")]

    enabled = admin_api.post(f"{W}/snapins/greeter/enable",
                             {"config": {"greeting": "hey", "api_key": "s3cret-value"}, "priority": 5})
    assert enabled.status_code == 200, enabled.json
    assert enabled.json["status"] == "enabled" and enabled.json["priority"] == 5
    assert enabled.json["config"] == {"greeting": "hey", "api_key": "********"}
    assert "s3cret-value" not in admin_api.get(f"{W}/snapins").get_data(as_text=True)

    # Leaving the secret out keeps it (the admin page's rule).
    configured = admin_api.put(f"{W}/snapins/greeter/config", {"config": {"greeting": "yo"}})
    assert configured.status_code == 200 and configured.json["config"]["api_key"] == "********"
    from core.snapins.admin import get_setting

    assert get_setting(workspace, "greeter").config["api_key"] == "s3cret-value"

    bad = admin_api.put(f"{W}/snapins/greeter/config", {"config": {"colour": "red"}})
    assert bad.status_code == 422 and "colour" in bad.json["error"]["fields"]

    disabled = admin_api.post(f"{W}/snapins/greeter/disable")
    assert disabled.status_code == 200 and disabled.json["status"] == "disabled"
    assert admin_api.post(f"{W}/snapins/nope/enable").status_code == 404


def test_portal_settings_get_and_patch(admin_api, workspace):
    settings = admin_api.get(f"{W}/portal-settings").json
    assert settings["features"]["tickets"] is True
    assert "app_token_secret" not in str(settings)
    patched = admin_api.patch(f"{W}/portal-settings", {"features": {"tickets": False},
                                                       "appearance": {"accent_color": "#112233"}})
    assert patched.status_code == 200
    assert patched.json["features"]["tickets"] is False and patched.json["appearance"]["accent_color"] == "#112233"
    assert admin_api.get(f"{W}/portal-settings").json["features"]["tickets"] is False
    bad = admin_api.patch(f"{W}/portal-settings", {"appearance": {"accent_color": "blue"}, "features": {"x": 1}})
    assert bad.status_code == 422
    assert {"appearance.accent_color", "features.x"} <= set(bad.json["error"]["fields"])
    unknown = admin_api.patch(f"{W}/portal-settings", {"secrets": {}})
    assert unknown.status_code == 422 and "secrets" in unknown.json["error"]["fields"]
