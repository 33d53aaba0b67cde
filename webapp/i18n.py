"""Localization of the web app (Flask-Babel): which locale a request is in, and language names.

The portal picks a page's locale, first match wins:

1. the locale in the URL (``/<locale>/<slug>/...``, set by :mod:`webapp.portal.seo` as ``g.url_locale``);
2. the signed-in contact's preferred locale, when the workspace has it enabled;
3. the browser's ``Accept-Language``, among the workspace's enabled locales;
4. the workspace's default locale.

Pages outside the portal (inbox, settings) use ``BABEL_DEFAULT_LOCALE``. Catalogs live in
``webapp/translations/<locale>/LC_MESSAGES/messages.po`` (+ compiled ``.mo``); see ``babel.cfg``
at the repository root for how they are extracted. Locales are written BCP 47 style ("pt-BR") in
URLs, settings and ``<html lang>``; Babel's own form ("pt_BR") stays inside this module.
"""

from __future__ import annotations

from typing import Any

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel, get_locale, refresh

from core.articles import normalize_locale

#: Locales the portal UI has catalogs for (English is the source language).
UI_LOCALES = ("en", "fr")
#: The blueprints whose pages are localized per workspace and visitor.
PORTAL_BLUEPRINTS = frozenset({"portal", "portal_locale"})


def init_i18n(app: Flask) -> Babel:
    """Install Flask-Babel on ``app`` with :func:`select_locale`, and ``page_locale`` in templates."""
    babel = Babel(app, locale_selector=select_locale)
    app.context_processor(lambda: {"page_locale": page_locale(), "language_name": language_name})
    # App-level preprocessors run before the blueprints' (which may set g.url_locale).
    app.url_value_preprocessor(_fresh_locale)
    return babel


def _fresh_locale(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Forget a previous request's locale: ``g`` outlives a request when a test (or a CLI command)
    keeps an app context pushed around several requests."""
    g.pop("url_locale", None)
    refresh()


def enabled_locales(portal_settings: dict[str, Any] | None) -> list[str]:
    """The workspace's enabled locales, normalized, default first, without duplicates."""
    section = (portal_settings or {}).get("locales") or {}
    default = normalize_locale(section.get("default")) or current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    ordered = [default]
    for code in section.get("enabled") or []:
        locale = normalize_locale(code)
        if locale is not None and locale not in ordered:
            ordered.append(locale)
    return ordered


def default_locale(portal_settings: dict[str, Any] | None) -> str:
    return enabled_locales(portal_settings)[0]


def negotiate_locale() -> str:
    """The portal page's locale (BCP 47) by the order in the module docstring; needs ``g.portal_settings``."""
    settings = g.get("portal_settings")
    if settings is None or (has_request_context() and request.blueprint not in PORTAL_BLUEPRINTS):
        return current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    enabled = enabled_locales(settings)
    url_locale = g.get("url_locale")
    if url_locale:
        return url_locale
    contact = g.get("contact")
    preferred = normalize_locale(getattr(contact, "locale", None))
    if preferred is not None:
        match = _best_match([preferred], enabled)
        if match is not None:
            return match
    if has_request_context():
        accepted = [code for code, _quality in request.accept_languages]
        match = _best_match(accepted, enabled)
        if match is not None:
            return match
    return enabled[0]


def _best_match(wanted: list[str], enabled: list[str]) -> str | None:
    """The first of ``wanted`` that is enabled, exactly or by language ("fr-CA" -> "fr")."""
    normalized = [n for n in (normalize_locale(code) for code in wanted) if n is not None]
    for code in normalized:
        if code in enabled:
            return code
    for code in normalized:
        language = code.split("-")[0]
        if language in enabled:
            return language
        for candidate in enabled:
            if candidate.split("-")[0] == language:
                return candidate
    return None


def select_locale() -> str:
    """Flask-Babel's locale selector: the negotiated locale in Babel's spelling ("pt_BR")."""
    return to_babel(negotiate_locale())


def page_locale() -> str:
    """The request's locale as written in ``<html lang>`` ("en", "pt-BR")."""
    locale = get_locale()
    if locale is None:
        return current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    return from_babel(str(locale))


def to_babel(locale: str) -> str:
    """"pt-BR" -> "pt_BR"; a locale Babel does not know becomes its language, else the default."""
    candidate = locale.replace("-", "_")
    for option in (candidate, candidate.split("_")[0]):
        try:
            Locale.parse(option)
        except (ValueError, UnknownLocaleError):
            continue
        return option
    return current_app.config.get("BABEL_DEFAULT_LOCALE", "en")


def from_babel(locale: str) -> str:
    return normalize_locale(locale) or locale


def language_name(code: str, in_locale: str | None = None) -> str:
    """The language of ``code`` named in ``in_locale`` (default: the page's), e.g. "fr" in "en" ->
    "French"; the code itself when Babel does not know it."""
    try:
        target = Locale.parse(to_babel_or_raw(code))
        display = Locale.parse(to_babel_or_raw(in_locale or page_locale()))
    except (ValueError, UnknownLocaleError):
        return code
    return target.get_display_name(display) or code


def to_babel_or_raw(locale: str) -> str:
    return locale.replace("-", "_")
