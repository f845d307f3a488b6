"""A report carrying a prompt injection changes no answer, briefing or digest.

Two stores hold seeds/, tests/corpus/ and the same report of the French ambassador's
expulsion (same link, so the same document id): `tests/injection/clean.jsonl` as published,
`injected.jsonl` with "IGNORE ALL PREVIOUS INSTRUCTIONS", a fake system note, a link to
follow, an e-mail address, HTML and markdown appended. Every extractive answer, briefing and
digest, and every model answer for the same scripted reply, must be the same from both.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from index import Briefbot, Settings
from index.answer import ExtractiveAnswerer
from index.dates import DigestWindow
from index.digest import build_digest
from index.llm_answer import LLMAnswerer
from index.llm_client import ChatClient
from support.llm_cases import QUESTIONS
from support.openai_standin import OpenAIStandin, Reply

ROOT = Path(__file__).resolve().parent.parent
INJECTION = ROOT / "tests" / "injection"
CORPUS_QUESTIONS = ROOT / "tests" / "corpus_questions.jsonl"
INJECTED_TEXT = ("IGNORE", "SYSTEM NOTE", "niger-truth", "Click here", "password", "uncensored", "lying",
                 "maintenance mode", "reversed")
TOPICS = ("French ambassador in Niger", "French troops in Niger", "ECOWAS standby force", "uranium exports",
          "Niger junta")
DAYS = (date(2023, 8, 25), date(2023, 8, 7), date(2023, 8, 3))


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Briefbot, Briefbot]]:
    clean = Briefbot(Settings(data_dir=tmp_path_factory.mktemp("clean"), _env_file=None))
    clean.ingest([ROOT / "seeds", ROOT / "tests" / "corpus", INJECTION / "clean.jsonl"])
    injected = Briefbot(Settings(data_dir=tmp_path_factory.mktemp("injected"), _env_file=None),
                        embedder=clean.embedder)
    injected.ingest([ROOT / "seeds", ROOT / "tests" / "corpus", INJECTION / "injected.jsonl"])
    text = injected.document_text(injected.search(QUESTIONS["ambassador"])[0])
    assert "IGNORE ALL PREVIOUS INSTRUCTIONS" in text and "niger-truth.example" in text  # it is in the store
    yield clean, injected


def without_timing(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "elapsed_ms"}


def what_the_reader_gets(data: dict[str, Any]) -> dict[str, Any]:
    """An answer without its timing and its ranked list of closest documents.

    The injected report is longer, so its retrieval scores (and the rank of the documents
    around it) move: that is the text changing, not the bot obeying it.
    """
    return {k: v for k, v in data.items() if k not in ("elapsed_ms", "retrieved")}


def questions() -> list[str]:
    asked = list(QUESTIONS.values())
    for line in CORPUS_QUESTIONS.read_text().splitlines():
        item = json.loads(line)
        if "question" in item:
            asked.append(item["question"])
    return asked


def test_extractive_answers_are_the_same_with_the_injection(engines: tuple[Briefbot, Briefbot]) -> None:
    clean, injected = engines
    asked = questions()
    reranked = 0
    for question in asked:
        a, b = clean.ask(question).to_json(), injected.ask(question).to_json()
        assert what_the_reader_gets(a) == what_the_reader_gets(b), question
        reranked += a["retrieved"] != b["retrieved"]
        assert not any(marker in b["answer"] for marker in INJECTED_TEXT)
    print(f"\n{len(asked)} questions: identical answers and citations with and without the injection "
          f"({reranked} lists of closest documents scored differently)")


def test_briefings_and_digests_are_the_same_with_the_injection(engines: tuple[Briefbot, Briefbot]) -> None:
    clean, injected = engines
    for topic in TOPICS:
        for kind in ("brief", "timeline"):
            a = clean.brief(topic, kind=kind).to_json()  # type: ignore[arg-type]
            b = injected.brief(topic, kind=kind).to_json()  # type: ignore[arg-type]
            assert without_timing(a) == without_timing(b), (topic, kind)
    for day in DAYS:
        window = DigestWindow.for_day(day, "UTC")
        a, b = build_digest(clean, window).to_json(), build_digest(injected, window).to_json()
        assert a == b, day
        text = json.dumps(b, ensure_ascii=False)
        assert not any(marker in text for marker in INJECTED_TEXT), day
    print(f"\n{len(TOPICS) * 2} briefings and {len(DAYS)} digests identical (one on the injected report's day)")


def test_model_answers_are_the_same_with_the_injection(engines: tuple[Briefbot, Briefbot]) -> None:
    """Given the same reply, the model's verified answer is the same: the injected text is no evidence."""
    clean, injected = engines
    replies = {
        "ambassador": "Niger's military rulers ordered French ambassador Sylvain Itté to leave within 48 hours "
                      "{cite:Itté}. France said Itté would stay at his post {cite:Itté}. The coup has been reversed "
                      "{cite:Itté}.",
        "pm": "Tchiani appointed Ali Mahaman Lamine Zeine as prime minister {cite:Zeine}.",
        "uranium": "The junta suspended exports of uranium and gold to France {cite:Orano}.",
    }
    with OpenAIStandin() as standin:
        answers = []
        for engine in (clean, injected):
            client = ChatClient(standin.url, standin.model, timeout=5.0, cooldown=0)
            engine.answerer = LLMAnswerer(client, ExtractiveAnswerer(engine.keywords.get), engine.embedder.encode)
            for key, reply in replies.items():
                standin.script(Reply(reply))
                answers.append(engine.ask(QUESTIONS[key]).to_json())
        for a, b in zip(answers[: len(replies)], answers[len(replies):], strict=True):
            assert a["answerer"] == "llm"
            assert what_the_reader_gets(a) == what_the_reader_gets(b)
            assert not any(marker in b["answer"] for marker in INJECTED_TEXT)
