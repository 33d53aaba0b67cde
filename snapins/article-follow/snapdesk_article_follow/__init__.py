"""Article follow: signed-in customers subscribe to native articles; "Publish & Notify" emails them.

Subscribers live in the snap-in's store, collection ``subscribers:<article id>``, key = contact id.
Every notification mail carries an idempotency key made of the event id and the contact id, so a
retried job never mails anyone twice. The portal's "Subscribe to article updates" switch
(feature ``article_subscriptions``) must be on as well.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone

from hooks import (
    Context,
    NotFoundError,
    PageAction,
    Route,
    RouteRequest,
    RouteResponse,
    Snapin,
    hookimpl,
)
from hooks.types import ArticleInfo, TicketInfo, Viewer

SWITCH = "article_subscriptions"
SENDER_NAME = "Article Subscriber bot"


def _collection(article_id: int) -> str:
    return f"subscribers:{article_id}"


def is_subscribed(context: Context, article_id: int, contact_id: int) -> bool:
    return context.store.get(_collection(article_id), str(contact_id)) is not None


def subscribe(context: Context, article_id: int, contact_id: int) -> None:
    context.store.put(
        _collection(article_id), str(contact_id), {"since": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    )


def unsubscribe(context: Context, article_id: int, contact_id: int) -> bool:
    return context.store.delete(_collection(article_id), str(contact_id))


def subscriber_ids(context: Context, article_id: int) -> list[int]:
    return [int(key) for key, _ in context.store.items(_collection(article_id))]


def _followable(context: Context, article_id: int, contact_id: int | None) -> ArticleInfo | None:
    if not context.features.get(SWITCH):
        return None
    try:
        article = context.articles.get(article_id)
    except NotFoundError:
        return None
    if not article.is_native or not context.articles.viewable_by(article_id, contact_id):
        return None
    return article


# -- routes ---------------------------------------------------------------------------------------


def subscribe_view(context: Context, request: RouteRequest, article_id: int) -> RouteResponse:
    """GET (coming back from sign-in) or POST: subscribe the signed-in customer, back to the article."""
    contact = request.viewer.contact
    if contact is None:  # an agent: nothing to subscribe
        return RouteResponse(body="Only customers can subscribe.", status=403, content_type="text/plain; charset=utf-8")
    article = _followable(context, article_id, contact.id)
    if article is None:
        return RouteResponse(body="This article cannot be followed.", status=404, content_type="text/plain; charset=utf-8")
    subscribe(context, article_id, contact.id)
    return RouteResponse(redirect_to=f"{article.url}?subscribed=1")


def unsubscribe_view(context: Context, request: RouteRequest, article_id: int) -> RouteResponse:
    contact = request.viewer.contact
    if contact is None:
        return RouteResponse(body="Only customers can unsubscribe.", status=403, content_type="text/plain; charset=utf-8")
    unsubscribe(context, article_id, contact.id)
    try:
        url = context.articles.get(article_id).url
    except NotFoundError:
        url = context.urls.portal()
    return RouteResponse(redirect_to=f"{url}?unsubscribed=1")


def subscribers_view(context: Context, request: RouteRequest, article_id: int) -> RouteResponse:
    """For agents: who follows the article (HTML, or JSON with ?format=json)."""
    try:
        article = context.articles.get(article_id)
    except NotFoundError:
        return RouteResponse(body="No such article.", status=404, content_type="text/plain; charset=utf-8")
    people = []
    for contact_id in subscriber_ids(context, article_id):
        try:
            people.append(context.contacts.get(contact_id))
        except NotFoundError:
            continue
    if request.args.get("format") == "json":
        import json

        body = json.dumps({"article_id": article_id, "subscribers": [{"id": c.id, "email": c.email, "name": c.name} for c in people]})
        return RouteResponse(body=body, content_type="application/json")
    rows = "".join(f"<li>{html.escape(c.name or '')} &lt;{html.escape(c.email or '')}&gt;</li>" for c in people)
    body = (
        f"<!doctype html><meta charset=utf-8><title>Subscribers – {html.escape(article.title)}</title>"
        f"<h1>Subscribers of “{html.escape(article.title)}”</h1><p>{len(people)} subscriber(s)</p><ul>{rows}</ul>"
    )
    return RouteResponse(body=body)


# -- the snap-in ----------------------------------------------------------------------------------


class ArticleFollow(Snapin):
    title = "Article follow"
    description = "Customers subscribe to knowledge-base articles; “Publish & Notify” emails every subscriber once."
    author = "snapdesk"
    compatibility = "snapdesk>=0.1,<1"

    @hookimpl
    def snapdesk_routes(self) -> list[Route]:
        return [
            Route("/articles/<int:article_id>/subscribe", subscribe_view, "subscribe", ("GET", "POST"), access="contact"),
            Route("/articles/<int:article_id>/unsubscribe", unsubscribe_view, "unsubscribe", ("POST",), access="contact"),
            Route("/articles/<int:article_id>/subscribers", subscribers_view, "subscribers", ("GET",), access="agent"),
        ]

    @hookimpl
    def snapdesk_page_actions(
        self, context: Context, page: str, subject: ArticleInfo | TicketInfo, viewer: Viewer
    ) -> list[PageAction]:
        if page != "article" or not isinstance(subject, ArticleInfo) or not subject.is_native:
            return []
        if not context.features.get(SWITCH):
            return []
        if viewer.kind == "agent":
            count = len(subscriber_ids(context, subject.id))
            url = context.urls.snapin_route("subscribers", article_id=subject.id)
            return [PageAction(id="subscribers", label=f"Subscribers ({count})", url=url, icon="users")]
        if viewer.contact is not None and is_subscribed(context, subject.id, viewer.contact.id):
            url = context.urls.snapin_route("unsubscribe", article_id=subject.id)
            return [PageAction(id="unsubscribe", label="Unsubscribe", url=url, method="POST", icon="bell-off", active=True)]
        url = context.urls.snapin_route("subscribe", article_id=subject.id)
        # Signed out: a link, so the sign-in page can bring the customer back here to subscribe.
        method = "POST" if viewer.contact is not None else "GET"
        return [PageAction(id="subscribe", label="Subscribe", url=url, method=method, icon="bell")]

    @hookimpl
    def snapdesk_article_published(
        self, context: Context, article: ArticleInfo, notify: bool, comment: str | None, event_id: str
    ) -> None:
        if not notify or not article.is_native or not context.features.get(SWITCH):
            return
        company = context.workspace.company_name
        subject = f"[{company}] Update on Article – {article.title}"
        sent = 0
        for contact_id in subscriber_ids(context, article.id):
            try:
                contact = context.contacts.get(contact_id)
            except NotFoundError:
                continue
            # Visibility may have changed since they subscribed: never mail what they cannot read.
            if not contact.email or not context.articles.viewable_by(article.id, contact_id):
                continue
            text, body_html = notification_body(article, comment, company)
            if context.mail.send(
                to=contact.email,
                subject=subject,
                text=text,
                html=body_html,
                sender_name=SENDER_NAME,
                idempotency_key=f"{event_id}:{contact_id}",
            ):
                sent += 1
        context.log.info("notified %s subscriber(s) of article %s", sent, article.id)


def notification_body(article: ArticleInfo, comment: str | None, company: str) -> tuple[str, str]:
    note = (comment or "").strip()
    text = f"The article “{article.title}” was updated.\n\n"
    if note:
        text += f"{note}\n\n"
    text += f"View: {article.url}\n\nYou receive this because you subscribed to this article on the {company} help center."
    esc = html.escape
    comment_html = f'<p style="white-space:pre-wrap">{esc(note)}</p>' if note else ""
    body_html = (
        f'<div style="font-family:system-ui,sans-serif;max-width:560px">'
        f"<p>The article <strong>{esc(article.title)}</strong> was updated.</p>{comment_html}"
        f'<p><a href="{esc(article.url)}" style="display:inline-block;padding:10px 18px;background:#4f46e5;'
        f'color:#fff;border-radius:6px;text-decoration:none">View</a></p>'
        f'<p style="color:#666;font-size:12px">You receive this because you subscribed to this article on the '
        f"{esc(company)} help center.</p></div>"
    )
    return text, body_html
