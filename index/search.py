"""Hybrid retrieval: dense (Chroma) + BM25 (keyword index), fused by reciprocal rank.

Ranks are taken per document (a document's best chunk stands for it), so the fused
list holds each document once; reports of one story syndicated under the same title
are folded into the first of them. Date windows and languages filter both retrievers;
questions asking for "the latest" get a recency-aware order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from .dates import day_number
from .embedder import Embedder
from .keyword import KeywordIndex, KeywordIndexCache
from .outlets import named_sources
from .questions import profile_question, query_terms
from .store import ChunkStore, StoredChunk
from .terms import capital_country
from .text import title_key
from .types import Hit

RRF_K = 5  # far below the usual 60: a first place in one retriever must count (short news items;
# chosen on the dev set and confirmed on a blind question set, bench/extra-questions.jsonl)
CANDIDATES = 50  # chunks fetched from each retriever before fusion
# A follow-up is most often answered by the report that answered the turn before it ("how many
# of them are operating?" after "how many mines does Orano have?"): those documents are fused
# as a third ranked list, weighted like the dense one (bench/followup_eval.py).
CONTEXT_WEIGHT = 1.0

_RECENCY = re.compile(r"\b(latest|newest|most recent|recent(ly)?|last|current(ly)?|now|today|this week|update)\b", re.I)


@dataclass(frozen=True)
class Window:
    """Inclusive date window (either end open) and the languages to draw on (empty = all)."""

    since: date | None = None
    until: date | None = None
    languages: tuple[str, ...] = ()

    def where(self) -> dict | None:
        """The same window as a Chroma metadata filter."""
        clauses: list[dict] = []
        if self.since:
            clauses.append({"day": {"$gte": day_number(self.since)}})
        if self.until:
            clauses.append({"day": {"$lte": day_number(self.until)}})
        if self.languages:
            clauses.append({"lang": {"$in": list(self.languages)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def mask(self, days: np.ndarray, langs: np.ndarray) -> np.ndarray | None:
        """The same window as a boolean row mask over the keyword index."""
        mask = None
        if self.since:
            mask = days >= day_number(self.since)
        if self.until:
            upper = days <= day_number(self.until)
            mask = upper if mask is None else mask & upper
        if self.languages:
            allowed = np.isin(langs, list(self.languages))
            mask = allowed if mask is None else mask & allowed
        return mask

    def admits(self, hit: Hit) -> bool:
        """Whether a retrieved document lies in the window (an undated one only in an open window)."""
        if self.languages and hit.language not in self.languages:
            return False
        if not hit.date:
            return not (self.since or self.until)
        return (not self.since or hit.date >= self.since.isoformat()) \
            and (not self.until or hit.date <= self.until.isoformat())


def wants_recent(question: str) -> bool:
    """Whether a question asks for recent news ("latest", "now", "this week", ...)."""
    return bool(_RECENCY.search(question))


class HybridSearcher:
    """Finds the documents most likely to answer a question.

    Args:
        store: chunks and vectors.
        keywords: keyword index kept in step with the store.
        embedder: encodes the question.
    """

    def __init__(self, store: ChunkStore, keywords: KeywordIndexCache, embedder: Embedder,
                 dense_weight: float = 1.0, keyword_weight: float = 2.0, rrf_k: int = RRF_K,
                 context_weight: float = CONTEXT_WEIGHT) -> None:
        self.store = store
        self.keywords = keywords
        self.embedder = embedder
        self.dense_weight = dense_weight
        self.keyword_weight = keyword_weight
        self.rrf_k = rrf_k
        self.context_weight = context_weight
        # The distinct sources of the last keyword index seen (a new index is a new object).
        self._sources: tuple[KeywordIndex | None, set[str]] = (None, set())

    def search(self, question: str, window: Window = Window(), k: int = 10,
               candidates: int = CANDIDATES, carried: Sequence[Hit] = ()) -> list[Hit]:
        """Up to k documents, best first, each once, from `candidates` chunks of each retriever.

        `carried` are the documents the conversation's last answer cited, best first: a
        follow-up's context. They rank as a third retriever's list.
        """
        # A capital in a question stands for its government ("Washington's top diplomat"): search
        # for the country, as reports name it, not for every mention of the city.
        qterms = [capital_country(t) or t for t in query_terms(question)]
        vector = self.embedder.encode_query(question)
        index = self.keywords.get()
        mask = window.mask(index.days, index.langs)
        # A date window: the keyword index knows which chunks are in it, and a dense search
        # restricted to their ids is far cheaper than Chroma's metadata filter (ChunkStore.query).
        within = [index.chunk_ids[row] for row in np.flatnonzero(mask)] \
            if mask is not None and (window.since or window.until) else None
        dense = self.store.query(vector, candidates, window.where(), within=within)
        keyword_rows = index.search(qterms, candidates, mask)
        keyword_ids = [index.chunk_ids[row] for row, _ in keyword_rows]
        # "According to the Times of India": that outlet's own reports are searched too, and their
        # ranking counts as much as both main ones together: the question all but names the report.
        outlet_dense, outlet_keyword_ids = self._search_outlets(question, index, vector, qterms, window, mask,
                                                                candidates)
        known = {c.id: c for c, _ in [*dense, *outlet_dense]}
        fetched = {c.id: c for c in self.store.get_chunks(
            list(dict.fromkeys(i for i in [*keyword_ids, *outlet_keyword_ids] if i not in known)))}
        keyword_chunks = [known.get(i) or fetched.get(i) for i in keyword_ids]
        outlet_ranked = self._fused([c for c, _ in outlet_dense],
                                    [c for c in (known.get(i) or fetched.get(i) for i in outlet_keyword_ids) if c])

        scores: dict[str, float] = {}
        passages: dict[str, list[StoredChunk]] = {}
        for weight, ranked in ((self.dense_weight, [c for c, _ in dense]),
                               (self.keyword_weight, [c for c in keyword_chunks if c is not None]),
                               (self.dense_weight + self.keyword_weight, outlet_ranked)):
            rank = 0
            seen: set[str] = set()
            for chunk in ranked:
                doc_id = str(chunk.meta.get("doc_id"))
                bucket = passages.setdefault(doc_id, [])
                if all(c.id != chunk.id for c in bucket):
                    bucket.append(chunk)
                if doc_id in seen:
                    continue
                seen.add(doc_id)
                rank += 1
                scores[doc_id] = scores.get(doc_id, 0.0) + weight / (self.rrf_k + rank)
        self._fuse_carried(carried, window, scores, passages)

        similarity: dict[str, float] = {}
        for chunk, sim in [*dense, *outlet_dense]:
            doc_id = str(chunk.meta.get("doc_id"))
            similarity[doc_id] = max(similarity.get(doc_id, -1.0), sim)
        ordered = sorted(scores, key=lambda d: -scores[d])
        if wants_recent(question):
            ordered = _recency_order(ordered, scores, passages)
        # Keyword-only documents get their similarity from stored vectors (no model call):
        # the answerer weighs it when deciding whether the evidence is on topic.
        missing = [passages[d][0].id for d in ordered[: k + 5] if d not in similarity]
        for cid, emb in self.store.embeddings(missing).items():
            doc_id = cid.rsplit("-", 1)[0]
            similarity[doc_id] = float(np.dot(np.asarray(emb, dtype=np.float32), np.asarray(vector, dtype=np.float32)))
        hits: list[Hit] = []
        titles: set[str] = set()
        for doc_id in ordered:
            chunks = passages[doc_id]
            meta = chunks[0].meta
            key = title_key(str(meta.get("title", "")))
            if key and key in titles:
                continue
            titles.add(key)
            hits.append(Hit(doc_id=doc_id, title=str(meta.get("title", "")), url=str(meta.get("url", "")),
                            date=str(meta.get("date", "")), source=str(meta.get("source", "")),
                            language=str(meta.get("lang", "")), score=scores[doc_id],
                            passages=tuple(c.text for c in chunks), similarity=similarity.get(doc_id, 0.0),
                            pages=tuple(chunk_page(c) for c in chunks),
                            date_source=str(meta.get("date_source", "")), chunk_ids=tuple(c.id for c in chunks)))
            if len(hits) >= k:
                break
        return hits

    def _fused(self, dense: list[StoredChunk], keyword: list[StoredChunk]) -> list[StoredChunk]:
        """One ranked list of chunks out of a dense and a keyword one, by the same weighted reciprocal rank."""
        score: dict[str, float] = {}
        chunks: dict[str, StoredChunk] = {}
        for weight, ranked in ((self.dense_weight, dense), (self.keyword_weight, keyword)):
            for rank, chunk in enumerate(ranked, 1):
                score[chunk.id] = score.get(chunk.id, 0.0) + weight / (self.rrf_k + rank)
                chunks[chunk.id] = chunk
        return [chunks[i] for i in sorted(score, key=lambda i: -score[i])]

    def _search_outlets(self, question: str, index: KeywordIndex, vector: list[float], qterms: list[str],
                        window: Window, mask: np.ndarray | None, candidates: int
                        ) -> tuple[list[tuple[StoredChunk, float]], list[str]]:
        """Dense and keyword results among the reports of the outlets the question names, if it names any."""
        if self._sources[0] is not index:
            self._sources = (index, {str(s) for s in np.unique(index.sources)})
        outlets = named_sources(profile_question(question, index).key_names, self._sources[1])
        if not outlets:
            return [], []
        rows = np.isin(index.sources, sorted(outlets))
        if mask is not None:
            rows &= mask
        ids = [index.chunk_ids[row] for row in np.flatnonzero(rows)]
        if not ids:
            return [], []
        dense = self.store.query(vector, candidates, window.where(), within=ids)
        return dense, [index.chunk_ids[row] for row, _ in index.search(qterms, candidates, rows)]

    def _fuse_carried(self, carried: Sequence[Hit], window: Window, scores: dict[str, float],
                      passages: dict[str, list[StoredChunk]]) -> None:
        """Adds the conversation's documents to the fused scores, fetching the chunks not retrieved again."""
        carried = [h for h in carried if window.admits(h) and h.chunk_ids]
        missing = [cid for h in carried if h.doc_id not in passages for cid in h.chunk_ids]
        for chunk in self.store.get_chunks(missing):  # a document deleted since is simply gone
            passages.setdefault(str(chunk.meta.get("doc_id")), []).append(chunk)
        for rank, hit in enumerate((h for h in carried if h.doc_id in passages), 1):
            scores[hit.doc_id] = scores.get(hit.doc_id, 0.0) + self.context_weight / (self.rrf_k + rank)


def chunk_page(chunk: StoredChunk) -> int | None:
    """The page a stored chunk lies on, or None for a document without pages."""
    page = chunk.meta.get("page")
    return int(page) if page is not None else None


def _recency_order(ordered: list[str], scores: dict[str, float], passages: dict[str, list[StoredChunk]]) -> list[str]:
    """Among the clearly relevant documents (top 20 by fused score), newest first."""
    head, tail = ordered[:20], ordered[20:]
    if not head:
        return ordered
    best = scores[head[0]]
    relevant = [d for d in head if scores[d] >= 0.6 * best]
    rest = [d for d in head if d not in relevant]
    relevant.sort(key=lambda d: str(passages[d][0].meta.get("date", "")), reverse=True)
    return relevant + rest + tail
