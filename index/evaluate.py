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
from datetime import date
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


def read_question_set(path: Path) -> tuple[list[dict], list[str]]:
    """The questions of a JSONL set that can be scored, and one message per line that cannot
    ("FILE:3: no id"). Digest entries are left out without a message: `score` skips them anyway.

    Raises:
        OSError: the file cannot be read.
    """
    questions: list[dict] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: malformed JSON ({exc.msg})")
            continue
        if isinstance(q, dict) and q.get("type") == "digest":
            continue
        problem = question_problem(q)
        if problem is None and str(q["id"]) in first_line:
            problem = f"id {q['id']!r} repeats line {first_line[str(q['id'])]}"
        if problem:
            problems.append(f"{path}:{number}: {problem}")
            continue
        first_line[str(q["id"])] = number
        questions.append(q)
    return questions, problems


def question_problem(q: object) -> str | None:
    """Why a question-set entry cannot be asked and scored, or None when it can."""
    if not isinstance(q, dict):
        return "not a JSON object"
    if not isinstance(q.get("id"), (str, int)) or str(q["id"]).strip() == "":
        return "no id"
    if not isinstance(q.get("question"), str) or not q["question"].strip():
        return "no question"
    if q.get("type") not in ("answerable", "unanswerable"):
        return 'type is neither "answerable" nor "unanswerable"'
    if q["type"] == "answerable":
        if not isinstance(q.get("gold"), list) or not all(isinstance(g, dict) for g in q["gold"]):
            return "an answerable question needs gold (a list of {url, title})"
        keys = q.get("answer_all_of_any")
        if not isinstance(keys, list) or not all(isinstance(g, list) for g in keys):
            return "an answerable question needs answer_all_of_any (a list of lists of strings)"
    for field in ("since", "until"):
        value = q.get(field)
        if value is not None and not _is_day(value):
            return f"{field} is not a date: {value!r} (use \"YYYY-MM-DD\")"
    return None


def _is_day(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


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
