"""Desks in Telegram, end to end: /desk, /start in the desk's own words, answers and digests per desk.

The real PTB Application against the Bot API stand-in on loopback, over one installation with
two desks: the default desk follows a coup, desk `floods` a flood. Reports are dated in the
last hours so a digest of the last 24 hours has them.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.telegram.subscriptions import SubscriptionStore
from index.config import Settings
from index.desk_profile import Desk
from index.desks import Desks
from index.engine import Briefbot
from support.botapi_standin import BotAPIStandin, private_chat
from support.telegram_harness import RunningBot
from support.telegram_html import check_telegram_html, visible_text

pytestmark = pytest.mark.slow

ALICE, BOB = 501, 502  # ALICE may use both desks; `floods` is open to ALICE only
COUP_DESCRIPTION = "The military takeover in the capital and the regional response."
FLOODS_DESCRIPTION = "Storm Daniel, the Derna dam collapse and the relief effort."


def _items(now: datetime, rows: list[tuple[str, str, str]]) -> str:
    return "\n".join(json.dumps({"title": t, "description": d, "link": link, "language": "en",
                                 "date_published": (now - timedelta(hours=2 + i)).isoformat()})
                     for i, (t, d, link) in enumerate(rows)) + "\n"


COUP = [
    ("Regional bloc orders standby force", "Leaders of the regional bloc ordered the activation of a standby "
     "force after a summit, while saying they still preferred diplomacy.", "https://alpha.example/standby"),
    ("Junta closes the airspace", "The military government closed the country's airspace, citing the threat of "
     "an intervention by neighbouring states.", "https://beta.example/airspace"),
]
FLOODS = [
    ("Two dams burst above Derna", "Two dams collapsed above Derna after Storm Daniel, sending a wall of water "
     "through the city. Officials said 5,300 people were killed.", "https://gamma.example/dams"),
    ("Aid convoys reach Derna", "The first aid convoys reached Derna carrying body bags, food and water "
     "purification tablets, the Red Crescent said.", "https://delta.example/aid"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Briefbot:
    """The default desk's engine, as `briefbot telegram` opens it; desk `floods` beside it."""
    root = tmp_path_factory.mktemp("telegram-desks")
    settings = Settings(data_dir=root / "data", _env_file=None)  # type: ignore[call-arg]
    desks = Desks(settings)
    desks.update("default", {"title": "Coup watch", "description": COUP_DESCRIPTION})
    desks.create(Desk("floods", title="Libya floods", description=FLOODS_DESCRIPTION, chats=(ALICE,)))
    now = datetime.now(UTC)
    for name, rows in (("default", COUP), ("floods", FLOODS)):
        feed = root / f"{name}.jsonl"
        feed.write_text(_items(now, rows), encoding="utf-8")
        assert desks.open(name).ingest([feed]).added == 2
    return desks.open()


def running(api: BotAPIStandin, engine: Briefbot) -> RunningBot:
    return RunningBot(api, engine, allowed_chats=frozenset({ALICE, BOB}), chat_rate_limit=60)


def ask(api: BotAPIStandin, chat: int, text: str, timeout: float = 60.0) -> str:
    before = len(api.sent_texts(chat))
    api.send_text(private_chat(chat), text)
    return api.wait_for_messages(chat, before + 1, timeout)[before]


