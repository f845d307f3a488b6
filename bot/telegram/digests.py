"""Digests in Telegram: /digest, /subscribe, /unsubscribe, the daily jobs and the feed-poll job.

- `/digest [YYYY-MM-DD]`: the stories of a day in the chat's time zone (default: the last 24
  hours), with the coverage chart (sendPhoto) first.
- `/subscribe [HH:MM] [Area/City]`: a digest every day at that local time; stored in SQLite
  (`bot.telegram.subscriptions`), so it survives restarts and kill -9. In a forum group the
  subscription belongs to the topic it was made in, and the digest goes there (each topic may
  hold its own); a topic deleted since gets it in the chat instead (`Deliverer`).
- One PTB `run_daily` job per subscription, in the chat's time zone, with a misfire grace; at
  start every job is re-created from the store, and a catch-up pass (at start, then every few
  minutes) sends a digest whose time passed while the bot was down or whose job was skipped.
  Whatever fires, `due_day` decides and `SubscriptionStore.claim` makes the send exactly-once
  per chat and day (see `bot.telegram.subscriptions` for the crash-between-claim-and-send choice).
- `Forbidden` on a scheduled send removes the chat's subscription and its job.
- `BRIEFBOT_FEEDS` (and each desk's own feeds) are polled on an interval (`index.feeds.FeedPoller`)
  in a worker thread.
- Desks: /digest, /subscribe and /unsubscribe work on the chat's current desk (`bot.telegram.desks`);
  a chat may subscribe to several desks, each digest built from its own desk's documents only.

Every send, the chart included, goes through the same `Deliverer` (allow-list gate, blocked
chats, fallbacks) and the same rate limiter as answers, so a hundred chats at 08:00 stay
inside Telegram's global limits.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from typing import TYPE_CHECKING

from telegram import Bot, Update
from telegram.ext import Application, JobQueue

from bot.chart import coverage_chart
from bot.telegram.common import STORE_DOWN, ChatServices, Context, topic_of
from bot.telegram.config import TelegramSettings
from bot.telegram.delivery import show_typing
from bot.telegram.render import chart_caption, render_digest_telegram
from bot.telegram.subscriptions import Subscription, SubscriptionStore, digest_window, due_day, next_send
from index.config import DEFAULT_DESK, desk_name
from index.dates import DigestWindow, parse_time, parse_zone
from index.errors import BriefbotError, DateError, DigestError, StoreUnavailableError, SubscriptionError

if TYPE_CHECKING:
    from bot.telegram.desks import DeskRoom
    from index.engine import Briefbot
    from index.feeds import FeedPoller

log = logging.getLogger(__name__)

SUBSCRIBE_USAGE = ("Usage: /subscribe [HH:MM] [Area/City], for example /subscribe 07:30 Africa/Niamey "
                   "(24-hour time; the time zone defaults to {tz}).")
DIGEST_USAGE = "Usage: /digest [YYYY-MM-DD], for example /digest 2023-08-06"
CHART_DAYS = 14
CACHE_SECONDS = 600.0
FORCED_POLL_EVERY_S = 120.0

# A calendar day's digest is keyed by (desk, day, zone, title); any other window by its epoch bounds.
CacheKey = tuple[str, date | None, str, str] | tuple[str, int, int, str, str]


@dataclass
class BuiltDigest:
    """A digest rendered for Telegram: its messages, the chart (PNG) and when it was built."""

    messages: list[str]
    chart: bytes | None
    caption: str
    empty: bool
    at: float


class DigestService:
    """Builds, caches and sends digests; owns the subscription store and the jobs.

    Args:
        services: replies, the engine's worker threads and per-chat locks (shared with the handlers).
        engine: what digests are built from.
        store: subscriptions.
        settings: the Telegram settings (misfire grace and catch-up interval of the jobs).
        default_tz: time zone of chats without a subscription (BRIEFBOT_TIMEZONE).
        default_time: time of a /subscribe without one (BRIEFBOT_DIGEST_TIME).
        poller: feed poller, or None when no feeds are configured.
        feed_interval: seconds between feed polls.
        clock: current time, aware (tests pass a controllable one).
    """

    def __init__(self, services: ChatServices, engine: Briefbot, store: SubscriptionStore, *,
                 settings: TelegramSettings, default_tz: str = "UTC",
                 default_time: time_of_day = time_of_day(8, 0), poller: FeedPoller | None = None,
                 feed_interval: float = 900.0, clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 room: DeskRoom | None = None) -> None:
        self.services = services
        self.engine = engine
        self.room = room
        self.store = store
        self.settings = settings
        self.default_tz = default_tz
        self.default_time = default_time
        self.poller = poller
        self.pollers: dict[str, FeedPoller] = {desk_name(engine.settings): poller} if poller else {}
        self.feed_interval = feed_interval
        self.clock = clock
        self._cache: dict[CacheKey, BuiltDigest] = {}
        self._building: dict[CacheKey, asyncio.Future[BuiltDigest]] = {}
        self._last_forced_poll = 0.0
        self._app: Application | None = None

    @classmethod
    def for_engine(cls, services: ChatServices, engine: Briefbot, settings: TelegramSettings,
                   room: DeskRoom | None = None) -> DigestService | None:
        """Subscriptions in the engine's data dir, feeds from BRIEFBOT_FEEDS; None if the store cannot open."""
        from index.feeds import FeedPoller

        engine_settings = engine.settings
        data_dir = Path(engine_settings.data_dir)
        feeds = engine_settings.feed_urls
        poller = FeedPoller(engine, feeds, interval=engine_settings.feed_interval,
                            timeout=engine_settings.feed_timeout, state_file=data_dir / "feeds.json") if feeds else None
        try:
            store = SubscriptionStore.in_data_dir(data_dir)
        except (OSError, sqlite3.Error) as exc:
            log.error("digest subscriptions are off: cannot open %s/%s (%s)", data_dir, "subscriptions.sqlite3", exc)
            return None
        return cls(services, engine, store, settings=settings, default_tz=engine_settings.timezone or "UTC",
                   default_time=parse_time(engine_settings.digest_time), poller=poller,
                   feed_interval=engine_settings.feed_interval, room=room)

    def engine_of(self, desk: str) -> Briefbot:
        """The engine of a desk (the default engine when the service serves one desk)."""
        return self.room.engine(desk) if self.room is not None else self.engine

    def desk_title(self, desk: str) -> str:
        """A desk's title for digest headings ("" for a desk without one)."""
        return self.engine_of(desk).desk.title

    # --- building --------------------------------------------------------------------------

    def _build_sync(self, start: datetime, end: datetime, tz: str, day: date | None, title: str,
                    desk: str) -> BuiltDigest:
        from index.digest import build_digest

        window = DigestWindow.for_day(day, tz) if day else DigestWindow(start, end, tz)
        digest = build_digest(self.engine_of(desk), window, chart_days=CHART_DAYS, now=self.clock())
        chart = coverage_chart(digest.per_day, f"Coverage, {CHART_DAYS} days to {digest.window.date_to}") \
            if any(n for _, n, _ in digest.per_day) else None
        return BuiltDigest(render_digest_telegram(digest, title), chart, chart_caption(digest), digest.empty,
                           time.monotonic())

    async def build(self, start: datetime, end: datetime, tz: str, day: date | None = None,
                    title: str = "", desk: str = DEFAULT_DESK) -> BuiltDigest:
        """The rendered digest of a desk's window; chats asking for the same window share one build."""
        # A calendar day's digest is the same for every chat in its zone; other windows are their own.
        key: CacheKey = (desk, day, tz, title) if day else \
            (desk, int(start.timestamp()), int(end.timestamp()), tz, title)
        cached = self._cache.get(key)
        if cached is not None and time.monotonic() - cached.at < CACHE_SECONDS:
            return cached
        pending = self._building.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[BuiltDigest] = asyncio.get_running_loop().create_future()
        self._building[key] = future
        try:
            built = await self.services.run_blocking(self._build_sync, start, end, tz, day, title, desk)
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[key] = built
            future.set_result(built)
            return built
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiters get it, nobody warns "never retrieved"
            raise
        finally:
            del self._building[key]

    def forget_cache(self) -> None:
        """Drop every built digest (new documents arrived)."""
        self._cache.clear()

    # --- sending -----------------------------------------------------------------------------

    async def send(self, bot: Bot, chat_id: int, built: BuiltDigest, reply_to: int | None = None,
                   thread_id: int | None = None) -> bool:
        """Chart then messages to a chat; False if the chat has blocked the bot or the text failed.

        A chart that fails otherwise is only logged: it is a glance, the digest text still goes.
        """
        delivery = self.services.delivery
        if built.chart and not built.empty:
            chart = await delivery.send_photo(bot, chat_id, built.chart, caption=built.caption, thread_id=thread_id)
            if chart.blocked:
                return False
            if chart.thread_dropped:
                thread_id = None  # the topic is gone: the text follows the chart into the chat
        outcome = await delivery.send(bot, chat_id, built.messages, reply_to=reply_to, thread_id=thread_id)
        return not outcome.blocked and not outcome.failed

    # --- scheduled digests ---------------------------------------------------------------------

    async def run_due(self, bot: Bot, chat_id: int, desk: str = DEFAULT_DESK, thread_id: int | None = None) -> bool:
        """Send the chat's (topic's) digest of `desk` if one is due now and this caller wins the claim; True if sent."""
        now = self.clock()
        sub = self.store.get(chat_id, desk, thread_id=thread_id)
        if sub is None:
            return False
        day = due_day(now, sub)
        if day is None:
            return False
        if not self.services.gate.allows(chat_id):
            log.warning("chat %s is subscribed but not on the allow list; no digest sent", chat_id)
            return False
        claimed = self.store.claim(chat_id, day, desk, thread_id=thread_id)
        if claimed is None:
            return False  # another job (or an earlier run of this process) has it
        start, end = digest_window(claimed, day)
        await self._fresh_feeds(desk)
        heading = await self.services.run_blocking(self.desk_title, desk)
        title = f"{heading}: your digest for {day.isoformat()}" if heading else f"Your digest for {day.isoformat()}"
        built = await self.build(start, end, claimed.tz, None, title, desk)
        blocked = self.services.delivery.blocked_chats
        blocked.discard(chat_id)  # known blocked or not: try once, Forbidden decides
        sent_ok = await self.send(bot, chat_id, built, thread_id=thread_id)
        if chat_id in blocked:
            log.warning("chat %s blocked the bot: unsubscribing it", chat_id)
            for sub_of_chat in [s for s in self.store.all() if s.chat_id == chat_id]:
                self.store.unsubscribe(chat_id, sub_of_chat.desk, thread_id=sub_of_chat.thread_id)
                self._unschedule(chat_id, sub_of_chat.desk, sub_of_chat.thread_id)
            return False
        if sent_ok:
            self.store.delivered(chat_id, end, desk, thread_id=thread_id)
            log.info("chat %s: digest for %s sent (%s)", chat_id, day, "nothing new" if built.empty else "stories")
        return sent_ok

    async def _fresh_feeds(self, desk: str) -> None:
        """Poll the desk's feeds right before a scheduled digest (at most every couple of minutes)."""
        poller = self.pollers.get(desk)
        if poller is None or time.monotonic() - self._last_forced_poll < FORCED_POLL_EVERY_S:
            return
        self._last_forced_poll = time.monotonic()
        try:
            report = await self.services.run_blocking(poller.poll, True)
            if report.added or report.updated:
                self.forget_cache()
        except Exception as exc:
            log.warning("feed poll before the digest failed: %s", exc)

    async def daily_job(self, context: Context) -> None:
        """The job of one subscription: fires at the chat's local time."""
        job = context.job
        if job is None or job.chat_id is None:
            return
        desk, thread_id = job.data if isinstance(job.data, tuple) else (DEFAULT_DESK, None)
        await self.run_due(context.bot, int(job.chat_id), desk, thread_id)

    async def catch_up_job(self, context: Context) -> None:
        """Send every digest that is due and unclaimed (after a restart, a skipped or late job)."""
        for sub in self.store.all():
            try:
                await self.run_due(context.bot, sub.chat_id, sub.desk, sub.thread_id)
            except Exception:
                log.exception("digest for chat %s failed", sub.chat_id)

    async def poll_job(self, context: Context) -> None:
        """Poll every desk's feeds (in a worker thread: fetching and embedding block)."""
        for desk, poller in list(self.pollers.items()):
            try:
                report = await self.services.run_blocking(poller.poll, False)
            except BriefbotError as exc:
                log.warning("feed poll of desk %s could not store its items (will retry): %s", desk, exc)
                continue
            if report.added or report.updated:
                self.forget_cache()

    def _job_queue(self) -> JobQueue | None:
        return self._app.job_queue if self._app is not None else None

    def schedule(self, sub: Subscription) -> None:
        """(Re-)create the daily job of one subscription, in its time zone."""
        queue = self._job_queue()
        if queue is None:
            return
        self._unschedule(sub.chat_id, sub.desk, sub.thread_id)
        queue.run_daily(self.daily_job, time=sub.at.replace(tzinfo=sub.zone),
                        name=_job_name(sub.chat_id, sub.desk, sub.thread_id),
                        chat_id=sub.chat_id, data=(sub.desk, sub.thread_id),
                        job_kwargs={"misfire_grace_time": int(self.settings.digest_misfire_grace), "coalesce": True})

    def _unschedule(self, chat_id: int, desk: str = DEFAULT_DESK, thread_id: int | None = None) -> None:
        queue = self._job_queue()
        if queue is None:
            return
        for job in queue.get_jobs_by_name(_job_name(chat_id, desk, thread_id)):
            job.schedule_removal()

    def start(self, app: Application) -> None:
        """Re-create every subscription's job, a catch-up pass now and periodically, and the feed poll."""
        self._app = app
        queue = app.job_queue
        if queue is None:
            log.warning("no job queue (python-telegram-bot[job-queue] missing): scheduled digests are off")
            return
        subs = self.store.all()
        for sub in subs:
            self.schedule(sub)
        queue.run_repeating(self.catch_up_job, interval=self.settings.digest_catch_up, first=1.0,
                            name="digest:catch-up", job_kwargs={"coalesce": True, "max_instances": 1})
        self._add_desk_pollers()
        if self.pollers:
            queue.run_repeating(self.poll_job, interval=self.feed_interval, first=5.0, name="feeds:poll",
                                job_kwargs={"coalesce": True, "max_instances": 1})
        log.info("%d digest subscription(s) scheduled; %s", len(subs),
                 f"polling {sum(len(p.feeds) for p in self.pollers.values())} feed(s)" if self.pollers
                 else "no feeds to poll")

    def _add_desk_pollers(self) -> None:
        """A poller for every other desk with feeds of its own (each feeds only its desk)."""
        if self.room is None:
            return
        from index.feeds import FeedPoller

        try:
            desks = self.room.all()
        except BriefbotError as exc:
            log.warning("cannot list the desks; only the default desk's feeds are polled: %s", exc)
            return
        for desk in desks:
            if desk.name in self.pollers:
                continue
            engine = self.room.engine(desk)
            feeds = engine.settings.feed_urls
            if feeds:
                self.pollers[desk.name] = FeedPoller(
                    engine, feeds, interval=engine.settings.feed_interval, timeout=engine.settings.feed_timeout,
                    state_file=Path(engine.settings.data_dir) / f"feeds-{desk.name}.json")

    def close(self) -> None:
        """Close the subscription store (at shutdown)."""
        self.store.close()

    # --- commands --------------------------------------------------------------------------------

    def chat_tz(self, chat_id: int, desk: str = DEFAULT_DESK, thread_id: int | None = None) -> str:
        """The chat's (topic's) time zone for a desk: its subscription's, else the desk's, else the default."""
        sub = self.store.get(chat_id, desk, thread_id=thread_id)
        if sub:
            return sub.tz
        return self.engine_of(desk).settings.timezone or self.default_tz if self.room is not None else self.default_tz

    async def _chat_desk(self, update: Update, context: Context) -> str | None:
        """The name of the chat's current desk (None: the chat was told why there is none)."""
        chat = update.effective_chat
        assert chat is not None
        if self.room is None:
            return DEFAULT_DESK
        try:
            return (await self.services.run_blocking(self.room.current, chat.id)).name
        except StoreUnavailableError:
            await self.services.say(update, context, STORE_DOWN)
        except BriefbotError as exc:
            await self.services.say(update, context, f"Sorry, {exc}.")
        return None

    async def on_digest(self, update: Update, context: Context) -> None:
        """/digest [YYYY-MM-DD]: a day's digest in the chat's time zone, or the last 24 hours."""
        chat = update.effective_chat
        message = update.effective_message
        assert chat is not None and message is not None
        say = self.services.say
        # One digest at a time per chat, and its replies in the order asked.
        async with self.services.chat_lock(chat.id):
            desk = await self._chat_desk(update, context)
            if desk is None:
                return
            args = context.args or []
            day: date | None = None
            if args:
                try:
                    day = date.fromisoformat(args[0])
                except ValueError:
                    await say(update, context, DIGEST_USAGE)
                    return
            tz = await self.services.run_blocking(self.chat_tz, chat.id, desk, topic_of(message))
            now = self.clock()
            if day is None:
                start, end, title = now - timedelta(days=1), now, "Digest of the last 24 hours"
            else:
                start = end = now
                title = ""
            async with show_typing(context.bot, chat.id, topic_of(message)):
                try:
                    built = await self._engine_build(update, context, start, end, tz, day, title, desk)
                except DigestError as exc:
                    await say(update, context, f"Sorry, {exc}.")
                    return
            if built is not None:
                await self.send(context.bot, chat.id, built, reply_to=message.message_id,
                                thread_id=topic_of(message))

    async def _engine_build(self, update: Update, context: Context, start: datetime, end: datetime, tz: str,
                            day: date | None, title: str, desk: str) -> BuiltDigest | None:
        try:
            return await self.build(start, end, tz, day, title, desk)
        except DigestError:
            raise
        except StoreUnavailableError as exc:
            log.error("store unavailable: %s", exc)
            await self.services.say(update, context, STORE_DOWN)
        except BriefbotError as exc:
            log.error("digest failed: %s", exc)
            await self.services.say(update, context, f"Sorry, I could not build the digest: {exc}")
        return None

    async def on_subscribe(self, update: Update, context: Context) -> None:
        """/subscribe [HH:MM] [Area/City]: a digest every day at that local time."""
        chat = update.effective_chat
        assert chat is not None
        args = list(context.args or [])
        desk = await self._chat_desk(update, context)
        if desk is None:
            return
        thread_id = topic_of(update.effective_message)  # a forum topic's subscription is its own
        current = self.store.get(chat.id, desk, thread_id=thread_id)
        at = current.at if current else self.default_time
        tz = current.tz if current else await self.services.run_blocking(self.chat_tz, chat.id, desk, thread_id)
        try:
            if len(args) > 2:
                raise SubscriptionError("too many arguments")
            for arg in args:
                if ":" in arg and arg[:1].isdigit():
                    at = parse_time(arg)
                else:
                    tz = parse_zone(arg).key
        except (SubscriptionError, DateError) as exc:
            usage = SUBSCRIBE_USAGE.format(tz=self.default_tz)
            await self.services.say(update, context, f"{_sentence(str(exc))}\n\n{usage}")
            return
        sub = self.store.subscribe(chat.id, at, tz, self.clock(), desk, thread_id=thread_id)
        self.schedule(sub)
        following = next_send(self.clock(), sub).astimezone(sub.zone)
        of_desk = f" of the {desk} desk" if desk != DEFAULT_DESK else ""
        here = " in this topic" if thread_id else ""
        await self.services.say(update, context,
                                f"Subscribed: a digest of the new stories{of_desk}{here} every day at "
                                f"{sub.describe()}. "
                                f"The next one comes {following.strftime('%a %d %b %H:%M')}.\n\n"
                                "/unsubscribe stops it; /subscribe again changes the time.")

    async def on_unsubscribe(self, update: Update, context: Context) -> None:
        """/unsubscribe: no more daily digests for this chat."""
        chat = update.effective_chat
        assert chat is not None
        desk = await self._chat_desk(update, context)
        if desk is None:
            return
        thread_id = topic_of(update.effective_message)
        removed = self.store.unsubscribe(chat.id, desk, thread_id=thread_id)
        self._unschedule(chat.id, desk, thread_id)
        here = "this topic" if thread_id else "this chat"
        await self.services.say(update, context, f"Unsubscribed: no more daily digests in {here}."
                                if removed else f"{here.capitalize()} has no daily digest. /subscribe starts one.")


def _job_name(chat_id: int, desk: str = DEFAULT_DESK, thread_id: int | None = None) -> str:
    name = f"digest:{chat_id}" if desk == DEFAULT_DESK else f"digest:{chat_id}:{desk}"
    return f"{name}#{thread_id}" if thread_id else name


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."
