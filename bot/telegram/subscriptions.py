"""Digest subscriptions in SQLite, and the rule that decides when a chat's digest is due.

One row per chat, desk and forum topic (a chat may follow several crises, and each topic of a
forum group may hold its own subscription; `thread_id` 0 is the chat outside any topic): the
local time and time zone of its daily digest, the local date of the last digest claimed for it (`last_sent`), and the
end of the window of the last digest that was delivered (`delivered_until`, epoch seconds),
where the next digest starts.

Exactly once per chat per day: a digest is sent only by the caller that *claims* it, and a
claim is one `UPDATE ... WHERE last_sent < day` in its own transaction, so of two jobs (the
daily job and the start-up catch-up, or a job and a restarted process) only one can win.

Crash between claim and send (a kill -9 while the digest is being built or sent): that day's
digest is not sent again, so the rule is *at most* once per day. We chose this over a resend
because Telegram has no idempotency key: after a crash we cannot know whether the message went
out, and a duplicate digest is the failure readers notice. Nothing is lost all the same:
`delivered_until` moves only after a successful send, so the next digest covers the missed
window too.

SQLite in WAL mode with synchronous=FULL: a committed claim survives kill -9 and power loss.
"""

from __future__ import annotations

import sqlite3
import threading
import time as _time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from index.config import DEFAULT_DESK
from index.dates import parse_zone

DB_NAME = "subscriptions.sqlite3"
MAX_WINDOW = timedelta(days=7)  # a chat that was silent for weeks gets the last week, not a month

_SCHEMA = """
CREATE TABLE IF NOT EXISTS subscriptions (
    chat_id INTEGER NOT NULL,
    desk TEXT NOT NULL DEFAULT 'default',  -- the desk whose digest this is
    at TEXT NOT NULL,                -- HH:MM, local time of the daily digest
    tz TEXT NOT NULL,                -- IANA time zone name
    last_sent TEXT,                  -- YYYY-MM-DD (local) of the last claimed digest
    delivered_until INTEGER,         -- epoch seconds: end of the last delivered digest's window
    created REAL NOT NULL,
    claimed_at REAL,
    thread_id INTEGER NOT NULL DEFAULT 0,  -- forum topic the digest goes to; 0 = none
    PRIMARY KEY (chat_id, desk, thread_id)
)
"""
_COLUMNS = "chat_id, at, tz, last_sent, delivered_until, desk, thread_id"
_KEY = "chat_id = ? AND desk = ? AND thread_id = ?"
# An older store keyed rows by chat (before desks) or by chat and desk (before topics): the key
# cannot be altered in place, so the rows move to a new table, as the default desk's when they
# have none, and outside any topic (where their digests went).
_MIGRATE = [
    "ALTER TABLE subscriptions RENAME TO subscriptions_before_topics",
    _SCHEMA,
    "INSERT INTO subscriptions (chat_id, desk, at, tz, last_sent, delivered_until, created, claimed_at, thread_id) "
    "SELECT chat_id, {desk}, at, tz, last_sent, delivered_until, created, claimed_at, 0 "
    "FROM subscriptions_before_topics",
    "DROP TABLE subscriptions_before_topics",
]


@dataclass(frozen=True)
class Subscription:
    """One chat's daily digest: when (local time and zone) and how far it has got."""

    chat_id: int
    at: time
    tz: str
    last_sent: date | None = None
    delivered_until: int | None = None
    desk: str = DEFAULT_DESK
    thread_id: int | None = None  # the forum topic it was subscribed in (None: the chat itself)

    @property
    def zone(self) -> ZoneInfo:
        """The subscription's time zone."""
        return ZoneInfo(self.tz)

    def describe(self) -> str:
        """"07:30 Africa/Niamey", as the chat is told it."""
        return f"{self.at.strftime('%H:%M')} {self.tz}"


# --- when is a digest due (pure: tested across DST changes with any clock) ---------------------


