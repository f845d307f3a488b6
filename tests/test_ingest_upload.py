"""The engine's side of uploads: per-document results in `IngestReport.stored`, and `ingest_upload`.

A received file sits in a different temporary folder each time it is sent; `ingest_upload`
must still know it by its name (sent again: unchanged, or updated; never a second copy) and
report problems under that name, never the temporary path. And the next question sees what
an ingest stored, even when the keyword index was refreshing while the ingest ran. Real
engine, real Chroma, real files in temp folders.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from index.config import Settings
from index.engine import Briefbot
from index.keyword import KeywordIndex, KeywordIndexCache

pytestmark = pytest.mark.slow

NOTE = (" date 2023-08-21 Title: Junta halts onion exports from Galmi\n\n"
        "Niger's military government halted onion exports from the Galmi valley on Monday. "
        "Traders said more than 400 trucks of the purple Galmi onion were stuck at the Konni border post.\n")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Briefbot:
    return Briefbot(Settings(data_dir=tmp_path_factory.mktemp("upload-engine"), _env_file=None))  # type: ignore[call-arg]


def received(folder: Path, name: str, text: str) -> Path:
    """A file as an upload leaves it: alone in a fresh folder."""
    folder.mkdir(parents=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_sent_again_is_the_same_document(engine: Briefbot, tmp_path: Path) -> None:
    first = engine.ingest_upload(received(tmp_path / "a", "galmi.md", NOTE), "galmi.md")
    (doc,) = first.stored
    assert (doc.status, doc.title, doc.date, doc.pages) == ("added", "Junta halts onion exports from Galmi",
                                                          "2023-08-21", 0)
    assert doc.chunks == 1 and first.added == 1 and not first.problems

    # The same bytes from another temporary folder: found, unchanged, nothing embedded.
    again = engine.ingest_upload(received(tmp_path / "b", "galmi.md", NOTE), "galmi.md")
    assert [(d.doc_id, d.status, d.chunks) for d in again.stored] == [(doc.doc_id, "unchanged", 1)]
    assert again.chunks_embedded == 0

    # A corrected version under the same name replaces it.
    fixed = engine.ingest_upload(received(tmp_path / "c", "galmi.md", NOTE.replace("400", "450")), "galmi.md")
    assert [(d.doc_id, d.status) for d in fixed.stored] == [(doc.doc_id, "updated")]
    chunks = engine.store.document_chunks(doc.doc_id)
    assert len(chunks) == 1 and "450 trucks" in chunks[0].text
    assert chunks[0].meta["source"] == "galmi.md" and str(tmp_path) not in json.dumps(chunks[0].meta)


def test_problems_name_the_file_as_sent_not_its_temporary_path(engine: Briefbot, tmp_path: Path) -> None:
    path = received(tmp_path / "tmp-xyz", "sitrep.pdf", "%PDF-1.4 this is not a PDF at all")
    report = engine.ingest_upload(path, "sitrep.pdf")
    assert not report.stored and len(report.problems) == 1
    (problem,) = report.problems
    assert problem.where == "sitrep.pdf" and "tmp-xyz" not in str(problem)
    # A note with no date of its own is stored with the ingest date; its note names it as sent too.
    path = received(tmp_path / "tmp-abc", "notes.md", "A title\n\nNo date anywhere.\n")
    report = engine.ingest_upload(path, "notes.md")
    assert [d.status for d in report.stored] == ["added"] and not report.problems
    (note,) = report.notes
    assert "tmp-abc" not in str(note) and "ingest date" in note.message


def test_a_feed_export_reports_each_item_in_order(engine: Briefbot, tmp_path: Path) -> None:
    items = [{"title": f"Item {n}", "description": f"Body of item {n} about the Tillia crossing.",
              "link": f"https://news.example.org/item-{n}", "date_published": f"2023-08-0{n}"} for n in (1, 2)]
    lines = [json.dumps(items[0]), "{not json", json.dumps(items[1]), json.dumps(items[0])]
    report = engine.ingest_upload(received(tmp_path / "f", "export.jsonl", "\n".join(lines) + "\n"), "export.jsonl")
    assert [(d.title, d.date, d.status) for d in report.stored] == [("Item 1", "2023-08-01", "added"),
                                                                   ("Item 2", "2023-08-02", "added")]
    assert report.duplicates == 1
    assert [p.where for p in report.problems] == ["export.jsonl:2"]


def test_a_plain_ingest_reports_per_document_when_asked(engine: Briefbot, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    received(folder, "2023-08-22-note.txt", "Tillia crossing reopens\n\nThe Tillia crossing reopened to trucks.\n")
    first = engine.ingest([folder], list_documents=True)
    second = engine.ingest([folder], list_documents=True)
    bulk = engine.ingest([folder])  # a bulk ingest keeps counts only: no per-document list to grow
    assert bulk.unchanged == 1 and bulk.stored == []
    assert [(d.title, d.status) for d in first.stored] == [("Tillia crossing reopens", "added")]
    assert [(d.title, d.status) for d in second.stored] == [("Tillia crossing reopens", "unchanged")]
    assert first.stored[0].doc_id == second.stored[0].doc_id


class SlowRefreshCache(KeywordIndexCache):
    """The real keyword cache, whose background refresh waits, after reading the store, for the test."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_read = threading.Event()
        self.go_on = threading.Event()

    def _load_or_build(self, marker: tuple) -> KeywordIndex:
        built = super()._load_or_build(marker)
        if threading.current_thread().name == "keyword-refresh":
            self.has_read.set()
            assert self.go_on.wait(30), "the test never let the refresh finish"
        return built


def test_a_refresh_begun_during_an_ingest_never_undoes_the_index_built_after_it(engine: Briefbot,
                                                                                tmp_path: Path) -> None:
    cache = SlowRefreshCache(engine.store, None, check_every=0)
    cache.get()
    engine.store.bump_generation()  # a batch of an ingest lands: the store moved under the cache
    cache.get()  # a question meanwhile: answered from the index it has, a refresh starts behind it
    assert cache.has_read.wait(30)  # ... and has read the store as it was then
    report = engine.ingest_upload(received(tmp_path / "k", "kaura.md", NOTE.replace("Galmi", "Kaura")), "kaura.md")
    (doc,) = report.stored
    cache.invalidate()  # what the engine does after its own write: the next question must see it
    fresh = cache.get()
    assert doc.doc_id in fresh.doc_ids
    cache.go_on.set()
    cache.wait_refreshed(30)
    # The refresh from before the write finished last; it must not put the older index back.
    assert cache.get() is fresh
