"""Unit tests of the Telegram front end's small parts: access, addressing, limits, delivery,
proofs, settings and log redaction. No engine: real PTB objects built from Bot API JSON, and
for delivery a real PTB bot talking to the Bot API stand-in on loopback.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from telegram import Message
from telegram.error import RetryAfter
from telegram.ext import ExtBot

from bot.telegram.access import AccessGate, command_target, is_addressed, refusal_text, strip_mention
from bot.telegram.config import TelegramSettings
from bot.telegram.delivery import ChatRefusedError, Deliverer
from bot.telegram.limits import ChatFloodGuard, SendRateLimiter
from bot.telegram.logging import REDACTED, RedactingFilter
from bot.telegram.proofs import ProofStore, callback_data, parse_callback_data
from index.types import Citation
from support.botapi_standin import BotAPIStandin, auto_entities, group_chat, private_chat, user

BOT_ID = 7000001
USERNAME = "briefbot_test_bot"
COMMANDS = {"ask", "start", "help"}


class Clock:
    """A hand-driven monotonic clock."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def message(chat: dict[str, Any], text: str, reply_to_bot: bool = False) -> Message:
    data: dict[str, Any] = {"message_id": 5, "date": 1700000000, "chat": chat, "from": user(555), "text": text}
    ents = auto_entities(text)
    if ents:
        data["entities"] = ents
    if reply_to_bot:
        data["reply_to_message"] = {"message_id": 4, "date": 1700000000, "chat": chat, "text": "answer",
                                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "Briefbot"}}
    return Message.de_json(data, None)


# --- access --------------------------------------------------------------------------------------


def test_default_deny_and_one_refusal_notice_per_interval() -> None:
    clock = Clock()
    gate = AccessGate([], clock)
    assert not gate.allows(1)
    assert gate.should_notify_refusal(1) and not gate.should_notify_refusal(1)
    clock.now += 301
    assert gate.should_notify_refusal(1)
    assert AccessGate([1, -100]).allows(-100)
    assert "123" in refusal_text(123) and "private" in refusal_text(123)


@pytest.mark.parametrize(("chat", "text", "reply", "expected"), [
    (private_chat(1), "anything at all", False, True),
    (group_chat(-1), "what did ECOWAS decide?", False, False),
    (group_chat(-1), "@briefbot_test_bot what did ECOWAS decide?", False, True),
    (group_chat(-1), "@BRIEFBOT_TEST_BOT caps", False, True),
    (group_chat(-1), "@someone_else what?", False, False),
    (group_chat(-1), "/ask what?", False, True),
    (group_chat(-1), "/ask@briefbot_test_bot what?", False, True),
    (group_chat(-1), "/ask@other_bot what?", False, False),
    (group_chat(-1), "/frobnicate", False, False),
    (group_chat(-1), "/frobnicate@briefbot_test_bot", False, True),
    (group_chat(-1), "thanks, and what about Mali?", True, True),
])
def test_addressing_in_groups(chat: dict[str, Any], text: str, reply: bool, expected: bool) -> None:
    assert is_addressed(message(chat, text, reply), USERNAME, BOT_ID, COMMANDS) is expected


def test_command_target_and_mention_stripping() -> None:
    assert command_target(message(group_chat(-1), "/Ask@Briefbot_Test_Bot x")) == ("ask", "briefbot_test_bot")
    assert command_target(message(private_chat(1), "no command")) is None
    assert strip_mention("@briefbot_test_bot, what did ECOWAS decide?", USERNAME) == "what did ECOWAS decide?"
    assert strip_mention("what now @BriefBot_Test_Bot?", USERNAME) == "what now"


# --- limits --------------------------------------------------------------------------------------


def test_flood_guard_sliding_window_with_one_notice() -> None:
    clock = Clock()
    guard = ChatFloodGuard(limit=3, window=60, clock=clock)
    assert [guard.check(1).allowed for _ in range(3)] == [True, True, True]
    first, second = guard.check(1), guard.check(1)
    assert not first.allowed and first.notify and 59 < first.retry_in <= 60
    assert not second.allowed and not second.notify
    assert guard.check(2).allowed  # other chats unaffected
    clock.now += 60
    assert guard.check(1).allowed


def test_send_limiter_spaces_one_chat_and_retries_429() -> None:
    async def scenario() -> tuple[list[float], int]:
        limiter = SendRateLimiter(global_per_second=1000, group_per_minute=1000, chat_per_second=10, max_retries=2)
        stamps: list[float] = []
        failures = [RetryAfter(1)]

        async def call() -> bool:
            stamps.append(time.monotonic())
            if failures:
                raise failures.pop()
            return True

        started = time.monotonic()
        for _ in range(6):
            await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": 42}, None)
        return [s - started for s in stamps], len(stamps)

    stamps, calls = asyncio.run(scenario())
    assert calls == 7  # six sends, one of them retried after the 429
    assert stamps[1] - stamps[0] >= 1.0  # retry_after waited out
    assert stamps[-1] >= 1.0 + 0.2  # after the burst of 3, 10/s spacing applies


