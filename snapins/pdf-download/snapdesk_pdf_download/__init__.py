"""PDF download: a "Download as PDF" action on native knowledge-base articles.

Offered on article pages (hook ``snapdesk_page_actions``) when the portal's PDF switch is on;
served by the snap-in's own route. Linked (external) articles get no PDF. The PDF is rendered by
WeasyPrint (:mod:`.render`) without any network access.
"""

from __future__ import annotations

import re
import unicodedata

from hooks import Context, NotFoundError, PageAction, Route, RouteRequest, RouteResponse, Snapin, hookimpl
from hooks.types import ArticleInfo, TicketInfo, Viewer

PDF_SWITCH = "pdf_export"


def _filename(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()
    return f"{slug or 'article'}.pdf"


def download(context: Context, request: RouteRequest, article_id: int) -> RouteResponse:
    """Route view: the article as a PDF, for whoever may read it on the portal."""
    not_found = RouteResponse(body="No PDF for this article.", status=404, content_type="text/plain; charset=utf-8")
    if not context.features.get(PDF_SWITCH):
        return not_found
    try:
        article = context.articles.get(article_id)
    except NotFoundError:
        return not_found
    if not article.is_native:
        return not_found
    if request.viewer.kind != "agent":
        contact_id = request.viewer.contact.id if request.viewer.contact else None
        if not context.articles.viewable_by(article_id, contact_id):
            return not_found
    from snapdesk_pdf_download.render import render_article_pdf

    pdf = render_article_pdf(
        title=article.title,
        body_html=context.articles.body_html(article_id),
        company_name=context.workspace.company_name,
        locale=article.locale,
        updated_at=article.updated_at,
        source_url=article.url,
    )
    return RouteResponse(
        body=pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{_filename(article.title)}"', "Cache-Control": "private, max-age=60"},
    )


class PdfDownload(Snapin):
    title = "PDF download"
    description = "Adds “Download as PDF” to native knowledge-base articles (headings, tables, code, images, Japanese kept)."
    author = "snapdesk"
    compatibility = "snapdesk>=0.1,<1"

    @hookimpl
    def snapdesk_routes(self) -> list[Route]:
        return [Route(rule="/articles/<int:article_id>.pdf", view=download, endpoint="download", access="public")]

    @hookimpl
    def snapdesk_page_actions(
        self, context: Context, page: str, subject: ArticleInfo | TicketInfo, viewer: Viewer
    ) -> list[PageAction]:
        if page != "article" or not isinstance(subject, ArticleInfo) or not subject.is_native:
            return []
        if not context.features.get(PDF_SWITCH):
            return []
        url = context.urls.snapin_route("download", article_id=subject.id)
        return [PageAction(id="download-pdf", label="Download as PDF", url=url, method="GET", icon="download")]
