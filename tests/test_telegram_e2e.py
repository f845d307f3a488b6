"""End to end: the real PTB Application, the real engine, a Bot API stand-in on loopback.

One engine for the module (a tiny corpus of news items with links); each test starts a
fresh bot against a fresh stand-in, pushes real Update JSON into getUpdates and asserts on
what Telegram would have received. Nothing is mocked: faults are injected at the HTTP level
by the stand-in (429, 400 parse errors, 403, slow replies, malformed replies).
"""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Iterator
from typing import Any

import pytest

from bot.telegram.handlers import COMMAND_NAMES, EDITED, NON_TEXT
from bot.telegram.logging import REDACTED, install_redaction
from index.config import Settings
from index.engine import Briefbot
from index.types import Answer, Citation, Hit
from support.botapi_standin import BotAPIStandin, channel_chat, group_chat, parse_telegram_html, private_chat, user
from support.telegram_corpus import BASE, KEY_DOCS, MARKETS, QUESTIONS, write_corpus
from support.telegram_harness import RunningBot, guarded_bot
from support.telegram_html import check_telegram_html, visible_text

pytestmark = pytest.mark.slow

LONG_QUESTION = "Tell me everything about market prices and traders"
# The answerer below fails on this question the way a bug would: not an engine error the bot expects.
BROKEN_QUESTION = "Trigger an internal error please"

GROUP = -1001000000001
UNKNOWN_GROUP = -1001000000999
ME = 101
STRANGER = 999
LOAD_CHATS = list(range(201, 251))
ALLOWED = frozenset({ME, GROUP, 102, 103, 104, 105, *LOAD_CHATS})


