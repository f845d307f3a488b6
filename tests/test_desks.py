"""Desks: several crises in one installation, each answering only from its own documents."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from index import Settings
from index.desk_profile import Desk
from index.desks import Desks
from index.errors import DeskError

ROOT = Path(__file__).resolve().parent.parent

COUP = {
    "2023-08-10-standby.md": (" date 2023-08-10 Title: Regional bloc orders standby force\n\n"
                              "Leaders of the regional bloc ordered the activation of a standby force on Thursday "
                              "after a summit in the capital. The bloc said it still preferred diplomacy."),
    "2023-08-12-airspace.md": (" date 2023-08-12 Title: Junta closes the airspace\n\n"
                               "The military government closed the country's airspace on Sunday, citing the threat "
                               "of an intervention by neighbouring states."),
}
FLOODS = {
    "2023-09-12-dams.md": (" date 2023-09-12 Title: Two dams burst above Derna\n\n"
                           "Two dams collapsed above the city of Derna after Storm Daniel, sending a wall of water "
                           "through the city centre. Officials said 5,300 people were killed."),
    "2023-09-14-aid.md": (" date 2023-09-14 Title: Aid convoys reach the flooded city\n\n"
                          "The first aid convoys reached Derna on Thursday carrying body bags, food and water "
                          "purification tablets, the Red Crescent said."),
}


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def two_desks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict[str, set[str]]]:
    """An installation whose default desk holds the coup reports and desk `floods` the flood reports."""
    root = tmp_path_factory.mktemp("desks")
    settings = Settings(data_dir=root / "data", _env_file=None)
    desks = Desks(settings)
    desks.create(Desk("floods", title="Libya floods", description="Storm Daniel and the Derna dam collapse."))
    titles: dict[str, set[str]] = {}
    for name, files in (("default", COUP), ("floods", FLOODS)):
        engine = desks.open(name)
        report = engine.ingest([_write(root / name, files)])
        assert report.added == 2, report
        titles[name] = {text.split("Title: ", 1)[1].split("\n", 1)[0] for text in files.values()}
    return settings, titles


@pytest.mark.slow
def test_a_desk_never_cites_another_desks_documents(two_desks: tuple[Settings, dict[str, set[str]]]) -> None:
    settings, titles = two_desks
    desks = Desks(settings)
    questions = ["How many people were killed when the dams burst above Derna?",
                 "What did the regional bloc order after the summit?",
                 "Why did the junta close the airspace?", "What did the aid convoys carry?"]
    answered = {"default": 0, "floods": 0}
    for name in ("default", "floods"):
        engine = desks.open(name)
        other = titles["floods" if name == "default" else "default"]
        for question in questions:
            answer = engine.ask(question)
            cited = {c.title for c in answer.citations} | {h.title for h in answer.retrieved}
            assert not cited & other, (name, question, cited)
            assert cited <= titles[name]
            answered[name] += not answer.abstained
        briefing = engine.brief("Derna")
        assert not {c.title for p in briefing.points for c in p.citations} & other
    # Each desk answers its own questions (so "never cites the other" is not "never answers").
    assert answered["default"] >= 2 and answered["floods"] >= 2, answered


@pytest.mark.slow
def test_desks_list_their_own_counts_and_profiles(two_desks: tuple[Settings, dict[str, set[str]]]) -> None:
    settings, _ = two_desks
    counts = {c.desk.name: (c.documents, c.desk.title) for c in Desks(settings).counts()}
    assert counts == {"default": (2, ""), "floods": (2, "Libya floods")}


def test_unknown_and_bad_desk_names_are_refused_with_the_list(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)
    desks = Desks(settings)
    desks.create(Desk("floods", title="Floods"))
    with pytest.raises(DeskError, match=r"unknown desk 'nope' \(desks: default, floods\)"):
        desks.open("nope")
    with pytest.raises(DeskError, match="bad desk name"):
        desks.create(Desk("../etc"))
    with pytest.raises(DeskError, match="exists"):
        desks.create(Desk("floods"))
    with pytest.raises(DeskError, match="always exists"):
        desks.create(Desk("default"))
    with pytest.raises(DeskError, match="time zone"):
        desks.update("floods", {"timezone": "Mars/Base"})
    assert desks.get("floods").title == "Floods"  # a refused edit changes nothing


def test_a_desks_own_settings_replace_the_installations(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", feeds="http://example.org/rss", timezone="UTC", _env_file=None)
    desks = Desks(settings)
    desks.create(Desk("floods", languages="en,ar", timezone="Africa/Tripoli", digest_time="07:30"))
    floods = desks.open("floods").settings
    assert (floods.desk, floods.timezone, floods.digest_time, floods.languages) == \
        ("floods", "Africa/Tripoli", "07:30", "en,ar")
    assert floods.feed_urls == []  # another desk never polls the installation's feeds
    assert desks.open().settings.feed_urls == ["http://example.org/rss"]
    # The profile survives a write to the desk (the store's change marker rewrites the metadata).
    engine = desks.open("floods")
    engine.store.bump_generation()
    assert Desks(settings).get("floods").timezone == "Africa/Tripoli"


def briefbot(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEFBOT_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    env.pop("BRIEFBOT_DESK", None)
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)


@pytest.mark.slow
def test_cli_desk_option_before_or_after_the_command(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = briefbot("desks", "add", "floods", "--title", "Libya floods", "--description", "Derna.", data_dir=data)
    assert done.returncode == 0, done.stderr
    assert briefbot("--desk", "floods", "ingest", str(_write(tmp_path / "f", FLOODS)), data_dir=data).returncode == 0
    assert briefbot("ingest", str(_write(tmp_path / "c", COUP)), data_dir=data).returncode == 0
    listed = json.loads(briefbot("desks", "--json", data_dir=data).stdout)
    assert [(d["name"], d["documents"]) for d in listed] == [("default", 2), ("floods", 2)]
    asked = briefbot("ask", "--desk", "floods", "How many people were killed in Derna?", "--json", data_dir=data)
    answer = json.loads(asked.stdout)
    assert not answer["abstained"] and "5,300" in answer["answer"]
    assert {c["title"] for c in answer["citations"]} <= {"Two dams burst above Derna",
                                                         "Aid convoys reach the flooded city"}
    unknown = briefbot("ask", "--desk", "nope", "anything?", data_dir=data)
    assert unknown.returncode == 1
    assert unknown.stderr.strip().splitlines() == [
        "briefbot ask: unknown desk 'nope' (desks: default, floods); "
        "create it with: briefbot desks add nope --title \"...\""]
