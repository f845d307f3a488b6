"""Ingest throughput against a bare sentence-transformers encode of the same texts.

Takes the first N items of a JSONL(.gz) feed export, then times whole processes (model load
and imports included, as a user would see them):

1. `bench/bare_encode.py`: encode "title. description" with the bundled model in fp32, nothing else;
2. `briefbot ingest` of the same items into an empty data dir, once per precision
   (`--precisions fp32,auto`: BRIEFBOT_PRECISION, side by side);
3. `briefbot ingest` again (unchanged input: must embed nothing).

Prints one table and writes the numbers as JSON (bench/results/ingest_throughput.json).

Usage: python bench/ingest_throughput.py [FILE] [--limit N] [--repeat R]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT.parent / "shared" / "data" / "news-2023-07-to-10-en.jsonl.gz"


def first_items(source: Path, limit: int, target: Path) -> int:
    opener = gzip.open if source.suffix == ".gz" else open
    count = 0
    with opener(source, "rt", encoding="utf-8") as fh, open(target, "w", encoding="utf-8") as out:
        for line in fh:
            if count >= limit:
                break
            out.write(line)
            count += 1
    return count


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    return elapsed, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--limit", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=1, help="alternate bare/ingest runs this many times")
    parser.add_argument(
        "--bare-batch-size",
        type=int,
        default=32,
        help="batch size of the bare encode (32 is sentence-transformers' default)",
    )
    parser.add_argument("--precisions", default="fp32,auto", help="BRIEFBOT_PRECISION values to ingest with")
    args = parser.parse_args()
    if not args.file.exists():
        raise SystemExit(f"no such file: {args.file}")
    work = Path(tempfile.mkdtemp(prefix="briefbot-bench-"))
    items = work / "items.jsonl"
    n = first_items(args.file, args.limit, items)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    briefbot = [sys.executable, "-m", "bot.cli"]
    rows = []
    try:
        for run in range(args.repeat):
            data_dir = work / f"data{run}"
            bare_s, _ = timed(
                [
                    sys.executable,
                    "bench/bare_encode.py",
                    str(items),
                    "--limit",
                    str(n),
                    "--batch-size",
                    str(args.bare_batch_size),
                ],
                env,
            )
            for precision in args.precisions.split(","):
                data_dir = work / f"data{run}-{precision}"
                penv = {**env, "BRIEFBOT_PRECISION": precision}
                ingest_s, summary = timed([*briefbot, "--data-dir", str(data_dir), "ingest", "-q", str(items)], penv)
                again_s, again_summary = timed([*briefbot, "--data-dir", str(data_dir), "ingest", "-q", str(items)],
                                               penv)
                rows.append(
                    {
                        "run": run + 1,
                        "precision": precision,
                        "bare_s": round(bare_s, 1),
                        "ingest_s": round(ingest_s, 1),
                        "ratio": round(ingest_s / bare_s, 3),
                        "reingest_s": round(again_s, 1),
                        "reingest_share": round(again_s / ingest_s, 3),
                        "ingest_summary": summary,
                        "reingest_summary": again_summary,
                    }
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"ingest throughput, first {n} items of {args.file.name} ({os.cpu_count()} cores, {platform.machine()}; "
        f"bare encode at batch {args.bare_batch_size})"
    )
    print(
        f"{'run':>3}  {'precision':>9}  {'bare fp32 encode s':>18}  {'ingest s':>8}  {'ratio':>6}  {'items/s':>7}  "
        f"{'re-ingest s':>11}  {'re/first':>8}"
    )
    for r in rows:
        print(
            f"{r['run']:>3}  {r['precision']:>9}  {r['bare_s']:>18}  {r['ingest_s']:>8}  {r['ratio']:>6}  "
            f"{n / r['ingest_s']:>7.1f}  {r['reingest_s']:>11}  {r['reingest_share']:>8}"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"ingest_throughput_bare{args.bare_batch_size}.json").write_text(
        json.dumps(
            {"items": n, "file": str(args.file), "bare_batch_size": args.bare_batch_size, "runs": rows}, indent=2
        )
    )


if __name__ == "__main__":
    main()
