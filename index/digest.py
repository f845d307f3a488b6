"""Stories for a window: the items published in it, grouped into stories, ranked and summarised.

    from index import Briefbot
    from index.digest import build_digest, DigestWindow
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
Then:
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
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from .dates import DigestWindow
from .terms import cosine_idf, matched, terms
from .text import one_line, split_sentences, title_key

if TYPE_CHECKING:
    from .engine import Briefbot

MAX_STORIES = 12
TITLE_WEIGHT = 0.4  # blend of the three similarities (they sum to 1)
BODY_WEIGHT = 0.3
TERM_WEIGHT = 0.3
LINK_THRESHOLD = 0.45  # average-linkage cut: reports at least this similar on average are one story
ATTACH_THRESHOLD = 0.42  # a report of a small group joins the story it resembles most on average, if this close
TEXT_CHARS = 700  # opening text used for terms and summaries: feed descriptions, a story's lead
SUMMARY_CHARS = 320  # a second sentence is added only while the summary stays under this
COHESION_REFERENCE = 0.6  # mean similarity of a typical one-event story (airspace, treason, evacuation days)
WORDING_REFERENCE = 0.15  # mean rare-term similarity of such a story (commentary groups: 0.02-0.06)
WORDING_FLOOR = 0.5  # a group whose reports share no event words still counts for half
BURST_STRENGTH = 1.0  # extra term weight per doubling of a term's share over the week before
BURST_CAP = 4.0  # ... up to this multiple of its usual weight
BURST_DAYS = 7  # the week before the window is what "rare before" means
HEADLINE_TERM_IDF = 2.0  # "rare" for step 4: in at most ~15 % of the store's chunks ("coup", "junta" are not)
HEADLINE_SHARE = 0.5  # ... named in at least this share of the bigger story's headlines
HEADLINE_MIN_SIM = 0.3  # ... and the two stories not unrelated on average
MAX_WINDOW_ITEMS = 3000  # beyond this a "day" is not a day of one crisis; keep the newest


# --- what comes out ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestItem:
    """One stored document published in the window (its first chunk)."""

    doc_id: str
    chunk_id: str
    title: str
    url: str
    date: str  # local YYYY-MM-DD in the window's time zone
    source: str
    ts: int
    text: str  # the opening of the document (first chunk)

    def citation(self) -> dict[str, str]:
        """The item as a story's citation in the JSON contract."""
        return {"title": self.title, "url": self.url, "date": self.date, "source": self.source}


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


def window_items(engine: Briefbot, window: DigestWindow) -> list[DigestItem]:
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


# --- similarity and clustering ---------------------------------------------------------------


@dataclass
class _Report:
    """Items sharing one title; clustered as one."""

    items: list[DigestItem]

    @property
    def lead(self) -> DigestItem:
        return self.items[0]


def _group_reports(items: Sequence[DigestItem]) -> list[_Report]:
    reports: dict[str, _Report] = {}
    for item in items:
        key = title_key(item.title) or item.doc_id
        if key in reports:
            reports[key].items.append(item)
        else:
            reports[key] = _Report([item])
    return list(reports.values())


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-9)


class _IdfTable:
    """Inverse document frequency over the whole store (the keyword index's counts)."""

    def __init__(self, engine: Briefbot) -> None:
        self._index = engine.keywords.get()
        self._n = max(int(self._index.size), 1)
        self._cache: dict[str, float] = {}

    def __call__(self, term: str) -> float:
        value = self._cache.get(term)
        if value is None:
            value = cosine_idf(self._index.document_frequency(term), self._n)
            self._cache[term] = value
        return value


def _term_counts(item: DigestItem) -> Counter[str]:
    counts: Counter[str] = Counter()
    # The title says what the report is about; the opening text backs it up.
    for term in terms(item.title):
        counts[term] += 2
    for term in terms(item.text[:TEXT_CHARS]):
        counts[term] += 1
    return counts


def _term_matrix(reports: Sequence[_Report], idf: _IdfTable,
                 burst: dict[str, float] | None = None) -> tuple[np.ndarray, list[Counter[str]]]:
    counts = [_term_counts(r.lead) for r in reports]
    vocab = {t: i for i, t in enumerate(sorted({t for c in counts for t in c}))}
    matrix = np.zeros((len(reports), max(len(vocab), 1)), dtype=np.float32)
    burst = burst or {}
    for row, c in enumerate(counts):
        for term, n in c.items():
            matrix[row, vocab[term]] = (1.0 + math.log(n)) * idf(term) * burst.get(term, 1.0)
    return _unit_rows(matrix), counts


