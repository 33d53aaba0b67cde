"""Knowledge-base keyword search quality on StackFAQ (thread-level), the figures the README reports.

Data: ../shared/evaldata/stackfaq (see its SOURCE.txt; not copied here). Every answer is indexed as an
article (title = its thread's question, body = the answer) with the same BM25 index and tokenizer the
portal's search uses (core.search). A query's relevant documents are the answers of its own thread.
Split "b" is held out for reporting; split "a" is for tuning (nothing here is tuned: the index runs
with the field weights it ships with). Prints MRR@10 and recall@5 for each split.

    python bench/search_quality.py [--data PATH]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from core.search import FIELD_WEIGHTS, Bm25Index

ROOT = Path(__file__).resolve().parents[1]


def load(data: Path) -> tuple[list[dict], list[dict]]:
    corpus = [json.loads(line) for line in (data / "corpus.jsonl").read_text(encoding="utf-8").splitlines() if line]
    queries = [json.loads(line) for line in (data / "queries.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return corpus, queries


def evaluate(index: Bm25Index, thread_of: dict[str, str], queries: list[dict]) -> tuple[float, float, float]:
    reciprocal, recalled, started = 0.0, 0, time.perf_counter()
    for query in queries:
        ranked = [doc_id for doc_id, _ in index.search(query["text"], limit=10)]
        hits = [rank for rank, doc_id in enumerate(ranked, start=1) if thread_of[doc_id] == query["thread"]]
        if hits:
            reciprocal += 1.0 / hits[0]
            recalled += hits[0] <= 5
    seconds = time.perf_counter() - started
    return reciprocal / len(queries), recalled / len(queries), 1000 * seconds / len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "evaldata" / "stackfaq")
    args = parser.parse_args()
    corpus, queries = load(args.data)
    started = time.perf_counter()
    index = Bm25Index(weights=FIELD_WEIGHTS)  # the weights the portal search uses
    for doc in corpus:
        index.add(doc["_id"], {"title": doc["title"], "body": doc["text"]})
    build_ms = 1000 * (time.perf_counter() - started)
    thread_of = {doc["_id"]: doc["thread"] for doc in corpus}
    print(f"StackFAQ: {len(corpus)} answers in {len(set(thread_of.values()))} threads; index built in {build_ms:.0f} ms")
    for split, label in (("b", "held out (report)"), ("a", "tuning split")):
        subset = [q for q in queries if q["split"] == split]
        mrr, recall5, ms = evaluate(index, thread_of, subset)
        print(f"split {split} ({label}), {len(subset)} queries: keyword BM25 MRR@10 {mrr:.3f}  recall@5 {recall5:.3f}  ({ms:.2f} ms/query)")


if __name__ == "__main__":
    main()
