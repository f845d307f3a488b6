"""Remember the citations behind recent answers, so a source button can show its quote.

Telegram gives a button only 64 bytes of callback data, far too little for a quote, so
the button carries a short key (`proof:<answer key>:<n>`) and the citations stay here, in
memory, for the most recent answers. A button pressed after a restart (or after its answer
was evicted) gets a polite "ask again" instead of a quote.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.types import Citation

CALLBACK_PREFIX = "proof"


class ProofStore:
    """A bounded LRU of answer key -> (chat id, citations)."""

    def __init__(self, capacity: int = 5000) -> None:
        self._capacity = capacity
        self._items: OrderedDict[str, tuple[int, dict[int, Citation]]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def remember(self, chat_id: int, citations: tuple[Citation, ...]) -> str:
        """Store the citations of one answer in `chat_id`; returns the key for its buttons."""
        key = secrets.token_urlsafe(6)
        self._items[key] = (chat_id, {c.n: c for c in citations})
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)
        return key

    def lookup(self, chat_id: int, key: str, n: int) -> Citation | None:
        """The citation, if it is still known and belongs to an answer in this same chat."""
        item = self._items.get(key)
        if item is None or item[0] != chat_id:
            # The chat check keeps a button from ever revealing another chat's evidence.
            return None
        self._items.move_to_end(key)
        return item[1].get(n)


def callback_data(key: str, n: int) -> str:
    """The data for the button of citation `n`."""
    return f"{CALLBACK_PREFIX}:{key}:{n}"


def parse_callback_data(data: str) -> tuple[str, int] | None:
    """(key, n) from button data, or None if it is not ours or malformed."""
    prefix, _, rest = data.partition(":")
    key, _, n = rest.partition(":")
    if prefix != CALLBACK_PREFIX or not key or not n.isdigit() or len(n) > 4:
        return None
    return key, int(n)