def burst_weights(items: Sequence[DigestItem], background: Sequence[DigestItem]) -> dict[str, float]:
    """Extra weight for the window's bursting terms: frequent now, rare in the days before.

    The day's event announces itself in words that were rare the week before and are suddenly
    in many reports ("airspace", "treason", "evacuation"), often even in reports about
    something else. Weighting them up lets every report of the event find the others, while
    words that are common every day of a crisis ("junta", "Niger") keep their weight.
    """
    def doc_freq(rows: Sequence[DigestItem]) -> tuple[Counter[str], int]:
        seen: set[str] = set()
        df: Counter[str] = Counter()
        for item in rows:
            key = title_key(item.title)
            if key in seen:
                continue
            seen.add(key)
            df.update(set(_term_counts(item)))
        return df, len(seen)

    now, n_now = doc_freq(items)
    before, n_before = doc_freq(background)
    weights = {}
    for term, df in now.items():
        if df < 2:
            continue
        ratio = ((df + 0.5) / (n_now + 1)) / ((before[term] + 0.5) / (n_before + 1))
        if ratio > 1.0:
            weights[term] = min(1.0 + BURST_STRENGTH * math.log2(ratio), BURST_CAP)
    return weights


class TitleVectors:
    """Embeddings of titles, computed once per process (a daily digest re-reads yesterday's days)."""

    def __init__(self, limit: int = 50_000) -> None:
        self._vectors: dict[str, np.ndarray] = {}
        self._limit = limit
        self._lock = threading.Lock()

    def get(self, engine: Briefbot, titles: Sequence[str]) -> np.ndarray:
        """One float32 vector per title, in order; only titles not seen before are encoded.

        The cache is emptied whenever it would grow past its limit.
        """
        with self._lock:
            missing = list(dict.fromkeys(t for t in titles if t not in self._vectors))
        if missing:
            encoded = np.asarray(engine.embedder.encode(missing), dtype=np.float32)
            with self._lock:
                if len(self._vectors) + len(missing) > self._limit:
                    self._vectors.clear()
                self._vectors.update(zip(missing, encoded, strict=True))
        with self._lock:
            return np.array([self._vectors[t] for t in titles], dtype=np.float32)


_TITLES = TitleVectors()


