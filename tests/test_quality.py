"""Answer quality on the shared development set (skips when ../shared is absent).

The issue's bar: hit@5 >= 0.95, mrr@10 >= 0.88, answer_acc >= 0.88, citation_precision >= 0.92,
abstain_rate = 1.0, false_abstain <= 0.06, over seeds/ + the Niger feed.
"""

from __future__ import annotations

from datetime import date

import pytest
from conftest import DEV_SET

from index.evaluate import load_questions, score


def test_dev_set_meets_the_bar(niger_engine) -> None:
    if not DEV_SET.exists():
        pytest.skip(f"dev set not found at {DEV_SET}")
    questions = load_questions(DEV_SET)
    answers = {}
    for q in questions:
        if q["type"] == "digest":
            continue
        since = date.fromisoformat(q["since"]) if q.get("since") else None
        until = date.fromisoformat(q["until"]) if q.get("until") else None
        answers[q["id"]] = niger_engine.ask(q["question"], since, until).to_json()
    metrics, _ = score(questions, answers)
    print("dev metrics:", metrics)
    assert metrics["hit@5"] >= 0.95
    assert metrics["mrr@10"] >= 0.88
    assert metrics["answer_acc"] >= 0.88
    assert metrics["citation_precision"] >= 0.92
    assert metrics["abstain_rate"] == 1.0
    assert metrics["false_abstain"] <= 0.06
