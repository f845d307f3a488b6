"""Sending rendered messages to a chat, with a defined outcome for every Telegram failure.

- Markup rejected ("can't parse entities") or too long: the same content is resent as
  plain text, split again if needed; the message is not dropped.
- 429: waited out and retried by the rate limiter (`SendRateLimiter`); only if retries
  run out does it surface here, and then it is logged.
- A send that provably did not deliver is retried with backoff for up to the retry window
  (`TELEGRAM_SEND_RETRY_WINDOW`), then logged as not delivered: the request never left (no
  connection: refused, connect timeout, pool timeout), or Telegram answered it with a server
  error (5xx, e.g. "Bad Gateway"). An outage of a minute therefore delays answers, not loses them.
- A read timeout or a connection dropped after the request went out: logged and not resent,
  since Telegram may already have delivered it and a blind retry would duplicate the message.
- A reply Telegram accepted but whose result cannot be read counts as delivered (logged).
- Forbidden (the user blocked the bot): logged and remembered; nothing more is sent to
  that chat until it writes to the bot again.
- "message thread not found" (the forum topic was deleted or closed meanwhile): the message,
  and the rest of the reply, go to the chat without the topic rather than being dropped.

Every send, text or photo (the digest's chart), passes the access gate first, so no path
(handler, callback, scheduled job) can put document content into a chat that is not on the
allow list; a photo meets the same blocked-chat memory and the same 429 handling as text.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import httpx
from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.telegram.access import AccessGate
from bot.telegram.render import html_to_plain, split_plain

log = logging.getLogger(__name__)

# Chat actions expire after 5 s on the client; renew a little before that.
TYPING_RENEW_S = 4.5
# Backoff of a send that provably did not deliver: 0.5 s, doubling, at most 5 s between tries.
RETRY_FIRST_S = 0.5
RETRY_MAX_PAUSE_S = 5.0
# Once the bot is stopping, retries get this long, so a stop stays well inside systemd's 30 s.
STOPPING_GRACE_S = 5.0
# Messages whose reply was delivered, remembered so the error handler does not apologise for them.
REPLIED_REMEMBERED = 4096

_MARKUP_ERRORS = ("can't parse entities", "unsupported start tag", "can't find end tag",
                  "unexpected end tag", "unclosed start tag")


def never_sent(exc: BaseException) -> bool:
    """True if the request failed before reaching Telegram, so resending cannot duplicate."""
    cause = exc.__cause__
    if isinstance(cause, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
        return True
    # PTB words its pool timeout this way (and says the request was not sent).
    return isinstance(exc, TimedOut) and "not* sent" in str(exc)


def server_refused(exc: BaseException) -> bool:
    """True if Telegram answered the request with an error status it gives no other meaning (5xx).

    PTB raises such a reply as a plain `NetworkError` with no transport cause (or, when the
    body was a proxy's HTML page, with the failed JSON parse as cause); a transport failure
    carries the httpx error as cause, and a timeout is `TimedOut`. An explicit error reply
    means the message was not accepted, so resending cannot duplicate it. 504 is the
    exception: a gateway that gave up waiting may have left the request completing behind it.
    """
    if type(exc) is not NetworkError:
        return False
    cause = exc.__cause__
    if cause is not None and not isinstance(cause, TelegramError):
        return False
    return "Gateway Timeout" not in exc.message and "(504)" not in exc.message


def undelivered(exc: BaseException) -> bool:
    """True if the send failed in a way that proves Telegram did not deliver it (safe to resend)."""
    return never_sent(exc) or server_refused(exc)


def thread_gone(exc: BadRequest) -> bool:
    """True if Telegram refused a send because its forum topic no longer takes messages."""
    text = exc.message.lower()
    return "message thread not found" in text or "topic_deleted" in text or "topic_closed" in text


class ChatRefusedError(Exception):
    """A send to a chat that is not on the allow list was attempted (a bug, never a user error)."""


@dataclass
class Delivery:
    """What happened to one logical reply."""

    sent: list[Message] = field(default_factory=list)
    plain_fallback: bool = False
    blocked: bool = False
    failed: bool = False
    thread_dropped: bool = False  # the topic was gone: sent to the chat without it


class Deliverer:
    """Sends HTML messages to a chat through the gate, with the fallbacks described above."""

    def __init__(self, gate: AccessGate, retry_window: float = 120.0) -> None:
        self.gate = gate
        self.retry_window = retry_window
        self.blocked_chats: set[int] = set()
        self._stop_by: float | None = None
        self._replied: OrderedDict[tuple[int, int], None] = OrderedDict()

    def stop_retrying(self) -> None:
        """The bot is stopping: sends still retrying get `STOPPING_GRACE_S` more, then give up."""
        self._stop_by = time.monotonic() + STOPPING_GRACE_S

    def replied(self, chat_id: int, message_id: int) -> bool:
        """True if a reply to message `message_id` of the chat was delivered (recently)."""
        return (chat_id, message_id) in self._replied

    def _note_replied(self, chat_id: int, message_id: int) -> None:
        self._replied[(chat_id, message_id)] = None
        self._replied.move_to_end((chat_id, message_id))
        while len(self._replied) > REPLIED_REMEMBERED:
            self._replied.popitem(last=False)

    def note_incoming(self, chat_id: int) -> None:
        """The chat wrote to us, so it no longer blocks the bot."""
        self.blocked_chats.discard(chat_id)

    def _check_allowed(self, chat_id: int) -> None:
        if not self.gate.allows(chat_id):
            raise ChatRefusedError(f"refusing to send to chat {chat_id}: not on the allow list")

    def _mark_blocked(self, chat_id: int, exc: Forbidden) -> None:
        log.warning("chat %s blocked the bot or removed it (%s); not sending there until it writes again",
                    chat_id, exc.message)
        self.blocked_chats.add(chat_id)

    async def send(
        self,
        bot: Bot,
        chat_id: int,
        messages: Sequence[str],
        *,
        reply_to: int | None = None,
        markup: InlineKeyboardMarkup | None = None,
        thread_id: int | None = None,
        unlisted_ok: bool = False,
    ) -> Delivery:
        """Send `messages` (Telegram HTML) in order; `markup` goes on the last one.

        Args:
            reply_to: message id the first message replies to (kept if that message is gone).
            thread_id: forum topic to post into, so replies stay in the user's topic.
            unlisted_ok: only for the refusal notice, which carries no document content.
        """
        outcome = self._open(chat_id, unlisted_ok)
        if outcome.blocked:
            return outcome
        for i, html in enumerate(messages):
            reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if (i == 0 and reply_to) else None
            last_markup = markup if i == len(messages) - 1 else None
            topic = None if outcome.thread_dropped else thread_id
            ok = await self._send_one(bot, chat_id, html, reply, last_markup, topic, outcome)
            if ok and reply_to:
                self._note_replied(chat_id, reply_to)
            if not ok and (outcome.blocked or outcome.failed):
                break
        return outcome

    async def send_photo(self, bot: Bot, chat_id: int, photo: bytes, *, caption: str = "",
                         thread_id: int | None = None) -> Delivery:
        """Send one picture with a plain-text caption, under the same rules as text.

        The gate, the blocked-chat memory, 429 waits (the rate limiter) and the retry of a
        request that never left all apply. Any other failure is logged and reported as
        `failed`: a picture has no plain-text fallback.
        """
        outcome = self._open(chat_id)
        if outcome.blocked:
            return outcome
        try:
            try:
                msg = await self._until_sent(chat_id, lambda: bot.send_photo(
                    chat_id, photo=photo, caption=caption or None, message_thread_id=thread_id))
            except BadRequest as exc:
                if thread_id is None or not thread_gone(exc):
                    raise
                self._drop_thread(chat_id, thread_id, exc, outcome)
                msg = await self._until_sent(chat_id, lambda: bot.send_photo(
                    chat_id, photo=photo, caption=caption or None))
        except (Forbidden, RetryAfter) as exc:
            self._refused(chat_id, exc, outcome, "a photo")
            return outcome
        except TelegramError as exc:
            log.warning("could not send a photo to chat %s: %s: %s", chat_id, type(exc).__name__, exc)
            outcome.failed = True
            return outcome
        if msg is not None:
            outcome.sent.append(msg)
        return outcome

    async def _send_one(self, bot: Bot, chat_id: int, html: str, reply: ReplyParameters | None,
                        markup: InlineKeyboardMarkup | None, thread_id: int | None, outcome: Delivery) -> bool:
        try:
            msg = await self._post(bot, chat_id, html, ParseMode.HTML, reply, markup, thread_id)
        except BadRequest as exc:
            text = exc.message.lower()
            if thread_id is not None and thread_gone(exc):
                self._drop_thread(chat_id, thread_id, exc, outcome)
                return await self._send_one(bot, chat_id, html, reply, markup, None, outcome)
            if not any(marker in text for marker in _MARKUP_ERRORS) and "message is too long" not in text:
                log.error("Telegram refused a message to chat %s: %s", chat_id, exc.message)
                outcome.failed = True
                return False
            log.warning("Telegram rejected the markup for chat %s (%s); resending as plain text", chat_id, exc.message)
            outcome.plain_fallback = True
            return await self._send_plain(bot, chat_id, html, reply, markup, thread_id, outcome)
        except (Forbidden, RetryAfter) as exc:
            self._refused(chat_id, exc, outcome, "a message")
            return False
        except ChatMigrated as exc:
            log.error("chat %s became supergroup %s; add the new id to BRIEFBOT_ALLOWED_CHATS",
                      chat_id, exc.new_chat_id)
            outcome.failed = True
            return False
        except TelegramError as exc:
            if undelivered(exc):  # retried for the whole window, or the bot is stopping
                log.error("a message to chat %s was not delivered (%s: %s); gave up retrying",
                          chat_id, type(exc).__name__, exc)
                outcome.failed = True
                return False
            # TimedOut / NetworkError that may have reached Telegram: see module docstring.
            log.warning("sending to chat %s may not have completed (%s: %s); not resending to avoid a duplicate",
                        chat_id, type(exc).__name__, exc)
            return False
        if msg is not None:
            outcome.sent.append(msg)
        return True

    def _open(self, chat_id: int, unlisted_ok: bool = False) -> Delivery:
        """A fresh outcome for a send to `chat_id`, already `blocked` if the chat blocked the bot.

        Raises ChatRefusedError for a chat the allow-list does not name (unless `unlisted_ok`).
        """
        if not unlisted_ok:
            self._check_allowed(chat_id)
        outcome = Delivery()
        if chat_id in self.blocked_chats:
            log.info("not sending to chat %s: it has blocked the bot", chat_id)
            outcome.blocked = True
        return outcome

    @staticmethod
    def _drop_thread(chat_id: int, thread_id: int, exc: BadRequest, outcome: Delivery) -> None:
        log.warning("forum topic %s of chat %s takes no messages (%s); sending to the chat without it",
                    thread_id, chat_id, exc.message)
        outcome.thread_dropped = True

    def _refused(self, chat_id: int, exc: Forbidden | RetryAfter, outcome: Delivery, what: str) -> None:
        """Record a send Telegram refused for good: the chat blocked the bot, or 429s outlasted the retries."""
        if isinstance(exc, Forbidden):
            self._mark_blocked(chat_id, exc)
            outcome.blocked = True
            return
        log.error("still rate limited after retries sending %s to chat %s (retry after %s); not sent",
                  what, chat_id, exc.retry_after)
        outcome.failed = True

    async def _send_plain(self, bot: Bot, chat_id: int, html: str, reply: ReplyParameters | None,
                          markup: InlineKeyboardMarkup | None, thread_id: int | None, outcome: Delivery) -> bool:
        pieces = split_plain(html_to_plain(html))
        for i, piece in enumerate(pieces):
            try:
                msg = await self._post(bot, chat_id, piece, None, reply if i == 0 else None,
                                       markup if i == len(pieces) - 1 else None, thread_id)
            except Forbidden as exc:
                self._mark_blocked(chat_id, exc)
                outcome.blocked = True
                return False
            except TelegramError as exc:
                log.error("plain-text fallback to chat %s failed too: %s: %s", chat_id, type(exc).__name__, exc)
                outcome.failed = True
                return False
            if msg is not None:
                outcome.sent.append(msg)
        return True

    async def _post(self, bot: Bot, chat_id: int, text: str, parse_mode: str | None, reply: ReplyParameters | None,
                    markup: InlineKeyboardMarkup | None, thread_id: int | None) -> Message | None:
        """One sendMessage, retried only while it provably never reached Telegram."""
        return await self._until_sent(chat_id, lambda: bot.send_message(
            chat_id, text, parse_mode=parse_mode, reply_parameters=reply, reply_markup=markup,
            message_thread_id=thread_id,
            # Previews of news links would bury the answer; sources are one tap away.
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ))

    async def _until_sent(self, chat_id: int, request: Callable[[], Awaitable[Message]]) -> Message | None:
        """Make `request`; while it provably did not deliver, retry with backoff for the retry window.

        The last error is raised when the window closes (sooner once the bot is stopping).
        None means Telegram accepted the message but its result could not be read.
        """
        deadline = time.monotonic() + self.retry_window
        pause = RETRY_FIRST_S
        while True:
            try:
                return await request()
            except NetworkError as exc:
                if isinstance(exc, BadRequest) or not undelivered(exc):
                    raise
                stop_by = deadline if self._stop_by is None else min(deadline, self._stop_by)
                if time.monotonic() + pause > stop_by:
                    raise
                log.warning("send to chat %s was not delivered (%s); retrying in %.1f s", chat_id, exc, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_MAX_PAUSE_S)
            except TelegramError:
                raise
            except Exception:
                # PTB wraps every transport failure in a TelegramError, so this came from reading
                # the result of a send Telegram accepted (ok: true): delivered, so no apology.
                log.exception("Telegram accepted a message to chat %s but its result could not be read", chat_id)
                return None


@contextlib.asynccontextmanager
async def show_typing(bot: Bot, chat_id: int, thread_id: int | None = None) -> AsyncIterator[None]:
    """Show "typing…" in the chat while the body runs (renewed until it finishes)."""

    async def renew() -> None:
        while True:
            try:
                await bot.send_chat_action(chat_id, ChatAction.TYPING, message_thread_id=thread_id)
            except Forbidden:
                return
            except TelegramError as exc:
                # Cosmetic only: never let the indicator fail the answer.
                log.debug("chat action for %s failed: %s", chat_id, exc)
            await asyncio.sleep(TYPING_RENEW_S)

    task = asyncio.create_task(renew(), name=f"typing:{chat_id}")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
