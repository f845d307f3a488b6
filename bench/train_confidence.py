"""Train the answer-confidence model (index/answer_confidence.py) and print its leave-one-crisis-out table.

    .venv/bin/python bench/train_confidence.py bench/confidence-sets.txt --stores /tmp/st [--l2 1.0] [--write]

The sets file lists one question set per line: `NAME STORE QUESTIONS [GROUP]`, where STORE is a
briefbot data dir under --stores already holding the set's corpus (`briefbot --data-dir
/tmp/st/maui ingest bench/corpus-maui.jsonl.gz`; Niger: seeds/ and ../shared/data/niger-2023-rss.jsonl,
`nigerbig` adds every tenth item of the big news file) and GROUP the crisis (default NAME). Sets of one
crisis share a GROUP, so that crisis is held out whole. Every question is asked with the model off
(every answer kept); each answer's best-quote evidence is recorded with whether the answer was right
(answerable: every answer group matched; unanswerable: never). A logistic model on standardised
features (L2-penalised, scipy's L-BFGS) is then fitted:

- once per crisis, on all the others, to predict that crisis's answers; the table shows, per
  threshold, the right answers those predictions withhold, the unanswerable questions they ask back
  and the wrong answers they withhold;
- once on everything: the constants to put in index/answer_confidence.py (`--write` rewrites them).

Needs scipy (a dependency of briefbot through sentence-transformers and the digest's clustering).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import numpy as np  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

from bot.cli import parse_day  # noqa: E402
from index import Briefbot, Settings  # noqa: E402
from index.answer import ExtractiveAnswerer  # noqa: E402
from index.answer_confidence import QuoteEvidence  # noqa: E402
from index.evaluate import answer_matches  # noqa: E402

THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)


def collect(sets_file: Path, stores: Path) -> list[tuple[list[float], bool, str, str]]:
    """(features, right, question type, crisis) of every answer the extractive answerer gives."""
    rows: list[tuple[list[float], bool, str, str]] = []
    seen: list[QuoteEvidence] = []  # the best-quote evidence of the question being asked
    for line in sets_file.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, store, questions, *group = line.split()
        engine = Briefbot(Settings(data_dir=stores / store, _env_file=None))
        answerer = engine.answerer
        if not isinstance(answerer, ExtractiveAnswerer):
            raise SystemExit("the confidence model is the extractive answerer's: unset BRIEFBOT_ANSWERER")
        answerer.abstain_below = 0.0
        answerer.on_evidence = lambda question, evidence: seen.append(evidence)
        path = Path(questions) if Path(questions).is_absolute() else ROOT / questions
        n = 0
        for q in map(json.loads, filter(str.strip, path.read_text().splitlines())):
            if q.get("type") not in ("answerable", "unanswerable"):
                continue
            seen.clear()
            since, until = (parse_day(q[k]) if q.get(k) else None for k in ("since", "until"))
            answer = engine.ask(q["question"], since, until)
            if answer.abstained or not seen:
                continue
            right = q["type"] == "answerable" and answer_matches(answer.answer, q["answer_all_of_any"])
            rows.append((list(seen[-1].vector()), right, q["type"], group[0] if group else name))
            n += 1
        print(f"{name}: {n} answers", file=sys.stderr)
    return rows


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """Logistic weights (the last is the bias) on already standardised `x`."""
    xb = np.c_[x, np.ones(len(x))]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        value = -(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12)).sum() + l2 * w[:-1] @ w[:-1]
        grad = xb.T @ (p - y)
        grad[:-1] += 2 * l2 * w[:-1]
        return value, grad

    return minimize(loss, np.zeros(xb.shape[1]), jac=True, method="L-BFGS-B").x


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Chances from weights `w` (bias last) on standardised `x`."""
    return 1.0 / (1.0 + np.exp(-(np.c_[x, np.ones(len(x))] @ w)))


def write_constants(mean: np.ndarray, scale: np.ndarray, w: np.ndarray) -> None:
    """Rewrite the trained constants in index/answer_confidence.py."""
    path = ROOT / "index" / "answer_confidence.py"
    text = path.read_text()

    def tup(values: np.ndarray) -> str:
        return "(" + ", ".join(f"{v:.3f}" for v in values) + ")"

    for name, value in (("FEATURE_MEAN", tup(mean)), ("FEATURE_SCALE", tup(scale)), ("WEIGHTS", tup(w[:-1]))):
        text = re.sub(rf"^{name}: tuple\[float, \.\.\.\] = .*$", f"{name}: tuple[float, ...] = {value}", text,
                      flags=re.M)
    text = re.sub(r"^BIAS = .*$", f"BIAS = {w[-1]:.3f}", text, flags=re.M)
    path.write_text(text)


def main() -> int:
    """Collect, cross-validate by crisis, fit on everything."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", type=Path, help="file of 'NAME STORE QUESTIONS [GROUP]' lines")
    parser.add_argument("--stores", type=Path, default=Path("."), help="directory holding the stores the sets name")
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty on the standardised weights")
    parser.add_argument("--write", action="store_true", help="rewrite the constants in index/answer_confidence.py")
    args = parser.parse_args()
    rows = collect(args.sets, args.stores)
    x = np.array([r[0] for r in rows])
    y = np.array([r[1] for r in rows], float)
    kinds = np.array([r[2] for r in rows])
    groups = np.array([r[3] for r in rows])
    mean, scale = x.mean(0), x.std(0) + 1e-9
    xs = (x - mean) / scale
    held_out = np.zeros(len(rows))
    for g in sorted(set(groups)):
        test = groups == g
        held_out[test] = predict(fit(xs[~test], y[~test], args.l2), xs[test])
    print(f"\n{len(rows)} answers given ({int(y.sum())} right, {int((kinds == 'unanswerable').sum())} to "
          f"unanswerable questions), {len(set(groups))} crises, each predicted by a model trained on the others\n")
    print("| withheld below | answers withheld | right ones lost | unanswerable asked back | wrong ones withheld |")
    print("|---|---|---|---|---|")
    for t in THRESHOLDS:
        cut = held_out < t
        lost, asked_back = int((cut & (y == 1)).sum()), int((cut & (kinds == "unanswerable")).sum())
        wrong = int((cut & (y == 0) & (kinds == "answerable")).sum())
        print(f"| {t:.2f} | {int(cut.sum())} | {lost} | {asked_back} | {wrong} |")
    w = fit(xs, y, args.l2)
    print("\nweights on standardised features (all crises):")
    for name, value in zip((*QuoteEvidence.names(), "bias"), w, strict=True):
        print(f"  {name:18} {value:+.3f}")
    if args.write:
        write_constants(mean, scale, w)
        print("constants written to index/answer_confidence.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
