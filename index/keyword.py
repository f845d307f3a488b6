"""BM25 keyword index, derived entirely from what is in the Chroma store.

Built from the stored chunk texts and titles (so it can always be rebuilt from the
store alone), cached on disk under the data dir, and refreshed when the store's
`generation` counter or record count moves, which is how a process notices what
another process ingested without restarting.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .store import ChunkStore
from .textutil import terms

log = logging.getLogger(__name__)
CACHE_VERSION = 2


@dataclass
class KeywordIndex:
    """A bm25s index over chunks plus the per-chunk columns needed to filter and group."""

    bm25: object  # bm25s.BM25
    chunk_ids: list[str]
    doc_ids: list[str]
    days: np.ndarray  # int32 YYYYMMDD per chunk
    langs: np.ndarray  # str per chunk
    generation: int
    count: int

    @property
    def size(self) -> int:
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
        n = max(self.size, 1)
        df = self.document_frequency(term)
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

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


def build_index(store: ChunkStore, generation: int) -> KeywordIndex:
    """Read every chunk from the store and index title + text."""
    import bm25s

    chunk_ids: list[str] = []
    doc_ids: list[str] = []
    days: list[int] = []
    langs: list[str] = []
    corpus: list[list[str]] = []
    for chunk in store.iter_chunks():
        chunk_ids.append(chunk.id)
        doc_ids.append(str(chunk.meta.get("doc_id", chunk.id)))
        days.append(int(chunk.meta.get("day", 0)))
        langs.append(str(chunk.meta.get("lang", "")))
        corpus.append(terms(f"{chunk.meta.get('title', '')}\n{chunk.text}") or ["\x00"])
    bm25 = bm25s.BM25(k1=1.2, b=0.75)
    if corpus:
        bm25.index(corpus, show_progress=False)
    return KeywordIndex(bm25, chunk_ids, doc_ids, np.array(days, dtype=np.int32), np.array(langs, dtype=object),
                        generation, len(chunk_ids))


def _save(index: KeywordIndex, folder: Path) -> None:
    tmp = folder.with_name(folder.name + f".tmp{threading.get_ident()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    index.bm25.save(str(tmp / "bm25"))
    np.save(tmp / "days.npy", index.days)
    (tmp / "columns.json").write_text(json.dumps({
        "version": CACHE_VERSION, "generation": index.generation, "count": index.count,
        "chunk_ids": index.chunk_ids, "doc_ids": index.doc_ids, "langs": list(index.langs)}))
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)  # readers see the old cache or the new one, never half of one


def _load(folder: Path) -> KeywordIndex | None:
    import bm25s

    try:
        columns = json.loads((folder / "columns.json").read_text())
        if columns.get("version") != CACHE_VERSION:
            return None
        bm25 = bm25s.BM25.load(str(folder / "bm25"))
        return KeywordIndex(bm25, columns["chunk_ids"], columns["doc_ids"], np.load(folder / "days.npy"),
                            np.array(columns["langs"], dtype=object), columns["generation"], columns["count"])
    except (OSError, ValueError, KeyError):
        return None


class KeywordIndexCache:
    """Keeps a KeywordIndex in step with the store; thread-safe.

    Args:
        store: the chunk store it derives from.
        cache_dir: where the built index is saved between processes (None: memory only).
        check_every: seconds between checks of the store's generation counter.
    """

    def __init__(self, store: ChunkStore, cache_dir: Path | None, check_every: float = 1.0) -> None:
        self.store = store
        self.cache_dir = cache_dir
        self.check_every = check_every
        self._index: KeywordIndex | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        with self._lock:
            self._checked = 0.0

    def get(self) -> KeywordIndex:
        with self._lock:
            now = time.monotonic()
            if self._index is not None and now - self._checked < self.check_every:
                return self._index
            generation, count = self.store.generation(), self.store.count()
            self._checked = now
            current = self._index
            if current is not None and (current.generation, current.count) == (generation, count):
                return current
            folder = self.cache_dir / "keyword" if self.cache_dir else None
            cached = _load(folder) if folder and folder.exists() else None
            if cached is not None and (cached.generation, cached.count) == (generation, count):
                self._index = cached
                return cached
            started = time.perf_counter()
            built = build_index(self.store, generation)
            log.info("keyword index rebuilt from the store: %d chunks in %.1fs", built.size,
                     time.perf_counter() - started)
            if folder is not None and built.size and built.count == self.store.count():
                try:
                    _save(built, folder)
                except OSError as exc:  # a read-only data dir still answers, just rebuilds next time
                    log.warning("could not cache the keyword index: %s", exc)
            self._index = built
            return built
