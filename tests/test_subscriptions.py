"""Subscriptions and the digest schedule, with a controllable clock.

The scheduling decision is a pure function of (now, subscription): these tests walk a clock
through time zones, both DST changes and restarts around the send time, claiming through the
real SQLite store, and count digests per chat and local day. No Telegram here (see
test_digest_telegram.py for the jobs through the real Application).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.telegram.subscriptions import (
    Subscription,
    SubscriptionStore,
    digest_window,
    due_day,
    next_send,
    send_instant,
)
from index.dates import parse_time, parse_zone
from index.errors import DateError

ROOT = Path(__file__).resolve().parent.parent
PARIS = "Europe/Paris"
NEW_YORK = "America/New_York"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> SubscriptionStore:
    s = SubscriptionStore(tmp_path / "subscriptions.sqlite3")
    yield s
    s.close()


def run_clock(store: SubscriptionStore, chat_ids: list[int], start: datetime, end: datetime,
              step: timedelta = timedelta(minutes=1), down: tuple[datetime, datetime] | None = None,
              path: Path | None = None) -> dict[int, list[tuple[date, datetime]]]:
    """Tick a clock from start to end; at each tick every chat's due digest is claimed (and delivered).

    `down` is a span when the process is not running; at its end a new store (a new process)
    is opened on the same file, as after a restart.
    """
    sent: dict[int, list[tuple[date, datetime]]] = {c: [] for c in chat_ids}
    now = start
    while now < end:
        if down and down[0] <= now < down[1]:
            now += step
            if now >= down[1] and path is not None:
                store.close()
                store = SubscriptionStore(path)
            continue
        for chat_id in chat_ids:
            sub = store.get(chat_id)
            assert sub is not None
            day = due_day(now, sub)
            if day is not None:
                claimed = store.claim(chat_id, day)
                if claimed is not None:
                    sent[chat_id].append((day, now))
                    store.delivered(chat_id, digest_window(claimed, day)[1])
        now += step
    return sent


# --- input ------------------------------------------------------------------------------------


def test_times_and_zones_are_parsed_or_refused_clearly() -> None:
    assert parse_time("7:30") == time(7, 30) and parse_time("23:59") == time(23, 59)
    for bad in ("24:00", "7.30", "07:60", "noon", "", "7:5", "-1:00"):
        with pytest.raises(DateError, match="not a time of day"):
            parse_time(bad)
    assert parse_zone("Africa/Niamey").key == "Africa/Niamey" and parse_zone("UTC").key == "UTC"
    for bad in ("Mars/Olympus", "../../etc/passwd", "/etc/localtime", "Europe/", "x" * 100):
        with pytest.raises(DateError, match="unknown time zone"):
            parse_zone(bad)


# --- the pure decision ----------------------------------------------------------------------------


def test_due_only_after_the_local_send_time_and_once_a_day() -> None:
    sub = Subscription(1, time(8, 0), "Africa/Niamey", last_sent=date(2023, 8, 13))  # UTC+1, no DST
    assert due_day(utc(2023, 8, 14, 6, 59), sub) is None  # 07:59 in Niamey
    assert due_day(utc(2023, 8, 14, 7, 0), sub) == date(2023, 8, 14)
    claimed = Subscription(1, time(8, 0), "Africa/Niamey", last_sent=date(2023, 8, 14))
    assert due_day(utc(2023, 8, 14, 22, 0), claimed) is None
    # The same UTC instant is a different local day elsewhere.
    tokyo = Subscription(2, time(8, 0), "Asia/Tokyo", last_sent=date(2023, 8, 14))
    assert due_day(utc(2023, 8, 14, 23, 30), tokyo) == date(2023, 8, 15)  # 08:30 on the 15th in Tokyo


def test_send_instants_across_dst_changes() -> None:
    paris = ZoneInfo(PARIS)
    # 08:00 Paris is 07:00 UTC in winter and 06:00 UTC in summer.
    assert send_instant(date(2024, 3, 30), time(8), paris) == utc(2024, 3, 30, 7)
    assert send_instant(date(2024, 3, 31), time(8), paris) == utc(2024, 3, 31, 6)
    assert send_instant(date(2024, 10, 27), time(8), paris) == utc(2024, 10, 27, 7)
    # 02:30 does not exist on 31 March (02:00 -> 03:00): it is read as 03:30 summer time.
    assert send_instant(date(2024, 3, 31), time(2, 30), paris) == utc(2024, 3, 31, 1, 30)
    # 02:30 happens twice on 27 October: the first one counts.
    assert send_instant(date(2024, 10, 27), time(2, 30), paris) == utc(2024, 10, 27, 0, 30)


@pytest.mark.parametrize(("tz", "at", "start", "days"), [
    (PARIS, time(8, 0), utc(2024, 3, 29), 4),        # spring forward on the 31st
    (PARIS, time(2, 30), utc(2024, 3, 29), 4),       # the send time itself is skipped by the clocks
    (PARIS, time(2, 30), utc(2024, 10, 25), 4),      # ... or happens twice
    (NEW_YORK, time(1, 30), utc(2024, 11, 1), 4),    # fall back on 3 November at 02:00
    (NEW_YORK, time(7, 0), utc(2024, 3, 8), 4),      # spring forward on 10 March
    ("Australia/Lord_Howe", time(2, 15), utc(2024, 4, 5), 3),  # a half-hour DST shift
])
def test_exactly_one_digest_per_local_day_across_dst(store: SubscriptionStore, tz: str, at: time,
                                                     start: datetime, days: int) -> None:
    store.subscribe(7, at, tz, start)
    sent = run_clock(store, [7], start, start + timedelta(days=days), step=timedelta(minutes=5))[7]
    local_days = [d for d, _ in sent]
    assert len(local_days) == len(set(local_days)), sent  # never twice a day
    assert len(local_days) >= days - 1, sent  # and no day skipped (the first may already be past)
    zone = ZoneInfo(tz)
    for day, when in sent:
        instant = send_instant(day, at, zone)
        assert instant <= when < instant + timedelta(minutes=5), (day, when, instant)


def test_new_subscription_starts_at_the_next_send_time(store: SubscriptionStore) -> None:
    now = utc(2023, 8, 14, 9, 0)  # 10:00 in Niamey, after today's 08:00
    sub = store.subscribe(5, time(8, 0), "Africa/Niamey", now)
    assert due_day(now, sub) is None
    assert next_send(now, sub) == utc(2023, 8, 15, 7, 0)
    early = store.subscribe(6, time(12, 0), "Africa/Niamey", now)  # later today: today's comes
    assert next_send(now, early) == utc(2023, 8, 14, 11, 0)
    # Changing the time keeps the history: no second digest today.
    moved = store.subscribe(5, time(11, 0), "Africa/Niamey", now)
    assert due_day(utc(2023, 8, 14, 10, 30), moved) is None


# --- restarts and crashes ------------------------------------------------------------------------


@pytest.mark.parametrize(("down_from", "down_to", "expect_at"), [
    # Stopped just before 08:00 and back just after: the digest is caught up once, on start.
    (utc(2023, 8, 14, 6, 58), utc(2023, 8, 14, 7, 3), utc(2023, 8, 14, 7, 3)),
    # Stopped just after the send: no repeat on start.
    (utc(2023, 8, 14, 7, 1), utc(2023, 8, 14, 7, 4), utc(2023, 8, 14, 7, 0)),
    # Restarted exactly at the send time.
    (utc(2023, 8, 14, 6, 59), utc(2023, 8, 14, 7, 0), utc(2023, 8, 14, 7, 0)),
])
def test_restart_around_the_send_time_neither_skips_nor_repeats(tmp_path: Path, down_from: datetime,
                                                                 down_to: datetime, expect_at: datetime) -> None:
    path = tmp_path / "subs.sqlite3"
    store = SubscriptionStore(path)
    store.subscribe(9, time(8, 0), "Africa/Niamey", utc(2023, 8, 13, 12))
    sent = run_clock(store, [9], utc(2023, 8, 14, 6, 50), utc(2023, 8, 14, 8, 0), step=timedelta(seconds=30),
                     down=(down_from, down_to), path=path)[9]
    assert [d for d, _ in sent] == [date(2023, 8, 14)]
    assert sent[0][1] == expect_at


def test_claims_race_exactly_one_winner(store: SubscriptionStore, tmp_path: Path) -> None:
    store.subscribe(11, time(8, 0), "UTC", utc(2023, 8, 13, 12))
    other = SubscriptionStore(tmp_path / "subscriptions.sqlite3")  # a second connection, as a second process
    outcomes: list[Subscription | None] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def claim(s: SubscriptionStore) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes.append(s.claim(11, date(2023, 8, 14)))
        except BaseException as exc:  # reported below: an exception in a thread would otherwise vanish
            errors.append(exc)

    threads = [threading.Thread(target=claim, args=(store if i % 2 else other,), daemon=True) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    stuck = [t.name for t in threads if t.is_alive()]
    assert not stuck, f"claims still running after 60 s: {stuck}"
    other.close()
    assert errors == []
    assert len(outcomes) == 8
    winners = [o for o in outcomes if o is not None]
    assert len(winners) == 1 and winners[0].chat_id == 11
    assert outcomes.count(None) == 7


def test_claim_survives_kill_9_and_the_window_resumes_from_the_last_delivery(tmp_path: Path) -> None:
    path = tmp_path / "subs.sqlite3"
    store = SubscriptionStore(path)
    store.subscribe(21, time(8, 0), "UTC", utc(2023, 8, 12, 12))
    first = store.claim(21, date(2023, 8, 13))
    assert first is not None
    store.delivered(21, digest_window(first, date(2023, 8, 13))[1])
    store.close()
    # A process claims the 14th and is killed before it can send (or record the delivery).
    code = (
        "import os, signal, sys; from datetime import date; sys.path.insert(0, sys.argv[1]);"
        "from bot.telegram.subscriptions import SubscriptionStore;"
        "s = SubscriptionStore(__import__('pathlib').Path(sys.argv[2]));"
        "assert s.claim(21, date(2023, 8, 14)) is not None;"
        "os.kill(os.getpid(), signal.SIGKILL)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(ROOT), str(path)], capture_output=True, timeout=60)
    assert result.returncode == -9, result.stderr.decode()
    reopened = SubscriptionStore(path)
    sub = reopened.get(21)
    assert sub is not None and sub.last_sent == date(2023, 8, 14)
    assert due_day(utc(2023, 8, 14, 9), sub) is None  # at most once: not resent after the crash
    # The next digest covers the missed day too: it starts where the last delivered one ended.
    start, end = digest_window(sub, date(2023, 8, 15))
    assert (start, end) == (utc(2023, 8, 13, 8), utc(2023, 8, 15, 8))
    reopened.close()


def test_digest_windows() -> None:
    first = Subscription(1, time(8, 0), PARIS)
    assert digest_window(first, date(2024, 3, 31)) == (utc(2024, 3, 30, 6), utc(2024, 3, 31, 6))
    silent = Subscription(1, time(8, 0), "UTC", delivered_until=int(utc(2023, 1, 1).timestamp()))
    start, end = digest_window(silent, date(2023, 8, 14))
    assert end - start == timedelta(days=7)


def test_unsubscribe(store: SubscriptionStore) -> None:
    store.subscribe(3, time(8, 0), "UTC", utc(2023, 8, 14))
    assert store.unsubscribe(3) and not store.unsubscribe(3)
    assert store.get(3) is None and store.claim(3, date(2023, 8, 15)) is None


# Tables as earlier versions created them: keyed by chat (before desks), by chat and desk (before topics).
_BEFORE_DESKS = ("CREATE TABLE subscriptions (chat_id INTEGER PRIMARY KEY, at TEXT NOT NULL, tz TEXT NOT NULL, "
                 "last_sent TEXT, delivered_until INTEGER, created REAL NOT NULL, claimed_at REAL)")
_BEFORE_TOPICS = ("CREATE TABLE subscriptions (chat_id INTEGER NOT NULL, desk TEXT NOT NULL DEFAULT 'default', "
                  "at TEXT NOT NULL, tz TEXT NOT NULL, last_sent TEXT, delivered_until INTEGER, created REAL NOT NULL, "
                  "claimed_at REAL, PRIMARY KEY (chat_id, desk))")


@pytest.mark.parametrize(("schema", "rows"), [
    (_BEFORE_DESKS, [(-100123, "08:00", PARIS, "2023-08-14", 1692000000, 1.0, 2.0),
                     (42, "07:30", "UTC", None, None, 1.0, None)]),
    (_BEFORE_TOPICS, [(-100123, "libya", "08:00", PARIS, "2023-08-14", 1692000000, 1.0, 2.0),
                      (-100123, "default", "09:00", PARIS, None, None, 1.0, None),
                      (42, "default", "07:30", "UTC", None, None, 1.0, None)]),
])
def test_an_older_store_keeps_every_row_and_then_takes_topics(tmp_path: Path, schema: str, rows: list[tuple]) -> None:
    import sqlite3

    path = tmp_path / "subscriptions.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(schema)
        db.executemany(f"INSERT INTO subscriptions VALUES ({', '.join('?' * len(rows[0]))})", rows)
    db.close()
    store = SubscriptionStore(path)
    migrated = store.all()
    assert len(migrated) == len(rows) and all(s.thread_id is None for s in migrated)
    desk = "libya" if schema is _BEFORE_TOPICS else "default"
    first = store.get(-100123, desk)
    assert first is not None and first.describe() == f"08:00 {PARIS}"
    assert first.last_sent == date(2023, 8, 14) and first.delivered_until == 1692000000
    # Topics of the same group now hold subscriptions of their own beside the migrated one.
    store.subscribe(-100123, time(6, 0), "UTC", utc(2023, 8, 14), desk, thread_id=5)
    assert store.get(-100123, desk, thread_id=5) is not None and store.get(-100123, desk) == first
    store.close()
    reopened = SubscriptionStore(path)
    assert len(reopened.all()) == len(rows) + 1  # reopening migrates nothing twice
    reopened.close()
