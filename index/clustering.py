"""Grouping a window's reports into stories: similarity of reports and the clustering steps.

The method is described in `index.digest`'s docstring (the three similarity signals and the
four steps); this module holds the mechanics, `index.digest` the reading, ranking and writing.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .terms import cosine_idf, matched, terms
from .text import title_key
from .types import DigestItem

if TYPE_CHECKING:
    from .parts import EngineParts

TITLE_WEIGHT = 0.4  # blend of the three similarities (they sum to 1)
BODY_WEIGHT = 0.3
TERM_WEIGHT = 0.3
LINK_THRESHOLD = 0.45  # average-linkage cut: reports at least this similar on average are one story
ATTACH_THRESHOLD = 0.42  # a report of a small group joins the story it resembles most on average, if this close
TEXT_CHARS = 700  # opening text used for terms and summaries: feed descriptions, a story's lead
BURST_STRENGTH = 1.0  # extra term weight per doubling of a term's share over the week before
BURST_CAP = 4.0  # ... up to this multiple of its usual weight
HEADLINE_TERM_IDF = 2.0  # "rare" for step 4: in at most ~15 % of the store's chunks ("coup", "junta" are not)
HEADLINE_SHARE = 0.5  # ... named in at least this share of the bigger story's headlines
HEADLINE_MIN_SIM = 0.3  # ... and the two stories not unrelated on average
WORDING_REFERENCE = 0.15  # mean rare-term similarity of a typical one-event story (commentary groups: 0.02-0.06)




@dataclass
class Report:
    """Items sharing one title; clustered as one."""

    items: list[DigestItem]

    @property
    def lead(self) -> DigestItem:
        """The first item: the one whose text and title stand for the report."""
        return self.items[0]


def group_reports(items: Sequence[DigestItem]) -> list[Report]:
    """Items grouped by title (one outlet's story in several of its feeds is one report), in order."""
    reports: dict[str, Report] = {}
    for item in items:
        key = title_key(item.title) or item.doc_id
        if key in reports:
            reports[key].items.append(item)
        else:
            reports[key] = Report([item])
    return list(reports.values())


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-9)


class IdfTable:
    """Inverse document frequency over the whole store (the keyword index's counts)."""

    def __init__(self, engine: EngineParts) -> None:
        self._index = engine.keywords.get()
        self._n = max(int(self._index.size), 1)
        self._cache: dict[str, float] = {}

    def __call__(self, term: str) -> float:
        """The term's smoothed idf (`terms.cosine_idf`), cached."""
        value = self._cache.get(term)
        if value is None:
            value = cosine_idf(self._index.document_frequency(term), self._n)
            self._cache[term] = value
        return value


def term_counts(item: DigestItem) -> Counter[str]:
    """A report's terms, counted: title terms twice, terms of the opening text once."""
    counts: Counter[str] = Counter()
    # The title says what the report is about; the opening text backs it up.
    for term in terms(item.title):
        counts[term] += 2
    for term in terms(item.text[:TEXT_CHARS]):
        counts[term] += 1
    return counts


def _term_matrix(reports: Sequence[Report], idf: IdfTable,
                 burst: dict[str, float] | None = None) -> tuple[np.ndarray, list[Counter[str]]]:
    counts = [term_counts(r.lead) for r in reports]
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
            df.update(set(term_counts(item)))
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

    def get(self, engine: EngineParts, titles: Sequence[str]) -> np.ndarray:
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


def similarity_matrix(engine: EngineParts, reports: Sequence[Report], idf: IdfTable, titles: bool = True,
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


def split_loose(clusters: list[list[int]], sim: np.ndarray, term_sim: np.ndarray,
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
        if len(rows) < 3 or mean_pairwise(term_sim[block]) >= WORDING_REFERENCE / 2 or threshold >= 0.65:
            out.append(rows)
            continue
        parts = average_linkage(sim[block], threshold + 0.05)
        subclusters = [[rows[i] for i in part] for part in parts]
        out.extend(split_loose(subclusters, sim, term_sim, threshold + 0.05) if len(parts) > 1
                   else subclusters)
    return out


def reassign(clusters: list[list[int]], sim: np.ndarray, rounds: int = 3) -> list[list[int]]:
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


def merge_by_headline_term(clusters: list[list[int]], reports: Sequence[Report], sim: np.ndarray,
                            idf: IdfTable, burst: dict[str, float]) -> list[list[int]]:
    """Join a story to a bigger one when all its headlines name the rare word the bigger one is about.

    Average linkage compares whole stories, so an event reported in two strands ("foreign
    nationals evacuated", "first planes carrying evacuees land in Paris") can stay apart when
    each strand is tight and the two differ in their other words. Headlines name the event: if
    every headline of a story (two or more reports) carries a word that is rare in the store
    and bursting in the window, and at least half the headlines of a bigger story carry it
    too, they are one story. Singletons are left to `reassign` (one headline sharing a word
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


def mean_pairwise(block: np.ndarray) -> float:
    """Mean similarity of distinct pairs in a square block (1 for a single report)."""
    n = block.shape[0]
    return float((block.sum() - np.trace(block)) / (n * (n - 1))) if n > 1 else 1.0
