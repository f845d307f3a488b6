"""The engine's value types: documents in, hits and answers out.

Plain frozen dataclasses so they print, compare and serialise without ceremony;
`to_json()` gives exactly the fields of the CLI's JSON contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .conversation import Turn


@dataclass(frozen=True)
class Document:
    """One source document (a file, or one item of a feed) before chunking.

    `id` is stable for the same input: derived from the item's link, or from the
    file's path when it has none, so re-ingesting replaces instead of duplicating.
    """

    id: str
    title: str
    text: str
    url: str
    date: date | None
    source: str  # outlet or file name, for display
    language: str  # ISO 639-1 code, lower case ("en", "pl")
    feed: str = ""  # where it came from: feed URL or file path
    published: datetime | None = None  # publication time, UTC (a bare date: its midnight)

    @property
    def date_str(self) -> str:
        """The date as YYYY-MM-DD, or "" when unknown."""
        return self.date.isoformat() if self.date else ""

    @property
    def timestamp(self) -> int:
        """Publication time in seconds since the epoch (0 when unknown)."""
        return int(self.published.timestamp()) if self.published else 0


@dataclass(frozen=True)
class Problem:
    """An input that was skipped, and why (reported, never raised)."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class IngestReport:
    """What one ingest did: counts for the progress line, problems by name."""

    seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    chunks_embedded: int = 0
    chunks_reused: int = 0  # chunks whose text was already encoded in this ingest (syndicated copies)
    problems: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether any document was added or updated."""
        return bool(self.added or self.updated)


@dataclass(frozen=True)
class Hit:
    """One retrieved document with the chunk texts that matched and its fused score."""

    doc_id: str
    title: str
    url: str
    date: str  # YYYY-MM-DD or ""
    source: str
    language: str
    score: float
    passages: tuple[str, ...]  # matched chunk texts, best first
    similarity: float = 0.0  # cosine of the question and the document's closest chunk

    def to_json(self) -> dict:
        """The hit's fields of the JSON contract (score rounded to 4 places)."""
        return {"title": self.title, "url": self.url, "date": self.date, "score": round(self.score, 4)}


@dataclass(frozen=True)
class Citation:
    """A numbered source behind an answer, with the exact quote it rests on."""

    n: int
    title: str
    url: str
    date: str
    source: str
    quote: str
    doc_id: str = ""  # the cited document's id in the store (verification and `:show` go by it)

    def to_json(self) -> dict:
        """The citation's fields of the JSON contract."""
        return {"n": self.n, "title": self.title, "url": self.url, "date": self.date,
                "source": self.source, "quote": self.quote}


@dataclass(frozen=True)
class Answer:
    """An answer with `[n]` markers resolving to `citations`, or an abstention."""

    question: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...]
    retrieved: tuple[Hit, ...]
    elapsed_ms: float = 0.0
    since: str = ""
    until: str = ""
    resolved_question: str = ""  # the standalone question searched ("" = the question itself)
    turn: Turn | None = None  # what a conversation remembers of this answer (`Conversation.after`)
    answerer: str = "extractive"  # who wrote it: "extractive" or "llm" (index.llm_answer)
    fallback_reason: str = ""  # why the model's answer was not used ("" = it was, or none was asked for)
    dropped: tuple[str, ...] = ()  # the model's sentences verification dropped, each with why (REPL `:why`)

    @property
    def searched(self) -> str:
        """The question that was searched: the resolved one, or the question as asked."""
        return self.resolved_question or self.question

    @property
    def used_context(self) -> bool:
        """Whether the question was resolved against earlier turns of a conversation."""
        return self.searched != self.question

    def to_json(self, id: str | None = None) -> dict:
        """The answer's JSON contract, led by `id` when given; at most 10 retrieved hits."""
        out: dict = {}
        if id is not None:
            out["id"] = id
        out.update({
            "question": self.question,
            "resolved_question": self.searched,
            "answer": self.answer,
            "abstained": self.abstained,
            "answerer": self.answerer,
            "citations": [c.to_json() for c in self.citations],
            "retrieved": [h.to_json() for h in self.retrieved[:10]],
            "elapsed_ms": round(self.elapsed_ms, 1),
        })
        if self.fallback_reason:
            out["fallback_reason"] = self.fallback_reason
        if self.since:
            out["since"] = self.since
        if self.until:
            out["until"] = self.until
        return out


@dataclass
class CorpusStats:
    """What the store holds: counts, languages, date range, outlets, and where it is."""

    documents: int = 0
    chunks: int = 0
    languages: dict[str, int] = field(default_factory=dict)
    date_from: str = ""
    date_to: str = ""
    sources: list[tuple[str, int]] = field(default_factory=list)
    location: str = ""


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
