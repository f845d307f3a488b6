"""Digest stories on the shared Niger feed: one story per event, main events first, cited once.

Uses the session's Niger engine (seeds/ + the 604-item feed, real model, real Chroma); skips
when ../shared is absent. The judge of "reports of an event" is a keyword, as in
bench/digest_check.py: broad (title or opening text) for the airspace test of the issue, title
only for the development days (see the bench for both numbers on more days).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import pytest
from conftest import DEV_SET

from bot.cli import main
from bot.telegram.render import render_digest_telegram, visible_text
from bot.terminal import render_digest_text
from index.dates import DigestWindow
from index.digest import Digest, build_digest, window_items
from index.errors import DateError, DigestError
from support.telegram_html import check_telegram_html

pytestmark = pytest.mark.slow


def _key(title: str) -> str:
    return re.sub(r"\W+", " ", title.lower()).strip()


def check_invariants(digest: Digest) -> list[str]:
    """What every digest must satisfy; returns its Telegram messages."""
    cited = [i.doc_id for s in digest.stories for i in s.items]
    assert len(cited) == len(set(cited)), "an item is cited under two stories"
    first, last = digest.window.date_from.isoformat(), digest.window.date_to.isoformat()
    assert all(first <= i.date <= last for s in digest.stories for i in s.items), "a citation outside the window"
    assert all(s.headline and s.items for s in digest.stories)
    messages = render_digest_telegram(digest)
    for message in messages:
        assert check_telegram_html(message) <= 4096
    return messages


def test_airspace_reports_of_2023_08_07_form_one_story(niger_engine) -> None:
    window = DigestWindow.for_day(date(2023, 8, 7))
    items = window_items(niger_engine, window)
    airspace = {_key(i.title) for i in items if re.search("airspace", f"{i.title}\n{i.text}", re.I)}
    assert len(airspace) == 12  # the count: every English report of the closure that day
    digest = build_digest(niger_engine, window)
    check_invariants(digest)
    story = max(digest.stories, key=lambda s: len({_key(i.title) for i in s.items} & airspace))
    gathered = {_key(i.title) for i in story.items} & airspace
    print(f"\n[digest] 2023-08-07: airspace story rank {digest.stories.index(story) + 1}, "
          f"{len(gathered)}/12 reports, {len(story.items)} items")
    assert len(gathered) >= 8
    assert digest.stories.index(story) == 0
    unrelated = ("right to roam", "Wagner Group in Africa", "frank and difficult", "second emergency summit",
                 "options to reverse the coup")
    titles = [i.title for i in story.items]
    assert not any(u.lower() in t.lower() for u in unrelated for t in titles), titles
    assert sum(1 for i in story.items if _key(i.title) in airspace) / len(story.items) >= 0.85


def dev_days() -> list[tuple[str, list[str]]]:
    if not DEV_SET.exists():
        return [("2023-08-01", ["evacuat"]), ("2023-08-14", ["treason"]), ("2023-09-25", ["withdraw", "end", "pull"])]
    rows = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["date"], r["main_story_any"]) for r in rows if r.get("type") == "digest"]


# Days no threshold was tuned on (tuning used the development days and 2023-08-02/07), with the
# event every outlet led with that day, read from the feed by hand.
HELD_OUT_DAYS = [("2023-08-26", ["ambassador"]), ("2023-10-05", ["pull", "withdraw"]), ("2023-08-10", ["standby"])]


@pytest.mark.parametrize(("day", "words"), dev_days() + HELD_OUT_DAYS)
def test_development_days_lead_with_the_main_event(niger_engine, day: str, words: list[str]) -> None:
    pattern = re.compile("|".join(rf"\b{re.escape(w)}" for w in words), re.I)
    window = DigestWindow.for_day(date.fromisoformat(day))
    digest = build_digest(niger_engine, window)
    check_invariants(digest)
    assert 1 <= len(digest.stories) <= 12
    leading = [s for s in digest.stories[:3] if pattern.search(s.headline)]
    assert len(leading) == 1, [s.headline for s in digest.stories[:3]]
    story = leading[0]
    assert not [s.headline for s in digest.stories if s is not story and pattern.search(s.headline)]
    reports = {_key(i.title) for i in window_items(niger_engine, window) if pattern.search(i.title)}
    gathered = {_key(i.title) for i in story.items} & reports
    about = sum(1 for i in story.items if pattern.search(f"{i.title}\n{i.text}"))
    print(f"\n[digest] {day}: main story rank {digest.stories.index(story) + 1}, "
          f"{len(gathered)}/{len(reports)} reports, purity {about}/{len(story.items)}")
    assert len(gathered) >= 0.8 * len(reports)
    assert about >= 0.85 * len(story.items)
    assert all(i.date == day for i in story.items)


def test_an_event_reported_in_two_strands_is_one_story(niger_engine) -> None:
    """2023-08-02: Europeans evacuated, the US embassy drawn down, first evacuee planes land in Paris and Rome."""
    window = DigestWindow.for_day(date(2023, 8, 2))
    evacuation = {_key(i.title) for i in window_items(niger_engine, window) if re.search("evacu", i.title, re.I)}
    assert len(evacuation) == 9
    digest = build_digest(niger_engine, window)
    check_invariants(digest)
    holding = [s for s in digest.stories if {_key(i.title) for i in s.items} & evacuation]
    assert len(holding) == 1, [s.headline for s in holding]
    assert digest.stories.index(holding[0]) == 0


@pytest.mark.parametrize("day", ["2023-07-27", "2023-08-03", "2023-08-04", "2023-08-08", "2023-08-10"])
def test_busy_days_give_a_handful_of_stories_cited_once(niger_engine, day: str) -> None:
    digest = build_digest(niger_engine, DigestWindow.for_day(date.fromisoformat(day)))
    messages = check_invariants(digest)
    assert 3 <= len(digest.stories) <= 12
    assert digest.stories[0].score >= digest.stories[-1].score
    text = visible_text("\n".join(messages))
    assert all(s.headline.split()[0] in text for s in digest.stories)
    assert all(s.summary for s in digest.stories[:3] if any(len(i.text) > 60 for i in s.items))


def test_quiet_future_and_reversed_windows(niger_engine) -> None:
    empty = build_digest(niger_engine, DigestWindow.for_day(date(2023, 9, 24)))
    assert empty.empty and empty.items == 0
    (message,) = render_digest_telegram(empty)
    assert "Nothing new" in visible_text(message)
    assert "Nothing new" in render_digest_text(empty)
    with pytest.raises(DigestError, match="in the future"):
        build_digest(niger_engine, DigestWindow.for_day(date(2023, 8, 20)), now=datetime(2023, 8, 19, 12, tzinfo=UTC))
    with pytest.raises(DateError, match="after it ends"):
        DigestWindow.for_days(date(2023, 8, 2), date(2023, 8, 1))
    with pytest.raises(DateError, match="unknown time zone"):
        DigestWindow.for_day(date(2023, 8, 2), "Mars/Olympus")


def test_days_are_read_in_the_configured_time_zone(niger_engine) -> None:
    utc_items = {i.doc_id for i in window_items(niger_engine, DigestWindow.for_day(date(2023, 8, 7)))}
    ny = DigestWindow.for_day(date(2023, 8, 7), "America/New_York")  # 04:00 UTC on the 7th to 04:00 on the 8th
    ny_items = window_items(niger_engine, ny)
    assert {i.doc_id for i in ny_items} != utc_items
    assert all(ny.start_ts <= i.ts < ny.end_ts and i.date == "2023-08-07" for i in ny_items)
    digest = build_digest(niger_engine, ny)
    check_invariants(digest)
    assert "America/New_York" in render_digest_text(digest)


def test_cli_digest_json_and_chart(niger_engine, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("BRIEFBOT_DATA_DIR", str(niger_engine.settings.data_dir))
    chart = tmp_path / "coverage.png"
    assert main(["digest", "--date", "2023-08-14", "--json", "--chart", str(chart)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["date_from"], out["date_to"]) == ("2023-08-14", "2023-08-14")
    assert "treason" in out["stories"][0]["headline"].lower()
    assert set(out["stories"][0]["citations"][0]) == {"title", "url", "date", "source"}
    assert out["messages"] and all(check_telegram_html(m) <= 4096 for m in out["messages"])
    png = chart.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1200, 700)

    assert main(["digest", "--since", "2023-09-24", "--until", "2023-09-24"]) == 0
    assert "Nothing new" in capsys.readouterr().out

    assert main(["digest", "--date", "2999-01-01"]) == 1
    err = capsys.readouterr().err
    assert "in the future" in err and len(err.strip().splitlines()) == 1
    assert main(["digest", "--date", "2023-08-01", "--since", "2023-08-01"]) == 2
    assert "not both" in capsys.readouterr().err
    assert main(["digest", "--since", "2023-08-02", "--until", "2023-08-01"]) == 2
    with pytest.raises(SystemExit) as exited:
        main(["digest", "--date", "yesterday"])
    assert exited.value.code == 2 and "not a date" in capsys.readouterr().err


def test_digest_sentences_read_right_for_one_day_and_one_story(engine) -> None:
    # The small corpus (not the Niger feed): 2023-10-20 has one report, 2023-10-21 none.
    empty = build_digest(engine, DigestWindow.for_day(date(2023, 10, 21)))
    assert "no documents were published on 2023-10-21." in render_digest_text(empty)
    week = build_digest(engine, DigestWindow.for_days(date(2023, 10, 21), date(2023, 10, 27)))
    assert "published from 2023-10-21 to 2023-10-27." in render_digest_text(week)
    one = build_digest(engine, DigestWindow.for_day(date(2023, 10, 20)))
    assert "the 1 main story below comes from 1 outlet." in render_digest_text(one)
