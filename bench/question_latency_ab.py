"""Question latency of two code trees on the same store, run alternately: before and after a change.

    .venv/bin/python bench/question_latency_ab.py --data-dir STORE --before TREE [--rounds 3]

STORE is an embedded data dir (`briefbot ingest` made it). TREE is a checkout of the earlier
code, e.g. `git worktree add /tmp/before COMMIT`; both trees run with this venv. Each tree gets
its own copy of the data dir (their keyword-index caches may differ in layout), warmed by one
untimed run. Then, round by round and alternating, each tree answers the dev and extra
question sets in one `briefbot ask --batch --json` process; the per-question `elapsed_ms`
p50 / p95 / max of every round is printed as a table. Alternating rounds keep a noisy machine
from favouring one side.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale_bench import write_questions  # noqa: E402 - a sibling script, not a package


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def ask_batch(tree: Path, data_dir: Path, questions: Path) -> list[float]:
    """Per-question elapsed_ms of one whole `briefbot ask --batch` process run from `tree`."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "BRIEFBOT_DATA_DIR": str(data_dir)}
    env.pop("BRIEFBOT_CHROMA_URL", None)
    done = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--batch", str(questions), "--json"],
                          cwd=tree, env=env, capture_output=True, text=True, check=True)
    return [json.loads(line)["elapsed_ms"] for line in done.stdout.splitlines() if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--before", type=Path, required=True, help="checkout of the earlier code")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": ROOT}
    with tempfile.TemporaryDirectory(prefix="latency-ab-") as tmp:
        questions = Path(tmp) / "questions.jsonl"
        count = write_questions(questions)
        copies = {}
        for name, tree in trees.items():
            copies[name] = Path(tmp) / name
            shutil.copytree(args.data_dir, copies[name])
            ask_batch(tree, copies[name], questions)  # warm: builds and caches the keyword index
        print(f"{count} questions per run, {args.rounds} rounds, alternating\n")
        print("| round | code | p50 ms | p95 ms | max ms |")
        print("|---|---|---|---|---|")
        for number in range(1, args.rounds + 1):
            for name, tree in trees.items():
                elapsed = ask_batch(tree, copies[name], questions)
                print(f"| {number} | {name} | {statistics.median(elapsed):.1f} | {p95(elapsed):.1f} "
                      f"| {max(elapsed):.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
