"""Briefings and timelines on the Niger feed: dated, cited, ordered, on topic, each source once."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.cli import main
from index import Briefbot, QuestionError
from index.briefing import Briefing, briefing_request, build_briefing
from index.errors import DateError

pytestmark = pytest.mark.slow


def check_invariants(briefing: Briefing, engine: Briefbot) -> None:
    assert 1 <= len(briefing.points) <= 8
    numbers = [c.n for p in briefing.points for c in p.citations]
    assert numbers == list(range(1, len(numbers) + 1))  # numbered through, each source once
    docs = [c.doc_id for p in briefing.points for c in p.citations]
    assert len(docs) == len(set(docs))
    for point in briefing.points:
        assert point.citations and point.citations[0].quote == point.text and point.date == point.citations[0].date
        for c in point.citations:  # every quote verbatim in its stored document
            assert " ".join(c.quote.split()) in " ".join(engine.document_text(c.doc_id).split())


@pytest.mark.parametrize("kind", ["brief", "timeline"])
def test_points_are_dated_cited_and_ordered(niger_engine: Briefbot, kind: str) -> None:
    briefing = build_briefing(niger_engine, "French troops in Niger", kind)  # type: ignore[arg-type]
    assert not briefing.abstained and len(briefing.points) >= 3
    check_invariants(briefing, niger_engine)
    dates = [p.date for p in briefing.points]
    assert dates == sorted(dates, reverse=kind == "brief")
    # the most specific name of the topic is in every point
    assert all(any(w in p.text.lower() for w in ("france", "french")) for p in briefing.points)


def test_a_brief_leads_with_the_newest_relevant_report(niger_engine: Briefbot) -> None:
    briefing = build_briefing(niger_engine, "French troops in Niger", "brief", until=date(2023, 10, 31))
    search = niger_engine.search("French troops withdrawal Niger", k=10)
    newest_relevant = max(h.date for h in search if "troop" in (h.title + " ".join(h.passages)).lower()
                          and "fr" in h.title.lower())
    assert briefing.points[0].date >= newest_relevant


def test_a_window_bounds_every_point(niger_engine: Briefbot) -> None:
    briefing = build_briefing(niger_engine, "ECOWAS military intervention", "timeline",
                              since=date(2023, 8, 1), until=date(2023, 8, 10))
    check_invariants(briefing, niger_engine)
    assert all("2023-08-01" <= p.date <= "2023-08-10" for p in briefing.points)


def test_no_coverage_abstains_and_bad_topics_are_refused(niger_engine: Briefbot) -> None:
    assert build_briefing(niger_engine, "Brazil's carnival parade", "brief").abstained
    assert build_briefing(niger_engine, "French troops", "brief", since=date(2023, 7, 1),
                          until=date(2023, 7, 2)).abstained  # an empty window
    with pytest.raises(QuestionError, match="too long"):
        build_briefing(niger_engine, "x" * 10_000, "brief")
    with pytest.raises(DateError, match="after it ends"):
        build_briefing(niger_engine, "French troops", "brief", since=date(2023, 9, 1), until=date(2023, 8, 1))


def test_latest_and_brief_me_questions_become_briefings(niger_engine: Briefbot) -> None:
    assert briefing_request("What's the latest on Bazoum's detention?") == ("brief", "Bazoum's detention")
    assert briefing_request("brief me on ECOWAS") == ("brief", "ECOWAS")
    assert briefing_request("timeline of French troops in Niger") == ("timeline", "French troops in Niger")
    assert briefing_request("What did ECOWAS threaten?") is None
    reply = niger_engine.respond("What's the latest on French troops in Niger?")
    assert isinstance(reply, Briefing) and reply.kind == "brief" and reply.points


def test_cli_brief_and_timeline_json(niger_engine: Briefbot, monkeypatch, capsys) -> None:
    monkeypatch.setenv("BRIEFBOT_DATA_DIR", str(niger_engine.settings.data_dir))
    assert main(["timeline", "French troops in Niger", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"topic", "kind", "abstained", "points", "elapsed_ms"} and data["kind"] == "timeline"
    assert set(data["points"][0]) == {"date", "text", "citations"}
    assert set(data["points"][0]["citations"][0]) == {"n", "title", "url", "date", "source", "quote"}
    assert main(["brief", "x" * 10_000]) == 1
    assert "too long" in capsys.readouterr().err
