"""The Chroma store: chunks with their vectors and metadata, one record per chunk.

Embedded (`chromadb.PersistentClient` under the data dir) by default, or a Chroma
server when `BRIEFBOT_CHROMA_URL` is set. Record ids are `<doc_id>-<chunk>`; every
chunk carries its document's content hash, so an ingest can tell from the store
alone what is new, changed or unchanged. The collection's metadata keeps the model
name and vector size (a different model is refused, not silently mixed) and a change
marker (a `generation` counter plus a random `change` token) that every changing
write replaces: other processes, on this host or another, use it to know when their
keyword index is stale.

Crash safety: a document counts as stored when its chunk 0 carries the current content
hash, so chunk 0 is always written last (after the other chunks and after removing
chunks a shorter version no longer has). A SIGKILL at any point leaves either the old
chunk 0 (the document is redone by the next ingest) or a complete new document.

Server mode: a connection error drops the client; the call is retried once on a fresh
connection (a restarted server is picked up at once), and if that fails too the
caller gets `StoreUnavailableError` with a message fit to show a user.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .chunking import Chunk, content_hash, text_hash
from .config import DEFAULT_DESK, Settings, desk_collection, desk_name
from .errors import DeskError, ModelMismatchError, StoreLockedError, StoreUnavailableError

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

log = logging.getLogger(__name__)

OVERFETCH = 4  # unfiltered neighbours fetched per wanted one before falling back to Chroma's filter


@dataclass(frozen=True)
class StoredChunk:
    """One chunk as read back from the store: record id, text and metadata."""

    id: str
    text: str
    meta: dict[str, Any]


@dataclass(frozen=True)
class StoredVersion:
    """The stored version of a document, as an ingest compares it with a new one."""

    hash: str  # content hash ("" while a replacement is being written)
    chunks: int
    from_link: bool  # fetched from its own link: a feed's summary of it does not replace it


@dataclass(frozen=True)
class StoredText:
    """A stored document found by its text (`text_hash`): which one, and where it came from."""

    doc_id: str
    title: str
    feed: str  # the file it was read from ("upload:<name>" for an upload)


def chunk_metadata(chunk: Chunk, n_chunks: int, digest: str) -> dict[str, Any]:
    """The metadata stored with a chunk: its document's fields, its position among `n_chunks`, the content hash.

    Paged documents add `page` (int); documents whose date had to be looked for add `date_source`
    ("text", "metadata", "filename" or "ingested"); documents without a link add `text_hash` to their
    chunk 0 (the one `stored_texts` reads), so a document's text is hashed once, not once per chunk.
    """
    doc = chunk.doc
    meta: dict[str, Any] = {
        "doc_id": doc.id, "chunk": chunk.index, "chunks": n_chunks, "hash": digest,
        "title": doc.title, "url": doc.url, "date": doc.date_str,
        "day": int(doc.date_str.replace("-", "")) if doc.date_str else 0,
        "ts": doc.timestamp,
        "source": doc.source, "lang": doc.language, "feed": doc.feed, "from_link": doc.from_link,
    }
    # Only when set: Chroma keeps no None, and unpaged chunks read back exactly as before.
    if chunk.page is not None:
        meta["page"] = chunk.page
    if doc.date_source:
        meta["date_source"] = doc.date_source
    if not doc.url and chunk.index == 0:  # known by its path: a copy under another name is found by its text
        meta["text_hash"] = text_hash(doc)
    return meta


def open_client(settings: Settings):
    """A Chroma client: HTTP to `settings.chroma_url`, else the embedded store under the data dir.

    Raises:
        StoreUnavailableError: the store could not be opened (the message says where).
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    location = settings.chroma_url or str(settings.data_dir / "chroma")
    try:
        if settings.chroma_url:
            from urllib.parse import urlsplit

            from .chroma_http import open_http_client

            url = urlsplit(settings.chroma_url)
            return open_http_client(url.hostname or "localhost", url.port or 8000, url.scheme == "https",
                                    settings.chroma_timeout)
        path = settings.data_dir / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
    except Exception as exc:
        raise StoreUnavailableError(f"cannot open the store at {location}: {_short(exc)}") from exc


