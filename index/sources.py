"""Loaders: files, folders and feed exports in, `Document`s (or `Problem`s) out.

Every loader is a generator of `Document | Problem`, so a huge feed export streams
and one bad file or line is reported by name and skipped while the batch goes on.

Supported: `.txt`/`.md` (optional header line ` date YYYY-MM-DD Title: ...`), `.html`/`.htm`,
`.jsonl`/`.json` feed exports (optionally `.gz`), and RSS/Atom `.xml`/`.rss`/`.atom`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .text import clean_text, one_line
from .types import Document, Problem

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".jsonl", ".json", ".ndjson"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | FEED_SUFFIXES

MAX_LINE_BYTES = 1_000_000  # one feed item larger than this is not a news item
MAX_TITLE_CHARS = 300

LoadResult = Document | Problem


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
                  feed: str, key: str | None = None) -> Document | str:
    """Build a Document from loose fields, or return the reason it can't be one."""
    title = one_line(clean_text(title or ""))[:MAX_TITLE_CHARS]
    body = clean_text(text or "")
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
                    published=when)


# --- reading files safely --------------------------------------------------

def read_text_file(path: Path, max_bytes: int) -> str:
    """Read a file as text, refusing huge or binary files; bad bytes become U+FFFD."""
    size = path.stat().st_size
    if size == 0:
        raise ValueError("empty file")
    if size > max_bytes:
        raise ValueError(f"too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:.1f} MB cap)")
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:8192]:
        raise ValueError("binary file")
    text = data.decode("utf-8", errors="replace")
    if not text.strip():
        raise ValueError("empty file")
    return text


_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+Title:\s*(.*)$")
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


def load_text(path: Path, max_bytes: int, language: str = "en") -> Iterator[LoadResult]:
    """A .txt/.md file: the seed header line gives date and title; else the first line is the title
    and a YYYY-MM-DD in the file name gives the date."""
    text = read_text_file(path, max_bytes)
    lines = text.splitlines()
    first = lines[0] if lines else ""
    header = _HEADER.match(first)
    if header:
        published, title, body = header[1], header[2], "\n".join(lines[1:])
    else:
        title = first.lstrip("# ").strip()
        body = "\n".join(lines[1:])
        in_name = _DATE_IN_NAME.search(path.name)
        published = in_name[1] if in_name else ""
        if not published:
            yield Problem(str(path), "no date: start the file with ' date YYYY-MM-DD Title: ...' "
                                     "or put YYYY-MM-DD in its name")
            return
    doc = make_document(title=title, text=body, url="", published=published, source=path.name,
                        language=language, feed=str(path), key="file:" + str(path.resolve()))
    yield Problem(str(path), doc) if isinstance(doc, str) else doc


