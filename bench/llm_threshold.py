"""Measure the model-sentence checks on labelled sentences: where to put the thresholds.

    PYTHONPATH=. .venv/bin/python bench/llm_threshold.py

Builds a store of seeds/ + tests/corpus/ + tests/injection/injected.jsonl in a temp folder,
shows each question's passages as `LLMAnswerer` would, and runs every good and bad sentence
of `tests/support/llm_cases.py` through `SentenceChecker` with the meaning thresholds off.
Prints, for good sentences and for the bad ones that pass the rule checks (citations, names,
numbers, quotes, form), the distribution of the MiniLM cosine with the closest cited
sentence and of the term support, then the good-sentence drop rate and the bad sentences let
through for a grid of thresholds.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from index import Briefbot, Settings  # noqa: E402
from index.answer import ExtractiveAnswerer  # noqa: E402
from index.llm_answer import LLMAnswerer  # noqa: E402
from index.llm_client import ChatClient  # noqa: E402
from index.sentence_check import SentenceChecker, Verdict  # noqa: E402
from support.llm_cases import BAD, BAD_HELDOUT, GOOD, GOOD_HELDOUT, MIXED, QUESTIONS  # noqa: E402
from support.openai_standin import OpenAIStandin, Request  # noqa: E402


def measure(heldout: bool) -> tuple[list[Verdict], list[tuple[str, Verdict]], int, Briefbot]:
    data = Path(tempfile.mkdtemp(prefix="llm-threshold-"))
    engine = Briefbot(Settings(data_dir=data, _env_file=None))
    engine.ingest([ROOT / "seeds", ROOT / "tests" / "corpus", ROOT / "tests" / "injection" / "injected.jsonl"])
    checker = SentenceChecker(engine.embedder.encode_few, min_similarity=-1.0, min_term_support=0.0)
    client = ChatClient("http://127.0.0.1:9/v1", "unused")
    answerer = LLMAnswerer(client, ExtractiveAnswerer(engine.keywords.get), engine.embedder.encode, checker)
    resolver = OpenAIStandin()  # only its placeholder resolution; never started
    good: list[Verdict] = []
    bad: list[tuple[str, Verdict]] = []
    unresolved = 0
    if heldout:
        labelled = [(q, True, "good", s) for q, s in GOOD_HELDOUT] + [(q, False, c, s) for q, c, s in BAD_HELDOUT]
    else:
        labelled = [(q, True, "good", s) for q, s in GOOD] + [(q, False, c, s) for q, c, s in BAD]
        labelled += [(q, ok, "mixed", s) for q, parts in MIXED for ok, s in parts]
    for key, is_good, category, sentence in labelled:
        question = QUESTIONS[key]
        hits = engine.search(question)
        passages = answerer.passages(question, hits)
        request = Request("", {}, None, [{"n": p.n, "title": p.hit.title, "text": p.text} for p in passages])
        before = len(resolver.unresolved)
        reply = resolver.resolve(sentence, request)
        if len(resolver.unresolved) > before and is_good:
            unresolved += 1
            print(f"  (passage not shown for good sentence: {sentence[:70]})")
            continue
        for verdict in checker.check(reply, passages, question, score_all=True):
            (good.append(verdict) if is_good else bad.append((category, verdict)))
    return good, bad, unresolved, engine


def quantiles(values: list[float]) -> str:
    if not values:
        return "-"
    q = np.quantile(values, [0, 0.05, 0.25, 0.5, 0.75, 1.0])
    return " / ".join(f"{v:.2f}" for v in q)


def main() -> None:
    heldout = "--heldout" in sys.argv
    print("held-out set" if heldout else "tuning set")
    good, bad, unresolved, engine = measure(heldout)
    index = engine.keywords.get()
    rule_dropped_good = [v for v in good if v.problem]
    scored_bad = [(c, v) for c, v in bad if not v.problem]
    print(f"\ngood sentences: {len(good)} ({unresolved} skipped: passage not shown); "
          f"dropped by the rule checks: {len(rule_dropped_good)}")
    for v in rule_dropped_good:
        print(f"  good dropped by a rule: {v.claim} -- {v.problem}")
    for category, v in bad:
        print(f"  bad caught: [{category}] {v.claim[:70]} -- {v.problem}")
    print(f"bad sentences: {len(bad)}; caught by the rule checks: {len(bad) - len(scored_bad)}; "
          f"left to the meaning checks: {len(scored_bad)}")
    print("\n| sentences | n | cosine min / p5 / p25 / p50 / p75 / max "
          "| term support min / p5 / p25 / p50 / p75 / max |")
    print("|---|---|---|---|")
    g = [v for v in good if not v.problem]
    print(f"| good | {len(g)} | {quantiles([v.similarity for v in g])} | {quantiles([v.term_support for v in g])} |")
    cited_bad = [v for _, v in bad if v.cited and v.similarity != 0.0]  # scored: cites a shown passage, fit to read
    print(f"| bad, citing a shown passage | {len(cited_bad)} | {quantiles([v.similarity for v in cited_bad])} | "
          f"{quantiles([v.term_support for v in cited_bad])} |")
    b = [v for _, v in scored_bad]
    print(f"| bad, past the rules | {len(b)} | {quantiles([v.similarity for v in b])} | "
          f"{quantiles([v.term_support for v in b])} |")
    print("\nbad sentences past the rule checks:")
    for category, v in sorted(scored_bad, key=lambda cv: -cv[1].similarity):
        print(f"  {v.similarity:.2f} {v.term_support:.2f} [{category}] {v.claim}")
    print("\ngood sentences, lowest cosine first:")
    for v in sorted(g, key=lambda v: v.similarity)[:8]:
        print(f"  {v.similarity:.2f} {v.term_support:.2f} {v.claim}")
    print("\ngood sentences, lowest term support first:")
    for v in sorted(g, key=lambda v: v.term_support)[:8]:
        print(f"  {v.similarity:.2f} {v.term_support:.2f} {v.claim}")
    print("\nunsupported terms (document frequency in the store):")
    for label, verdicts in (("good", g), ("bad", b)):
        for v in verdicts:
            if v.unsupported:
                listed = ", ".join(f"{t} ({index.document_frequency(t)})" for t in v.unsupported)
                print(f"  {label}: {listed} -- {v.claim[:80]}")
    print(f"\n| min cosine | min term support | good dropped (of {len(good)}) | bad let through (of {len(bad)}) |")
    print("|---|---|---|---|")
    for sim in (0.4, 0.5, 0.55, 0.6, 0.65, 0.7):
        for support in (0.5, 0.6, 0.7, 0.8, 1.0):
            dropped = len(rule_dropped_good) + sum(v.similarity < sim or v.term_support < support for v in g)
            through = sum(v.similarity >= sim and v.term_support >= support for v in b)
            print(f"| {sim} | {support} | {dropped} ({dropped / len(good):.1%}) | {through} |")


if __name__ == "__main__":
    main()