def create_collection(client, name: str, metadata: dict[str, Any], location: str = "the store"):
    """Get collection `name`, creating it (cosine space, with `metadata`) when missing.

    No embedding function: vectors always come from our own model (Chroma's default one
    would download a model at run time).
    """
    try:
        return client.get_or_create_collection(
            name, embedding_function=None,
            configuration={"hnsw": {"space": "cosine", "ef_search": 100, "ef_construction": 100}},
            metadata=metadata)
    except Exception as exc:
        raise StoreUnavailableError(f"cannot open the store at {location}: {_short(exc)}") from exc


class WriterLock:
    """An exclusive advisory lock on the data dir: one writer at a time (embedded mode)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "write.lock"
        self._fh: TextIO | None = None

    def acquire(self) -> None:
        """Take the lock without waiting and write this process's pid into the lock file.

        Raises:
            StoreLockedError: another process holds the lock (the message names it).
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            fh.close()
            raise StoreLockedError(
                f"{self.path.parent} is being written by {holder}; wait for it to finish "
                "(or use a Chroma server, BRIEFBOT_CHROMA_URL, for several writers)") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        """Give the lock up; nothing happens when it is not held."""
        if self._fh is not None:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class ChunkStore:
    """Chunks and vectors in one Chroma collection.

    Args:
        settings: data dir or server URL, collection name.
        model_name: recorded on first write; a store made with another model is refused.
    """

    def __init__(self, settings: Settings, model_name: str) -> None:
        self.settings = settings
        self.model_name = model_name
        self._client: ClientAPI | None = None
        self._collection: Collection | None = None
        self._count: tuple[float, int] | None = None  # (monotonic time, count): spares a round trip per query
        self.collection_name = desk_collection(settings)

    # --- connection ---------------------------------------------------------

    @property
    def location(self) -> str:
        """Where the store is, for messages: the server URL or the embedded store's folder."""
        return self.settings.chroma_url or str(self.settings.data_dir / "chroma")

    def _connect(self):
        return open_client(self.settings)

    @property
    def collection(self):
        """The Chroma collection, opened (created when missing) on first use.

        Raises:
            StoreUnavailableError: the store could not be opened.
            ModelMismatchError: the collection was built with another model.
        """
        if self._collection is None:
            self._client = self._client or self._connect()
            self._collection = self._open_collection(self._client)
            stored_model = (self._collection.metadata or {}).get("model")
            if stored_model and stored_model != self.model_name:
                raise ModelMismatchError(
                    f"the store at {self.location} was built with model {stored_model!r}, not {self.model_name!r}: "
                    "use another BRIEFBOT_DATA_DIR / BRIEFBOT_COLLECTION, or re-ingest into a fresh one")
        return self._collection

    def _open_collection(self, client):
        """The desk's collection: the default desk's is made on first use, another desk's must exist."""
        if desk_name(self.settings) == DEFAULT_DESK:
            return create_collection(client, self.collection_name, {"model": self.model_name, "generation": 0},
                                     location=self.location)
        try:
            return client.get_collection(self.collection_name, embedding_function=None)
        except Exception as exc:
            if type(exc).__name__ != "NotFoundError" and "does not exist" not in str(exc):
                raise StoreUnavailableError(f"cannot open the store at {self.location}: {_short(exc)}") from exc
        raise DeskError(f"unknown desk {self.settings.desk!r}: `briefbot desks` lists the desks, "
                        f"`briefbot desks add {self.settings.desk}` makes it")

    def _call(self, what: str, fn, *args, **kwargs):
        """Run `fn(collection, ...)`; in server mode a connection error reconnects and retries once.

        The retry matters after a server restart: the first request on a pooled keep-alive
        connection fails although the server is back. Every call made here is idempotent
        (reads, upserts by id, deletes, a metadata write), so running one twice is safe.
        A second failure becomes StoreUnavailableError; the next call reconnects again.
        """
        attempts = 2 if self.settings.chroma_url else 1
        for attempt in range(1, attempts + 1):
            try:
                return fn(self.collection, *args, **kwargs)
            except (ModelMismatchError, DeskError):
                raise
            except StoreUnavailableError:  # could not (re)connect
                if attempt == attempts:
                    raise
            except Exception as exc:
                if not (self.settings.chroma_url and _looks_like_connection_error(exc)):
                    raise
                self._collection = None
                self._client = None
                self._count = None
                if attempt == attempts:
                    raise StoreUnavailableError(
                        f"the store at {self.location} is unavailable ({what}): is the Chroma server running?"
                    ) from exc
        raise AssertionError("unreachable")

    # --- reads --------------------------------------------------------------

    def count(self) -> int:
        """Number of stored chunks, read fresh."""
        value = self._call("count", lambda col: col.count())
        self._count = (time.monotonic(), value)
        return value

    def _recent_count(self, max_age: float = 1.0) -> int:
        """The chunk count, re-read at most once per `max_age` seconds (a query needs only 'is it empty')."""
        if self._count is None or time.monotonic() - self._count[0] > max_age:
            return self.count()
        return self._count[1]

    def change_marker(self) -> tuple[int, str, int]:
        """(generation, change token, chunk count), read fresh: differs whenever any writer changed the store."""
        def read(col) -> tuple[int, str]:
            meta = self._fresh_metadata(col)
            return int(meta.get("generation", 0)), str(meta.get("change", ""))
        generation, token = self._call("generation", read)
        return generation, token, self.count()

    def generation(self) -> int:
        """Change counter of the collection, read fresh from the store (other writers bump it)."""
        return self.change_marker()[0]

    def collection_id(self) -> str:
        """The collection's id: a new one whenever the collection is recreated."""
        return str(self._call("id", lambda col: col.id))

    def stored_hashes(self, doc_ids: Sequence[str]) -> dict[str, tuple[str, int]]:
        """doc_id -> (content hash, chunk count) for the documents already stored."""
        return {d: (v.hash, v.chunks) for d, v in self.stored_versions(doc_ids).items()}

    def stored_versions(self, doc_ids: Sequence[str]) -> dict[str, StoredVersion]:
        """doc_id -> what the store holds of each of these documents (those not stored are left out)."""
        if not doc_ids:
            return {}
        got = self._call("get", lambda col: col.get(ids=[f"{d}-0" for d in doc_ids], include=["metadatas"]))
        return {m["doc_id"]: StoredVersion(m["hash"], int(m["chunks"]), bool(m.get("from_link", False)))
                for m in got["metadatas"] if m}

    def stored_texts(self, digests: Sequence[str]) -> dict[str, StoredText]:
        """text_hash -> a stored document with that title and text, for documents stored completely."""
        if not digests:
            return {}
        where = {"$and": [{"text_hash": {"$in": list(digests)}}, {"chunk": 0}]}
        got = self._call("get", lambda col: col.get(where=where, include=["metadatas"]))
        return {m["text_hash"]: StoredText(m["doc_id"], str(m.get("title", "")), str(m.get("feed", "")))
                for m in got["metadatas"] if m and m.get("hash")}

    def iter_chunks(self, page: int = 5000, where: dict | None = None) -> Iterator[StoredChunk]:
        """Every stored chunk with text and metadata, paged (the keyword index is built from this)."""
        offset = 0
        while True:
            got = self._call("get", lambda col, o=offset: col.get(include=["documents", "metadatas"],
                                                                   limit=page, offset=o, where=where))
            ids = got["ids"]
            for cid, text, meta in zip(ids, got["documents"], got["metadatas"], strict=True):
                yield StoredChunk(cid, text or "", dict(meta or {}))
            if len(ids) < page:
                return
            offset += page

    def get_chunks(self, ids: Sequence[str]) -> list[StoredChunk]:
        """The stored chunks with these ids, in the store's order (ids not stored are left out)."""
        if not ids:
            return []
        got = self._call("get", lambda col: col.get(ids=list(ids), include=["documents", "metadatas"]))
        return [StoredChunk(i, t or "", dict(m or {}))
                for i, t, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)]

    def embeddings(self, ids: Sequence[str]) -> dict[str, Any]:
        """Stored vectors by chunk id (no model needed)."""
        if not ids:
            return {}
        got = self._call("get", lambda col: col.get(ids=list(ids), include=["embeddings"]))
        return dict(zip(got["ids"], got["embeddings"], strict=True))

    def document_chunks(self, doc_id: str) -> list[StoredChunk]:
        """All chunks of one document, in order."""
        got = self._call("get", lambda col: col.get(where={"doc_id": doc_id}, include=["documents", "metadatas"]))
        chunks = [StoredChunk(i, t or "", dict(m or {}))
                  for i, t, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)]
        return sorted(chunks, key=lambda c: int(c.meta.get("chunk", 0)))

    def query(self, vector: list[float], n: int, where: dict | None = None,
              within: Sequence[str] | None = None) -> list[tuple[StoredChunk, float]]:
        """Nearest chunks by cosine similarity (1 - distance), best first, matching `where`.

        A metadata filter makes Chroma's search slow (measured on 25k chunks over HTTP: 103 ms
        with the language filter every question carries, 6 ms without). So the filter is first
        applied here, to an unfiltered search for OVERFETCH x n neighbours: when at least n of
        them match, they are exactly the n best matching ones.

        A date window rarely leaves enough of those. Then `within`, the ids of the chunks that
        match `where` (the caller knows them from the keyword index), is the cheap way: a search
        restricted to ids took 25 ms for a one-week window of 240k chunks where the same search
        by `where` took 420 ms (a 3-month window: 136 vs 1,164 ms; same results). If an id is no
        longer stored (another writer replaced the document since the caller's snapshot), Chroma
        refuses the whole search and `where` is used after all.
        """
        # Chroma returns fewer than n_results when it has fewer; the count is only the
        # "empty store" shortcut, kept for a second so a query is one round trip, not two.
        if self._recent_count() == 0:
            return []
        if within:
            try:
                return self._query(vector, n, None, ids=list(within))
            except StoreUnavailableError:
                raise
            except Exception as exc:
                if "finding id" not in str(exc).lower():
                    raise
                log.info("a chunk of the window is gone (another writer); searching by metadata instead")
        matches = _matcher(where) if where is not None else None
        if matches is not None:
            wide = self._query(vector, n * OVERFETCH, None)
            kept = [hit for hit in wide if matches(hit[0].meta)]
            if len(kept) >= n or len(wide) < n * OVERFETCH:  # enough, or the whole store was searched
                return kept[:n]
        return self._query(vector, n, where)

    def _query(self, vector: list[float], n: int, where: dict | None,
               ids: list[str] | None = None) -> list[tuple[StoredChunk, float]]:
        got = self._call("query", lambda col: col.query(query_embeddings=[vector], n_results=n, where=where, ids=ids,
                                                        include=["documents", "metadatas", "distances"]))
        out = []
        for cid, text, meta, dist in zip(got["ids"][0], got["documents"][0], got["metadatas"][0],
                                         got["distances"][0], strict=True):
            out.append((StoredChunk(cid, text or "", dict(meta or {})), 1.0 - float(dist)))
        return out

    # --- writes -------------------------------------------------------------

    def write(self, chunks: list[Chunk], vectors: Any, previous: dict[str, tuple[str, int]]) -> None:
        """Store the chunks of whole documents; safe to kill at any point.

        Order (see the module docstring): the hash of a replaced document's chunk 0 is cleared,
        then every chunk but the first is written, then chunks beyond a document's new length
        are removed, and last each document's chunk 0, which carries the content hash that
        marks the document as done.

        Args:
            chunks: all chunks of the documents being written, in document order.
            vectors: one vector per chunk, same order.
            previous: doc_id -> (hash, chunk count) of the stored versions (an optimisation;
                leftovers of interrupted writes are found by probing the store).
        """
        if not chunks:
            return
        per_doc: dict[str, int] = {}
        for chunk in chunks:
            per_doc[chunk.doc.id] = per_doc.get(chunk.doc.id, 0) + 1
        hashes = {c.doc.id: content_hash(c.doc) for c in chunks if c.index == 0}
        rows = list(range(len(chunks)))
        tails = [i for i in rows if chunks[i].index > 0]
        heads = [i for i in rows if chunks[i].index == 0]
        limit = self._max_batch()
        replaced = [f"{doc_id}-0" for doc_id in previous if doc_id in per_doc]
        for start in range(0, len(replaced), limit):
            # A stored version is about to change under its chunk 0: clear that chunk's hash first, so
            # a kill from here on leaves a document that the next ingest redoes, whichever version it
            # brings (its own old version included), never old chunk 0 over new or missing chunks.
            part = replaced[start:start + limit]
            self._call("update", lambda col, ids=part: col.update(ids=ids, metadatas=[{"hash": ""}] * len(ids)))
        for start in range(0, len(tails), limit):
            self._upsert(chunks, vectors, tails[start:start + limit], per_doc, hashes)
        self._drop_leftovers(per_doc, previous)
        for start in range(0, len(heads), limit):
            self._upsert(chunks, vectors, heads[start:start + limit], per_doc, hashes)
        self._count = None

    def _upsert(self, chunks: list[Chunk], vectors: Any, rows: list[int], per_doc: dict[str, int],
                hashes: dict[str, str]) -> None:
        part = [chunks[i] for i in rows]
        self._call("upsert", lambda col: col.upsert(
            ids=[c.id for c in part], embeddings=[vectors[i] for i in rows], documents=[c.text for c in part],
            metadatas=[chunk_metadata(c, per_doc[c.doc.id], hashes[c.doc.id]) for c in part]))

    def _drop_leftovers(self, per_doc: dict[str, int], previous: dict[str, tuple[str, int]]) -> None:
        """Delete chunks past each document's new length: from its stored version or an interrupted write.

        Chunks of a document are written in order, so leftovers exist exactly when the chunk
        id right after the new last one does: one id lookup per batch finds them all.
        """
        probe = {f"{doc_id}-{n}": doc_id for doc_id, n in per_doc.items()}
        found = self._call("get", lambda col: col.get(ids=list(probe), include=[]))["ids"]
        stale = [probe[i] for i in found]
        stale += [d for d, (_, old_n) in previous.items() if d in per_doc and old_n > per_doc[d] and d not in stale]
        for doc_id in stale:
            self._call("delete", lambda col, d=doc_id: col.delete(
                where={"$and": [{"doc_id": d}, {"chunk": {"$gte": per_doc[d]}}]}))

    def bump_generation(self) -> int:
        """Mark the collection changed, so readers elsewhere refresh their keyword index.

        The random token makes the marker unique per write: two writers that read the same
        counter and both store counter + 1 still leave a marker no reader has cached.
        """
        def bump(col) -> int:
            meta = self._fresh_metadata(col)
            meta["generation"] = int(meta.get("generation", 0)) + 1
            meta["change"] = uuid.uuid4().hex
            meta["updated"] = time.time()
            meta.setdefault("model", self.model_name)
            col.modify(metadata=meta)
            return meta["generation"]
        return self._call("modify", bump)

    def _fresh_metadata(self, col) -> dict[str, Any]:
        """The collection's metadata as stored now (the collection object caches what it read at open)."""
        client = self._client
        if client is None:
            # Another thread's connection error dropped the client between this call's open and now
            # (server mode): connect again; a failure is the caller's retry or "unavailable".
            client = self._client = self._connect()
        return dict(client.get_collection(self.collection_name, embedding_function=None).metadata or {})

    def _max_batch(self) -> int:
        client = self._client
        if client is None:  # not connected yet, or dropped after a connection error: the fallback below
            return 1000
        try:
            return max(1, min(5000, int(client.get_max_batch_size())))
        except Exception:
            return 1000


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "$eq": lambda a, b: a == b, "$ne": lambda a, b: a != b,
    "$gt": lambda a, b: a is not None and a > b, "$gte": lambda a, b: a is not None and a >= b,
    "$lt": lambda a, b: a is not None and a < b, "$lte": lambda a, b: a is not None and a <= b,
    "$in": lambda a, b: a in b, "$nin": lambda a, b: a not in b,
}


