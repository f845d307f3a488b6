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

    @property
    def id(self) -> str:
        """The chunk's record id in the store: `<doc_id>-<index>`."""
        return f"{self.doc.id}-{self.index}"

    @property
    def embed_text(self) -> str:
        """What the model sees: title, then the chunk."""
        return f"{self.doc.title}\n{self.text}" if self.text else self.doc.title


def content_hash(doc: Document) -> str:
    """Hash of everything that ends up in the store for this document."""
    h = hashlib.sha1()
    # The feed or file it came through is provenance, not content: the same item from
    # another feed is the same document.
    for part in (CHUNKER_VERSION, doc.title, doc.text, doc.url, str(doc.timestamp), doc.source, doc.language):
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
        """Chunks of all `docs`, in order; a document with a short body is one chunk."""
        window = self.embedder.max_tokens - 2  # [CLS] and [SEP]
        title_tokens = self.embedder.count_tokens([d.title for d in docs])
        body_tokens = self.embedder.count_tokens([d.text for d in docs])
        chunks: list[Chunk] = []
        for doc, t_len, b_len in zip(docs, title_tokens, body_tokens, strict=True):
            budget = max(window - t_len - 1, MIN_BODY_TOKENS)
            if b_len <= budget:
                chunks.append(Chunk(doc, 0, doc.text))
                continue
            # Round the budget down to a multiple of 16 so few splitters are built.
            pieces = self._splitter(budget - budget % 16 or MIN_BODY_TOKENS).split_text(doc.text)
            chunks.extend(Chunk(doc, i, piece) for i, piece in enumerate(p for p in pieces if p.strip()))
        return chunks
