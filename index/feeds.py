"""Polling RSS/Atom feeds: new material arrives by itself.

    poller = FeedPoller(engine, ["https://www.aljazeera.com/xml/rss/all.xml"])
    report = poller.poll()          # fetch the feeds that are due, store what is new

Each due feed is fetched over HTTP (conditional GET: an unchanged feed answers 304 and costs
nothing), parsed with `index.sources.parse_feed_text` and stored through
`Briefbot.ingest_documents`, so the rules are those of `briefbot ingest`: an item seen before
with the same content is not embedded again, a changed item replaces its old version, and
the same item in two feeds (same link) is stored once.

A feed that fails (timeout, HTTP error, oversized or malformed XML) is logged and retried
later with a growing back-off; it never stops the other feeds. Only the writer lock can stop
a poll (another process is ingesting): then nothing is stored and everything is retried at
the next poll. With a `state_file` the validators (ETag, Last-Modified) survive a restart,
so a restarted bot is answered 304 too.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .config import split_urls
from .errors import FeedError
from .sources import parse_feed_text
from .types import Document, IngestReport, Problem

if TYPE_CHECKING:
    from .engine import Briefbot

log = logging.getLogger(__name__)

USER_AGENT = "briefbot-feed-poller/0.1 (+https://github.com/)"
MAX_BACKOFF_S = 6 * 3600.0  # a feed that keeps failing is still tried a few times a day


@dataclass
class FeedState:
    """What the poller remembers about one feed between polls (the validators also on disk, if asked)."""

    url: str
    etag: str = ""
    last_modified: str = ""
    failures: int = 0
    next_due: float = 0.0
    last_error: str = ""
    items_seen: int = 0


@dataclass
class PollReport:
    """What one poll did: per feed outcome, and the ingest of everything fetched."""

    fetched: list[str] = field(default_factory=list)
    not_modified: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    ingest: IngestReport | None = None

    @property
    def added(self) -> int:
        """Documents the poll stored for the first time."""
        return self.ingest.added if self.ingest else 0

    @property
    def updated(self) -> int:
        """Stored documents the poll replaced with a changed version."""
        return self.ingest.updated if self.ingest else 0

    def summary(self) -> str:
        """One line of counts: feeds fetched, unchanged and failed; documents new, changed, already stored."""
        ingest = self.ingest or IngestReport()
        return (f"{len(self.fetched)} fetched, {len(self.not_modified)} unchanged, {len(self.failed)} failed; "
                f"{ingest.added} new, {ingest.updated} changed, {ingest.unchanged} already stored")


class FeedPoller:
    """Polls a fixed list of feeds and stores what is new.

    Args:
        engine: where documents go (`Briefbot.ingest_documents`).
        urls: the feeds.
        interval: seconds between two polls of a healthy feed.
        timeout: seconds one fetch may take (connect and read).
        clock: monotonic clock (tests pass their own).
        state_file: JSON file keeping each feed's ETag / Last-Modified across restarts
            (None: in memory only; a restart then fetches every feed in full once).
    """

    def __init__(self, engine: Briefbot, urls: Sequence[str], *, interval: float = 900.0, timeout: float = 20.0,
                 clock: Callable[[], float] = time.monotonic, state_file: Path | None = None) -> None:
        self.engine = engine
        self.interval = interval
        self.timeout = timeout
        self.max_bytes = int(engine.settings.max_file_mb * 1_000_000)
        self._clock = clock
        self.feeds = {url: FeedState(url) for url in split_urls(" ".join(urls))}
        self.state_file = state_file
        self._load_validators()
        # One poll at a time: a poll job that overruns its interval must not start a second writer.
        self._lock = threading.Lock()

    def due(self) -> list[FeedState]:
        """The feeds whose next poll time has come."""
        now = self._clock()
        return [state for state in self.feeds.values() if state.next_due <= now]

    def poll(self, force: bool = False) -> PollReport:
        """Fetch every due feed (all with `force`), then store their items in one ingest.

        Raises:
            BriefbotError: the store could not take the items (locked by another writer,
                unavailable); nothing was lost: the same items are fetched again next time.
        """
        report = PollReport()
        if not self._lock.acquire(blocking=False):
            log.info("a feed poll is already running; skipping this one")
            return report
        try:
            docs: list[Document | Problem] = []
            validators: dict[str, tuple[str, str]] = {}
            for state in list(self.feeds.values()) if force else self.due():
                try:
                    fetched = self._fetch(state)
                except FeedError as exc:
                    self._failed(state, str(exc), report)
                    continue
                except Exception as exc:  # a bug in one feed's handling must not stop the others
                    log.exception("feed %s: unexpected error", state.url)
                    self._failed(state, f"{type(exc).__name__}: {exc}", report)
                    continue
                if fetched is None:
                    report.not_modified.append(state.url)
                    self._succeeded(state)
                    continue
                text, etag, last_modified = fetched
                items = list(parse_feed_text(text, where=state.url, feed=state.url))
                found = [i for i in items if isinstance(i, Document)]
                problems = [i for i in items if isinstance(i, Problem)]
                report.problems.extend(problems)
                if not found and problems:
                    # Nothing usable (malformed XML, an HTML error page): a failure, retried later.
                    self._failed(state, problems[0].reason, report)
                    continue
                for problem in problems:
                    log.info("feed %s: skipped %s", state.url, problem)
                state.items_seen = len(found)
                report.fetched.append(state.url)
                validators[state.url] = (etag, last_modified)
                docs.extend(found)
            if docs:
                report.ingest = self.engine.ingest_documents(docs)
                log.info("feeds polled: %s", report.summary())
            # Only now is the feed's content stored: remember its validators, so that the next
            # fetch may answer 304. (Remembered before a failed ingest, a 304 would lose the items.)
            for url, (etag, last_modified) in validators.items():
                state = self.feeds[url]
                state.etag, state.last_modified = etag, last_modified
                self._succeeded(state)
            if validators:
                self._save_validators()
            return report
        finally:
            self._lock.release()

    def _load_validators(self) -> None:
        if self.state_file is None or not self.state_file.exists():
            return
        try:
            saved = json.loads(self.state_file.read_text(encoding="utf-8"))
            for url, state in self.feeds.items():
                entry = saved.get(url) or {}
                state.etag, state.last_modified = str(entry.get("etag", "")), str(entry.get("last_modified", ""))
        except (OSError, ValueError, AttributeError) as exc:
            # Only an optimisation is lost: every feed is fetched in full once.
            log.warning("feed state %s unreadable (%s); fetching every feed in full", self.state_file, exc)

    def _save_validators(self) -> None:
        """Write the validators atomically (a kill mid-write leaves the old file, never half a file)."""
        if self.state_file is None:
            return
        data = {url: {"etag": s.etag, "last_modified": s.last_modified} for url, s in self.feeds.items()
                if s.etag or s.last_modified}
        try:
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.state_file.with_name(self.state_file.name + ".tmp")
            tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
            os.replace(tmp, self.state_file)
        except OSError as exc:
            log.warning("could not save feed state to %s (%s)", self.state_file, exc)

    def _succeeded(self, state: FeedState) -> None:
        state.failures = 0
        state.last_error = ""
        state.next_due = self._clock() + self.interval

    def _failed(self, state: FeedState, reason: str, report: PollReport) -> None:
        state.failures += 1
        state.last_error = reason
        # Back off a failing feed (2x per failure, capped) so a dead host is not hammered.
        delay = min(self.interval * 2 ** (state.failures - 1), max(MAX_BACKOFF_S, self.interval))
        state.next_due = self._clock() + delay
        report.failed[state.url] = reason
        log.warning("feed %s failed (%s); retrying in %.0f s", state.url, reason, delay)

    def _fetch(self, state: FeedState) -> tuple[str, str, str] | None:
        """(text, ETag, Last-Modified) of the feed, or None if the server says it has not changed."""
        import httpx

        headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml, "
                                                          "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        # httpx's timeout bounds each network operation; a server trickling bytes needs a total deadline.
        deadline = time.monotonic() + self.timeout
        try:
            with httpx.Client(timeout=self.timeout, follow_redirects=True, max_redirects=5) as client, \
                    client.stream("GET", state.url, headers=headers) as response:
                if response.status_code == 304:
                    return None
                if response.status_code >= 400:
                    raise FeedError(f"HTTP {response.status_code}")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > self.max_bytes:
                        raise FeedError(f"larger than {self.max_bytes / 1e6:.1f} MB")
                    if time.monotonic() > deadline:
                        raise FeedError(f"timed out after {self.timeout:g} s")
                encoding = response.encoding or "utf-8"
                etag = response.headers.get("ETag", "")
                last_modified = response.headers.get("Last-Modified", "")
        except httpx.TimeoutException:
            raise FeedError(f"timed out after {self.timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise FeedError(f"{type(exc).__name__}: {exc}") from None
        if not body.strip():
            raise FeedError("empty response")
        try:
            text = bytes(body).decode(encoding, errors="replace")
        except LookupError:
            text = bytes(body).decode("utf-8", errors="replace")
        return text, etag, last_modified
