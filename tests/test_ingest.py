"""Idempotent, incremental ingest on the real model and a real Chroma store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from index import Briefbot, Settings, StoreLockedError
from index.store import WriterLock

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def engine_at(tmp_path: Path):
    return Briefbot(Settings(data_dir=tmp_path / "data", _env_file=None))


def test_ingest_counts_reingest_embeds_nothing(engine_at: Briefbot, fresh_corpus: Path) -> None:
    first = engine_at.ingest([fresh_corpus])
    assert (first.seen, first.added, first.duplicates, len(first.problems)) == (10, 9, 1, 3)
    assert first.chunks_embedded >= 9
    count = engine_at.store.count()
    again = engine_at.ingest([fresh_corpus])
    assert (again.added, again.updated, again.unchanged, again.chunks_embedded) == (0, 0, 9, 0)
    assert engine_at.store.count() == count
    assert engine_at.stats().documents == 9


def test_changed_document_replaces_its_old_chunks(engine_at: Briefbot, tmp_path: Path) -> None:
    path = tmp_path / "in" / "2023-08-01-long.txt"
    path.parent.mkdir()
    long_body = " ".join(f"Paragraph sentence {i} about envoys meeting the junta in Niamey." for i in range(150))
    path.write_text(f" date 2023-08-01 Title: Long report\n{long_body}")
    engine_at.ingest([path.parent])
    long_chunks = engine_at.store.count()
    assert long_chunks > 3
    path.write_text(" date 2023-08-01 Title: Long report\nNow it is one short paragraph about a ceasefire.")
    report = engine_at.ingest([path.parent])
    assert (report.updated, report.added) == (1, 0)
    assert engine_at.store.count() == 1
    assert "ceasefire" in engine_at.document_text(engine_at.latest(1)[0])
    assert "Paragraph sentence" not in engine_at.document_text(engine_at.latest(1)[0])


def test_same_item_from_two_files_is_stored_once(engine_at: Briefbot, tmp_path: Path) -> None:
    item = {"title": "Same story", "description": "Carried by two feeds.", "link": "https://x.example/a",
            "date_published": "2023-08-02T10:00:00Z", "language": "en"}
    for name in ("one.jsonl", "two.jsonl"):
        (tmp_path / name).write_text(json.dumps(item) + "\n")
    report = engine_at.ingest([tmp_path / "one.jsonl", tmp_path / "two.jsonl"])
    assert (report.added, report.duplicates) == (1, 1)
    assert engine_at.ingest([tmp_path / "two.jsonl"]).unchanged == 1
    assert engine_at.stats().documents == 1


def test_the_same_file_under_another_name_is_stored_once(engine_at: Briefbot, tmp_path: Path) -> None:
    from support.documents import make_pdf

    note = " date 2023-09-20 Title: Agadez fuel note\nFuel prices in Agadez doubled after the border closed."
    first, later = tmp_path / "in", tmp_path / "later"
    (first / "sub").mkdir(parents=True)
    later.mkdir()
    (first / "agadez.txt").write_text(note)
    (first / "sub" / "copy of agadez.txt").write_text(note)
    pages = [["Niger situation report, 14 August 2023."], ["Food aid is blocked at the Malanville crossing."]]
    make_pdf(first / "report.pdf", pages, title="Niger situation report")
    make_pdf(later / "report (1).pdf", pages, title="Niger situation report")
    seen: list[str] = []
    report = engine_at.ingest([first], on_problem=lambda p: seen.append(str(p)))
    assert (report.added, report.duplicates) == (2, 1), report
    assert seen == [f"{first / 'sub' / 'copy of agadez.txt'}: same text as {first / 'agadez.txt'} "
                    "(a duplicate, not stored again)"]
    again = engine_at.ingest([later])  # a copy of a document stored by an earlier ingest
    assert (again.added, again.duplicates) == (0, 1) and "report.pdf" in str(again.problems[0]), again
    assert engine_at.stats().documents == 2
    (first / "agadez.txt").write_text(note + " Queues formed at every station.")
    edited = engine_at.ingest([first / "agadez.txt"])
    assert (edited.updated, edited.added, edited.duplicates) == (1, 0, 0), edited
    assert engine_at.stats().documents == 2


def test_bad_batch_loses_nothing_already_stored(engine_at: Briefbot, fresh_corpus: Path, tmp_path: Path) -> None:
    engine_at.ingest([fresh_corpus])
    before = engine_at.store.count()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.jsonl").write_text("")
    (bad / "garbage.jsonl").write_text("{nope\n[1,2,3]\n")
    report = engine_at.ingest([bad])
    assert report.seen == 0 and len(report.problems) == 3
    assert engine_at.store.count() == before


def test_second_writer_is_refused_with_a_clear_message(engine_at: Briefbot, fresh_corpus: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from index.store import WriterLock;"
         "lock = WriterLock(Path(sys.argv[1])); lock.acquire(); print('locked', flush=True); time.sleep(30)",
         str(engine_at.settings.data_dir)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreLockedError, match=r"is being written by pid \d+"):
            engine_at.ingest([fresh_corpus])
    finally:
        holder.kill()
        holder.wait()
    assert engine_at.ingest([fresh_corpus]).added == 9  # free again once the other writer is gone
    with WriterLock(engine_at.settings.data_dir):
        pass  # and released after the ingest


def test_store_reopens_in_a_new_process(engine_at: Briefbot, fresh_corpus: Path) -> None:
    engine_at.ingest([fresh_corpus])
    code = ("import sys; from pathlib import Path; from index import Briefbot, Settings;"
            "bb = Briefbot(Settings(data_dir=Path(sys.argv[1]), _env_file=None)); print(bb.stats().documents)")
    out = subprocess.run([sys.executable, "-c", code, str(engine_at.settings.data_dir)], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert out.stdout.strip() == "9", out.stderr[-500:]
