"""PDF files: the text layer of each page, with running headers and footers taken out.

pypdf reads the text (plain mode, content-stream order). Measured against pypdf's layout mode
and pdfminer.six on generated two-column report pages (`bench/pdf_loaders.py`): plain mode
keeps columns in reading order and every sentence intact where layout mode interleaves the
columns line by line, and it is several times faster than pdfminer.six for the same text.

What comes out is one text per page (`PdfContent.pages`), so that chunks and citations can
name the page. Lines are joined back into paragraphs; a line recurring on most pages with
only its numbers changing ("Niger situation report | Page 4 of 12") is a running header or
footer and is dropped, so it never becomes a quotable sentence.

Everything a PDF can do wrong becomes `PdfError` (a ValueError) with a reason a reader
understands: not a PDF, truncated, damaged, encrypted, too many pages, no text layer.
"""

from __future__ import annotations

import logging
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .text import split_sentences, strip_control

# pypdf logs every oddity of a damaged file (some at ERROR: "Advanced encoding ... not implemented");
# the loader reports a file it cannot read itself, as a Problem.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)

MIN_TEXT_LETTERS = 40  # fewer letters in the whole file: a scan (or an image PDF) without a text layer
EOF_WINDOW = 2048  # the end-of-file marker must lie this close to the end (pypdf looks in the last 1 KB)
EDGE_LINES = 4  # lines at the top or bottom of a page where running heads and page numbers sit
RUNNING_SHARE = 0.5  # a line at a page edge on this share of pages (and 3 of them) is a running header/footer
INNER_RUNNING_SHARE = 0.8  # ... and one inside the text must be on this share of pages ...
MIN_INNER_RUNNING_LETTERS = 12  # ... and have this many letters
MAX_RUNNING_CHARS = 200  # longer lines are text, however often they recur
SHORT_LINE = 0.7  # a line shorter than this share of a full line ends its paragraph

_PAGE_NUMBER = re.compile(r"^\W*(?:(?:page|p\.|pg\.?)\s*)?\d{1,4}(?:\s*(?:of|/|sur|de)\s*\d{1,4})?\W*$", re.I)
_DIGITS = re.compile(r"\d+")
# How a page's text ends when its last sentence is complete (a closing quote or bracket may follow).
_SENTENCE_END = re.compile(r"[.!?:;…][\"'’”)\]]*$")
_BULLET = re.compile(r"^(?:[•▪◦●■\-–—*]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")
_GENERIC_TITLE = re.compile(r"^(untitled|microsoft word - .*|.*\.(docx?|pdf|indd|rtf|odt|txt))$", re.I)


class PdfError(ValueError):
    """A PDF that cannot be read; the message says why, fit to show a user."""


@dataclass(frozen=True)
class PdfContent:
    """What a PDF gives: its pages' text, and what there is of a title and a date."""

    pages: list[tuple[int, str]]  # (page number from 1, paragraphs of that page); pages without text left out
    first_page: str  # page 1's text as extracted, running lines included (a report's dateline sits there)
    title: str  # from the metadata when it is a real title, else the first line of the first page with text
    created: datetime | None  # /CreationDate of the document information


def read_pdf(path: Path, max_pages: int) -> PdfContent:
    """The text of a PDF file, page by page.

    Args:
        path: the file (its size is checked by the caller).
        max_pages: a longer document is refused (it would hold the ingest for minutes).

    Raises:
        PdfError: not a PDF, truncated, damaged, encrypted, over the page cap, or no text layer.
    """
    with open(path, "rb") as fh:
        head = fh.read(1024)
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - EOF_WINDOW))
        tail = fh.read()
    if b"%PDF-" not in head:
        raise PdfError("not a PDF (no %PDF header)")
    if b"%%EOF" not in tail:
        raise PdfError("truncated or damaged PDF (no end-of-file marker)")
    reader = _open(path)
    try:
        count = len(reader.pages)
    except Exception as exc:  # pypdf raises many kinds on a broken page tree
        raise PdfError(f"damaged PDF ({_why(exc)})") from None
    if count > max_pages:
        raise PdfError(f"{count} pages, over the {max_pages}-page cap (BRIEFBOT_MAX_PDF_PAGES)")
    if count == 0:
        raise PdfError("the PDF has no pages")
    raw: list[str] = []
    failed = 0
    for page in reader.pages:
        try:
            raw.append(strip_control(page.extract_text() or ""))
        except Exception:  # one broken page: the others are still worth reading
            raw.append("")
            failed += 1
    if failed == count:
        raise PdfError("damaged PDF (no page could be read)")
    if sum(ch.isalpha() for text in raw for ch in text) < MIN_TEXT_LETTERS:
        raise PdfError("no text layer (scanned?)")
    lines = drop_running_lines([_lines(text) for text in raw])
    pages = mend_page_breaks([(number, text) for number, page_lines in enumerate(lines, start=1)
                              if (text := paragraphs(page_lines))])
    title = _metadata_title(reader) or _first_line(pages)
    return PdfContent(pages=pages, first_page=raw[0], title=title, created=_created(reader))


def _open(path: Path):
    """A PdfReader, decrypted when an empty password opens it; else PdfError."""
    from pypdf import PasswordType, PdfReader

    try:
        reader = PdfReader(path, strict=False)
    except Exception as exc:
        raise PdfError(f"damaged PDF ({_why(exc)})") from None
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # DependencyError (AES without a crypto library), unknown algorithms
            raise PdfError(f"encrypted PDF that cannot be opened here ({_why(exc)})") from None
        if opened == PasswordType.NOT_DECRYPTED:
            raise PdfError("encrypted PDF: it needs a password")
    return reader


