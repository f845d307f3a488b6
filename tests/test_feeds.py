"""Feed polling against RSS/Atom served on loopback: new items stored, repeats ignored, bad feeds isolated.

One engine for the module (bundled model, Chroma in a temp dir); each test polls its own
feeds from a small HTTP server on 127.0.0.1 whose responses the test controls (a changing
feed, ETag/304, malformed XML, a slow feed that times out, a 500).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from index.config import Settings, split_urls
from index.engine import Briefbot
from index.feeds import FeedPoller

pytestmark = pytest.mark.slow


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    delay: float = 0.0
    etag: str = ""
    hits: int = 0
    conditional_hits: int = 0


@dataclass
class FeedServer:
    """Serves `routes` on 127.0.0.1; honours If-None-Match like a real server."""

    routes: dict[str, Route] = field(default_factory=dict)
    _server: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def start(self) -> FeedServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                route = owner.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                route.hits += 1
                if route.delay:
                    time.sleep(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    route.conditional_hits += 1
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                if route.etag:
                    self.send_header("ETag", route.etag)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                try:
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()


def rss(items: list[tuple[str, str, datetime]], title: str = "Example Wire") -> bytes:
    """An RSS 2.0 document of (title, link, published) items."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><description>{t}. Reported from Niamey by our "
        f"correspondent, with details on what officials said.</description>"
        f"<pubDate>{format_datetime(when)}</pubDate><guid>{link}</guid></item>"
        for t, link, when in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://wire.example.org/</link><description>d</description><language>en</language>"
            f"{entries}</channel></rss>").encode()


NOW = datetime(2023, 8, 14, 12, 0, tzinfo=UTC)
FIRST = [
    ("Niger junta says it will prosecute Bazoum for treason", "https://wire.example.org/treason", NOW),
    ("ECOWAS weighs standby force for Niger", "https://wire.example.org/standby", NOW - timedelta(hours=3)),
]
NEW = ("France to withdraw ambassador from Niger", "https://wire.example.org/ambassador", NOW + timedelta(hours=1))


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Briefbot:
    return Briefbot(Settings(data_dir=tmp_path_factory.mktemp("feeds-data"), _env_file=None))  # type: ignore[call-arg]


@pytest.fixture
def server() -> Iterator[FeedServer]:
    s = FeedServer().start()
    yield s
    s.stop()


def stored_urls(engine: Briefbot) -> list[str]:
    return sorted(str(c.meta["url"]) for c in engine.store.iter_chunks(where={"chunk": 0}))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_new_items_are_stored_and_repeats_ignored(engine: Briefbot, server: FeedServer) -> None:
    server.routes["/wire.xml"] = Route(rss(FIRST))
    server.routes["/tagged.xml"] = Route(rss([NEW]), etag='"v1"')
    clock = Clock()
    poller = FeedPoller(engine, [server.url("/wire.xml"), server.url("/tagged.xml")], interval=60, clock=clock)
    first = poller.poll()
    assert first.fetched == [server.url("/wire.xml"), server.url("/tagged.xml")] and not first.failed
    assert first.added == 3
    assert {"https://wire.example.org/treason", "https://wire.example.org/standby"} <= set(stored_urls(engine))
    doc = next(c for c in engine.store.iter_chunks(where={"chunk": 0})
               if c.meta["url"] == "https://wire.example.org/treason")
    assert doc.meta["feed"] == server.url("/wire.xml") and doc.meta["source"] == "wire.example.org"
    assert doc.meta["date"] == "2023-08-14"

    # Not due yet: nothing is fetched.
    assert poller.poll().fetched == [] and server.routes["/wire.xml"].hits == 1
    # Due again: the same items cost nothing; the ETag'd feed answers 304.
    clock.now += 61
    again = poller.poll()
    assert again.added == 0 and again.ingest is not None and again.ingest.unchanged == 2
    assert again.not_modified == [server.url("/tagged.xml")] and server.routes["/tagged.xml"].conditional_hits == 1

    # The other feed now carries that item too: the same item from two feeds is one document.
    server.routes["/wire.xml"].body = rss([*FIRST, NEW])
    clock.now += 61
    third = poller.poll()
    assert third.added == 0 and third.ingest is not None and third.ingest.unchanged == 3
    assert stored_urls(engine).count(NEW[1]) == 1
    # A new item appears: only it is stored.
    fresh = ("Niger reopens airspace", "https://wire.example.org/reopens", NOW + timedelta(days=1))
    server.routes["/wire.xml"].body = rss([*FIRST, NEW, fresh])
    clock.now += 61
    fourth = poller.poll()
    assert fourth.added == 1 and fourth.ingest is not None and fourth.ingest.unchanged == 3


