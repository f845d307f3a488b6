"""kill -9 during ingest, over and over: no document is lost, duplicated or left half-written.

A driver process (this file run as a script) loads the model once, then forks one child per
ingest run and SIGKILLs it at a random point (fixed seed): after a random number of finished
batches plus a random delay, so kills land anywhere from opening the store to the last
write, at least KILLS times while the child is still working. Runs alternate between two
versions of a third of the documents (long and short swap), so every run has embedding and
writing to do, including replacing a document's chunks by fewer. A last run completes.
Then, in the test process: one chunk-0 record per distinct input, no stray chunks, every
chunk 0 carrying the final version's content hash, and every document found by its title.

Forking after the model is loaded saves a model load per run (the whole test takes seconds
per kill, not tens); torch runs on one thread so the fork is safe.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = 120  # distinct documents
DUPLICATES = 20  # lines repeating an earlier document (same link)
KILLS = 10  # kills that must land while the child is still ingesting
SEED = 20231027
SYLLABLES = ["ka", "lo", "mi", "ru", "ze", "ta", "vo", "ni", "pe", "shu", "da", "gri", "fen", "bo", "ul", "xa"]
WORDS = ("convoy envoy border council market fuel grain river bridge clinic school harvest militia patrol "
         "ministry tribunal ferry airport cattle drought embassy curfew election pipeline").split()


def title_word(i: int, salt: int) -> str:
    """A made-up word unique to document i (so its title finds it among all others)."""
    return (SYLLABLES[i % 16] + SYLLABLES[(i // 16) % 16] + SYLLABLES[(i + salt) % 16] + "ov").capitalize()


def make_items(version: int) -> list[dict]:
    """The input lines of one version: DOCS documents plus DUPLICATES repeated lines."""
    rng = random.Random(SEED)
    items = []
    for i in range(DOCS):
        volatile = i % 3 == 0
        long_doc = (i % 4 == 0) != (volatile and version == 1)  # volatile documents swap long and short
        sentences = 20 if long_doc else 3  # 20 sentences: 2 chunks
        body = " ".join(
            f"The {rng.choice(WORDS)} near {title_word(i, 7)} saw {rng.choice(WORDS)} talks on day {k} of {i}."
            for k in range(sentences))
        if volatile and version == 1:
            body = f"Revised report. {body}"
        items.append({"title": f"{title_word(i, 3)} {rng.choice(WORDS)} dispute in {title_word(i, 7)}",
                      "description": body, "link": f"https://crash.example/{i}",
                      "date_published": f"2023-08-{1 + i % 28:02d}T10:00:00Z", "language": "en"})
    items += [dict(items[rng.randrange(DOCS)]) for _ in range(DUPLICATES)]
    rng.shuffle(items)
    return items


def driver(data_dir: Path, work: Path, kills: int, seed: int) -> dict:
    """Fork ingest children and kill them at random points; finish with one complete run."""
    import torch

    torch.set_num_threads(1)
    import index.engine as engine_module
    from index import Briefbot, Settings
    from index.sources import load_paths
    from index.types import Document

    engine_module.INGEST_BATCH = 15  # small batches: many resumable steps in a small corpus
    inputs = []
    for version in (0, 1):
        path = work / f"items-v{version}.jsonl"
        path.write_text("".join(json.dumps(item) + "\n" for item in make_items(version)))
        inputs.append(path)
    bb = Briefbot(Settings(data_dir=data_dir, _env_file=None))
    bb.embedder.encode(["warm up"])  # the model is loaded before the first fork
    rng = random.Random(seed)
    batches = -(-DOCS // engine_module.INGEST_BATCH)
    landed, attempts, points = 0, 0, []
    while landed < kills and attempts < 3 * kills:
        path = inputs[attempts % 2]
        attempts += 1
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: one ingest run, as `briefbot ingest` does it; one byte per finished batch
            os.close(read_end)
            try:
                bb.ingest([path], on_progress=lambda _report, fd=write_end: os.write(fd, b"."))
            finally:
                os._exit(0)
        os.close(write_end)
        after, delay = rng.randrange(batches), rng.uniform(0.0, 0.5)
        seen = 0
        while seen < after and os.read(read_end, 1):
            seen += 1
        time.sleep(delay)
        os.close(read_end)
        if os.waitpid(pid, os.WNOHANG)[0] == 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            landed += 1
            points.append(f"{seen}+{delay:.2f}s")
    report = bb.ingest([inputs[1]])  # the re-run, to completion, with the final version
    # Findability is checked here, where torch runs on one thread (fast on a busy machine).
    final = list({d.id: d for d in load_paths([inputs[1]], 10**8) if isinstance(d, Document)}.values())
    missed = [d.title for d in final if d.id not in {h.doc_id for h in bb.search(d.title, k=3)}]
    return {"kills": landed, "attempts": attempts, "points": points, "final_added": report.added,
            "final_updated": report.updated, "final_unchanged": report.unchanged, "final_path": str(inputs[1]),
            "searched": len(final), "missed": missed}


def test_kill_minus_nine_during_ingest_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    from index import Briefbot, Settings
    from index.chunking import content_hash
    from index.sources import load_paths
    from index.types import Document

    data_dir = tmp_path / "data"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, str(data_dir), str(tmp_path), str(KILLS), str(SEED)],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["kills"] >= KILLS, result

    final = {d.id: d for d in load_paths([Path(result["final_path"])], 10**8) if isinstance(d, Document)}
    assert len(final) == DOCS
    bb = Briefbot(Settings(data_dir=data_dir, _env_file=None))
    records: dict[str, list[dict]] = defaultdict(list)
    ids: list[str] = []
    for chunk in bb.store.iter_chunks():
        ids.append(chunk.id)
        records[str(chunk.meta["doc_id"])].append(chunk.meta)
    assert len(ids) == len(set(ids)), "duplicate record ids"
    heads = {doc_id: next((m for m in metas if m["chunk"] == 0), None) for doc_id, metas in records.items()}
    assert bb.stats().documents == DOCS, "document count differs from the distinct inputs"
    assert set(heads) == set(final), "lost documents, or chunks of documents that should not exist"
    for doc_id, metas in records.items():
        head = heads[doc_id]
        assert head is not None, f"{doc_id}: chunks without chunk 0"
        assert head["hash"] == content_hash(final[doc_id]), f"{doc_id}: not the final version"
        assert sorted(m["chunk"] for m in metas) == list(range(head["chunks"])), f"{doc_id}: stray or missing chunks"
        assert {m["hash"] for m in metas} == {head["hash"]}, f"{doc_id}: chunks of two versions mixed"
    assert result["searched"] == DOCS and not result["missed"], f"not findable by title: {result['missed'][:5]}"
    print(f"\nkill -9: {result['kills']} kills mid-ingest in {result['attempts']} runs (after batches+delay: "
          f"{' '.join(result['points'])}); "
          f"final run: {result['final_added']} added, {result['final_updated']} updated, "
          f"{result['final_unchanged']} unchanged; {DOCS} distinct of {DOCS + DUPLICATES} inputs, "
          f"{len(ids)} records, all findable; {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        pytest.exit("usage: test_crash_ingest.py DATA_DIR WORK KILLS SEED")
    print(json.dumps(driver(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))))