def _why(exc: BaseException) -> str:
    """pypdf's own message ("startxref not found"); for anything else, only the kind of failure."""
    from pypdf.errors import PyPdfError

    text = " ".join(str(exc).split())[:120]
    if isinstance(exc, PyPdfError) and text:
        return text
    return f"unreadable structure: {type(exc).__name__}"


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _line_key(line: str) -> str:
    """A line with its numbers blanked: "Page 3 of 12" and "Page 4 of 12" are one running line."""
    return _DIGITS.sub("#", line.lower())


def _is_page_number(line: str, pages: int) -> bool:
    """"4", "- 4 -", "Page 4 of 12", "p. 4": a page number, not a line of text ("2023." is not one)."""
    match = _PAGE_NUMBER.match(line)
    return bool(match) and int(_DIGITS.findall(line)[0]) <= pages


def drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """The pages' lines without running headers and footers, and without bare page numbers.

    A running line recurs, numbers aside, page after page. At a page's edge (its first or last
    few lines as extracted, where most producers write them) it must recur on at least half of
    the pages and three of them (both pages of a two-page document). Anywhere else (a producer
    that writes the header between the columns) it must recur on nearly every page and be a
    real line of words, so that a short body line ("2023.") that happens to repeat is kept.
    A bare page number at an edge always goes.
    """
    def edges(page: list[str]) -> set[int]:
        return set(range(min(EDGE_LINES, len(page)))) | set(range(max(0, len(page) - EDGE_LINES), len(page)))

    def candidate(line: str) -> bool:
        return len(line) <= MAX_RUNNING_CHARS and sum(ch.isalpha() for ch in line) >= 3

    at_edge: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    for page in pages:
        at_edge.update({_line_key(page[i]) for i in edges(page) if candidate(page[i])})
        anywhere.update({_line_key(line) for line in page
                         if candidate(line) and sum(ch.isalpha() for ch in line) >= MIN_INNER_RUNNING_LETTERS})
    with_text = sum(1 for page in pages if page)
    needed = max(3, math.ceil(RUNNING_SHARE * with_text)) if with_text >= 3 else 2
    needed_inside = max(3, math.ceil(INNER_RUNNING_SHARE * with_text))
    running_edge = {key for key, count in at_edge.items() if count >= needed}
    running_inside = {key for key, count in anywhere.items() if count >= needed_inside}
    out = []
    for page in pages:
        edge = edges(page)
        drop = {i for i, line in enumerate(page)
                if (key := _line_key(line)) in running_inside
                or (i in edge and (key in running_edge or _is_page_number(line, len(pages))))}
        out.append([line for i, line in enumerate(page) if i not in drop])
    # A document made only of lines that recur page after page (a form, a slide deck's one line
    # per page): those lines are its text.
    return out if any(out) else pages


def paragraphs(lines: list[str]) -> str:
    """A page's lines joined into paragraphs (blank-line separated).

    A PDF breaks lines where the column ends, not where sentences do: lines are joined with
    a space, a word hyphenated across a line break is mended, and a short line (a heading, the
    last line of a paragraph) or a bullet starts a new paragraph.
    """
    if not lines:
        return ""
    long_lines = [len(line) for line in lines if len(line) >= 20]
    full = statistics.median(long_lines) if long_lines else 60
    out: list[str] = []
    current = ""
    for line in lines:
        if current and _BULLET.match(line):
            out.append(current)
            current = ""
        if not current:
            current = line
        elif current.endswith("-") and len(current) > 1 and current[-2].isalpha() and line[:1].islower():
            current = current[:-1] + line  # "inter-" + "national": one word broken by the typesetter
        else:
            current = f"{current} {line}"
        if len(line) < SHORT_LINE * full:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return "\n\n".join(out)


def mend_page_breaks(pages: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Pages with each sentence that a page break cut in two made whole on the page where it starts.

    A page whose text stops mid-sentence ("... killed 48 people and") followed by a page that
    opens in lower case ("destroyed 11,300 homes ... season. The ...") is one sentence broken by
    the typesetter: the continuation, up to its first sentence end, moves to the end of the
    earlier page, so it is quoted whole and cited on the page where it starts.
    """
    out = list(pages)
    for i in range(1, len(out)):
        (before_number, before), (number, text) = out[i - 1], out[i]
        if not before or not text[:1].islower() or _SENTENCE_END.search(before):
            continue
        first, _, rest = text.partition("\n\n")
        head = (split_sentences(first) or [first])[0]
        head = head if head in first else first
        tail = first[first.index(head) + len(head):].strip()
        if before.endswith("-") and before[-2:-1].isalpha():
            before = before[:-1] + head  # a word hyphenated across the break ("affect-" + "ed")
        else:
            before = f"{before} {head}"
        out[i - 1] = (before_number, before)
        out[i] = (number, "\n\n".join(part for part in (tail, rest) if part))
    return [(number, text) for number, text in out if text]


def _metadata_title(reader) -> str:
    """The document information's /Title, unless it is empty or a placeholder ("Untitled", "x.docx")."""
    try:
        title = " ".join(str((reader.metadata or {}).get("/Title") or "").split())
    except Exception:
        return ""
    title = strip_control(title)
    if len(title) < 3 or _GENERIC_TITLE.match(title) or not any(ch.isalpha() for ch in title):
        return ""
    return title


def _first_line(pages: list[tuple[int, str]]) -> str:
    """The first line with words on the first page with text (a report's title stands there)."""
    for _, text in pages[:1]:
        for par in text.split("\n\n"):
            if sum(ch.isalpha() for ch in par) >= 3:
                return par
    return ""


def _created(reader) -> datetime | None:
    try:
        created = reader.metadata.creation_date if reader.metadata else None
    except Exception:  # a malformed date string
        return None
    return created if isinstance(created, datetime) else None
