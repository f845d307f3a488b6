"""The Telegram front end: `briefbot telegram`.

Wires python-telegram-bot (v22) to the engine: an access gate in front of every handler,
commands (/start /help /ask /latest /sources /digest), plain-text questions in private
chats, buttons that show the evidence behind each numbered source, and an error handler
that logs and apologises. Engine work runs in a thread pool so one slow question never
stalls other chats; sends go through `Deliverer` (fallbacks) and `SendRateLimiter` (limits).

    app = build_application(TelegramSettings(), Briefbot())
    run(app, settings, webhook=False)       # or: telegram_main(["--webhook"])
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import signal
import sys
import time
import weakref
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pydantic import ValidationError
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import Forbidden, InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.telegram.subscriptions import SubscriptionStore
from bot.telegram.access import (
    AccessGate,
    command_target,
    is_addressed,
    is_channel_update,
    refusal_text,
    strip_mention,
    update_chat_id,
)
from bot.telegram.config import TelegramSettings
from bot.telegram.delivery import Deliverer, show_typing
from bot.telegram.digests import DigestService, DigestSettings
from bot.telegram.limits import ChatFloodGuard, SendRateLimiter, flood_notice
from bot.telegram.logging import configure_logging
from bot.telegram.proofs import ProofStore, callback_data, parse_callback_data
from bot.telegram.render import render_answer, render_hits, render_proof, render_stats, render_text, sanitize_text
from bot.telegram.webhook import WebhookReceiver

if TYPE_CHECKING:
    from index.engine import Briefbot
    from index.types import Answer, Hit

log = logging.getLogger(__name__)

T = TypeVar("T")
Context = ContextTypes.DEFAULT_TYPE

COMMANDS: tuple[tuple[str, str], ...] = (
    ("ask", "Ask a question about the documents"),
    ("latest", "Newest documents"),
    ("sources", "What I know: documents, dates, feeds"),
    ("digest", "Digest of a day: /digest [YYYY-MM-DD]"),
    ("subscribe", "Daily digest: /subscribe [HH:MM] [Area/City]"),
    ("unsubscribe", "Stop the daily digest"),
    ("help", "How to use this bot"),
    ("start", "Introduction"),
)
COMMAND_NAMES = frozenset(name for name, _ in COMMANDS)
# Updates we ask Telegram for; anything else (channel posts, member changes) is not requested.
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
DEFAULT_MAX_QUESTION_CHARS = 500
LATEST_COUNT = 10
BUTTONS_PER_ROW = 5

START_TEXT = (
    "Hello! I answer questions about the Niger crisis (the July 2023 coup and what followed) "
    "from a curated set of news documents. Every answer quotes its sources with numbered links; "
    "tap a source's button to see the exact quote.\n\n"
    "Just type a question, for example: What did ECOWAS decide?\n\n"
    "/help lists everything I can do."
)
HELP_TEXT = (
    "/ask <question> — ask about the documents (in a private chat, plain text works too)\n"
    "/latest — the newest documents\n"
    "/sources — what I know: document count, date range, feeds\n"
    "/digest [YYYY-MM-DD] — a digest of one day (default: the last 24 hours)\n"
    "/subscribe [HH:MM] [Area/City] — a digest every day at that time, e.g. /subscribe 07:30 Africa/Niamey\n"
    "/unsubscribe — stop the daily digest\n"
    "/help — this message\n\n"
    "In a group, mention me (@{username} your question), reply to one of my messages, or use /ask.\n"
    "Answers come only from the documents; if they don't cover something, I say so."
)
APOLOGY = "Sorry, something went wrong on my side while answering. Please try again in a moment."
STORE_DOWN = "The document store is unavailable right now. Please try again in a minute."
NON_TEXT = "I can only answer text questions. Please type your question."
EDITED = "I only answer new messages. Please send your corrected question as a new message."
EMPTY_QUESTION = "What would you like to know? For example: /ask What did ECOWAS decide?"
DIGEST_UNAVAILABLE = "Digests are not available yet. Ask me a question, or use /latest for the newest documents."


class Engine(Protocol):
    """The part of `index.engine.Briefbot` the bot uses (reads only; safe from worker threads)."""

    def ask(self, question: str, since: date | None = None, until: date | None = None) -> Answer: ...
    def latest(self, limit: int = 10) -> list[Hit]: ...
    def stats(self) -> Any: ...


class TelegramFrontEnd:
    """Handlers and the state they share (gate, limits, delivery, proofs, engine threads)."""

    def __init__(self, settings: TelegramSettings, engine: Engine | Briefbot) -> None:
        self.settings = settings
        self.engine = engine
        self.gate = AccessGate(settings.allowed_chats)
        self.flood = ChatFloodGuard(settings.chat_rate_limit, settings.chat_rate_window)
        self.delivery = Deliverer(self.gate)
        self.proofs = ProofStore()
        self.executor = ThreadPoolExecutor(settings.workers, thread_name_prefix="briefbot-engine")
        # One question at a time per chat keeps a chat's answers in order and stops one chat
        # from occupying every worker; weak values so idle chats cost nothing.
        self._chat_locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        engine_settings = getattr(engine, "settings", None)
        self.max_question_chars = int(getattr(engine_settings, "max_question_chars", DEFAULT_MAX_QUESTION_CHARS))
        # Digests, subscriptions and feed polling (None for an engine without a data dir).
        self.digests: DigestService | None = None

    # --- wiring ------------------------------------------------------------------------------

    def register(self, app: Application) -> None:
        """Add the gate, the handlers and the error handler to `app`."""
        new = filters.UpdateType.MESSAGE
        app.add_handler(TypeHandler(Update, self.gate_update), group=-1)
        digests = self.digests
        commands: list[tuple[str, Callable[..., Any]]] = [
            ("start", self.on_start), ("help", self.on_help), ("ask", self.on_ask), ("latest", self.on_latest),
            ("sources", self.on_sources), ("digest", digests.on_digest if digests else self.on_digest)]
        if digests is not None:
            commands += [("subscribe", digests.on_subscribe), ("unsubscribe", digests.on_unsubscribe)]
        else:
            commands += [("subscribe", self.on_digest), ("unsubscribe", self.on_digest)]
        for name, callback in commands:
            app.add_handler(CommandHandler(name, callback, filters=new))
        app.add_handler(MessageHandler(new & filters.COMMAND, self.on_unknown_command))
        app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND, self.on_text))
        app.add_handler(MessageHandler(new & filters.ATTACHMENT, self.on_non_text))
        app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, self.on_edited))
        app.add_handler(CallbackQueryHandler(self.on_proof))
        app.add_error_handler(self.on_error)

    async def post_init(self, app: Application) -> None:
        """Register the command menu and load the model before the first question arrives."""
        try:
            await app.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
        except TelegramError as exc:
            log.warning("could not register the command menu (setMyCommands): %s", exc)
        if not self.settings.allowed_chats:
            log.warning("BRIEFBOT_ALLOWED_CHATS is empty: every chat is refused (each is told its chat id)")
        started = time.perf_counter()
        warm_up = getattr(self.engine, "warm_up", None)
        try:
            # The first question would otherwise pay for loading the model and keyword index.
            if callable(warm_up):
                await self._in_thread(warm_up)
        except Exception as exc:
            log.warning("engine warm-up failed (questions will retry): %s", exc)
        log.info("engine ready in %.1f s; serving %d allowed chat(s) as @%s",
                 time.perf_counter() - started, len(self.settings.allowed_chats), app.bot.username)
        if self.digests is not None:
            self.digests.start(app)

    async def post_shutdown(self, app: Application) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        if self.digests is not None:
            self.digests.store.close()

    async def _in_thread(self, fn: Callable[..., T], *args: Any) -> T:
        """Run blocking engine work on the worker pool, off the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(fn, *args))

    def _chat_lock(self, chat_id: int) -> asyncio.Lock:
        lock = self._chat_locks.get(chat_id)
        if lock is None:
            lock = asyncio.Lock()
            self._chat_locks[chat_id] = lock
        return lock

    # --- the gate ----------------------------------------------------------------------------

    async def gate_update(self, update: object, context: Context) -> None:
        """Runs before every handler: drop what is not for us, refuse unknown chats, limit floods."""
        if not isinstance(update, Update) or is_channel_update(update):
            raise ApplicationHandlerStop
        chat_id = update_chat_id(update)
        query = update.callback_query
        message = update.message or update.edited_message
        if chat_id is None or (message is None and query is None):
            raise ApplicationHandlerStop
        if message is not None:
            if message.is_automatic_forward or (message.from_user and message.from_user.is_bot):
                raise ApplicationHandlerStop
            if not is_addressed(message, context.bot.username, context.bot.id, COMMAND_NAMES):
                raise ApplicationHandlerStop
            self.delivery.note_incoming(chat_id)
        if not self.gate.allows(chat_id):
            log.info("refused %s chat %s", update.effective_chat.type if update.effective_chat else "?", chat_id)
            if query is not None:
                await query.answer("This bot is private.", show_alert=True)
            elif message is not None and self.gate.should_notify_refusal(chat_id):
                await self.delivery.send(context.bot, chat_id, render_text(refusal_text(chat_id)),
                                         reply_to=message.message_id, thread_id=_thread(message), unlisted_ok=True)
            raise ApplicationHandlerStop
        verdict = self.flood.check(chat_id)
        if not verdict.allowed:
            log.info("chat %s is over its rate limit", chat_id)
            if query is not None:
                await query.answer(flood_notice(verdict.retry_in))
            elif message is not None and verdict.notify:
                await self.delivery.send(context.bot, chat_id, render_text(flood_notice(verdict.retry_in)),
                                         reply_to=message.message_id, thread_id=_thread(message))
            raise ApplicationHandlerStop

    # --- replies -----------------------------------------------------------------------------

    async def _reply(self, update: Update, context: Context, messages: Sequence[str],
                     markup: InlineKeyboardMarkup | None = None) -> None:
        message = update.effective_message
        chat = update.effective_chat
        assert message is not None and chat is not None  # guaranteed by the gate
        await self.delivery.send(context.bot, chat.id, messages, reply_to=message.message_id,
                                 markup=markup, thread_id=_thread(message))

    async def _say(self, update: Update, context: Context, text: str) -> None:
        await self._reply(update, context, render_text(text))

    # --- commands ----------------------------------------------------------------------------

    async def on_start(self, update: Update, context: Context) -> None:
        """/start: who I am and how to ask."""
        await self._say(update, context, START_TEXT)

    async def on_help(self, update: Update, context: Context) -> None:
        """/help: the commands."""
        await self._say(update, context, HELP_TEXT.format(username=context.bot.username))

    async def on_ask(self, update: Update, context: Context) -> None:
        """/ask <question>."""
        message = update.effective_message
        assert message is not None
        text = message.text or ""
        target = command_target(message)
        # Everything after the command word (with any @botname), newlines included.
        command_len = len(f"/{target[0]}@{target[1]}" if target and target[1] else f"/{target[0]}") if target else 0
        await self._answer(update, context, text[command_len:])

    async def on_text(self, update: Update, context: Context) -> None:
        """Plain text: a question (in groups the gate has already checked we were addressed)."""
        message = update.effective_message
        assert message is not None
        await self._answer(update, context, strip_mention(message.text or "", context.bot.username))

    async def on_latest(self, update: Update, context: Context) -> None:
        """/latest: the newest documents."""
        chat = update.effective_chat
        assert chat is not None
        async with show_typing(context.bot, chat.id, _thread(update.effective_message)):
            hits = await self._engine_call(update, context, self.engine.latest, LATEST_COUNT)
        if hits is not None:
            await self._reply(update, context, render_hits(hits))

    async def on_sources(self, update: Update, context: Context) -> None:
        """/sources: document count, date range, languages, feeds."""
        chat = update.effective_chat
        assert chat is not None
        async with show_typing(context.bot, chat.id, _thread(update.effective_message)):
            stats = await self._engine_call(update, context, self.engine.stats)
        if stats is not None:
            await self._reply(update, context, render_stats(stats))

    async def on_digest(self, update: Update, context: Context) -> None:
        """/digest, /subscribe, /unsubscribe when the engine has no data dir for digests."""
        await self._say(update, context, DIGEST_UNAVAILABLE)

    async def on_unknown_command(self, update: Update, context: Context) -> None:
        """A command we do not have (the gate let it through, so it was addressed to us)."""
        message = update.effective_message
        assert message is not None
        target = command_target(message)
        name = target[0] if target else "that"
        await self._say(update, context, f"I don't know the command /{name}. Try /help.")

    async def on_non_text(self, update: Update, context: Context) -> None:
        """Stickers, photos, files, voice...: politely ask for text."""
        await self._say(update, context, NON_TEXT)

    async def on_edited(self, update: Update, context: Context) -> None:
        """An edited message: answering edits would answer the same question twice."""
        await self._say(update, context, EDITED)

    # --- questions ---------------------------------------------------------------------------

    async def _answer(self, update: Update, context: Context, raw_question: str) -> None:
        chat = update.effective_chat
        message = update.effective_message
        assert chat is not None and message is not None
        question = " ".join(sanitize_text(raw_question).split())
        if not question:
            await self._say(update, context, EMPTY_QUESTION)
            return
        if len(question) > self.max_question_chars:
            await self._say(update, context, f"Your question is {len(question)} characters long; I can take at most "
                                             f"{self.max_question_chars}. Please shorten it and ask again.")
            return
        async with self._chat_lock(chat.id):
            async with show_typing(context.bot, chat.id, _thread(message)):
                answer = await self._engine_call(update, context, self.engine.ask, question)
            if answer is None:
                return
            log.info("chat %s: answered in %.0f ms (%d citations%s)", chat.id, answer.elapsed_ms,
                     len(answer.citations), ", abstained" if answer.abstained else "")
            await self._reply(update, context, render_answer(answer), self._proof_buttons(chat.id, answer))

    async def _engine_call(self, update: Update, context: Context, fn: Callable[..., T], *args: Any) -> T | None:
        """Call the engine off the loop; engine errors become a one-line reply (None returned)."""
        # Imported here: `index` pulls in the whole engine, which tests of the pure parts don't need.
        from index.errors import BriefbotError, QuestionError, StoreUnavailableError

        try:
            return await self._in_thread(fn, *args)
        except StoreUnavailableError as exc:
            log.error("store unavailable: %s", exc)
            await self._say(update, context, STORE_DOWN)
        except QuestionError as exc:
            await self._say(update, context, f"Sorry, {exc}.")
        except BriefbotError as exc:
            log.error("engine error: %s", exc)
            await self._say(update, context, f"Sorry, I could not do that: {exc}")
        return None

    def _proof_buttons(self, chat_id: int, answer: Answer) -> InlineKeyboardMarkup | None:
        """One button per citation; pressing it shows the quoted evidence."""
        if not answer.citations:
            return None
        key = self.proofs.remember(chat_id, answer.citations)
        buttons = [InlineKeyboardButton(f"Quote [{c.n}]", callback_data=callback_data(key, c.n))
                   for c in answer.citations]
        rows = [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
        return InlineKeyboardMarkup(rows)

    async def on_proof(self, update: Update, context: Context) -> None:
        """A source button: show that citation's quote (only in the chat the answer went to)."""
        query = update.callback_query
        chat = update.effective_chat
        assert query is not None and chat is not None
        parsed = parse_callback_data(query.data or "")
        citation = self.proofs.lookup(chat.id, *parsed) if parsed else None
        if citation is None:
            await query.answer("I no longer have the sources of that answer. Please ask again.", show_alert=True)
            return
        await query.answer()
        reply_to = query.message.message_id if query.message else None
        await self.delivery.send(context.bot, chat.id, render_proof(citation), reply_to=reply_to,
                                 thread_id=_thread(query.message))

    # --- errors ------------------------------------------------------------------------------

    async def on_error(self, update: object, context: Context) -> None:
        """Log every unexpected exception with its traceback; the user gets a short apology."""
        exc = context.error
        chat = update.effective_chat if isinstance(update, Update) else None
        if isinstance(exc, Forbidden) and chat is not None:
            self.delivery.blocked_chats.add(chat.id)
            log.warning("chat %s: bot is blocked or was removed (%s)", chat.id, exc)
            return
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("unexpected error handling update %s (chat %s)", update_id, chat.id if chat else None,
                  exc_info=exc)
        if chat is None or not self.gate.allows(chat.id):
            return
        if isinstance(update, Update) and update.callback_query is not None:
            try:
                await update.callback_query.answer(APOLOGY)
            except TelegramError:
                pass
            return
        try:
            message = update.effective_message if isinstance(update, Update) else None
            await self.delivery.send(context.bot, chat.id, render_text(APOLOGY),
                                     reply_to=message.message_id if message else None, thread_id=_thread(message))
        except Exception:
            log.exception("could not send the apology to chat %s", chat.id)


def _thread(message: Message | Any | None) -> int | None:
    """The forum topic of a message, so replies land in the same topic."""
    if isinstance(message, Message) and message.is_topic_message and message.chat.type != ChatType.PRIVATE:
        return message.message_thread_id
    return None


# --- building and running ----------------------------------------------------------------------


def build_application(settings: TelegramSettings, engine: Engine | Briefbot) -> Application:
    """A configured PTB `Application` talking to `settings.api_base_url`, serving `engine`.

    The front end's state is at `app.bot_data["front_end"]` (a `TelegramFrontEnd`).
    """
    front = TelegramFrontEnd(settings, engine)
    front.digests = _digest_service(front, engine)
    app = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(f"{settings.api_base_url}/bot")
        .base_file_url(f"{settings.api_base_url}/file/bot")
        .concurrent_updates(settings.concurrent_updates)
        .rate_limiter(SendRateLimiter(settings.global_send_rate, settings.group_send_rate,
                                      settings.chat_send_rate, settings.send_retries))
        .connect_timeout(5.0)
        .read_timeout(settings.read_timeout)
        .write_timeout(settings.read_timeout)
        # A long poll holds the request open for poll_timeout seconds; allow for that.
        .get_updates_read_timeout(settings.poll_timeout + 10.0)
        .post_init(front.post_init)
        .post_shutdown(front.post_shutdown)
        .build()
    )
    front.register(app)
    app.bot_data["front_end"] = front
    return app


