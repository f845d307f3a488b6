"""The command handlers of the Telegram bot, and the gate in front of them.

An access gate runs before every handler (channels, other bots, unaddressed group chatter and
unknown chats stop there; floods are limited); then the commands (/start /help /ask /brief
/timeline /new /latest /sources, and /digest /subscribe /unsubscribe from `DigestService`),
plain-text questions in private chats, files and link-only messages from editors (handed to
`UploadService`), buttons that show the evidence behind each numbered source, and an error
handler that logs and apologises. Engine work runs on `ChatServices`'
thread pool, so one slow question never stalls other chats; every send goes through its
`Deliverer`.

Questions are conversations: each chat (each forum topic of a group) has its own context in
a `ConversationStore`, so "when did he become leader?" after a question about Tchiani is
answered about Tchiani, and the reply says so ("(about: ...)"). "What's the latest on X?"
gets a briefing, as /brief does.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.telegram.access import (
    command_target,
    is_addressed,
    is_channel_update,
    refusal_text,
    strip_mention,
    update_chat_id,
)
from bot.telegram.common import STORE_DOWN, ChatServices, Context, topic_of
from bot.telegram.config import TelegramSettings
from bot.telegram.conversations import ChatKey, ConversationStore, chat_key
from bot.telegram.delivery import show_typing
from bot.telegram.desks import DeskRoom
from bot.telegram.digests import DigestService
from bot.telegram.limits import ChatFloodGuard, flood_notice
from bot.telegram.proofs import ProofStore, callback_data, parse_callback_data
from bot.telegram.render import (
    render_answer,
    render_briefing,
    render_hits,
    render_proof,
    render_stats,
    render_text,
    sanitize_text,
)
from bot.telegram.uploads import UploadService, link_only
from index.briefing import Briefing
from index.desk_profile import Desk
from index.errors import BriefbotError, DeskError, QuestionError, StoreUnavailableError

if TYPE_CHECKING:
    from telegram import Message

    from index.briefing import Kind
    from index.engine import Briefbot
    from index.types import Citation

P = ParamSpec("P")
T = TypeVar("T")
Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]

log = logging.getLogger(__name__)

COMMANDS: tuple[tuple[str, str], ...] = (
    ("ask", "Ask a question about the documents"),
    ("brief", "Briefing on a topic: /brief TOPIC"),
    ("timeline", "Timeline of a topic: /timeline TOPIC"),
    ("new", "Start a new conversation (forget earlier questions)"),
    ("desk", "This chat's desk (crisis), or /desk NAME to switch"),
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
LATEST_COUNT = 10
BUTTONS_PER_ROW = 5

START_TEXT = (
    "Hello! {about} Every answer quotes its sources with numbered links; "
    "tap a source's button to see the exact quote.\n\n"
    "Just type a question. Follow-up questions work too "
    "(\"what about the president?\", \"when did he become leader?\"); /new starts over.{desks}\n\n"
    "/help lists everything I can do."
)
# A desk's own words introduce it; a desk without a profile is introduced by what it holds.
ABOUT_DESK = "This is the {title} desk: {description} I answer questions from the documents collected for it."
ABOUT_PLAIN = "I answer questions from the documents collected for this desk ({title})."
DESK_USAGE = "/desk shows this chat's desk; /desk NAME switches to another."
HELP_TEXT = (
    "{about}\n\n"
    "/ask <question> — ask about the documents (in a private chat, plain text works too); "
    "follow-ups like \"when did he become leader?\" refer to the questions before them\n"
    "/brief <topic> — dated, cited developments on a topic, newest first "
    "(or ask \"what's the latest on <topic>?\")\n"
    "/timeline <topic> — the same, oldest first\n"
    "/new — start a new conversation: follow-ups no longer refer to earlier questions\n"
    "/latest — the newest documents\n"
    "/sources — what I know: document count, date range, feeds\n"
    "/digest [YYYY-MM-DD] — a digest of one day (default: the last 24 hours)\n"
    "/subscribe [HH:MM] [Area/City] — a digest every day at that time, e.g. /subscribe 07:30 Africa/Niamey\n"
    "/unsubscribe — stop the daily digest\n"
    "/desk [NAME] — this chat's desk (the crisis I answer about), or switch to another\n"
    "/help — this message\n\n"
    "In a group, mention me (@{username} your question), reply to one of my messages, or use /ask.\n"
    "Answers come only from the documents; if they don't cover something, I say so. "
    "I forget a conversation after {minutes} quiet minutes."
)
APOLOGY = "Sorry, something went wrong on my side while answering. Please try again in a moment."
NON_TEXT = "I can only answer text questions. Please type your question."
EDITED = "I only answer new messages. Please send your corrected question as a new message."
EMPTY_QUESTION = "What would you like to know? For example: /ask What did ECOWAS decide?"
NEW_CONVERSATION = "New conversation: follow-up questions will no longer refer to earlier ones."
BRIEF_USAGE = "Usage: /{command} TOPIC, for example /{command} ECOWAS"
DIGEST_UNAVAILABLE = "Digests are not available yet. Ask me a question, or use /latest for the newest documents."


class TelegramFrontEnd:
    """The handlers and the state only they use (flood guard, proofs); the rest is in `services`.

    Args:
        settings: the Telegram settings.
        engine: answers questions (its methods run on the worker threads).
        services: replies, the gate, the engine's worker threads and per-chat locks.
        digests: /digest, /subscribe and their jobs; None when subscriptions cannot be stored.
    """

    def __init__(self, settings: TelegramSettings, engine: Briefbot, services: ChatServices,
                 digests: DigestService | None = None, room: DeskRoom | None = None) -> None:
        self.settings = settings
        self.engine = engine  # the default desk's; a chat's own desk comes from `room`
        self.room = room or DeskRoom(engine)
        self.services = services
        self.digests = digests
        self.flood = ChatFloodGuard(settings.chat_rate_limit, settings.chat_rate_window)
        self.proofs = ProofStore()
        self.max_question_chars = engine.settings.max_question_chars
        self.conversation_minutes = float(getattr(engine.settings, "conversation_minutes", 30.0))
        self.conversations = ConversationStore(self.conversation_minutes * 60)
        self.uploads = UploadService(engine, services, settings.editors, self.room,
                                     download_limit=int(settings.max_download_mb * 1_000_000))

    # --- wiring ------------------------------------------------------------------------------

    def register(self, app: Application) -> None:
        """Add the gate, the handlers and the error handler to `app`."""
        new = filters.UpdateType.MESSAGE
        app.add_handler(TypeHandler(Update, self.gate_update), group=-1)
        digests = self.digests
        commands: list[tuple[str, Handler]] = [
            ("start", self.on_start), ("help", self.on_help), ("ask", self.on_ask), ("brief", self.on_brief),
            ("timeline", self.on_timeline), ("new", self.on_new), ("desk", self.on_desk), ("latest", self.on_latest),
            ("sources", self.on_sources), ("digest", digests.on_digest if digests else self.on_digest)]
        if digests is not None:
            commands += [("subscribe", digests.on_subscribe), ("unsubscribe", digests.on_unsubscribe)]
        else:
            commands += [("subscribe", self.on_digest), ("unsubscribe", self.on_digest)]
        for name, callback in commands:
            app.add_handler(CommandHandler(name, callback, filters=new))
        app.add_handler(MessageHandler(new & filters.COMMAND, self.on_unknown_command))
        app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND, self.on_text))
        # Before the catch-all for attachments: a file is a document to add (editors only).
        app.add_handler(MessageHandler(new & filters.Document.ALL, self.uploads.on_document))
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
        try:
            # The first question would otherwise pay for loading the model and keyword index.
            await self.services.run_blocking(self.engine.warm_up)
        except Exception as exc:
            log.warning("engine warm-up failed (questions will retry): %s", exc)
        log.info("engine ready in %.1f s; serving %d allowed chat(s) as @%s",
                 time.perf_counter() - started, len(self.settings.allowed_chats), app.bot.username)
        if self.digests is not None:
            self.digests.start(app)

    async def post_shutdown(self, app: Application) -> None:
        """Stop the worker threads and close the subscription store."""
        self.services.shutdown()
        self.uploads.shutdown()
        if self.digests is not None:
            self.digests.close()
        self.room.close()

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
            self.services.delivery.note_incoming(chat_id)
        if not self.services.gate.allows(chat_id):
            log.info("refused %s chat %s", update.effective_chat.type if update.effective_chat else "?", chat_id)
            if query is not None:
                await query.answer("This bot is private.", show_alert=True)
            elif message is not None and self.services.gate.should_notify_refusal(chat_id):
                await self.services.delivery.send(context.bot, chat_id, render_text(refusal_text(chat_id)),
                                                  reply_to=message.message_id, thread_id=topic_of(message),
                                                  unlisted_ok=True)
            raise ApplicationHandlerStop
        verdict = self.flood.check(chat_id)
        if not verdict.allowed:
            log.info("chat %s is over its rate limit", chat_id)
            if query is not None:
                await query.answer(flood_notice(verdict.retry_in))
            elif message is not None and verdict.notify:
                await self.services.delivery.send(context.bot, chat_id, render_text(flood_notice(verdict.retry_in)),
                                                  reply_to=message.message_id, thread_id=topic_of(message))
            raise ApplicationHandlerStop

    # --- commands ----------------------------------------------------------------------------

    async def on_start(self, update: Update, context: Context) -> None:
        """/start: who I am (the chat's desk, in its own words) and how to ask."""
        about = await self._about_desk(update, context)
        if about is None:
            return
        text, others = about
        desks = f"\n\nOther desks here: {', '.join(others)}. {DESK_USAGE}" if others else ""
        await self.services.say(update, context, START_TEXT.format(about=text, desks=desks))

    async def on_help(self, update: Update, context: Context) -> None:
        """/help: the commands, under the chat's desk."""
        about = await self._about_desk(update, context)
        if about is None:
            return
        minutes = f"{self.conversation_minutes:g}"
        text = HELP_TEXT.format(username=context.bot.username, minutes=minutes, about=about[0])
        await self.services.say(update, context, f"{text}\n\n{self.uploads.help_text()}")

    async def on_desk(self, update: Update, context: Context) -> None:
        """/desk: the chat's desk and the others it may use; /desk NAME switches (and starts a new conversation)."""
        chat = update.effective_chat
        message = update.effective_message
        assert chat is not None and message is not None
        wanted = " ".join(sanitize_text(_command_args(message)).split())
        async with self.services.chat_lock(chat.id):
            try:
                if wanted:
                    desk = await self.services.run_blocking(self.room.choose, chat.id, wanted)
                    self.conversations.clear_chat(chat.id)  # follow-ups never cross desks
                    await self.services.say(update, context, f"Switched to the {desk.display_title} desk "
                                                             f"({desk.name}). {_about(desk)}")
                    return
                desk = await self.services.run_blocking(self.room.current, chat.id)
                others = [d.name for d in await self.services.run_blocking(self.room.for_chat, chat.id)
                          if d.name != desk.name]
            except DeskError as exc:
                await self.services.say(update, context, f"Sorry, {exc}.")
                return
            except StoreUnavailableError:
                await self.services.say(update, context, STORE_DOWN)
                return
        listing = f"Other desks: {', '.join(others)}. {DESK_USAGE}" if others else "It is the only desk here."
        await self.services.say(update, context, f"This chat's desk: {desk.display_title} ({desk.name}). "
                                                 f"{_about(desk)}\n\n{listing}")

    async def _about_desk(self, update: Update, context: Context) -> tuple[str, list[str]] | None:
        """The chat's desk introduced in its own words, and the other desks' names (None: replied already)."""
        chat = update.effective_chat
        assert chat is not None
        try:
            desk = await self.services.run_blocking(self.room.current, chat.id)
            others = [d.name for d in await self.services.run_blocking(self.room.for_chat, chat.id)
                      if d.name != desk.name]
        except DeskError as exc:
            await self.services.say(update, context, f"Sorry, {exc}.")
            return None
        except StoreUnavailableError:
            await self.services.say(update, context, STORE_DOWN)
            return None
        return _about(desk), others

    async def on_ask(self, update: Update, context: Context) -> None:
        """/ask <question>."""
        message = update.effective_message
        assert message is not None
        await self._answer(update, context, _command_args(message))

    async def on_brief(self, update: Update, context: Context) -> None:
        """/brief TOPIC: dated, cited developments on a topic, newest first."""
        await self._brief(update, context, "brief")

    async def on_timeline(self, update: Update, context: Context) -> None:
        """/timeline TOPIC: the same points, oldest first."""
        await self._brief(update, context, "timeline")

    async def on_new(self, update: Update, context: Context) -> None:
        """/new: forget this chat's (this topic's) conversation, so follow-ups start over."""
        chat = update.effective_chat
        assert chat is not None
        # In the chat's queue: a question asked before /new still finishes (and is then forgotten).
        async with self.services.chat_lock(chat.id):
            self.conversations.clear(self._chat_key(update))
            await self.services.say(update, context, NEW_CONVERSATION)

    async def on_text(self, update: Update, context: Context) -> None:
        """Plain text: a question (in groups the gate has already checked we were addressed).

        From an editor, a message that is only links adds the pages instead; from anyone else it
        is a question like any other.
        """
        message = update.effective_message
        assert message is not None
        text = strip_mention(message.text or "", context.bot.username)
        urls = link_only(text)
        if urls and self.uploads.is_editor(update):
            await self.uploads.add_links(update, context, urls)
            return
        await self._answer(update, context, text)

    async def on_latest(self, update: Update, context: Context) -> None:
        """/latest: the newest documents."""
        chat = update.effective_chat
        assert chat is not None
        async with show_typing(context.bot, chat.id, topic_of(update.effective_message)):
            hits = await self._engine_call(update, context, "latest", LATEST_COUNT)
        if hits is not None:
            await self.services.reply(update, context, render_hits(hits))

    async def on_sources(self, update: Update, context: Context) -> None:
        """/sources: document count, date range, languages, feeds."""
        chat = update.effective_chat
        assert chat is not None
        async with show_typing(context.bot, chat.id, topic_of(update.effective_message)):
            stats = await self._engine_call(update, context, "stats")
        if stats is not None:
            await self.services.reply(update, context, render_stats(stats))

    async def on_digest(self, update: Update, context: Context) -> None:
        """/digest, /subscribe, /unsubscribe when the engine has no data dir for digests."""
        await self.services.say(update, context, DIGEST_UNAVAILABLE)

    async def on_unknown_command(self, update: Update, context: Context) -> None:
        """A command we do not have (the gate let it through, so it was addressed to us)."""
        message = update.effective_message
        assert message is not None
        target = command_target(message)
        name = target[0] if target else "that"
        await self.services.say(update, context, f"I don't know the command /{name}. Try /help.")

    async def on_non_text(self, update: Update, context: Context) -> None:
        """Stickers, photos, files, voice...: politely ask for text."""
        await self.services.say(update, context, NON_TEXT)

    async def on_edited(self, update: Update, context: Context) -> None:
        """An edited message: answering edits would answer the same question twice."""
        await self.services.say(update, context, EDITED)

    # --- questions ---------------------------------------------------------------------------

    @staticmethod
    def _chat_key(update: Update) -> ChatKey:
        """Whose conversation an update belongs to: its chat, and its forum topic if any."""
        chat = update.effective_chat
        assert chat is not None
        return chat_key(chat.id, topic_of(update.effective_message))

    async def _answer(self, update: Update, context: Context, raw_question: str) -> None:
        """A question (or "what's the latest on X?") in the chat's conversation."""
        chat = update.effective_chat
        message = update.effective_message
        assert chat is not None and message is not None
        question = " ".join(sanitize_text(raw_question).split())
        if not question:
            await self.services.say(update, context, EMPTY_QUESTION)
            return
        if len(question) > self.max_question_chars:
            await self.services.say(update, context,
                                    f"Your question is {len(question)} characters long; I can take at most "
                                    f"{self.max_question_chars}. Please shorten it and ask again.")
            return
        key = self._chat_key(update)
        # The lock orders a chat's questions, so a follow-up sees the turn of the one before it.
        async with self.services.chat_lock(chat.id):
            conversation = self.conversations.get(key)
            async with show_typing(context.bot, chat.id, topic_of(message)):
                reply = await self._engine_call(update, context, "respond", question,
                                                conversation=conversation)
            if reply is None:
                return
            if isinstance(reply, Briefing):
                await self._send_briefing(update, context, reply)
                return
            if reply.turn is not None:
                self.conversations.remember(key, reply.turn)
            log.info("chat %s: answered in %.0f ms (%d citations%s%s)", chat.id, reply.elapsed_ms,
                     len(reply.citations), ", abstained" if reply.abstained else "",
                     ", follow-up" if reply.used_context else "")
            await self.services.reply(update, context, render_answer(reply),
                                      self._proof_buttons(chat.id, reply.citations))

    async def _brief(self, update: Update, context: Context, kind: Kind) -> None:
        """/brief or /timeline: the topic after the command, briefed on the engine's threads."""
        chat = update.effective_chat
        message = update.effective_message
        assert chat is not None and message is not None
        topic = " ".join(sanitize_text(_command_args(message)).split())
        if not topic:
            await self.services.say(update, context, BRIEF_USAGE.format(command=kind))
            return
        async with self.services.chat_lock(chat.id):
            async with show_typing(context.bot, chat.id, topic_of(message)):
                # The engine checks the topic (empty, too long) and says why in one line.
                briefing = await self._engine_call(update, context, "brief", topic, kind=kind)
            if briefing is not None:
                await self._send_briefing(update, context, briefing)

    async def _send_briefing(self, update: Update, context: Context, briefing: Briefing) -> None:
        chat = update.effective_chat
        assert chat is not None
        log.info("chat %s: %s in %.0f ms (%d points%s)", chat.id, briefing.kind, briefing.elapsed_ms,
                 len(briefing.points), ", abstained" if briefing.abstained else "")
        citations = tuple(c for point in briefing.points for c in point.citations)
        await self.services.reply(update, context, render_briefing(briefing),
                                  self._proof_buttons(chat.id, citations))

    async def _engine_call(self, update: Update, context: Context, method: str, *args: Any,
                           **kwargs: Any) -> Any:
        """Call `method` of the chat's desk engine off the loop; engine errors become a one-line reply (None)."""
        chat = update.effective_chat
        assert chat is not None

        def call() -> Any:
            return getattr(self.room.engine_for(chat.id), method)(*args, **kwargs)

        try:
            return await self.services.run_blocking(call)
        except StoreUnavailableError as exc:
            log.error("store unavailable: %s", exc)
            await self.services.say(update, context, STORE_DOWN)
        except QuestionError as exc:
            await self.services.say(update, context, f"Sorry, {exc}.")
        except BriefbotError as exc:
            log.error("engine error: %s", exc)
            await self.services.say(update, context, f"Sorry, I could not do that: {exc}")
        return None

    def _proof_buttons(self, chat_id: int, citations: tuple[Citation, ...]) -> InlineKeyboardMarkup | None:
        """One button per citation; pressing it shows the quoted evidence."""
        if not citations:
            return None
        key = self.proofs.remember(chat_id, citations)
        buttons = [InlineKeyboardButton(f"Quote [{c.n}]", callback_data=callback_data(key, c.n))
                   for c in citations]
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
        await self.services.delivery.send(context.bot, chat.id, render_proof(citation), reply_to=reply_to,
                                          thread_id=topic_of(query.message))

    # --- errors ------------------------------------------------------------------------------

    async def on_error(self, update: object, context: Context) -> None:
        """Log every unexpected exception with its traceback; the user gets a short apology unless answered already."""
        exc = context.error
        chat = update.effective_chat if isinstance(update, Update) else None
        if isinstance(exc, Forbidden) and chat is not None:
            self.services.delivery.blocked_chats.add(chat.id)
            log.warning("chat %s: bot is blocked or was removed (%s)", chat.id, exc)
            return
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("unexpected error handling update %s (chat %s)", update_id, chat.id if chat else None,
                  exc_info=exc)
        if chat is None or not self.services.gate.allows(chat.id):
            return
        if isinstance(update, Update) and update.callback_query is not None:
            try:
                await update.callback_query.answer(APOLOGY)
            except TelegramError:
                pass
            return
        message = update.effective_message if isinstance(update, Update) else None
        if message is not None and self.services.delivery.replied(chat.id, message.message_id):
            # The answer reached the chat before the error: an apology would say it had not.
            log.info("chat %s: no apology, message %s was already answered", chat.id, message.message_id)
            return
        try:
            await self.services.delivery.send(context.bot, chat.id, render_text(APOLOGY),
                                              reply_to=message.message_id if message else None,
                                              thread_id=topic_of(message))
        except Exception:
            log.exception("could not send the apology to chat %s", chat.id)


def _about(desk: Desk) -> str:
    """One paragraph on what a desk follows, from its own profile."""
    if desk.description:
        return ABOUT_DESK.format(title=desk.display_title, description=desk.description.rstrip(".") + ".")
    return ABOUT_PLAIN.format(title=desk.display_title)


def _command_args(message: Message) -> str:
    """Everything after the command word (with any @botname), newlines included."""
    text = message.text or ""
    target = command_target(message)
    if target is None:
        return text
    name, mention = target
    return text[len(f"/{name}@{mention}" if mention else f"/{name}"):]
