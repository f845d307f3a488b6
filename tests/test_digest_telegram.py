"""Digests through the real PTB Application and its JobQueue, against the Bot API stand-in on loopback.

One engine for the module (a handful of reports published in the last hours, so that a
scheduled digest, which covers the day before its send time, has stories to tell). Jobs run on
the real clock a few seconds ahead; restarts are real: a new Application on the same data dir,
re-creating its jobs from SQLite.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.telegram.subscriptions import SubscriptionStore
from index.config import Settings
from index.engine import Briefbot
from support.botapi_standin import BotAPIStandin, group_chat, private_chat
from support.telegram_harness import RunningBot
from support.telegram_html import check_telegram_html, visible_text

pytestmark = pytest.mark.slow

ME, OTHER, BLOCKER = 301, 302, 303
# Subscribed after the others, so the catch-up pass at start (chats in id order) reaches it last.
SENTINEL = 350
CROWD = list(range(400, 424))
FORUM = -1001000000555
TOPIC_A, TOPIC_B, GONE_TOPIC = 5, 7, 9
ALLOWED = frozenset({ME, OTHER, BLOCKER, SENTINEL, FORUM, *CROWD})
PNG = b"\x89PNG\r\n\x1a\n"


def _reports(now: datetime) -> list[dict]:
    airspace = [
        ("Niger closes its airspace as ECOWAS deadline expires", "alpha.example", 3),
        ("Junta shuts Niger airspace citing threat of intervention", "beta.example", 5),
        ("Niger airspace closed until further notice, junta says", "gamma.example", 7),
    ]
    body = ("Niger's military rulers closed the country's airspace on Sunday, citing the threat of military "
            "intervention after a deadline set by the West African bloc ECOWAS expired. Flights were rerouted.")
    rows = [{"title": t, "description": body, "link": f"https://{host}/airspace",
             "date_published": (now - timedelta(hours=h)).isoformat(), "language": "en"} for t, host, h in airspace]
    rows.append({"title": "Uranium prices climb on supply worries", "link": "https://delta.example/uranium",
                 "description": "Uranium futures rose as traders weighed the risk to mines in Niger run by Orano.",
                 "date_published": (now - timedelta(hours=4)).isoformat(), "language": "en"})
    rows.append({"title": "Treason charge for ousted president Bazoum", "link": "https://alpha.example/treason",
                 "description": "The junta said it would prosecute Mohamed Bazoum for high treason.",
                 "date_published": "2023-08-14T09:00:00+00:00", "language": "en"})
    return rows


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Briefbot:
    root = tmp_path_factory.mktemp("digest-telegram")
    feed = root / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in _reports(datetime.now(UTC))) + "\n", encoding="utf-8")
    bb = Briefbot(Settings(data_dir=root / "data", _env_file=None))  # type: ignore[call-arg]
    assert bb.ingest([feed]).added == 5
    return bb


@pytest.fixture
def subs(engine: Briefbot) -> Iterator[SubscriptionStore]:
    store = SubscriptionStore.in_data_dir(engine.settings.data_dir)
    yield store
    for sub in store.all():
        store.unsubscribe(sub.chat_id, sub.desk, thread_id=sub.thread_id)
    store.close()


def running(api: BotAPIStandin, engine: Briefbot, **overrides: object) -> RunningBot:
    return RunningBot(api, engine, allowed_chats=ALLOWED, chat_rate_limit=30, **overrides)


def quiet_zone() -> ZoneInfo:
    """A time zone where it is not near midnight now, so 'in a few seconds' and 'minutes ago' are today."""
    for name in ("UTC", "Asia/Tokyo", "America/New_York", "Australia/Sydney"):
        zone = ZoneInfo(name)
        if 1 <= datetime.now(zone).hour <= 21:
            return zone
    raise AssertionError("unreachable: one of these zones is always in daytime")


def digests_sent(api: BotAPIStandin, chat_id: int) -> list[str]:
    return [t for t in api.sent_texts(chat_id) if "Your digest" in t]


def subscribe_sentinel(subs: SubscriptionStore, zone: ZoneInfo) -> None:
    """A digest due now and unclaimed for SENTINEL: the next catch-up pass must send it.

    The pass goes through the chats in id order, so once SENTINEL's digest has arrived, the
    pass has decided every chat before it: a second digest to those would already be here.
    """
    now = datetime.now(zone)
    subs.subscribe(SENTINEL, (now - timedelta(minutes=1)).time().replace(microsecond=0), zone.key,
                   now - timedelta(days=1))


def test_scheduled_digest_is_sent_once_at_the_local_time_and_not_again_after_restart(
        api: BotAPIStandin, engine: Briefbot, subs: SubscriptionStore) -> None:
    zone = quiet_zone()
    now = datetime.now(zone)
    at = (now + timedelta(seconds=4)).time().replace(microsecond=0)
    subs.subscribe(ME, at, zone.key, now - timedelta(days=1))  # subscribed yesterday
    with running(api, engine):
        assert api.wait_for(lambda: digests_sent(api, ME), 25)
        # Recorded once the send returned (a moment after Telegram had the message).
        assert api.wait_for(lambda: getattr(subs.get(ME), "delivered_until", None) is not None, 10)
    (digest,) = digests_sent(api, ME)
    check_telegram_html(digest)
    shown = visible_text(digest)
    assert "Niger closes its airspace" in shown or "airspace" in shown.lower()
    assert "alpha.example" in shown and "beta.example" in shown and "gamma.example" in shown
    assert "Treason" not in shown  # 2023: outside the window (the day before the send)
    # The chart went first, as a PNG.
    (photo,) = api.calls("sendPhoto", ME)
    assert photo.status == 200 and photo.at <= api.calls("sendMessage", ME)[0].at
    sub = subs.get(ME)
    assert sub is not None and sub.last_sent == now.date() and sub.delivered_until is not None

    # Restart right after the send: the catch-up pass at start finds today's digest claimed.
    subscribe_sentinel(subs, zone)
    with running(api, engine):
        assert api.wait_for(lambda: digests_sent(api, SENTINEL), 20)
    assert len(digests_sent(api, ME)) == 1


def test_digest_missed_while_down_is_caught_up_once_on_start(api: BotAPIStandin, engine: Briefbot,
                                                            subs: SubscriptionStore) -> None:
    zone = quiet_zone()
    now = datetime.now(zone)
    at = (now - timedelta(minutes=2)).time().replace(second=0, microsecond=0)
    subs.subscribe(OTHER, at, zone.key, now - timedelta(days=1))
    with running(api, engine):
        assert api.wait_for(lambda: digests_sent(api, OTHER), 20)
    subscribe_sentinel(subs, zone)
    with running(api, engine):
        assert api.wait_for(lambda: digests_sent(api, SENTINEL), 20)
    assert len(digests_sent(api, OTHER)) == 1


def test_forbidden_unsubscribes_the_chat(api: BotAPIStandin, engine: Briefbot, subs: SubscriptionStore) -> None:
    zone = quiet_zone()
    now = datetime.now(zone)
    subs.subscribe(BLOCKER, (now - timedelta(minutes=1)).time().replace(microsecond=0), zone.key,
                   now - timedelta(days=1))
    api.block(BLOCKER)
    with running(api, engine) as bot:
        assert api.wait_for(lambda: any(c.status == 403 for c in api.calls(chat_id=BLOCKER)), 20)
        assert api.wait_for(lambda: subs.get(BLOCKER) is None, 5)
        assert not bot.app.job_queue.get_jobs_by_name(f"digest:{BLOCKER}")


def test_many_chats_at_once_stay_within_the_global_rate(api: BotAPIStandin, engine: Briefbot,
                                                        subs: SubscriptionStore) -> None:
    zone = quiet_zone()
    now = datetime.now(zone)
    at = (now - timedelta(minutes=1)).time().replace(second=0, microsecond=0)
    for chat_id in CROWD:
        subs.subscribe(chat_id, at, zone.key, now - timedelta(days=1))
    with running(api, engine, global_send_rate=10.0):
        assert api.wait_for(lambda: all(digests_sent(api, c) for c in CROWD), 40)
    sends = sorted(c.at for c in api.calls() if c.method in ("sendMessage", "sendPhoto") and c.status == 200)
    assert len(sends) >= 2 * len(CROWD)
    # A leaky bucket of 10/s: at most its capacity plus what drains in a second, and the whole
    # round takes as long as the rate demands.
    busiest = max(sum(1 for t in sends if s <= t < s + 1.0) for s in sends)
    assert busiest <= 20, busiest
    assert sends[-1] - sends[0] >= (len(sends) - 10) / 10 - 0.5
    assert all(len(digests_sent(api, c)) == 1 for c in CROWD)


def test_subscribe_and_unsubscribe_commands(api: BotAPIStandin, engine: Briefbot, subs: SubscriptionStore) -> None:
    chat = private_chat(ME)
    with running(api, engine) as bot:
        replies: list[str] = []
        for text in ("/subscribe 25:00", "/subscribe 07:30 Mars/Olympus", "/subscribe 07:30 Europe/Paris extra",
                     "/subscribe 07:30 Africa/Niamey", "/subscribe 06:45", "/unsubscribe", "/unsubscribe"):
            n = len(api.sent_texts(ME))
            api.send_text(chat, text)
            replies.append(visible_text(api.wait_for_messages(ME, n + 1)[n]))
        jobs_after = bot.app.job_queue.get_jobs_by_name(f"digest:{ME}")
    assert "not a time of day" in replies[0] and "Usage: /subscribe" in replies[0]
    assert "unknown time zone" in replies[1].lower() and "Usage: /subscribe" in replies[1]
    assert "too many arguments" in replies[2].lower()
    assert "07:30 Africa/Niamey" in replies[3] and "/unsubscribe" in replies[3]
    assert "06:45 Africa/Niamey" in replies[4]  # the zone is kept when only the time changes
    assert "Unsubscribed" in replies[5] and "no daily digest" in replies[6]
    assert not jobs_after and subs.get(ME) is None
    for text in api.sent_texts(ME):
        check_telegram_html(text)


def test_each_forum_topic_holds_its_own_subscription(api: BotAPIStandin, engine: Briefbot,
                                                    subs: SubscriptionStore) -> None:
    forum = group_chat(FORUM, forum=True)

    def command(text: str, topic: int) -> dict:
        n = len(api.sent_texts(FORUM))
        api.send_text(forum, text, topic=topic)
        api.wait_for_messages(FORUM, n + 1)
        return api.calls("sendMessage", FORUM, ok_only=True)[n].params

    with running(api, engine) as bot:
        a = command("/subscribe@briefbot_test_bot 07:30 Africa/Niamey", TOPIC_A)
        b = command("/subscribe@briefbot_test_bot 18:00 Europe/Paris", TOPIC_B)
        assert a["message_thread_id"] == TOPIC_A and "in this topic" in visible_text(a["text"])
        assert b["message_thread_id"] == TOPIC_B
        sub_a, sub_b = subs.get(FORUM, thread_id=TOPIC_A), subs.get(FORUM, thread_id=TOPIC_B)
        assert sub_a is not None and sub_a.describe() == "07:30 Africa/Niamey"
        assert sub_b is not None and sub_b.describe() == "18:00 Europe/Paris"
        assert subs.get(FORUM) is None  # nothing for the chat outside its topics
        assert len(bot.app.job_queue.get_jobs_by_name(f"digest:{FORUM}#{TOPIC_A}")) == 1
        gone = command("/unsubscribe@briefbot_test_bot", TOPIC_B)
        assert "no more daily digests in this topic" in visible_text(gone["text"])
        assert not bot.app.job_queue.get_jobs_by_name(f"digest:{FORUM}#{TOPIC_B}")
    assert subs.get(FORUM, thread_id=TOPIC_B) is None and subs.get(FORUM, thread_id=TOPIC_A) == sub_a


def test_scheduled_digests_go_to_the_topic_they_were_subscribed_in(api: BotAPIStandin, engine: Briefbot,
                                                                   subs: SubscriptionStore) -> None:
    zone = quiet_zone()
    now = datetime.now(zone)
    at = (now + timedelta(seconds=4)).time().replace(microsecond=0)
    for topic in (TOPIC_A, TOPIC_B):  # same chat, same time: two jobs, two digests
        subs.subscribe(FORUM, at, zone.key, now - timedelta(days=1), thread_id=topic)
    with running(api, engine):
        assert api.wait_for(lambda: len(digests_sent(api, FORUM)) == 2, 25)
        assert api.wait_for(lambda: all(getattr(subs.get(FORUM, thread_id=t), "delivered_until", None)
                                        for t in (TOPIC_A, TOPIC_B)), 10)
    texts = [c for c in api.calls("sendMessage", FORUM, ok_only=True) if "Your digest" in c.params["text"]]
    assert sorted(c.params["message_thread_id"] for c in texts) == [TOPIC_A, TOPIC_B]
    photos = api.calls("sendPhoto", FORUM, ok_only=True)
    assert sorted(p.params["message_thread_id"] for p in photos) == [TOPIC_A, TOPIC_B]


def test_a_digest_for_a_deleted_topic_goes_to_the_chat(api: BotAPIStandin, engine: Briefbot,
                                                       subs: SubscriptionStore) -> None:
    zone = quiet_zone()
    now = datetime.now(zone)
    subs.subscribe(FORUM, (now - timedelta(minutes=1)).time().replace(microsecond=0), zone.key,
                   now - timedelta(days=1), thread_id=GONE_TOPIC)
    api.delete_topic(FORUM, GONE_TOPIC)
    with running(api, engine):  # the catch-up pass at start sends it
        assert api.wait_for(lambda: digests_sent(api, FORUM), 20)
        assert api.wait_for(lambda: getattr(subs.get(FORUM, thread_id=GONE_TOPIC), "delivered_until", None), 10)
    refused, chart = api.calls("sendPhoto", FORUM)
    assert (refused.status, refused.params["message_thread_id"]) == (400, GONE_TOPIC)
    assert chart.status == 200 and "message_thread_id" not in chart.params
    # The text follows the chart into the chat, without trying the deleted topic again.
    assert [(c.status, c.params.get("message_thread_id")) for c in api.calls("sendMessage", FORUM)] == [(200, None)]


def test_digest_command_for_a_day_with_chart(api: BotAPIStandin, engine: Briefbot) -> None:
    chat = private_chat(ME)
    with running(api, engine):
        api.send_text(chat, "/digest 2023-08-14")
        api.send_text(chat, "/digest 2999-01-01")
        api.send_text(chat, "/digest 2023-08-13")
        api.send_text(chat, "/digest")
        texts = [visible_text(t) for t in api.wait_for_messages(ME, 4, timeout=20)]
    assert "Digest for 2023-08-14" in texts[0] and "Treason charge" in texts[0]
    assert "in the future" in texts[1]
    assert "Nothing new" in texts[2]
    assert "last 24 hours" in texts[3] and "airspace" in texts[3].lower()
    photos = api.calls("sendPhoto", ME)
    assert len(photos) == 2 and all(p.status == 200 for p in photos)  # none for the empty day
    assert date(2023, 8, 14).isoformat() in photos[0].params.get("caption", "")


def test_chart_bytes_are_a_png(engine: Briefbot) -> None:
    from bot.chart import CHART_HEIGHT, CHART_WIDTH, coverage_chart

    png = coverage_chart([(date(2023, 8, d), d, f"Story {d} <b>&") for d in range(1, 15)], "Coverage $x$")
    assert png.startswith(PNG)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (CHART_WIDTH, CHART_HEIGHT)