def similarity_matrix(engine: Briefbot, reports: Sequence[_Report], idf: _IdfTable, titles: bool = True,
                      burst: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise similarity of reports in [0, 1] (titles, bodies and shared rare terms blended), and the terms' part.

    With `titles=False` (the per-day counts of the chart) the title weight goes to the stored
    body vectors, so no text has to be embedded.
    """
    leads = [r.lead for r in reports]
    stored = engine.store.embeddings([i.chunk_id for i in leads])
    dim = len(next(iter(stored.values()))) if stored else 0
    body = np.array([stored.get(i.chunk_id, np.zeros(dim)) for i in leads], dtype=np.float32)
    body = _unit_rows(body) if dim else np.zeros((len(leads), 1), dtype=np.float32)
    term_rows, _ = _term_matrix(reports, idf, burst)
    term_sim = term_rows @ term_rows.T
    sim = TERM_WEIGHT * term_sim
    if titles:
        title_rows = _unit_rows(_TITLES.get(engine, [i.title or i.text[:200] for i in leads]))
        sim += TITLE_WEIGHT * (title_rows @ title_rows.T) + BODY_WEIGHT * (body @ body.T)
    else:
        sim += (TITLE_WEIGHT + BODY_WEIGHT) * (body @ body.T)
    sim = np.clip((sim + sim.T) / 2.0, 0.0, 1.0)
    np.fill_diagonal(sim, 1.0)
    return sim, term_sim


def average_linkage(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Clusters of row indices: merge the two closest clusters while their mean similarity >= threshold."""
    n = sim.shape[0]
    if n == 0:
        return []
    if n == 1:
        return [[0]]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    distance = 1.0 - sim
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    clusters: dict[int, list[int]] = {}
    for row, label in enumerate(labels):
        clusters.setdefault(int(label), []).append(row)
    return list(clusters.values())


def _split_loose(clusters: list[list[int]], sim: np.ndarray, term_sim: np.ndarray,
                 threshold: float = LINK_THRESHOLD) -> list[list[int]]:
    """Re-cut, at a stricter threshold, groups whose reports share no event words.

    Average linkage can gather a day's commentary on the crisis in general into one group
    (similar in tone, different in substance), and a small real event inside it is then lost.
    A group of three or more whose rare-term similarity is under half that of a one-event
    story is clustered again with the threshold raised by 0.05, until its parts hold together
    or the threshold reaches 0.65.
    """
    out: list[list[int]] = []
    for rows in clusters:
        block = np.ix_(rows, rows)
        if len(rows) < 3 or _mean_pairwise(term_sim[block]) >= WORDING_REFERENCE / 2 or threshold >= 0.65:
            out.append(rows)
            continue
        parts = average_linkage(sim[block], threshold + 0.05)
        subclusters = [[rows[i] for i in part] for part in parts]
        out.extend(_split_loose(subclusters, sim, term_sim, threshold + 0.05) if len(parts) > 1
                   else subclusters)
    return out


def _reassign(clusters: list[list[int]], sim: np.ndarray, rounds: int = 3) -> list[list[int]]:
    """Move each report to the story it resembles most on average, or leave it alone below ATTACH_THRESHOLD.

    The linkage cut is strict so that stories do not chain; a report that mentions the event
    among other things (an evacuation in a wider piece) is then often left alone or paired
    with a neighbour. Here every report of a small group (one or two reports) may join the
    story whose reports it is closest to on average, when that closeness reaches
    ATTACH_THRESHOLD; stories of three or more keep their members. A few rounds, until stable.
    """
    n = sim.shape[0]
    labels = np.empty(n, dtype=int)
    for label, rows in enumerate(clusters):
        labels[rows] = label
    sizes = np.bincount(labels, minlength=len(clusters)).astype(float)
    # sums[r, c]: total similarity of report r to the reports of cluster c, kept up to date as
    # reports move (one column update per move), so a day of thousands of reports stays fast.
    order = np.argsort(labels, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(labels[order]) != 0])
    sums = np.add.reduceat(sim[:, order], starts, axis=1)
    for _ in range(rounds):
        moved = False
        for row in range(n):
            own = labels[row]
            if sizes[own] > 2:
                continue
            others = sizes.copy()
            totals = sums[row].copy()
            others[own] -= 1
            totals[own] -= sim[row, row]
            means = np.where(others >= 2, totals / np.maximum(others, 1), -1.0)
            means[own] = -1.0
            best = int(np.argmax(means))
            if means[best] >= ATTACH_THRESHOLD:
                sums[:, own] -= sim[:, row]
                sums[:, best] += sim[:, row]
                sizes[own] -= 1
                sizes[best] += 1
                labels[row] = best
                moved = True
        if not moved:
            break
    out: dict[int, list[int]] = {}
    for row, label in enumerate(labels):
        out.setdefault(int(label), []).append(row)
    return list(out.values())


def _merge_by_headline_term(clusters: list[list[int]], reports: Sequence[_Report], sim: np.ndarray,
                            idf: _IdfTable, burst: dict[str, float]) -> list[list[int]]:
    """Join a story to a bigger one when all its headlines name the rare word the bigger one is about.

    Average linkage compares whole stories, so an event reported in two strands ("foreign
    nationals evacuated", "first planes carrying evacuees land in Paris") can stay apart when
    each strand is tight and the two differ in their other words. Headlines name the event: if
    every headline of a story (two or more reports) carries a word that is rare in the store
    and bursting in the window, and at least half the headlines of a bigger story carry it
    too, they are one story. Singletons are left to `_reassign` (one headline sharing a word
    is weak evidence); the burst condition keeps a store's everyday words ("junta" in a store
    of general news, where it is rare) from merging anything.
    """
    titles = [set(terms(r.lead.title)) for r in reports]
    order = sorted(range(len(clusters)), key=lambda c: -len(clusters[c]))
    merged: dict[int, int] = {}  # cluster -> the cluster it joined
    for small in order[::-1]:
        rows = clusters[small]
        if len(rows) < 2:
            continue
        shared = set.intersection(*(titles[r] for r in rows))
        words = [t for t in shared if idf(t) >= HEADLINE_TERM_IDF and burst.get(t, 1.0) > 1.0]
        best, best_sim = None, HEADLINE_MIN_SIM
        for big in order:
            if big == small or big in merged or len(clusters[big]) < len(rows):
                continue
            big_rows = clusters[big]
            if not any(sum(matched(w, titles[r]) for r in big_rows) >= HEADLINE_SHARE * len(big_rows)
                       for w in words):
                continue
            mean = float(sim[np.ix_(rows, big_rows)].mean())
            if mean >= best_sim:
                best, best_sim = big, mean
        if best is not None:
            merged[small] = best
    if not merged:
        return clusters

    def root(c: int) -> int:
        while c in merged:
            c = merged[c]
        return c

    out: dict[int, list[int]] = {}
    for c, rows in enumerate(clusters):
        out.setdefault(root(c), []).extend(rows)
    return list(out.values())


