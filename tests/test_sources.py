"""Loaders: every supported type, and every kind of bad input reported by name and skipped."""

from __future__ import annotations

import gzip
import json
import os
from datetime import date
from pathlib import Path

import pytest

from index.sources import canonical_url, doc_id_for, load_paths, outlet_name, parse_date
from index.types import Document, Problem

CAP = 1_000_000


def load(*paths: Path) -> tuple[list[Document], list[Problem]]:
    results = list(load_paths(list(paths), CAP))
    return ([r for r in results if isinstance(r, Document)], [r for r in results if isinstance(r, Problem)])


def test_corpus_folder_loads_every_type_and_reports_the_rest(corpus_dir: Path) -> None:
    docs, problems = load(corpus_dir)
    titles = {d.title for d in docs}
    assert "West African bloc orders standby force for Niger" in titles  # .txt with header
    assert "Junta suspends uranium exports to France" in titles  # .md with header
    assert "Aid agencies warn of food shortages in Niamey" in titles  # .html <title>
    assert "Algeria proposes six-month transition plan for Niger" in titles  # RSS
    assert "Niger closes its airspace as ECOWAS deadline passes" in titles  # JSONL
    reasons = {Path(p.where.split(":")[0].split(" item")[0]).name + ": " + p.reason for p in problems}
    assert any(r.startswith("feed.jsonl: no publication date") for r in reasons)
    assert any(r.startswith("feed.jsonl: malformed JSON") for r in reasons)
    assert any(r.startswith("feed.xml: no publication date") for r in reasons)
    assert len(problems) == 3
    assert len(docs) == 10  # the duplicate link is still loaded; ingest stores it once
    assert all(d.date_source == "" for d in docs)  # dated as always: their hashes, and stores, are unchanged


