"""Knowledge-base articles: CRUD, publish (optionally notifying subscribers), unpublish, search."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core import articles as service
from core.db import commit
from core.models import Article, Contact, User, Workspace
from core.search import search_articles
from webapp.api.routing import api_route
from webapp.api.schemas.articles import (
    ArticleCreateSchema,
    ArticleQuerySchema,
    ArticleSchema,
    ArticleUpdateSchema,
    PublishRequestSchema,
    SearchQuerySchema,
    SearchResultsSchema,
)
from webapp.api.schemas.common import page_of
from webapp.api.views.common import ID, WS, paged, referenced

ONE = f"{WS}/articles/<{ID}:article_id>"


@api_route(f"{WS}/articles", "GET", tag="articles", query=ArticleQuerySchema, response=page_of(ArticleSchema))
def list_articles(*, workspace: Workspace, user: User, query: dict[str, Any]) -> dict[str, Any]:
    """List articles (drafts included), most recently updated first."""
    rows = select(Article).where(Article.workspace_id == workspace.id)
    if "status" in query:
        rows = rows.where(Article.status == query["status"])
    if "locale" in query:
        rows = rows.where(Article.locale == (service.normalize_locale(query["locale"]) or query["locale"]))
    if "collection_id" in query:
        rows = rows.where(Article.collection_id == query["collection_id"])
    return paged(rows.order_by(Article.updated_at.desc(), Article.id.desc()), query)


@api_route(f"{WS}/articles/search", "GET", tag="articles", query=SearchQuerySchema, response=SearchResultsSchema)
def search(*, workspace: Workspace, user: User, query: dict[str, Any]) -> dict[str, Any]:
    """Search published articles as a reader would find them (anonymous, or as ``contact_id``)."""
    contact = referenced(Contact, workspace, query.get("contact_id"), "contact_id")
    hits = search_articles(workspace, query["q"], contact=contact, locale=query.get("locale"), limit=query["limit"])
    return {"items": hits, "q": query["q"]}


@api_route(f"{WS}/articles", "POST", tag="articles", body=ArticleCreateSchema, response=ArticleSchema, status=201)
def create_article(*, workspace: Workspace, user: User, body: dict[str, Any]) -> Article:
    """Create a draft: native (``body``) or linked (``external_url``), exactly one of the two."""
    article = service.create_article(workspace, author=user, **body)
    commit()
    return article


@api_route(ONE, "GET", tag="articles", response=ArticleSchema)
def get_article(*, workspace: Workspace, user: User, article_id: int) -> Article:
    """Read one article (draft or published)."""
    return service.get_article(workspace, article_id)


@api_route(ONE, "PATCH", tag="articles", body=ArticleUpdateSchema, response=ArticleSchema)
def update_article(*, workspace: Workspace, user: User, article_id: int, body: dict[str, Any]) -> Article:
    """Change an article; the status stays (publish and unpublish have their own endpoints)."""
    article = service.get_article(workspace, article_id)
    service.update_article(workspace, article, **body)
    commit()
    return article


@api_route(ONE, "DELETE", tag="articles", status=204)
def delete_article(*, workspace: Workspace, user: User, article_id: int) -> None:
    """Delete an article (its translations stay, as articles of their own)."""
    service.delete_article(workspace, service.get_article(workspace, article_id))
    commit()


@api_route(f"{ONE}/publish", "POST", tag="articles", body=PublishRequestSchema, body_optional=True,
           response=ArticleSchema)
def publish_article(*, workspace: Workspace, user: User, article_id: int, body: dict[str, Any]) -> Article:
    """Publish (or re-publish); ``notify`` tells subscribers, with the optional ``comment``."""
    article = service.get_article(workspace, article_id)
    service.publish_article(workspace, article, notify=body["notify"], comment=body["comment"])
    commit()
    return article


@api_route(f"{ONE}/unpublish", "POST", tag="articles", response=ArticleSchema)
def unpublish_article(*, workspace: Workspace, user: User, article_id: int) -> Article:
    """Back to draft: readers no longer see it."""
    article = service.get_article(workspace, article_id)
    service.unpublish_article(workspace, article)
    commit()
    return article
