"""A date window's dense search goes by the ids the keyword index knows, with the same results as
Chroma's metadata filter, and falls back to that filter when one of those ids is gone."""

from __future__ import annotations

from datetime import date

import numpy as np

from index.search import Window

QUESTION = "Which French diplomat did Niger's junta order out of the country?"


def _window_ids(engine, window: Window) -> list[str]:
    index = engine.keywords.get()
    return [index.chunk_ids[row] for row in np.flatnonzero(window.mask(index.days, index.langs))]


def test_search_by_window_ids_equals_the_metadata_filter(niger_engine) -> None:
    window = Window(date(2023, 8, 24), date(2023, 8, 31), ("en",))
    vector = niger_engine.embedder.encode_query(QUESTION)
    within = _window_ids(niger_engine, window)
    assert 0 < len(within) < niger_engine.keywords.get().size
    by_filter = niger_engine.store._query(vector, 20, window.where())
    by_ids = niger_engine.store.query(vector, 20, window.where(), within=within)
    assert [c.id for c, _ in by_ids] == [c.id for c, _ in by_filter]
    assert all("2023-08-24" <= c.meta["date"] <= "2023-08-31" for c, _ in by_ids)

    # An id another writer has removed since the index was read: the filter answers instead.
    stale = niger_engine.store.query(vector, 20, window.where(), within=[*within, "gone-document-0"])
    assert [c.id for c, _ in stale] == [c.id for c, _ in by_filter]


def test_answers_in_a_window_are_dated_in_it(niger_engine) -> None:
    answer = niger_engine.ask("How long was the French ambassador given to leave?", since=date(2023, 8, 24),
                              until=date(2023, 8, 31))
    assert not answer.abstained and "48 hours" in answer.answer
    assert all("2023-08-24" <= c.date <= "2023-08-31" for c in answer.citations)
