"""PDF text extraction compared on generated report pages, and PDF ingest end to end.

Makes multi-page, two-column situation-report PDFs with reportlab (running header with the
report's title and date, footer with the office and "Page N of M", headings, paragraphs of
unique sentences), in two stream orders:

- "reading": header, left column, right column, footer (what word processors write);
- "scrambled": footer, right column, header, left column (some layout tools write this; the
  page looks the same, only the order of the text in the file differs).

`--mode extract` (default) prints, per extractor, pages/s and text quality:
- intact: share of the source sentences found verbatim (whitespace aside) in the text;
- order: share of consecutive found sentences that come out in reading order (column order);
- running/page: header and footer lines left in the text, per page.
Extractors: pypdf plain mode, pypdf layout mode, pdfminer.six (if installed; for comparison
only) and briefbot's loader (pypdf plain + running lines dropped + paragraphs rebuilt).

`--mode ingest` times `Briefbot.ingest` on about 100 generated pages into a fresh store:
model load apart, then the first ingest and an unchanged re-ingest.

Usage: python bench/pdf_loaders.py [--mode extract|ingest|all] [--pages 40] [--docs 5]
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = "Niger humanitarian situation report No. {n} | {date}"
FOOTER_LEFT = "OCHA Niamey office - for coordination purposes only"
PLACES = ["Tillabéri", "Tahoua", "Maradi", "Zinder", "Diffa", "Agadez", "Dosso", "Niamey", "Ouallam", "Filingué"]
ACTORS = ["the health ministry", "UNICEF", "the World Food Programme", "local authorities", "MSF teams",
          "the regional governor", "the Red Cross", "community leaders", "the education cluster", "IOM staff"]
ACTIONS = ["reported", "confirmed", "estimated", "registered", "counted", "warned of", "recorded", "verified"]
THINGS = ["new displaced households", "cholera cases", "closed schools", "damaged wells", "children under five "
          "treated for malnutrition", "trucks held at the border", "families without shelter", "clinics out of stock"]
TAILS = ["after the road to the capital reopened", "despite the suspension of budget support",
         "as fuel prices kept rising", "while the border with Benin stayed closed", "in the week to Sunday",
         "according to a joint assessment", "compared with the previous report", "before the rains arrived"]


def sentences(count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        count_ = rnd.randint(12, 9000) * 7 + i  # unique: every sentence can be found once
        out.append(f"In {rnd.choice(PLACES)}, {rnd.choice(ACTORS)} {rnd.choice(ACTIONS)} {count_:,} "
                   f"{rnd.choice(THINGS)} {rnd.choice(TAILS)}.")
    return out


def make_report(path: Path, pages: int, seed: int, order: str = "reading") -> list[str]:
    """A two-column report of `pages` pages; returns its body sentences in reading order."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    width, height = A4
    margin, gutter, font, size, leading = 56, 24, "Helvetica", 9.5, 12
    column = (width - 2 * margin - gutter) / 2
    lines_per_column = int((height - 2 * margin - 40) / leading)
    rnd = random.Random(seed)
    pool = sentences(pages * 80, seed)
    # Lay the body out as lines: headings, then paragraphs of 3-5 sentences, until the pages are full.
    lines: list[tuple[str, str]] = []  # (font, text)
    used: list[str] = []
    para = 0
    while len(lines) < pages * 2 * lines_per_column - 4 and pool:
        if para % 6 == 0:
            region = rnd.choice(["north", "south", "east", "west"])
            lines.append(("Helvetica-Bold", f"{para // 6 + 1}. Situation in the {region}"))
        take = [pool.pop(0) for _ in range(rnd.randint(3, 5)) if pool]
        used.extend(take)
        lines.extend((font, line) for line in simpleSplit(" ".join(take), font, size, column))
        lines.append((font, ""))
        para += 1
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle(f"Niger situation report {seed}")
    c.setCreator("bench/pdf_loaders.py")
    per_page = 2 * lines_per_column
    kept: list[str] = []
    for page in range(pages):
        chunk = lines[page * per_page:(page + 1) * per_page]
        columns = [chunk[:lines_per_column], chunk[lines_per_column:]]

        def header() -> None:
            c.setFont(font, 8)
            c.drawString(margin, height - margin + 20, HEADER.format(n=seed, date="14 August 2023"))

        def footer(page: int = page) -> None:
            c.setFont(font, 8)
            c.drawString(margin, margin - 24, FOOTER_LEFT)
            c.drawRightString(width - margin, margin - 24, f"Page {page + 1} of {pages}")

        def draw(col: int, columns: list[list[tuple[str, str]]] = columns) -> None:
            y = height - margin - 20
            for face, text in columns[col]:
                c.setFont(face, size)
                c.drawString(margin + col * (column + gutter), y, text)
                y -= leading

        steps: list[Callable[[], None]] = [header, lambda: draw(0), lambda: draw(1), footer]
        if order == "scrambled":
            steps = [footer, lambda: draw(1), header, lambda: draw(0)]
        for step in steps:
            step()
        c.showPage()
        kept.extend(text for _, text in chunk)
    c.save()
    body = " ".join(" ".join(kept).split())
    return [s for s in used if s in body]


