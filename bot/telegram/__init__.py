"""The Telegram bot (`briefbot telegram`): python-telegram-bot v22 wired to the engine.

    settings = load_settings()
    run(build_application(settings, Briefbot()), settings, webhook=False)

or, with logging, the engine from `BRIEFBOT_*` and friendly errors: `run_bot(settings)`.

The modules, each one concern: `config` (settings), `access` (allow list, addressed or not),
`limits` (floods in, rate limits out), `delivery` (sends and their failures), `render`
(Telegram HTML), `proofs` (quote buttons), `conversations` (follow-up context per chat and
forum topic), `common` (what handlers and digests share), `handlers`, `digests` and
`subscriptions`, `webhook` (the receiver), `logging` (redaction).
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Mapping
from logging import getLogger
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder

from bot.telegram.access import AccessGate
from bot.telegram.common import ChatServices
from bot.telegram.config import TelegramSettings, one_line
from bot.telegram.delivery import Deliverer
from bot.telegram.desks import DeskRoom
from bot.telegram.digests import DigestService
from bot.telegram.handlers import ALLOWED_UPDATES, TelegramFrontEnd
from bot.telegram.limits import SendRateLimiter
from bot.telegram.logging import configure_logging
from bot.telegram.webhook import WebhookReceiver

if TYPE_CHECKING:
    from index.engine import Briefbot

__all__ = [
    "BotConfigError",
    "BotStartError",
    "TelegramFrontEnd",
    "TelegramSettings",
    "build_application",
    "load_settings",
    "open_engine",
    "run",
    "run_bot",
    "serve",
]

# `getLogger`, not `logging.getLogger`: importing the submodule `bot.telegram.logging` binds the
# name `logging` in this package's namespace to it, shadowing the standard library's module here.
log = getLogger(__name__)


class BotConfigError(Exception):
    """A setting the bot cannot start with; the message is one line naming the variable."""


class BotStartError(Exception):
    """Telegram could not be reached or refused the token; the message has secrets redacted."""


def build_application(settings: TelegramSettings, engine: Briefbot) -> Application:
    """A configured PTB `Application` talking to `settings.api_base_url`, serving `engine`.

    The front end's state is at `app.bot_data["front_end"]` (a `TelegramFrontEnd`).
    """
    gate = AccessGate(settings.allowed_chats)
    services = ChatServices(gate, Deliverer(gate, settings.send_retry_window), settings.workers)
    room = DeskRoom(engine)
    front = TelegramFrontEnd(settings, engine, services, DigestService.for_engine(services, engine, settings, room),
                             room)
    app = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(f"{settings.api_base_url}/bot")
        .base_file_url(settings.files_url)
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
            front = app.bot_data.get("front_end")
            if isinstance(front, TelegramFrontEnd):
                # Replies in flight are finished, but one waiting out an outage must not hold the stop.
                front.services.delivery.stop_retrying()
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


# --- starting from the command line ----------------------------------------------------------------


def load_settings(overrides: Mapping[str, Any] | None = None) -> TelegramSettings:
    """The Telegram settings from the environment (and `.env`), with `overrides` on top.

    Raises:
        BotConfigError: a value is invalid, or TELEGRAM_BOT_TOKEN is not set.
    """
    try:
        settings = TelegramSettings(**dict(overrides or {}))
    except ValidationError as exc:
        raise BotConfigError(one_line(exc)) from None
    if not settings.token:
        raise BotConfigError("TELEGRAM_BOT_TOKEN is not set (create a bot with @BotFather; see docs/telegram-setup.md)")
    return settings


def open_engine() -> Briefbot:
    """The engine from the `BRIEFBOT_*` settings (digest time, time zone and feeds included).

    Raises:
        BotConfigError: an engine setting is invalid (checked here, before anything connects).
        BriefbotError: the store cannot be opened.
    """
    from index.config import Settings
    from index.desks import Desks

    try:
        return Desks(Settings()).open()  # the default desk (BRIEFBOT_DESK), with its own settings
    except ValidationError as exc:
        raise BotConfigError(one_line(exc, prefix="BRIEFBOT_")) from None


def run_bot(settings: TelegramSettings, *, webhook: bool = False, log_level: str = "INFO") -> None:
    """Log to stderr with secrets redacted, open the engine, and serve until SIGINT or SIGTERM.

    Raises:
        BotConfigError: an engine setting is invalid.
        BriefbotError: the engine cannot start.
        BotStartError: Telegram refused the token or could not be reached.
    """
    redactor = configure_logging(log_level, [settings.token, settings.webhook_secret.get_secret_value()])
    engine = open_engine()
    try:
        run(build_application(settings, engine), settings, webhook=webhook)
    except InvalidToken:
        raise BotStartError("Telegram rejected TELEGRAM_BOT_TOKEN (check it with @BotFather)") from None
    except (TelegramError, OSError) as exc:
        raise BotStartError(redactor.redact(f"{type(exc).__name__}: {exc}")) from None
