"""Tests for the article-to-PDF renderer of the pdf-download snap-in.

They render real PDFs with WeasyPrint and read them back with pypdf, so they
check what a reader gets (extractable text, embedded fonts, images, wrapping),
not how the HTML was assembled.

Requires the Debian package ``fonts-ipaexfont-gothic``; without it the CJK
tests fail (on purpose, not skip) with a message naming the package.
"""

from __future__ import annotations

import base64
import http.server
import io
import logging
import re
import struct
import sys
import threading
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

try:
    from snapdesk_pdf_download.render import (
        CJK_FONT_FAMILY,
        CJK_FONT_PACKAGE,
        cjk_font_available,
        render_article_pdf,
    )
except ImportError:  # the distribution is not installed: run from the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from snapdesk_pdf_download.render import (
        CJK_FONT_FAMILY,
        CJK_FONT_PACKAGE,
        cjk_font_available,
        render_article_pdf,
    )

# A4 is 595.28 pt wide; the stylesheet uses 18 mm side margins.
PAGE_WIDTH_PT = 595.28
SIDE_MARGIN_PT = 18 / 25.4 * 72
CONTENT_WIDTH_PT = PAGE_WIDTH_PT - 2 * SIDE_MARGIN_PT

COMPANY = "Acme Support Inc."
TITLE = "Configuring the Acme helpdesk"
SOURCE_URL = "https://support.acme.example/kb/articles/42-configuring-the-helpdesk"

JAPANESE_1 = (
    "日本語のテキストです。このガイドでは、ヘルプデスクの初期設定と、"
    "担当者アカウントの追加方法、二段階認証を有効にする手順について詳しく説明します。"
)
JAPANESE_2 = "設定を変更した後は、必ず保存ボタンを押してから画面を閉じてください。変更は数分以内に反映されます。"
CODE_TOKEN = "long_configuration_value_" + "y" * 180
TABLE_TOKEN = "sha256:" + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" * 2
IMAGE_WIDTH_PX = 2000  # 1500 pt at 96 dpi: three times the text width


def make_png(width: int, height: int, rgb: tuple[int, int, int] = (30, 120, 200)) -> bytes:
    """Encode a solid-colour RGB PNG with the standard library only."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" + bytes(rgb) * width  # filter byte 0, then the pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def png_data_uri(width: int, height: int) -> str:
    return "data:image/png;base64," + base64.b64encode(make_png(width, height)).decode("ascii")


def article_html(*, remote_image_url: str | None = None) -> str:
    remote = f'<p><img src="{remote_image_url}" alt="remote diagram"></p>' if remote_image_url else ""
    return f"""
<h1>Installation overview</h1>
<p>This article explains how to configure the helpdesk for a new team.</p>
<h2>Before you begin</h2>
<ul>
  <li>Administrator access
    <ul><li>Owner role for billing</li><li>Agent role for testing</li></ul>
  </li>
  <li>A verified email domain</li>
</ul>
<ol>
  <li>Open the admin console</li>
  <li>Create the support mailbox
    <ol><li>Choose a forwarding address</li></ol>
  </li>
  <li>Invite your agents</li>
</ol>
<h3>Plan comparison</h3>
<table>
  <thead><tr><th>Plan</th><th>Checksum</th><th>Notes</th></tr></thead>
  <tbody>
    <tr><td>Starter</td><td><code>{TABLE_TOKEN}</code></td><td>Email support only</td></tr>
    <tr><td>Enterprise</td><td>Contact sales</td><td>Includes single sign-on and audit logs</td></tr>
  </tbody>
</table>
<pre><code>helpdesk configure --team support \\
    --value={CODE_TOKEN}</code></pre>
