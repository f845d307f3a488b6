"""What the command handlers and the digests share: replies, the engine's threads, per-chat order.

`ChatServices` is the one object both hold. It replies to an update through the `Deliverer`
(so every reply passes the access gate and its fallbacks), runs blocking engine work on a
thread pool so that one slow question never stalls other chats, and hands out one lock per
chat so that a chat's answers come in the order it asked. `topic_of` keeps replies in the
forum topic the user wrote in.
"""

from __future__ import annotations

import asyncio
import functools
import weakref
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.telegram.access import AccessGate
from bot.telegram.delivery import Deliverer, Delivery
from bot.telegram.render import render_text

P = ParamSpec("P")
T = TypeVar("T")
Context = ContextTypes.DEFAULT_TYPE

STORE_DOWN = "The document store is unavailable right now. Please try again in a minute."


def topic_of(message: object) -> int | None:
    """The forum topic of a message, so replies land in the same topic (None outside forums)."""
    if isinstance(message, Message) and message.is_topic_message and message.chat.type != ChatType.PRIVATE:
        return message.message_thread_id
    return None


class ChatServices:
    """The access gate, delivery, the engine's worker threads and per-chat locks.

    Args:
        gate: who may receive document content.
        delivery: sends with fallbacks, through `gate`.
        workers: threads for blocking engine work.
    """

    def __init__(self, gate: AccessGate, delivery: Deliverer, workers: int) -> None:
        self.gate = gate
        self.delivery = delivery
        self.executor = ThreadPoolExecutor(workers, thread_name_prefix="briefbot-engine")
        # Weak values: a chat's lock lives while someone holds or waits for it; idle chats cost nothing.
        self._chat_locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    async def run_blocking(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run blocking engine work on the worker pool, off the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(fn, *args, **kwargs))

    def chat_lock(self, chat_id: int) -> asyncio.Lock:
        """The lock that keeps one chat's questions and digests one at a time, in order."""
        lock = self._chat_locks.get(chat_id)
        if lock is None:
            lock = asyncio.Lock()
            self._chat_locks[chat_id] = lock
        return lock

    async def reply(self, update: Update, context: Context, messages: Sequence[str],
                    markup: InlineKeyboardMarkup | None = None) -> Delivery:
        """Send rendered `messages` to the update's chat, replying to its message, in its topic."""
        message = update.effective_message
        chat = update.effective_chat
        assert message is not None and chat is not None  # guaranteed by the gate
        return await self.delivery.send(context.bot, chat.id, messages, reply_to=message.message_id,
                                        markup=markup, thread_id=topic_of(message))

    async def say(self, update: Update, context: Context, text: str) -> Delivery:
        """Reply with plain `text` (escaped, split if long)."""
        return await self.reply(update, context, render_text(text))

    def shutdown(self) -> None:
        """Stop the worker threads (work not yet started is cancelled)."""
        self.executor.shutdown(wait=False, cancel_futures=True)
