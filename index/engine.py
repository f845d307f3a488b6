"""`Briefbot`: the engine behind every surface, usable from a notebook.

    from index import Briefbot
    bb = Briefbot()                       # settings from env / .env
    bb.ingest([Path("seeds")])
    print(bb.ask("What did the EU suspend?").answer)

It wires settings, embedder, Chroma store, keyword index, hybrid search and the
extractive answerer together (or, with `BRIEFBOT_ANSWERER=llm`, the model answerer of
`index.llm_answer`, which falls back to the extractive one). Reads are thread-safe (the
Telegram bot calls `ask` from worker threads); writes take the data dir's writer lock in
embedded mode.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from .answer import QUOTE_JOINER, Answerer, ExtractiveAnswerer, abstain
from .briefing import Briefing, Kind, briefing_request, build_briefing
from .chunking import Chunk, Chunker, content_hash, text_hash
from .config import DEFAULT_DESK, Settings, desk_name
from .conversation import NEEDS_SUBJECT, Conversation, Rewriter, turn_for
from .dates import check_window, iso_day
from .desk_profile import Desk
from .embedder import Embedder
from .errors import EmptyStoreError, QuestionError
from .keyword import KeywordIndexCache
from .prefetch import Prefetch
from .rule_rewriter import RuleRewriter, answer_names
from .search import HybridSearcher, Window, chunk_page
from .sources import LoadOptions, doc_id_for, load_path, load_paths
from .store import ChunkStore, WriterLock
from .text import typed_text
from .types import Answer, CorpusStats, Document, Hit, IngestReport, Note, Problem, StoredDocument

if TYPE_CHECKING:
    from concurrent.futures import Future

INGEST_BATCH = 512  # documents per embed + write round: big enough for the model, small enough to resume




class Briefbot:
    """The briefing engine.

    Args:
        settings: configuration; default reads the environment and `.env`. `settings.desk`
            picks the desk (the collection) it works on; `index.desks.Desks.open` also
            applies the desk's own languages, feeds and time zone.
        answerer: how answers are written; default from `settings.answerer` (extractive unless "llm").
        embedder: a loaded model to share (several desks in one process need it once).
        desk: the desk's profile, when the caller has read it.
    """

    def __init__(self, settings: Settings | None = None, answerer: Answerer | None = None,
                 embedder: Embedder | None = None, desk: Desk | None = None) -> None:
        self.settings = settings or Settings()
        self.desk = desk or Desk(desk_name(self.settings))
        self.embedder = embedder or Embedder(self.settings.embed_model, self.settings.device,
                                             self.settings.batch_size, self.settings.precision)
        self.store = ChunkStore(self.settings, self.embedder.name)
        # The keyword-index cache is keyed by collection id, so it serves a server's collection too.
        self.keywords = KeywordIndexCache(self.store, self.settings.data_dir)
        self.searcher = HybridSearcher(self.store, self.keywords, self.embedder)
        self.answerer = answerer or self._default_answerer()
        self.rewriter: Rewriter = RuleRewriter()
        self._write_lock = threading.Lock()

    def _default_answerer(self) -> Answerer:
        """Extractive, or the model answerer when the settings choose it (only then is its client imported)."""
        extractive = ExtractiveAnswerer(self.keywords.get)
        extractive.abstain_below = self.settings.min_confidence
        if self.settings.answerer != "llm":
            return extractive
        from .llm_answer import LLMAnswerer

        return LLMAnswerer.from_settings(self.settings, extractive, self.embedder)

    @property
    def window_languages(self) -> tuple[str, ...]:
        """Languages searches draw on, from the settings (empty: every language)."""
        return tuple(self.settings.language_list)

    # --- ingest -------------------------------------------------------------

    def ingest(self, paths: Iterable[Path], on_progress: Callable[[IngestReport], None] | None = None,
               on_problem: Callable[[Problem], None] | None = None,
               on_note: Callable[[Note], None] | None = None, list_documents: bool = False) -> IngestReport:
        """Load, chunk, embed and store documents; unchanged ones cost no embedding.

        Args:
            paths: files and folders (.txt .md .html .pdf .docx, feed exports, RSS/Atom).
            on_progress: called after each batch with the running report.
            on_problem: called for each skipped input as it is found.
            on_note: called for each document stored with something to know (no date of its own).
            list_documents: also list each document in `IngestReport.stored`.
        """
        return self.ingest_documents(load_paths(paths, self.max_file_bytes, options=self.load_options()),
                                     on_progress, on_problem, on_note, list_documents)

    @property
    def max_file_bytes(self) -> int:
        """The file-size cap loaders apply (BRIEFBOT_MAX_FILE_MB)."""
        return int(self.settings.max_file_mb * 1_000_000)

    def load_options(self) -> LoadOptions:
        """The loaders' limits from the settings, with the ingest time as now (for undated files)."""
        return LoadOptions.from_settings(self.settings, now=datetime.now(UTC))

    def ingest_upload(self, path: Path, name: str, on_progress: Callable[[IngestReport], None] | None = None,
                      on_problem: Callable[[Problem], None] | None = None,
                      on_note: Callable[[Note], None] | None = None) -> IngestReport:
        """Ingest one file received from elsewhere (a Telegram upload) under the name it was sent as.

        Where the received copy sits (a temporary folder) says nothing about the document: its
        documents that would be known by that path (those without a link of their own) are known
        by `name` instead, so the same file sent again replaces its earlier version rather than
        adding a second copy, and problems are reported under `name`, not the temporary path.

        Args:
            path: the received file (its suffix picks the loader, as in `ingest`).
            name: the file's name as sent, already made safe (no folders).
            on_progress: called after each batch with the running report.
            on_problem: called for each skipped input as it is found.
        """
        where = str(path)
        by_path = doc_id_for("file:" + str(path.resolve()))
        by_name = doc_id_for("upload:" + name)

        def as_sent(items: Iterable[Document | Problem]) -> Iterator[Document | Problem]:
            for item in items:
                if isinstance(item, Problem):
                    yield Problem(item.where.replace(where, name), item.reason.replace(where, name))
                elif item.id == by_path or item.feed == where:
                    yield replace(item, id=by_name if item.id == by_path else item.id, feed=f"upload:{name}")
                else:
                    yield item

        return self.ingest_documents(as_sent(load_path(path, self.max_file_bytes, options=self.load_options())),
                                     on_progress, on_problem, on_note, list_documents=True)

    def ingest_urls(self, urls: Iterable[str], on_progress: Callable[[IngestReport], None] | None = None,
                    on_problem: Callable[[Problem], None] | None = None,
                    on_note: Callable[[Note], None] | None = None) -> IngestReport:
        """`ingest` for http(s) links: each is fetched (`index.fetch`), read by the loader its content
        calls for, and stored under its final URL (see `index.links`).

        A refused or failing URL becomes a Problem named by the URL, and the batch goes on. Limits:
        `url_timeout`, `max_url_mb` and `allow_private_urls` of the settings.
        """
        from .fetch import FetchLimits
        from .links import link_documents

        return self.ingest_documents(
            link_documents(urls, FetchLimits.from_settings(self.settings), self.load_options()),
            on_progress, on_problem, on_note, list_documents=True)

    def ingest_documents(self, items: Iterable[Document | Problem],
                         on_progress: Callable[[IngestReport], None] | None = None,
                         on_problem: Callable[[Problem], None] | None = None,
                         on_note: Callable[[Note], None] | None = None,
                         list_documents: bool = False) -> IngestReport:
        """`ingest` for documents already loaded (a polled feed, say): same rules, same report.

        The items are read while the writer lock is held, so a generator may do its loading lazily.
        With `list_documents`, the report lists every document (`IngestReport.stored`), as an
        upload's reply needs; a bulk ingest leaves it empty (100 MB at 224k documents).
        """
        report = IngestReport()
        lock = None if self.settings.chroma_url else WriterLock(self.settings.data_dir)
        with self._write_lock:
            if lock:
                lock.acquire()
            writer = _BackgroundWriter(self.store)
            vectors = SeenVectors()
            try:
                # While batch N is embedded, batch N+1 is checked against the store and chunked on
                # one thread and batch N+2 read on another (see index.prefetch): a re-ingest of
                # unchanged input is then bound by the slower of reading and the store lookup.
                with Prefetch(self._formed_batches(items), name="ingest-read") as formed, \
                        Prefetch(map(self._with_plan, formed), name="ingest-plan") as batches:
                    for batch in batches:
                        report.seen += batch.seen
                        report.duplicates += batch.duplicates
                        for problem in batch.problems:
                            report.problems.append(problem)
                            if on_problem:
                                on_problem(problem)
                        if not batch.docs:
                            continue
                        if batch.plan is None:  # it replaces a document of an earlier batch: read after that write
                            writer.finish()
                            batch.plan = self._plan(batch.docs)
                        report.duplicates += len(batch.plan.copies)
                        for problem in batch.plan.copies:
                            report.problems.append(problem)
                            if on_problem:
                                on_problem(problem)
                        self._ingest_batch(batch.plan, report, writer, vectors, on_note, list_documents)
                        if on_progress:
                            on_progress(report)
                writer.finish()
                if report.changed:
                    self.store.bump_generation()
                    self.keywords.invalidate()
                report.chunks_reused = vectors.reused
                if on_progress:
                    on_progress(report)
            finally:
                writer.close()
                if lock:
                    lock.release()
        return report

    def _formed_batches(self, items: Iterable[Document | Problem]) -> Iterator[_Batch]:
        """The input in batches of up to INGEST_BATCH new documents, each to be given its write plan.

        Repeats of an id are folded (counted as duplicates), and so are documents without a link
        whose title and text an earlier one had (reported by name), except that a link's article
        after a feed's summary of it is the copy kept: taken out of the batch if still there, else it
        replaces the stored summary, and then its plan is made only after the earlier write
        (`_with_plan` leaves it without one).
        """
        seen: dict[str, bool] = {}  # id -> whether the copy taken was fetched from its link
        texts: dict[str, Document] = {}  # text_hash -> the first document without a link that had it
        batch = _Batch()
        for item in items:
            if isinstance(item, Problem):
                batch.problems.append(item)
                continue
            batch.seen += 1
            first = texts.setdefault(text_hash(item), item) if not item.url else item
            if first.id != item.id:  # the same file under another name or folder, earlier in this ingest
                batch.duplicates += 1
                batch.problems.append(_copy_of(item, first.title, first.feed))
                continue
            if item.id in seen:
                batch.duplicates += 1
                if not (item.from_link and not seen[item.id]):
                    continue
                if any(d.id == item.id for d in batch.docs):
                    batch.docs = [d for d in batch.docs if d.id != item.id]
                else:
                    batch.replaces_earlier = True
            seen[item.id] = item.from_link
            batch.docs.append(item)
            if len(batch.docs) >= INGEST_BATCH:
                yield batch
                batch = _Batch()
        yield batch

    def _with_plan(self, batch: _Batch) -> _Batch:
        if batch.docs and not batch.replaces_earlier:
            batch.plan = self._plan(batch.docs)
        return batch

    def _plan(self, docs: list[Document]) -> _Plan:
        """What writing `docs` takes: which are new or changed against the store, and their chunks."""
        versions = self.store.stored_versions([d.id for d in docs])
        stored = {doc_id: (v.hash, v.chunks) for doc_id, v in versions.items()}
        # Which text wins for one URL: a page fetched from its link is the article itself; a feed item
        # or export line with the same link is a summary of it and never replaces it (counted unchanged).
        # The other way round, the article replaces the summary; a re-fetched article replaces itself.
        # (An article whose write was interrupted, hash "", is not kept: any complete version is better.)
        changed = [d for d in docs if stored.get(d.id, ("", 0))[0] != content_hash(d)
                   and not (d.id in versions and versions[d.id].from_link and versions[d.id].hash
                            and not d.from_link)]
        copies = self._stored_copies([d for d in changed if not d.url and d.id not in stored])
        if copies:
            changed = [d for d in changed if d.id not in copies]
            docs = [d for d in docs if d.id not in copies]
        chunks = Chunker(self.embedder).chunk(changed) if changed else []
        return _Plan(docs, stored, changed, chunks, list(copies.values()))

    def _stored_copies(self, new: list[Document]) -> dict[str, Problem]:
        """New documents without a link whose title and text are stored already under another id, by id.

        Only new ones: an edited file keeps its id and replaces its old version, whatever it now holds.
        """
        digests = {doc.id: text_hash(doc) for doc in new}
        found = self.store.stored_texts(list(set(digests.values())))
        copies = {}
        for doc in new:
            original = found.get(digests[doc.id])
            if original is not None and original.doc_id != doc.id:
                copies[doc.id] = _copy_of(doc, original.title, original.feed)
        return copies

    def _ingest_batch(self, plan: _Plan, report: IngestReport, writer: _BackgroundWriter,
                      seen: SeenVectors, on_note: Callable[[Note], None] | None = None,
                      list_documents: bool = False) -> None:
        docs, stored, changed, chunks = plan.docs, plan.stored, plan.changed, plan.chunks
        report.unchanged += len(docs) - len(changed)
        per_doc: Counter[str] = Counter()
        if changed:
            for doc in changed:
                if doc.date_source == "ingested":
                    # Unchanged, it keeps the date it was first stored with (the hash leaves the ingest time out).
                    note = Note(doc.feed or doc.source,
                                f"no date found in it; stored with the ingest date {doc.date_str}")
                    report.notes.append(note)
                    if on_note:
                        on_note(note)
            vectors = seen.encode(self.embedder, [c.embed_text for c in chunks])
            # The store write of this batch runs while the next batch is embedded.
            writer.submit(chunks, vectors, {d.id: stored[d.id] for d in changed if d.id in stored})
            report.updated += sum(1 for d in changed if d.id in stored)
            report.added += sum(1 for d in changed if d.id not in stored)
            report.chunks_embedded += len(chunks)
            per_doc.update(c.doc.id for c in chunks)
        if not list_documents:
            return
        changed_ids = {d.id for d in changed}
        for doc in docs:
            status: Literal["added", "updated", "unchanged"] = "unchanged"
            count = stored.get(doc.id, ("", 0))[1]
            if doc.id in changed_ids:
                status = "updated" if doc.id in stored else "added"
                count = per_doc[doc.id]
            report.stored.append(StoredDocument(doc.id, doc.title, doc.date_str, count, status,
                                                pages=len(doc.pages)))

    def warm_up(self) -> None:
        """Load the model and the keyword index now, so the first question is not slow."""
        self.embedder.encode_query("warm up")
        self.keywords.get()

    # --- questions ----------------------------------------------------------

    def check_question(self, question: str) -> str:
        """The question tidied, or QuestionError with a reason a user understands."""
        text = typed_text(question)
        if not text:
            raise QuestionError("the question is empty")
        limit = self.settings.max_question_chars
        if len(text) > limit:
            raise QuestionError(f"the question is too long ({len(text)} characters; the limit is {limit})")
        if not any(ch.isalpha() for ch in text):
            raise QuestionError("the question has no words to search for")
        return text

    def check_not_empty(self) -> None:
        """EmptyStoreError when the desk has no documents yet (nothing to answer or brief from)."""
        if self.keywords.get().size == 0:
            raise EmptyStoreError(self.empty_store_message())

    def empty_store_message(self) -> str:
        """What to say when the desk has no documents: which desk, where, and how to fill it."""
        name = self.desk.name
        command = "briefbot ingest" if name == DEFAULT_DESK else f"briefbot --desk {name} ingest"
        return f"no documents in desk {name} ({self.store.location}) yet: run `{command}` first"

    def search(self, question: str, since: date | None = None, until: date | None = None, k: int = 10) -> list[Hit]:
        """Ranked documents for a question (no answer)."""
        check_window(since, until)
        text = self.check_question(question)
        return self.searcher.search(text, Window(since, until, self.window_languages), k)

    def ask(self, question: str, since: date | None = None, until: date | None = None,
            conversation: Conversation | None = None) -> Answer:
        """Answer a question from the documents, with verified citations, or abstain.

        With a `conversation`, a follow-up ("when did he become leader?") is first resolved
        against the earlier turns; `answer.resolved_question` is what was searched, and
        `conversation.after(answer.turn)` is the conversation to pass with the next question.
        A question that names no one and nothing, with no context to resolve it, abstains and
        asks which person or event is meant.
        """
        started = time.perf_counter()
        text = self.check_question(question)
        check_window(since, until)
        # An empty store first: "who do you mean?" would hide what is really wrong.
        self.check_not_empty()
        resolution = self.rewriter.resolve(text, conversation or Conversation())
        window_since, window_until = (since.isoformat() if since else ""), (until.isoformat() if until else "")
        if resolution.needs_subject:
            return self.answerer.unasked(
                Answer(question=text, answer=NEEDS_SUBJECT, abstained=True, citations=(), retrieved=(),
                       elapsed_ms=(time.perf_counter() - started) * 1000, resolved_question=text,
                       since=window_since, until=window_until), "the question names no one to search for")
        searched = resolution.question
        last = conversation.last if conversation else None
        # A follow-up is searched in the documents that answered the turn before it as well.
        carried, said = (last.sources, last.said) if last and resolution.continues else ((), ())
        hits = self.searcher.search(searched, Window(since, until, self.window_languages), 10, carried=carried)
        answer = self.answerer.answer(searched, hits, asked=text, said=said) if hits \
            else self.answerer.unasked(abstain(searched, hits), "no document matched the question")
        quotes = [part for c in answer.citations for part in c.quote.split(QUOTE_JOINER)]
        cited = {c.doc_id for c in answer.citations}
        sources = tuple(h for h in answer.retrieved if h.doc_id in cited)
        turn = turn_for(resolution, text, answer_names(searched, quotes), time.time(), sources, tuple(quotes))
        return Answer(question=text, answer=answer.answer, abstained=answer.abstained,
                      citations=answer.citations, retrieved=answer.retrieved,
                      elapsed_ms=(time.perf_counter() - started) * 1000, resolved_question=searched, turn=turn,
                      since=window_since, until=window_until, answerer=answer.answerer,
                      fallback_reason=answer.fallback_reason, dropped=answer.dropped)

    def brief(self, topic: str, since: date | None = None, until: date | None = None,
              kind: Kind = "brief") -> Briefing:
        """Dated, cited developments on a topic: newest first, or oldest first for kind="timeline"."""
        self.check_not_empty()
        return build_briefing(self, topic, kind, since, until)

    def respond(self, message: str, since: date | None = None, until: date | None = None,
                conversation: Conversation | None = None) -> Answer | Briefing:
        """What a chat replies: a briefing for "what's the latest on X" / "brief me on X", else an answer."""
        text = self.check_question(message)
        request = briefing_request(text)
        if request is not None:
            kind, topic = request
            return replace(self.brief(topic, since, until, kind), question=text)
        return self.ask(text, since, until, conversation)

    # --- browsing -----------------------------------------------------------

    def latest(self, limit: int = 10, since: date | None = None, until: date | None = None) -> list[Hit]:
        """The newest documents (in the answer languages), newest first."""
        index = self.keywords.get()
        window = Window(since, until, self.window_languages)
        mask = window.mask(index.days, index.langs)
        order = index.days.argsort(kind="stable")[::-1]
        picked: list[str] = []
        doc_seen: set[str] = set()
        for row in order:
            if mask is not None and not mask[row]:
                continue
            doc_id = index.doc_ids[row]
            if doc_id in doc_seen:
                continue
            doc_seen.add(doc_id)
            picked.append(f"{doc_id}-0")
            if len(picked) >= limit:
                break
        chunks = {c.id: c for c in self.store.get_chunks(picked)}
        hits = []
        for cid in picked:
            chunk = chunks.get(cid)
            if chunk is None:
                continue
            m = chunk.meta
            hits.append(Hit(doc_id=str(m.get("doc_id")), title=str(m.get("title", "")), url=str(m.get("url", "")),
                            date=str(m.get("date", "")), source=str(m.get("source", "")),
                            language=str(m.get("lang", "")), score=0.0, passages=(chunk.text,),
                            pages=(chunk_page(chunk),), date_source=str(m.get("date_source", ""))))
        return hits

    def document_text(self, hit_or_id: Hit | str) -> str:
        """Full stored text of one document (its chunks joined), title first."""
        doc_id = hit_or_id.doc_id if isinstance(hit_or_id, Hit) else hit_or_id
        chunks = self.store.document_chunks(doc_id)
        if not chunks:
            return ""
        return str(chunks[0].meta.get("title", "")) + "\n\n" + "\n\n".join(c.text for c in chunks if c.text)

    def stats(self) -> CorpusStats:
        """Document and chunk counts, languages, date range and outlets.

        Read from the keyword index's columns, which mirror the store (refreshed when another
        process writes): paging through the store's metadata took 28 s at 224k documents.
        A document counts once its chunk 0 is stored (the mark of a finished write).
        """
        index = self.keywords.get()
        stats = CorpusStats(location=self.store.location, chunks=index.size)
        firsts = np.array([cid.endswith("-0") for cid in index.chunk_ids], dtype=bool)
        stats.documents = int(firsts.sum())
        stats.languages = dict(Counter(str(v) for v in index.langs[firsts]).most_common())
        stats.sources = Counter(str(v) for v in index.sources[firsts]).most_common()
        days = index.days[firsts]
        days = days[days > 0]
        if days.size:
            stats.date_from, stats.date_to = (iso_day(int(d)) for d in (days.min(), days.max()))
        return stats


