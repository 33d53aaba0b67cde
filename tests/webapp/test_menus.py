"""Links from the hook ``snapdesk_menu_items`` appear in the portal header and the agents' navigation."""

from __future__ import annotations

from core.db import commit
from hooks import MenuItem, Snapin, hookimpl


class StatusLink(Snapin):
    title = "Status link"

    @hookimpl
    def snapdesk_menu_items(self, context, area, viewer):
        if area == "portal_header":
            return [MenuItem(label="System status", url="https://status.example.com")]
        if area == "inbox_sidebar" and viewer.kind == "agent":
            return [MenuItem(label="On-call rota", url="https://oncall.example.com")]
        return []


def test_menu_items_render_where_the_snapin_is_enabled(make_app, enable_snapin, sign_in):
    from core.people import create_user
    from core.workspaces import create_workspace

    app = make_app(snapins={"status-link": StatusLink})
    one = create_workspace(slug="one", name="One")
    two = create_workspace(slug="two", name="Two")
    agent = create_user(one, email="agent@one.test", password="agent-pass-1")
    commit()
    client = app.test_client()
    assert "System status" not in client.get("/one/").get_data(as_text=True)
    enable_snapin(one, "status-link")
    assert "System status" in client.get("/one/").get_data(as_text=True)
    assert "System status" not in client.get("/two/").get_data(as_text=True)
    sign_in(client, one, user=agent)
    page = client.get("/inbox/one/").get_data(as_text=True)
    assert "On-call rota" in page and "System status" not in page
