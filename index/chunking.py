"""Chunking that respects the embedding model's window.

all-MiniLM-L6-v2 reads at most 256 word pieces; llama-index's default 1024-token
chunks would be cut silently, so most of a long document would never reach its vector.
Each chunk is sized in the model's own word pieces, split at sentence boundaries by
llama-index's `SentenceSplitter`, and embedded with the document title in front so
that it stands alone. Chunks do not overlap: joined, they give back the document text,
which is what lets quotes be verified against the store alone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from .embedder import Embedder
from .types import Document

CHUNKER_VERSION = "1"  # part of the content hash: a change here re-embeds everything
MIN_BODY_TOKENS = 64


@dataclass(frozen=True)
class Chunk:
    """One piece of a document's body, the unit that is embedded and stored."""

    doc: Document
    index: int
    text: str  # the chunk of the document body (verbatim, stored in Chroma)
    page: int | None = None  # the page it comes from (paged documents; a chunk never spans two)

    @property
    def id(self) -> str:
        """The chunk's record id in the store: `<doc_id>-<index>`."""
        return f"{self.doc.id}-{self.index}"

    @property
    def embed_text(self) -> str:
        """What the model sees: title, then the chunk."""
        return f"{self.doc.title}\n{self.text}" if self.text else self.doc.title


def content_hash(doc: Document) -> str:
    """Hash of everything that ends up in the store for this document.

    Pages and the date's source count only when set, so documents without them (every feed
    item, every file stored before they existed) keep the hash they always had and an existing
    store re-ingests as unchanged. A date that is only the ingest time is left out: ingesting
    the same undated note tomorrow changes nothing, and it keeps the date it was first stored with.
    """
    h = hashlib.sha1()
    # The feed or file it came through is provenance, not content: the same item from
    # another feed is the same document.
    when = "" if doc.date_source == "ingested" else str(doc.timestamp)
    parts = [CHUNKER_VERSION, doc.title, doc.text, doc.url, when, doc.source, doc.language]
    if doc.pages:
        parts.append("pages " + " ".join(f"{number}:{start}" for number, start in doc.pages))
    if doc.date_source:
        parts.append("dated by " + doc.date_source)
    for part in parts:
        h.update(part.encode("utf-8", "replace"))
        h.update(b"\x1f")
    return h.hexdigest()[:20]


def text_hash(doc: Document) -> str:
    """Hash of a document's title and text alone: the same file saved under two names has one.

    Only documents without a link are compared by it (a link is their identity otherwise), and
    only to find a copy already stored under another id (`Briefbot._plan`).
    """
    h = hashlib.sha1()
    for part in (doc.title, doc.text):
        h.update(part.encode("utf-8", "replace"))
        h.update(b"\x1f")
    return h.hexdigest()[:20]


class Chunker:
    """Splits documents into chunks of at most the model window (title included).

    Args:
        embedder: supplies the tokenizer and the window size.
    """

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    @lru_cache(maxsize=64)  # noqa: B019 - a handful of budgets per process, chunker lives as long
    def _splitter(self, budget: int):
        from llama_index.core.node_parser import SentenceSplitter

        tokenizer = self.embedder.tokenizer
        return SentenceSplitter(
            chunk_size=budget, chunk_overlap=0,
            tokenizer=lambda text: tokenizer.encode(text, add_special_tokens=False).ids,
        )

    def chunk(self, docs: list[Document]) -> list[Chunk]:
        """Chunks of all `docs`, in order; a document with a short body is one chunk.

        A paged document is split page by page, so every chunk lies on one page and carries its number.
        """
        window = self.embedder.max_tokens - 2  # [CLS] and [SEP]
        title_tokens = self.embedder.count_tokens([d.title for d in docs])
        budgets = [max(window - t_len - 1, MIN_BODY_TOKENS) for t_len in title_tokens]
        segments = [(position, page, text) for position, doc in enumerate(docs) for page, text in doc.page_texts]
        segment_tokens = self.embedder.count_tokens([text for _, _, text in segments])
        chunks: list[Chunk] = []
        counts = [0] * len(docs)
        for (position, page, text), length in zip(segments, segment_tokens, strict=True):
            budget = budgets[position]
            if length <= budget:
                pieces = [text] if text.strip() or page is None else []  # an empty body: one title-only chunk
            else:
                # Round the budget down to a multiple of 16 so few splitters are built.
                pieces = [p for p in self._splitter(budget - budget % 16 or MIN_BODY_TOKENS).split_text(text)
                          if p.strip()]
            for piece in pieces:
                chunks.append(Chunk(docs[position], counts[position], piece, page))
                counts[position] += 1
        return chunks