@dataclass
class _Plan:
    """One batch's write plan: its documents, their stored versions, the changed ones and their chunks."""

    docs: list[Document]
    stored: dict[str, tuple[str, int]]
    changed: list[Document]
    chunks: list[Chunk]
    copies: list[Problem] = field(default_factory=list)  # new files whose text is stored under another id


@dataclass
class _Batch:
    """Up to INGEST_BATCH documents read from the input, the problems met on the way, and counts."""

    docs: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seen: int = 0
    duplicates: int = 0
    replaces_earlier: bool = False  # holds a link's article whose feed summary went in an earlier batch
    plan: _Plan | None = None


def _copy_of(doc: Document, title: str, feed: str) -> Problem:
    """The report of a document not stored because another one with its title and text is."""
    where = feed.removeprefix("upload:") or title
    return Problem(doc.feed.removeprefix("upload:") or doc.source,
                   f"same text as {where} (a duplicate, not stored again)")


class SeenVectors:
    """Vectors of the texts one ingest has encoded, so a text met again is not encoded twice.

    Feeds syndicate the same description under several links; each copy is a document of its
    own, but its text needs encoding once. Bounded (the newest `limit` texts are kept): a
    repeat is nearly always close to the first copy in the input. Texts are kept as 16-byte
    digests, not whole: 20,000 chunk texts would hold some 25 MB for the length of an ingest.
    """

    def __init__(self, limit: int = 20_000) -> None:
        self.limit = limit
        self.reused = 0
        self._vectors: OrderedDict[bytes, np.ndarray] = OrderedDict()

    def encode(self, embedder: Embedder, texts: list[str]) -> np.ndarray:
        """One vector per text; only texts not seen before (in this ingest or this call) are encoded."""
        keys = [_text_key(t) for t in texts]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors}
        if missing:
            for key, vector in zip(missing, embedder.encode(list(missing.values())), strict=True):
                self._vectors[key] = vector
                if len(self._vectors) > self.limit:
                    self._vectors.popitem(last=False)
        self.reused += len(texts) - len(missing)
        found = [self._vectors.get(k) for k in keys]
        if any(v is None for v in found):  # evicted within this very call (a batch larger than the limit)
            return embedder.encode(texts)
        return np.stack([v for v in found if v is not None]) if found else np.zeros((0, 0), dtype=np.float32)


def _text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class _BackgroundWriter:
    """Writes embedded batches to the store on one thread, one batch in flight at a time.

    Order is kept and memory bounded (a new batch waits for the previous write); a write
    error surfaces in the ingest at the next submit or at `finish`.
    """

    def __init__(self, store: ChunkStore) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.store = store
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-writer")
        self._pending: Future[None] | None = None

    def _write(self, chunks, vectors, previous) -> None:
        self.store.write(chunks, vectors, previous)
        # Bump per batch: a reader elsewhere sees progress, and an interrupted ingest
        # still leaves a generation that differs from any cached keyword index.
        self.store.bump_generation()

    def submit(self, chunks, vectors, previous) -> None:
        self.finish()
        self._pending = self._pool.submit(self._write, chunks, vectors, previous)

    def finish(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def close(self) -> None:
        self._pool.shutdown(wait=True)
