"""The issue's "done when" checks on a big store, in server mode: several `briefbot ask` processes
at once, answer quality, per-question latency and peak RSS.

Starts `chroma run` on loopback over an existing store folder (one built by `briefbot ingest`
with BRIEFBOT_CHROMA_URL set, e.g. WORK/server-store of bench/scale_bench.py, or a copy of an
embedded store's `chroma/` folder: the format is the same), then:

1. PROCS `briefbot ask --batch Q --json` processes at once, each with its own data dir (as on
   separate hosts): are their answers identical (elapsed_ms aside)? p50/p95 elapsed_ms and
   peak RSS of each;
2. `briefbot eval ../shared/eval/dev.jsonl` against the same server: hit@5, answer_acc, ...

`--threads N` sets OMP_NUM_THREADS for the ask processes (torch's intra-op threads; on a busy
2-core machine one thread encodes a question in ~10 ms, two threads contend and take ~0.5 s).
Prints one table and writes bench/results/scale_check.json.

Usage: python bench/scale_check.py STORE_DIR [--procs 2] [--threads 1] [--questions FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_bench import BIN, QUESTION_FILES, ROOT, Server, log, percentile, write_questions


def ask_processes(url: str, questions: Path, procs: int, threads: int | None, work: Path) -> list[dict]:
    """PROCS ask processes started together; their answers, latencies and peak RSS."""
    running = []
    for i in range(procs):
        env = {**os.environ, "BRIEFBOT_CHROMA_URL": url, "BRIEFBOT_DATA_DIR": str(work / f"worker{i}")}
        if threads:
            env["OMP_NUM_THREADS"] = str(threads)
        cmd = ["/usr/bin/time", "-f", "RSS_KB %M", str(BIN / "briefbot"), "ask", "--batch", str(questions), "--json"]
        running.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                        cwd=ROOT))
    results = []
    for proc in running:
        out, err = proc.communicate(timeout=1800)
        if proc.returncode != 0:
            raise SystemExit(f"ask failed:\n{err[-2000:]}")
        answers = [json.loads(line) for line in out.splitlines() if line.strip()]
        elapsed = [a["elapsed_ms"] for a in answers if "elapsed_ms" in a]
        rss = int(next(line for line in err.splitlines()[::-1] if line.startswith("RSS_KB")).split()[1])
        results.append({"answers": [{k: v for k, v in a.items() if k != "elapsed_ms"} for a in answers],
                        "p50_ms": round(percentile(elapsed, 0.5), 1), "p95_ms": round(percentile(elapsed, 0.95), 1),
                        "max_ms": round(max(elapsed), 1), "rss_mb": round(rss / 1024),
                        "errors": sum("error" in a for a in answers)})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path, help="a Chroma store folder (served with chroma run)")
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="OMP_NUM_THREADS of the ask processes (0: unset)")
    parser.add_argument("--questions", type=Path, help="batch file (default: dev + blind question sets)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="briefbot-check-"))
    questions = args.questions or work / "questions.jsonl"
    if not args.questions:
        write_questions(questions)
    server = Server(args.store, work / "server.log")
    try:
        log(f"{args.procs} ask processes at once against {server.url}")
        started = time.perf_counter()
        procs = ask_processes(server.url, questions, args.procs, args.threads or None, work)
        wall = time.perf_counter() - started
        identical = all(p["answers"] == procs[0]["answers"] for p in procs)
        log("eval on the dev set")
        env = {**os.environ, "BRIEFBOT_CHROMA_URL": server.url, "BRIEFBOT_DATA_DIR": str(work / "worker0")}
        if args.threads:
            env["OMP_NUM_THREADS"] = str(args.threads)
        done = subprocess.run([str(BIN / "briefbot"), "eval", str(QUESTION_FILES[0])], capture_output=True,
                              text=True, env=env, cwd=ROOT, check=True)
        metrics = json.loads(done.stdout.strip().splitlines()[-1])
        server_rss = server.peak_rss_kb() // 1024
    finally:
        server.stop()
    n = len(procs[0]["answers"])
    print(f"server mode over {args.store}: {args.procs} ask processes at once, {n} questions each, "
          f"OMP_NUM_THREADS={args.threads or 'unset'}, {wall:.0f} s wall")
    print(f"identical answers: {'yes' if identical else 'NO'}; server peak RSS {server_rss} MB")
    print(f"{'process':>7} | {'p50 ms':>7} | {'p95 ms':>7} | {'max ms':>7} | {'peak RSS MB':>11} | errors")
    for i, p in enumerate(procs):
        print(f"{i:>7} | {p['p50_ms']:>7} | {p['p95_ms']:>7} | {p['max_ms']:>7} | {p['rss_mb']:>11} | {p['errors']}")
    print("dev set: " + ", ".join(f"{k} {v}" for k, v in metrics.items()))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale_check.json").write_text(json.dumps({
        "store": str(args.store), "procs": args.procs, "threads": args.threads, "identical": identical,
        "wall_s": round(wall, 1), "server_rss_mb": server_rss, "dev": metrics,
        "workers": [{k: v for k, v in p.items() if k != "answers"} for p in procs]}, indent=2))


if __name__ == "__main__":
    main()