def _matcher(where: dict) -> Callable[[dict], bool] | None:
    """A Python predicate for a Chroma `where` filter, or None if it uses anything else."""
    if not isinstance(where, dict) or len(where) != 1:
        return None
    (key, value), = where.items()
    if key in ("$and", "$or"):
        parts = [_matcher(w) for w in value] if isinstance(value, list) else [None]
        if any(p is None for p in parts):
            return None
        combine = all if key == "$and" else any
        return lambda meta: combine(p(meta) for p in parts)  # type: ignore[misc]
    if key.startswith("$"):
        return None
    if not isinstance(value, dict):
        return lambda meta: meta.get(key) == value
    if len(value) != 1 or next(iter(value)) not in _COMPARE:
        return None
    (op, operand), = value.items()
    compare = _COMPARE[op]
    return lambda meta: key in meta and compare(meta[key], operand)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _looks_like_connection_error(exc: BaseException) -> bool:
    names = {type(e).__name__ for e in _chain(exc)}
    text = " ".join(str(e) for e in _chain(exc)).lower()
    return bool(names & {"ConnectError", "ConnectionError", "ReadError", "RemoteProtocolError", "WriteError",
                         "ConnectTimeout", "ReadTimeout", "ConnectionRefusedError", "ConnectionResetError",
                         "BrokenPipeError"}) \
        or "connection" in text or "could not connect" in text


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    seen = 0
    while exc is not None and seen < 10:
        yield exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
