"""Statistical spam classifier for the spam-suspension snap-in.

Pure Python 3.11 standard library, no imports from the rest of snapdesk, so it can be
used (and tested) on its own.

Model: a *binarized* multinomial naive Bayes.  Every message is turned into a set of
features (each feature counted at most once per message, which is the variant known
to work best on short texts) and the model keeps, per feature, how many spam and how
many ham messages contained it.  Scoring sums the per-feature log-likelihood ratios of
the features the model has seen, damps the sum by ``CALIBRATION_SCALE`` (naive Bayes
double-counts correlated evidence such as a word and the bigrams containing it, which
makes raw NB probabilities wildly over-confident) and maps it through a logistic.

Features:
  * word tokens, lower-cased and accent-folded (``"Contraseña"`` -> ``"contrasena"``);
  * word bigrams over the token stream, where links, phone numbers, sums of money and
    digit runs appear as placeholders (``"call <phone>"``, ``"win <money>"``);
  * ``__url__``, ``__urls:N`` (link count bucket) and ``__domain:example.com``;
  * ``__email__``, ``__phone__``, ``__money__`` and ``__num:N`` (digit-run length shape);
  * ``__caps:some`` / ``__caps:most`` (share of ALL-CAPS words) and ``__excl``;
  * sender signals: ``__sender_domain:x``, ``__sender:freemail``, ``__sender:known`` and
    ``__sender:unknown`` (the latter two only when the caller supplied sender data).

Layering: a workspace's learned counts live in their own small ``SpamModel`` that is
stacked over the shipped base model with :meth:`SpamModel.combine`; lookups add the
counts of both layers, so the base is never copied and ``to_dict()`` of the stacked
model only contains the workspace's own counts.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

__all__ = [
    "DEFAULT_THRESHOLD",
    "CALIBRATION_SCALE",
    "SMOOTHING",
    "DEFAULT_MAX_FEATURES",
    "Message",
    "SpamModel",
    "extract_features",
    "describe_feature",
    "load_base_model",
]

#: Score at or above which a message is treated as spam.  Chosen for high precision
#: (a false positive suspends a real customer): see EVALUATION.md / bench/evaluate.py
#: ``--tune``, which picks it by cross-validation on the *training* split only.
DEFAULT_THRESHOLD: float = 0.9

#: Multiplier on the summed naive Bayes log-likelihood ratio (temperature, < 1 damps
#: the over-confidence caused by correlated features).  Tuned like DEFAULT_THRESHOLD.
CALIBRATION_SCALE: float = 0.5

#: Additive (Lidstone) smoothing of the per-class feature probabilities.
SMOOTHING: float = 2.0

#: Default vocabulary cap of a model (per layer).  Keeps a workspace's learned state
#: small enough for a database JSON column (~25 bytes per entry serialized).
DEFAULT_MAX_FEATURES: int = 4000

_FORMAT_VERSION = 1

# Free-mail providers: a message from a free-mail address is weak evidence on its own
# (many real customers use them), the model learns how much it is worth.
_FREEMAIL = frozenset(
    """gmail.com googlemail.com yahoo.com yahoo.co.uk yahoo.fr yahoo.es ymail.com
    hotmail.com hotmail.co.uk hotmail.fr hotmail.es outlook.com live.com msn.com aol.com
    icloud.com me.com mac.com gmx.com gmx.de gmx.net web.de mail.com mail.ru yandex.ru
    yandex.com protonmail.com proton.me tutanota.com zoho.com qq.com 163.com 126.com
    laposte.net orange.fr free.fr libero.it uol.com.br bol.com.br rediffmail.com""".split()
)

_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    # bare domains only with a known TLD, so "e.g." or "ok.thanks" are not links
    r"|\b(?:[a-z0-9-]+\.)+(?:com|net|org|info|biz|io|ly|me|co|uk|ru|cn|xyz|top|club|"
    r"online|site|shop|win|link|click|de|fr|es|it|nl|br|in|tk)\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_MONEY_RE = re.compile(
    r"[£$€¥]\s?\d[\d,.]*(?:\s?(?:k|m|million|thousand))?"
    r"|\b\d[\d,.]*\s?(?:£|\$|€|usd|eur|gbp|pounds?|dollars?|euros?|bucks)\b",
    re.IGNORECASE,
)
# 9+ digits with the usual separators: phone numbers (and, inevitably, some long ids)
_PHONE_RE = re.compile(r"\+?\(?\d(?:[\d\s().-]{7,}\d)")
_TOKEN_RE = re.compile(r"<[a-z]+>|[a-z0-9]+(?:'[a-z]+)?")
_DIGITS_RE = re.compile(r"\d+")
_WORD_RE = re.compile(r"[^\W\d_]{2,}")
_MULTI_PART_SUFFIX = frozenset({"co", "com", "org", "net", "gov", "ac", "edu"})


@dataclass
class Message:
    """One inbound message to classify.

    ``text`` is the body, ``subject`` the subject line (may be empty).  ``sender_email``
    is the sender address when the channel has one (``None`` means "no information").
    ``sender_known`` is True when the sender is a known / verified contact of the
    workspace; it is only used as a signal, never as a whitelist.
    """

    text: str
    subject: str = ""
    sender_email: str | None = None
    sender_known: bool = False


def _fold(text: str) -> str:
    """Lower-case and strip accents (NFKD, drop combining marks)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _registered_domain(host: str) -> str:
    """Reduce ``a.b.example.co.uk`` to ``example.co.uk`` (heuristic, no PSL)."""
    parts = [p for p in host.lower().strip(".").split(".") if p]
    if len(parts) >= 3 and parts[-2] in _MULTI_PART_SUFFIX and len(parts[-1]) == 2:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def _url_domain(url: str) -> str:
    host = re.sub(r"^(?:https?://)", "", url, flags=re.IGNORECASE)
    host = re.split(r"[/?#:]", host, maxsplit=1)[0]
    return _registered_domain(host)


