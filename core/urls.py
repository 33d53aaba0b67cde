"""Absolute URLs of pages, for mail and snap-ins. The web app owns the routes and provides the builder."""

from __future__ import annotations

from typing import Any, Protocol


class UrlBuilder(Protocol):
    def portal(self, workspace_slug: str, path: str = "") -> str: ...

    def article(self, workspace_slug: str, article_id: int) -> str: ...

    def ticket(self, workspace_slug: str, ticket_id: int) -> str: ...

    def conversation(self, workspace_slug: str, conversation_id: int) -> str: ...

    def snapin_route(self, workspace_slug: str, snapin_id: str, endpoint: str, **params: Any) -> str: ...

    def sign_in(self, workspace_slug: str, next_url: str) -> str: ...


class PlainUrlBuilder:
    """Builds URLs from a base URL and the portal's path scheme; used when no web app is around."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")

    def portal(self, workspace_slug: str, path: str = "") -> str:
        return f"{self.base}/{workspace_slug}/{path.lstrip('/')}"

    def article(self, workspace_slug: str, article_id: int) -> str:
        return self.portal(workspace_slug, f"articles/{article_id}")

    def ticket(self, workspace_slug: str, ticket_id: int) -> str:
        return self.portal(workspace_slug, f"tickets/{ticket_id}")

    def conversation(self, workspace_slug: str, conversation_id: int) -> str:
        return f"{self.base}/inbox/{workspace_slug}/conversations/{conversation_id}"

    def snapin_route(self, workspace_slug: str, snapin_id: str, endpoint: str, **params: Any) -> str:
        raise NotImplementedError("snap-in routes need the web app's URL builder")

    def sign_in(self, workspace_slug: str, next_url: str) -> str:
        from urllib.parse import quote

        return self.portal(workspace_slug, f"login?next={quote(next_url, safe='')}")