class LongFormAnswerer:
    """Answers "Tell me everything ..." by quoting every retrieved passage, cited.

    That is the shape of the long answers an LLM synthesiser (the engine's `Answerer`
    extension point) writes; the extractive answerer never exceeds two sentences, so this is
    how the >4,096-character path is exercised with the real engine's retrieval. Every other
    question goes to the engine's own answerer.
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def answer(self, question: str, hits: list[Hit], asked: str = "", said: tuple[str, ...] = ()) -> Answer:
        if asked.startswith(BROKEN_QUESTION) or question.startswith(BROKEN_QUESTION):
            raise RuntimeError("answerer broke")
        if not question.lower().startswith("tell me everything"):
            return self.inner.answer(question, hits, asked, said)
        citations, paragraphs = [], []
        for n, hit in enumerate(hits, 1):
            citations.append(Citation(n, hit.title, hit.url, hit.date, hit.source, hit.passages[0]))
            paragraphs.extend(f"{passage} [{n}]" for passage in hit.passages)
        return Answer(question, "\n\n".join(paragraphs), False, tuple(citations), tuple(hits))


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Briefbot:
    root = tmp_path_factory.mktemp("telegram-e2e")
    bb = Briefbot(Settings(data_dir=root / "data", _env_file=None))  # type: ignore[call-arg]
    report = bb.ingest([write_corpus(root / "corpus")])
    assert report.added == len(KEY_DOCS) + len(MARKETS) + 1, report
    bb.answerer = LongFormAnswerer(bb.answerer)
    return bb


@pytest.fixture
def bot(api: BotAPIStandin, engine: Briefbot) -> Iterator[RunningBot]:
    # A generous per-chat limit here: tests send many messages from one chat on purpose.
    with guarded_bot(api, engine, allowed_chats=ALLOWED, chat_rate_limit=30) as running:
        yield running


def only_html(api: BotAPIStandin, chat_id: int) -> list[str]:
    """Messages accepted for a chat; each must also pass our own checker."""
    texts = api.sent_texts(chat_id)
    for call in api.calls("sendMessage", chat_id, ok_only=True):
        if call.params.get("parse_mode") == "HTML":
            check_telegram_html(call.params["text"])
    return texts


def settle(api: BotAPIStandin, sentinel_chat: int = 105) -> None:
    """Wait until everything pushed so far has been handled: push a question and wait for ITS answer.

    Updates are fetched and dispatched in order, and an update the gate drops (unaddressed,
    refused, over the limit) is finished before the next one starts, since dropping it waits
    on nothing. So once the sentinel's answer is here, every earlier update has been decided.
    """
    before = len(api.sent_texts(sentinel_chat))
    api.send_text(private_chat(sentinel_chat), QUESTIONS[2][0])
    texts = api.wait_for_messages(sentinel_chat, before + 1, timeout=15)
    assert "world-bank-pause" in texts[before]


# --- the basics ----------------------------------------------------------------------------------


def test_start_help_and_command_menu(api: BotAPIStandin, bot: RunningBot) -> None:
    api.send_text(private_chat(ME), "/start")
    (welcome,) = api.wait_for_messages(ME, 1)
    assert "Hello" in welcome and "/help" in welcome
    api.send_text(private_chat(ME), "/help")
    texts = api.wait_for_messages(ME, 2)
    assert "/ask" in texts[1] and "@briefbot_test_bot" in texts[1]
    assert {c["command"] for c in api.state.commands} == set(COMMAND_NAMES)
    polls = api.calls("getUpdates")
    assert polls and polls[0].params["allowed_updates"] == ["message", "edited_message", "callback_query"]
    only_html(api, ME)


def test_question_answered_with_linked_source_and_quote_button(api: BotAPIStandin, bot: RunningBot) -> None:
    question = api.send_text(private_chat(ME), QUESTIONS[0][0])
    (answer,) = api.wait_for_messages(ME, 1, timeout=15)
    assert f'<a href="{BASE}/ecowas-ultimatum">ECOWAS gives Niger junta a seven-day ultimatum</a>' in answer
    assert "[1]" in answer and "<b>Sources</b>" in answer
    call = api.calls("sendMessage", ME, ok_only=True)[0]
    assert call.params["reply_parameters"]["message_id"] == question["message_id"]
    assert call.params["link_preview_options"] == {"is_disabled": True}
    # "typing…" was shown before the answer.
    typing_calls = api.calls("sendChatAction", ME)
    assert typing_calls and typing_calls[0].at <= call.at and typing_calls[0].params["action"] == "typing"

    (button,) = call.params["reply_markup"]["inline_keyboard"][0]
    api.press_button(private_chat(ME), api.sent_messages(ME)[0], button["callback_data"])
    texts = api.wait_for_messages(ME, 2)
    assert "<blockquote>" in texts[1] and "ECOWAS" in visible_text(texts[1])
    assert api.wait_for(lambda: api.calls("answerCallbackQuery"))
    only_html(api, ME)


def test_unknown_chat_refused_without_leaking_content(api: BotAPIStandin, bot: RunningBot) -> None:
    api.send_text(private_chat(STRANGER), QUESTIONS[0][0])
    (refusal,) = api.wait_for_messages(STRANGER, 1)
    assert "private" in refusal and str(STRANGER) in refusal
    # More attempts (questions, commands, a button from an old message) get nothing new.
    for text in ("/latest", "/sources", "/ask " + QUESTIONS[1][0], "/digest"):
        api.send_text(private_chat(STRANGER), text)
    api.press_button(private_chat(STRANGER), {"message_id": 1, "date": 0, "chat": private_chat(STRANGER)},
                     "proof:abc:1")
    assert api.wait_for(lambda: api.calls("answerCallbackQuery"), 10)
    settle(api)
    assert api.sent_texts(STRANGER) == [refusal]
    assert not api.calls("sendChatAction", STRANGER)
    (alert,) = [c.params for c in api.calls("answerCallbackQuery")]
    assert "private" in alert["text"] and alert["show_alert"]
    leaked = [t for t, slug, *_ in KEY_DOCS] + [BASE, "ECOWAS", "Market"]
    assert not any(word in refusal for word in leaked)


def test_groups_answer_only_when_addressed(api: BotAPIStandin, bot: RunningBot) -> None:
    team = group_chat(GROUP)
    member = user(555, "Bea")
    api.send_text(team, QUESTIONS[0][0], sender=member)  # not addressed: ignored
    api.send_text(team, "/ask@some_other_bot " + QUESTIONS[0][0], sender=member)  # another bot's command
    api.send_text(team, "/frobnicate", sender=member)  # unknown command, not addressed to us
    api.send_text(group_chat(UNKNOWN_GROUP), "just chatting", sender=member)  # unknown group, not addressed
    settle(api)
    assert not api.calls(chat_id=GROUP) and not api.calls(chat_id=UNKNOWN_GROUP)

    api.send_text(team, f"@briefbot_test_bot {QUESTIONS[1][0]}", sender=member)
    (first,) = api.wait_for_messages(GROUP, 1, timeout=15)
    assert "france-evacuation" in first
    api.send_text(team, f"/ask@briefbot_test_bot {QUESTIONS[3][0]}", sender=member)
    assert "zeine-pm" in api.wait_for_messages(GROUP, 2, timeout=15)[1]
    bot_message = api.sent_messages(GROUP)[-1]
    api.send_text(team, QUESTIONS[4][0], sender=member, reply_to=bot_message)
    texts = api.wait_for_messages(GROUP, 3, timeout=15)
    assert "france-evacuation" in texts[0] and "zeine-pm" in texts[1] and "uranium" in texts[2]

    api.send_text(group_chat(UNKNOWN_GROUP), f"@briefbot_test_bot {QUESTIONS[0][0]}", sender=member)
    (refusal,) = api.wait_for_messages(UNKNOWN_GROUP, 1)
    assert str(UNKNOWN_GROUP) in refusal and "ECOWAS" not in refusal
    only_html(api, GROUP)


# --- faults --------------------------------------------------------------------------------------


def test_429_is_waited_out_and_the_message_delivered(api: BotAPIStandin, bot: RunningBot) -> None:
    api.inject_429(retry_after=1, chat_id=ME)
    api.send_text(private_chat(ME), QUESTIONS[2][0])
    (answer,) = api.wait_for_messages(ME, 1, timeout=15)
    assert "world-bank-pause" in answer
    limited, delivered = api.calls("sendMessage", ME)
    assert (limited.status, delivered.status) == (429, 200)
    assert delivered.at - limited.at >= 1.0


def test_markup_rejection_is_resent_as_plain_text(api: BotAPIStandin, bot: RunningBot) -> None:
    api.inject_parse_error(chat_id=ME)
    api.send_text(private_chat(ME), QUESTIONS[3][0])
    assert api.wait_for(lambda: api.calls("sendMessage", ME, ok_only=True), 15)
    rejected, plain = api.calls("sendMessage", ME)
    assert rejected.status == 400 and plain.status == 200
    assert "parse_mode" not in plain.params
    assert f"({BASE}/zeine-pm)" in plain.params["text"] and "<a" not in plain.params["text"]
    assert plain.params["reply_markup"]["inline_keyboard"]  # the quote buttons survive the fallback


def test_answer_longer_than_a_message_is_split_into_valid_messages(api: BotAPIStandin, bot: RunningBot,
                                                                   engine: Briefbot) -> None:
    expected = engine.ask(LONG_QUESTION)
    assert len(expected.answer) > 4096
    api.send_text(private_chat(ME), LONG_QUESTION)
    assert api.wait_for(lambda: api.calls("sendMessage", ME) and
                        any("reply_markup" in c.params for c in api.calls("sendMessage", ME)), 20)
    calls = api.calls("sendMessage", ME)
    assert len(calls) >= 2 and all(c.status == 200 for c in calls)  # Telegram accepted every part
    shown = ""
    for call in calls:
        length = check_telegram_html(call.params["text"])
        assert length <= 4096
        shown += parse_telegram_html(call.params["text"])
    squashed = "".join(shown.split())
    for paragraph in expected.answer.split("\n\n"):
        assert "".join(paragraph.split()) in squashed
    assert "reply_markup" in calls[-1].params and all("reply_markup" not in c.params for c in calls[:-1])
    assert calls[0].params["reply_parameters"] and all("reply_parameters" not in c.params for c in calls[1:])


def test_blocked_chat_is_remembered_and_others_still_served(api: BotAPIStandin, bot: RunningBot) -> None:
    api.block(102)
    api.send_text(private_chat(102), QUESTIONS[0][0])
    assert api.wait_for(lambda: any(c.status == 403 for c in api.calls("sendMessage", 102)), 15)
    assert api.wait_for(lambda: 102 in bot.front.services.delivery.blocked_chats, 5)
    api.send_text(private_chat(ME), QUESTIONS[1][0])
    (other,) = api.wait_for_messages(ME, 1, timeout=15)
    assert "france-evacuation" in other
    # One refused attempt, nothing delivered, and no retry at the blocked chat meanwhile.
    assert [c.status for c in api.calls("sendMessage", 102)] == [403]
    # The user unblocks and writes again: answered.
    api.unblock(102)
    api.send_text(private_chat(102), QUESTIONS[1][0])
    (answer,) = api.wait_for_messages(102, 1, timeout=15)
    assert "france-evacuation" in answer
    assert [c.status for c in api.calls("sendMessage", 102)] == [403, 200]
    assert 102 not in bot.front.services.delivery.blocked_chats


def test_timeout_is_logged_and_not_resent(api: BotAPIStandin, engine: Briefbot,
                                          caplog: pytest.LogCaptureFixture) -> None:
    # Telegram delivers the message but answers after the client gave up: a blind retry would duplicate it.
    with RunningBot(api, engine, allowed_chats=ALLOWED, read_timeout=1.0) as running:
        api.inject("sendMessage", 200, delay=2.0, chat_id=ME)
        api.send_text(private_chat(ME), QUESTIONS[0][0])
        assert api.wait_for(lambda: api.calls("sendMessage", ME), 15)
        api.send_text(private_chat(ME), QUESTIONS[1][0])  # still serving
        assert api.wait_for(lambda: len(api.calls("sendMessage", ME)) == 2, 15)
        # A later question's answer: everything before it is done, and the first was not resent.
        api.send_text(private_chat(ME), QUESTIONS[2][0])
        assert api.wait_for(lambda: len(api.calls("sendMessage", ME)) == 3, 15)
        assert running.app.running
    first, second, third = api.calls("sendMessage", ME)
    assert "ecowas-ultimatum" in first.params["text"] and "france-evacuation" in second.params["text"]
    assert "world-bank-pause" in third.params["text"]
    assert "not resending" in caplog.text


def test_unexpected_error_gets_an_apology_and_a_logged_traceback(api: BotAPIStandin, bot: RunningBot,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    install_redaction([api.token])
    api.send_text(private_chat(ME), BROKEN_QUESTION)
    (apology,) = api.wait_for_messages(ME, 1, timeout=15)
    assert "Sorry, something went wrong" in apology and "Traceback" not in apology
    assert "unexpected error handling update" in caplog.text and "Traceback" in caplog.text
    assert "answerer broke" in caplog.text
    assert api.token not in caplog.text


def test_an_accepted_answer_with_an_unreadable_result_gets_no_apology(api: BotAPIStandin, bot: RunningBot,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    # Telegram accepts the answer (ok: true) but its result is not a Message: PTB cannot parse it.
    api.inject("sendMessage", 200, result={"unexpected": True}, chat_id=ME)
    api.send_text(private_chat(ME), QUESTIONS[0][0])
    assert api.wait_for(lambda: api.calls("sendMessage", ME), 15)
    settle(api)  # a later question answered: the first one's handling, error handler included, is over
    api.send_text(private_chat(ME), QUESTIONS[1][0])  # the chat is still served, in order
    texts = api.wait_for_messages(ME, 2, timeout=15)
    assert len(texts) == 2 and "ecowas-ultimatum" in texts[0] and "france-evacuation" in texts[1]
    assert not any("Sorry" in t for t in texts)
    assert "its result could not be read" in caplog.text


@pytest.mark.parametrize(("status", "description"), [(502, "Bad Gateway"), (500, "Internal Server Error")])
def test_a_server_error_reply_is_retried_until_delivered(api: BotAPIStandin, bot: RunningBot,
                                                         caplog: pytest.LogCaptureFixture,
                                                         status: int, description: str) -> None:
    # Telegram answered "not done": resending cannot duplicate, so the answer still arrives.
    api.inject("sendMessage", status, description, times=3, chat_id=ME)
    api.send_text(private_chat(ME), QUESTIONS[0][0])
    (answer,) = api.wait_for_messages(ME, 1, timeout=20)
    assert "ecowas-ultimatum" in answer
    calls = api.calls("sendMessage", ME)
    assert [c.status for c in calls] == [status] * 3 + [200]
    assert calls[-1].at - calls[0].at >= 0.5 + 1.0 + 2.0  # backed off between tries
    assert "may not have completed" not in caplog.text


def test_a_gateway_timeout_is_not_resent(api: BotAPIStandin, bot: RunningBot,
                                         caplog: pytest.LogCaptureFixture) -> None:
    # A gateway that gave up waiting may have left the send completing behind it: like a read timeout.
    api.inject("sendMessage", 504, "Gateway Timeout", chat_id=ME)
    api.send_text(private_chat(ME), QUESTIONS[0][0])
    assert api.wait_for(lambda: api.calls("sendMessage", ME), 15)
    settle(api)
    assert [c.status for c in api.calls("sendMessage", ME)] == [504]
    assert "not resending" in caplog.text


def test_token_is_redacted_from_all_logs(api: BotAPIStandin, engine: Briefbot,
                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    install_redaction([api.token])
    logging.getLogger("httpx").setLevel(logging.DEBUG)  # the worst case: every request URL logged
    try:
        with RunningBot(api, engine, allowed_chats=ALLOWED):
            api.send_text(private_chat(ME), QUESTIONS[0][0])
            (answer,) = api.wait_for_messages(ME, 1, timeout=15)
            assert "ecowas-ultimatum" in answer
    finally:
        logging.getLogger("httpx").setLevel(logging.WARNING)
    assert f"bot{REDACTED}/sendMessage" in caplog.text
    assert api.token not in caplog.text


# --- bad input -----------------------------------------------------------------------------------


def test_bad_input_gets_polite_answers(api: BotAPIStandin, bot: RunningBot, engine: Briefbot) -> None:
    chat = private_chat(103)
    replies: list[tuple[str, str]] = []

    def ask(send: Any, expect: str) -> None:
        n = len(api.sent_texts(103))
        send()
        texts = api.wait_for_messages(103, n + 1, timeout=15)
        replies.append((expect, visible_text(texts[n])))

    ask(lambda: api.send_sticker(chat), NON_TEXT)
    ask(lambda: api.send_photo(chat, caption="what is this?"), NON_TEXT)
    ask(lambda: api.send_text(chat, "/ask"), "What would you like to know?")
    ask(lambda: api.send_text(chat, "/ask " + "why " * 200), "characters long; I can take at most")
    ask(lambda: api.send_text(chat, "/nonsense"), "I don't know the command /nonsense")
    question = api.send_text(chat, QUESTIONS[0][0])
    texts = api.wait_for_messages(103, len(replies) + 1, timeout=15)
    replies.append(("seven-day", visible_text(texts[len(replies)])))
    ask(lambda: api.send_text(chat, question["text"] + " please", edited=True), EDITED)
    ask(lambda: api.send_text(chat, '<b>What</b> did the <script>World Bank</script> pause? & "why"'), "World Bank")
    for expect, got in replies:
        assert expect in got, (expect, got)
    assert all(c.status == 200 for c in api.calls("sendMessage", 103))
    only_html(api, 103)
    # A channel post is never answered, not even with a refusal.
    api.channel_post(channel_chat(-1002000000000), "@briefbot_test_bot hello")
    settle(api)
    assert not api.calls(chat_id=-1002000000000)


def test_flood_from_one_chat_is_limited_with_one_notice(api: BotAPIStandin, engine: Briefbot) -> None:
    with RunningBot(api, engine, allowed_chats=ALLOWED, chat_rate_limit=3, chat_rate_window=60):
        for i in range(8):
            api.send_text(private_chat(104), QUESTIONS[i % 5][0])
        api.send_text(private_chat(ME), QUESTIONS[3][0])
        (answer,) = api.wait_for_messages(ME, 1, timeout=15)
        assert "zeine-pm" in answer
        assert api.wait_for(lambda: len(api.sent_texts(104)) >= 4, 15)
        settle(api)
        texts = [visible_text(t) for t in api.sent_texts(104)]
    notices = [t for t in texts if "faster than I can answer" in t]
    assert len(notices) == 1 and len(texts) == 4, texts


def test_latest_and_sources(api: BotAPIStandin, bot: RunningBot) -> None:
    api.send_text(private_chat(ME), "/latest")
    (latest,) = api.wait_for_messages(ME, 1)
    assert "Newest documents" in latest and f"{BASE}/markets-niamey" in latest
    api.send_text(private_chat(ME), "/sources")
    texts = api.wait_for_messages(ME, 2)
    assert "14 documents" in visible_text(texts[1]) and "2023-07-30 to 2023-08-17" in texts[1]
    api.send_text(private_chat(ME), "/digest 2023-08-01")
    api.send_text(private_chat(ME), "/digest yesterday")
    texts = api.wait_for_messages(ME, 4)
    assert "not available yet" in texts[2] or "Digest" in texts[2]
    assert "Usage: /digest" in texts[3]
    only_html(api, ME)


# --- load ----------------------------------------------------------------------------------------


def test_fifty_chats_at_once_each_get_their_own_answer(api: BotAPIStandin, bot: RunningBot,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    asked: dict[int, tuple[int, str, float]] = {}
    for i, chat_id in enumerate(LOAD_CHATS):
        question, slug = QUESTIONS[i % len(QUESTIONS)]
        message = api.send_text(private_chat(chat_id), question)
        asked[chat_id] = (message["message_id"], slug, time.monotonic())
    assert api.wait_for(lambda: all(api.calls("sendMessage", c, ok_only=True) for c in LOAD_CHATS), 60)
    latencies = []
    for chat_id, (message_id, slug, pushed) in asked.items():
        (call,) = api.calls("sendMessage", chat_id)
        assert call.params["reply_parameters"]["message_id"] == message_id
        assert f"{BASE}/{slug}" in call.params["text"], (chat_id, call.params["text"])
        others = [s for _, s in QUESTIONS if s != slug]
        assert not any(f"{BASE}/{s}" in call.params["text"] for s in others)
        latencies.append(call.at - pushed)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    with capsys.disabled():
        print(f"\n[telegram load] 50 chats: p50 {statistics.median(latencies):.2f} s, p95 {p95:.2f} s, "
              f"max {latencies[-1]:.2f} s")
    assert p95 < 15
