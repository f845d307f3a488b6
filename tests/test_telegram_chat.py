"""A chat that briefs, end to end: follow-ups, /new, expiry, /brief and /timeline over Telegram.

The real PTB Application and the real engine (its rule-based follow-up resolution and its
briefings) against the Bot API stand-in on loopback, as in `test_telegram_e2e`. The corpus is
that module's news items plus `seeds/` and `tests/corpus/` (which name Abdourahamane Tchiani
and Algeria's proposal). Every wait that times out fails its test.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.telegram.common import STORE_DOWN
from bot.telegram.handlers import NEW_CONVERSATION
from index.config import Settings
from index.conversation import NEEDS_SUBJECT
from index.engine import Briefbot
from index.errors import StoreUnavailableError
from support.botapi_standin import BotAPIStandin, group_chat, private_chat, user
from support.telegram_corpus import write_corpus
from support.telegram_harness import RunningBot, guarded_bot
from support.telegram_html import check_telegram_html, visible_text

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ME = 111
OTHER = 112
FORUM = -1001000000077
TOPIC_A, TOPIC_B = 11, 12
LOAD_CHATS = list(range(301, 351))
ALLOWED = frozenset({ME, OTHER, FORUM, *LOAD_CHATS})
ASKS_BACK = "I'm not sure who or what you mean"

# (first question, pronoun follow-up, the subject the follow-up must be resolved to)
CONVERSATIONS = [
    ("What did Abdourahamane Tchiani announce?", "When did he become leader?", "Tchiani"),
    ("What did Algeria propose?", "What did they reject?", "Algeria"),
    ("What did the World Bank pause?", "How much had it committed to the country?", "World Bank"),
    ("How many days did ECOWAS give the junta?", "What did they close?", "ECOWAS"),
    ("What did France begin on Tuesday?", "Why did it do that?", "France"),
    ("What did Orano say?", "Where are its mines?", "Orano"),
]
SUBJECTS = [subject for *_, subject in CONVERSATIONS]
TCHIANI = CONVERSATIONS[0]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Briefbot:
    root = tmp_path_factory.mktemp("telegram-chat")
    bb = Briefbot(Settings(data_dir=root / "data", _env_file=None))  # type: ignore[call-arg]
    bb.ingest([write_corpus(root / "corpus"), ROOT / "seeds", ROOT / "tests" / "corpus"])
    return bb


@pytest.fixture
def bot(api: BotAPIStandin, engine: Briefbot) -> Iterator[RunningBot]:
    # A generous per-chat limit here: tests send many messages from one chat on purpose.
    with guarded_bot(api, engine, allowed_chats=ALLOWED, chat_rate_limit=30) as running:
        yield running


def ask(api: BotAPIStandin, chat: dict[str, Any], text: str, *, topic: int | None = None,
        sender: dict[str, Any] | None = None, timeout: float = 20) -> tuple[str, dict[str, Any]]:
    """Send `text` and wait for the bot's next message in that chat: (its HTML, its sendMessage params)."""
    before = len(api.sent_texts(chat["id"]))
    message = api.send_text(chat, text, topic=topic, sender=sender)
    api.wait_for_messages(chat["id"], before + 1, timeout=timeout)
    call = api.calls("sendMessage", chat["id"], ok_only=True)[before]
    assert call.params["reply_parameters"]["message_id"] == message["message_id"]
    if topic is not None:
        assert call.params["message_thread_id"] == topic
    return call.params["text"], call.params


def about(html: str) -> str:
    """The "(about: ...)" line a follow-up's reply starts with, or "" if it has none."""
    first = visible_text(html).split("\n", 1)[0]
    return first if first.startswith("(about: ") else ""


def checked(api: BotAPIStandin, chat_id: int) -> list[str]:
    """Every HTML message sent to a chat, each valid Telegram HTML within 4,096 characters."""
    calls = api.calls("sendMessage", chat_id, ok_only=True)
    for call in calls:
        assert call.params.get("parse_mode") == "HTML", call.params
        assert check_telegram_html(call.params["text"]) <= 4096
    return [c.params["text"] for c in calls]


def point_dates(messages: list[str]) -> list[str]:
    """The dates of a briefing's points, in the order shown (a point: "<b>DATE</b> — “...”")."""
    return re.findall(r"<b>(\d{4}-\d{2}-\d{2})</b> — “", "".join(messages))


