"""Documents from Telegram: editors add files and links; everyone else keeps asking.

An editor (a user id in `BRIEFBOT_EDITORS`) sends the bot a file, or a message that is only
links, and the documents in it are added to the store. A file passes these checks, cheapest
first, and nothing is fetched until all have passed:

1. the sender is an editor (else "Only editors can add documents.");
2. its name, made safe by `safe_file_name` (no folders, no control characters, a plain
   character set, the suffix kept), has a type the engine reads;
3. the size Telegram declares is within the engine's `BRIEFBOT_MAX_FILE_MB`, and within what
   the Bot API lets bots download (`TELEGRAM_MAX_DOWNLOAD_MB`: 20 MB on Telegram's servers),
   whichever is smaller; the reply names the limit that applies. A getFile that Telegram
   refuses as too big gets that reason too, not a request to send the file again.

Then `getFile`, the download from the file server (`TELEGRAM_FILE_BASE_URL`), the size again
(a declared size can be wrong), the file written into a fresh private temporary folder, and
the ingest into the chat's desk (the one its questions are answered from). Ingests run on
one dedicated thread: two uploads never write at once, and the question threads stay free,
so other chats are answered while a long PDF is read. The chat's own lock is held from
download to reply, so a question sent right after the file is answered once the file is in.
The temporary folder is removed afterwards, whatever happened.

The reply says what was added (title, date, pages or passages) or why not (the engine's
problem reasons), and which desk it went to when the chat has several; titles come from
documents and are rendered as escaped text.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import BadRequest, TelegramError

from bot.telegram.common import STORE_DOWN, ChatServices, Context, topic_of
from bot.telegram.delivery import show_typing
from bot.telegram.desks import DeskRoom
from bot.telegram.render import render_text
from index.errors import BriefbotError, StoreLockedError, StoreUnavailableError
from index.sources import SUPPORTED
from index.text import one_line

if TYPE_CHECKING:
    from telegram import Document as TelegramDocument

    from index.engine import Briefbot
    from index.types import IngestReport, StoredDocument

P = ParamSpec("P")
Ingested = tuple["IngestReport", str]  # what was stored, and the desk's name for the reply ("" = say none)

log = logging.getLogger(__name__)

ONLY_EDITORS = "Only editors can add documents."
STORE_BUSY = ("The document store is busy with another import right now. "
              "Please send it again in a few minutes.")
LINKS_UNAVAILABLE = "I can't add documents from links yet. Please send the file instead."
MAX_LINKS = 10  # links one message may add (each is a fetch)
MAX_NAME_CHARS = 120
LISTED = 10  # documents named one by one in a reply; more are counted
PROBLEMS_SHOWN = 5

# What each kind of file is called in replies, in the order replies list them.
_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("PDF", frozenset({".pdf"})),
    ("DOCX", frozenset({".docx"})),
    ("TXT/MD", frozenset({".txt", ".md", ".markdown"})),
    ("HTML", frozenset({".html", ".htm"})),
    ("JSON/JSONL feed exports", frozenset({".json", ".jsonl", ".ndjson"})),
    ("RSS/Atom feeds", frozenset({".xml", ".rss", ".atom"})),
)
# A file sent without a name gets its suffix from its MIME type (only types we might read).
_MIME_SUFFIXES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/html": ".html",
    "application/json": ".json",
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
    "application/rss+xml": ".rss",
    "application/atom+xml": ".atom",
}
# Characters a safe name keeps: letters and digits of any script, space, and . _ - ( ) +
_UNSAFE_NAME_CHARS = re.compile(r"[^\w .()+-]")
_SUFFIX = re.compile(r"\.[a-z0-9]{1,10}")


def readable_suffixes() -> frozenset[str]:
    """The file suffixes the engine can read (what `briefbot ingest` takes)."""
    return frozenset(SUPPORTED)


def kinds_text(suffixes: frozenset[str] | None = None) -> str:
    """The readable kinds of file as replies name them: "PDF, DOCX, TXT/MD, HTML, ..."."""
    suffixes = readable_suffixes() if suffixes is None else suffixes
    return ", ".join(label for label, kind in _KINDS if kind & suffixes)


def safe_file_name(raw: str | None, mime_type: str | None = None) -> str:
    """A file name that is safe to create in a folder of our own, its suffix kept (lower case).

    Only the last path component survives (so "../../evil.md" is "evil.md"); control and
    formatting characters (NUL, newlines, right-to-left overrides that disguise a suffix) are
    dropped; anything outside letters, digits, space and `. _ - ( ) +` becomes "_"; no leading
    dot; at most `MAX_NAME_CHARS`. A name without a suffix borrows one from `mime_type`.
    An empty result is "document" (plus any suffix).
    """
    # NFKC first: it turns look-alikes such as the fullwidth solidus into the "/" they mimic.
    name = unicodedata.normalize("NFKC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE_NAME_CHARS.sub("_", name)
    name = re.sub(r"\s+", " ", re.sub(r"_{2,}", "_", name)).strip(" .")
    stem, dot, ext = name.rpartition(".")
    suffix = f".{ext.lower()}" if dot and stem and _SUFFIX.fullmatch(f".{ext.lower()}") else ""
    if not suffix:
        stem = name
        suffix = _MIME_SUFFIXES.get((mime_type or "").split(";")[0].strip().lower(), "")
    stem = stem.strip(" ._")[: MAX_NAME_CHARS - len(suffix)].rstrip(" .") or "document"
    return stem + suffix


def link_only(text: str) -> list[str] | None:
    """The http(s) links of a message that holds links and nothing else, in order; else None."""
    words = text.split()
    if not words:
        return None
    for word in words:
        try:
            parts = urlsplit(word)
        except ValueError:
            return None
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
    return list(dict.fromkeys(words))


def megabytes(size: float) -> str:
    """Bytes as a short MB figure for replies ("20 MB", "0.05 MB", "31.5 MB")."""
    return f"{size / 1_000_000:.3g} MB"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _title(doc: StoredDocument) -> str:
    return f"“{one_line(doc.title)[:200] or 'Untitled'}”"


def _details(doc: StoredDocument) -> str:
    parts = [doc.date] if doc.date else []
    if doc.pages:
        parts.append(_plural(doc.pages, "page"))
    parts.append(_plural(doc.chunks, "passage"))
    return ", ".join(parts)


def _document_line(doc: StoredDocument) -> str:
    if doc.status == "unchanged":
        return f"Already had {_title(doc)}{f' ({doc.date})' if doc.date else ''}: unchanged."
    return f"{'Added' if doc.status == 'added' else 'Updated'} {_title(doc)} ({_details(doc)})."


def _many_documents(stored: Sequence[StoredDocument], name: str) -> list[str]:
    """Counts, the date range and the first `LISTED` new documents, for a file with many."""
    new = [d for d in stored if d.status != "unchanged"]
    unchanged = len(stored) - len(new)
    if not new:
        return [f"From {name}: all {len(stored)} documents were here already, unchanged."]
    counts = [f"{verb} {sum(d.status == verb for d in new)}" for verb in ("added", "updated")
              if any(d.status == verb for d in new)]
    dates = sorted(d.date for d in new if d.date)
    span = f", {dates[0]} to {dates[-1]}" if dates else ""
    head = (f"From {name}: {' and '.join(counts)} {'document' if len(new) == 1 else 'documents'} "
            f"({_plural(sum(d.chunks for d in new), 'passage')}{span})")
    lines = [head + (f"; {unchanged} unchanged." if unchanged else ".")]
    lines += [_document_line(doc) for doc in new[:LISTED]]
    if len(new) > LISTED:
        lines.append(f"… and {len(new) - LISTED} more.")
    return lines


def desk_line(desk: str) -> str:
    """The reply's last paragraph naming the desk the documents went to ("" when not worth saying)."""
    return f"\n\nDesk: {desk}." if desk else ""


