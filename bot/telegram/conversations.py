"""Conversation context per chat and per forum topic, in memory, forgotten after a quiet spell.

A follow-up ("when did he become leader?") is resolved by the engine against the earlier
turns of the conversation it is given (`index.conversation.Conversation`, an immutable
value). This store holds one such value per `(chat id, forum topic id or None)`, so two
topics of one group, or two chats, never share context. It changes only after an answer
(`remember(key, answer.turn)`): briefings and errors leave it as it was; `/new` clears it.

A conversation expires after `ttl` seconds without a new turn (the engine's
`conversation_minutes`). Turns are stamped with the store's own clock when remembered, so
expiry is measured on one clock, which tests can replace. The store is bounded: the least
recently used conversations are dropped beyond `capacity`, expired ones on the way.

It is used from the event loop only (no locking); the per-chat lock in `ChatServices`
keeps one chat's questions in order, so a follow-up sees the turn of the question before it.
"""

from __future__ import annotations

import dataclasses
import time
from collections import OrderedDict
from collections.abc import Callable

from index.conversation import Conversation, Turn

ChatKey = tuple[int, int | None]  # (chat id, forum topic id or None)
DEFAULT_CAPACITY = 10_000


class ConversationStore:
    """The current conversation of each chat (and forum topic).

    Args:
        ttl: seconds of quiet after which a chat's context is forgotten.
        capacity: most conversations kept; the least recently used go first.
        clock: seconds, `time.time` by default (tests pass their own).
    """

    def __init__(self, ttl: float, capacity: int = DEFAULT_CAPACITY,
                 clock: Callable[[], float] = time.time) -> None:
        self.ttl = ttl
        self.capacity = capacity
        self.clock = clock
        self._items: OrderedDict[ChatKey, Conversation] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: ChatKey) -> Conversation:
        """The chat's conversation, or an empty one if it has none or it has expired."""
        conversation = self._items.get(key)
        if conversation is None:
            return Conversation()
        fresh = conversation.fresh(self.clock(), self.ttl)
        if not fresh.turns:
            del self._items[key]
        return fresh

    def remember(self, key: ChatKey, turn: Turn) -> None:
        """Add an answered turn to the chat's conversation (an expired one starts over)."""
        now = self.clock()
        current = self.get(key)
        self._items[key] = current.after(dataclasses.replace(turn, at=now))
        self._items.move_to_end(key)
        if len(self._items) > self.capacity:
            self._prune(now)

    def clear(self, key: ChatKey) -> bool:
        """Forget the chat's conversation; True if there was one that had not expired."""
        conversation = self._items.pop(key, None)
        return conversation is not None and not conversation.expired(self.clock(), self.ttl)

    def clear_chat(self, chat_id: int) -> None:
        """Forget the conversations of every topic of a chat (its desk changed)."""
        for key in [k for k in self._items if k[0] == chat_id]:
            del self._items[key]

    def _prune(self, now: float) -> None:
        for key in [k for k, c in self._items.items() if c.expired(now, self.ttl)]:
            del self._items[key]
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)


def chat_key(chat_id: int, topic_id: int | None) -> ChatKey:
    """The store's key for a chat and its forum topic (None outside forum topics)."""
    return (chat_id, topic_id)