# --- follow-ups ----------------------------------------------------------------------------------


def test_follow_up_in_a_private_chat_shows_the_resolved_question(api: BotAPIStandin, bot: RunningBot) -> None:
    first, follow_up, subject = TCHIANI
    html, _ = ask(api, private_chat(ME), first)
    assert not about(html) and "zeine-pm" in html
    html, params = ask(api, private_chat(ME), follow_up)
    line = about(html)
    assert line.startswith("(about: ") and subject in line and "he " not in line.lower().replace("the ", "")
    assert html.startswith("<i>(about: ") and "</i>\n" in html
    assert re.search(r'<a href="https?://[^"]+"><b>\[1\]</b></a>', html)  # a linked, cited source
    assert "<b>Sources</b>" in html and params["reply_markup"]["inline_keyboard"]
    checked(api, ME)


def test_follow_up_in_a_forum_topic_does_not_reach_another_topic(api: BotAPIStandin, bot: RunningBot) -> None:
    forum = group_chat(FORUM, forum=True)
    bea, cid = user(555, "Bea"), user(556, "Cid")
    first, follow_up, subject = CONVERSATIONS[1]  # Algeria
    html, _ = ask(api, forum, f"/ask@briefbot_test_bot {first}", topic=TOPIC_A, sender=bea)
    assert not about(html) and "algeria-plan" in html
    # Another member follows up in the same topic: the topic's context, not the member's.
    html, _ = ask(api, forum, f"@briefbot_test_bot {follow_up}", topic=TOPIC_A, sender=cid)
    assert subject in about(html)
    # The same follow-up in another topic of the same group has no context: it asks back.
    html, _ = ask(api, forum, f"@briefbot_test_bot {follow_up}", topic=TOPIC_B, sender=bea)
    assert not about(html) and ASKS_BACK in visible_text(html) and "algeria-plan" not in html
    # And topic A still has its own.
    html, _ = ask(api, forum, f"@briefbot_test_bot {follow_up}", topic=TOPIC_A, sender=bea)
    assert subject in about(html)
    checked(api, FORUM)


def test_an_answer_into_a_deleted_topic_goes_to_the_chat_without_it(api: BotAPIStandin, bot: RunningBot) -> None:
    forum = group_chat(FORUM, forum=True)
    api.delete_topic(FORUM, TOPIC_B)  # deleted after the question was written in it
    question = api.send_text(forum, f"/ask@briefbot_test_bot {CONVERSATIONS[1][0]}", topic=TOPIC_B)
    (answer,) = api.wait_for_messages(FORUM, 1, timeout=20)
    assert "algeria-plan" in answer
    refused, resent = api.calls("sendMessage", FORUM)
    assert (refused.status, refused.params["message_thread_id"]) == (400, TOPIC_B)
    assert resent.status == 200 and "message_thread_id" not in resent.params
    assert resent.params["reply_parameters"]["message_id"] == question["message_id"]
    assert resent.params["reply_markup"]["inline_keyboard"]  # the quote buttons come along


def test_two_members_asking_at_once_in_a_group_get_their_own_replies(api: BotAPIStandin, bot: RunningBot) -> None:
    forum = group_chat(FORUM, forum=True)
    bea, cid = user(555, "Bea"), user(556, "Cid")
    first, follow_up, subject = CONVERSATIONS[3]  # ECOWAS
    # Pushed together: the chat's lock answers them in order, so the follow-up sees the first.
    asked = api.send_text(forum, f"@briefbot_test_bot {first}", topic=TOPIC_A, sender=bea)
    followed = api.send_text(forum, f"@briefbot_test_bot {follow_up}", topic=TOPIC_A, sender=cid)
    api.wait_for_messages(FORUM, 2, timeout=20)
    one, two = api.calls("sendMessage", FORUM, ok_only=True)
    assert one.params["reply_parameters"]["message_id"] == asked["message_id"]
    assert two.params["reply_parameters"]["message_id"] == followed["message_id"]
    assert not about(one.params["text"]) and subject in about(two.params["text"])
    assert one.params["message_thread_id"] == two.params["message_thread_id"] == TOPIC_A


