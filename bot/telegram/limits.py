"""Rate limits in both directions.

Incoming: `ChatFloodGuard` caps how many requests one chat may make per window, so one
chat flooding the bot cannot starve the others (it gets one friendly notice per window).

Outgoing: `SendRateLimiter` keeps sends under Telegram's limits (about 30 messages/s overall,
20/min per group, about 1/s per private chat) and waits out a 429 `retry_after` before
retrying, so a throttled message is still delivered. It composes PTB's `AIORateLimiter`
(global and group buckets, 429 retries) with a per-private-chat bucket, which PTB's lacks.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter, BaseRateLimiter

# Private chats may burst this many messages before the per-second rate applies: a split
# answer (2-3 messages) then goes out at once instead of one per second.
CHAT_BURST = 3


@dataclass(frozen=True)
class FloodVerdict:
    """Whether a request may proceed, and whether to tell the chat it was refused."""

    allowed: bool
    notify: bool = False
    retry_in: float = 0.0


class ChatFloodGuard:
    """At most `limit` requests per chat in any `window` seconds (a sliding window)."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._seen: dict[int, deque[float]] = {}
        self._notified_until: dict[int, float] = {}

    def check(self, chat_id: int) -> FloodVerdict:
        """Record a request from `chat_id` and say whether it may proceed."""
        now = self._clock()
        times = self._seen.setdefault(chat_id, deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            self._prune(now)
            return FloodVerdict(allowed=True)
        retry_in = self.window - (now - times[0])
        # One notice per window: answering every extra message would itself be a flood.
        notify = self._notified_until.get(chat_id, 0.0) <= now
        if notify:
            self._notified_until[chat_id] = now + retry_in
        return FloodVerdict(allowed=False, notify=notify, retry_in=retry_in)

    def _prune(self, now: float) -> None:
        if len(self._seen) <= 4096:
            return
        for chat_id in [c for c, t in self._seen.items() if not t or now - t[-1] >= self.window]:
            del self._seen[chat_id]
            self._notified_until.pop(chat_id, None)


def flood_notice(retry_in: float) -> str:
    """The friendly reply to a chat that is asking too fast."""
    wait = max(1, round(retry_in))
    return f"You're sending requests faster than I can answer. Please wait about {wait} s and try again."


class SendRateLimiter(BaseRateLimiter[int]):
    """Throttle outgoing calls per private chat, then by PTB's global/group buckets with 429 retries."""

    def __init__(self, global_per_second: float = 25.0, group_per_minute: float = 18.0,
                 chat_per_second: float = 1.0, max_retries: int = 3) -> None:
        self._inner = AIORateLimiter(overall_max_rate=global_per_second, overall_time_period=1,
                                     group_max_rate=group_per_minute, group_time_period=60,
                                     max_retries=max_retries)
        self._chat_rate = chat_per_second
        self._chat_limiters: dict[int, AsyncLimiter] = {}

    async def initialize(self) -> None:
        """Initialise the inner limiter (PTB calls this when the bot starts)."""
        await self._inner.initialize()

    async def shutdown(self) -> None:
        """Shut down the inner limiter (PTB calls this when the bot stops)."""
        await self._inner.shutdown()

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter:
        if len(self._chat_limiters) > 1024:
            # Drop idle buckets (full capacity = nothing recent) so memory stays bounded.
            for key, idle in list(self._chat_limiters.items()):
                if key != chat_id and idle.has_capacity(idle.max_rate):
                    del self._chat_limiters[key]
        limiter = self._chat_limiters.get(chat_id)
        if limiter is None:
            limiter = AsyncLimiter(max_rate=CHAT_BURST, time_period=CHAT_BURST / self._chat_rate)
            self._chat_limiters[chat_id] = limiter
        return limiter

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Acquire the chat's bucket for message sends, then hand over to the inner limiter."""
        if endpoint == "sendChatAction":
            # "typing…" is cosmetic: it must not use up the message budget or wait behind it
            # (a 429 on it is simply dropped by the caller).
            return await callback(*args, **kwargs)
        chat_id = data.get("chat_id")
        # Only real messages count against a private chat (positive id); chat actions and
        # callback answers are cheap and must not delay the answer behind them.
        is_message = endpoint.startswith(("send", "edit"))
        if is_message and isinstance(chat_id, int) and chat_id > 0:
            await self._chat_limiter(chat_id).acquire()
        return await self._inner.process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