def _num_bucket(n_digits: int) -> str:
    if n_digits <= 2:
        return "1"
    if n_digits <= 4:
        return "3"
    if n_digits <= 6:
        return "5"
    return "7"


def extract_features(msg: Message) -> set[str]:
    """Return the set of features of ``msg`` (deterministic, order-free).

    Contract: depends only on the message; equal messages up to letter case and accents
    give equal word/bigram features.  See the module docstring for the feature names.
    """
    raw = f"{msg.subject}\n{msg.text}" if msg.subject else msg.text
    feats: set[str] = set()

    # Shape features are measured on the raw text (case matters for caps).
    words = _WORD_RE.findall(raw)
    if len(words) >= 3:
        caps = sum(1 for w in words if w.isupper()) / len(words)
        if caps >= 0.6:
            feats.add("__caps:most")
        elif caps >= 0.25:
            feats.add("__caps:some")
    if raw.count("!") >= 2:
        feats.add("__excl")

    text = _fold(raw)

    # Replace structured spans by placeholders before tokenizing so that their pieces
    # do not become words, while bigrams like "call <phone>" still see them.
    urls = _URL_RE.findall(text)
    if urls:
        feats.add("__url__")
        feats.add(f"__urls:{min(len(urls), 3)}")
        feats.update(f"__domain:{_url_domain(u)}" for u in urls)
    text = _URL_RE.sub(" <url> ", text)
    if _EMAIL_RE.search(text):
        feats.add("__email__")
        text = _EMAIL_RE.sub(" <email> ", text)
    if _MONEY_RE.search(text):
        feats.add("__money__")
        text = _MONEY_RE.sub(" <money> ", text)

    def _phone(m: re.Match[str]) -> str:
        if sum(c.isdigit() for c in m.group()) >= 9:
            feats.add("__phone__")
            return " <phone> "
        return m.group()

    text = _PHONE_RE.sub(_phone, text)

    tokens: list[str] = []
    for tok in _TOKEN_RE.findall(text):
        if tok.isdigit():
            feats.add(f"__num:{_num_bucket(len(tok))}")
            tok = "<num>"
        elif any(c.isdigit() for c in tok):
            tok = _DIGITS_RE.sub("#", tok)  # "150p" -> "#p", "2day" -> "#day"
        tokens.append(tok)
    feats.update(t for t in tokens if not t.startswith("<"))
    feats.update(f"{a} {b}" for a, b in zip(tokens, tokens[1:]))

    if msg.sender_email and "@" in msg.sender_email:
        domain = msg.sender_email.rsplit("@", 1)[1].strip().lower().rstrip(">")
        if domain:
            feats.add(f"__sender_domain:{domain}")
            if domain in _FREEMAIL:
                feats.add("__sender:freemail")
        if not msg.sender_known:
            feats.add("__sender:unknown")
    if msg.sender_known:
        feats.add("__sender:known")
    return feats


