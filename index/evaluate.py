"""Answer-quality metrics over a question file shaped like `shared/eval/dev.jsonl`.

The same definitions as the project's scorer (`score.py`): hit@5 and mrr@10 on the
first gold document in `retrieved`, answer_acc (every expected group matched in the
answer, not abstained), cited_gold, citation_precision (a citation is supported when
its document is gold or its quote holds an expected string), abstain_rate on
unanswerable questions, false_abstain on answerable ones.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path


def norm(text: str | None) -> str:
    """Text as compared: NFKC, lower case, typographic apostrophes made plain, stripped (None -> "")."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return re.sub(r"[‘’`´]", "'", text).strip()


def answer_matches(answer: str | None, groups: Iterable[Iterable[str]]) -> bool:
    """Whether an answer holds one string of every group of `answer_all_of_any` (as `norm` compares them)."""
    text = norm(answer)
    return all(any(norm(k) in text for k in group) for group in groups)


def same_doc(found: dict, gold: dict) -> bool:
    """Whether a retrieved or cited document is the gold one: same URL or same title."""
    if gold.get("url") and norm(found.get("url")) == norm(gold["url"]):
        return True
    return bool(gold.get("title")) and norm(found.get("title")) == norm(gold["title"])


def load_questions(path: Path) -> list[dict]:
    """Question objects of a JSONL file (digest entries included; `score` skips them)."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: malformed JSON ({exc.msg})") from exc
    return out


def score(questions: Iterable[dict], answers: dict[str, dict]) -> tuple[dict, list[tuple]]:
    """Metrics and per-question rows (id, gold rank, correct) for answers keyed by question id."""
    m = dict(n=0, hit5=0, mrr=0.0, correct=0, cited_gold=0, cit_total=0, cit_supported=0, false_abstain=0,
             u_n=0, u_abstain=0, missing=0)
    rows: list[tuple] = []
    for q in questions:
        if q.get("type") == "digest":
            continue
        a = answers.get(q["id"])
        if a is None:
            m["missing"] += 1
            continue
        if q["type"] == "unanswerable":
            m["u_n"] += 1
            m["u_abstain"] += bool(a.get("abstained"))
            rows.append((q["id"], None, bool(a.get("abstained"))))
            continue
        m["n"] += 1
        gold, keys = q["gold"], q["answer_all_of_any"]
        ranked = a.get("retrieved") or a.get("citations") or []
        rank = next((i + 1 for i, d in enumerate(ranked[:10]) if any(same_doc(d, g) for g in gold)), None)
        m["hit5"] += bool(rank and rank <= 5)
        m["mrr"] += 1 / rank if rank else 0
        ok = (not a.get("abstained")) and answer_matches(a.get("answer"), keys)
        m["correct"] += ok
        m["false_abstain"] += bool(a.get("abstained"))
        cits = a.get("citations") or []
        m["cited_gold"] += any(same_doc(c, g) for c in cits for g in gold)
        for c in cits:
            m["cit_total"] += 1
            quote = norm(c.get("quote"))
            m["cit_supported"] += any(same_doc(c, g) for g in gold) or any(
                norm(k) in quote for group in keys for k in group)
        rows.append((q["id"], rank, ok))
    n = max(m["n"], 1)
    result = {
        "answerable": m["n"], "hit@5": round(m["hit5"] / n, 3), "mrr@10": round(m["mrr"] / n, 3),
        "answer_acc": round(m["correct"] / n, 3), "cited_gold": round(m["cited_gold"] / n, 3),
        "citation_precision": round(m["cit_supported"] / max(m["cit_total"], 1), 3),
        "false_abstain": round(m["false_abstain"] / n, 3), "unanswerable": m["u_n"],
        "abstain_rate": round(m["u_abstain"] / max(m["u_n"], 1), 3), "missing": m["missing"],
    }
    return result, rows
