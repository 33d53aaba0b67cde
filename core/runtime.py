"""The per-app runtime: the things services need that are not rows (mailer, jobs, dispatcher, URLs).

One :class:`Runtime` per app, kept in ``app.extensions["snapdesk"]``; never a module global, so
tests can build several apps side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import current_app

if TYPE_CHECKING:  # pragma: no cover
    from core.jobs import JobQueue
    from core.mail import Mailer
    from core.snapins.dispatcher import Dispatcher
    from core.snapins.registry import SnapinRegistry
    from core.urls import UrlBuilder


@dataclass
class Runtime:
    registry: "SnapinRegistry"
    dispatcher: "Dispatcher"
    jobs: "JobQueue"
    mailer: "Mailer"
    urls: "UrlBuilder"
    secret_key: str
    #: Live-update broker (core.live): Redis pub/sub or in-process.
    live: Any = None
    #: Free-form settings (OTP lifetimes, rate limits...), from the app config.
    options: dict[str, Any] = field(default_factory=dict)


def get_runtime() -> Runtime:
    return current_app.extensions["snapdesk"]