def _digest_service(front: TelegramFrontEnd, engine: Engine | Briefbot) -> DigestService | None:
    """Subscriptions in the engine's data dir, feeds from BRIEFBOT_FEEDS; None for an engine without settings."""
    engine_settings = getattr(engine, "settings", None)
    data_dir = getattr(engine_settings, "data_dir", None)
    if data_dir is None:
        return None
    import sqlite3

    from index.feeds import FeedPoller, FeedSettings

    feeds = FeedSettings()
    poller = FeedPoller(engine, feeds.urls, interval=feeds.feed_interval, timeout=feeds.feed_timeout,
                        state_file=Path(data_dir) / "feeds.json") if feeds.urls else None  # type: ignore[arg-type]
    try:
        store = SubscriptionStore.in_data_dir(data_dir)
    except (OSError, sqlite3.Error) as exc:
        log.error("digest subscriptions are off: cannot open %s/%s (%s)", data_dir, "subscriptions.sqlite3", exc)
        return None
    return DigestService(front, store, default_tz=str(getattr(engine_settings, "timezone", "UTC") or "UTC"),
                         settings=DigestSettings(), poller=poller, feed_interval=feeds.feed_interval)


async def serve(app: Application, settings: TelegramSettings, *, webhook: bool = False,
                stop: asyncio.Event | None = None) -> None:
    """Run `app` until `stop` is set: long polling by default, or the webhook receiver."""
    stop = stop or asyncio.Event()
    receiver: WebhookReceiver | None = None
    async with app:  # initialize (getMe) ... shutdown
        if app.post_init:
            await app.post_init(app)
        if webhook:
            receiver = WebhookReceiver(app, path=settings.webhook_path,
                                       secret=settings.webhook_secret.get_secret_value(),
                                       listen=settings.webhook_listen, port=settings.webhook_port)
            await receiver.start()
            app.bot_data["webhook_receiver"] = receiver  # tests read the bound port here
            await app.bot.set_webhook(settings.webhook_url, secret_token=settings.webhook_secret.get_secret_value(),
                                      allowed_updates=ALLOWED_UPDATES,
                                      drop_pending_updates=settings.drop_pending_updates)
        else:
            assert app.updater is not None
            await app.updater.start_polling(timeout=int(settings.poll_timeout), allowed_updates=ALLOWED_UPDATES,
                                            drop_pending_updates=settings.drop_pending_updates,
                                            error_callback=_polling_error)
        await app.start()
        log.info("bot running (%s)", "webhook" if webhook else "long polling")
        try:
            await stop.wait()
        finally:
            if receiver is not None:
                await receiver.stop()
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            await app.stop()
            if app.post_shutdown:
                await app.post_shutdown(app)


