"""Render knowledge-base articles to printable PDF files with WeasyPrint.

The public entry point is :func:`render_article_pdf`. It wraps an article's
(already sanitized) body HTML in a small print document, applies a print
stylesheet owned by this module (A4, running header with company name and
title, footer with the article URL and "n / N" page numbers) and returns the
PDF bytes.

Two properties matter more than looks:

* **No network access, ever.** Every resource WeasyPrint wants to load
  (images, stylesheets, fonts, SVG references, attachments) goes through
  :class:`SandboxedURLFetcher`, which only answers ``data:`` URIs and URLs
  under a caller-chosen base that the caller serves itself through a
  callable. Anything else is refused; WeasyPrint then drops that resource and
  keeps rendering.
* **Readable non-Latin text.** The font stack is DejaVu Sans (Latin,
  Cyrillic, Greek, Arabic, Hebrew) with IPAexGothic (Debian package
  ``fonts-ipaexfont-gothic``) as fallback for kana, kanji and CJK punctuation.
  Fonts come from the system fontconfig setup; none are shipped here. Neither
  font has Hangul or most simplified-only Chinese characters: those print as
  missing-glyph boxes unless fontconfig's ``sans-serif`` finds a font for
  them.
"""

from __future__ import annotations

import atexit
import functools
import html
import logging
import re
import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote
from urllib.request import DataHandler, Request

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = [
    "CJK_FONT_FAMILY",
    "CJK_FONT_PACKAGE",
    "MAX_RESOURCE_BYTES",
    "LocalFetcher",
    "ResourceRefused",
    "SandboxedURLFetcher",
    "cjk_font_available",
    "render_article_pdf",
]

logger = logging.getLogger(__name__)

#: Serves a URL under ``url_fetcher_base``: returns ``(body, content_type)``.
LocalFetcher = Callable[[str], tuple[bytes, str]]

#: fontconfig family name of the CJK font the stylesheet relies on.
CJK_FONT_FAMILY = "IPAexGothic"
#: Debian package providing :data:`CJK_FONT_FAMILY`.
CJK_FONT_PACKAGE = "fonts-ipaexfont-gothic"

#: Upper bound for one fetched resource. A knowledge-base image larger than
#: this is almost certainly a mistake and would only bloat the PDF and memory.
MAX_RESOURCE_BYTES = 25 * 1024 * 1024