def test_new_forgets_the_conversation(api: BotAPIStandin, bot: RunningBot) -> None:
    first, follow_up, subject = TCHIANI
    ask(api, private_chat(ME), first)
    html, _ = ask(api, private_chat(ME), "/new")
    assert visible_text(html) == NEW_CONVERSATION and "\n" not in visible_text(html)
    html, _ = ask(api, private_chat(ME), follow_up)
    assert not about(html) and visible_text(html).startswith(NEEDS_SUBJECT)
    # A new first question starts a new conversation.
    ask(api, private_chat(ME), first)
    html, _ = ask(api, private_chat(ME), follow_up)
    assert subject in about(html)
    checked(api, ME)


def test_context_expires_after_the_quiet_minutes(api: BotAPIStandin, bot: RunningBot, engine: Briefbot) -> None:
    store = bot.front.conversations
    assert store.ttl == engine.settings.conversation_minutes * 60 == 30 * 60
    first, follow_up, subject = TCHIANI
    ask(api, private_chat(ME), first)
    # 29 quiet minutes later: still the same conversation (and the follow-up is a new turn).
    store.clock = lambda: time.time() + 29 * 60
    html, _ = ask(api, private_chat(ME), follow_up)
    assert subject in about(html)
    # 31 minutes after that turn: forgotten, so the follow-up asks back.
    store.clock = lambda: time.time() + 60 * 60
    html, _ = ask(api, private_chat(ME), follow_up)
    assert not about(html) and visible_text(html).startswith(NEEDS_SUBJECT)
    assert len(store) == 0  # the expired conversation was dropped, not kept


def test_a_briefing_leaves_the_conversation_as_it_was(api: BotAPIStandin, bot: RunningBot) -> None:
    first, follow_up, subject = TCHIANI
    ask(api, private_chat(ME), first)
    html, _ = ask(api, private_chat(ME), "What's the latest on ECOWAS?")
    assert visible_text(html).startswith("Briefing: ECOWAS")
    html, _ = ask(api, private_chat(ME), follow_up)
    assert subject in about(html)
    checked(api, ME)