def test_desk_switches_and_answers_come_only_from_the_chats_desk(api: BotAPIStandin, engine: Briefbot) -> None:
    with running(api, engine):
        start = visible_text(ask(api, ALICE, "/start"))
        assert COUP_DESCRIPTION in start and "Coup watch" in start and "floods" in start
        assert "Niger" not in start  # nothing about one crisis is hard-coded
        coup = visible_text(ask(api, ALICE, "How many people were killed when the dams burst above Derna?"))
        assert "gamma.example" not in coup and "5,300" not in coup

        switched = visible_text(ask(api, ALICE, "/desk floods"))
        assert "Switched to the Libya floods desk" in switched and FLOODS_DESCRIPTION in switched
        floods = ask(api, ALICE, "How many people were killed when the dams burst above Derna?")
        check_telegram_html(floods)
        assert "5,300" in visible_text(floods) and "gamma.example" in visible_text(floods)
        assert "alpha.example" not in floods and "beta.example" not in floods
        assert FLOODS_DESCRIPTION in visible_text(ask(api, ALICE, "/start"))
        shown = visible_text(ask(api, ALICE, "/desk"))
        assert "This chat's desk: Libya floods (floods)" in shown and "Other desks: default" in shown

        refused = visible_text(ask(api, ALICE, "/desk nope"))
        assert "there is no desk 'nope' for this chat (desks here: default, floods)" in refused
        back = visible_text(ask(api, ALICE, "/desk default"))
        assert "Switched to the Coup watch desk" in back
        regional = visible_text(ask(api, ALICE, "What did the regional bloc order after the summit?"))
        assert "standby force" in regional and "gamma.example" not in regional and "delta.example" not in regional

        # BOB is not on the floods desk's list: he neither sees it nor can switch to it.
        assert "floods" not in visible_text(ask(api, BOB, "/start"))
        assert "there is no desk 'floods' for this chat (desks here: default)" in \
            visible_text(ask(api, BOB, "/desk floods"))
        assert "It is the only desk here" in visible_text(ask(api, BOB, "/desk"))


def test_digests_are_per_desk(api: BotAPIStandin, engine: Briefbot) -> None:
    with running(api, engine):
        ask(api, ALICE, "/desk floods")
        floods = visible_text(ask(api, ALICE, "/digest"))
        assert "Derna" in floods and "gamma.example" in floods
        assert "alpha.example" not in floods and "beta.example" not in floods
        ask(api, ALICE, "/desk default")
        coup = visible_text(ask(api, ALICE, "/digest"))
        assert "alpha.example" in coup and "gamma.example" not in coup and "delta.example" not in coup

    # A scheduled digest of each desk the chat subscribed to, each from its own documents.
    store = SubscriptionStore.in_data_dir(engine.settings.data_dir)
    try:
        now = datetime.now(UTC)
        at = (now - timedelta(minutes=1)).time().replace(microsecond=0)
        yesterday = now - timedelta(days=1)
        if at > now.time():  # just after midnight: "a minute ago" was yesterday; send a minute ahead instead
            at = (now + timedelta(seconds=5)).time().replace(microsecond=0)
        store.subscribe(ALICE, at, "UTC", yesterday, desk="floods")
        store.subscribe(ALICE, at, "UTC", yesterday)
        before = len(api.sent_texts(ALICE))
        with running(api, engine):
            assert api.wait_for(lambda: sum("your digest" in t.lower() for t in api.sent_texts(ALICE)[before:]) >= 2,
                                60)
        digests = [visible_text(t) for t in api.sent_texts(ALICE)[before:] if "your digest" in t.lower()]
        (flood_digest,) = [d for d in digests if d.startswith("Libya floods: your digest")]
        (coup_digest,) = [d for d in digests if d.startswith("Coup watch: your digest")]
        assert "gamma.example" in flood_digest and "alpha.example" not in flood_digest
        assert "alpha.example" in coup_digest and "gamma.example" not in coup_digest
        assert store.get(ALICE, "floods").delivered_until and store.get(ALICE).delivered_until  # type: ignore[union-attr]
    finally:
        for desk in ("default", "floods"):
            store.unsubscribe(ALICE, desk)
        store.close()


def test_subscriptions_from_before_desks_become_the_default_desks(tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.sqlite3"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE subscriptions (chat_id INTEGER PRIMARY KEY, at TEXT NOT NULL, tz TEXT NOT NULL, "
                "last_sent TEXT, delivered_until INTEGER, created REAL NOT NULL, claimed_at REAL)")
    old.execute("INSERT INTO subscriptions VALUES (7, '07:30', 'Africa/Niamey', '2023-08-13', 1691900000, 1.0, NULL)")
    old.commit()
    old.close()
    store = SubscriptionStore(path)
    try:
        sub = store.get(7)
        assert sub is not None and (sub.desk, sub.at, sub.tz, sub.delivered_until) == \
            ("default", time(7, 30), "Africa/Niamey", 1691900000)
        store.subscribe(7, time(9, 0), "UTC", datetime(2023, 8, 14, tzinfo=UTC), desk="floods")
        assert [(s.chat_id, s.desk) for s in store.all()] == [(7, "default"), (7, "floods")]
    finally:
        store.close()
