"""A question naming a news outlet ("according to Forbes") also searches that outlet's own reports."""

from __future__ import annotations

import json
from pathlib import Path

from index import Briefbot, Settings
from index.outlets import named_sources, site_labels
from index.questions import KeyName

SOURCES = ["theguardian.com", "timesofindia.indiatimes.com", "nytimes.com", "forbes.com", "time.com", "sky.com",
           "dailywire.com", "bbc.co.uk"]


def test_site_labels_drop_what_names_no_outlet() -> None:
    assert site_labels("https://news.sky.com/story/1") == ["sky"]
    assert site_labels("www.theguardian.com") == ["theguardian"]
    assert site_labels("feeds.bbci.co.uk") == ["bbci"]


def test_a_source_is_named_only_by_its_whole_name() -> None:
    def named(*names: KeyName) -> set[str]:
        return named_sources(names, SOURCES)

    assert named(KeyName(("guardian",), "", "guardian")) == {"theguardian.com"}
    assert named(KeyName(("time", "india"), "toi", "timesofindia")) == {"timesofindia.indiatimes.com"}
    assert named(KeyName(("new", "york", "time"), "nyt", "newyorktimes")) == {"nytimes.com"}
    assert named(KeyName(("daili", "wire"), "dw", "dailywire")) == {"dailywire.com"}
    assert named(KeyName(("sky", "news"), "sn", "skynews", "sky")) == {"sky.com"}
    # "TIME" is time.com, not the Times of India; "Times" alone and a place name no site.
    assert named(KeyName(("time",), "time", "")) == {"time.com"}
    assert named(KeyName(("time",), "", "times")) == set()
    assert named(KeyName(("herat",), "", "herat")) == set()


def _feed(path: Path) -> Path:
    towns = ["Zindajan", "Kohsan", "Ghoryan", "Gulran", "Karukh", "Obe", "Pashtun Zarghun", "Shindand", "Adraskan",
             "Farsi", "Kushk", "Injil", "Guzara", "Chishti", "Kushki Kuhna", "Rabat Sangi", "Zawol", "Tulak",
             "Anardara", "Bakwa", "Gulistan", "Lash", "Purchaman", "Qala", "Shibkoh"]
    items = [{"title": f"Earthquake death toll rises in {town} district of the western province",
              "description": f"The death toll from the earthquakes in the western province rose in {town}, "
                             "officials said, as rescuers searched collapsed homes.",
              "link": f"https://www.dailynews{i}.example.org/quake-{i}", "date_published": "2023-10-08T10:00:00Z",
              "language": "en"} for i, town in enumerate(towns)]
    items.append({"title": "What we know about the tremors that flattened villages",
                  "description": "Officials said the death toll from the tremors near the city had reached 2,500, "
                                 "the deadliest in two decades.",
                  "link": "https://www.forbes.com/sites/quake/2023/10/08/what-we-know", "language": "en",
                  "date_published": "2023-10-08T12:00:00Z"})
    path.write_text("\n".join(json.dumps(item) for item in items), encoding="utf-8")
    return path


def test_the_named_outlets_report_is_found_among_many_closer_ones(tmp_path: Path) -> None:
    engine = Briefbot(Settings(data_dir=tmp_path / "data", _env_file=None))
    assert engine.ingest([_feed(tmp_path / "quakes.jsonl")]).added == 26

    def urls(question: str) -> list[str]:
        return [hit.url for hit in engine.search(question, k=10)]

    # Without the outlet, its report is outranked by the 25 closer ones ...
    other = urls("What death toll did Reuters give for the earthquakes in the western province?")
    assert len(other) == 10 and not any("forbes.com" in url for url in other)
    # ... with it, the outlet's own reports are searched too.
    assert any("forbes.com" in url for url in urls(
        "What death toll did Forbes give for the earthquakes in the western province?"))
    answer = engine.ask("What death toll did Forbes give for the earthquakes in the western province?")
    assert not answer.abstained and "2,500" in answer.answer
    assert any("forbes.com" in c.url for c in answer.citations)
