"""A stand-in for the Telegram Bot API, served over HTTP on 127.0.0.1 for end-to-end tests.

The real python-telegram-bot client talks to it exactly as to Telegram: POST
/bot<token>/<method> with form or JSON bodies, answers `{"ok": true, "result": ...}` or
`{"ok": false, "error_code": ..., "description": ..., "parameters": ...}`. It serves getMe,
getUpdates (long polling from a queue the test fills with real Update JSON), sendMessage,
sendChatAction, setMyCommands, answerCallbackQuery, editMessageText, deleteWebhook,
setWebhook, getWebhookInfo, sendPhoto and getFile, and records every call.

Files users send (`send_document`) are hosted like Telegram hosts them: the message carries
a `document` (file_id, file_unique_id, file_name, mime_type, file_size), `getFile` answers
with a `file_path` such as "documents/file_3.md", and the bytes are served at
GET /file/bot<token>/<file_path>; every download is recorded (`downloads()`). A file can
declare a size other than its real one, to test size caps without big files; like Telegram,
getFile refuses files over 20 MB ("Bad Request: file is too big"). A forum topic can be
deleted (`delete_topic`): sends into it get "Bad Request: message thread not found".

Like Telegram it checks what it is sent, with its own parser (independent of the bot's
renderer): HTML parse mode must use the supported tags and entities ("Bad Request: can't
parse entities: ..."), visible text must be non-empty and at most 4,096 UTF-16 units
("Bad Request: message is too long"). Faults can be injected per method (429 with
retry_after, 400, 403, 5xx, or a delay that makes the client time out).

Only the standard library: `http.server` in a background thread.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, unquote

MAX_TEXT_UTF16 = 4096
MAX_DOWNLOAD_BYTES = 20_000_000  # Telegram's getFile limit for bots (cloud Bot API)
_JSON_FIELDS = {"reply_markup", "reply_parameters", "link_preview_options", "commands", "allowed_updates",
                "scope", "entities", "caption_entities"}
_INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout", "message_thread_id", "max_connections",
               "cache_time"}
_BOOL_FIELDS = {"drop_pending_updates", "show_alert", "disable_notification", "protect_content"}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


# --- Telegram-like HTML checking -----------------------------------------------------------------


class EntityParseError(ValueError):
    """What Telegram reports as "Bad Request: can't parse entities: ..."."""


class _TelegramHTML(HTMLParser):
    """Parse a message the way Telegram's HTML mode does, collecting the visible text."""

    ALLOWED: ClassVar[frozenset[str]] = frozenset({
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre",
        "blockquote", "tg-emoji"})
    NAMED: ClassVar[dict[str, str]] = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.ALLOWED:
            raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {self.getpos()[1]}')
        if tag == "a" and not dict(attrs).get("href"):
            raise EntityParseError("Can't find href attribute of a link")
        if tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            raise EntityParseError('Unsupported start tag "span"')
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise EntityParseError(f'Unsupported start tag "{tag}/"')

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or "&" in data:
            raise EntityParseError(f"Unexpected character in text: {data[:20]!r}")
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in self.NAMED:
            raise EntityParseError(f'Unsupported HTML entity "&{name};"')
        self.text.append(self.NAMED[name])

    def handle_charref(self, name: str) -> None:
        code = int(name[1:], 16) if name[:1] in "xX" else int(name)
        if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise EntityParseError(f"Invalid character reference &#{name};")
        self.text.append(chr(code))

    def handle_comment(self, data: str) -> None:
        raise EntityParseError("Unsupported comment")

    def handle_decl(self, decl: str) -> None:
        raise EntityParseError("Unsupported declaration")

    def handle_pi(self, data: str) -> None:
        raise EntityParseError("Unsupported processing instruction")

    def unknown_decl(self, data: str) -> None:
        raise EntityParseError("Unsupported declaration")


def parse_telegram_html(html: str) -> str:
    """Visible text of `html`, or EntityParseError like Telegram's."""
    parser = _TelegramHTML()
    parser.feed(html)
    parser.close()
    if parser.rawdata:  # an unfinished tag such as "<a" left at the end
        raise EntityParseError("Unclosed start tag at end of text")
    if parser.stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{parser.stack[-1]}"')
    return "".join(parser.text)


# --- the server ----------------------------------------------------------------------------------


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    at: float  # time.monotonic() when it arrived
    status: int = 200
    result: Any = None


