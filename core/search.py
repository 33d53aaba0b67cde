"""Keyword search over the knowledge base: accent- and case-insensitive tokens, BM25 ranking,
highlighted titles and snippets.

Ranking runs in Python over the articles the reader may view (:func:`core.articles.viewable_articles`),
so it behaves the same on SQLite and PostgreSQL and nothing hidden can reach a score or a
snippet. Each query loads and tokenizes those articles: fine for knowledge bases of up to a few
thousand articles (milliseconds to tens of milliseconds); beyond that, keep a persisted index
(PostgreSQL ``tsvector`` or an external engine) behind the same :func:`search_articles` signature.

:class:`Tokenizer` and :class:`Bm25Index` are independent of articles so a semantic or hybrid
search can reuse them (e.g. fuse BM25 scores with embedding similarity).
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from core.db import db
from core.models import Article, Contact, Workspace

_WORD = re.compile(r"\w+", re.UNICODE)
_TAG = re.compile(r"<[^>]*>")


class Tokenizer:
    """Words folded to lowercase ASCII where possible: "Résumé" -> "resume", "Straße" -> "strasse"."""

    def fold(self, word: str) -> str:
        decomposed = unicodedata.normalize("NFKD", word)
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()

    def spans(self, text: str) -> Iterable[tuple[int, int, str]]:
        """(start, end, folded token) for each word of ``text``, in order (for highlighting)."""
        for match in _WORD.finditer(text):
            token = self.fold(match.group())
            if token:
                yield match.start(), match.end(), token

    def tokens(self, text: str) -> list[str]:
        return [token for _start, _end, token in self.spans(text)]


@dataclass
class _Document:
    # field -> token counts, and the weighted length used by length normalisation.
    counts: dict[str, Counter[str]]
    length: float


@dataclass
class Bm25Index:
    """BM25 over several weighted fields (BM25F-style: weighted term frequencies and lengths).

    Add documents with :meth:`add`, then :meth:`search`. ``weights`` maps field name to weight;
    fields not listed weigh 1.
    """

    weights: Mapping[str, float] = field(default_factory=dict)
    tokenizer: Tokenizer = field(default_factory=Tokenizer)
    k1: float = 1.2
    b: float = 0.75
    _documents: dict[Hashable, _Document] = field(default_factory=dict)
    _document_frequency: Counter[str] = field(default_factory=Counter)

    def add(self, doc_id: Hashable, fields: Mapping[str, str]) -> None:
        counts = {name: Counter(self.tokenizer.tokens(text or "")) for name, text in fields.items()}
        length = sum(self.weights.get(name, 1.0) * sum(c.values()) for name, c in counts.items())
        self._documents[doc_id] = _Document(counts=counts, length=length)
        for term in set().union(*(c.keys() for c in counts.values())) if counts else ():
            self._document_frequency[term] += 1

    def __len__(self) -> int:
        return len(self._documents)

    def search(self, query: str, limit: int | None = None) -> list[tuple[Hashable, float]]:
        """(doc_id, score) of documents matching at least one query term, best first (ties: insertion order)."""
        terms = list(dict.fromkeys(self.tokenizer.tokens(query)))
        if not terms or not self._documents:
            return []
        total = len(self._documents)
        average = sum(d.length for d in self._documents.values()) / total or 1.0
        results: list[tuple[Hashable, float]] = []
        for doc_id, document in self._documents.items():
            score = 0.0
            for term in terms:
                frequency = sum(self.weights.get(name, 1.0) * c[term] for name, c in document.counts.items())
                if not frequency:
                    continue
                df = self._document_frequency[term]
                idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
                norm = self.k1 * (1 - self.b + self.b * document.length / average)
                score += idf * frequency * (self.k1 + 1) / (frequency + norm)
            if score > 0:
                results.append((doc_id, score))
        results.sort(key=lambda item: -item[1])  # stable: equal scores keep insertion order
        return results[:limit] if limit is not None else results


# -- Highlighting -------------------------------------------------------------------------------


def highlight(text: str, terms: set[str], tokenizer: Tokenizer) -> str:
    """``text`` HTML-escaped, with words whose folded form is in ``terms`` wrapped in ``<mark>``."""
    out: list[str] = []
    position = 0
    for start, end, token in tokenizer.spans(text):
        if token in terms:
            out.append(html.escape(text[position:start]))
            out.append(f"<mark>{html.escape(text[start:end])}</mark>")
            position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


def snippet(text: str, terms: set[str], tokenizer: Tokenizer, *, words: int = 30) -> str:
    """About ``words`` words of ``text`` around its densest run of matches, highlighted and escaped."""
    spans = list(tokenizer.spans(text))
    if not spans:
        return ""
    hits = [1 if token in terms else 0 for _s, _e, token in spans]
    best_start, best_hits, window = 0, -1, 0
    for last in range(len(spans)):
        window += hits[last] - (hits[last - words] if last >= words else 0)
        first = max(0, last - words + 1)
        if window > best_hits:
            best_start, best_hits = first, window
    if best_hits > 0:
        # Lead in with a few words of context before the first match of the window.
        first_hit = next(i for i in range(best_start, len(spans)) if hits[i])
        best_start = max(0, min(first_hit - 5, len(spans) - words))
    last = min(len(spans), best_start + words) - 1
    char_start = spans[best_start][0] if best_start else 0
    char_end = spans[last][1] if last < len(spans) - 1 else len(text)
    body = highlight(text[char_start:char_end].strip(), terms, tokenizer)
    prefix = "… " if best_start else ""
    suffix = " …" if last < len(spans) - 1 else ""
    return f"{prefix}{body}{suffix}"


def html_to_text(fragment: str) -> str:
    """Visible text of (sanitized) HTML; tags become spaces so adjacent blocks do not glue words."""
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", fragment or ""))).strip()


# -- Knowledge-base search ----------------------------------------------------------------------

#: How much a match in each field counts; a title match outranks a body match.
FIELD_WEIGHTS: dict[str, float] = {"title": 3.0, "description": 1.5, "body": 1.0}
MAX_LIMIT = 50


@dataclass(frozen=True)
class SearchHit:
    article: Article
    score: float
    #: The title, HTML-escaped, matches wrapped in <mark>.
    title_html: str
    #: A passage of the description or body around the matches, escaped and highlighted.
    snippet_html: str


def search_articles(
    workspace: Workspace,
    query: str,
    *,
    contact: Contact | None,
    locale: str | None = None,
    limit: int = 10,
) -> list[SearchHit]:
    """Articles of ``workspace`` that ``contact`` may view (None: anonymous) matching ``query``,
    best first. ``locale`` restricts to articles in that locale. An empty query finds nothing."""
    from core.articles import viewable_articles  # articles is the visibility rule; search only reads it

    tokenizer = Tokenizer()
    terms = set(tokenizer.tokens(query or ""))
    if not terms:
        return []
    limit = max(1, min(int(limit), MAX_LIMIT))
    # Filter first: only viewable articles ever enter the index, so nothing hidden is scored or quoted.
    articles = {a.id: a for a in db.session.scalars(viewable_articles(workspace, contact, locale=locale))}
    index = Bm25Index(weights=FIELD_WEIGHTS, tokenizer=tokenizer)
    texts: dict[int, str] = {}
    for article in articles.values():
        body = html_to_text(article.body_html)
        texts[article.id] = " ".join(part for part in (article.description, body) if part)
        index.add(article.id, {"title": article.title, "description": article.description, "body": body})
    hits = []
    for article_id, score in index.search(query, limit):
        article = articles[article_id]  # type: ignore[index]
        hits.append(
            SearchHit(
                article=article,
                score=score,
                title_html=highlight(article.title, terms, tokenizer),
                snippet_html=snippet(texts[article.id], terms, tokenizer),
            )
        )
    return hits
