"""Sentence splitting and term normalisation used by search and answers."""

from __future__ import annotations

from index.terms import terms
from index.text import clean_text, split_sentences


def test_sentences_respect_abbreviations_and_quotes() -> None:
    text = 'The U.S. envoy met Gen. Tiani. He said "talks were frank." Then 1,500 troops left.\n\nNew paragraph'
    assert split_sentences(text) == [
        "The U.S. envoy met Gen. Tiani.", 'He said "talks were frank."', "Then 1,500 troops left.", "New paragraph"]


def test_sentences_are_verbatim_substrings() -> None:
    text = "First one. Second one!  Third? Fourth."
    for sentence in split_sentences(text):
        assert sentence in text


def test_terms_fold_demonyms_phrases_and_possessives() -> None:
    assert terms("Algeria's president") == terms("Algerian President")
    assert "eu" in terms("the European Union suspended aid")
    assert "1500" in terms("1,500 soldiers")
    assert "what" not in terms("what did they say")


def test_clean_text_strips_markup_and_entities() -> None:
    assert clean_text("<p>Hello &amp;amp; <b>world</b></p><script>x()</script>") == "Hello & world"