# --- delivery ------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_photos_pass_the_same_gate_blocked_memory_and_429_retries_as_text(api: BotAPIStandin) -> None:
    allowed, blocker, stranger = 101, 102, 999
    delivery = Deliverer(AccessGate({allowed, blocker}))

    async def scenario() -> None:
        limiter = SendRateLimiter(max_retries=2)
        async with ExtBot(api.token, base_url=f"{api.base_url}/bot", rate_limiter=limiter) as bot:
            with pytest.raises(ChatRefusedError):
                await delivery.send_photo(bot, stranger, PNG, caption="chart")
            api.inject_429(retry_after=1, method="sendPhoto", chat_id=allowed)
            sent = await delivery.send_photo(bot, allowed, PNG, caption="Items per day")
            assert len(sent.sent) == 1 and not (sent.blocked or sent.failed)
            api.block(blocker)
            first = await delivery.send_photo(bot, blocker, PNG, caption="chart")
            assert first.blocked and blocker in delivery.blocked_chats
            again = await delivery.send_photo(bot, blocker, PNG, caption="chart")  # remembered: not even tried
            text = await delivery.send(bot, blocker, ["text too"])
            assert again.blocked and text.blocked

    asyncio.run(scenario())
    assert not api.calls(chat_id=stranger)
    limited, delivered = api.calls("sendPhoto", allowed)
    assert (limited.status, delivered.status) == (429, 200) and delivered.at - limited.at >= 1.0
    assert delivered.params["caption"] == "Items per day"
    assert [c.status for c in api.calls(chat_id=blocker)] == [403]


# --- proofs --------------------------------------------------------------------------------------


def test_proofs_are_bound_to_their_chat_and_bounded() -> None:
    store = ProofStore(capacity=2)
    c = Citation(1, "T", "https://x.org", "2023-08-01", "AP", "the quote")
    key = store.remember(10, (c,))
    data = callback_data(key, 1)
    assert len(data.encode()) <= 64
    assert parse_callback_data(data) == (key, 1)
    assert store.lookup(10, key, 1) == c
    assert store.lookup(11, key, 1) is None  # another chat never sees it
    assert store.lookup(10, key, 2) is None
    store.remember(10, (c,))
    store.remember(10, (c,))
    assert store.lookup(10, key, 1) is None and len(store) == 2  # evicted
    for bad in ("", "proof", "proof:k", "proof:k:x", "other:k:1", "proof::1", "proof:k:99999"):
        assert parse_callback_data(bad) is None


# --- settings ------------------------------------------------------------------------------------


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc-DEF_1")
    monkeypatch.setenv("BRIEFBOT_ALLOWED_CHATS", " 101, -1001234567890 ,")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot/")
    s = TelegramSettings(_env_file=None)  # type: ignore[call-arg]
    assert s.token == "123:abc-DEF_1" and "123:abc" not in repr(s)
    assert s.allowed_chats == frozenset({101, -1001234567890})
    assert s.api_base_url == "http://127.0.0.1:8081"


@pytest.mark.parametrize(("name", "value", "needle"), [
    ("BRIEFBOT_ALLOWED_CHATS", "101,abc", "not a chat id"),
    ("TELEGRAM_WEBHOOK_URL", "http://example.org/hook", "https://"),
    ("TELEGRAM_WEBHOOK_SECRET", "has spaces", "A-Z a-z 0-9"),
    ("TELEGRAM_API_BASE_URL", "ftp://x", "http(s) URL"),
    ("TELEGRAM_BOT_TOKEN", "12/../x", "unexpected characters"),
])
def test_bad_settings_are_named(monkeypatch: pytest.MonkeyPatch, name: str, value: str, needle: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        TelegramSettings(_env_file=None)  # type: ignore[call-arg]


# --- log redaction -------------------------------------------------------------------------------


def test_redacting_filter_covers_message_args_and_traceback() -> None:
    token = "123456:SECRET-token"
    redactor = RedactingFilter([token, ""])
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "HTTP Request: POST %s",
                               (f"https://api.telegram.org/bot{token}/getMe",), None)
    assert redactor.filter(record)
    assert record.getMessage() == f"HTTP Request: POST https://api.telegram.org/bot{REDACTED}/getMe"
    try:
        raise RuntimeError(f"failed on /bot{token}/x and /bot123456%3ASECRET-token/y")
    except RuntimeError as exc:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", (), (type(exc), exc, exc.__traceback__))
    redactor.filter(record)
    text = logging.Formatter().format(record)
    assert "SECRET" not in text and "Traceback" in text


def test_documented_env_list_matches_the_settings() -> None:
    """.env.example names every Telegram variable with its real default."""
    text = (Path(__file__).resolve().parent.parent / ".env.example").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^([A-Z_]+)=(.*)$", text, re.MULTILINE))
    fields = {str(f.validation_alias.choices[0]): (name, f.default)  # type: ignore[union-attr]
              for name, f in TelegramSettings.model_fields.items()}
    assert set(fields) <= set(documented)
    parsed = TelegramSettings.model_validate({k: v for k, v in documented.items() if v and k in fields})
    for env_name, (name, default) in fields.items():
        assert getattr(parsed, name) == default, env_name


def test_env_example_documents_every_engine_setting_with_its_default() -> None:
    from index.config import Settings

    text = (Path(__file__).resolve().parent.parent / ".env.example").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^([A-Z_]+)=(.*)$", text, re.MULTILINE))
    for name, field in Settings.model_fields.items():
        env_name = f"BRIEFBOT_{name.upper()}"
        assert env_name in documented, env_name
        parsed = Settings.model_validate({name: documented[env_name]}).__getattribute__(name)
        assert parsed == field.default, (env_name, parsed, field.default)