class _HTMLMeta(HTMLParser):
    """Collects <title>, the first <h1>, canonical URL, publication date and body text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.h1 = ""
        self.url = ""
        self.published = ""
        self.parts: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            name = (a.get("property") or a.get("name") or "").lower()
            if name in ("article:published_time", "date", "pubdate", "dc.date", "og:published_time"):
                self.published = self.published or a.get("content", "")
            elif name == "og:url":
                self.url = self.url or a.get("content", "")
        elif tag == "link" and a.get("rel", "").lower() == "canonical":
            self.url = a.get("href", "") or self.url
        elif tag == "time" and a.get("datetime"):
            self.published = self.published or a["datetime"]
        if tag in ("p", "br", "div", "li", "h1", "h2", "h3", "tr", "section", "article"):
            self.parts.append("\n\n")
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self._in and self._in.pop() != tag:
            pass
        if tag in ("p", "div", "li", "h1", "h2", "h3"):
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if any(t in ("script", "style", "noscript", "head") for t in self._in):
            if self._in and self._in[-1] == "title":
                self.title += data
            return
        if "title" in self._in:
            self.title += data
            return
        if "h1" in self._in:
            self.h1 += data
        self.parts.append(data)


def load_html(path: Path, max_bytes: int, language: str = "en") -> Iterator[LoadResult]:
    """An HTML page: title (else its <h1>), body text, canonical URL and date from its markup or file name."""
    parser = _HTMLMeta()
    parser.feed(read_text_file(path, max_bytes))
    parser.close()
    published = parser.published or (_DATE_IN_NAME.search(path.name) or [""])[0]
    doc = make_document(title=parser.title.strip() or parser.h1.strip(), text="".join(parser.parts),
                        url=parser.url, published=published, source=outlet_name(parser.url) or path.name,
                        language=language, feed=str(path), key="file:" + str(path.resolve()))
    yield Problem(str(path), doc) if isinstance(doc, str) else doc


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


def load_jsonl(path: Path, max_bytes: int) -> Iterator[LoadResult]:
    """A JSONL feed export, streamed line by line (optionally gzip-compressed)."""
    opener = gzip.open if path.suffix == ".gz" else open
    if path.stat().st_size == 0:
        yield Problem(str(path), "empty file")
        return
    with opener(path, "rb") as fh:
        head = fh.peek(8192)[:8192] if hasattr(fh, "peek") else b""
        if b"\x00" in head:
            yield Problem(str(path), "binary file")
            return
        for number, raw in enumerate(fh, start=1):
            where = f"{path}:{number}"
            if len(raw) > MAX_LINE_BYTES:
                yield Problem(where, f"line too long ({len(raw)} bytes)")
                continue
            line = raw.decode("utf-8", errors="replace").strip()
            if not line:
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Problem(where, f"malformed JSON ({exc.msg})")
                continue
            doc = item_to_document(item, str(path))
            yield Problem(where, doc) if isinstance(doc, str) else doc


def load_json(path: Path, max_bytes: int) -> Iterator[LoadResult]:
    """A .json file: a list of items, an object with an "items" list, or JSON lines named .json."""
    text = read_text_file(path, max_bytes)
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        yield from load_jsonl(path, max_bytes)
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
    """Files under `root` in a stable order; symlinks and paths escaping `root` are refused."""
    if root.is_symlink():
        yield Problem(str(root), "symlink refused")
        return
    if root.is_file():
        yield root
        return
    if not root.is_dir():
        yield Problem(str(root), "no such file or folder")
        return
    real_root = root.resolve()
    for path in sorted(root.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if path.is_symlink():
            yield Problem(str(path), "symlink refused")
            continue
        if not path.is_file():
            continue
        if not path.resolve().is_relative_to(real_root):
            yield Problem(str(path), "path escapes the folder")
            continue
        yield path


def load_path(path: Path, max_bytes: int) -> Iterator[LoadResult]:
    """Documents of one file, by type; a file that fails becomes one Problem."""
    kind = _suffix(path)
    if path.suffix.lower() == ".gz" and kind not in JSON_SUFFIXES:
        yield Problem(str(path), "only .jsonl.gz is read compressed")
        return
    loaders = {**{s: load_text for s in TEXT_SUFFIXES}, **{s: load_html for s in HTML_SUFFIXES},
               ".jsonl": load_jsonl, ".ndjson": load_jsonl, ".json": load_json,
               **{s: load_feed for s in FEED_SUFFIXES}}
    loader = loaders.get(kind)
    if loader is None:
        yield Problem(str(path), f"unsupported file type '{kind or path.name}'")
        return
    try:
        yield from loader(path, max_bytes)
    except (OSError, ValueError, UnicodeError, EOFError, gzip.BadGzipFile) as exc:
        yield Problem(str(path), str(exc) or type(exc).__name__)


def load_paths(paths: Iterable[Path], max_bytes: int) -> Iterator[LoadResult]:
    """Documents from files and folders, in order; problems interleaved where they occur."""
    for root in paths:
        for entry in iter_files(Path(root)):
            if isinstance(entry, Problem):
                yield entry
            else:
                yield from load_path(entry, max_bytes)
