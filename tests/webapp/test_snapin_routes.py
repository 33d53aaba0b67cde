"""Routes declared by snap-ins (hook ``snapdesk_routes``): mounted per workspace, access enforced."""

from __future__ import annotations

import pytest

from core.db import commit
from hooks import Route, RouteResponse, Snapin, hookimpl


def whoami(context, request):
    viewer = request.viewer
    who = viewer.contact.email if viewer.contact else viewer.user.email if viewer.user else "anonymous"
    return RouteResponse(body=f"{context.workspace.slug}:{who}", content_type="text/plain")


def broken(context, request):
    raise RuntimeError("bug in a snap-in view")


class Pages(Snapin):
    title = "Pages"

    @hookimpl
    def snapdesk_routes(self):
        return [
            Route("/public", whoami, "public", access="public"),
            Route("/mine", whoami, "mine", access="contact"),
            Route("/agents", whoami, "agents", access="agent"),
            Route("/admins", whoami, "admins", access="admin"),
            Route("/broken", broken, "broken", access="public"),
        ]


@pytest.fixture
def desk(make_app, enable_snapin):
    from core.people import create_contact, create_user
    from core.workspaces import create_workspace

    app = make_app(snapins={"pages": Pages})
    one = create_workspace(slug="one", name="One", admin_email="admin@one.test")
    two = create_workspace(slug="two", name="Two")
    agent = create_user(one, email="agent@one.test")
    contact = create_contact(one, email="jo@x.test", verified=True)
    commit()
    enable_snapin(one, "pages")
    return app, one, two, agent, contact


def test_routes_answer_only_where_the_snapin_is_enabled(desk):
    app, one, two, *_ = desk
    client = app.test_client()
    assert client.get("/one/snapins/pages/public").get_data(as_text=True) == "one:anonymous"
    assert client.get("/two/snapins/pages/public").status_code == 404
    assert client.get("/nowhere/snapins/pages/public").status_code == 404


def test_access_levels(desk, sign_in):
    from core.people import find_user_by_email

    app, one, _, agent, contact = desk
    anonymous = app.test_client()
    response = anonymous.get("/one/snapins/pages/mine")
    assert response.status_code == 302 and "/one/login?next=" in response.headers["Location"]
    assert anonymous.get("/one/snapins/pages/agents").status_code == 403

    customer = app.test_client()
    sign_in(customer, one, contact=contact)
    assert customer.get("/one/snapins/pages/mine").get_data(as_text=True) == "one:jo@x.test"
    assert customer.get("/one/snapins/pages/agents").status_code == 403

    staff = app.test_client()
    sign_in(staff, one, user=agent)
    assert staff.get("/one/snapins/pages/agents").get_data(as_text=True) == "one:agent@one.test"
    assert staff.get("/one/snapins/pages/admins").status_code == 403
    sign_in(staff, one, user=find_user_by_email(one.id, "admin@one.test"))
    assert staff.get("/one/snapins/pages/admins").status_code == 200


def test_a_signed_in_customer_of_another_workspace_is_anonymous_here(desk, sign_in):
    from core.people import create_contact

    app, one, two, _, _ = desk
    outsider = create_contact(two, email="jo@x.test", verified=True)
    commit()
    client = app.test_client()
    sign_in(client, two, contact=outsider)
    assert client.get("/one/snapins/pages/public").get_data(as_text=True) == "one:anonymous"


def test_urls_of_snapin_routes_are_built_by_the_context(desk):
    from core.runtime import get_runtime
    from core.snapins.admin import get_setting

    _, one, *_ = desk
    context = get_runtime().dispatcher.make_context(one, get_setting(one, "pages"))
    assert context.urls.snapin_route("public") == "http://portal.test/one/snapins/pages/public"


def test_a_crashing_view_answers_503_and_is_counted(desk):
    from core.snapins.admin import get_setting

    app, one, *_ = desk
    response = app.test_client().get("/one/snapins/pages/broken")
    assert response.status_code == 503
    assert "failed; the admin has been told" in response.get_data(as_text=True)
    assert get_setting(one, "pages").failure_count == 1


class Poster(Snapin):
    title = "Poster"

    @hookimpl
    def snapdesk_routes(self):
        return [
            Route("/form", lambda context, request: RouteResponse(body=request.csrf_token), "form", ("GET",)),
            Route("/act", lambda context, request: RouteResponse(body="done"), "act", ("POST",)),
        ]


def test_snapin_post_routes_need_the_csrf_token_which_views_receive(make_app, enable_snapin):
    from core.workspaces import create_workspace

    app = make_app(snapins={"poster": Poster}, WTF_CSRF_ENABLED=True)
    workspace = create_workspace(slug="one", name="One")
    commit()
    enable_snapin(workspace, "poster")
    client = app.test_client()
    assert client.post("/one/snapins/poster/act").status_code == 400  # forged from another site
    token = client.get("/one/snapins/poster/form").get_data(as_text=True)
    assert token
    assert client.post("/one/snapins/poster/act", data={"csrf_token": token}).get_data(as_text=True) == "done"