# --- ranking and writing -------------------------------------------------------------------------


def _mean_pairwise(block: np.ndarray) -> float:
    n = block.shape[0]
    return float((block.sum() - np.trace(block)) / (n * (n - 1))) if n > 1 else 1.0


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
    cohesion = min(1.0, _mean_pairwise(sim[block]) / COHESION_REFERENCE)
    wording = max(WORDING_FLOOR, min(1.0, _mean_pairwise(term_sim[block]) / WORDING_REFERENCE))
    return (outlets + 0.25 * (len(rows) - 1)) * cohesion * wording + 0.5 * recency


def _central(rows: Sequence[int], sim: np.ndarray) -> list[int]:
    """Rows ordered by mean similarity to the rest of the cluster (the most representative first)."""
    if len(rows) == 1:
        return list(rows)
    block = sim[np.ix_(rows, rows)]
    mean = (block.sum(axis=1) - 1.0) / (len(rows) - 1)
    return [rows[i] for i in np.argsort(-mean, kind="stable")]


_BOILERPLATE = re.compile(r"sign up|newsletter|click here|subscribe|read more|continue reading|©|getty images"
                          r"|photograph:|in today's|the post .{0,300} appeared first", re.I)


def _summary(order: Sequence[int], reports: Sequence[_Report], headline: str, idf: _IdfTable) -> str:
    """One or two sentences from the story's reports that best cover its shared terms."""
    story_terms: Counter[str] = Counter()
    for row in order:
        story_terms.update(set(_term_counts(reports[row].lead)))
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


def _opening(order: Sequence[int], reports: Sequence[_Report], head_key: str) -> str:
    """When no whole sentence qualifies: the start of the first report that has text, marked as cut."""
    for row in order:
        text = one_line(reports[row].lead.text)
        if len(text) >= 40 and title_key(text) != head_key and not _BOILERPLATE.search(text[:200]):
            return text if len(text) <= 240 else text[:240].rsplit(" ", 1)[0] + " …"
    return ""


def cluster_stories(engine: Briefbot, items: Sequence[DigestItem], window: DigestWindow,
                    idf: _IdfTable | None = None, write: bool = True,
                    burst: dict[str, float] | None = None, summaries: int = MAX_STORIES) -> list[Story]:
    """All stories of `items`, best first (every item in exactly one story).

    Only the first `summaries` stories get a summary (the rest are not shown). With
    `write=False` none does and titles are not embedded (a cheaper pass for the chart's
    per-day top stories).
    """
    reports = _group_reports(items)
    if not reports:
        return []
    idf = idf or _IdfTable(engine)
    sim, term_sim = similarity_matrix(engine, reports, idf, titles=write, burst=burst)
    ranked: list[tuple[float, int, str, list[int], list[DigestItem]]] = []
    clusters = _split_loose(average_linkage(sim, LINK_THRESHOLD), sim, term_sim)
    for rows in _merge_by_headline_term(_reassign(clusters, sim), reports, sim, idf, burst or {}):
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


def build_digest(engine: Briefbot, window: DigestWindow, *, max_stories: int = MAX_STORIES,
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
    idf = _IdfTable(engine) if items else None
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


def coverage_by_day(engine: Briefbot, window: DigestWindow, days: int = 14,
                    idf: _IdfTable | None = None) -> list[tuple[date, int, str]]:
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
            idf = idf or _IdfTable(engine)
            stories = cluster_stories(engine, items, day_window, idf, write=False)
            headline = stories[0].headline if stories else ""
        out.append((day, len(items), headline))
    return out