def test_undated_note_gets_the_ingest_date_flagged(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from index.sources import LoadOptions

    note = tmp_path / "notes.txt"
    note.write_text("Meeting notes without any date\n\nThe convoy left at dawn.")
    now = datetime(2024, 5, 6, 7, 8, tzinfo=UTC)
    results = list(load_paths([note], CAP, options=LoadOptions(now=now)))
    [doc] = [r for r in results if isinstance(r, Document)]
    assert not [r for r in results if isinstance(r, Problem)]
    assert (doc.title, doc.date, doc.date_source) == ("Meeting notes without any date", date(2024, 5, 6), "ingested")
    note.write_text("Meeting notes\n\nNiamey, le 3 août 2023. The convoy left at dawn.")
    [doc] = list(load_paths([note], CAP, options=LoadOptions(now=now)))
    assert isinstance(doc, Document) and (doc.date, doc.date_source) == (date(2023, 8, 3), "text")


def test_seed_header_gives_date_title_and_body() -> None:
    seed = Path(__file__).resolve().parent.parent / "seeds" / "000_4d4a022be80d252f.txt"
    [doc], problems = load(seed)
    assert not problems
    assert doc.date == date(2023, 8, 6)
    assert doc.title.startswith("Niger’s Coup Leader Seeks Russian Support")
    assert "Washington Post" in doc.text and not doc.text.startswith(" date")
    assert doc.language == "en" and doc.source == seed.name


def test_feed_fields_are_cleaned(corpus_dir: Path) -> None:
    docs, _ = load(corpus_dir / "feed.jsonl")
    by_title: dict[str, Document] = {}
    for d in docs:
        by_title.setdefault(d.title, d)
    airspace = by_title["Niger closes its airspace as ECOWAS deadline passes"]
    assert "country's airspace" in airspace.text  # &#039; decoded
    assert airspace.date == date(2023, 8, 7) and airspace.language == "en" and airspace.source == "example.com"
    pm = by_title["General Tchiani names civilian prime minister"]
    assert "<p>" not in pm.text and pm.text.startswith("Coup leader")
    polish = by_title["Francja wstrzymuje pomoc dla Nigru"]
    assert polish.language == "pl" and polish.date == date(2023, 7, 29)


def test_html_meta_and_body(corpus_dir: Path) -> None:
    [doc], _ = load(corpus_dir / "2023-08-20-report.html")
    assert doc.url == "https://example.org/aid-food-niamey"
    assert doc.date == date(2023, 8, 20)
    assert "3.3 million" in doc.text and "alert" not in doc.text and "color:red" not in doc.text


def test_same_link_with_other_tracking_parameters_is_the_same_document() -> None:
    a = canonical_url("https://Example.com/story/?utm_source=rss&id=3#top")
    b = canonical_url("https://example.com/story?id=3&utm_medium=x")
    assert a == b and doc_id_for(a) == doc_id_for(b)
    assert canonical_url("https://example.com/story?id=4") != a


@pytest.mark.parametrize("value, expected", [
    ("2023-07-13T13:34:14+00:00", date(2023, 7, 13)),
    ("2023-07-13T23:30:00-05:00", date(2023, 7, 14)),  # UTC calendar date
    ("Tue, 29 Aug 2023 14:00:00 GMT", date(2023, 8, 29)),
    ("2023-08-01", date(2023, 8, 1)),
    ("next tuesday", None),
    ("", None),
])
def test_parse_date(value: str, expected: date | None) -> None:
    assert parse_date(value) == expected


def test_outlet_names() -> None:
    assert outlet_name("https://www.lemonde.fr/en/x") == "lemonde.fr"
    assert outlet_name("", "https://feeds.bbci.co.uk/news/rss.xml") == "bbci.co.uk"
    assert outlet_name("") == ""


def test_bad_files_are_reported_and_skipped(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"\x00\x01\x02 date 2023-08-01 Title: x")
    (root / "huge.txt").write_bytes(b" date 2023-08-01 Title: Big\n" + b"a" * (CAP + 10))
    (root / "latin1.txt").write_bytes(" date 2023-08-02 Title: Caf\xe9 talk\nBody with caf\xe9.".encode("latin-1"))
    (root / "utf16.txt").write_bytes(" date 2023-08-03 Title: Sixteen\nBody in UTF-16.".encode("utf-16"))
    (root / "image.png").write_bytes(b"\x89PNG\r\n")
    (root / "bad.json").write_text("[1, 2]")
    (root / "bad.xml").write_text("<rss><channel><item><title>unclosed")
    (root / "items.jsonl.gz").write_bytes(gzip.compress(json.dumps(
        {"title": "Zipped", "description": "From a gz export.", "link": "https://z.example/1",
         "date_published": "2023-08-04T00:00:00Z", "language": "en"}).encode() + b"\n[not json\n"))
    outside = tmp_path / "outside.txt"
    outside.write_text(" date 2023-08-05 Title: Outside\nShould never load.")
    os.symlink(outside, root / "link.txt")
    os.symlink(tmp_path, root / "linked-dir")
    docs, problems = load(root)
    by_name: dict[str, str] = {}
    for p in problems:  # first reason per file
        by_name.setdefault(Path(p.where.split(":")[0].split("[")[0].split(" item")[0]).name, p.reason)
    assert by_name["empty.txt"] == "empty file"
    assert by_name["binary.txt"] == "binary file"
    assert by_name["huge.txt"].startswith("too large")
    assert by_name["image.png"].startswith("unsupported file type")
    assert by_name["bad.json"] == "not a JSON object"
    assert by_name["bad.xml"].startswith("malformed feed XML")
    assert by_name["link.txt"] == "symlink refused" and by_name["linked-dir"] == "symlink refused"
    assert by_name["items.jsonl.gz"].startswith("malformed JSON")
    titles = {d.title for d in docs}
    assert titles == {"Café talk", "Sixteen", "Zipped"}
    assert "Outside" not in titles


def test_missing_path_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    docs, problems = load(tmp_path / "nope")
    assert not docs and problems[0].reason == "no such file or folder"


def html_page(title: str, body: str, head: str = "") -> str:
    return (f"<!doctype html><html><head>{head}<title>{title}</title></head>"
            f"<body><article><h1>{title}</h1><p>{body}</p></article></body></html>")


def test_text_in_other_encodings_is_decoded_not_garbled(tmp_path: Path) -> None:
    body = "Le ministère des Affaires étrangères parle d’un « accord » le 3 août 2023."
    (tmp_path / "cp1252.txt").write_bytes(f"Note du ministère\n{body}".encode("cp1252"))
    (tmp_path / "latin1.md").write_bytes("Réunion à Ségou\nLes élèves sont rentrés le 3 août 2023.".encode("latin-1"))
    (tmp_path / "meta.html").write_bytes(html_page(
        "Нигер закрывает границу", "Власти Нигера закрыли границу с Бенином в пятницу.",
        '<meta charset="windows-1251">').encode("cp1251"))
    (tmp_path / "equiv.html").write_bytes(html_page(
        "Le prix du riz", "Un sac de riz coûte désormais 40 € au marché de Niamey.",
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">').encode("iso-8859-15"))
    (tmp_path / "bom.txt").write_bytes("\ufeffNote de Zinder\nLes élèves sont rentrés.".encode("utf-8"))
    docs, problems = load(*sorted(tmp_path.iterdir()))
    assert not problems, problems
    texts = {d.source: d.title + "\n" + d.text for d in docs}
    assert not any("\ufffd" in text for text in texts.values()), texts
    assert body in texts["cp1252.txt"] and "ministère" in texts["cp1252.txt"]
    assert "Réunion à Ségou" in texts["latin1.md"]
    assert "Власти Нигера закрыли границу" in texts["meta.html"]
    assert "40 € au marché" in texts["equiv.html"]
    assert texts["bom.txt"].startswith("Note de Zinder")


def test_decoding_order_utf8_then_declared_then_cp1252() -> None:
    from index.encoding import decode_text

    assert decode_text("déjà".encode()) == "déjà"
    assert decode_text("déjà".encode(), declared="iso-8859-5") == "déjà"  # valid UTF-8 wins over a label
    assert decode_text("Нигер".encode("koi8-r"), declared="koi8-r") == "Нигер"
    assert decode_text("l’été".encode("cp1252"), declared="iso-8859-1") == "l’été"  # Latin-1 labels mean cp1252
    assert decode_text("l’été".encode("cp1252"), declared="no-such-charset") == "l’été"
    assert decode_text(b"a\x81b\x9dc") == "a\x81b\x9dc"  # bytes cp1252 leaves undefined: Latin-1
    assert decode_text("déjà".encode("utf-16")) == "déjà"


def test_a_gzip_bomb_line_is_skipped_without_reading_it_whole(tmp_path: Path) -> None:
    import tracemalloc

    from index.sources import LoadOptions

    item = json.dumps({"title": "After the bomb", "description": "Still read.", "link": "https://z.example/2",
                       "date_published": "2023-08-04T00:00:00Z"})
    bomb = tmp_path / "bomb.jsonl.gz"
    with gzip.open(bomb, "wb") as fh:
        fh.write(b'{"title": "' + b"A" * 30_000_000 + b'"}\n' + item.encode() + b"\n")
    tracemalloc.start()
    docs, problems = load(bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [p.reason for p in problems] == ["line too long (30000014 bytes)"]
    assert [d.title for d in docs] == ["After the bomb"]
    assert peak < 10_000_000, f"peak {peak / 1e6:.1f} MB while reading a 30 MB line"
    # Past the inflated cap, reading stops with one line saying why; what came before is kept.
    lines = gzip.compress((item + "\n").encode() + b"\n" * 3_000_000)
    (tmp_path / "many.jsonl.gz").write_bytes(lines)
    results = list(load_paths([tmp_path / "many.jsonl.gz"], CAP, options=LoadOptions(max_unzipped_bytes=1_000_000)))
    assert [type(r).__name__ for r in results] == ["Document", "Problem"]
    assert isinstance(results[1], Problem) and results[1].reason.startswith("inflates past 1.0 MB")


def test_suffixes_are_read_whatever_their_case(tmp_path: Path) -> None:
    item = {"title": "Loud export", "description": "Upper-case names.", "link": "https://z.example/3",
            "date_published": "2023-08-04T00:00:00Z"}
    (tmp_path / "FEED.JSONL.GZ").write_bytes(gzip.compress(json.dumps(item).encode() + b"\n"))
    (tmp_path / "NOTE.TXT").write_text(" date 2023-08-05 Title: Loud note\nWritten in capitals.")
    (tmp_path / "Items.JSONL").write_text(json.dumps({**item, "title": "Mixed case", "link": "https://z.example/4"}))
    docs, problems = load(tmp_path)
    assert not problems, problems
    assert {d.title for d in docs} == {"Loud export", "Loud note", "Mixed case"}


def test_markdown_markup_never_reaches_the_stored_text(tmp_path: Path) -> None:
    note = tmp_path / "2023-09-20 réunion.md"
    note.write_text("# **Coordination** meeting, Ségou\n\n## Decisions\n\n"
                    "- **Next meeting**: 27 September.\n* The _cluster lead_ is [OCHA](https://www.unocha.org/mali).\n"
                    "> Fuel stocks at `Ségou` depot: ~~two~~ three weeks.\n\n---\n\nSee ![map](map.png) and "
                    "<https://example.org/report>.\n")
    [doc], problems = load(note)
    assert not problems
    assert doc.title == "Coordination meeting, Ségou"
    assert doc.text.split("\n") == ["Decisions", "", "Next meeting: 27 September.", "The cluster lead is OCHA.",
                                    "Fuel stocks at Ségou depot: three weeks.", "",
                                    "See map and https://example.org/report."]
    plain = tmp_path / "snake.txt"  # a .txt is not Markdown: its characters are its text
    plain.write_text("Field names\nThe file_name field and *stars* stay as written.")
    [doc], _ = load(plain)
    assert doc.text == "The file_name field and *stars* stay as written."


def test_a_one_line_note_is_its_own_text(tmp_path: Path) -> None:
    (tmp_path / "2023-09-21-tip.txt").write_text("The Dosso bridge reopened to trucks on 21 September.\n")
    (tmp_path / "headed.txt").write_text(" date 2023-09-22 Title: Curfew lifted in Zinder\n")
    docs, problems = load(tmp_path)
    assert not problems
    tip = "The Dosso bridge reopened to trucks on 21 September."
    assert {(d.title, d.text) for d in docs} == {(tip, tip), ("Curfew lifted in Zinder", "Curfew lifted in Zinder")}


def test_a_pdf_saved_under_a_text_name_is_read_as_a_pdf(tmp_path: Path) -> None:
    from support.documents import make_pdf

    make_pdf(tmp_path / "sitrep.txt", [["Niger situation report, 14 August 2023.",
                                        "Food aid is blocked at the Malanville crossing."]], title="Niger sitrep")
    [doc], problems = load(tmp_path / "sitrep.txt")
    assert not problems
    assert doc.title == "Niger sitrep" and "Food aid is blocked at the Malanville crossing." in doc.text
    assert doc.pages and "%PDF" not in doc.text


def test_devices_pipes_and_undecodable_names_are_named_plainly(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    bad_name = os.fsencode(tmp_path) + b"/caf\xe9 note.txt"
    with open(bad_name, "wb") as fh:
        fh.write(b" date 2023-08-02 Title: Cafe\nBody text here.")
    docs, problems = load(Path("/dev/null"), tmp_path)
    assert not docs
    assert [(p.where, p.reason) for p in problems] == [
        ("/dev/null", "not a regular file"),
        (f"{tmp_path}/caf\ufffd note.txt", "file name is not valid UTF-8 (rename the file to read it)"),
        (f"{tmp_path}/pipe.txt", "not a regular file")]


def test_trafilatura_says_nothing_about_a_page_without_an_article(caplog: pytest.LogCaptureFixture,
                                                                  tmp_path: Path) -> None:
    import logging

    caplog.set_level(logging.WARNING)
    shell = tmp_path / "shell.html"
    shell.write_text("<html><head><script>var a=1;</script></head><body><script>render()</script></body></html>")
    _, problems = load(shell)
    assert [p.reason for p in problems] == ["no article text"]
    assert not [r for r in caplog.records if r.name.startswith("trafilatura")], caplog.text
