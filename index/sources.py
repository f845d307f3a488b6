"""Loaders: files, folders and feed exports in, `Document`s (or `Problem`s) out.

Every loader is a generator of `Document | Problem`, so a huge feed export streams
and one bad file or line is reported by name and skipped while the batch goes on.

Supported: `.txt`/`.md` (optional header line ` date YYYY-MM-DD Title: ...`), `.html`/`.htm`
(the article, by `index.web_loader`), `.pdf` (page by page, `index.pdf_loader`), `.docx`
(`index.word_loader`), `.jsonl`/`.json` feed exports (optionally `.gz`), and RSS/Atom
`.xml`/`.rss`/`.atom`. This module dispatches by type and builds the Documents; the readers
of each format live in their own modules.

Files are dated by one rule (`index.document_dates`): a date the document gives, else its
metadata, else a YYYY-MM-DD in its name, else the ingest time, flagged `date_source="ingested"`.
Feed items carry their own date field and are skipped without one, as before.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .document_dates import DocumentDate, choose_date, printed_date
from .encoding import decode_text
from .fetch import starts_as_pdf
from .pdf_loader import read_pdf
from .text import clean_text, one_line, strip_markdown, tidy_text
from .types import Document, Problem
from .web_loader import read_html
from .word_loader import read_docx

if TYPE_CHECKING:
    from .config import Settings

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
PDF_SUFFIXES = {".pdf"}
WORD_SUFFIXES = {".docx"}
JSON_SUFFIXES = {".jsonl", ".json", ".ndjson"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES | WORD_SUFFIXES | JSON_SUFFIXES | FEED_SUFFIXES

MAX_LINE_BYTES = 1_000_000  # one feed item larger than this is not a news item
READ_CHUNK = 65_536  # the rest of an overlong line is read and dropped this much at a time
MAX_GZIP_RATIO = 100  # inflated / compressed: JSON lines compress 3-10x; a gzip bomb 1,000x
MAX_TITLE_CHARS = 300

LoadResult = Document | Problem


@dataclass(frozen=True)
class LoadOptions:
    """Limits and the clock of one load, beyond the file-size cap every loader takes.

    `Settings` gives them (`LoadOptions.from_settings`); the defaults are the settings' defaults.
    """

    max_pdf_pages: int = 500  # a longer PDF is skipped (BRIEFBOT_MAX_PDF_PAGES)
    max_unzipped_bytes: int = 100_000_000  # a .docx inflating past this is refused (BRIEFBOT_MAX_UNZIPPED_MB)
    now: datetime | None = None  # the ingest time for undated files (None: the clock when each is read)

    @classmethod
    def from_settings(cls, settings: Settings, now: datetime | None = None) -> LoadOptions:
        """The limits `settings` sets."""
        return cls(max_pdf_pages=settings.max_pdf_pages,
                   max_unzipped_bytes=int(settings.max_unzipped_mb * 1_000_000), now=now)


DEFAULT_OPTIONS = LoadOptions()


# --- identity and normalisation ---------------------------------------------

def canonical_url(url: str) -> str:
    """The form of a link used for identity: no tracking parameters, fragment or case in the host."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith("utm_")]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))


def doc_id_for(key: str) -> str:
    """Stable 16-hex-digit id for a document key (canonical URL or file path)."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def outlet_name(*urls: str) -> str:
    """Readable outlet from the item's link (or its feed): 'www.lemonde.fr' -> 'lemonde.fr'."""
    for url in urls:
        host = urlsplit(url.strip()).hostname if url and "//" in url else None
        if host:
            host = re.sub(r"^(www\d?|feeds?|rss|moxie|m|edition|news|feed)\.", "", host)
            return re.sub(r"^(www|feeds?|rss)\.", "", host)
    return ""


def language_code(value: str | None, default: str = "en") -> str:
    """'en-US' -> 'en'; missing -> default."""
    value = (value or "").strip().lower()
    return re.split(r"[-_]", value)[0] if value else default


