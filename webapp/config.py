"""Configuration from environment variables, with embedded defaults (twelve-factor).

=====================  ==========================================================  =====================
variable               meaning                                                     default
=====================  ==========================================================  =====================
``DATABASE_URL``       SQLAlchemy URL (``postgresql://...`` for production)        ``sqlite:///snapdesk.db`` in the cwd
``REDIS_URL``          Redis for RQ jobs and live updates                          unset: in-process
``MAIL_URL``           ``smtp://``, ``smtps://``, ``console://``                   ``console://``
``MAIL_FROM``          default sender                                              ``snapdesk <no-reply@localhost>``
``SECRET_KEY``         signs sessions and OTP hashes                               generated once into ``snapdesk-secret.key`` in the cwd
``BASE_URL``           public URL of this server, for links in mail                ``http://127.0.0.1:5000``
``INBOUND_DOMAIN``     domain of the email channel's reply addresses               ``localhost``
``SNAPDESK_SNAPINS``   comma-separated snap-in ids to load (unset: all installed)  unset
=====================  ==========================================================  =====================
"""

from __future__ import annotations

import os
import secrets
from typing import Any


def _postgres_driver(url: str) -> str:
    # psycopg 3 is the driver we ship; plain postgresql:// would ask SQLAlchemy for psycopg2.
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


SECRET_FILE = "snapdesk-secret.key"


def local_secret_key() -> str:
    """The embedded default: a key generated once and kept next to the SQLite file, so sign-ins
    survive restarts and every local process (server, worker) signs with the same key."""
    path = os.path.abspath(SECRET_FILE)
    try:
        with open(path, encoding="ascii") as handle:
            key = handle.read().strip()
        if len(key) >= 32:
            return key
    except FileNotFoundError:
        pass
    except OSError:
        return secrets.token_hex(32)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key)
    except OSError:
        pass  # a read-only cwd: a per-process key still works
    return key


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    env = os.environ if environ is None else environ
    database_url = _postgres_driver(env.get("DATABASE_URL") or "sqlite:///" + os.path.abspath("snapdesk.db"))
    snapins = env.get("SNAPDESK_SNAPINS")
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": env.get("REDIS_URL") or None,
        "MAIL_URL": env.get("MAIL_URL") or "console://",
        "MAIL_FROM": env.get("MAIL_FROM") or "snapdesk <no-reply@localhost>",
        # None: create_app falls back to local_secret_key() unless the caller's config sets one.
        "SECRET_KEY": env.get("SECRET_KEY") or None,
        "SECRET_KEY_FROM_ENV": bool(env.get("SECRET_KEY")),
        "INBOUND_DOMAIN": (env.get("INBOUND_DOMAIN") or "localhost").strip().lower(),
        "BASE_URL": (env.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/"),
        "SNAPDESK_SNAPINS": [s.strip() for s in snapins.split(",") if s.strip()] if snapins else None,
        "SNAPDESK_AUTOLOAD": True,
        # Sign-in limits (see core.identity).
        "OTP_TTL_SECONDS": 600,
        "OTP_MAX_ATTEMPTS": 5,
        "OTP_PER_EMAIL_PER_HOUR": 5,
        "OTP_PER_IP_PER_HOUR": 20,
        "BABEL_DEFAULT_LOCALE": "en",
        "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
    }
