"""The Chroma store: chunks with their vectors and metadata, one record per chunk.

Embedded (`chromadb.PersistentClient` under the data dir) by default, or a Chroma
server when `BRIEFBOT_CHROMA_URL` is set. Record ids are `<doc_id>-<chunk>`; every
chunk carries its document's content hash, so an ingest can tell from the store
alone what is new, changed or unchanged. The collection's metadata keeps the model
name and vector size (a different model is refused, not silently mixed) and a
`generation` counter that every changing write bumps: other processes use it to
know when their keyword index is stale.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .chunking import Chunk, content_hash
from .config import Settings
from .errors import ModelMismatchError, StoreLockedError, StoreUnavailableError


@dataclass(frozen=True)
class StoredChunk:
    id: str
    text: str
    meta: dict[str, Any]


def chunk_metadata(chunk: Chunk, n_chunks: int, digest: str) -> dict[str, Any]:
    doc = chunk.doc
    return {
        "doc_id": doc.id, "chunk": chunk.index, "chunks": n_chunks, "hash": digest,
        "title": doc.title, "url": doc.url, "date": doc.date_str,
        "day": int(doc.date_str.replace("-", "")) if doc.date_str else 0,
        "ts": doc.timestamp,
        "source": doc.source, "lang": doc.language, "feed": doc.feed,
    }


class WriterLock:
    """An exclusive advisory lock on the data dir: one writer at a time (embedded mode)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "write.lock"
        self._fh = None

    def acquire(self) -> None:
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
        self._client = None
        self._collection = None

    # --- connection ---------------------------------------------------------

    @property
    def location(self) -> str:
        return self.settings.chroma_url or str(self.settings.data_dir / "chroma")

    def _connect(self):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        try:
            if self.settings.chroma_url:
                from urllib.parse import urlsplit

                url = urlsplit(self.settings.chroma_url)
                return chromadb.HttpClient(host=url.hostname or "localhost", port=url.port or 8000,
                                           ssl=url.scheme == "https", settings=chroma_settings)
            path = self.settings.data_dir / "chroma"
            path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        except Exception as exc:
            raise StoreUnavailableError(f"cannot open the store at {self.location}: {_short(exc)}") from exc

    @property
    def collection(self):
        if self._collection is None:
            self._client = self._client or self._connect()
            try:
                self._collection = self._client.get_or_create_collection(
                    self.settings.collection, embedding_function=None,
                    configuration={"hnsw": {"space": "cosine", "ef_search": 100, "ef_construction": 100}},
                    metadata={"model": self.model_name, "generation": 0})
            except Exception as exc:
                raise StoreUnavailableError(f"cannot open the store at {self.location}: {_short(exc)}") from exc
            stored_model = (self._collection.metadata or {}).get("model")
            if stored_model and stored_model != self.model_name:
                raise ModelMismatchError(
                    f"the store at {self.location} was built with model {stored_model!r}, not {self.model_name!r}: "
                    "use another BRIEFBOT_DATA_DIR / BRIEFBOT_COLLECTION, or re-ingest into a fresh one")
        return self._collection

    def _call(self, what: str, fn, *args, **kwargs):
        """Run a Chroma call; connection failures become StoreUnavailableError (and reconnect next time)."""
        try:
            return fn(*args, **kwargs)
        except (ModelMismatchError, StoreUnavailableError):
            raise
        except Exception as exc:
            if self.settings.chroma_url and _looks_like_connection_error(exc):
                self._collection = None
                self._client = None
                raise StoreUnavailableError(f"the store at {self.location} is unavailable ({what})") from exc
            raise

    # --- reads --------------------------------------------------------------

    def count(self) -> int:
        return self._call("count", lambda: self.collection.count())

    def generation(self) -> int:
        """Change counter of the collection, read fresh from the store (other writers bump it)."""
        def read() -> int:
            fresh = self._client.get_collection(self.settings.collection) if self._client else None
            meta = (fresh.metadata if fresh is not None else self.collection.metadata) or {}
            return int(meta.get("generation", 0))
        self.collection  # noqa: B018 - connect first
        return self._call("generation", read)

    def stored_hashes(self, doc_ids: Sequence[str]) -> dict[str, tuple[str, int]]:
        """doc_id -> (content hash, chunk count) for the documents already stored."""
        if not doc_ids:
            return {}
        got = self._call("get", self.collection.get, ids=[f"{d}-0" for d in doc_ids], include=["metadatas"])
        return {m["doc_id"]: (m["hash"], int(m["chunks"])) for m in got["metadatas"] if m}

    def iter_chunks(self, page: int = 5000, where: dict | None = None) -> Iterator[StoredChunk]:
        """Every stored chunk with text and metadata, paged (the keyword index is built from this)."""
        offset = 0
        while True:
            got = self._call("get", self.collection.get, include=["documents", "metadatas"],
                             limit=page, offset=offset, where=where)
            ids = got["ids"]
            for cid, text, meta in zip(ids, got["documents"], got["metadatas"], strict=True):
                yield StoredChunk(cid, text or "", dict(meta or {}))
            if len(ids) < page:
                return
            offset += page

    def get_chunks(self, ids: Sequence[str]) -> list[StoredChunk]:
        if not ids:
            return []
        got = self._call("get", self.collection.get, ids=list(ids), include=["documents", "metadatas"])
        return [StoredChunk(i, t or "", dict(m or {}))
                for i, t, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)]

    def embeddings(self, ids: Sequence[str]) -> dict[str, Any]:
        """Stored vectors by chunk id (no model needed)."""
        if not ids:
            return {}
        got = self._call("get", self.collection.get, ids=list(ids), include=["embeddings"])
        return dict(zip(got["ids"], got["embeddings"], strict=True))

    def document_chunks(self, doc_id: str) -> list[StoredChunk]:
        """All chunks of one document, in order."""
        got = self._call("get", self.collection.get, where={"doc_id": doc_id}, include=["documents", "metadatas"])
        chunks = [StoredChunk(i, t or "", dict(m or {}))
                  for i, t, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)]
        return sorted(chunks, key=lambda c: int(c.meta.get("chunk", 0)))

    def query(self, vector: list[float], n: int, where: dict | None = None) -> list[tuple[StoredChunk, float]]:
        """Nearest chunks by cosine similarity (1 - distance), best first."""
        total = self.count()
        if total == 0:
            return []
        got = self._call("query", self.collection.query, query_embeddings=[vector], n_results=min(n, total),
                         where=where, include=["documents", "metadatas", "distances"])
        out = []
        for cid, text, meta, dist in zip(got["ids"][0], got["documents"][0], got["metadatas"][0],
                                         got["distances"][0], strict=True):
            out.append((StoredChunk(cid, text or "", dict(meta or {})), 1.0 - float(dist)))
        return out

    # --- writes -------------------------------------------------------------

    def write(self, chunks: list[Chunk], vectors: Any, previous: dict[str, tuple[str, int]]) -> None:
        """Upsert chunks with their vectors; drop chunks a shorter new version no longer has."""
        if not chunks:
            return
        per_doc: dict[str, int] = {}
        for chunk in chunks:
            per_doc[chunk.doc.id] = per_doc.get(chunk.doc.id, 0) + 1
        hashes = {c.doc.id: content_hash(c.doc) for c in chunks if c.index == 0}
        limit = self._max_batch()
        for start in range(0, len(chunks), limit):
            part = chunks[start:start + limit]
            self._call("upsert", self.collection.upsert,
                       ids=[c.id for c in part], embeddings=vectors[start:start + limit],
                       documents=[c.text for c in part],
                       metadatas=[chunk_metadata(c, per_doc[c.doc.id], hashes[c.doc.id]) for c in part])
        stale = [f"{doc_id}-{i}" for doc_id, (_, old_n) in previous.items() if doc_id in per_doc
                 for i in range(per_doc[doc_id], old_n)]
        if stale:
            self._call("delete", self.collection.delete, ids=stale)

    def bump_generation(self) -> int:
        """Mark the collection changed, so readers elsewhere refresh their keyword index."""
        meta = dict(self.collection.metadata or {})
        meta["generation"] = int(meta.get("generation", 0)) + 1
        meta["updated"] = time.time()
        meta.setdefault("model", self.model_name)
        self._call("modify", self.collection.modify, metadata=meta)
        return meta["generation"]

    def _max_batch(self) -> int:
        try:
            return max(1, min(5000, int(self._client.get_max_batch_size())))
        except Exception:
            return 1000


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _looks_like_connection_error(exc: BaseException) -> bool:
    names = {type(e).__name__ for e in _chain(exc)}
    text = " ".join(str(e) for e in _chain(exc)).lower()
    return bool(names & {"ConnectError", "ConnectionError", "ReadError", "RemoteProtocolError",
                         "ConnectTimeout", "ReadTimeout", "ConnectionRefusedError"}) \
        or "connection" in text or "could not connect" in text


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    seen = 0
    while exc is not None and seen < 10:
        yield exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