def upload_summary(report: IngestReport, name: str) -> str:
    """What a reply to an upload says: each document added, updated or unchanged, then what was skipped.

    A file with many documents (a feed export) gets counts and the first `LISTED` titles.
    """
    stored = report.stored
    lines = [_document_line(doc) for doc in stored] if len(stored) <= LISTED else _many_documents(stored, name)
    paragraphs = ["\n".join(lines)] if lines else []
    if report.notes:  # stored, with something to know: no date of its own, so dated by this ingest
        paragraphs.append("\n".join(f"Note: {one_line(str(n).replace(f'upload:{name}', name))[:300]}"
                                    for n in report.notes[:PROBLEMS_SHOWN]))
    problems = report.problems
    if problems:
        head = f"Nothing added from {name}:" if not stored else f"Skipped {len(problems)}:"
        shown = [f"• {one_line(str(p))[:300]}" for p in problems[:PROBLEMS_SHOWN]]
        if len(problems) > PROBLEMS_SHOWN:
            shown.append(f"… and {len(problems) - PROBLEMS_SHOWN} more.")
        paragraphs.append("\n".join([head, *shown]))
    return "\n\n".join(paragraphs) or f"I found no documents in {name}."


class UploadService:
    """Files and links from editors into the chat's desk, one ingest at a time, off the event loop.

    Args:
        engine: the default desk's engine; its settings give the size cap.
        services: replies, per-chat locks.
        editors: user ids that may add documents.
        room: which desk (engine) each chat uses; each stores with `ingest_upload`, and
            `ingest_urls` for links.
        temp_root: where private temporary folders are made (None: the system's).
        download_limit: bytes the Bot API lets the bot download (None: no limit of its own).
    """

    def __init__(self, engine: Briefbot, services: ChatServices, editors: frozenset[int],
                 room: DeskRoom | None = None, temp_root: Path | None = None,
                 download_limit: int | None = None) -> None:
        self.engine = engine
        self.room = room or DeskRoom(engine)
        self.services = services
        self.editors = editors
        self.temp_root = temp_root
        self.max_bytes = int(engine.settings.max_file_mb * 1_000_000)
        # Telegram's own limit, when it is the smaller one: a bigger file could not be fetched anyway.
        self.telegram_limit = download_limit if download_limit is not None and download_limit < self.max_bytes \
            else None
        if self.telegram_limit is not None:
            log.warning("BRIEFBOT_MAX_FILE_MB is %s, but the Bot API lets bots download at most %s "
                        "(TELEGRAM_MAX_DOWNLOAD_MB): uploads are capped there", megabytes(self.max_bytes),
                        megabytes(self.telegram_limit))
            self.max_bytes = self.telegram_limit
        # One thread: uploads wait for each other instead of contending for the store's writer lock,
        # and never take the question threads (ChatServices.executor) away from other chats.
        self._ingester = ThreadPoolExecutor(1, thread_name_prefix="briefbot-ingest")

    def is_editor(self, update: Update) -> bool:
        """True if the update was sent by a user listed in BRIEFBOT_EDITORS."""
        sender = update.effective_user
        return sender is not None and sender.id in self.editors

    @property
    def takes_links(self) -> bool:
        """True if the engine can fetch links (`Briefbot.ingest_urls`)."""
        return hasattr(self.engine, "ingest_urls")

    def help_text(self) -> str:
        """The /help paragraph about adding documents."""
        links = " or a message that is only a link" if self.takes_links else ""
        return f"Editors can add documents: send me a file ({kinds_text()}; up to {megabytes(self.max_bytes)}){links}."

    async def on_document(self, update: Update, context: Context) -> None:
        """A file: checked (editor, type, declared size), then downloaded, ingested and reported."""
        message = update.effective_message
        chat = update.effective_chat
        assert message is not None and chat is not None and message.document is not None
        document = message.document
        if not self.is_editor(update):
            await self.services.say(update, context, ONLY_EDITORS)
            return
        name = safe_file_name(document.file_name, document.mime_type)
        suffix = Path(name).suffix
        if suffix not in readable_suffixes():
            kind = f"{suffix} files" if suffix else "files without a type"
            await self.services.say(update, context, f"I can't read {kind} ({name}). I take {kinds_text()}.")
            return
        if document.file_size is not None and document.file_size > self.max_bytes:
            await self.services.say(update, context, self._too_big(name, document.file_size))
            return
        async with self.services.chat_lock(chat.id):
            async with show_typing(context.bot, chat.id, topic_of(message)):
                started = time.perf_counter()
                ingested = await self._fetch_and_ingest(update, context, document, name)
            if ingested is None:
                return
            stored, desk = ingested
            log.info("chat %s: %s added %s to desk %s in %.1f s: %d added, %d updated, %d unchanged, %d problems",
                     chat.id, update.effective_user.id if update.effective_user else "?", name, desk or "(only)",
                     time.perf_counter() - started, stored.added, stored.updated, stored.unchanged,
                     len(stored.problems))
            await self.services.reply(update, context, render_text(upload_summary(stored, name) + desk_line(desk)))

    async def add_links(self, update: Update, context: Context, urls: Sequence[str]) -> None:
        """A message that is only links, from an editor: fetch and ingest the pages, then report."""
        chat = update.effective_chat
        assert chat is not None
        if not self.takes_links:
            await self.services.say(update, context, LINKS_UNAVAILABLE)
            return
        if len(urls) > MAX_LINKS:
            await self.services.say(update, context, f"That is {len(urls)} links; I take at most {MAX_LINKS} "
                                                     "per message. Please send them in smaller groups.")
            return
        label = "the link" if len(urls) == 1 else f"{len(urls)} links"
        async with self.services.chat_lock(chat.id):
            async with show_typing(context.bot, chat.id, topic_of(update.effective_message)):
                ingested = await self._ingest(update, context, self._fetch_links, chat.id, list(urls))
            if ingested is not None:
                stored, desk = ingested
                log.info("chat %s: %d link(s) to desk %s: %d added, %d updated, %d problems", chat.id, len(urls),
                         desk or "(only)", stored.added, stored.updated, len(stored.problems))
                await self.services.reply(update, context,
                                          render_text(upload_summary(stored, label) + desk_line(desk)))

    def shutdown(self) -> None:
        """Stop taking ingests; one in progress finishes on its thread (its writes are crash-safe anyway)."""
        self._ingester.shutdown(wait=False, cancel_futures=True)

    # --- the steps -------------------------------------------------------------------------------

    def _too_big(self, name: str, size: int) -> str:
        if self.telegram_limit is not None:
            return f"{name} is {megabytes(size)}; Telegram lets bots download files up to {megabytes(self.max_bytes)}."
        return f"{name} is {megabytes(size)}; I take files up to {megabytes(self.max_bytes)}."

    async def _fetch_and_ingest(self, update: Update, context: Context, document: TelegramDocument,
                                name: str) -> Ingested | None:
        """getFile, download, size check, then the ingest; None (after a reply) when any step fails."""
        try:
            file = await context.bot.get_file(document.file_id)
            if file.file_size is not None and file.file_size > self.max_bytes:
                await self.services.say(update, context, self._too_big(name, file.file_size))
                return None
            data = await file.download_as_bytearray()
        except BadRequest as exc:
            if "file is too big" not in exc.message.lower():
                await self._download_failed(update, context, document, name, exc)
                return None
            # Permanent: sending it again cannot help, so say why (the setting is above Telegram's cap).
            log.warning("Telegram refused to hand over %s (file_id %s): %s", name, document.file_id, exc.message)
            size = f" ({megabytes(document.file_size)})" if document.file_size else ""
            await self.services.say(update, context, f"{name}{size} is too big for Telegram to hand to bots "
                                                     "(it lets them download files up to 20 MB). "
                                                     "Please send a smaller file.")
            return None
        except (TelegramError, RuntimeError) as exc:  # RuntimeError: Telegram gave no file path
            await self._download_failed(update, context, document, name, exc)
            return None
        if len(data) > self.max_bytes:
            await self.services.say(update, context, self._too_big(name, len(data)))
            return None
        if self.temp_root is not None:
            self.temp_root.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkdtemp makes the folder private (0700); it is removed with everything in it at the end.
        chat = update.effective_chat
        assert chat is not None
        with tempfile.TemporaryDirectory(prefix="briefbot-upload-", dir=self.temp_root,
                                         ignore_cleanup_errors=True) as folder:
            return await self._ingest(update, context, self._store_file, chat.id, Path(folder) / name,
                                      bytes(data), name)

    async def _download_failed(self, update: Update, context: Context, document: TelegramDocument, name: str,
                               exc: Exception) -> None:
        """A download that may work another time: logged, and the editor asked to send the file again."""
        log.warning("could not download %s (file_id %s): %s: %s", name, document.file_id, type(exc).__name__, exc)
        await self.services.say(update, context, f"I could not download {name} from Telegram. Please send it again.")

    def _desk(self, chat_id: int) -> tuple[Briefbot, str]:
        """The chat's desk engine, and the desk's name for the reply ("" when it is the only one the chat has)."""
        desk = self.room.current(chat_id)
        several = len(self.room.for_chat(chat_id)) > 1
        return self.room.engine(desk), (f"{desk.display_title} ({desk.name})" if several else "")

    def _store_file(self, chat_id: int, target: Path, data: bytes, name: str) -> Ingested:
        """On the ingest thread: write the download (never over an existing file or link), ingest it into the desk."""
        engine, desk = self._desk(chat_id)
        with open(target, "xb") as fh:
            fh.write(data)
        return engine.ingest_upload(target, name), desk

    def _fetch_links(self, chat_id: int, urls: list[str]) -> Ingested:
        """On the ingest thread: fetch and ingest the linked pages into the chat's desk."""
        engine, desk = self._desk(chat_id)
        # `Briefbot.ingest_urls(urls, on_progress=None, on_problem=None) -> IngestReport` (the link loader).
        report: IngestReport = engine.ingest_urls(urls)  # type: ignore[attr-defined,unused-ignore]
        return report, desk

    async def _ingest(self, update: Update, context: Context, fn: Callable[P, Ingested], *args: P.args,
                      **kwargs: P.kwargs) -> Ingested | None:
        """Run an ingest on the ingest thread; engine errors become a one-line reply (None returned)."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._ingester, functools.partial(fn, *args, **kwargs))
        except StoreLockedError as exc:
            log.warning("upload not stored: %s", exc)
            await self.services.say(update, context, STORE_BUSY)
        except StoreUnavailableError as exc:
            log.error("store unavailable: %s", exc)
            await self.services.say(update, context, STORE_DOWN)
        except BriefbotError as exc:
            log.error("upload not stored: %s", exc)
            await self.services.say(update, context, f"Sorry, I could not add that: {exc}")
        return None
