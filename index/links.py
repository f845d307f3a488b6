"""Links in, documents out: fetch each URL, hand its body to the file loaders, stamp it with the URL.

    for item in link_documents(["https://www.example.org/story"], FetchLimits()):
        ...                                   # Document | Problem, in the order of the URLs

A fetched body is written to a temporary file whose suffix comes from content sniffing
(`Fetched.suffix`: .pdf, .docx, .html, .txt, .json, .jsonl, .xml) and read by
`index.sources.load_path`, so a link is read exactly as the same file on disk would be.

What a page fetched from a link is stored as:

- `id` = `doc_id_for(canonical_url(final URL))`, `url` = the final URL (after redirects):
  the page's own claims (`<link rel=canonical>`, `og:url`) are ignored, so a page cannot
  take over another document's id;
- `source` = the final URL's host (`outlet_name`): the host the text came from is the one
  fact a page cannot fake (a site name in its markup can say anything);
- `feed` = the URL as given; `from_link` = True (a feed's summary of the same URL never
  replaces it; see `Briefbot._ingest_batch`);
- title, text, date and language are the loader's. A page whose markup gives no date is
  dated by its `Last-Modified` header, else by the day it was fetched (the temp file's name
  carries that date, the loaders' file-name fallback).

A feed fetched by URL (RSS/Atom, JSON or JSON lines) yields its items, which keep their own
links and ids (only the `feed` they came through becomes the URL).

Fetches run a few at a time ahead of the consumer (network waits overlap with embedding);
the results come out in the order of the URLs.
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from .encoding import decode_text
from .errors import LinkError
from .fetch import Fetched, FetchLimits, fetch_url
from .sources import LoadOptions, canonical_url, doc_id_for, load_path, outlet_name
from .types import Document, Problem

log = logging.getLogger(__name__)

FETCH_WORKERS = 4  # URLs fetched at once: overlaps network waits without hammering one host
FEED_KINDS = {"xml", "json", "jsonl"}  # bodies holding many items, each with its own link
TRANSCODED_KINDS = {"html", "txt", "json", "jsonl"}  # XML is decoded by its own declaration

LoadResult = Document | Problem


def link_documents(urls: Iterable[str], limits: FetchLimits,
                   options: LoadOptions | None = None) -> Iterator[LoadResult]:
    """Documents (or Problems named by the URL) of every link, in the order given (`options`: the loaders' caps)."""
    with ThreadPoolExecutor(max_workers=FETCH_WORKERS, thread_name_prefix="fetch") as pool:
        pending: deque[tuple[str, Future[Fetched]]] = deque()
        try:
            yield from _in_order(pending, iter(urls), pool, limits, options)
        finally:
            for _, future in pending:  # the consumer stopped early: do not fetch what nobody reads
                future.cancel()


def _in_order(pending: deque[tuple[str, Future[Fetched]]], todo: Iterator[str], pool: ThreadPoolExecutor,
              limits: FetchLimits, options: LoadOptions | None) -> Iterator[LoadResult]:
    """Submit fetches a bounded window ahead; yield each URL's results when its turn comes."""
    exhausted = False
    submitted: set[str] = set()
    while True:
        # Keep a bounded window in flight: bodies waiting to be read cost memory (up to the size cap each).
        while not exhausted and len(pending) < FETCH_WORKERS * 2:
            url = next(todo, None)
            if url is None:
                exhausted = True
            elif url.strip() not in submitted:  # the same link twice in one list is fetched once
                submitted.add(url.strip())
                pending.append((url, pool.submit(fetch_url, url, limits)))
        if not pending:
            return
        url, future = pending.popleft()
        where = " ".join(url.split())  # named on one line, whatever the caller passed
        try:
            fetched = future.result()
        except LinkError as exc:
            yield Problem(where, str(exc))
            continue
        except Exception as exc:  # a bug in one fetch must not stop the batch
            log.exception("fetching %s failed unexpectedly", where)
            yield Problem(where, " ".join(f"{type(exc).__name__}: {exc}".split())[:200])
            continue
        yield from documents_of(fetched, limits.max_bytes, options)


def documents_of(fetched: Fetched, max_bytes: int, options: LoadOptions | None = None) -> list[LoadResult]:
    """Read a fetched body with the loader its kind calls for; stamp a page with its URL's identity."""
    fallback_day = (fetched.last_modified or datetime.now(UTC)).date()
    with tempfile.TemporaryDirectory(prefix="briefbot-link-") as folder:
        # The date in the name is the loaders' fallback for a page that states none.
        path = Path(folder) / f"link-{fallback_day.isoformat()}{fetched.suffix}"
        path.write_bytes(_as_utf8(fetched))
        try:
            items = list(load_path(path, max_bytes, options=options))
        except Exception as exc:  # a loader's bug on one hostile body must not stop the batch
            log.exception("reading %s failed unexpectedly", fetched.url)
            return [Problem(fetched.url, f"could not read it ({type(exc).__name__}: {exc})")]
    out: list[LoadResult] = []
    pages = 0
    for item in items:
        if isinstance(item, Problem):
            # "/tmp/.../link-2023-08-14.jsonl:3" -> "https://host/export.jsonl:3"
            out.append(Problem(item.where.replace(str(path), fetched.url), item.reason.replace(str(path), "")))
        elif fetched.kind in FEED_KINDS:
            out.append(dataclasses.replace(item, feed=fetched.url) if item.feed == str(path) else item)
        else:
            out.append(stamp(item, fetched, pages))
            pages += 1
    return out


def stamp(doc: Document, fetched: Fetched, number: int = 0) -> Document:
    """The document a page loader read, under the identity of the URL it was fetched from.

    `number` > 0 only if a loader ever yields several documents for one page: each then gets an
    id of its own (`<canonical url>#<number>`) instead of all colliding on one.
    """
    identity = canonical_url(fetched.final_url)
    if number:
        identity += f"#{number}"
    date_source = doc.date_source
    if date_source == "filename":  # the temp file's name carried the fallback: Last-Modified, else the fetch day
        date_source = "metadata" if fetched.last_modified else "ingested"
    return dataclasses.replace(doc, id=doc_id_for(identity), url=fetched.final_url,
                               source=outlet_name(fetched.final_url) or doc.source, feed=fetched.url,
                               from_link=True, date_source=date_source)


def read_url_file(path: Path) -> list[str]:
    """The URLs of a list file: one per line; blank lines and `#` comments (whole or trailing) ignored.

    Raises:
        OSError: the file cannot be read.
    """
    urls = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        # A URL holds no whitespace, so " #" starts a trailing comment (a bare "#" is a fragment).
        urls.append(line.split(" #", 1)[0].split("\t#", 1)[0].strip())
    return urls


def _as_utf8(fetched: Fetched) -> bytes:
    """The body in UTF-8 when the server named a charset: the loaders then read it as the same file
    on disk would be, the header's charset taking the place of the file's declaration."""
    if fetched.kind not in TRANSCODED_KINDS or not fetched.charset:
        return fetched.body
    return decode_text(fetched.body, fetched.charset).encode("utf-8")