def _polling_error(exc: TelegramError) -> None:
    # One line per failed poll: PTB's default logs a full traceback each retry while offline.
    log.warning("polling failed (will retry): %s: %s", type(exc).__name__, exc)


def run(app: Application, settings: TelegramSettings, *, webhook: bool = False) -> None:
    """Serve until SIGINT or SIGTERM (what systemd sends on stop)."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(app, settings, webhook=webhook, stop=stop)

    asyncio.run(main())


# --- command line ----------------------------------------------------------------------------

_EPILOG = """\
environment (or .env):
  TELEGRAM_BOT_TOKEN        token from @BotFather (required)
  BRIEFBOT_ALLOWED_CHATS    comma-separated chat ids allowed to use the bot (default: none;
                            a refused chat is told its id)
  TELEGRAM_API_BASE_URL     Bot API server (default https://api.telegram.org)
  TELEGRAM_WEBHOOK_URL, TELEGRAM_WEBHOOK_SECRET, TELEGRAM_WEBHOOK_LISTEN, TELEGRAM_WEBHOOK_PORT
                            webhook mode; see docs/telegram-setup.md for the rest
  BRIEFBOT_*                engine settings (data dir, languages), as for every command

Long polling needs no inbound connection and is the default. Webhook mode needs a public
https URL (a reverse proxy terminating TLS in front of --listen/--port).
"""


def _one_line(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(x) for x in err.get("loc", ())) or "settings"
    return f"{where}: {err.get('msg', 'invalid value')}"


def telegram_main(argv: list[str] | None = None) -> int:
    """Entry point of `briefbot telegram`; returns the process exit code."""
    parser = argparse.ArgumentParser(
        prog="briefbot telegram",
        description="Run the briefing bot on Telegram (long polling by default).",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--webhook", action="store_true",
                        help="receive updates by webhook instead of long polling "
                             "(needs TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET)")
    parser.add_argument("--listen", metavar="ADDR", help="webhook: address to bind (TELEGRAM_WEBHOOK_LISTEN)")
    parser.add_argument("--port", type=int, metavar="N", help="webhook: port to bind (TELEGRAM_WEBHOOK_PORT)")
    parser.add_argument("--url", metavar="URL", help="webhook: public https URL (TELEGRAM_WEBHOOK_URL)")
    parser.add_argument("--drop-pending", action="store_true",
                        help="skip messages sent while the bot was down (default: answer them)")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    args = parser.parse_args(argv)

    overrides: dict[str, Any] = {}
    for field, value in (("webhook_listen", args.listen), ("webhook_port", args.port), ("webhook_url", args.url)):
        if value is not None:
            overrides[field] = value
    if args.drop_pending:
        overrides["drop_pending_updates"] = True
    try:
        settings = TelegramSettings(**overrides)
    except ValidationError as exc:
        print(f"briefbot telegram: {_one_line(exc)}", file=sys.stderr)
        return 2
    if not settings.token:
        print("briefbot telegram: TELEGRAM_BOT_TOKEN is not set (create a bot with @BotFather; "
              "see docs/telegram-setup.md)", file=sys.stderr)
        return 2
    if args.webhook and not (settings.webhook_url and settings.webhook_secret.get_secret_value()):
        print("briefbot telegram: --webhook needs TELEGRAM_WEBHOOK_URL (or --url) and TELEGRAM_WEBHOOK_SECRET",
              file=sys.stderr)
        return 2

    redactor = configure_logging(args.log_level, [settings.token, settings.webhook_secret.get_secret_value()])
    from index.config import Settings
    from index.engine import Briefbot
    from index.errors import BriefbotError

    try:
        engine = Briefbot(Settings())
        from index.feeds import FeedSettings

        # Checked here so that a bad BRIEFBOT_FEEDS or digest time is one line and exit 2, not a traceback.
        DigestSettings()
        FeedSettings()
    except ValidationError as exc:
        print(f"briefbot telegram: {_one_line(exc)}", file=sys.stderr)
        return 2
    except BriefbotError as exc:
        print(f"briefbot telegram: {exc}", file=sys.stderr)
        return 1
    try:
        run(build_application(settings, engine), settings, webhook=args.webhook)
    except InvalidToken:
        print("briefbot telegram: Telegram rejected TELEGRAM_BOT_TOKEN (check it with @BotFather)", file=sys.stderr)
        return 1
    except (TelegramError, OSError) as exc:
        print(f"briefbot telegram: {redactor.redact(f'{type(exc).__name__}: {exc}')}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(telegram_main())
