"""The engine's value types: documents in, hits and answers out.

Plain frozen dataclasses so they print, compare and serialise without ceremony;
`to_json()` gives exactly the fields of the CLI's JSON contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Literal


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
    # Fetched from its own link (`ingest_urls`): the page itself, never replaced by a feed's summary of it.
    from_link: bool = False
    # Paged documents (PDF): (page number, offset in `text` where that page's text starts), in
    # order; pages without text are left out. Empty for documents without pages.
    pages: tuple[tuple[int, int], ...] = ()
    # Where the date came from when a loader had to look for it: "text", "metadata", "filename",
    # or "ingested" (none found: the ingest time, flagged to readers). "" = the source's own date field.
    date_source: str = ""

    @property
    def page_texts(self) -> list[tuple[int | None, str]]:
        """(page number, text) of each page, in order; one (None, text) for an unpaged document."""
        if not self.pages:
            return [(None, self.text)]
        ends = [start for _, start in self.pages[1:]] + [len(self.text)]
        return [(number, self.text[start:end].strip()) for (number, start), end in zip(self.pages, ends, strict=True)]

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


@dataclass(frozen=True, slots=True)  # slots: a 224k-item ingest keeps one per item (~50 MB, not ~60)
class StoredDocument:
    """One document an ingest stored, or found stored already: what a per-document reply shows."""

    doc_id: str
    title: str
    date: str  # YYYY-MM-DD or ""
    chunks: int  # passages it is stored as
    status: Literal["added", "updated", "unchanged"]
    pages: int = 0  # pages of a paged document (PDF); 0 when it has none


@dataclass(frozen=True)
class Note:
    """A document that was stored, with something worth saying about it (not an error)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class IngestReport:
    """What one ingest did: counts for the progress line, problems by name, each document stored."""

    seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    chunks_embedded: int = 0
    chunks_reused: int = 0  # chunks whose text was already encoded in this ingest (syndicated copies)
    problems: list[Problem] = field(default_factory=list)
    # In input order, repeats of one id once; filled when the ingest is asked to list documents.
    stored: list[StoredDocument] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # stored, with something a reader should know

    @property
    def changed(self) -> bool:
        """Whether any document was added or updated."""
        return bool(self.added or self.updated)

    def plus(self, other: IngestReport) -> IngestReport:
        """The counts and problems of two ingests together (files, then links, say)."""
        return IngestReport(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


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
    pages: tuple[int | None, ...] = ()  # the page of each passage (same order), None where unpaged
    date_source: str = ""  # as `Document.date_source`; "ingested" is shown to readers
    chunk_ids: tuple[str, ...] = ()  # the stored chunks behind `passages` (a follow-up fetches them again)

    @property
    def paged(self) -> bool:
        """Whether the document has pages (a PDF), so its citations name one."""
        return any(p is not None for p in self.pages)

    def page_of(self, quote: str) -> int | None:
        """The page of the passage holding `quote` (whitespace aside); None when no passage holds it."""
        wanted = " ".join(quote.split())
        for passage, page in zip(self.passages, self.pages, strict=False):
            if page is not None and wanted and wanted in " ".join(passage.split()):
                return page
        return None

    def citation_page(self, quotes: Sequence[str]) -> int | None:
        """The page a citation of these quotes names: that of the first quote found in a passage.

        None for an unpaged document. A paged document's title alone is cited on page 1, where a
        report's title stands.
        """
        if not self.paged:
            return None
        return next((p for p in map(self.page_of, quotes) if p is not None), 1)

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
    page: int | None = None  # the page the quote is on, for paged documents (PDF)
    date_source: str = ""  # "ingested": the document printed no date; `date` is when it was ingested

    @property
    def date_flagged(self) -> bool:
        """Whether `date` is only the ingest date (the document gave none)."""
        return self.date_source == "ingested"

    def to_json(self) -> dict:
        """The citation's fields of the JSON contract; `page` and `date_source` only when they apply."""
        out: dict = {"n": self.n, "title": self.title, "url": self.url, "date": self.date,
                     "source": self.source, "quote": self.quote}
        if self.page is not None:
            out["page"] = self.page
        if self.date_flagged:
            out["date_source"] = self.date_source
        return out


@dataclass(frozen=True)
class Turn:
    """One question of a conversation (`index.conversation`), as asked and as searched, and the names its answer gave.

    Attributes:
        question: the words the user typed.
        resolved: the standalone question that was searched.
        subject: the names (or topic) the resolved question is about.
        answer_names: names the answer quoted that the question did not give (who it turned out to be).
        topic: the question's trailing topic phrase ("after the coup"), carried into follow-ups.
        at: when it was asked (seconds, the caller's clock).
        sources: the documents its answer cited, best first: a follow-up is searched in them too.
        said: the sentences its answer quoted: a follow-up asks for something else.
    """

    question: str
    resolved: str
    subject: str = ""
    answer_names: tuple[str, ...] = ()
    topic: str = ""
    at: float = 0.0
    sources: tuple[Hit, ...] = ()
    said: tuple[str, ...] = ()


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
