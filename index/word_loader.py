"""Word documents (.docx): paragraphs, headings and tables in document order, title and date.

A .docx is a zip of XML parts. Before python-docx opens one, its zip directory is checked:
the total uncompressed size and the compression ratio are capped, so a zip bomb is refused
without inflating anything. (zipfile stops at each member's declared size and checks its
CRC, so a member cannot inflate past what the directory declares.)

Tables become one line per row. With a header row, each cell is labelled by its column
("Region: Tillabéri; Displaced: 12,400."), so a row reads as a sentence that can be quoted
on its own; merged cells, which python-docx repeats, count once.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .text import strip_control

MAX_RATIO = 100  # uncompressed / compressed: Word's XML compresses 5-20x; a bomb 1,000x
RATIO_FLOOR_BYTES = 10_000_000  # below this a high ratio is harmless (a small repetitive file)
MAX_MEMBERS = 10_000
INTRO_PARAGRAPHS = 10  # where a dateline may be: the first paragraphs
# python-docx's template carries this creation time; a file made with it and never given its
# own has no real creation date.
TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15, tzinfo=UTC)


class WordError(ValueError):
    """A .docx that cannot be read; the message says why, fit to show a user."""


@dataclass(frozen=True)
class WordContent:
    """What a Word document gives."""

    text: str  # paragraphs, headings and table rows, blank-line separated, in document order
    title: str  # core properties' title, else the first heading, else the first paragraph
    intro: str  # the first paragraphs (where a dateline would be)
    created: datetime | None  # core properties' creation time (None for python-docx's template date)


def check_zip(path: Path, max_uncompressed: int) -> None:
    """Refuse a file that is not a zip, or whose content would inflate past the caps, before reading it.

    Raises:
        WordError: not a zip (e.g. an old binary .doc renamed), too large uncompressed, or a suspicious ratio.
    """
    try:
        is_zip = zipfile.is_zipfile(path)
    except Exception:
        is_zip = False
    if not is_zip:
        raise WordError("not a .docx (not a zip file; an old .doc or another format?)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except Exception as exc:  # zipfile raises many kinds on a damaged directory (NotImplementedError too)
        raise WordError(f"damaged .docx ({type(exc).__name__}: {' '.join(str(exc).split())[:120]})") from None
    if len(members) > MAX_MEMBERS:
        raise WordError(f"too many parts in the zip ({len(members)} > {MAX_MEMBERS})")
    if not any(m.filename == "word/document.xml" for m in members):
        raise WordError("not a Word document (no word/document.xml in the zip)")
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if total > max_uncompressed:
        raise WordError(f"too large uncompressed ({total / 1e6:.0f} MB > {max_uncompressed / 1e6:.0f} MB cap, "
                        "BRIEFBOT_MAX_UNZIPPED_MB)")
    ratio = total / max(packed, 1)
    if total > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
        raise WordError(f"compression ratio {ratio:.0f}:1 looks like a zip bomb (cap {MAX_RATIO}:1)")


def read_docx(path: Path, max_uncompressed: int) -> WordContent:
    """The text, title and date clues of a .docx file.

    Raises:
        WordError: see `check_zip`; also a zip python-docx cannot read, or one with no text.
    """
    check_zip(path, max_uncompressed)
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        blocks: list[str] = []
        headings: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.extend(table_rows(item))
                continue
            text = _clean(item.text)
            if not text:
                continue
            style = (item.style.name if item.style is not None else "") or ""
            if style.startswith(("Heading", "Title")):
                headings.append(text)
            blocks.append(text)
        props = document.core_properties
        title = _clean(props.title or "")
        created = props.created
    except WordError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds on malformed parts
        raise WordError(f"damaged .docx ({type(exc).__name__}: {' '.join(str(exc).split())[:120]})") from None
    if not blocks:
        raise WordError("the document has no text")
    if created is not None and created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    if created == TEMPLATE_CREATED:
        created = None
    return WordContent(text="\n\n".join(blocks), title=title or (headings[0] if headings else blocks[0]),
                       intro="\n".join(blocks[:INTRO_PARAGRAPHS]), created=created)


def table_rows(table) -> list[str]:
    """A table as one line per row: "Header: value; Header: value." when the first row is a header."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:  # a merged cell, repeated by python-docx for every grid column it spans
                continue
            previous = cell._tc
            cells.append(_clean(cell.text))
        if any(cells):
            rows.append(cells)
    if not rows:
        return []
    header = rows[0]
    labelled = len(rows) > 1 and len(header) > 1 and all(header) and not any(_is_number(h) for h in header)
    if not labelled:
        return [_sentence("; ".join(c for c in cells if c)) for cells in rows]
    lines = [_sentence("; ".join(header))]
    for cells in rows[1:]:
        pairs = [f"{name}: {value}" if len(cells) == len(header) else value
                 for name, value in zip(header, cells, strict=False) if value]
        pairs += [value for value in cells[len(header):] if value]
        lines.append(_sentence("; ".join(pairs)))
    return lines


def _sentence(text: str) -> str:
    """A row as one sentence: ends with a full stop, so the next row never runs into it."""
    return text if not text or text[-1] in ".!?" else text + "."


def _is_number(text: str) -> bool:
    return text.replace(",", "").replace(".", "").replace("%", "").strip().isdigit()


def _clean(text: str) -> str:
    return " ".join(strip_control(text).split())
