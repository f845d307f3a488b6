"""Sentence splitting and term normalisation used by search and answers."""

from __future__ import annotations

from index.terms import matched, terms
from index.text import clean_text, split_sentences, strip_control


def test_sentences_respect_abbreviations_and_quotes() -> None:
    text = 'The U.S. envoy met Gen. Tiani. He said "talks were frank." Then 1,500 troops left.\n\nNew paragraph'
    assert split_sentences(text) == [
        "The U.S. envoy met Gen. Tiani.", 'He said "talks were frank."', "Then 1,500 troops left.", "New paragraph"]


def test_a_middle_initial_ends_no_sentence_but_a_letter_before_a_new_sentence_does() -> None:
    assert split_sentences("Los Angeles County Sheriff Robert G. Luna said deputies were out. The rain stopped.") == [
        "Los Angeles County Sheriff Robert G. Luna said deputies were out.", "The rain stopped."]
    assert split_sentences("They fell back on Plan B. Then it rained.") == [
        "They fell back on Plan B.", "Then it rained."]


def test_sentences_are_verbatim_substrings() -> None:
    text = "First one. Second one!  Third? Fourth."
    for sentence in split_sentences(text):
        assert sentence in text


def test_terms_fold_demonyms_phrases_and_possessives() -> None:
    assert terms("Algeria's president") == terms("Algerian President")
    assert "eu" in terms("the European Union suspended aid")
    assert "1500" in terms("1,500 soldiers")
    assert "what" not in terms("what did they say")
    # The records spell one demonym ("Ecuadorean"); the regular one is its country's too, unless a
    # larger country's people already have it ("Nigerian" is Nigeria's, not Niger's).
    assert "ecuador" in terms("Ecuadorians are choosing a new president")
    assert "ecuador" in terms("the Ecuadorean vote")
    assert "nigeria" in terms("Nigerian troops") and "niger" not in terms("Nigerian troops")


def test_clean_text_strips_markup_and_entities() -> None:
    assert clean_text("<p>Hello &amp;amp; <b>world</b></p><script>x()</script>") == "Hello & world"


def test_clean_text_drops_a_tag_the_feed_cut_off() -> None:
    # Feed descriptions are truncated at a length, often inside a link's opening tag.
    cut = '<p>The death toll has been put at <a href="https://www.example.org/world/2023/sep/21/the-waters'
    assert clean_text(cut) == "The death toll has been put at"
    # Escaped markup is text the source meant to show (tests/test_telegram_uploads.py renders it safely).
    assert clean_text("Tom &amp; Jerry &lt;b&gt;live&lt;/b&gt;") == "Tom & Jerry <b>live</b>"
    assert clean_text("3 &lt; 4 and 5 &gt; 2") == "3 < 4 and 5 > 2"  # an escaped comparison is text


def test_control_and_format_characters_are_removed_newlines_and_tabs_kept() -> None:
    # bidi override, NUL, escape, zero-width space, a lone surrogate: all category C
    assert strip_control("a\u202eb\x00c\x1b\n\td\u200b\ud800e") == "abc\n\tde"
    plain = "Niamey, 26 July — «Le président» 😀 e\u0301"
    assert strip_control(plain) is plain  # nothing to remove: the text itself comes back
    assert strip_control("") == ""


def test_two_countries_never_match_by_prefix_though_other_terms_do() -> None:
    # "niger" begins "nigeria": the stems are two countries, not two forms of one word.
    assert not matched("niger", set(terms("Nigeria cut power supplies")))
    assert not matched("nigeria", set(terms("Niger's junta")))
    assert matched("niger", set(terms("Nigerien soldiers")))
    assert matched("advis", {"advisor"}) and matched("europe", set(terms("European officials")))


def test_terminal_escape_sequences_go_whole() -> None:
    raw = ("Said \x1b[31mRED\x1b[0m then\x1b]0;PWNED TITLE\x07 that\u009b2J\u009b31m the camp\x1b[1;5H housed "
           "\x1b]8;;https://evil.example\x1b\\9,000\x1b]8;;\x1b\\ people\x1b(B today\u009d0;TITLE\u009c.\n"
           "Next\x1b]0;no terminator\nline kept.")
    assert strip_control(raw) == "Said RED then that the camp housed 9,000 people today.\nNext\nline kept."
    assert strip_control("plain text, nothing to do") == "plain text, nothing to do"
