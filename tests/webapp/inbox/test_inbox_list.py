"""The inbox list: who may open it, stage tabs with counts, filters, sorting, the live summary."""

from __future__ import annotations

import re

from core import conversations
from core.db import commit
from core.stages import Stage


def row_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-conversation-id="(\d+)"', response.get_data(as_text=True))]


def test_anonymous_is_sent_to_the_sign_in_page(client, desk):
    response = client.get("/inbox/acme/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/inbox/acme/login?next=")


def test_a_signed_in_customer_cannot_open_the_inbox(client, desk, sign_in):
    sign_in(client, desk.workspace, contact=desk.customer)
    response = client.get("/inbox/acme/")
    assert response.status_code == 302
    assert "/inbox/acme/login" in response.headers["Location"]


def test_an_agent_of_another_workspace_is_not_signed_in_here(client, desk, other_desk, sign_in):
    sign_in(client, other_desk.workspace, user=other_desk.agent)
    assert client.get("/inbox/acme/").status_code == 302
    assert client.get("/inbox/globex/").status_code == 200


def test_the_inbox_lists_open_conversations_with_counts_per_stage(agent_client, desk):
    new = desk.start("The export button does nothing", title="Export broken")
    waiting = desk.in_stage(Stage.WAITING_ON_USER)
    spam = desk.in_stage(Stage.SUSPENDED)
    page = agent_client.get("/inbox/acme/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert set(row_ids(page)) == {new.id, waiting.id}  # suspended is hidden by default
    assert "Export broken" in html and "Carol Customer" in html and "Acme Customer Co" in html
    assert re.search(r'data-count-for="new">1<', html)
    assert re.search(r'data-count-for="suspended">1<', html)
    assert re.search(r'data-count-for="">2<', html)  # "All open"
    suspended = agent_client.get("/inbox/acme/?stage=suspended")
    assert row_ids(suspended) == [spam.id]


def test_reply_button_only_on_conversations_that_need_a_response(agent_client, desk):
    new = desk.start()
    needs = desk.in_stage(Stage.NEEDS_RESPONSE)
    waiting = desk.in_stage(Stage.WAITING_ON_USER)
    html = agent_client.get("/inbox/acme/").get_data(as_text=True)
    for conversation, expected in ((new, True), (needs, True), (waiting, False)):
        row = re.search(rf'data-conversation-id="{conversation.id}".*?</tr>', html, re.S).group(0)
        assert (f'/conversations/{conversation.id}#reply">Reply</a>' in row) is expected


def test_filters_owner_mine_unassigned_tag_priority_channel_account(agent_client, desk):
    mine = desk.start("one")  # routed to the account's default owner: the agent
    loose = desk.start("two")
    conversations.assign(desk.workspace, loose, None)
    conversations.set_tag(desk.workspace, loose, "blocked")
    conversations.set_priority(desk.workspace, loose, "p0")
    commit()
    by_email = desk.start("three", channel="email")
    assert set(row_ids(agent_client.get("/inbox/acme/?owner=mine"))) == {mine.id, by_email.id}
    assert row_ids(agent_client.get("/inbox/acme/?owner=unassigned")) == [loose.id]
    assert row_ids(agent_client.get(f"/inbox/acme/?owner={desk.admin.id}")) == []
    assert row_ids(agent_client.get("/inbox/acme/?tag=blocked")) == [loose.id]
    assert row_ids(agent_client.get("/inbox/acme/?priority=p0")) == [loose.id]
    assert row_ids(agent_client.get("/inbox/acme/?channel=email")) == [by_email.id]
    assert set(row_ids(agent_client.get(f"/inbox/acme/?account={desk.account.id}"))) == {mine.id, loose.id, by_email.id}
    assert row_ids(agent_client.get("/inbox/acme/?sort=oldest")) == [mine.id, loose.id, by_email.id]
    assert row_ids(agent_client.get("/inbox/acme/?sort=newest")) == [by_email.id, loose.id, mine.id]
    assert row_ids(agent_client.get("/inbox/acme/?sort=priority"))[0] == loose.id


def test_bad_filter_values_show_a_message_not_an_error(agent_client, desk):
    desk.start()
    response = agent_client.get("/inbox/acme/?stage=bogus&priority=p9&tag=nope&account=x&sort=sideways")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Some filters were not understood" in html
    assert "Unknown stage" in html and "Unknown priority" in html
    assert row_ids(response) == []


def test_other_workspaces_conversations_never_show(agent_client, desk, other_desk):
    theirs = other_desk.start("Globex secret problem")
    ours = desk.start("Acme problem")
    html = agent_client.get("/inbox/acme/?stage=new").get_data(as_text=True)
    assert row_ids(agent_client.get("/inbox/acme/?stage=new")) == [ours.id]
    assert "Globex secret problem" not in html
    assert agent_client.get(f"/inbox/acme/conversations/{theirs.id}/summary").status_code == 404


def test_summary_gives_a_row_whether_it_matches_and_the_counts(agent_client, desk):
    conversation = desk.start("Cannot log in", title="Login")
    body = agent_client.get(f"/inbox/acme/conversations/{conversation.id}/summary?stage=new").get_json()
    assert body["matches"] is True
    assert body["row"]["title"] == "Login" and body["row"]["contact"] == "Carol Customer"
    assert body["row"]["needs_reply"] is True
    assert body["counts"]["new"] == 1 and body["counts"][""] == 1
    other = agent_client.get(f"/inbox/acme/conversations/{conversation.id}/summary?stage=resolved").get_json()
    assert other["matches"] is False
    unassigned = agent_client.get(f"/inbox/acme/conversations/{conversation.id}/summary?owner=unassigned").get_json()
    assert unassigned["matches"] is False
