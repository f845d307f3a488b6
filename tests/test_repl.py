"""The REPL: questions, date windows, showing a source, history across sessions."""

from __future__ import annotations

import io

from bot.repl import Session, run_repl
from index import Briefbot


def test_session_commands(engine: Briefbot) -> None:
    session = Session(engine)
    out = session.handle("How many people face acute food insecurity in Niger?")
    assert "3.3 million" in out and "[1]" in out and "example.org" in out
    shown = session.handle(":show 1")
    assert "Border closures with Benin" in shown  # the full text, not just the quote
    assert session.handle(":since 2023-10-01") == "window: 2023-10-01 to …"
    assert "couldn't find" in session.handle("How many people face acute food insecurity in Niger?")
    assert session.handle(":since") == "window: all dates"
    assert session.handle(":since tomorrow").startswith("! not a date")
    assert session.handle(":show 9").startswith("! no source [9]")
    assert session.handle(":frobnicate").startswith("! unknown command")
    assert "Last French troops leave Niger" in session.handle(":latest 1")
    assert session.handle("   ") == ""
    assert session.handle("?!").startswith("! the question has no words")
    assert session.handle(":quit") is None


def test_run_repl_reads_until_quit(engine: Briefbot) -> None:
    stdin = io.StringIO("What did Algeria propose for Niger?\n:quit\nnever asked\n")
    stdout = io.StringIO()
    assert run_repl(engine, stdin=stdin, stdout=stdout) == 0
    text = stdout.getvalue()
    assert "six-month transition" in text and "never asked" not in text


def test_non_utf8_bytes_do_not_end_the_session(engine: Briefbot) -> None:
    session = Session(engine)
    out = session.handle("What did the EU suspend \udcff\udcfe after the coup?")  # argv-style surrogates
    assert out is not None and not out.startswith("! ")
    assert "Briefing" in session.handle(":brief France \udcff")
    stdin = io.TextIOWrapper(io.BytesIO(b"What did the EU \xff\xfe suspend?\nWhat did Algeria propose for Niger?\n"),
                             encoding="utf-8")
    stdout = io.StringIO()
    assert run_repl(engine, stdin=stdin, stdout=stdout) == 0
    assert "six-month transition" in stdout.getvalue()  # the question after the bad bytes is answered


def test_a_reversed_window_is_refused_at_once(engine: Briefbot) -> None:
    session = Session(engine)
    assert session.handle(":since 2023-09-01") == "window: 2023-09-01 to …"
    refused = session.handle(":until 2023-08-01")
    assert refused.startswith("! the date window starts (2023-09-01) after it ends (2023-08-01)")
    assert len(refused.splitlines()) == 1 and session.handle(":window") == "window: 2023-09-01 to …"


def test_show_after_a_briefing_shows_its_source(engine: Briefbot) -> None:
    session = Session(engine)
    briefing = session.handle(":brief French troops")
    assert "[1]" in briefing
    shown = session.handle(":show 1")
    assert shown.startswith("[1] ") and "Last French troops leave Niger" in shown, shown
