"""Documents desks hold: PDFs, Word files and saved web pages, made for real and ingested by the real engine.

A fact printed only on page 3 of a PDF is cited on page 3; a fact only in a Word table is
answerable; a news page's menus, cookie banner and footer never reach the store; scanned,
encrypted, broken and oversized files are reported by name while the batch goes on; an
undated note is stored with the ingest date, flagged, and stays unchanged when ingested again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.telegram.render import render_answer as telegram_answer
from bot.terminal import render_answer
from index import Briefbot, Settings
from index.chunking import CHUNKER_VERSION, content_hash
from index.document_dates import choose_date, printed_date
from index.pdf_loader import drop_running_lines, paragraphs
from index.sources import LoadOptions, load_path, load_paths
from index.text import split_sentences
from index.types import Answer, Citation, Document, Problem
from index.word_loader import WordError, check_zip
from support.documents import (
    PAGE_CHROME,
    SCRIPTS_ONLY_PAGE,
    make_corrupt_pdf,
    make_docx,
    make_long_pdf,
    make_pdf,
    make_scanned_pdf,
    make_zip_bomb_docx,
    news_page,
    truncate,
)
from support.telegram_html import check_telegram_html

ROOT = Path(__file__).resolve().parent.parent
CAP = 20_000_000

REPORT_PAGES = [
    ["Sahel floods situation report",
     "Heavy rains since late July have flooded riverside districts of Niamey and Tillaberi. The report "
     "covers the response of the humanitarian partners in the week to 13 August.",
     "Water levels at the Niamey gauge passed the red alert mark for the first time since 2020."],
    ["Shelter partners distributed tarpaulins and kitchen sets to families whose mud-brick homes collapsed. "
     "Stocks of shelter kits in the capital are expected to run out within ten days.",
     "Schools in three districts are being used as temporary shelters, delaying the start of the school year."],
    ["Access remains the main constraint in the west of the country.",
     "The Ayorou bridge over the Niger river collapsed on 9 August, cutting the road to Mali for about "
     "4,300 traders who use the weekly cattle market.",
     "Convoys now take a detour of about 180 kilometres through Tera."],
    ["Health partners recorded a rise in malaria consultations in the flooded districts.",
     "Mobile clinics were sent to the camps on the left bank, where stagnant water has spread."],
]
HEADER = "Sahel floods situation report No. 7 | 14 August 2023"
FOOTER = "UN OCHA Niamey office | Page {page} of {pages}"

ARTICLE = [
    "The regional health office in Diffa said 412 new cholera cases were recorded in the week to Sunday, "
    "most of them in the camps around the town.",
    "Mobile clinics will reach the remaining villages along the Komadougou river within a week, officials said.",
    "The ministry appealed for 2.4 million dollars to buy oral rehydration salts and chlorine tablets.",
]


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Briefbot, Path]:
    """One engine with a report PDF, a Word file with a table and a saved news page."""
    folder = tmp_path_factory.mktemp("desk-files")
    make_pdf(folder / "flood-report.pdf", REPORT_PAGES, header=HEADER, footer=FOOTER,
             title="Sahel floods situation report")
    make_docx(folder / "displacement.docx", title="Displacement update for Tahoua region",
              heading="Displacement update",
              paragraphs=["Prepared by the regional directorate on 21 August 2023.",
                          "Displaced families are hosted by relatives or in public buildings."],
              table=[["Commune", "Displaced households", "Open shelters"], ["Tahoua", "2,150", "14"],
                     ["Bouza", "980", "6"]],
              after=["Figures are provisional and will be verified by the registration teams."])
    (folder / "cholera.html").write_text(news_page(ARTICLE), encoding="utf-8")
    bb = Briefbot(Settings(data_dir=tmp_path_factory.mktemp("desk-data"), _env_file=None))  # type: ignore[call-arg]
    report = bb.ingest([folder])
    assert (report.added, report.problems) == (3, []), report
    return bb, folder


def cited(answer: Answer, source: str) -> Citation:
    found = [c for c in answer.citations if c.source == source]
    assert found, f"{source} not cited: {answer.answer} {[c.source for c in answer.citations]}"
    return found[0]


# --- PDF ---------------------------------------------------------------------------------------


def test_a_fact_on_page_3_is_cited_on_page_3(desk: tuple[Briefbot, Path]) -> None:
    bb, _ = desk
    answer = bb.ask("What happened to the Ayorou bridge?")
    assert not answer.abstained, answer.answer
    citation = cited(answer, "flood-report.pdf")
    assert "Ayorou bridge" in citation.quote
    assert citation.page == 3 and citation.to_json()["page"] == 3
    assert citation.date == "2023-08-14"  # the date printed on page 1
    assert "flood-report.pdf, 2023-08-14, p. 3" in render_answer(answer)
    messages = telegram_answer(answer)
    assert all(check_telegram_html(m) for m in messages)
    assert "p. 3" in "".join(messages)
    assert json.loads(json.dumps(answer.to_json()))["citations"][0]["page"] == 3


def test_pdf_chunks_keep_their_page_and_no_running_line(desk: tuple[Briefbot, Path]) -> None:
    bb, folder = desk
    chunks = [c for c in bb.store.iter_chunks() if c.meta["source"] == "flood-report.pdf"]
    assert {c.meta["page"] for c in chunks} == {1, 2, 3, 4}
    assert all(c.meta["date_source"] == "text" for c in chunks)
    for chunk in chunks:
        assert "Page" not in chunk.text and "OCHA Niamey office" not in chunk.text, chunk.text
        assert HEADER not in chunk.text
    [doc] = list(load_path(folder / "flood-report.pdf", CAP))
    assert isinstance(doc, Document) and doc.title == "Sahel floods situation report"
    assert [n for n, _ in doc.page_texts] == [1, 2, 3, 4]
    assert "Ayorou" in dict(doc.page_texts)[3] and "Ayorou" not in dict(doc.page_texts)[2]


def test_unpaged_citations_keep_exactly_their_fields(desk: tuple[Briefbot, Path]) -> None:
    bb, _ = desk
    answer = bb.ask("How many households were displaced in Bouza?")
    citation = cited(answer, "displacement.docx")
    assert set(citation.to_json()) == {"n", "title", "url", "date", "source", "quote"}
    assert "p." not in render_answer(answer).split("displacement.docx")[1].splitlines()[0]


def test_renderers_show_the_page_and_the_ingest_flag_escaped() -> None:
    from bot.telegram.render import render_proof

    citation = Citation(1, "Plan <b>A</b> & B", "https://x.example/a", "2024-03-01", "memo<1>.pdf", "Tents first.",
                        doc_id="d1", page=4, date_source="ingested")
    answer = Answer(question="q", answer="Tents first. [1]", abstained=False, citations=(citation,), retrieved=())
    [html] = telegram_answer(answer)
    [proof] = render_proof(citation)
    for message in (html, proof):
        check_telegram_html(message)
        assert "Plan &lt;b&gt;A&lt;/b&gt; &amp; B" in message
        assert "memo&lt;1&gt;.pdf, 2024-03-01 (ingest date), p. 4" in message
    assert "[1] Plan <b>A</b> & B — memo<1>.pdf, 2024-03-01 (ingest date), p. 4" in render_answer(answer)
    assert citation.to_json() == {"n": 1, "title": "Plan <b>A</b> & B", "url": "https://x.example/a",
                                  "date": "2024-03-01", "source": "memo<1>.pdf", "quote": "Tents first.",
                                  "page": 4, "date_source": "ingested"}


# --- Word ----------------------------------------------------------------------------------------


def test_a_fact_only_in_a_word_table_is_answered(desk: tuple[Briefbot, Path]) -> None:
    bb, _ = desk
    answer = bb.ask("How many households were displaced in Bouza?")
    assert not answer.abstained, answer.answer
    citation = cited(answer, "displacement.docx")
    assert "Bouza" in citation.quote and "980" in citation.quote
    assert citation.title == "Displacement update for Tahoua region"
    assert citation.date == "2023-08-21"  # printed in its first paragraphs


def test_word_tables_read_in_document_order(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "order.docx", heading="Before the table", paragraphs=["First paragraph here."],
                     table=[["Item", "Count"], ["Tents", "40"]], after=["After the table."])
    [doc] = list(load_path(path, CAP))
    assert isinstance(doc, Document)
    assert doc.text.split("\n\n") == ["Before the table", "First paragraph here.", "Item; Count.",
                                      "Item: Tents; Count: 40.", "After the table."]
    assert doc.title == "Before the table"  # no title property: the first heading
    # python-docx's template creation date is not the document's: no date anywhere, so the ingest date.
    assert doc.date_source == "ingested"


def test_word_bombs_and_impostors_are_refused_before_opening(tmp_path: Path) -> None:
    bomb = make_zip_bomb_docx(tmp_path / "bomb.docx")
    with pytest.raises(WordError, match="zip bomb"):
        check_zip(bomb, 100_000_000)
    with pytest.raises(WordError, match="too large uncompressed"):
        check_zip(bomb, 5_000_000)
    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # a binary .doc renamed
    [problem] = list(load_path(tmp_path / "old.docx", CAP))
    assert isinstance(problem, Problem) and problem.reason.startswith("not a .docx (not a zip file")


# --- web pages -------------------------------------------------------------------------------------


def test_news_page_chrome_never_reaches_the_store_or_a_quote(desk: tuple[Briefbot, Path]) -> None:
    bb, _ = desk
    page_chunks = [c for c in bb.store.iter_chunks() if c.meta["feed"].endswith("cholera.html")]
    assert page_chunks
    stored = "\n".join(c.text + "\n" + c.meta["title"] for c in bb.store.iter_chunks())
    for chrome in PAGE_CHROME:
        assert chrome not in stored, chrome
    meta = page_chunks[0].meta
    assert meta["url"] == "https://saheldaily.example/health/cholera-east"
    assert meta["title"] == "Cholera cases rise in eastern districts" and meta["date"] == "2023-09-03"
    answer = bb.ask("How many new cholera cases were recorded in Diffa?")
    assert "412" in cited(answer, "saheldaily.example").quote
    for question in ("What does the cookie policy say?", "Which newsletter can I subscribe to?",
                     "Who owns Sahel Daily Media Group?", "What news is there about economy and business?",
                     "How many people did the floods displace along the river valley?"):
        for citation in bb.ask(question).citations:
            assert not any(chrome in citation.quote for chrome in PAGE_CHROME), (question, citation.quote)


def test_a_page_of_scripts_has_no_article(tmp_path: Path) -> None:
    (tmp_path / "app.html").write_text(SCRIPTS_ONLY_PAGE)
    [problem] = list(load_path(tmp_path / "app.html", CAP))
    assert isinstance(problem, Problem) and problem.reason == "no article text"


# --- bad files in a batch ----------------------------------------------------------------------------


def test_bad_files_are_reported_by_name_and_the_batch_goes_on(desk: tuple[Briefbot, Path],
                                                             tmp_path: Path) -> None:
    bb, _ = desk
    good = [["Curfew notes", "The curfew in Agadez was lifted on Monday after talks with transport unions."]]
    make_scanned_pdf(tmp_path / "01-scanned.pdf")
    make_pdf(tmp_path / "02-locked.pdf", good, encrypt_password="secret")
    make_pdf(tmp_path / "03-owner-only.pdf", good, owner_password="owner")  # an empty password opens it: stored
    make_corrupt_pdf(tmp_path / "04-corrupt.pdf")
    truncate(make_pdf(tmp_path / "whole.tmp", REPORT_PAGES), tmp_path / "05-truncated.pdf")
    (tmp_path / "whole.tmp").unlink()
    make_long_pdf(tmp_path / "06-too-long.pdf", 501)
    make_zip_bomb_docx(tmp_path / "07-bomb.docx")
    (tmp_path / "08-scripts.html").write_text(SCRIPTS_ONLY_PAGE)
    (tmp_path / "09-after-2023-08-30.md").write_text("Market prices\n\nMillet prices in Zinder rose by a third.")
    report = bb.ingest([tmp_path])
    reasons = {Path(p.where).name: p.reason for p in report.problems}
    assert reasons == {
        "01-scanned.pdf": "no text layer (scanned?)",
        "02-locked.pdf": "encrypted PDF: it needs a password",
        "04-corrupt.pdf": reasons["04-corrupt.pdf"],
        "05-truncated.pdf": "truncated or damaged PDF (no end-of-file marker)",
        "06-too-long.pdf": "501 pages, over the 500-page cap (BRIEFBOT_MAX_PDF_PAGES)",
        "07-bomb.docx": reasons["07-bomb.docx"],
        "08-scripts.html": "no article text",
    }, reasons
    assert reasons["04-corrupt.pdf"].startswith("damaged PDF (")
    assert reasons["07-bomb.docx"].startswith("compression ratio") and "zip bomb" in reasons["07-bomb.docx"]
    assert report.added == 2 and not report.notes
    stored = {c.meta["source"] for c in bb.store.iter_chunks()}
    assert {"03-owner-only.pdf", "09-after-2023-08-30.md"} <= stored
    assert not {"01-scanned.pdf", "02-locked.pdf", "04-corrupt.pdf", "05-truncated.pdf"} & stored


def test_damaged_files_become_problems_never_exceptions(tmp_path: Path) -> None:
    import random

    rnd = random.Random(7)
    pdf = make_pdf(tmp_path / "base.pdf", [["The convoy reached Agadez on Monday with food and tents."] * 4] * 3,
                   header="Convoy log", footer="Page {page}")
    docx = make_docx(tmp_path / "base.docx", heading="Water", paragraphs=["Wells were repaired in Tahoua."],
                     table=[["Site", "Wells"], ["Bouza", "4"]])
    outcomes: set[str] = set()
    for base in (pdf, docx):
        data = base.read_bytes()
        for i in range(80):
            damaged = bytearray(data)
            for _ in range(rnd.randint(1, 20)):  # bytes flipped anywhere: directory, streams, fonts
                damaged[rnd.randrange(len(damaged))] = rnd.randrange(256)
            target = tmp_path / f"damaged-{i}{base.suffix}"
            target.write_bytes(bytes(damaged))
            results = list(load_path(target, CAP))  # must not raise
            assert len(results) == 1 and isinstance(results[0], Document | Problem)
            outcomes.add(type(results[0]).__name__ + base.suffix)
    assert {"Problem.pdf", "Problem.docx"} <= outcomes


def test_page_cap_comes_from_the_settings(tmp_path: Path) -> None:
    make_long_pdf(tmp_path / "annex.pdf", 4)
    [problem] = list(load_path(tmp_path / "annex.pdf", CAP, options=LoadOptions(max_pdf_pages=3)))
    assert isinstance(problem, Problem) and "over the 3-page cap" in problem.reason
    assert Settings(_env_file=None, max_pdf_pages=3).max_pdf_pages == 3  # type: ignore[call-arg]


# --- dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Situation report | Published 2 August 2023", date(2023, 8, 2)),
    ("Niamey, August 2, 2023 - The junta said", date(2023, 8, 2)),
    ("Sept. 5, 2023", date(2023, 9, 5)),
    ("Report 2023-08-02 final", date(2023, 8, 2)),
    ("Niamey, le 1er août 2023", date(2023, 8, 1)),
    ("Rapport du 15 septembre 2023", date(2023, 9, 15)),
    ("mise à jour le 3 decembre 2023", date(2023, 12, 3)),
    ("Tuesday 02/08/2023", None),  # day or month first? never guessed
    ("August 2023", None),
    ("31 February 2023", None),
    ("Budget line 2023-13-45", None),
])
def test_printed_dates_are_read_only_when_unambiguous(text: str, expected: date | None) -> None:
    assert printed_date(text) == expected


def test_the_one_date_rule_takes_text_then_metadata_then_name_then_ingest() -> None:
    now = datetime(2024, 1, 2, 3, 4, tzinfo=UTC)
    meta = datetime(2023, 7, 1, 12, 0, tzinfo=UTC)
    assert choose_date(printed=date(2023, 8, 2), metadata=meta, file_name="2023-01-01.pdf").source == "text"
    dated = choose_date(printed=None, metadata=meta, file_name="2023-01-01.pdf")
    assert (dated.published, dated.source) == (meta, "metadata")
    dated = choose_date(printed=None, metadata=None, file_name="brief-2023-01-01.pdf")
    assert (dated.published.date(), dated.source) == (date(2023, 1, 1), "filename")
    dated = choose_date(printed=None, metadata=None, file_name="brief.pdf", now=now)
    assert (dated.published, dated.source) == (now, "ingested")


def test_a_pdf_without_a_printed_date_takes_its_creation_date(tmp_path: Path) -> None:
    created = datetime(2023, 8, 11, 9, 30, tzinfo=UTC)
    path = make_pdf(tmp_path / "minutes.pdf", [["Minutes of the coordination meeting on shelter stocks."]],
                    created=created)
    [doc] = list(load_path(path, CAP))
    assert isinstance(doc, Document) and (doc.date, doc.date_source) == (date(2023, 8, 11), "metadata")


def test_undated_note_is_stored_with_the_ingest_date_and_stays_unchanged(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "field-notes.md").write_text("# Field notes from Ouallam\n\nThe Ouallam water tower was repaired "
                                           "by the district engineers after the storm.")
    bb = Briefbot(Settings(data_dir=tmp_path / "data", _env_file=None))  # type: ignore[call-arg]
    day_one = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    first = bb.ingest_documents(load_paths([folder], CAP, options=LoadOptions(now=day_one)))
    assert (first.added, first.problems) == (1, [])
    assert [n.message for n in first.notes] == ["no date found in it; stored with the ingest date 2024-03-01"]
    later = bb.ingest_documents(load_paths([folder], CAP, options=LoadOptions(now=datetime(2024, 3, 9, tzinfo=UTC))))
    assert (later.added, later.updated, later.unchanged, later.chunks_embedded, later.notes) == (0, 0, 1, 0, [])
    [chunk] = list(bb.store.iter_chunks())
    assert (chunk.meta["date"], chunk.meta["date_source"]) == ("2024-03-01", "ingested")  # the first date stays
    answer = bb.ask("What happened to the Ouallam water tower?")
    citation = cited(answer, "field-notes.md")
    assert citation.to_json()["date_source"] == "ingested" and "page" not in citation.to_json()
    assert "2024-03-01 (ingest date)" in render_answer(answer)


def test_cli_ingest_says_which_documents_got_the_ingest_date(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "undated.md").write_text("Notes from the call\n\nThe governor asked for more tents.")
    (folder / "2023-08-10-call.md").write_text("Call notes\n\nThe convoy left Dosso.")
    env = {**os.environ, "BRIEFBOT_DATA_DIR": str(tmp_path / "data"), "HF_HUB_OFFLINE": "1",
           "PYTHONPATH": str(ROOT)}

    def ingest() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot.cli", "ingest", str(folder)], capture_output=True,
                              text=True, env=env, cwd=ROOT, timeout=300)

    before = datetime.now(UTC).date().isoformat()
    first = ingest()
    after = datetime.now(UTC).date().isoformat()
    assert first.returncode == 0, first.stderr[-2000:]
    note = f"note {folder / 'undated.md'}: no date found in it; stored with the ingest date "
    assert any(note + day in first.stderr for day in (before, after)), first.stderr
    assert "call.md" not in first.stderr and "skipped" not in first.stderr
    assert "2 new" in first.stdout and "0 skipped; 1 dated by ingest (no date of their own)" in first.stdout
    again = ingest()
    assert again.returncode == 0 and "2 unchanged" in again.stdout and "note" not in again.stderr


# --- stores made before: the same hashes ------------------------------------------------------------


def test_documents_without_pages_or_date_source_keep_their_old_hash() -> None:
    import hashlib

    seed = ROOT / "seeds" / "000_4d4a022be80d252f.txt"
    [doc] = list(load_path(seed, CAP))
    assert isinstance(doc, Document) and not doc.pages and not doc.date_source
    h = hashlib.sha1()  # the formula every existing store was written with
    for part in (CHUNKER_VERSION, doc.title, doc.text, doc.url, str(doc.timestamp), doc.source, doc.language):
        h.update(part.encode("utf-8", "replace"))
        h.update(b"\x1f")
    assert content_hash(doc) == h.hexdigest()[:20]


# --- running lines and paragraphs ---------------------------------------------------------------------


def test_running_headers_footers_and_page_numbers_are_dropped() -> None:
    towns = ["Dosso", "Maradi", "Zinder", "Tahoua", "Diffa"]
    pages = [[f"Niger brief | {n} August 2023", f"The convoy reached {town} before the curfew of the", "2023.",
              f"Page {n} of 5"] for n, town in enumerate(towns, start=1)]
    kept = drop_running_lines(pages)
    # "2023." ends a sentence, and is no page number of a five-page document.
    assert kept == [[f"The convoy reached {town} before the curfew of the", "2023."] for town in towns]
    assert drop_running_lines([["Only line of a form 1"], ["Only line of a form 2"], ["Only line of a form 3"]]) \
        == [["Only line of a form 1"], ["Only line of a form 2"], ["Only line of a form 3"]]


def test_lines_are_joined_into_paragraphs() -> None:
    lines = ["Access remains difficult in the west where the inter-", "national road was cut by the floods in the",
             "valley last week.", "2. Health", "Clinics reported more malaria cases this week than",
             "in all of July combined."]
    assert paragraphs(lines).split("\n\n") == [
        "Access remains difficult in the west where the international road was cut by the floods in the valley "
        "last week.", "2. Health", "Clinics reported more malaria cases this week than in all of July combined."]


def test_a_sentence_cut_by_a_page_break_is_whole_on_the_page_where_it_starts(tmp_path: Path) -> None:
    filler = "Heavy rains continued across the south of the country during the reporting period."
    pdf = make_pdf(tmp_path / "flash.pdf", [
        ["Niger Flash Update No. 9, 11 September 2023.", filler,
         "According to the Ministry of Humanitarian Action, the floods have killed 48 people and"],
        ["destroyed 11,300 homes, mostly in the Maradi region. Shelter kits reached the affect-"],
        ["ed communes of Dakoro and Mayahi. Partners are scaling up cholera prevention."]],
        header="UN OCHA | Niger Flash Update", footer="{page}")
    [doc] = load_path(pdf, 10_000_000)
    assert isinstance(doc, Document)
    whole = ("According to the Ministry of Humanitarian Action, the floods have killed 48 people and "
             "destroyed 11,300 homes, mostly in the Maradi region.")
    pages = dict(doc.page_texts)
    assert pages[1].endswith(whole)
    assert pages[2] == "Shelter kits reached the affected communes of Dakoro and Mayahi."
    assert pages[3] == "Partners are scaling up cholera prevention."
    assert whole in split_sentences(doc.text)
