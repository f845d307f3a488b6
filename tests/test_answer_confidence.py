"""The answer-confidence model: a near miss on the right story is withheld, a well-supported answer kept."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pydantic import ValidationError

from index import Briefbot, Settings
from index.answer import ExtractiveAnswerer
from index.answer_confidence import ABSTAIN_BELOW, WEIGHTS, QuoteEvidence, answer_confidence


def _answer_with_evidence(engine: Briefbot, question: str, abstain_below: float = ABSTAIN_BELOW):
    answerer = ExtractiveAnswerer(engine.keywords.get)
    answerer.abstain_below = abstain_below
    seen: list[QuoteEvidence] = []
    answerer.on_evidence = lambda asked, evidence: seen.append(evidence)
    return answerer.answer(question, engine.search(question)), seen


def test_a_quote_on_the_story_that_never_says_what_was_asked_is_withheld(niger_engine: Briefbot) -> None:
    """The rules alone quote a report on the ambassador; nothing says what the question asks."""
    question = "What was the name of the French ambassador's dog?"
    unchecked, seen = _answer_with_evidence(niger_engine, question, abstain_below=0.0)
    assert not unchecked.abstained and "dog" not in unchecked.answer.lower()
    assert len(seen) == 1 and answer_confidence(seen[0]) < ABSTAIN_BELOW
    checked, seen = _answer_with_evidence(niger_engine, question)
    assert checked.abstained and not checked.citations
    assert len(seen) == 1  # the evidence was read, and it is what withheld the quote


def test_a_well_supported_answer_keeps_its_quote(niger_engine: Briefbot) -> None:
    answer, seen = _answer_with_evidence(niger_engine, "How many people attended the rally at the stadium in Niamey?")
    assert not answer.abstained and "30,000" in answer.answer
    assert answer_confidence(seen[0]) > 0.8


def test_confidence_rises_with_coverage_margin_and_rank() -> None:
    thin = QuoteEvidence(coverage=0.2, doc_coverage=0.5, rank_prior=0.5, kind_bonus=0.0,
                         similarity=0.3, score=1.0, margin=0.0, log_candidates=1.6, log_reports=1.1,
                         one_report_leads=0.0)
    assert len(WEIGHTS) == len(QuoteEvidence.names()) == len(thin.vector())
    assert answer_confidence(thin) < ABSTAIN_BELOW
    for change in ({"coverage": 0.9}, {"margin": 1.0}, {"rank_prior": 1.0}, {"similarity": 0.7}):
        assert answer_confidence(replace(thin, **change)) > answer_confidence(thin), change
    full = replace(thin, coverage=1.0, doc_coverage=1.0, rank_prior=1.0, similarity=0.7,
                   score=2.5, margin=0.8)
    assert answer_confidence(full) > 0.9


def test_the_bar_is_a_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """BRIEFBOT_MIN_CONFIDENCE reaches the answerer; 0 keeps every answer the rules find."""
    assert Settings(data_dir=tmp_path, _env_file=None).min_confidence == ABSTAIN_BELOW
    monkeypatch.setenv("BRIEFBOT_MIN_CONFIDENCE", "0")
    lenient = Briefbot(Settings(data_dir=tmp_path, _env_file=None))
    assert isinstance(lenient.answerer, ExtractiveAnswerer) and lenient.answerer.abstain_below == 0.0
    monkeypatch.setenv("BRIEFBOT_MIN_CONFIDENCE", "1.5")
    with pytest.raises(ValidationError, match="less than 1"):
        Settings(data_dir=tmp_path, _env_file=None)
