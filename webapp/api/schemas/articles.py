"""Knowledge-base articles and their search."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.articles import BODY_FORMATS, MAX_COMMENT, MAX_DESCRIPTION, MAX_TITLE, MAX_URL, STATUSES, VISIBLE_TO
from core.search import MAX_LIMIT as MAX_SEARCH_LIMIT
from webapp.api.schemas.common import Choice, Id, PageQuerySchema, QueryId, Text


#: Longest article body (characters).
MAX_ARTICLE = 1_000_000


class ArticleSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String(metadata={"description": "The SEO meta description."})
    body = fields.String(attribute="body_source", metadata={"description": "What the author wrote."})
    body_format = fields.String(metadata={"enum": list(BODY_FORMATS)})
    body_html = fields.String(metadata={"description": "The sanitized HTML readers see."})
    external_url = fields.String(allow_none=True, metadata={"description": "Set for linked articles."})
    status = fields.String(metadata={"enum": list(STATUSES)})
    visible_to = fields.String(metadata={"enum": list(VISIBLE_TO)})
    locale = fields.String()
    collection_id = fields.Integer(allow_none=True)
    translation_of_id = fields.Integer(allow_none=True)
    author_user_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    published_at = fields.DateTime(allow_none=True)


class ArticleCreateSchema(Schema):
    title = Text(MAX_TITLE, min_length=1, required=True)
    description = Text(MAX_DESCRIPTION, load_default="")
    body = Text(MAX_ARTICLE, allow_none=True, load_default=None, metadata={"description": "HTML or Markdown."})
    body_format = Choice(BODY_FORMATS, load_default="html")
    external_url = Text(MAX_URL, allow_none=True, load_default=None,
                        metadata={"description": "A linked article: readers open this URL."})
    visible_to = Choice(VISIBLE_TO, load_default="all")
    locale = Text(16, min_length=2, load_default="en")
    collection_id = Id(allow_none=True, load_default=None)
    translation_of_id = Id(allow_none=True, load_default=None)


class ArticleUpdateSchema(Schema):
    title = Text(MAX_TITLE, min_length=1)
    description = Text(MAX_DESCRIPTION)
    body = Text(MAX_ARTICLE, allow_none=True)
    body_format = Choice(BODY_FORMATS)
    external_url = Text(MAX_URL, allow_none=True)
    visible_to = Choice(VISIBLE_TO)
    locale = Text(16, min_length=2)
    collection_id = Id(allow_none=True)
    translation_of_id = Id(allow_none=True)


class ArticleQuerySchema(PageQuerySchema):
    status = Choice(STATUSES)
    locale = Text(16)
    collection_id = QueryId()


class PublishRequestSchema(Schema):
    notify = fields.Boolean(load_default=False, metadata={"description": "Tell the article's subscribers."})
    comment = Text(MAX_COMMENT, allow_none=True, load_default=None, metadata={"description": "Sent with the notice."})


class SearchQuerySchema(Schema):
    q = Text(200, min_length=1, required=True)
    locale = Text(16)
    contact_id = QueryId(metadata={"description": "Search as this contact would (default: an anonymous reader)."})
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=MAX_SEARCH_LIMIT))


class ArticleSummarySchema(Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    locale = fields.String()
    external_url = fields.String(allow_none=True)
    published_at = fields.DateTime(allow_none=True)


class SearchHitSchema(Schema):
    article = fields.Nested(ArticleSummarySchema)
    score = fields.Float()
    title_html = fields.String()
    snippet_html = fields.String()


class SearchResultsSchema(Schema):
    items = fields.List(fields.Nested(SearchHitSchema), required=True)
    q = fields.String(required=True)
