"""Benchmark the pdf-download snap-in's article renderer.

Renders a representative knowledge-base article (about two A4 pages: headings,
nested lists, a table, a code block, an image, English and Japanese prose) N
times and prints the time per render and the PDF size.

    /work/venv/bin/python bench/pdf_render.py [--runs 30]

The first render of a process (thread) also loads fontconfig and parses the
print stylesheet; it is reported separately and left out of the statistics,
which describe the steady state of a running server.
"""

from __future__ import annotations

import argparse
import base64
import io
import statistics
import struct
import sys
import time
import zlib
from datetime import datetime, timezone
from pathlib import Path

try:
    from snapdesk_pdf_download.render import render_article_pdf
except ImportError:  # not installed: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "snapins" / "pdf-download"))
    from snapdesk_pdf_download.render import render_article_pdf


def _png(width: int, height: int) -> bytes:
    """A gradient RGB PNG (compresses like a screenshot, not like a flat fill)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(
        b"\x00" + bytes(value for x in range(width) for value in (x % 256, y % 256, 180))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def representative_article() -> str:
    image = "data:image/png;base64," + base64.b64encode(_png(900, 300)).decode("ascii")
    english = (
        "When a customer replies to a closed ticket, the helpdesk reopens it and assigns it to "
        "the last agent who handled it. If that agent is away, the ticket goes back to the "
        "team queue so that nobody's request waits for a holiday to end. "
    )
    japanese = (
        "お客様がクローズ済みのチケットに返信すると、ヘルプデスクはチケットを再オープンし、"
        "最後に対応した担当者に割り当てます。担当者が不在の場合は、チーム全体のキューに戻ります。"
    )
    rows = "".join(
        f"<tr><td>{name}</td><td><code>{key}</code></td><td>{note}</td></tr>"
        for name, key, note in [
            ("Auto-reopen", "tickets.reopen_on_reply", "Reopens closed tickets on a customer reply."),
            ("Away fallback", "routing.away_fallback", "Sends tickets of absent agents to the queue."),
            ("SLA pause", "sla.pause_when_pending", "Stops the SLA clock while waiting on the customer."),
            ("自動クローズ", "tickets.auto_close_days", "返信がない場合、7日後に自動的にクローズします。"),
            ("Webhook", "integrations.webhook_url", "https://hooks.example.com/services/T000/B000/XXXXXXXXXXXXXXXX"),
        ]
    )
    return f"""
<h1>Reopening and routing tickets</h1>
<p>{english * 2}</p>
<h2>Before you start</h2>
<ul>
  <li>You need the <strong>Administrator</strong> role.
    <ul><li>Team leads can change routing for their own team.</li><li>Agents can only view the settings.</li></ul>
  </li>
  <li>Routing rules apply to new replies only, not to existing tickets.</li>
</ul>
<h2>Steps</h2>
<ol>
  <li>Open <em>Admin → Tickets → Routing</em>.</li>
  <li>Enable <strong>Auto-reopen</strong>.
    <ol><li>Choose who receives reopened tickets.</li><li>Set the away fallback.</li></ol>
  </li>
  <li>Save and send a test reply from a customer account.</li>
</ol>
<h3>Settings reference</h3>
<table><thead><tr><th>Setting</th><th>Key</th><th>Effect</th></tr></thead><tbody>{rows}</tbody></table>
<h3>Using the API</h3>
<pre><code>curl -X PATCH https://helpdesk.example.com/api/v2/settings/routing \\
  -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\
  -d '{{"tickets": {{"reopen_on_reply": true}}, "routing": {{"away_fallback": "queue", "notify": ["lead@example.com", "ops@example.com"]}}}}'</code></pre>
<p><img src="{image}" alt="Routing settings screen"></p>
<h2>日本語のお客様向けの説明</h2>
<p>{japanese * 3}</p>
<p>{japanese * 2}</p>
<h2>Troubleshooting</h2>
<p>{english * 3}</p>
<blockquote>Tip: the audit log lists every routing decision with the rule that made it.</blockquote>
<p>{english * 2}</p>
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed renders (default 30)")
    parser.add_argument("--out", type=Path, help="also write the PDF to this file")
    args = parser.parse_args()

    body = representative_article()
    kwargs = dict(
        title="Reopening and routing tickets",
        body_html=body,
        company_name="Acme Support Inc.",
        locale="en",
        updated_at=datetime(2024, 5, 1, tzinfo=timezone.utc),
        source_url="https://support.acme.example/kb/articles/118-reopening-and-routing-tickets",
    )

    start = time.perf_counter()
    pdf = render_article_pdf(**kwargs)
    first = time.perf_counter() - start

    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        pdf = render_article_pdf(**kwargs)
        timings.append(time.perf_counter() - start)

    if args.out:
        args.out.write_bytes(pdf)
    try:
        from pypdf import PdfReader  # a test dependency, optional here
    except ImportError:
        pages = "?"
    else:
        pages = str(len(PdfReader(io.BytesIO(pdf)).pages))

    print(f"article: {len(body.encode()):,} bytes of HTML, {pages} pages")
    print(f"first render (cold: fontconfig + stylesheet): {first:.3f} s")
    print(
        f"{args.runs} renders: mean {statistics.mean(timings):.3f} s, "
        f"median {statistics.median(timings):.3f} s, "
        f"min {min(timings):.3f} s, max {max(timings):.3f} s"
    )
    print(f"PDF size: {len(pdf):,} bytes ({len(pdf) / 1024:.1f} KiB)")


if __name__ == "__main__":
    main()