def parse_datetime(value: object) -> datetime | None:
    """ISO 8601 (with or without time/offset), RFC 822 (RSS) or YYYY-MM-DD, as an aware UTC datetime.

    A value without a time zone is taken as UTC; a bare date as its midnight UTC.
    """
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, tz=UTC)
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            match = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
            if not match:
                return None
            try:
                parsed = datetime(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_date(value: object) -> date | None:
    """The UTC calendar date of `parse_datetime(value)`."""
    parsed = parse_datetime(value)
    return parsed.date() if parsed else None


def make_document(*, title: str, text: str, url: str, published: object, source: str, language: str,
                  feed: str, key: str | None = None, pages: Sequence[tuple[int, str]] = (),
                  date_source: str = "", markup: bool = True) -> Document | str:
    """Build a Document from loose fields, or return the reason it can't be one.

    `text` is feed or markup text (tags stripped, entities decoded), or with `markup=False`
    plain text kept verbatim but for whitespace (a "<" in a Word file is a character). A paged
    document gives `pages` instead, (number, plain text) each.
    """
    title = one_line(clean_text(title or ""))[:MAX_TITLE_CHARS]
    offsets: list[tuple[int, int]] = []
    if pages:
        parts: list[str] = []
        length = 0
        for number, page_text in pages:
            cleaned = tidy_text(page_text)
            if not cleaned:
                continue
            if parts:
                length += 2  # the blank line between pages
            offsets.append((number, length))
            parts.append(cleaned)
            length += len(cleaned)
        body = "\n\n".join(parts)
    else:
        body = clean_text(text or "") if markup else tidy_text(text or "")
    if not title and not body:
        return "no title and no text"
    when = parse_datetime(published)
    if when is None:
        return "no publication date" if not published else f"unreadable date {str(published)[:40]!r}"
    if not title:
        title = one_line(body)[:80].rsplit(" ", 1)[0] + "…"
    identity = canonical_url(url) if url else (key or "")
    if not identity:
        return "no link or id"
    return Document(id=doc_id_for(identity), title=title, text=body, url=url.strip(), date=when.date(),
                    source=source or outlet_name(url, feed) or "unknown", language=language, feed=feed,
                    published=when, pages=tuple(offsets), date_source=date_source)


# --- reading files safely --------------------------------------------------

def check_size(path: Path, max_bytes: int) -> None:
    """ValueError for an empty file or one over the size cap, before anything reads it."""
    size = path.stat().st_size
    if size == 0:
        raise ValueError("empty file")
    if size > max_bytes:
        raise ValueError(f"too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:.1f} MB cap)")


def read_text_file(path: Path, max_bytes: int) -> str:
    """Read a file as text, refusing huge or binary files; decoded by `index.encoding.decode_text`
    (UTF-8, else the charset its markup declares, else Windows-1252)."""
    check_size(path, max_bytes)
    data = path.read_bytes()
    # UTF-16 and UTF-32 text is full of NUL bytes: only without their BOM do NULs mean binary.
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        raise ValueError("binary file")
    text = decode_text(data)
    if not text.strip():
        raise ValueError("empty file")
    return text


_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+Title:\s*(.*)$")
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


def _file_key(path: Path) -> str:
    return "file:" + str(path.resolve())


def _dated(doc: Document | str, path: Path) -> LoadResult:
    return Problem(str(path), doc) if isinstance(doc, str) else doc


def load_text(path: Path, max_bytes: int, language: str = "en",
              options: LoadOptions = DEFAULT_OPTIONS) -> Iterator[LoadResult]:
    """A .txt/.md file (Markdown's markup stripped): the seed header line gives date and title; else
    the first line is the title, a YYYY-MM-DD in the file name the date, else a date printed near
    its start, else the ingest time (flagged). The name comes before the text here (not so for
    PDFs) because notes were dated by their name before: their dates, and so their stored
    hashes, stay what they were."""
    text = read_text_file(path, max_bytes)
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        text = strip_markdown(text)  # "- **Next meeting**:" is not what a quote should say
    lines = text.splitlines()
    first = lines[0] if lines else ""
    header = _HEADER.match(first)
    date_source = ""
    if header:
        published, title, body = header[1], header[2], "\n".join(lines[1:])
    else:
        title = first.lstrip("# ").strip()
        body = "\n".join(lines[1:])
        in_name = _DATE_IN_NAME.search(path.name)
        # A date in the name keeps the hash it always had (no date_source): stores stay unchanged.
        published = in_name[1] if in_name else ""
        if not published:
            dated = choose_date(printed=printed_date(text), metadata=None, file_name="", now=options.now)
            published, date_source = dated.published.isoformat(), dated.source
    if not body.strip():
        body = title  # a one-line note: its line is its title and its text (else nothing could quote it)
    doc = make_document(title=title, text=body, url="", published=published, source=path.name,
                        language=language, feed=str(path), key=_file_key(path), date_source=date_source)
    yield _dated(doc, path)


def load_html(path: Path, max_bytes: int, language: str = "en",
              options: LoadOptions = DEFAULT_OPTIONS) -> Iterator[LoadResult]:
    """A saved web page: its article (no menus, banners or footers), canonical URL, title and date.

    The date: the markup's publication time, else a date printed at the top of the article,
    else the file name, else the ingest time (flagged).
    """
    article = read_html(read_text_file(path, max_bytes))
    published: object = article.published
    date_source = ""
    if not parse_datetime(published):
        dated = choose_date(printed=printed_date(article.text), metadata=None, file_name=path.name,
                            now=options.now)
        published, date_source = dated.published, _legacy_source(dated)
    doc = make_document(title=article.title, text=article.text, url=article.url, published=published,
                        source=outlet_name(article.url) or article.site or path.name, language=language,
                        feed=str(path), key=_file_key(path), date_source=date_source, markup=False)
    yield _dated(doc, path)


def _legacy_source(dated: DocumentDate) -> str:
    """No date_source for a date from the file name: text and HTML files were dated so before it existed."""
    return "" if dated.source == "filename" else dated.source


def load_pdf(path: Path, max_bytes: int, language: str = "en",
             options: LoadOptions = DEFAULT_OPTIONS) -> Iterator[LoadResult]:
    """A PDF, page by page (each chunk and citation names its page); dated by what page 1 prints,
    else /CreationDate, else the file name, else the ingest time (flagged)."""
    check_size(path, max_bytes)
    content = read_pdf(path, options.max_pdf_pages)
    dated = choose_date(printed=printed_date(content.first_page), metadata=content.created, file_name=path.name,
                        now=options.now)
    doc = make_document(title=content.title, text="", url="", published=dated.published, source=path.name,
                        language=language, feed=str(path), key=_file_key(path), pages=content.pages,
                        date_source=dated.source)
    yield _dated(doc, path)


def load_docx(path: Path, max_bytes: int, language: str = "en",
              options: LoadOptions = DEFAULT_OPTIONS) -> Iterator[LoadResult]:
    """A Word document: paragraphs, headings and tables in order; dated by its first paragraphs,
    else its core properties, else the file name, else the ingest time (flagged)."""
    check_size(path, max_bytes)
    content = read_docx(path, options.max_unzipped_bytes)
    dated = choose_date(printed=printed_date(content.intro), metadata=content.created, file_name=path.name,
                        now=options.now)
    doc = make_document(title=content.title, text=content.text, url="", published=dated.published,
                        source=path.name, language=language, feed=str(path), key=_file_key(path),
                        date_source=dated.source, markup=False)
    yield _dated(doc, path)


def item_to_document(item: object, feed: str) -> Document | str:
    """One feed-export object (fields as in the project's RSS JSONL) -> Document or reason."""
    if not isinstance(item, dict):
        return "not a JSON object"
    def pick(*names: str) -> str:
        for name in names:
            value = item.get(name)
            if isinstance(value, str) and value.strip():
                return value
        return ""
    url = pick("link", "url")
    source_feed = pick("source", "feed")
    return make_document(
        title=pick("title", "headline"), text=pick("description", "text", "content", "summary", "body"),
        url=url, published=item.get("date_published") or item.get("date") or item.get("published"),
        source=outlet_name(url, source_feed), language=language_code(pick("language", "lang")),
        feed=source_feed or feed, key=pick("id", "guid"))


def load_jsonl(path: Path, max_bytes: int, options: LoadOptions = DEFAULT_OPTIONS) -> Iterator[LoadResult]:
    """A JSONL feed export, streamed line by line (optionally gzip-compressed).

    No line is held longer than MAX_LINE_BYTES: a longer one is skipped in bounded reads. A
    .gz stops with a Problem once it has inflated past `max_inflated_bytes` (a gzip bomb
    inflates 1,000-fold, and one line of it would otherwise be read whole).
    """
    compressed = is_gzip(path)
    size = path.stat().st_size
    if size == 0:
        yield Problem(str(path), "empty file")
        return
    cap = max_inflated_bytes(size, options) if compressed else None
    with (gzip.open(path, "rb") if compressed else open(path, "rb")) as fh:
        head = fh.peek(8192)[:8192] if hasattr(fh, "peek") else b""
        if b"\x00" in head:
            yield Problem(str(path), "binary file")
            return
        for number, (raw, length) in enumerate(bounded_lines(fh, cap), start=1):
            where = f"{path}:{number}"
            if length > MAX_LINE_BYTES:
                yield Problem(where, f"line too long ({length} bytes)")
                continue
            line = decode_text(raw).strip()
            if not line:
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Problem(where, f"malformed JSON ({exc.msg})")
                continue
            doc = item_to_document(item, str(path))
            yield Problem(where, doc) if isinstance(doc, str) else doc


def is_gzip(path: Path) -> bool:
    """Whether the file is named as gzip-compressed (".gz", in any case)."""
    return path.suffix.lower() == ".gz"


def max_inflated_bytes(compressed_size: int, options: LoadOptions) -> int:
    """How far a .gz may inflate: BRIEFBOT_MAX_UNZIPPED_MB, or MAX_GZIP_RATIO times its own size if
    that is more (a big news export inflates some 4-fold, past any fixed cap a .docx needs)."""
    return max(options.max_unzipped_bytes, MAX_GZIP_RATIO * compressed_size)


def bounded_lines(fh: io.BufferedIOBase, max_total: int | None = None) -> Iterator[tuple[bytes, int]]:
    """(line, its length in bytes) of a binary stream, never reading more than MAX_LINE_BYTES + 1 at once.

    A longer line comes back as b"" with its full length (the rest of it is read and dropped in
    pieces). ValueError once more than `max_total` bytes were read (None: no limit).
    """
    total = 0
    while raw := fh.readline(MAX_LINE_BYTES + 1):
        length = len(raw)
        if length > MAX_LINE_BYTES:
            while not raw.endswith(b"\n") and (raw := fh.readline(READ_CHUNK)):
                length += len(raw)
                _check_inflated(total + length, max_total)
            raw = b""
        total += length
        _check_inflated(total, max_total)
        yield raw, length


def _check_inflated(total: int, max_total: int | None) -> None:
    if max_total is not None and total > max_total:
        raise ValueError(f"inflates past {max_total / 1e6:.1f} MB (BRIEFBOT_MAX_UNZIPPED_MB, or "
                         f"{MAX_GZIP_RATIO}x the compressed size); stopped reading there")


def load_json(path: Path, max_bytes: int, options: LoadOptions = DEFAULT_OPTIONS) -> Iterator[LoadResult]:
    """A .json file: a list of items, an object with an "items" list, or JSON lines named .json."""
    text = read_text_file(path, max_bytes)
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        yield from load_jsonl(path, max_bytes, options)
        return
    items = data.get("items") if isinstance(data, dict) and "items" in data else data
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        yield Problem(str(path), "JSON is neither a list of items nor an object with 'items'")
        return
    for number, item in enumerate(items, start=1):
        doc = item_to_document(item, str(path))
        yield Problem(f"{path}[{number}]", doc) if isinstance(doc, str) else doc


def load_feed(path: Path, max_bytes: int) -> Iterator[LoadResult]:
    """An RSS or Atom file, parsed with feedparser."""
    yield from parse_feed_text(read_text_file(path, max_bytes), where=str(path), feed=str(path))


def parse_feed_text(text: str, *, where: str, feed: str) -> Iterator[LoadResult]:
    """RSS/Atom text -> Documents; used for files and for polled feed URLs alike."""
    import feedparser

    parsed = feedparser.parse(text)
    error = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if error is not None and not isinstance(error, feedparser.CharacterEncodingOverride):
        # Broken XML: say so once, then keep whatever complete items feedparser recovered.
        yield Problem(where, f"malformed feed XML ({str(error)[:120]})")
        if not parsed.entries:
            return
    if not parsed.entries:
        yield Problem(where, "feed has no items")
        return
    feed_language = language_code(parsed.feed.get("language"))
    for number, entry in enumerate(parsed.entries, start=1):
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        # feedparser's struct_time is in UTC.
        when = datetime(*published[:6]).replace(tzinfo=UTC).isoformat() if published else entry.get("published")
        content = entry.get("content")
        text_value = content[0].get("value", "") if content else entry.get("summary", "")
        doc = make_document(title=entry.get("title", ""), text=text_value, url=entry.get("link", ""),
                            published=when, source=outlet_name(entry.get("link", ""), feed),
                            language=language_code(entry.get("language"), feed_language),
                            feed=feed, key=entry.get("id", ""))
        yield Problem(f"{where} item {number}", doc) if isinstance(doc, str) else doc


# --- walking paths -----------------------------------------------------------

def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz" and len(suffixes) == 2:
        return suffixes[0]
    return suffixes[-1] if suffixes else ""


def iter_files(root: Path) -> Iterator[Path | Problem]:
    """Files under `root` in a stable order; symlinks, paths escaping `root`, devices, pipes and
    names that are not UTF-8 are refused."""
    if root.is_symlink():
        yield Problem(printable(root), "symlink refused")
        return
    if root.is_file():
        yield _named(root)
        return
    if not root.is_dir():
        yield Problem(printable(root), "not a regular file" if root.exists() else "no such file or folder")
        return
    real_root = root.resolve()
    for path in sorted(root.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if path.is_symlink():
            yield Problem(printable(path), "symlink refused")
            continue
        if not path.is_file():
            if not path.is_dir():
                yield Problem(printable(path), "not a regular file")  # a pipe would block the ingest
            continue
        if not path.resolve().is_relative_to(real_root):
            yield Problem(printable(path), "path escapes the folder")
            continue
        yield _named(path)


def printable(path: Path) -> str:
    """A path as text that can be printed and stored: bytes of a name that is not UTF-8 shown as U+FFFD."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def _named(path: Path) -> Path | Problem:
    """The path, or a Problem when its name is not UTF-8 (it could be neither stored nor printed as it is)."""
    shown = printable(path)
    return path if shown == str(path) else Problem(shown, "file name is not valid UTF-8 (rename the file to read it)")


def load_path(path: Path, max_bytes: int, *, options: LoadOptions | None = None) -> Iterator[LoadResult]:
    """Documents of one file, by type (its suffix); a file that fails becomes one Problem.

    Args:
        path: the file.
        max_bytes: a larger file is skipped before it is read.
        options: the other limits (PDF pages, unzipped .docx size) and the ingest clock.
    """
    options = options or DEFAULT_OPTIONS
    kind = _suffix(path)
    if kind in TEXT_SUFFIXES | HTML_SUFFIXES and _is_pdf(path):
        kind = ".pdf"  # a PDF saved under a text name: its text layer, not its bytes, is the document
    if is_gzip(path) and kind not in JSON_SUFFIXES:
        yield Problem(str(path), "only .jsonl.gz is read compressed")
        return
    if kind in TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES | WORD_SUFFIXES:
        document_loaders = {**{s: load_text for s in TEXT_SUFFIXES}, **{s: load_html for s in HTML_SUFFIXES},
                            ".pdf": load_pdf, ".docx": load_docx}
        loaded = document_loaders[kind](path, max_bytes, options=options)
    elif kind in JSON_SUFFIXES:
        loaded = (load_json if kind == ".json" else load_jsonl)(path, max_bytes, options)
    elif kind in FEED_SUFFIXES:
        loaded = load_feed(path, max_bytes)
    else:
        yield Problem(str(path), f"unsupported file type '{kind or path.name}'")
        return
    try:
        yield from loaded
    except (OSError, ValueError, UnicodeError, EOFError, gzip.BadGzipFile) as exc:
        yield Problem(str(path), str(exc) or type(exc).__name__)


def _is_pdf(path: Path) -> bool:
    """Whether the file starts as a PDF does (`index.fetch.starts_as_pdf`, the check links get)."""
    try:
        with open(path, "rb") as fh:
            return starts_as_pdf(fh.read(1024))
    except OSError:
        return False  # the loader meets the same error and reports it


def load_paths(paths: Iterable[Path], max_bytes: int, *, options: LoadOptions | None = None) -> Iterator[LoadResult]:
    """Documents from files and folders, in order; problems interleaved where they occur."""
    for root in paths:
        for entry in iter_files(Path(root)):
            if isinstance(entry, Problem):
                yield entry
            else:
                yield from load_path(entry, max_bytes, options=options)
