"""One module per resource; importing this package registers every route on the blueprint."""

from webapp.api.views import admin, articles, conversations, meta, people, tickets, tokens  # noqa: F401