# Languages written right to left: the article (title and body) is laid out
# from the right for them. The page header and footer stay left to right:
# WeasyPrint's right-to-left support for page margin boxes is incomplete (the
# header boxes overlap) and "n / N" would read as "N / n".
_RTL_LANGUAGES = frozenset({"ar", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"})

# "Last updated" label. Small on purpose: unknown locales get English, the
# date itself is ISO 8601, which reads unambiguously everywhere.
_UPDATED_LABELS = {
    "en": "Last updated",
    "de": "Zuletzt aktualisiert",
    "es": "Última actualización",
    "fr": "Dernière mise à jour",
    "it": "Ultimo aggiornamento",
    "ja": "最終更新日",
    "ko": "최종 업데이트",
    "nl": "Laatst bijgewerkt",
    "pt": "Última atualização",
    "ru": "Последнее обновление",
    "zh": "最后更新",
}

_LANG_TAG_RE = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")

# Pango picks, character by character, the first family of the list that has
# a glyph. DejaVu Sans goes first for every locale, Japanese included: it has
# real bold faces (IPAexGothic has none and WeasyPrint does not synthesize
# bold) and proportional Cyrillic/Greek (IPAexGothic's are full-width). Kana,
# kanji and CJK punctuation, which DejaVu lacks, come from IPAexGothic.
_BASE_FONTS = f'"DejaVu Sans", "{CJK_FONT_FAMILY}", sans-serif'
_MONO_FONTS = f'"DejaVu Sans Mono", "{CJK_FONT_FAMILY}", monospace'

# The print stylesheet. Parsed once per thread (see _resources) because
# parsing CSS and loading fontconfig dominate the cost of small documents.
PRINT_STYLESHEET = f"""
@page {{
  size: A4;
  margin: 24mm 18mm 22mm 18mm;
  font-family: {_BASE_FONTS};
  font-size: 8pt;
  color: #555;

  @top-left {{
    content: element(sdCompany);
    width: 35%;
    vertical-align: bottom;
    padding-bottom: 2mm;
    border-bottom: 0.5pt solid #bbb;
  }}
  @top-right {{
    content: element(sdTitle);
    width: 65%;
    vertical-align: bottom;
    padding-bottom: 2mm;
    border-bottom: 0.5pt solid #bbb;
  }}
  @bottom-left {{
    content: element(sdSource);
    width: 82%;
    vertical-align: top;
    padding-top: 2mm;
    border-top: 0.5pt solid #bbb;
  }}
  @bottom-right {{
    content: counter(page) " / " counter(pages);
    width: 18%;
    vertical-align: top;
    text-align: right;
    padding-top: 2mm;
    border-top: 0.5pt solid #bbb;
  }}
}}

html {{
  font-family: {_BASE_FONTS};
  font-size: 10.5pt;
  line-height: 1.5;
  color: #1a1a1a;
}}
body {{
  margin: 0;
  /* Long URLs and identifiers must wrap instead of running off the page. */
  overflow-wrap: break-word;
  orphans: 2;
  widows: 2;
}}

/* Running header/footer content. Taken out of the flow and repeated on
   every page by the @page margin boxes above. */
.sd-running {{
  font-size: 8pt;
  line-height: 1.3;
  color: #555;
}}
.sd-running-company {{
  position: running(sdCompany);
  font-weight: bold;
  white-space: nowrap;
  overflow: hidden;
  text-overflow: ellipsis;
}}
.sd-running-title {{
  position: running(sdTitle);
  text-align: right;
  white-space: nowrap;
  overflow: hidden;
  text-overflow: ellipsis;
}}
.sd-running-source {{
  position: running(sdSource);
  font-size: 7pt;
  overflow-wrap: anywhere;
}}

.sd-article-header {{
  margin-bottom: 6mm;
  padding-bottom: 3mm;
  border-bottom: 1pt solid #333;
}}
.sd-title {{
  font-size: 20pt;
  margin: 0 0 2mm 0;
}}
.sd-meta {{
  margin: 0;
  font-size: 8.5pt;
  color: #555;
}}

h1, h2, h3, h4, h5, h6 {{
  line-height: 1.25;
  break-after: avoid;
  break-inside: avoid;
  margin: 1.1em 0 0.45em 0;
}}
h1 {{ font-size: 17pt; }}
h2 {{ font-size: 14pt; }}
h3 {{ font-size: 12pt; }}
h4, h5, h6 {{ font-size: 10.5pt; }}

p {{ margin: 0 0 0.7em 0; }}

ul, ol {{
  margin: 0 0 0.7em 0;
  padding-inline-start: 1.6em;
}}
li > ul, li > ol {{ margin-bottom: 0; }}
li {{ margin: 0.15em 0; }}

a {{ color: #0b57d0; text-decoration: underline; }}

blockquote {{
  margin: 0 0 0.7em 0;
  padding: 0.2em 0 0.2em 0.9em;
  border-inline-start: 3pt solid #ccc;
  color: #444;
}}

table {{
  width: 100%;
  border-collapse: collapse;
  margin: 0 0 0.9em 0;
  font-size: 9.5pt;
  line-height: 1.35;
}}
th, td {{
  border: 0.6pt solid #888;
  padding: 1.2mm 1.8mm;
  vertical-align: top;
  text-align: start;
  /* Columns keep at least the width of their longest word, so short labels
     ("Enterprise") are not split mid-word next to a long prose column. */
  overflow-wrap: break-word;
}}
/* The tokens that can make a table wider than the page are long URLs,
   identifiers and keys (links and code), and many columns of ordinary words.
   "anywhere" makes those contribute (almost) nothing to the min-content width,
   so the automatic table layout wraps them instead of overflowing the margin.
   The quantity query selects every cell of a row that has 7 cells or more.
   Trade-off: an unbroken plain-text token wider than the page in a narrower
   table still widens it; making every cell "anywhere" would prevent that but
   splits ordinary words of short columns whenever a neighbour holds prose. */
td a, th a, td code, th code, td kbd, td samp,
:is(td, th):first-child:nth-last-child(n+7),
:is(td, th):first-child:nth-last-child(n+7) ~ :is(td, th) {{
  overflow-wrap: anywhere;
}}
th {{ background: #eee; font-weight: bold; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
caption {{ caption-side: bottom; font-size: 8.5pt; color: #555; padding-top: 1mm; }}

code, kbd, samp, pre {{
  font-family: {_MONO_FONTS};
  font-size: 0.9em;
}}
:not(pre) > code {{
  background: #f2f2f2;
  padding: 0 0.2em;
  border-radius: 2pt;
  overflow-wrap: anywhere;
}}
pre {{
  background: #f6f6f6;
  border: 0.5pt solid #ccc;
  border-radius: 2pt;
  padding: 2mm 2.5mm;
  margin: 0 0 0.9em 0;
  font-size: 8.5pt;
  line-height: 1.4;
  /* Print cannot scroll: keep the line breaks and indentation of the code,
     but wrap lines that are wider than the page. */
  white-space: pre-wrap;
  overflow-wrap: anywhere;
  tab-size: 4;
}}
pre code {{ font-size: inherit; background: none; padding: 0; }}

img, svg, video, object, embed {{
  /* Scale down to the text width (and keep the aspect ratio); never up. */
  max-width: 100%;
  max-height: 235mm;
  height: auto;
  break-inside: avoid;
}}
figure {{ margin: 0 0 0.9em 0; break-inside: avoid; }}
figcaption {{ font-size: 8.5pt; color: #555; }}
hr {{ border: none; border-top: 0.5pt solid #bbb; margin: 1em 0; }}

/* Interactive or screen-only content has no meaning on paper. */
script, noscript, iframe, video, audio, form, button, input, select, textarea {{
  display: none;
}}
"""


class ResourceRefused(ValueError):
    """Raised by :class:`SandboxedURLFetcher` for a URL it will not serve.

    WeasyPrint catches it (it is a plain ``Exception``) and drops the
    resource; rendering continues.
    """


class _DropRefusalRecords(logging.Filter):
    """Drop WeasyPrint's log records about resources refused on purpose.

    WeasyPrint logs every resource it fails to load at ERROR level. For URLs
    refused by :class:`SandboxedURLFetcher` that is policy, not a failure, and
    one line per remote image of every downloaded article would drown real
    errors. The refusal is still logged at DEBUG level on this module's
    logger; genuine failures (broken data: URIs, ``fetch_local`` errors) keep
    WeasyPrint's own message.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to judge
            return True
        return f"{ResourceRefused.__name__}: " not in message


_weasyprint_logger = logging.getLogger("weasyprint")
if not any(isinstance(f, _DropRefusalRecords) for f in _weasyprint_logger.filters):
    _weasyprint_logger.addFilter(_DropRefusalRecords())


class SandboxedURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that never touches the network or disk.

    It serves exactly two kinds of URL:

    * ``data:`` URIs, decoded in-process;
    * URLs starting with ``local_base`` (normalised to end with ``/``), handed
      to ``fetch_local`` which returns ``(body, content_type)``. URLs whose
      path contains ``.``/``..``/empty segments or backslashes (also when
      percent-encoded) are refused before ``fetch_local`` sees them, so a
      naive base + path mapping cannot be escaped.

    Everything else (``http:``, ``https:``, ``file:``, ``ftp:``...) raises
    :class:`ResourceRefused`. ``fetch_local`` may raise any ``Exception`` to
    signal a missing resource; it is treated the same way.
    """

    def __init__(
        self,
        local_base: str | None = None,
        fetch_local: LocalFetcher | None = None,
    ) -> None:
        # The parent builds urllib handlers that fetch() below never uses;
        # calling it keeps the attributes WeasyPrint reads (_fail_on_errors)
        # consistent with its own implementation. fail_on_errors=False is
        # what turns a refusal into "drop the resource, keep rendering".
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        if local_base is not None and not local_base.endswith("/"):
            # Without the trailing slash "https://kb/media" would also match
            # "https://kb/media-private/..." or "https://kb/media.evil.org/".
            local_base += "/"
        self._local_base = local_base if fetch_local is not None else None
        self._fetch_local = fetch_local

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Return the resource for ``url`` or raise :class:`ResourceRefused`."""
        if url[:5].lower() == "data:":
            return _decode_data_uri(url)
        if self._local_base is not None and self._fetch_local is not None:
            local_url = url.split("#", 1)[0]
            if _is_safely_under(local_url, self._local_base):
                body, content_type = self._fetch_local(local_url)
                if len(body) > MAX_RESOURCE_BYTES:
                    raise ResourceRefused(f"larger than {MAX_RESOURCE_BYTES} bytes: {local_url}")
                return URLFetcherResponse(local_url, body, {"Content-Type": content_type})
        logger.debug("PDF renderer refused to fetch %s", url[:200])
        raise ResourceRefused(f"fetching is not allowed: {url[:200]}")


def _decode_data_uri(url: str) -> URLFetcherResponse:
    """Decode a ``data:`` URI with urllib's in-process decoder (no I/O)."""
    if len(url) > MAX_RESOURCE_BYTES * 2:  # base64 and %-escapes inflate the size
        raise ResourceRefused("data: URI too large")
    with DataHandler().data_open(Request(url)) as response:
        body = response.read()
        content_type = response.headers.get_content_type()
    return URLFetcherResponse(url, body, {"Content-Type": content_type})


def _is_safely_under(url: str, base: str) -> bool:
    """Whether ``url`` lies below ``base`` without any path trickery."""
    if not url.startswith(base) or "\\" in url:
        return False
    path = url[len(base):].split("?", 1)[0]
    if not path:
        return False
    # Decode repeatedly so that double-encoded dots ("%252e%252e") are caught.
    decoded = path
    for _ in range(3):
        decoded = unquote(decoded)
    if "\\" in decoded or any(ord(char) < 0x20 for char in decoded):
        return False
    return all(segment not in ("", ".", "..") for segment in decoded.split("/"))


@dataclass(frozen=True)
class _RenderResources:
    font_config: FontConfiguration
    stylesheet: CSS


# A FontConfiguration wraps a Pango font map plus plain-dict caches that
# layout mutates, and WeasyPrint documents neither as thread-safe. The cache
# is therefore per thread: each worker thread pays the fontconfig load and CSS
# parsing (about 40 ms) once, then reuses them for every render.
_thread_state = threading.local()


@atexit.register
def _drop_resources() -> None:
    # Pango/fontconfig objects finalised during interpreter teardown, after the cffi libraries
    # they point into, crash the process (exit 139) in some import orders; drop them first.
    _thread_state.__dict__.pop("resources", None)
    import gc

    gc.collect()


def _resources() -> _RenderResources:
    resources: _RenderResources | None = getattr(_thread_state, "resources", None)
    if resources is None:
        _warn_if_cjk_font_missing()
        font_config = FontConfiguration()
        stylesheet = CSS(
            string=PRINT_STYLESHEET,
            font_config=font_config,
            url_fetcher=SandboxedURLFetcher(),
        )
        resources = _RenderResources(font_config=font_config, stylesheet=stylesheet)
        _thread_state.resources = resources
    return resources


@functools.cache
def cjk_font_available() -> bool | None:
    """Whether fontconfig knows :data:`CJK_FONT_FAMILY`.

    Returns ``None`` when it cannot tell (the ``fc-list`` tool is missing).
    The result is cached for the life of the process.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        result = subprocess.run(
            [fc_list, CJK_FONT_FAMILY, "family"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return CJK_FONT_FAMILY.lower() in result.stdout.lower()


@functools.cache
def _warn_if_cjk_font_missing() -> None:
    # Rendering still works without the font, but Japanese/Chinese text turns
    # into missing-glyph boxes; say so once, with the fix, in the server log.
    if cjk_font_available() is False:
        logger.warning(
            "Font %s not found: CJK text in PDFs will not be readable. "
            "Install the Debian package %s.",
            CJK_FONT_FAMILY,
            CJK_FONT_PACKAGE,
        )


def _normalise_lang(locale: str) -> str:
    """Turn a locale such as ``pt_BR`` or ``ja-JP.UTF-8`` into a BCP 47 tag."""
    tag = locale.split(".", 1)[0].split("@", 1)[0].replace("_", "-").strip()
    return tag if _LANG_TAG_RE.match(tag) else "en"


def _build_document(
    *,
    title: str,
    body_html: str,
    company_name: str,
    lang: str,
    updated_at: datetime | None,
    source_url: str | None,
) -> str:
    primary = lang.split("-", 1)[0].lower()
    direction = "rtl" if primary in _RTL_LANGUAGES else "ltr"
    esc = functools.partial(html.escape, quote=True)

    head_meta = [
        f'<meta name="author" content="{esc(company_name)}">',
        '<meta name="generator" content="snapdesk">',
    ]
    meta_line = ""
    if updated_at is not None:
        head_meta.append(f'<meta name="dcterms.modified" content="{esc(updated_at.isoformat())}">')
        label = _UPDATED_LABELS.get(primary, _UPDATED_LABELS["en"])
        meta_line = (
            f'<p class="sd-meta">{esc(label)}: '
            f'<time datetime="{esc(updated_at.isoformat())}">{updated_at.date().isoformat()}</time></p>'
        )
    source = ""
    if source_url:
        source = f'<a href="{esc(source_url)}">{esc(source_url)}</a>'

    # The running elements come first so that every page, including the first,
    # has a header and footer. The body HTML is inserted as is: it has been
    # sanitized upstream and the parser copes with unbalanced markup.
    return (
        "<!DOCTYPE html>"
        f'<html lang="{esc(lang)}">'
        f'<head><meta charset="utf-8"><title>{esc(title)}</title>{"".join(head_meta)}</head>'
        "<body>"
        f'<div class="sd-running sd-running-company">{esc(company_name)}</div>'
        f'<div class="sd-running sd-running-title" dir="{direction}">{esc(title)}</div>'
        f'<div class="sd-running sd-running-source">{source}</div>'
        f'<header class="sd-article-header" dir="{direction}">'
        f'<h1 class="sd-title">{esc(title)}</h1>{meta_line}'
        "</header>"
        f'<article class="sd-article-body" dir="{direction}">{body_html}</article>'
        "</body></html>"
    )


def render_article_pdf(
    *,
    title: str,
    body_html: str,
    company_name: str,
    locale: str = "en",
    updated_at: datetime | None = None,
    source_url: str | None = None,
    url_fetcher_base: str | None = None,
    fetch_local: LocalFetcher | None = None,
) -> bytes:
    """Render one knowledge-base article and return the PDF as bytes.

    :param title: article title; shown as the first heading and in the page
        header, and stored as the PDF title. Plain text (escaped here).
    :param body_html: the article body, HTML already sanitized upstream. It is
        rendered as is; it is *not* re-sanitized here.
    :param company_name: shown in the page header and stored as PDF author.
        Plain text.
    :param locale: language of the article (``"ja"``, ``"pt_BR"``...). Sets the
        document language (PDF ``/Lang``, language-specific line breaking),
        the "last updated" label and right-to-left layout of the article for
        RTL languages. Invalid values fall back to ``"en"``.
    :param updated_at: when given, printed under the title (ISO date) and
        stored as the PDF modification date.
    :param source_url: the article's public URL, printed in every page footer
        and used as base URL for relative links and image sources.
    :param url_fetcher_base: URL prefix (a trailing ``/`` is implied) whose
        resources the caller serves through ``fetch_local``; e.g. the media
        URL of the knowledge base. Relative sources are resolved against
        ``source_url``, or against this base when there is no ``source_url``.
    :param fetch_local: ``fetch_local(url) -> (body, content_type)`` for URLs
        under ``url_fetcher_base``. It gets the absolute URL without fragment
        (query string kept); raise any exception for "not found". Without it
        nothing but ``data:`` URIs is loaded.

    Guarantees: no network or filesystem access by the renderer itself; only
    ``data:`` URIs and ``fetch_local`` are used. A refused or failing resource
    is dropped (an image is replaced by its ``alt`` text) and rendering
    continues; refusals are logged at DEBUG level on this module's logger,
    other load failures by WeasyPrint on the ``weasyprint`` logger. Safe to
    call from several threads; each thread keeps its own parsed stylesheet
    and font configuration.
    """
    lang = _normalise_lang(locale)
    document = _build_document(
        title=title,
        body_html=body_html,
        company_name=company_name,
        lang=lang,
        updated_at=updated_at,
        source_url=source_url,
    )
    url_fetcher = SandboxedURLFetcher(url_fetcher_base, fetch_local)
    resources = _resources()
    font_config = resources.font_config
    if re.search(r"<\s*(?:style|link)\b", body_html, re.IGNORECASE):
        # A <style> or <link> in the body could carry @font-face rules, which
        # WeasyPrint registers in the FontConfiguration for good. Give such a
        # document a private configuration so it cannot change the fonts of
        # the articles rendered after it.
        font_config = FontConfiguration()
    base_url = source_url or url_fetcher_base
    pdf = HTML(string=document, base_url=base_url, url_fetcher=url_fetcher).write_pdf(
        stylesheets=[resources.stylesheet],
        font_config=font_config,
        # Honour width/height attributes and the like on legacy KB markup;
        # the stylesheet above still caps images to the text width.
        presentational_hints=True,
    )
    assert pdf is not None  # write_pdf() returns bytes when no target is given
    return pdf