def test_fifty_chats_hold_their_own_conversations_at_once(api: BotAPIStandin, bot: RunningBot,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    asked: dict[int, tuple[int, int, str, float]] = {}
    started = time.monotonic()
    for i, chat_id in enumerate(LOAD_CHATS):
        first, _, subject = CONVERSATIONS[i % len(CONVERSATIONS)]
        message = api.send_text(private_chat(chat_id), first)
        asked[chat_id] = (message["message_id"], 0, subject, time.monotonic())
    # Every follow-up at once too, before any answer: each chat's lock keeps its two in order.
    for i, chat_id in enumerate(LOAD_CHATS):
        _, follow_up, _ = CONVERSATIONS[i % len(CONVERSATIONS)]
        message = api.send_text(private_chat(chat_id), follow_up)
        first_id, _, subject, pushed = asked[chat_id]
        asked[chat_id] = (first_id, message["message_id"], subject, pushed)
    done = api.wait_for(lambda: all(len(api.calls("sendMessage", c, ok_only=True)) >= 2 for c in LOAD_CHATS), 90)
    missing = [c for c in LOAD_CHATS if len(api.calls("sendMessage", c, ok_only=True)) < 2]
    assert done, f"chats without both replies: {missing}"
    total = time.monotonic() - started
    latencies = []
    for chat_id, (first_id, follow_id, subject, pushed) in asked.items():
        one, two = api.calls("sendMessage", chat_id)
        assert one.params["reply_parameters"]["message_id"] == first_id
        assert two.params["reply_parameters"]["message_id"] == follow_id
        assert not about(one.params["text"])
        line = about(two.params["text"])
        assert subject in line, (chat_id, line)
        assert not [s for s in SUBJECTS if s != subject and s in line], (chat_id, line)
        assert "[1]" in two.params["text"]  # answered from a cited source, not asked back
        latencies.append(two.at - pushed)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    with capsys.disabled():
        print(f"\n[telegram chat load] 50 chats x 2 turns: follow-up reply p50 {statistics.median(latencies):.2f} s, "
              f"p95 {p95:.2f} s, max {latencies[-1]:.2f} s; all 100 replies in {total:.2f} s")
    assert p95 < 30


# --- briefings -----------------------------------------------------------------------------------


def test_brief_and_timeline_are_dated_cited_and_ordered(api: BotAPIStandin, bot: RunningBot,
                                                        engine: Briefbot) -> None:
    topic = "Niger junta"
    expected = engine.brief(topic)
    assert len(expected.points) >= 3
    _, params = ask(api, private_chat(ME), f"/brief {topic}")
    brief = checked(api, ME)
    assert visible_text(brief[0]).startswith(f"Briefing: {topic}\n")
    dates = point_dates(brief)
    assert dates == [p.date for p in expected.points] and dates == sorted(dates, reverse=True)
    shown = "\n".join(visible_text(m) for m in brief)
    for point in expected.points:  # each quoted sentence, then its markers linked to the sources
        marks = " ".join(f"[{c.n}]" for c in point.citations)
        assert f"{point.date} — “{point.text}” {marks}" in shown
        for c in point.citations:
            if c.url:
                assert f'<a href="{c.url.replace("&", "&amp;")}"><b>[{c.n}]</b></a>' in "".join(brief)
            assert f"\n[{c.n}] {c.title}" in shown  # the numbered source line
    assert "\nSources\n" in shown
    assert params["reply_markup"]["inline_keyboard"]  # a Quote button per source
    assert api.calls("sendChatAction", ME)  # "typing…" while it was built

    before = len(brief)
    ask(api, private_chat(ME), f"/timeline {topic}")
    timeline = checked(api, ME)[before:]
    assert visible_text(timeline[0]).startswith(f"Timeline: {topic}\n")
    dates = point_dates(timeline)
    assert len(dates) >= 3 and dates == sorted(dates)


def test_quote_button_of_a_briefing_shows_its_source(api: BotAPIStandin, bot: RunningBot) -> None:
    _, params = ask(api, private_chat(ME), "/brief ECOWAS")
    button = params["reply_markup"]["inline_keyboard"][0][0]
    api.press_button(private_chat(ME), api.sent_messages(ME)[-1], button["callback_data"])
    texts = api.wait_for_messages(ME, 2)
    assert "<blockquote>" in texts[1] and texts[1].startswith("[1] ")
    checked(api, ME)


def test_brief_in_a_group_topic_with_the_bots_name(api: BotAPIStandin, bot: RunningBot) -> None:
    forum = group_chat(FORUM, forum=True)
    html, _ = ask(api, forum, "/timeline@briefbot_test_bot ECOWAS", topic=TOPIC_B, sender=user(557))
    assert visible_text(html).startswith("Timeline: ECOWAS\n") and point_dates([html])
    checked(api, FORUM)


def test_bad_topics_get_one_line_replies(api: BotAPIStandin, bot: RunningBot, engine: Briefbot,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    chat = private_chat(OTHER)
    for command in ("brief", "timeline"):
        html, _ = ask(api, chat, f"/{command}")
        assert visible_text(html) == f"Usage: /{command} TOPIC, for example /{command} ECOWAS"
    html, _ = ask(api, chat, "/brief " + "x" * 10_000)
    text = visible_text(html)
    assert text == "Sorry, the topic is too long (10000 characters; the limit is 200)."
    html, _ = ask(api, chat, "/brief qqqq zzzz")  # nothing on it: the engine's abstention
    assert visible_text(html).startswith("Briefing: qqqq zzzz\n") and "couldn't find" in visible_text(html)

    def store_down(*args: object, **kwargs: object) -> None:
        raise StoreUnavailableError("chroma server unreachable")

    monkeypatch.setattr(engine, "brief", store_down)
    html, _ = ask(api, chat, "/timeline ECOWAS")
    assert visible_text(html) == STORE_DOWN
    sent = checked(api, OTHER)
    assert len(sent) == 5 and not any("Traceback" in t for t in sent)
    assert all("\n" not in visible_text(t) for i, t in enumerate(sent) if i != 3)  # all but the abstention


def test_new_commands_are_in_the_menu_and_help(api: BotAPIStandin, bot: RunningBot) -> None:
    html, _ = ask(api, private_chat(ME), "/help")
    assert {c["command"] for c in api.state.commands} >= {"new", "brief", "timeline"}
    text = visible_text(html)
    assert "/brief <topic>" in text and "/timeline <topic>" in text and "/new" in text
    assert "30 quiet minutes" in text