def describe_feature(feature: str) -> str:
    """Human-readable description of a feature name, for suspension reasons."""
    if feature.startswith("__domain:"):
        return f"links to {feature[9:]}"
    if feature.startswith("__urls:"):
        n = feature[7:]
        return "contains a link" if n == "1" else f"contains {n}{'+' if n == '3' else ''} links"
    if feature.startswith("__num:"):
        return {"1": "contains a short number", "3": "contains a 3-4 digit number",
                "5": "contains a 5-6 digit number (short code?)",
                "7": "contains a long digit run"}.get(feature[6:], "contains a number")
    if feature.startswith("__sender_domain:"):
        return f"sender domain {feature[16:]}"
    fixed = {
        "__url__": "contains a link",
        "__email__": "contains an email address",
        "__phone__": "contains a phone number",
        "__money__": "mentions a sum of money",
        "__caps:most": "mostly ALL-CAPS words",
        "__caps:some": "many ALL-CAPS words",
        "__excl": "several exclamation marks",
        "__sender:freemail": "sender uses a free-mail address",
        "__sender:unknown": "sender is not a known contact",
        "__sender:known": "sender is a known contact",
    }
    if feature in fixed:
        return fixed[feature]
    if " " in feature:
        return f'phrase "{feature}"'
    return f'word "{feature}"'