def send_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The moment (UTC) of the digest of local `day` at local time `at`.

    A time that does not exist that day (clocks jump forward over it) is read with the offset
    before the jump, i.e. that many minutes after the jump; a time that occurs twice (clocks go
    back) is its first occurrence. Either way there is exactly one send instant per day.
    """
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def due_day(now: datetime, sub: Subscription) -> date | None:
    """The local date whose digest is due for `sub` at `now`, or None if nothing is due.

    Due when today's send instant has passed and today's digest has not been claimed. A day
    the bot was down for entirely is not sent late the next day (the next digest covers it);
    a restart later on the same day catches up.
    """
    tz = sub.zone
    today = now.astimezone(tz).date()
    if now < send_instant(today, sub.at, tz):
        return None
    if sub.last_sent is not None and sub.last_sent >= today:
        return None
    return today


def digest_window(sub: Subscription, day: date) -> tuple[datetime, datetime]:
    """[start, end) of what the digest of `day` covers: since the last delivered digest, up to the send instant."""
    end = send_instant(day, sub.at, sub.zone)
    start = end - timedelta(days=1)
    if sub.delivered_until:
        start = datetime.fromtimestamp(sub.delivered_until, UTC)
    start = max(start, end - MAX_WINDOW)
    return min(start, end), end


def next_send(now: datetime, sub: Subscription) -> datetime:
    """The next send instant after `now` that has not been claimed yet (UTC)."""
    tz = sub.zone
    day = now.astimezone(tz).date()
    for offset in range(3):
        candidate = day + timedelta(days=offset)
        instant = send_instant(candidate, sub.at, tz)
        if instant >= now and (sub.last_sent is None or sub.last_sent < candidate):
            return instant
    return send_instant(day + timedelta(days=3), sub.at, tz)


# --- the store --------------------------------------------------------------------------------


def _hhmm(at: time) -> str:
    # Users give minutes; seconds are kept when set in code (tests schedule a job seconds ahead).
    return at.strftime("%H:%M:%S" if at.second else "%H:%M")


class SubscriptionStore:
    """Subscriptions of one bot, in `data_dir/subscriptions.sqlite3`.

    Safe from several threads (one connection, serialised); every change is one transaction.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=10.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(subscriptions)")}
        if columns and "thread_id" not in columns:
            desk = "desk" if "desk" in columns else "'default'"
            with self._transaction() as db:
                for statement in _MIGRATE:
                    db.execute(statement.format(desk=desk))
        self._db.execute(_SCHEMA)

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> SubscriptionStore:
        """The store of the engine data dir `data_dir`."""
        return cls(Path(data_dir) / DB_NAME)

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            # IMMEDIATE takes the write lock up front: a claim reads and writes with no gap.
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @staticmethod
    def _row(row: tuple) -> Subscription:
        chat_id, at, tz, last_sent, delivered_until, desk, thread_id = row
        return Subscription(int(chat_id), time.fromisoformat(at), tz,
                            date.fromisoformat(last_sent) if last_sent else None,
                            int(delivered_until) if delivered_until is not None else None, str(desk),
                            int(thread_id) or None)

    def subscribe(self, chat_id: int, at: time, tz: str, now: datetime, desk: str = DEFAULT_DESK, *,
                  thread_id: int | None = None) -> Subscription:
        """Create or change a chat's (or one forum topic's) subscription.

        A new subscription starts with the next send time: if today's time has already passed,
        today counts as sent, so subscribing at 10:00 for 08:00 does not send at once. A changed
        one keeps its history (a chat that got today's digest does not get it twice).
        """
        zone = parse_zone(tz)
        with self._transaction() as db:
            key = (chat_id, desk, thread_id or 0)
            row = db.execute(f"SELECT last_sent FROM subscriptions WHERE {_KEY}", key).fetchone()
            if row is None:
                today = now.astimezone(zone).date()
                last = today if now >= send_instant(today, at, zone) else today - timedelta(days=1)
                db.execute("INSERT INTO subscriptions (chat_id, desk, thread_id, at, tz, last_sent, delivered_until, "
                           "created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (*key, _hhmm(at), tz, last.isoformat(), None, _time.time()))
            else:
                db.execute(f"UPDATE subscriptions SET at = ?, tz = ? WHERE {_KEY}", (_hhmm(at), tz, *key))
        sub = self.get(chat_id, desk, thread_id=thread_id)
        assert sub is not None
        return sub

    def unsubscribe(self, chat_id: int, desk: str = DEFAULT_DESK, *, thread_id: int | None = None) -> bool:
        """Remove a chat's (topic's) subscription to a desk's digest; False if it had none."""
        with self._transaction() as db:
            return db.execute(f"DELETE FROM subscriptions WHERE {_KEY}", (chat_id, desk, thread_id or 0)).rowcount > 0

    def get(self, chat_id: int, desk: str = DEFAULT_DESK, *, thread_id: int | None = None) -> Subscription | None:
        """The chat's (topic's) subscription to a desk's digest, or None."""
        with self._lock:
            row = self._db.execute(f"SELECT {_COLUMNS} FROM subscriptions WHERE {_KEY}",
                                   (chat_id, desk, thread_id or 0)).fetchone()
        return self._row(row) if row else None

    def all(self) -> list[Subscription]:
        """Every subscription, by chat id, desk and topic."""
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM subscriptions "
                                    "ORDER BY chat_id, desk, thread_id").fetchall()
        return [self._row(r) for r in rows]

    def claim(self, chat_id: int, day: date, desk: str = DEFAULT_DESK, *,
              thread_id: int | None = None) -> Subscription | None:
        """Claim the digest of `day` for a chat: the subscription as it was if this caller won, else None.

        The condition and the write are one statement in one transaction, so two callers can
        never both win the same day, in one process or across a restart.
        """
        key = (chat_id, desk, thread_id or 0)
        with self._transaction() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM subscriptions WHERE {_KEY}", key).fetchone()
            if row is None:
                return None
            won = db.execute(f"UPDATE subscriptions SET last_sent = ?, claimed_at = ? WHERE {_KEY} "
                             "AND (last_sent IS NULL OR last_sent < ?)",
                             (day.isoformat(), _time.time(), *key, day.isoformat())).rowcount
        return self._row(row) if won else None

    def delivered(self, chat_id: int, until: datetime, desk: str = DEFAULT_DESK, *,
                  thread_id: int | None = None) -> None:
        """Record that the desk's digest covering up to `until` reached the chat (the next one starts there)."""
        with self._transaction() as db:
            db.execute(f"UPDATE subscriptions SET delivered_until = MAX(COALESCE(delivered_until, 0), ?) "
                       f"WHERE {_KEY}", (int(until.timestamp()), chat_id, desk, thread_id or 0))
