"""BM25 keyword index, derived entirely from what is in the Chroma store.

Built from the stored chunk texts and titles (so it can always be rebuilt from the
store alone) and refreshed when the store's change marker (generation counter, change
token, record count; see `ChunkStore.change_marker`) moves, which is how a process
notices what another process, on this host or another, ingested without restarting.

A built index is cached on disk under the data dir, keyed by the collection's id and
the change marker, in embedded and server mode alike: a new process (a CLI call, a
restarted bot) loads it in a fraction of a second instead of re-reading and
re-tokenising every chunk (about 10 s for 25k chunks on 2 cores, linear in size).

Freshness: after this process's own ingest (`invalidate`) the next `get` rebuilds at
once, so a caller sees what it just wrote. A change made elsewhere is picked up on a
background thread while questions keep using the previous index, so a long ingest in
another process, which moves the marker after every batch, never stalls questions.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .lexicon import lexicon_hash
from .store import ChunkStore
from .terms import idf, terms

log = logging.getLogger(__name__)
CACHE_VERSION = 4  # the cache's layout; 4: per-chunk sources (corpus stats come from the index)


def cache_key() -> dict[str, object]:
    """What a cached index must match besides the store's marker: its layout and its tokens.

    Tokens depend on every word table (`lexicon_hash`): an index built with other tables
    would hold terms that questions no longer produce.
    """
    return {"version": CACHE_VERSION, "lexicon": lexicon_hash()}


@dataclass
class KeywordIndex:
    """A bm25s index over chunks plus the per-chunk columns needed to filter and group."""

    bm25: Any  # a bm25s.BM25 (bm25s has no type hints)
    chunk_ids: list[str]
    doc_ids: list[str]
    days: np.ndarray  # int32 YYYYMMDD per chunk
    langs: np.ndarray  # str per chunk
    sources: np.ndarray  # outlet per chunk
    marker: tuple  # the store's change marker this index was built at
    count: int

    @property
    def size(self) -> int:
        """Number of chunks in the index."""
        return len(self.chunk_ids)

    def document_frequency(self, term: str) -> int:
        """In how many chunks a term occurs (0 if never)."""
        vocab = getattr(self.bm25, "vocab_dict", None) or {}
        if not self.size or term not in vocab:
            return 0
        indptr = self.bm25.scores["indptr"]
        tid = vocab[term]
        return int(indptr[tid + 1] - indptr[tid])

    def idf(self, term: str) -> float:
        """How rare a term is among the chunks (BM25's idf; see `terms.idf`)."""
        return idf(self.document_frequency(term), self.size)

    def search(self, query_terms: list[str], k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k (chunk position, score) for the query terms, masked rows excluded."""
        if not self.size:
            return []
        ids = [self.bm25.vocab_dict[t] for t in query_terms if t in self.bm25.vocab_dict]
        if not ids:
            return []
        scores = self.bm25.get_scores_from_ids(ids)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        k = min(k, self.size)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


def _bm25s():
    """bm25s, imported late (it costs import time) and with its DEBUG logger tamed.

    bm25s sets its own logger to DEBUG at import, so its "Building index" lines would reach
    any terminal that configured logging; our callers decide verbosity, not the library.
    """
    import bm25s

    if logging.getLogger("bm25s").level < logging.WARNING:
        logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


def build_index(store: ChunkStore, marker: tuple) -> KeywordIndex:
    """Read every chunk from the store and index title + text."""
    bm25s = _bm25s()

    chunk_ids: list[str] = []
    doc_ids: list[str] = []
    days: list[int] = []
    langs: list[str] = []
    sources: list[str] = []
    corpus: list[list[str]] = []
    # One string object per distinct term: without this every occurrence is its own string
    # (~60 bytes each) and a rebuild of 240k chunks held ~0.5 GB of duplicate strings.
    shared: dict[str, str] = {}
    for chunk in store.iter_chunks():
        chunk_ids.append(chunk.id)
        doc_ids.append(str(chunk.meta.get("doc_id", chunk.id)))
        days.append(int(chunk.meta.get("day", 0)))
        langs.append(str(chunk.meta.get("lang", "")))
        sources.append(shared.setdefault(str(chunk.meta.get("source", "")), str(chunk.meta.get("source", ""))))
        tokens = terms(f"{chunk.meta.get('title', '')}\n{chunk.text}")
        corpus.append([shared.setdefault(t, t) for t in tokens] or ["\x00"])
    bm25 = bm25s.BM25(k1=1.2, b=0.75)
    if corpus:
        bm25.index(corpus, show_progress=False)
    return KeywordIndex(bm25, chunk_ids, doc_ids, np.array(days, dtype=np.int32), np.array(langs, dtype=object),
                        np.array(sources, dtype=object), tuple(marker), len(chunk_ids))


def _save(index: KeywordIndex, folder: Path) -> None:
    tmp = folder.with_name(folder.name + f".tmp{os.getpid()}-{threading.get_ident()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    index.bm25.save(str(tmp / "bm25"))
    np.save(tmp / "days.npy", index.days)
    (tmp / "columns.json").write_text(json.dumps({
        **cache_key(), "marker": list(index.marker), "count": index.count,
        "chunk_ids": index.chunk_ids, "doc_ids": index.doc_ids, "langs": list(index.langs),
        "sources": list(index.sources)}))
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)  # readers see the old cache or the new one, never half of one


def _load(folder: Path) -> KeywordIndex | None:
    bm25s = _bm25s()

    try:
        columns = json.loads((folder / "columns.json").read_text())
        if any(columns.get(field) != value for field, value in cache_key().items()):
            return None  # another layout or other word tables: rebuild
        bm25 = bm25s.BM25.load(str(folder / "bm25"))
        return KeywordIndex(bm25, columns["chunk_ids"], columns["doc_ids"], np.load(folder / "days.npy"),
                            np.array(columns["langs"], dtype=object), np.array(columns["sources"], dtype=object),
                            tuple(columns["marker"]), columns["count"])
    except (OSError, ValueError, KeyError):
        return None


class KeywordIndexCache:
    """Keeps a KeywordIndex in step with the store; thread-safe.

    Args:
        store: the chunk store it derives from.
        cache_dir: the data dir; the built index is saved under `keyword-cache/<collection id>`
            between processes (None: memory only).
        check_every: seconds between checks of the store's change marker.
    """

    def __init__(self, store: ChunkStore, cache_dir: Path | None, check_every: float = 1.0) -> None:
        self.store = store
        self.cache_dir = cache_dir
        self.check_every = check_every
        self._index: KeywordIndex | None = None
        self._checked = 0.0
        self._must_rebuild = False
        self._lock = threading.Lock()
        self._refresher: threading.Thread | None = None

    def invalidate(self) -> None:
        """This process changed the store: the next `get` brings the index up to date before answering."""
        with self._lock:
            self._checked = 0.0
            self._must_rebuild = True

    def get(self) -> KeywordIndex:
        """The index to search now; the store's change marker is read at most every `check_every` seconds.

        After this process's own write (`invalidate`), or before the first index, it is brought up
        to date before returning; a change made elsewhere is picked up on a background thread
        while the current index keeps answering.
        """
        with self._lock:
            now = time.monotonic()
            if self._index is not None and now - self._checked < self.check_every:
                return self._index
            marker = self.store.change_marker()
            self._checked = now
            current = self._index
            if current is not None and current.marker == marker:
                self._must_rebuild = False
                return current
            if current is not None and not self._must_rebuild:
                # Changed elsewhere: answer from the index we have, refresh behind it.
                self._start_refresh(marker, current)
                return current
            self._index = self._load_or_build(marker)
            self._must_rebuild = False
            return self._index

    def wait_refreshed(self, timeout: float = 60.0) -> None:
        """Block until a background refresh in progress has finished (tests, benchmarks)."""
        refresher = self._refresher
        if refresher is not None:
            refresher.join(timeout)

    def _start_refresh(self, marker: tuple, stale: KeywordIndex) -> None:
        if self._refresher is not None and self._refresher.is_alive():
            return
        self._refresher = threading.Thread(target=self._refresh, args=(marker, stale), name="keyword-refresh",
                                           daemon=True)
        self._refresher.start()

    def _refresh(self, marker: tuple, stale: KeywordIndex) -> None:
        try:
            built = self._load_or_build(marker)
        except Exception as exc:  # store down mid-refresh: keep the old index, retry at the next check
            log.warning("keyword index refresh failed: %s", exc)
            with self._lock:
                self._checked = 0.0
            return
        with self._lock:
            # Only in place of the index it was started to replace: an own write since then wants a
            # fresher, synchronous build (pending, or done already: putting this older one back would
            # hide what was just written until the next refresh).
            if not self._must_rebuild and self._index is stale:
                self._index = built

    def _folder(self) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / "keyword-cache" / self.store.collection_id()

    def _load_or_build(self, marker: tuple) -> KeywordIndex:
        folder = self._folder()
        cached = _load(folder) if folder and folder.exists() else None
        if cached is not None and cached.marker == marker:
            return cached
        started = time.perf_counter()
        built = build_index(self.store, marker)
        log.info("keyword index rebuilt from the store: %d chunks in %.1fs", built.size,
                 time.perf_counter() - started)
        # Saved only if nothing changed while reading: a cache must never claim a marker it does not match.
        if folder is not None and built.size and self.store.change_marker() == marker:
            try:
                _save(built, folder)
            except OSError as exc:  # a read-only data dir still answers, just rebuilds next time
                log.warning("could not cache the keyword index: %s", exc)
        return built