def test_a_bad_feed_never_stops_the_others(engine: Briefbot, server: FeedServer,
                                           caplog: pytest.LogCaptureFixture) -> None:
    good_item = ("Niger closes airspace", "https://wire.example.org/airspace", NOW)
    server.routes["/good.xml"] = Route(rss([good_item]))
    server.routes["/broken.xml"] = Route(b"<?xml version='1.0'?><rss><channel><title>x</title><item><title>")
    server.routes["/html.xml"] = Route(b"<html><body>Service unavailable</body></html>")
    server.routes["/slow.xml"] = Route(rss(FIRST), delay=3.0)
    server.routes["/error.xml"] = Route(b"oops", status=500)
    urls = [server.url(p) for p in ("/broken.xml", "/slow.xml", "/error.xml", "/missing.xml", "/html.xml",
                                    "/good.xml")]
    clock = Clock()
    poller = FeedPoller(engine, urls, interval=60, timeout=1.0, clock=clock)
    report = poller.poll()
    assert report.fetched == [server.url("/good.xml")] and report.added == 1
    assert set(report.failed) == set(urls) - {server.url("/good.xml")}
    assert "timed out" in report.failed[server.url("/slow.xml")]
    assert "HTTP 500" in report.failed[server.url("/error.xml")]
    assert "HTTP 404" in report.failed[server.url("/missing.xml")]
    assert "malformed" in report.failed[server.url("/broken.xml")] or "no items" in report.failed[
        server.url("/broken.xml")]
    assert "failed" in caplog.text and "retrying in" in caplog.text
    # Failing feeds back off (2x per failure); the healthy one is due on its interval.
    state = poller.feeds[server.url("/error.xml")]
    assert state.failures == 1 and state.next_due == clock.now + 60
    clock.now += 61
    server.routes["/error.xml"] = Route(rss([("Bazoum low on food", "https://wire.example.org/food", NOW)]))
    retry = poller.poll()
    assert server.url("/error.xml") in retry.fetched and retry.added == 1
    assert poller.feeds[server.url("/broken.xml")].failures == 2
    assert poller.feeds[server.url("/broken.xml")].next_due == clock.now + 120


def test_items_without_dates_are_skipped_and_reported(engine: Briefbot, server: FeedServer) -> None:
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            b"<item><title>Undated report from Niamey</title><link>https://wire.example.org/undated</link></item>"
            b"<item><title>Dated report</title><link>https://wire.example.org/dated</link>"
            b"<pubDate>Mon, 14 Aug 2023 10:00:00 GMT</pubDate></item></channel></rss>")
    server.routes["/mixed.xml"] = Route(body)
    report = FeedPoller(engine, [server.url("/mixed.xml")]).poll()
    assert report.added == 1 and any("no publication date" in p.reason for p in report.problems)


def test_feed_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_FEEDS", "https://a.example/rss, https://b.example/atom\nhttps://a.example/rss")
    monkeypatch.setenv("BRIEFBOT_FEED_INTERVAL", "600")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.feed_urls == ["https://a.example/rss", "https://b.example/atom"] and settings.feed_interval == 600
    monkeypatch.setenv("BRIEFBOT_FEEDS", "ftp://nope.example/feed")
    with pytest.raises(ValueError, match="not an http"):
        Settings(_env_file=None)  # type: ignore[call-arg]
    assert split_urls("") == []


def test_validators_survive_a_restart(engine: Briefbot, server: FeedServer, tmp_path) -> None:
    """A restarted poller (a new process) sends the saved ETag and gets 304, not the whole feed again."""
    server.routes["/kept.xml"] = Route(rss([NEW]), etag='"k1"')
    url = server.url("/kept.xml")
    state = tmp_path / "feeds.json"
    FeedPoller(engine, [url], interval=60, clock=Clock(), state_file=state).poll()
    assert server.routes["/kept.xml"].conditional_hits == 0

    restarted = FeedPoller(engine, [url], interval=60, clock=Clock(), state_file=state)
    report = restarted.poll()
    assert report.not_modified == [url] and server.routes["/kept.xml"].conditional_hits == 1

    # An unreadable state file costs one full fetch, nothing else.
    state.write_text("{not json", encoding="utf-8")
    report = FeedPoller(engine, [url], interval=60, clock=Clock(), state_file=state).poll()
    assert report.fetched == [url] and not report.failed