# --- extractors ---------------------------------------------------------------------------------

def pypdf_text(path: Path, mode: str) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text(extraction_mode=mode) or "" for page in PdfReader(path).pages]


def pdfminer_text(path: Path) -> list[str]:
    from pdfminer.high_level import extract_text

    return [extract_text(str(path))]


def briefbot_text(path: Path) -> list[str]:
    from index.pdf_loader import read_pdf

    return [text for _, text in read_pdf(path, 10_000).pages]


def quality(texts: list[str], expected: list[str], pages: int, seed: int) -> tuple[float, float, float]:
    flat = " ".join(" ".join(texts).split())
    positions = [flat.find(s) for s in expected]
    found = [p for p in positions if p >= 0]
    intact = len(found) / len(expected)
    order = sum(1 for a, b in itertools.pairwise(found) if b > a) / max(1, len(found) - 1)
    running = (flat.count(HEADER.format(n=seed, date="14 August 2023")) + flat.count(FOOTER_LEFT)
               + sum(flat.count(f"Page {p} of {pages}") for p in range(1, pages + 1))) / pages
    return intact, order, running


def extract_mode(pages: int, docs: int) -> None:
    extractors: list[tuple[str, Callable[[Path], list[str]]]] = [
        ("pypdf plain", lambda p: pypdf_text(p, "plain")),
        ("pypdf layout", lambda p: pypdf_text(p, "layout")),
    ]
    try:
        import pdfminer  # noqa: F401

        extractors.append(("pdfminer.six", pdfminer_text))
    except ImportError:
        print("(pdfminer.six not installed: its row is left out)")
    extractors.append(("briefbot loader", briefbot_text))
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{docs} reports x {pages} pages per stream order, two columns, running header and footer\n")
        print("| stream order | extractor | pages/s | intact | order | running/page |")
        print("|---|---|---|---|---|---|")
        for order in ("reading", "scrambled"):
            made = []
            for d in range(docs):
                path = Path(tmp) / f"{order}-{d}.pdf"
                made.append((path, make_report(path, pages, seed=d + 1, order=order), d + 1))
            for name, extract in extractors:
                extract(made[0][0])  # imports and first-call set-up are not what is measured
                elapsed = 0.0
                scores = []
                for path, expected, seed in made:
                    started = time.perf_counter()
                    texts = extract(path)
                    elapsed += time.perf_counter() - started
                    scores.append(quality(texts, expected, pages, seed))
                intact, kept, running = (sum(s[i] for s in scores) / len(scores) for i in range(3))
                rate = docs * pages / elapsed
                print(f"| {order} | {name} | {rate:.1f} | {intact:.3f} | {kept:.3f} | {running:.2f} |")


def ingest_mode(pages: int, docs: int) -> None:
    from index import Briefbot, Settings

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pdfs"
        folder.mkdir()
        for d in range(docs):
            make_report(folder / f"report-{d}.pdf", pages, seed=100 + d)
        total = docs * pages
        bb = Briefbot(Settings(data_dir=Path(tmp) / "data", _env_file=None))  # type: ignore[call-arg]
        started = time.perf_counter()
        bb.embedder.encode_query("warm up")
        model = time.perf_counter() - started
        started = time.perf_counter()
        from index.sources import load_paths

        loaded = list(load_paths([folder], bb.max_file_bytes, options=bb.load_options()))
        read = time.perf_counter() - started
        started = time.perf_counter()
        report = bb.ingest([folder])
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = bb.ingest([folder])
        second = time.perf_counter() - started
        assert report.added == docs and not report.problems, report
        assert again.unchanged == docs and again.chunks_embedded == 0, again
        print(f"{docs} PDFs x {pages} pages = {total} pages, {report.chunks_embedded} chunks "
              f"({sum(len(d.text) for d in loaded if hasattr(d, 'text')) / total:.0f} characters per page)\n")
        chunks = report.chunks_embedded
        print("| step | seconds | pages/s | chunks/s |")
        print("|---|---|---|---|")
        print(f"| model load (once per process) | {model:.1f} | | |")
        print(f"| read the PDFs only (load_paths) | {read:.2f} | {total / read:.1f} | |")
        print(f"| ingest (read, chunk, embed, store) | {first:.1f} | {total / first:.1f} | {chunks / first:.1f} |")
        print(f"| re-ingest, unchanged | {second:.2f} | {total / second:.1f} | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["extract", "ingest", "all"], default="extract")
    parser.add_argument("--pages", type=int, default=None, help="pages per report (extract 10, ingest 20)")
    parser.add_argument("--docs", type=int, default=5, help="reports per stream order (extract) or in all (ingest)")
    args = parser.parse_args()
    if args.mode in ("extract", "all"):
        extract_mode(args.pages or 10, args.docs)
    if args.mode in ("ingest", "all"):
        print()
        ingest_mode(args.pages or 20, args.docs)


if __name__ == "__main__":
    main()
