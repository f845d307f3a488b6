"""Follow-up conversations, vague first messages and briefings, scored on the blind sets.

    .venv/bin/python bench/followup_eval.py --niger-data /tmp/niger --maui-data /tmp/maui
    .venv/bin/python bench/followup_eval.py --set libya /tmp/libya followups-libya.jsonl questions-libya.jsonl

The stores must already hold the corpora: seeds/ + ../shared/data/niger-2023-rss.jsonl for
Niger, bench/corpus-maui.jsonl.gz for Maui (`briefbot ingest`). Prints, per crisis:

- follow-up turns (every turn after the first of a conversation): answered correctly (every
  answer group matched, not abstained), resolved correctly (the resolved question names the
  carried subject and, for "what about X", none of the old subject's words), and both;
- vague first messages (bench/vague.jsonl): the share that abstain and ask back;
- who/which/where/when/how-many answers of the blind question sets: the share of answers that
  do not abstain and name the asked-for thing (answer groups matched);
- briefing latency, the added latency of resolving a follow-up (resolve only), and what
  searching the last answer's documents too adds to a follow-up's search.

The set files were written by a helper who had not seen the code (bench/followups.md).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# Who/which/where/when/how-many answers are checked for naming what was asked ("weekday", "year" and "time" are whens).
NAMING_CHECKED = ("who", "which", "where", "date", "weekday", "year", "time", "number")

def matched(answer: str, groups: list[list[str]]) -> bool:
    text = answer.lower()
    return all(any(s.lower() in text for s in group) for group in groups)


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))] if values else 0.0


def run(crisis: str, data_dir: Path, rows: bool, followups: Path = ROOT / "bench/followups.jsonl",
        questions: Path | None = None) -> dict:
    from index import Briefbot, Settings
    from index.conversation import NEEDS_SUBJECT, Conversation
    from index.questions import answer_kind

    engine = Briefbot(Settings(data_dir=data_dir, _env_file=None))  # type: ignore[call-arg]
    engine.warm_up()
    conversations = [json.loads(line) for line in followups.read_text().splitlines() if line.strip()]
    out: dict = {"crisis": crisis, "turns": 0, "answered": 0, "resolved": 0, "both": 0}
    resolve_ms: list[float] = []
    context_ms: list[float] = []  # what searching the last answer's documents too adds
    for conv in conversations:
        if conv.get("crisis", crisis) != crisis:
            continue
        state = Conversation()
        for i, turn in enumerate(conv["turns"]):
            started = time.perf_counter()
            resolution = engine.rewriter.resolve(turn["question"], state)
            resolve_ms.append((time.perf_counter() - started) * 1000)
            if resolution.continues and state.last is not None and state.last.sources:
                context_ms.append(_context_cost(engine, resolution.question, state.last.sources))
            answer = engine.ask(turn["question"], conversation=state)
            if answer.turn is not None:
                state = state.after(answer.turn)
            if i == 0:
                continue
            resolved = answer.searched.lower()
            ok_answer = not answer.abstained and matched(answer.answer, turn["answer_all_of_any"])
            must = [w.lower() for w in turn.get("resolved_must_contain_any", [])]
            ok_resolved = answer.used_context and (not must or any(w in resolved for w in must)) \
                and not any(w.lower() in resolved for w in turn.get("not_contain", []))
            out["turns"] += 1
            out["answered"] += ok_answer
            out["resolved"] += ok_resolved
            out["both"] += ok_answer and ok_resolved
            if rows:
                mark = ("A" if ok_answer else "-") + ("R" if ok_resolved else "-")
                print(f"{mark} {conv['id']}.{i} {turn['question']!r} -> {resolution.question!r}\n"
                      f"      {answer.answer[:160]}\n      want {turn['answer_all_of_any']}")
    vague = [json.loads(line) for line in (ROOT / "bench/vague.jsonl").read_text().splitlines() if line.strip()]
    asked_back = sum(engine.ask(v["question"]).answer == NEEDS_SUBJECT for v in vague)
    out["vague"] = f"{asked_back}/{len(vague)}"
    out["resolve_p95_ms"] = round(p95(resolve_ms), 2)
    out["context_p95_ms"] = round(p95(context_ms), 2)

    blind = questions or ROOT / ("bench/extra-questions.jsonl" if crisis == "niger" else "bench/blind-maui.jsonl")
    named = total = abstained = 0
    for line in blind.read_text().splitlines():
        q = json.loads(line)
        if q.get("type") != "answerable" or answer_kind(q["question"]) not in NAMING_CHECKED:
            continue
        answer = engine.ask(q["question"])
        if answer.abstained:
            abstained += 1
            continue
        total += 1
        named += matched(answer.answer, q["answer_all_of_any"])
    out["naming"] = f"{named}/{total} named ({abstained} abstained)"

    topics = [json.loads(line) for line in (ROOT / "bench/brief-topics.jsonl").read_text().splitlines()
              if line.strip()]
    brief_ms: list[float] = []
    for t in topics:
        if t["crisis"] != crisis:
            continue
        for kind in ("brief", "timeline"):
            brief_ms.append(engine.brief(t["topic"], kind=kind).elapsed_ms)
    out["brief_p95_ms"] = round(p95(brief_ms), 1)
    out["brief_p50_ms"] = round(statistics.median(brief_ms), 1) if brief_ms else 0.0
    return out


def _context_cost(engine, question: str, carried) -> float:
    """Milliseconds a search spends on the conversation's documents: with them minus the mean of two
    searches without, one before and one after (the machine's noise falls on both sides)."""
    from index.search import Window

    def timed(with_context: bool) -> float:
        started = time.perf_counter()
        engine.searcher.search(question, Window(), 10, carried=carried if with_context else ())
        return time.perf_counter() - started

    before, with_context, after = timed(False), timed(True), timed(False)
    return (with_context - (before + after) / 2) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--niger-data", type=Path, help="store of seeds/ + the Niger feed (the shipped sets)")
    parser.add_argument("--maui-data", type=Path, help="store of bench/corpus-maui.jsonl.gz (the shipped sets)")
    parser.add_argument("--set", nargs=4, action="append", default=[], metavar=("CRISIS", "STORE", "FOLLOWUPS",
                                                                                 "QUESTIONS"),
                        help="another set: its conversations, its question set, the store to ask")
    parser.add_argument("--rows", action="store_true", help="print every follow-up turn")
    args = parser.parse_args()
    results = [run("niger", args.niger_data, args.rows)] if args.niger_data else []
    results += [run("maui", args.maui_data, args.rows)] if args.maui_data else []
    results += [run(crisis, Path(store), args.rows, Path(followups), Path(questions))
                for crisis, store, followups, questions in args.set]
    print("\n| crisis | follow-up turns | answered | resolved | both | vague asked back | who/which/when/how-many "
          "named | resolve p95 ms | context search p95 +ms | brief p50 / p95 ms |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        n = max(r["turns"], 1)
        print(f"| {r['crisis']} | {r['turns']} | {r['answered'] / n:.2f} | {r['resolved'] / n:.2f} | "
              f"{r['both'] / n:.2f} | {r['vague']} | {r['naming']} | {r['resolve_p95_ms']} | {r['context_p95_ms']} | "
              f"{r['brief_p50_ms']} / {r['brief_p95_ms']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
