"""Stories for a window: the items published in it, grouped into stories, ranked and summarised.

    from index import Briefbot
    from index.dates import DigestWindow
    from index.digest import build_digest
    digest = build_digest(Briefbot(), DigestWindow.for_day(date(2023, 8, 7), "UTC"))
    for story in digest.stories:
        print(story.headline, len(story.items), story.outlets)

A crisis day brings the same event from ten outlets. The digest groups those near-duplicate
reports into one story, ranks stories by coverage (distinct outlets, then reports) and
recency, and writes each as a headline (the most central report's title) plus one or two
extractive sentences, citing every item of the story once. Items never appear under two
stories (the grouping is a partition).

How reports are grouped: items with the same title (one outlet's story in several of its
feeds) are one report. Two reports are similar by a blend of three signals:
- their titles' embeddings (a headline names the event most directly),
- their stored chunk embeddings (title + opening text),
- shared terms, weighted by how rare each is in the whole store (the crisis' own vocabulary,
  "Niger", "coup", "junta", counts little) and by how much it bursts in the window against
  the week before ("airspace", "treason", "evacuation" on their days), so that even a report
  that mentions the event in passing finds the others.
Then (the mechanics are in `index.clustering`):
1. average linkage cut at a fixed threshold (a report joins a story only if it is close to
   the story's reports on average, so one broad report cannot chain two events together);
2. groups whose reports share no event words (commentary on the crisis in general) are cut
   again at stricter thresholds, so that a small real event inside them is not lost;
3. reports left alone or in pairs join the story they resemble most on average, if close enough;
4. a story of two or more reports whose every headline names a rare word that is bursting in
   the window joins a bigger story that names it in at least half of its headlines (one event
   in two strands: "Europeans evacuated" and "planes carrying evacuees land in Paris").
Stories rank by distinct outlets (then reports), discounted when their reports are loosely
related or share no event words, with recency as the tie-breaker. The thresholds were set on
a few days and checked on others (bench/digest_check.py); nothing here names a day or an event.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from .clustering import (
    BURST_STRENGTH,
    LINK_THRESHOLD,
    TEXT_CHARS,
    WORDING_REFERENCE,
    IdfTable,
    Report,
    average_linkage,
    burst_weights,
    group_reports,
    mean_pairwise,
    merge_by_headline_term,
    reassign,
    similarity_matrix,
    split_loose,
    term_counts,
)
from .dates import DigestWindow
from .lexicon import BOILERPLATE_PATTERN
from .terms import terms
from .text import one_line, split_sentences, title_key
from .types import DigestItem

if TYPE_CHECKING:
    from .parts import EngineParts

MAX_STORIES = 12
SUMMARY_CHARS = 320  # a second sentence is added only while the summary stays under this
COHESION_REFERENCE = 0.6  # mean similarity of a typical one-event story (airspace, treason, evacuation days)
WORDING_FLOOR = 0.5  # a group whose reports share no event words still counts for half
BURST_DAYS = 7  # the week before the window is what "rare before" means
MAX_WINDOW_ITEMS = 3000  # beyond this a "day" is not a day of one crisis; keep the newest


# --- what comes out ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """Reports of one event: a headline, a short extractive summary and every item, cited once."""

    headline: str
    summary: str
    items: tuple[DigestItem, ...]
    score: float = 0.0

    @property
    def outlets(self) -> list[str]:
        """Distinct outlets, in order of first report."""
        return list(dict.fromkeys(i.source for i in self.items if i.source))

    @property
    def reports(self) -> int:
        """Distinct titles (one outlet's story in several feeds counts once)."""
        return len({title_key(i.title) for i in self.items})

    @property
    def latest_ts(self) -> int:
        """Publication time of the newest item, in seconds since the epoch."""
        return max(i.ts for i in self.items)

    def to_json(self) -> dict[str, Any]:
        """The story's fields of the JSON contract: headline, summary, one citation per item."""
        return {"headline": self.headline, "summary": self.summary, "citations": [i.citation() for i in self.items]}


@dataclass(frozen=True)
class Digest:
    """The stories of a window, best first; `items` counts everything published in it."""

    window: DigestWindow
    stories: tuple[Story, ...]
    items: int
    more: int = 0  # items in stories beyond the ones shown
    per_day: tuple[tuple[date, int, str], ...] = field(default_factory=tuple)  # (day, items, top headline)

    @property
    def empty(self) -> bool:
        """Whether the window has no story."""
        return not self.stories

    def to_json(self) -> dict[str, Any]:
        """The digest's JSON contract: the window's dates and its stories."""
        return {"date_from": self.window.date_from.isoformat(), "date_to": self.window.date_to.isoformat(),
                "stories": [s.to_json() for s in self.stories]}


# --- reading the window ----------------------------------------------------------------------


def window_items(engine: EngineParts, window: DigestWindow) -> list[DigestItem]:
    """Documents published in the window, in the languages answers draw on, oldest first."""
    clauses: list[dict[str, Any]] = [{"ts": {"$gte": window.start_ts}}, {"ts": {"$lt": window.end_ts}},
                                     {"chunk": 0}]
    languages = list(engine.settings.language_list)
    if languages:
        clauses.append({"lang": {"$in": languages}})
    items = []
    for chunk in engine.store.iter_chunks(where={"$and": clauses}):
        meta = chunk.meta
        ts = int(meta.get("ts") or 0)
        items.append(DigestItem(
            doc_id=str(meta.get("doc_id", "")), chunk_id=chunk.id, title=one_line(str(meta.get("title", ""))),
            url=str(meta.get("url", "")), date=window.local_date(ts).isoformat(),
            source=str(meta.get("source", "")), ts=ts, text=chunk.text))
    items.sort(key=lambda i: (i.ts, i.doc_id))
    return items[-MAX_WINDOW_ITEMS:]


# --- ranking and writing -------------------------------------------------------------------------


def _coverage_score(items: Sequence[DigestItem], rows: Sequence[int], sim: np.ndarray, term_sim: np.ndarray,
                    window: DigestWindow) -> float:
    """How big a story is: distinct outlets first, then reports, discounted when the reports are not one event.

    Two discounts, both 1 for a typical one-event story: overall cohesion (mean similarity of
    its reports) and shared wording (mean similarity of their rare terms). A loose group of
    commentary on the crisis in general ("a litmus test for democracy", "the West's failing
    policy") can gather as many outlets as the day's event, but its reports share no event
    words, so it ranks below the event that outlets reported in the same words. Recency breaks ties.
    """
    outlets = len({i.source for i in items})
    span = max(window.end_ts - window.start_ts, 1)
    recency = min(max((max(i.ts for i in items) - window.start_ts) / span, 0.0), 1.0)
    block = np.ix_(rows, rows)
    cohesion = min(1.0, mean_pairwise(sim[block]) / COHESION_REFERENCE)
    wording = max(WORDING_FLOOR, min(1.0, mean_pairwise(term_sim[block]) / WORDING_REFERENCE))
    return (outlets + 0.25 * (len(rows) - 1)) * cohesion * wording + 0.5 * recency


def _central(rows: Sequence[int], sim: np.ndarray) -> list[int]:
    """Rows ordered by mean similarity to the rest of the cluster (the most representative first)."""
    if len(rows) == 1:
        return list(rows)
    block = sim[np.ix_(rows, rows)]
    mean = (block.sum(axis=1) - 1.0) / (len(rows) - 1)
    return [rows[i] for i in np.argsort(-mean, kind="stable")]


_BOILERPLATE = re.compile(BOILERPLATE_PATTERN, re.I)


def _summary(order: Sequence[int], reports: Sequence[Report], headline: str, idf: IdfTable) -> str:
    """One or two sentences from the story's reports that best cover its shared terms."""
    story_terms: Counter[str] = Counter()
    for row in order:
        story_terms.update(set(term_counts(reports[row].lead)))
    weight = {t: n * idf(t) for t, n in story_terms.items() if n >= 2 or len(order) == 1}
    head_key = title_key(headline)
    candidates: list[tuple[float, int, str, set[str]]] = []
    for rank, row in enumerate(order[:5]):
        text = reports[row].lead.text[:TEXT_CHARS * 2]
        for sentence in split_sentences(text):
            sentence = one_line(sentence)
            if not 40 <= len(sentence) <= 360 or _BOILERPLATE.search(sentence) or title_key(sentence) == head_key:
                continue
            if sentence.endswith(("...", "…")) or sentence[-1] not in ".!?\"'”’)":
                continue  # cut off by the feed: not a sentence to quote
            found = set(terms(sentence))
            cover = sum(weight.get(t, 0.0) for t in found)
            score = cover / math.sqrt(max(len(found), 4)) - 0.15 * rank
            candidates.append((score, rank, sentence, found))
    if not candidates:
        return _opening(order, reports, head_key)
    candidates.sort(key=lambda c: -c[0])
    best = candidates[0]
    summary = best[2]
    for score, _, sentence, found in candidates[1:]:
        new = {t for t in found - best[3] if weight.get(t, 0.0) > 0}
        if score > 0 and len(new) >= 3 and len(summary) + 1 + len(sentence) <= SUMMARY_CHARS:
            summary = f"{summary} {sentence}"
            break
    return summary


def _opening(order: Sequence[int], reports: Sequence[Report], head_key: str) -> str:
    """When no whole sentence qualifies: the start of the first report that has text, marked as cut."""
    for row in order:
        text = one_line(reports[row].lead.text)
        if len(text) >= 40 and title_key(text) != head_key and not _BOILERPLATE.search(text[:200]):
            return text if len(text) <= 240 else text[:240].rsplit(" ", 1)[0] + " …"
    return ""


def cluster_stories(engine: EngineParts, items: Sequence[DigestItem], window: DigestWindow,
                    idf: IdfTable | None = None, write: bool = True,
                    burst: dict[str, float] | None = None, summaries: int = MAX_STORIES) -> list[Story]:
    """All stories of `items`, best first (every item in exactly one story).

    Only the first `summaries` stories get a summary (the rest are not shown). With
    `write=False` none does and titles are not embedded (a cheaper pass for the chart's
    per-day top stories).
    """
    reports = group_reports(items)
    if not reports:
        return []
    idf = idf or IdfTable(engine)
    sim, term_sim = similarity_matrix(engine, reports, idf, titles=write, burst=burst)
    ranked: list[tuple[float, int, str, list[int], list[DigestItem]]] = []
    clusters = split_loose(average_linkage(sim, LINK_THRESHOLD), sim, term_sim)
    for rows in merge_by_headline_term(reassign(clusters, sim), reports, sim, idf, burst or {}):
        order = _central(rows, sim)
        members = sorted((item for row in order for item in reports[row].items), key=lambda i: (i.ts, i.doc_id))
        headline = reports[order[0]].lead.title
        score = _coverage_score(members, rows, sim, term_sim, window)
        ranked.append((score, max(i.ts for i in members), headline, order, members))
    ranked.sort(key=lambda r: (-r[0], -r[1], r[2]))
    stories = []
    for rank, (score, _, headline, order, members) in enumerate(ranked):
        summary = _summary(order, reports, headline, idf) if write and rank < summaries else ""
        stories.append(Story(headline, summary, tuple(members), score))
    return stories


# --- the digest --------------------------------------------------------------------------------------


def build_digest(engine: EngineParts, window: DigestWindow, *, max_stories: int = MAX_STORIES,
                 chart_days: int = 0, now: datetime | None = None) -> Digest:
    """The stories of `window`, best first, at most `max_stories` of them.

    Args:
        engine: the store and model to read from.
        window: publication-time span and the time zone its days are read in.
        max_stories: how many stories to write out (the rest are counted in `more`).
        chart_days: also count items per day, with each day's top story, over the last
            `chart_days` days of the window (for the coverage chart).
        now: the current time (for refusing future windows; tests pass a fixed clock).

    Raises:
        DigestError: the window starts in the future.
    """
    window.check_not_future(now)
    items = window_items(engine, window)
    idf = IdfTable(engine) if items else None
    burst = None
    if items and BURST_STRENGTH > 0:
        before = DigestWindow(window.start - timedelta(days=BURST_DAYS), window.start, window.tz)
        burst = burst_weights(items, window_items(engine, before))
    stories = cluster_stories(engine, items, window, idf, burst=burst, summaries=max_stories) if items else []
    # Singletons on a busy day are usually side pieces; keep them only while there is room.
    shown = stories[:max_stories]
    more = sum(len(s.items) for s in stories[max_stories:])
    per_day: tuple[tuple[date, int, str], ...] = ()
    if chart_days:
        counted = coverage_by_day(engine, window, chart_days, idf)
        if window.date_from == window.date_to and stories and counted:
            # The chart's last bar is this digest's day: annotate it with this digest's top story.
            day, n, _ = counted[-1]
            counted[-1] = (day, n, stories[0].headline)
        per_day = tuple(counted)
    return Digest(window, tuple(shown), len(items), more, per_day)


def coverage_by_day(engine: EngineParts, window: DigestWindow, days: int = 14,
                    idf: IdfTable | None = None) -> list[tuple[date, int, str]]:
    """(day, items, top headline) for each of the last `days` local days of the window."""
    last = window.date_to
    first = last - timedelta(days=max(days, 1) - 1)
    out = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        day_window = DigestWindow.for_day(day, window.tz)
        items = window_items(engine, day_window)
        headline = ""
        if items:
            idf = idf or IdfTable(engine)
            stories = cluster_stories(engine, items, day_window, idf, write=False)
            headline = stories[0].headline if stories else ""
        out.append((day, len(items), headline))
    return out
