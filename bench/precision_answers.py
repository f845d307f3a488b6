"""Same answers in either precision: metrics and answer texts with BRIEFBOT_PRECISION=fp32 and =auto.

For each precision, whole `briefbot` processes as a user runs them:

1. ingest the dev corpus (seeds/ + the Niger feed) and the Maui corpus (bench/corpus-maui.jsonl.gz)
   into fresh data dirs, so the stored vectors are in that precision;
2. `briefbot eval --answers` on the dev set and the Niger blind set (dev corpus) and the Maui blind
   set, with questions encoded in the same precision.

Prints, per question set, each metric in both precisions and how many answers are the same text
(answer, abstained and cited documents). Writes bench/results/precision_answers.json.

Usage: python bench/precision_answers.py [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = {"dev": [ROOT / "seeds", SHARED / "data" / "niger-2023-rss.jsonl"],
           "maui": [ROOT / "bench" / "corpus-maui.jsonl.gz"]}
SETS = [("dev", "dev", SHARED / "eval" / "dev.jsonl"), ("Niger blind", "dev", ROOT / "bench" / "extra-questions.jsonl"),
        ("Maui blind", "maui", ROOT / "bench" / "blind-maui.jsonl")]
METRICS = ("hit@5", "mrr@10", "answer_acc", "citation_precision", "abstain_rate", "false_abstain")


def briefbot(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"briefbot {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def answer_key(row: dict) -> tuple:
    """What a reader sees of one answer: the text, whether it abstained, which documents it cites."""
    cited = tuple(sorted(c.get("doc_id") or c.get("url", "") for c in row.get("citations", [])))
    return row.get("answer", ""), row.get("abstained"), cited


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/briefbot-precision"))
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    results: dict[str, dict] = {}
    for precision in ("fp32", "auto"):
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "BRIEFBOT_PRECISION": precision}
        for corpus, inputs in CORPORA.items():
            started = time.perf_counter()
            briefbot(["--data-dir", str(args.work / f"{corpus}-{precision}"), "ingest", "-q", *map(str, inputs)], env)
            print(f"[{precision}] ingested {corpus} in {time.perf_counter() - started:.0f} s", flush=True)
        for name, corpus, questions in SETS:
            out = args.work / f"{name.replace(' ', '-')}-{precision}.jsonl"
            text = briefbot(["--data-dir", str(args.work / f"{corpus}-{precision}"), "eval", str(questions),
                             "--answers", str(out)], env)
            metrics = json.loads(text.strip().splitlines()[-1])
            rows = {r["id"]: answer_key(r) for r in map(json.loads, out.read_text().splitlines())}
            results.setdefault(name, {})[precision] = {"metrics": metrics, "rows": rows}
    print(f"\n{'set':<12} {'metric':<19} {'fp32':>7} {'auto':>7}")
    summary = {}
    for name, by in results.items():
        for metric in METRICS:
            print(f"{name:<12} {metric:<19} {by['fp32']['metrics'].get(metric)!s:>7} "
                  f"{by['auto']['metrics'].get(metric)!s:>7}")
        fp32_rows, auto_rows = by["fp32"]["rows"], by["auto"]["rows"]
        same = sum(fp32_rows[q] == auto_rows.get(q) for q in fp32_rows)
        differ = sorted(q for q in fp32_rows if fp32_rows[q] != auto_rows.get(q))
        shown = f"  differ: {differ}" if differ else ""
        print(f"{name:<12} {'identical answers':<19} {same}/{len(fp32_rows)}{shown}")
        summary[name] = {"fp32": by["fp32"]["metrics"], "auto": by["auto"]["metrics"],
                         "identical": same, "questions": len(fp32_rows), "differ": differ}
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "precision_answers.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
