"""Where the time of each question goes: the slowest questions with their store and index calls.

    .venv/bin/python bench/question_timing.py QUESTIONS.jsonl [--top 12]

Uses the configured store (BRIEFBOT_DATA_DIR / BRIEFBOT_CHROMA_URL, as every command does).
Every question of the JSONL file (`question`, optional `since` / `until`) is asked once after
a warm-up; each call to the store (dense search, chunk fetch, stored vectors) and the keyword
index's search is timed from outside. Prints the slowest questions as a table and writes
bench/results/question_timing.json. This is how the date-window cost of d2f6be5 was found.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()

    from index import Briefbot, Settings

    engine = Briefbot(Settings())
    engine.warm_up()
    spent: dict[str, float] = {}

    def timed(name: str, fn):
        def call(*a, **k):
            started = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[name] = spent.get(name, 0.0) + (time.perf_counter() - started) * 1000
        return call

    store = engine.store
    store.query = timed("dense", store.query)  # type: ignore[method-assign]
    store.get_chunks = timed("fetch", store.get_chunks)  # type: ignore[method-assign]
    store.embeddings = timed("vectors", store.embeddings)  # type: ignore[method-assign]
    index_type = type(engine.keywords.get())
    index_type.search = timed("bm25", index_type.search)  # type: ignore[method-assign]

    rows = []
    for line in args.questions.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if "question" not in item:
            continue
        since = date.fromisoformat(item["since"]) if item.get("since") else None
        until = date.fromisoformat(item["until"]) if item.get("until") else None
        spent.clear()
        started = time.perf_counter()
        engine.ask(item["question"], since=since, until=until)
        total = (time.perf_counter() - started) * 1000
        rows.append({"id": item.get("id", ""), "ms": round(total, 1), "window": bool(since or until),
                     **{k: round(v, 1) for k, v in spent.items()}})
    rows.sort(key=lambda r: -r["ms"])
    print(f"{'id':8} {'ms':>7} {'window':>6} {'dense':>7} {'bm25':>6} {'fetch':>6} {'vectors':>7}")
    for row in rows[: args.top]:
        print(f"{row['id']:8} {row['ms']:7.1f} {row['window']!s:>6} {row.get('dense', 0):7.1f} "
              f"{row.get('bm25', 0):6.1f} {row.get('fetch', 0):6.1f} {row.get('vectors', 0):7.1f}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "question_timing.json").write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