class SpamModel:
    """Binarized multinomial naive Bayes spam model with optional base layer.

    Contract:
      * ``score(msg)`` returns P(spam) in [0, 1]; monotone in the evidence, and
        comparable against ``DEFAULT_THRESHOLD``.
      * ``learn(msg, is_spam)`` updates *this* layer's counts only (never the base).
      * ``to_dict()`` is JSON-serialisable and contains only this layer's counts;
        ``from_dict(to_dict())`` (re-combined with the same base) scores identically.
      * The vocabulary of this layer is kept at most ``max_features * 1.25`` entries:
        when that is exceeded it is pruned back to ``max_features`` by dropping the
        rarest (and, among equals, the oldest) features.  Pruned features keep their
        mass in the class totals, so surviving probabilities are not inflated.
        (Serialized size is roughly 20-25 bytes per entry; call ``prune()`` before
        storing to get down to exactly ``max_features``.)
      * Not thread-safe: guard ``learn`` with a lock if a model is shared.
    """

    def __init__(self, max_features: int = DEFAULT_MAX_FEATURES, meta: dict[str, Any] | None = None) -> None:
        if max_features < 1:
            raise ValueError("max_features must be >= 1")
        self.max_features = max_features
        self.meta: dict[str, Any] = dict(meta or {})
        self._base: SpamModel | None = None
        # feature -> [messages of class spam containing it, ... of class ham]
        self._counts: dict[str, list[int]] = {}
        self._docs = [0, 0]  # messages learned: [spam, ham]
        self._totals = [0, 0]  # feature occurrences learned: [spam, ham]
        self._novel = 0  # features of this layer absent from the base (for vocab size)
        # Pseudo-counts [spam, ham] used for the class prior *instead of* _docs.  The
        # seed corpus is deliberately balanced, so its class ratio is not a base rate.
        self._prior_docs: list[float] | None = None

    # ----------------------------------------------------------------- layering
    @classmethod
    def combine(cls, base: SpamModel, learned: SpamModel | None = None) -> SpamModel:
        """Stack ``learned`` (or a fresh empty layer) over ``base``.

        The returned model shares ``learned``'s counts (it is a view, not a copy: later
        ``learn()`` calls on it update ``learned`` too) and reads ``base`` without
        modifying or copying it.
        """
        top = cls(max_features=learned.max_features if learned else DEFAULT_MAX_FEATURES,
                  meta=learned.meta if learned else None)
        if learned is not None:
            if learned._base is not None and learned._base is not base:
                raise ValueError("learned layer is already stacked over another base")
            top._counts, top._docs, top._totals = learned._counts, learned._docs, learned._totals
            top._prior_docs = learned._prior_docs
        top._base = base
        top._novel = sum(1 for f in top._counts if base._lookup(f) is None)
        return top

    @property
    def base(self) -> SpamModel | None:
        """The read-only layer under this one, if any."""
        return self._base

    def _lookup(self, feature: str) -> tuple[int, int] | None:
        own = self._counts.get(feature)
        below = self._base._lookup(feature) if self._base is not None else None
        if own is None:
            return below
        if below is None:
            return own[0], own[1]
        return own[0] + below[0], own[1] + below[1]

    def set_prior(self, spam_rate: float, weight: float) -> None:
        """Make this layer contribute ``weight`` pseudo-messages at ``spam_rate`` to the
        class prior instead of its learned message counts (used by the base model)."""
        if not 0.0 < spam_rate < 1.0 or weight < 0:
            raise ValueError("need 0 < spam_rate < 1 and weight >= 0")
        self._prior_docs = [spam_rate * weight, (1.0 - spam_rate) * weight]

    def _stats(self) -> tuple[list[float], list[int], int]:
        """(prior docs, totals, vocabulary size) summed over layers."""
        own_docs = self._prior_docs if self._prior_docs is not None else self._docs
        if self._base is None:
            return list(own_docs), list(self._totals), len(self._counts)
        docs, totals, vocab = self._base._stats()
        return ([docs[0] + own_docs[0], docs[1] + own_docs[1]],
                [totals[0] + self._totals[0], totals[1] + self._totals[1]], vocab + self._novel)

    @property
    def vocabulary_size(self) -> int:
        """Number of entries stored in this layer (what ``to_dict`` serializes)."""
        return len(self._counts)

    @property
    def messages_learned(self) -> int:
        """Messages learned into this layer (excluding the base)."""
        return self._docs[0] + self._docs[1]

    # ------------------------------------------------------------------ scoring
    def contributions(self, msg: Message) -> list[tuple[str, float]]:
        """Per-feature contributions (scaled log-odds) to the score, largest first.

        Positive values push toward spam.  Features never seen by any layer are left
        out: they carry no evidence.
        """
        _, totals, vocab = self._stats()
        v = max(vocab, 1)
        denom_s = math.log(totals[0] + SMOOTHING * v)
        denom_h = math.log(totals[1] + SMOOTHING * v)
        out = []
        for f in extract_features(msg):
            c = self._lookup(f)
            if c is None or (c[0] == 0 and c[1] == 0):
                continue
            llr = (math.log(c[0] + SMOOTHING) - denom_s) - (math.log(c[1] + SMOOTHING) - denom_h)
            out.append((f, CALIBRATION_SCALE * llr))
        out.sort(key=lambda x: (-x[1], x[0]))
        return out

    def _prior(self) -> float:
        docs, _, _ = self._stats()
        return math.log((docs[0] + 1) / (docs[1] + 1))

    def score(self, msg: Message) -> float:
        """Probability that ``msg`` is spam, in [0, 1]."""
        z = self._prior() + sum(w for _, w in self.contributions(msg))
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def explain(self, msg: Message, top: int = 5) -> list[str]:
        """Human-readable descriptions of the ≤ ``top`` features that pushed ``msg``
        most toward spam (only features with a positive push), strongest first."""
        seen: list[str] = []
        for f, w in self.contributions(msg):
            if w <= 0 or len(seen) >= top:
                break
            d = describe_feature(f)
            if d not in seen:  # "__url__" and "__urls:1" read the same
                seen.append(d)
        return seen

    # ----------------------------------------------------------------- learning
    def learn(self, msg: Message, is_spam: bool) -> None:
        """Add one labelled message to this layer's counts (prunes when over cap)."""
        cls_i = 0 if is_spam else 1
        feats = extract_features(msg)
        self._docs[cls_i] += 1
        self._totals[cls_i] += len(feats)
        for f in sorted(feats):  # sorted: deterministic insertion order for pruning
            entry = self._counts.get(f)
            if entry is None:
                entry = self._counts[f] = [0, 0]
                if self._base is not None and self._base._lookup(f) is None:
                    self._novel += 1
            entry[cls_i] += 1
        if len(self._counts) > self.max_features + self.max_features // 4:
            self.prune()

    def prune(self, max_features: int | None = None) -> None:
        """Keep only the ``max_features`` (default: ``self.max_features``) most frequent
        features of this layer; among equally frequent ones the most recently added
        survive, so new vocabulary gets a chance to recur."""
        cap = self.max_features if max_features is None else max_features
        if len(self._counts) <= cap:
            return
        ranked = sorted(enumerate(self._counts.items()),
                        key=lambda it: (it[1][1][0] + it[1][1][1], it[0]), reverse=True)
        keep = sorted(ranked[:cap])  # restore insertion order
        for _, (f, _) in ranked[cap:]:
            if self._base is not None and self._base._lookup(f) is None:
                self._novel -= 1
        self._counts.clear()
        self._counts.update(item for _, item in keep)

    def drop_rare(self, min_count: int) -> None:
        """Remove this layer's features seen in fewer than ``min_count`` messages
        (their mass stays in the class totals, as with ``prune``)."""
        for f in [f for f, c in self._counts.items() if c[0] + c[1] < min_count]:
            del self._counts[f]
            if self._base is not None and self._base._lookup(f) is None:
                self._novel -= 1

    def learn_many(self, examples: Iterable[tuple[Message, bool]]) -> None:
        """``learn`` each (message, is_spam) pair in order."""
        for msg, is_spam in examples:
            self.learn(msg, is_spam)

    # ------------------------------------------------------------ serialization
    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable state of *this layer* (the base is not included)."""
        return {
            "version": _FORMAT_VERSION,
            "max_features": self.max_features,
            "meta": self.meta,
            "docs": list(self._docs),
            **({"prior_docs": self._prior_docs} if self._prior_docs is not None else {}),
            "totals": list(self._totals),
            "features": {f: [c[0], c[1]] for f, c in self._counts.items()},
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], base: SpamModel | None = None) -> SpamModel:
        """Rebuild a layer from ``to_dict()`` output, optionally stacked over ``base``.

        Raises ``ValueError`` on malformed or unsupported state.
        """
        try:
            if d["version"] != _FORMAT_VERSION:
                raise ValueError(f"unsupported spam model version {d['version']!r}")
            model = cls(max_features=int(d.get("max_features", DEFAULT_MAX_FEATURES)),
                        meta=dict(d.get("meta") or {}))
            model._docs = [int(d["docs"][0]), int(d["docs"][1])]
            model._totals = [int(d["totals"][0]), int(d["totals"][1])]
            if d.get("prior_docs") is not None:
                model._prior_docs = [float(d["prior_docs"][0]), float(d["prior_docs"][1])]
            model._counts = {str(f): [int(c[0]), int(c[1])] for f, c in d["features"].items()}
        except (KeyError, TypeError, IndexError, AttributeError) as exc:
            raise ValueError(f"malformed spam model state: {exc!r}") from exc
        return cls.combine(base, model) if base is not None else model

    def to_json(self) -> str:
        """Compact JSON of ``to_dict()``."""
        return json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=False)


def _base_model_path() -> Any:
    # importlib.resources works for installed wheels; fall back to the source tree when
    # this file is loaded outside its package (e.g. by path).
    if __package__:
        return resources.files(__package__).joinpath("data").joinpath("base_model.json")
    return Path(__file__).resolve().parent / "data" / "base_model.json"


def load_base_model() -> SpamModel:
    """Load the base model shipped as package data (``data/base_model.json``),
    built from the seed corpus by ``tools/build_base_model.py``.  Returns a fresh
    object on each call; callers may cache it and stack layers over it."""
    with _base_model_path().open("r", encoding="utf-8") as fh:
        return SpamModel.from_dict(json.load(fh))