@dataclass
class Fault:
    """A canned failure for the next matching call(s)."""

    method: str
    status: int
    description: str
    parameters: dict[str, Any] | None = None
    times: int = 1
    chat_id: int | None = None
    delay: float = 0.0  # seconds to stall before answering (timeouts); status 200 = then succeed
    result: Any = None  # with status 200: answer ok with this result instead (a malformed reply)


@dataclass
class HostedFile:
    """A file a user sent, as Telegram keeps it: ids, its bytes, its path on the file server."""

    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    declared_size: int  # the file_size messages and getFile report (normally len(data))


@dataclass
class Download:
    """One GET of /file/bot<token>/<file_path>."""

    file_path: str
    at: float  # time.monotonic() when it arrived
    status: int
    size: int  # bytes served


@dataclass
class StandinState:
    updates: list[dict[str, Any]] = field(default_factory=list)
    next_update_id: int = 1
    calls: list[Call] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    message_ids: dict[int, int] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    webhook: dict[str, Any] = field(default_factory=dict)
    commands: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, HostedFile] = field(default_factory=dict)  # by file_id
    deleted_topics: set[tuple[int, int]] = field(default_factory=set)  # (chat_id, message_thread_id)
    downloads: list[Download] = field(default_factory=list)


class BotAPIStandin:
    """The stand-in server; use as a context manager, point `TELEGRAM_API_BASE_URL` at `base_url`."""

    def __init__(self, token: str = "123456:TEST-token_abcdefghij", bot_username: str = "briefbot_test_bot",
                 bot_id: int = 7000001) -> None:
        self.token = token
        self.bot = {"id": bot_id, "is_bot": True, "first_name": "Briefbot", "username": bot_username,
                    "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
        self.state = StandinState()
        self.cond = threading.Condition()
        self._stopping = False
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle
    def start(self) -> BotAPIStandin:
        standin = self

        class Handler(_Handler):
            owner = standin

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="botapi-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self.cond:
            self._stopping = True
            self.cond.notify_all()
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> BotAPIStandin:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port the stand-in listens on."""
        assert self._server is not None
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """The value for TELEGRAM_API_BASE_URL."""
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # what users do
    def next_message_id(self, chat_id: int) -> int:
        with self.cond:
            self.state.message_ids[chat_id] = self.state.message_ids.get(chat_id, 0) + 1
            return self.state.message_ids[chat_id]

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (update_id assigned here) for the next getUpdates."""
        with self.cond:
            update = {"update_id": self.state.next_update_id, **update}
            self.state.next_update_id += 1
            self.state.updates.append(update)
            self.cond.notify_all()
        return update

    def send_text(self, chat: dict[str, Any], text: str, *, sender: dict[str, Any] | None = None,
                  reply_to: dict[str, Any] | None = None, edited: bool = False,
                  entities: list[dict[str, Any]] | None = None, topic: int | None = None) -> dict[str, Any]:
        """A user writes `text` in `chat` (entities for commands and @mentions are added).

        `topic`: the forum topic (message_thread_id) it is written in, in a forum supergroup.
        """
        message = self._message(chat, sender, text=text)
        if topic is not None:
            message["message_thread_id"] = topic
            message["is_topic_message"] = True
        message["entities"] = entities if entities is not None else auto_entities(text)
        if not message["entities"]:
            del message["entities"]
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if edited:
            message["edit_date"] = message["date"] + 5
        self.push({"edited_message" if edited else "message": message})
        return message

    def send_sticker(self, chat: dict[str, Any], sender: dict[str, Any] | None = None) -> dict[str, Any]:
        message = self._message(chat, sender, sticker={
            "file_id": "CAACAgIAAxk", "file_unique_id": "AgADsticker", "type": "regular", "width": 512,
            "height": 512, "is_animated": False, "is_video": False, "emoji": "👍"})
        self.push({"message": message})
        return message

    def send_photo(self, chat: dict[str, Any], sender: dict[str, Any] | None = None,
                   caption: str | None = None) -> dict[str, Any]:
        extra: dict[str, Any] = {"photo": [{"file_id": "AgACAgIAAxk", "file_unique_id": "AQADphoto",
                                            "width": 90, "height": 90, "file_size": 1000}]}
        if caption is not None:
            extra["caption"] = caption
            ents = auto_entities(caption)
            if ents:
                extra["caption_entities"] = ents
        message = self._message(chat, sender, **extra)
        self.push({"message": message})
        return message

    def host_file(self, data: bytes, *, suffix: str = "", declared_size: int | None = None) -> HostedFile:
        """Keep `data` as Telegram keeps a sent file; `declared_size` is the size it reports (default: real)."""
        with self.cond:
            n = len(self.state.files) + 1
            hosted = HostedFile(file_id=f"BQACAgIAAxkBAAI{n:04d}", file_unique_id=f"AgAD{n:04d}", data=data,
                                file_path=f"documents/file_{n}{suffix}",
                                declared_size=len(data) if declared_size is None else declared_size)
            self.state.files[hosted.file_id] = hosted
        return hosted

    def send_document(self, chat: dict[str, Any], data: bytes, file_name: str | None, *,
                      mime_type: str | None = None, sender: dict[str, Any] | None = None,
                      caption: str | None = None, declared_size: int | None = None,
                      topic: int | None = None) -> dict[str, Any]:
        """A user sends a file (a `document` message); its bytes are then downloadable through getFile.

        `file_name` is what the sender's client reports (any string, or None for no name);
        `declared_size` is the file_size Telegram reports, if not the real one.
        """
        suffix = re.search(r"\.[A-Za-z0-9]{1,8}$", file_name or "")
        hosted = self.host_file(data, suffix=suffix.group().lower() if suffix else "", declared_size=declared_size)
        document: dict[str, Any] = {"file_id": hosted.file_id, "file_unique_id": hosted.file_unique_id,
                                    "file_size": hosted.declared_size}
        if file_name is not None:
            document["file_name"] = file_name
        if mime_type is not None:
            document["mime_type"] = mime_type
        extra: dict[str, Any] = {"document": document}
        if caption is not None:
            extra["caption"] = caption
            ents = auto_entities(caption)
            if ents:
                extra["caption_entities"] = ents
        if topic is not None:
            extra.update(message_thread_id=topic, is_topic_message=True)
        message = self._message(chat, sender, **extra)
        self.push({"message": message})
        return message

    def channel_post(self, chat: dict[str, Any], text: str) -> dict[str, Any]:
        message = {"message_id": self.next_message_id(chat["id"]), "date": int(time.time()), "chat": chat,
                   "sender_chat": chat, "text": text}
        self.push({"channel_post": message})
        return message

    def press_button(self, chat: dict[str, Any], bot_message: dict[str, Any], data: str,
                     sender: dict[str, Any] | None = None) -> dict[str, Any]:
        """A user taps an inline button under `bot_message` (a Message the bot sent)."""
        query = {"id": f"cbq{time.monotonic_ns()}", "from": sender or _user_for(chat), "chat_instance": "42",
                 "message": bot_message, "data": data}
        return self.push({"callback_query": query})

    def _message(self, chat: dict[str, Any], sender: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
        return {"message_id": self.next_message_id(chat["id"]), "date": int(time.time()),
                "chat": chat, "from": sender or _user_for(chat), **extra}

    # faults
    def inject(self, method: str, status: int, description: str = "", parameters: dict[str, Any] | None = None, *,
               times: int = 1, chat_id: int | None = None, delay: float = 0.0, result: Any = None) -> None:
        """Make the next `times` calls of `method` (optionally to `chat_id`) fail like Telegram would.

        status 200 with `delay`: answer normally but late (the client times out, the message
        is delivered anyway); status 200 with `result`: answer `{"ok": true, "result": result}`.
        """
        with self.cond:
            self.state.faults.append(Fault(method, status, description, parameters, times, chat_id, delay, result))

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """An admin deletes a forum topic: sends into it get "Bad Request: message thread not found"."""
        with self.cond:
            self.state.deleted_topics.add((chat_id, thread_id))

    def unblock(self, chat_id: int) -> None:
        with self.cond:
            self.state.blocked.discard(chat_id)

    def inject_429(self, retry_after: int = 1, *, method: str = "sendMessage", chat_id: int | None = None) -> None:
        self.inject(method, 429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after},
                    chat_id=chat_id)

    def inject_parse_error(self, *, chat_id: int | None = None) -> None:
        self.inject("sendMessage", 400, "Bad Request: can't parse entities: Unsupported start tag \"b\" at byte "
                    "offset 0", chat_id=chat_id)

    def block(self, chat_id: int) -> None:
        """The user of `chat_id` blocks the bot: every send there gets 403 from now on."""
        with self.cond:
            self.state.blocked.add(chat_id)

    # inspection
    def calls(self, method: str | None = None, chat_id: int | None = None, ok_only: bool = False) -> list[Call]:
        with self.cond:
            return [c for c in self.state.calls
                    if (method is None or c.method == method)
                    and (chat_id is None or c.params.get("chat_id") == chat_id)
                    and (not ok_only or c.status == 200)]

    def sent_texts(self, chat_id: int) -> list[str]:
        """Texts of the messages Telegram accepted for `chat_id`, as sent (HTML source)."""
        return [c.params["text"] for c in self.calls("sendMessage", chat_id, ok_only=True)]

    def sent_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """The Message objects returned for accepted sends to `chat_id` (e.g. to press their buttons)."""
        return [c.result for c in self.calls("sendMessage", chat_id, ok_only=True)]

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> bool:
        """Wait until `predicate()` is true (re-checked on every call); False on timeout."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.cond.wait(min(remaining, 0.2))
            return True

    def wait_for_messages(self, chat_id: int, count: int = 1, timeout: float = 10.0) -> list[str]:
        """Texts accepted for `chat_id` once there are at least `count`.

        Raises:
            AssertionError: fewer than `count` arrived within `timeout` seconds (the test fails).
        """
        if not self.wait_for(lambda: len(self.calls("sendMessage", chat_id, ok_only=True)) >= count, timeout):
            got = self.sent_texts(chat_id)
            raise AssertionError(f"chat {chat_id}: expected {count} message(s) within {timeout} s, "
                                 f"got {len(got)}: {[t[:200] for t in got]!r}")
        return self.sent_texts(chat_id)

    def downloads(self, file_path: str | None = None) -> list[Download]:
        """Downloads from the file server so far (of one file_path, if given)."""
        with self.cond:
            return [d for d in self.state.downloads if file_path is None or d.file_path == file_path]

    def pending_updates(self) -> int:
        with self.cond:
            return len(self.state.updates)

    # request handling (called from server threads)
    def handle(self, token: str, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        call = Call(method, params, time.monotonic())
        if token != self.token:
            return self._finish(call, 401, _error(401, "Unauthorized"))
        fault = self._take_fault(method, params.get("chat_id"))
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status != 200:
                return self._finish(call, fault.status, _error(fault.status, fault.description, fault.parameters))
            if fault.result is not None:
                return self._finish(call, 200, {"ok": True, "result": fault.result})
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            return self._finish(call, 404, _error(404, "Not Found: method not found"))
        try:
            result = handler(params)
        except _APIError as exc:
            return self._finish(call, exc.status, _error(exc.status, exc.description))
        call.result = result
        return self._finish(call, 200, {"ok": True, "result": result})

    def serve_file(self, token: str, file_path: str) -> tuple[int, bytes | dict[str, Any]]:
        """GET /file/bot<token>/<file_path>: the bytes, or Telegram's 404 for a wrong token or path."""
        with self.cond:
            hosted = next((f for f in self.state.files.values() if f.file_path == file_path), None)
        found = hosted is not None and token == self.token
        status, body = (200, hosted.data) if found and hosted is not None else (404, _error(404, "Not Found"))
        with self.cond:
            self.state.downloads.append(Download(file_path, time.monotonic(), status,
                                                 len(body) if isinstance(body, bytes) else 0))
            self.cond.notify_all()
        return status, body

    def _finish(self, call: Call, status: int, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        call.status = status
        with self.cond:
            self.state.calls.append(call)
            self.cond.notify_all()
        return status, body

    def _take_fault(self, method: str, chat_id: Any) -> Fault | None:
        with self.cond:
            for fault in self.state.faults:
                if fault.method.lower() == method.lower() and fault.times > 0 \
                        and (fault.chat_id is None or fault.chat_id == chat_id):
                    fault.times -= 1
                    if fault.times == 0:
                        self.state.faults.remove(fault)
                    return fault
        return None

    # --- Bot API methods ---
    def _api_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.bot

    def _api_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.state.webhook.get("url"):
            raise _APIError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                 "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        with self.cond:
            if offset:
                # Like Telegram: an offset confirms every update before it.
                self.state.updates = [u for u in self.state.updates if u["update_id"] >= offset]
            while not self.state.updates and not self._stopping:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self.cond.wait(remaining)
            return list(self.state.updates[:limit])

    def _api_getfile(self, params: dict[str, Any]) -> dict[str, Any]:
        with self.cond:
            hosted = self.state.files.get(str(params.get("file_id") or ""))
        if hosted is None:
            raise _APIError(400, "Bad Request: invalid file_id")
        if hosted.declared_size > MAX_DOWNLOAD_BYTES:
            raise _APIError(400, "Bad Request: file is too big")
        return {"file_id": hosted.file_id, "file_unique_id": hosted.file_unique_id,
                "file_size": hosted.declared_size, "file_path": hosted.file_path}

    def _api_deletewebhook(self, params: dict[str, Any]) -> bool:
        with self.cond:
            self.state.webhook = {}
            if params.get("drop_pending_updates"):
                self.state.updates.clear()
        return True

    def _api_setwebhook(self, params: dict[str, Any]) -> bool:
        secret = params.get("secret_token", "")
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise _APIError(400, "Bad Request: secret token contains unallowed characters")
        with self.cond:
            self.state.webhook = dict(params)
            if params.get("drop_pending_updates"):
                self.state.updates.clear()
        return True

    def _api_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        with self.cond:
            return {"url": self.state.webhook.get("url", ""), "has_custom_certificate": False,
                    "pending_update_count": len(self.state.updates)}

    def _api_setmycommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands") or []
        for cmd in commands:
            name, description = cmd.get("command", ""), cmd.get("description", "")
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name) or not 1 <= len(description) <= 256:
                raise _APIError(400, "Bad Request: BOT_COMMAND_INVALID")
        with self.cond:
            self.state.commands = commands
        return True

    def _api_sendchataction(self, params: dict[str, Any]) -> bool:
        self._check_chat(params)
        return True

    def _api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        if not params.get("callback_query_id"):
            raise _APIError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        if len(params.get("text") or "") > 200:
            raise _APIError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._check_chat(params)
        visible = self._check_text(params.get("text"), params.get("parse_mode"))
        self._check_markup(params.get("reply_markup"))
        topic = params.get("message_thread_id")
        extra = {"message_thread_id": topic, "is_topic_message": True} if isinstance(topic, int) else {}
        return self._bot_message(chat_id, text=visible, **extra)

    def _api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._check_chat(params)
        visible = self._check_text(params.get("text"), params.get("parse_mode"))
        return {**self._bot_message(chat_id, text=visible), "message_id": int(params.get("message_id") or 0),
                "edit_date": int(time.time())}

    def _api_sendphoto(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._check_chat(params)
        extra: dict[str, Any] = {"photo": [{"file_id": "AgACphoto", "file_unique_id": "AQADp", "width": 90,
                                            "height": 90}]}
        if params.get("caption"):
            caption = params["caption"]
            if params.get("parse_mode") == "HTML":
                caption = parse_telegram_html(caption)
            if utf16_len(caption) > 1024:
                raise _APIError(400, "Bad Request: message caption is too long")
            extra["caption"] = caption
        return self._bot_message(chat_id, **extra)

    # --- checks shared by the send methods ---
    def _check_chat(self, params: dict[str, Any]) -> int:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise _APIError(400, "Bad Request: chat not found")
        if chat_id in self.state.blocked:
            raise _APIError(403, "Forbidden: bot was blocked by the user")
        if (chat_id, params.get("message_thread_id")) in self.state.deleted_topics:
            raise _APIError(400, "Bad Request: message thread not found")
        return chat_id

    def _check_text(self, text: Any, parse_mode: Any) -> str:
        if not isinstance(text, str) or not text.strip():
            raise _APIError(400, "Bad Request: message text is empty")
        if parse_mode == "HTML":
            try:
                visible = parse_telegram_html(text)
            except EntityParseError as exc:
                raise _APIError(400, f"Bad Request: can't parse entities: {exc}") from exc
        elif parse_mode in (None, ""):
            visible = text
        else:
            raise _APIError(400, f"Bad Request: unsupported parse_mode {parse_mode!r} in this stand-in")
        if not visible.strip():
            raise _APIError(400, "Bad Request: message text is empty")
        if utf16_len(visible) > MAX_TEXT_UTF16:
            raise _APIError(400, "Bad Request: message is too long")
        return visible

    @staticmethod
    def _check_markup(markup: Any) -> None:
        if not markup:
            return
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise _APIError(400, "Bad Request: BUTTON_DATA_INVALID")

    def _bot_message(self, chat_id: int, **extra: Any) -> dict[str, Any]:
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        if chat_id < 0:
            chat["title"] = "Team"
        else:
            chat["first_name"] = "User"
        return {"message_id": self.next_message_id(chat_id), "date": int(time.time()), "chat": chat,
                "from": self.bot, **extra}


class _APIError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return body


def _decode(params: dict[str, str]) -> dict[str, Any]:
    """Form values are strings (JSON for objects and lists), as the Bot API accepts them."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if key in _JSON_FIELDS:
            out[key] = json.loads(value)
        elif key in _INT_FIELDS:
            try:
                out[key] = int(value)
            except ValueError:
                out[key] = value
        elif key in _BOOL_FIELDS:
            out[key] = value in ("true", "True", "1")
        else:
            out[key] = value
    return out


class _QuietServer(ThreadingHTTPServer):
    # The default listen backlog (5) overflows when dozens of handlers send at once: the extra
    # connects wait for SYN retransmits (1 s, 3 s, ...) and a load test measures the kernel.
    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The client hanging up (a cancelled long poll, a read timeout) is normal here.
        pass


class _Handler(BaseHTTPRequestHandler):
    owner: BotAPIStandin
    protocol_version = "HTTP/1.1"  # keep-alive, like api.telegram.org

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the test output is the record
        pass

    def do_GET(self) -> None:
        m = re.fullmatch(r"/file/bot([^/]+)/(.+)", unquote(self.path.split("?", 1)[0]))
        if m:
            status, body = self.owner.serve_file(m.group(1), m.group(2))
            if isinstance(body, bytes):
                self._send(status, body, "application/octet-stream")
            else:
                self._reply(status, body)
            return
        self._dispatch(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._dispatch(self.rfile.read(length) if length else b"")

    def _dispatch(self, body: bytes) -> None:
        m = re.fullmatch(r"/bot([^/]+)/(\w+)", self.path.split("?", 1)[0])
        if not m:
            self._reply(404, _error(404, "Not Found"))
            return
        try:
            params = self._params(body)
        except (ValueError, json.JSONDecodeError) as exc:
            self._reply(400, _error(400, f"Bad Request: can't parse request: {exc}"))
            return
        status, payload = self.owner.handle(m.group(1), m.group(2), params)
        self._reply(status, payload)

    def _params(self, body: bytes) -> dict[str, Any]:
        ctype = self.headers.get("Content-Type", "")
        query = self.path.split("?", 1)[1] if "?" in self.path else ""
        raw: dict[str, str] = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        if ctype.startswith("application/json"):
            return {**_decode(raw), **json.loads(body or b"{}")}
        if ctype.startswith("multipart/form-data"):
            msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body)
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if name and not part.get_filename():
                    raw[name] = part.get_content() if part.get_content_maintype() == "text" else \
                        part.get_payload(decode=True).decode()
                elif name:
                    raw[name] = f"<file {part.get_filename()}>"
            return _decode(raw)
        raw.update({k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()})
        return _decode(raw)

    def _reply(self, status: int, payload: dict[str, Any]) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json")

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout, cancelled long poll); Telegram would not notice either


# --- building updates ----------------------------------------------------------------------------


def private_chat(user_id: int, first_name: str = "Ada") -> dict[str, Any]:
    return {"id": user_id, "type": "private", "first_name": first_name}


def group_chat(chat_id: int, title: str = "Team", *, forum: bool = False) -> dict[str, Any]:
    """A supergroup; `forum=True` for one with topics (messages then carry message_thread_id)."""
    chat: dict[str, Any] = {"id": chat_id, "type": "supergroup", "title": title}
    if forum:
        chat["is_forum"] = True
    return chat


def channel_chat(chat_id: int, title: str = "News") -> dict[str, Any]:
    return {"id": chat_id, "type": "channel", "title": title}


def user(user_id: int, first_name: str = "Ada") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": first_name}


def _user_for(chat: dict[str, Any]) -> dict[str, Any]:
    # In a private chat the chat id is the user id; in groups invent a stable member.
    return user(chat["id"] if chat["type"] == "private" else 424242)


def auto_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram's clients attach: a leading /command and @mentions (UTF-16 offsets)."""
    entities: list[dict[str, Any]] = []
    for m in re.finditer(r"(?:(?<=\s)|^)(/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?|@[A-Za-z0-9_]{5,32})", text):
        kind = "bot_command" if m.group(1).startswith("/") else "mention"
        if kind == "bot_command" and m.start(1) != 0:
            continue
        offset = utf16_len(text[: m.start(1)])
        entities.append({"type": kind, "offset": offset, "length": utf16_len(m.group(1))})
    return entities
