"""Which desk a Telegram chat talks to, and one engine per desk.

A chat uses the desks it may use (a desk's `chats`, empty = every allowed chat). Its
choice (`/desk NAME`) is kept in SQLite next to the subscriptions, so it survives a
restart; until it chooses, a chat gets the bot's default desk (`BRIEFBOT_DESK`), or its
only desk. An installation with one desk needs none of this: every chat gets it.

Engines are opened lazily, one per desk, all sharing the one loaded model. Every method
here may block on the store (listing collections), so handlers call them on the worker
threads.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from index.config import desk_name
from index.desk_profile import Desk
from index.desks import Desks
from index.errors import DeskError

if TYPE_CHECKING:
    from index.engine import Briefbot

DB_NAME = "chat-desks.sqlite3"
DESKS_TTL_S = 30.0  # a desk added with `briefbot desks add` shows up in Telegram within this time


class ChatDeskChoices:
    """Each chat's chosen desk, in SQLite (kept in memory when the file cannot be opened)."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._memory: dict[int, str] = {}
        self._db: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=10.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS chat_desk (chat_id INTEGER PRIMARY KEY, desk TEXT NOT NULL)")
        except (OSError, sqlite3.Error):
            self._db = None

    def get(self, chat_id: int) -> str | None:
        """The desk the chat chose, or None."""
        with self._lock:
            if self._db is None:
                return self._memory.get(chat_id)
            row = self._db.execute("SELECT desk FROM chat_desk WHERE chat_id = ?", (chat_id,)).fetchone()
            return str(row[0]) if row else None

    def set(self, chat_id: int, desk: str) -> None:
        """Remember the chat's choice."""
        with self._lock:
            if self._db is None:
                self._memory[chat_id] = desk
                return
            self._db.execute("INSERT INTO chat_desk (chat_id, desk) VALUES (?, ?) "
                             "ON CONFLICT(chat_id) DO UPDATE SET desk = excluded.desk", (chat_id, desk))

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


class DeskRoom:
    """The desks a bot serves: who may use which, each chat's choice, an engine per desk.

    Args:
        default_engine: the engine of the bot's default desk; its settings name the store,
            and its model is shared by every other desk's engine.
    """

    def __init__(self, default_engine: Briefbot) -> None:
        self.default_engine = default_engine
        self.default_name = desk_name(default_engine.settings)
        self.registry = Desks(default_engine.settings)
        self.choices = ChatDeskChoices(Path(default_engine.settings.data_dir) / DB_NAME)
        self._engines: dict[str, Briefbot] = {self.default_name: default_engine}
        self._lock = threading.Lock()
        self._desks: tuple[float, list[Desk]] | None = None

    def all(self) -> list[Desk]:
        """Every desk (re-read from the store at most every DESKS_TTL_S seconds)."""
        with self._lock:
            if self._desks is None or time.monotonic() - self._desks[0] > DESKS_TTL_S:
                self._desks = (time.monotonic(), self.registry.all())
            return list(self._desks[1])

    def for_chat(self, chat_id: int) -> list[Desk]:
        """The desks chat `chat_id` may use, the default first."""
        return [d for d in self.all() if d.allows_chat(chat_id)]

    def current(self, chat_id: int) -> Desk:
        """The chat's desk: its choice if it may still use it, else the default desk, else its first.

        Raises:
            DeskError: no desk is open to this chat.
        """
        allowed = {d.name: d for d in self.for_chat(chat_id)}
        for name in (self.choices.get(chat_id), self.default_name):
            if name in allowed:
                return allowed[name]
        if not allowed:
            raise DeskError("no desk is open to this chat")
        return next(iter(allowed.values()))

    def choose(self, chat_id: int, name: str) -> Desk:
        """Make `name` the chat's desk.

        Raises:
            DeskError: no such desk, or not one this chat may use (the message lists those it may).
        """
        allowed = {d.name: d for d in self.for_chat(chat_id)}
        wanted = name.strip().lower()
        if wanted not in allowed:
            names = ", ".join(allowed) or "none"
            raise DeskError(f"there is no desk {name!r} for this chat (desks here: {names})")
        self.choices.set(chat_id, wanted)
        return allowed[wanted]

    def engine(self, desk: Desk | str) -> Briefbot:
        """The engine of a desk (opened on first use, sharing the default engine's model)."""
        name = desk if isinstance(desk, str) else desk.name
        with self._lock:
            engine = self._engines.get(name)
        if engine is not None:
            return engine
        opened = self.registry.open(name, embedder=self.default_engine.embedder)
        with self._lock:
            return self._engines.setdefault(name, opened)

    def engine_for(self, chat_id: int) -> Briefbot:
        """The engine of the chat's current desk."""
        return self.engine(self.current(chat_id))

    def close(self) -> None:
        """Close the choices database."""
        self.choices.close()
