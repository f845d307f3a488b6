"""Feed-item ingest throughput of two versions of briefbot, side by side in one run.

Did a change slow down ingest? Check out the old version somewhere (`git worktree add
/tmp/old REV`), then:

    python bench/ingest_versions.py --old /tmp/old --limit 2000 --repeat 2

Takes the first N items of a JSONL(.gz) feed export and times `briefbot ingest` of them into
an empty data dir (whole processes, model load included) with each version's code, alternating
old and new so that a busy machine hurts both alike. Prints one table: seconds and items/s per
run, the median of each, and new/old.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from ingest_throughput import first_items  # noqa: E402 - a sibling script, not a package

DEFAULT_FILE = ROOT.parent / "shared" / "data" / "news-2023-07-to-10-en.jsonl.gz"


def timed_ingest(code: Path, items: Path, data_dir: Path) -> float:
    """Seconds of one `briefbot ingest` process running the code in folder `code`."""
    shutil.rmtree(data_dir, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(code), "BRIEFBOT_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", "-q", str(items)], cwd=code, env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"ingest with {code} failed: {done.stderr[-500:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", type=Path, required=True, help="folder with the old version's code")
    parser.add_argument("--new", type=Path, default=ROOT, help="folder with the new version's code (default: here)")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-versions-") as tmp:
        items = Path(tmp) / "items.jsonl"
        n = first_items(args.file, args.limit, items)
        runs: dict[str, list[float]] = {"old": [], "new": []}
        print("| run | version | seconds | items/s |")
        print("|---|---|---|---|")
        for r in range(args.repeat):
            for name in ("old", "new") if r % 2 == 0 else ("new", "old"):
                code = args.old if name == "old" else args.new
                seconds = timed_ingest(code.resolve(), items, Path(tmp) / f"data-{name}")
                runs[name].append(seconds)
                print(f"| {r + 1} | {name} | {seconds:.1f} | {n / seconds:.1f} |", flush=True)
        old, new = statistics.median(runs["old"]), statistics.median(runs["new"])
        print(f"\n{n} items: old median {old:.1f} s ({n / old:.1f} items/s), new median {new:.1f} s "
              f"({n / new:.1f} items/s); new/old time {new / old:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
