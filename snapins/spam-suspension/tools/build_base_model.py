"""Build the shipped base spam model from the seed corpus.

Reads ``snapdesk_spam_suspension/data/seed_corpus.jsonl`` (hand-written templates,
never the evaluation data) and writes ``snapdesk_spam_suspension/data/base_model.json``.

    /work/venv/bin/python snapins/spam-suspension/tools/build_base_model.py [--check]

The output is deterministic for a given corpus, so rebuilding produces no diff unless
the corpus or the feature extraction changed.  ``--check`` exits 1 when the committed
file is stale instead of writing it (useful in CI).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SNAPIN_DIR = Path(__file__).resolve().parents[1]
if str(SNAPIN_DIR) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(SNAPIN_DIR))

from snapdesk_spam_suspension.classifier import Message, SpamModel  # noqa: E402

DATA_DIR = SNAPIN_DIR / "snapdesk_spam_suspension" / "data"
CORPUS = DATA_DIR / "seed_corpus.jsonl"
OUTPUT = DATA_DIR / "base_model.json"

#: Vocabulary cap of the base model.  The seed corpus is small, so this mostly guards
#: the ~300 KB budget for the committed file should the corpus grow.
BASE_MAX_FEATURES = 8000
#: Features seen in fewer seed messages are dropped: with a few hundred templated
#: examples a single occurrence is mostly template noise, not evidence.
BASE_MIN_COUNT = 2
#: Share of spam assumed among inbound support messages.  The seed corpus is roughly
#: balanced on purpose (to cover the spam genres), so its class ratio is no base rate;
#: the base model instead contributes len(corpus) pseudo-messages at this rate to the
#: prior, which a workspace's learned messages then gradually outweigh.
ASSUMED_SPAM_RATE = 0.2
SIZE_BUDGET_BYTES = 300_000


def read_corpus(path: Path) -> list[tuple[Message, bool]]:
    """Parse the seed corpus: one JSON object per line with ``label`` ("spam"/"ham"),
    ``text`` and optional ``subject``, ``sender_email``, ``sender_known``."""
    examples: list[tuple[Message, bool]] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("label") not in ("spam", "ham") or not isinstance(row.get("text"), str):
                raise ValueError(f"{path}:{lineno}: need label spam/ham and a text")
            msg = Message(text=row["text"], subject=row.get("subject", ""),
                          sender_email=row.get("sender_email"),
                          sender_known=bool(row.get("sender_known", False)))
            examples.append((msg, row["label"] == "spam"))
    return examples


def build(examples: list[tuple[Message, bool]]) -> SpamModel:
    """Train a fresh model on ``examples`` and prune it to BASE_MAX_FEATURES."""
    n_spam = sum(1 for _, s in examples if s)
    model = SpamModel(max_features=BASE_MAX_FEATURES, meta={
        "name": "snapdesk-seed-base",
        "source": "seed_corpus.jsonl",
        "examples": {"spam": n_spam, "ham": len(examples) - n_spam},
        "min_count": BASE_MIN_COUNT,
        "assumed_spam_rate": ASSUMED_SPAM_RATE,
    })
    model.learn_many(examples)
    model.prune()
    model.drop_rare(BASE_MIN_COUNT)
    model.set_prior(ASSUMED_SPAM_RATE, weight=len(examples))
    return model


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--output", type=Path, default=OUTPUT)
    ap.add_argument("--check", action="store_true", help="fail if the output is stale, do not write")
    args = ap.parse_args(argv)

    model = build(read_corpus(args.corpus))
    text = model.to_json() + "\n"
    size = len(text.encode("utf-8"))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale; rerun {Path(__file__).name}", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}: {model.vocabulary_size} features, "
          f"{model.messages_learned} messages, {size / 1024:.1f} KB")
    if size > SIZE_BUDGET_BYTES:
        print(f"warning: over the {SIZE_BUDGET_BYTES // 1000} KB budget, lower BASE_MAX_FEATURES",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
