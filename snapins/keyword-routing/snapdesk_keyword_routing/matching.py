"""Whole-word, case- and accent-insensitive keyword and phrase matching."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Lowercase and strip accents: "Résumé" -> "resume"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def contains_phrase(haystack: Sequence[str], phrase: Sequence[str]) -> bool:
    """Whether the word sequence ``phrase`` occurs in ``haystack`` (whole words, in order)."""
    if not phrase:
        return False
    n = len(phrase)
    first = phrase[0]
    return any(haystack[i] == first and list(haystack[i : i + n]) == list(phrase) for i in range(len(haystack) - n + 1))


def matched_keywords(text: str, keywords: Iterable[str]) -> list[str]:
    """The keywords (single words or phrases) that occur in ``text``, in the given order."""
    haystack = words(text)
    return [keyword for keyword in keywords if contains_phrase(haystack, words(keyword))]