<p><img src="{png_data_uri(IMAGE_WIDTH_PX, 120)}" alt="inline diagram"></p>
{remote}
<h2>日本語の説明</h2>
<p>{JAPANESE_1}</p>
<p>{JAPANESE_2}</p>
"""


def squash(text: str) -> str:
    """Drop all whitespace: line wrapping must not affect containment checks."""
    return re.sub(r"\s+", "", text)


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _resources_tree(resources: DictionaryObject | None) -> Iterator[DictionaryObject]:
    """Yield a resource dictionary and those nested in form XObjects/patterns."""
    if resources is None:
        return
    resources = resources.get_object()
    yield resources
    for category in ("/XObject", "/Pattern"):
        for item in (resources.get(category) or {}).values():
            item = item.get_object()
            if "/Resources" in item:
                yield from _resources_tree(item["/Resources"])


def embedded_font_names(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for resources in _resources_tree(page.get("/Resources")):
            for font in (resources.get("/Font") or {}).values():
                names.add(str(font.get_object()["/BaseFont"]))
    return names


def image_xobjects(pdf: bytes) -> list[DictionaryObject]:
    """The distinct image XObjects of the document.

    WeasyPrint shares one resource dictionary between pages, so the same
    image shows up in every page's resources: deduplicate by object number.
    """
    images: dict[object, DictionaryObject] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for resources in _resources_tree(page.get("/Resources")):
            for reference in (resources.get("/XObject") or {}).values():
                xobject = reference.get_object()
                if xobject.get("/Subtype") == "/Image":
                    key = getattr(reference, "idnum", None) or id(xobject)
                    images[key] = xobject
    return list(images.values())


def drawn_image_widths(pdf: bytes) -> list[float]:
    """Width in points at which each image XObject is painted on the pages.

    An image is painted into the unit square of the current transformation
    matrix, so its width on paper is the length of the matrix's x axis.
    """
    reader = PdfReader(io.BytesIO(pdf))
    widths = []
    for page in reader.pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        stack: list[list[float]] = []
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"q":
                stack.append(ctm)
            elif operator == b"Q":
                ctm = stack.pop()
            elif operator == b"cm":
                a, b, c, d, e, f = (float(value) for value in operands)
                m = ctm
                ctm = [
                    a * m[0] + b * m[2],
                    a * m[1] + b * m[3],
                    c * m[0] + d * m[2],
                    c * m[1] + d * m[3],
                    e * m[0] + f * m[2] + m[4],
                    e * m[1] + f * m[3] + m[5],
                ]
            elif operator == b"Do":
                xobject = xobjects.get(operands[0])
                if xobject is not None and xobject.get_object().get("/Subtype") == "/Image":
                    widths.append((ctm[0] ** 2 + ctm[1] ** 2) ** 0.5)
    return widths


@dataclass
class RecordingServer:
    """A local HTTP server that remembers every request path it receives."""

    url: str
    paths: list[str] = field(default_factory=list)


@pytest.fixture
def recording_server() -> Iterator[RecordingServer]:
    paths: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server naming)
            paths.append(self.path)
            body = make_png(4, 4)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield RecordingServer(url=f"http://127.0.0.1:{server.server_port}", paths=paths)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def require_cjk_font() -> None:
    if cjk_font_available() is False:
        pytest.fail(
            f"Font {CJK_FONT_FAMILY} is not installed: install the Debian package "
            f"{CJK_FONT_PACKAGE} (apt-get install {CJK_FONT_PACKAGE})."
        )


@pytest.fixture(scope="module")
def article_pdf(require_cjk_font: None) -> bytes:
    return render_article_pdf(
        title=TITLE,
        body_html=article_html(),
        company_name=COMPANY,
        locale="en",
        updated_at=datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc),
        source_url=SOURCE_URL,
    )


def test_output_is_a_valid_pdf(article_pdf: bytes) -> None:
    assert article_pdf.startswith(b"%PDF-")
    assert article_pdf.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(article_pdf), strict=True)
    assert len(reader.pages) >= 1
    assert reader.metadata is not None
    assert reader.metadata.title == TITLE
    assert reader.metadata.author == COMPANY


def test_text_of_every_block_type_is_extractable(article_pdf: bytes) -> None:
    text = squash("".join(page_texts(article_pdf)))
    expected = [
        # headings
        TITLE, "Installation overview", "Before you begin", "Plan comparison",
        # list items, nested included
        "Administrator access", "Owner role for billing", "Agent role for testing",
        "A verified email domain", "Open the admin console", "Choose a forwarding address",
        "Invite your agents",
        # table cells
        "Plan", "Checksum", "Starter", "Enterprise", "Contact sales",
        "Includes single sign-on and audit logs", TABLE_TOKEN,
        # code block
        "helpdesk configure --team support", CODE_TOKEN,
        # updated date
        "2024-05-01",
    ]
    missing = [item for item in expected if squash(item) not in text]
    assert not missing, f"text missing from the PDF: {missing}"


def test_japanese_text_uses_the_cjk_font_and_is_extractable(article_pdf: bytes) -> None:
    fonts = embedded_font_names(article_pdf)
    assert any(CJK_FONT_FAMILY in name for name in fonts), (
        f"{CJK_FONT_FAMILY} is not embedded (fonts: {sorted(fonts)}); Japanese would be "
        f"missing-glyph boxes. Install the Debian package {CJK_FONT_PACKAGE}."
    )
    text = squash("".join(page_texts(article_pdf)))
    for sentence in ("日本語の説明", JAPANESE_1, JAPANESE_2):
        assert squash(sentence) in text, f"Japanese text not extractable: {sentence!r}"


def test_long_lines_wrap_instead_of_overflowing(article_pdf: bytes) -> None:
    lines = [line for text in page_texts(article_pdf) for line in text.splitlines()]
    # Present in full once whitespace is ignored (checked above), but never on
    # one line: the code line, the table token and the Japanese paragraph are
    # all wider than the page and must have been wrapped.
    for token in (CODE_TOKEN, TABLE_TOKEN, JAPANESE_1):
        assert not any(squash(token) in squash(line) for line in lines), f"not wrapped: {token[:40]}"

    # Nothing may start to the right of the text area (an overflowing table
    # pushes its last column there).
    reader = PdfReader(io.BytesIO(article_pdf))
    starts: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            starts.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], text.strip()[:30]))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    assert starts
    too_far = [item for item in starts if item[0] > PAGE_WIDTH_PT - SIDE_MARGIN_PT]
    assert not too_far, f"text starts beyond the right margin: {too_far[:5]}"


def test_image_is_embedded_and_scaled_to_the_text_width(article_pdf: bytes) -> None:
    images = image_xobjects(article_pdf)
    assert [int(image["/Width"]) for image in images] == [IMAGE_WIDTH_PX]
    widths = drawn_image_widths(article_pdf)
    assert len(widths) == 1
    # Unscaled, the 2000 px image would be 1500 pt wide; it must fill the
    # 493 pt text width instead.
    assert widths[0] == pytest.approx(CONTENT_WIDTH_PT, abs=1.0)


def test_header_and_footer_on_every_page(require_cjk_font: None) -> None:
    pdf = render_article_pdf(
        title=TITLE,
        body_html=article_html() * 4,
        company_name=COMPANY,
        source_url=SOURCE_URL,
    )
    texts = page_texts(pdf)
    total = len(texts)
    assert total >= 3
    for number, text in enumerate(texts, start=1):
        flat = squash(text)
        assert squash(COMPANY) in flat, f"company name missing on page {number}"
        assert squash(TITLE) in flat, f"title missing on page {number}"
        assert squash(SOURCE_URL) in flat, f"source URL missing on page {number}"
        assert f"{number}/{total}" in flat, f'"{number} / {total}" missing on page {number}'


def test_page_count_grows_with_article_length(require_cjk_font: None) -> None:
    def pages(body: str) -> int:
        pdf = render_article_pdf(title=TITLE, body_html=body, company_name=COMPANY)
        return len(PdfReader(io.BytesIO(pdf)).pages)

    assert pages("<p>A short answer.</p>") == 1
    counts = [pages(article_html() * copies) for copies in (1, 3, 6)]
    assert counts == sorted(set(counts)), f"page counts do not grow: {counts}"
    assert counts[-1] >= 4


def test_remote_images_are_never_fetched(recording_server: RecordingServer) -> None:
    remote_url = f"{recording_server.url}/diagram.png"
    body = (
        article_html(remote_image_url=remote_url)
        # Every other way HTML can make WeasyPrint load a URL:
        + f'<link rel="stylesheet" href="{recording_server.url}/style.css">'
        + f'<div style="background: url({recording_server.url}/bg.png)">styled</div>'
        + f'<object data="{recording_server.url}/object.svg"></object>'
        + '<img src="file:///etc/hostname" alt="local file">'
    )
    pdf = render_article_pdf(
        title=TITLE,
        body_html=body,
        company_name=COMPANY,
        source_url=recording_server.url + "/kb/42",  # relative URLs would resolve here
    )

    assert recording_server.paths == []
    # Rendering went on: the page text is there and only the data: image
    # made it into the PDF.
    assert squash("Installation overview") in squash("".join(page_texts(pdf)))
    assert [int(image["/Width"]) for image in image_xobjects(pdf)] == [IMAGE_WIDTH_PX]

    # The server does record requests, so the empty list above means something.
    with urllib.request.urlopen(remote_url, timeout=5) as response:
        assert response.status == 200
    assert recording_server.paths == ["/diagram.png"]


def test_local_resources_are_served_only_under_the_base() -> None:
    base = "https://kb.acme.example/media/"
    requested: list[str] = []

    def fetch_local(url: str) -> tuple[bytes, str]:
        requested.append(url)
        return make_png(300, 40), "image/png"

    body = "".join(
        f'<p><img src="{src}" alt="x"></p>'
        for src in (
            "/media/ok.png",  # relative, resolved against source_url
            f"{base}sub/ok2.png#fragment",
            f"{base}../secret.png",
            f"{base}%2e%2e/secret.png",
            f"{base}%252e%252e/secret.png",
            f"{base}/etc/passwd",
            "https://kb.acme.example/media-private/x.png",
            "https://kb.acme.example.evil.example/media/x.png",
        )
    )
    pdf = render_article_pdf(
        title=TITLE,
        body_html=body,
        company_name=COMPANY,
        source_url="https://kb.acme.example/articles/7",
        url_fetcher_base=base.rstrip("/"),  # the trailing slash is implied
        fetch_local=fetch_local,
    )

    assert requested == [f"{base}ok.png", f"{base}sub/ok2.png"]
    assert len(image_xobjects(pdf)) == 2


def test_failing_local_fetch_drops_the_image_and_keeps_rendering() -> None:
    def fetch_local(url: str) -> tuple[bytes, str]:
        raise FileNotFoundError(url)

    pdf = render_article_pdf(
        title=TITLE,
        body_html='<p>Before</p><img src="https://kb.example/m/a.png" alt="gone"><p>After</p>',
        company_name=COMPANY,
        url_fetcher_base="https://kb.example/m/",
        fetch_local=fetch_local,
    )
    text = squash("".join(page_texts(pdf)))
    assert "Before" in text and "After" in text
    assert image_xobjects(pdf) == []


def test_title_and_company_are_escaped() -> None:
    pdf = render_article_pdf(
        title="<b>Bold</b> & <script>x</script>",
        body_html="<p>Body</p>",
        company_name="R&D <Team>",
    )
    text = "".join(page_texts(pdf))
    assert "<b>Bold</b> & <script>x</script>" in text
    assert "R&D <Team>" in text


def test_refusals_are_quiet_but_real_failures_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    def fetch_local(url: str) -> tuple[bytes, str]:
        raise FileNotFoundError(url)

    body = (
        '<img src="http://127.0.0.1:9/refused.png" alt="refused">'
        '<img src="https://kb.example/m/missing.png" alt="missing">'
    )
    with caplog.at_level(logging.DEBUG):
        render_article_pdf(
            title=TITLE,
            body_html=body,
            company_name=COMPANY,
            url_fetcher_base="https://kb.example/m/",
            fetch_local=fetch_local,
        )
    problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert not any("refused.png" in message for message in problems), problems
    assert any("missing.png" in message for message in problems), problems
    assert any(
        "refused.png" in r.getMessage() and r.levelno == logging.DEBUG for r in caplog.records
    )


def test_concurrent_renders_from_several_threads(require_cjk_font: None) -> None:
    results: dict[int, bytes] = {}
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            results[index] = render_article_pdf(
                title=f"{TITLE} {index}", body_html=article_html(), company_name=COMPANY
            )
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(results) == [0, 1, 2, 3]
    for index, pdf in results.items():
        text = squash("".join(page_texts(pdf)))
        assert squash(f"{TITLE} {index}") in text
        assert squash(JAPANESE_1) in text
