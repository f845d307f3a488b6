"""Terms: the normalised words a question and the evidence are compared by.

Words are lower-cased and stemmed (Snowball), numbers lose their thousands separators, and
every way of naming a country becomes one term: its name, demonym and initialism ("Niger",
"Nigerien"; "US", "U.S.", "United States", "American"), from `index.lexicon`. The keyword
index is built with these functions, so its cache is keyed by `lexicon.lexicon_hash()`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

from .lexicon import INITIALISM_PATTERN, PHRASES, STOPWORDS, WORD_PATTERN, ascii_fold, places, places_led_by_demonym

_WORD = re.compile(WORD_PATTERN)
_INITIALISM = re.compile(INITIALISM_PATTERN)
_PHRASES = tuple((re.compile(r"\b" + r"\s+".join(map(re.escape, phrase.split())) + r"\b", re.I), f" {term} ")
                 for phrase, term in PHRASES)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer  # PyStemmer: the Snowball stemmer, C speed

    return Stemmer.Stemmer("english")


def fold_phrases(text: str) -> str:
    """Multi-word names of bodies as one word ("European Union" -> eu), dotted initialisms undotted (U.S. -> US)."""
    text = _INITIALISM.sub(lambda m: m.group(0).replace(".", ""), text)
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return text


def raw_words(text: str) -> list[str]:
    """Word-like tokens, case kept, possessives dropped ("Niger's" -> "Niger").

    A country's initialism or multi-word name becomes its term in lower case ("US",
    "United States" -> "usa"), as one word.
    """
    world = places()
    words = []
    for match in _WORD.finditer(fold_phrases(text)):
        word = match.group(0).rstrip("'’-")
        word = re.sub(r"['’]s$", "", word)
        if word:
            words.append(word)
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in world.acronyms:
            out.append(world.acronyms[word])
            i += 1
            continue
        longest = _phrase_starts().get(word.lower(), 0)  # most words start no country's name
        for size in range(min(longest, len(words) - i), 1, -1):
            term = world.phrases.get(tuple(w.lower() for w in words[i:i + size]))
            if term:
                out.append(term)
                i += size
                break
        else:
            out.append(word)
            i += 1
    return out


@lru_cache(maxsize=1)
def _phrase_starts() -> dict[str, int]:
    """First word of each multi-word country name -> the longest such name's length."""
    starts: dict[str, int] = {}
    for phrase in places().phrases:
        starts[phrase[0]] = max(starts.get(phrase[0], 0), len(phrase))
    return starts


def normalise(word: str) -> str:
    """Lower-case, fold country names and demonyms, stem; numbers lose their thousands separators."""
    lowered = unicodedata.normalize("NFKC", word).lower().replace("’", "'")
    if lowered[:1].isdigit():
        return lowered.replace(",", "")
    words = places().words
    country = words.get(lowered) or (None if lowered.isascii() else words.get(ascii_fold(lowered)))
    return country if country else _stemmer().stemWord(lowered)


def terms(text: str) -> list[str]:
    """Normalised content terms of a text (stopwords out), in order, repeats kept."""
    words = raw_words(text)
    unfolded = _opening_place_names(words)
    out = []
    for i, word in enumerate(words):
        lowered = word.lower()
        if lowered in STOPWORDS or (len(lowered) == 1 and not lowered.isdigit()):
            continue
        out.append(_stemmer().stemWord(lowered) if i in unfolded else normalise(word))
    return out


def _opening_place_names(words: list[str]) -> set[int]:
    """Positions of demonyms that open a place's name ("British" of "British Columbia"): kept as words."""
    led = places_led_by_demonym()
    if not led:
        return set()
    world = places().words
    out = set()
    for i, word in enumerate(words):
        lowered = word.lower()
        if lowered not in world or not word[:1].isupper() or i + 1 >= len(words) or not words[i + 1][:1].isupper():
            continue
        if any(tuple(w.lower() for w in words[i:i + len(p)]) == p for p in led if p[0] == lowered):
            out.add(i)
    return out


def terms_many(texts: list[str]) -> list[list[str]]:
    """`terms` for many texts (the keyword index tokeniser)."""
    return [terms(text) for text in texts]


def matched(term: str, present: set[str]) -> bool:
    """Whether a term is in a text's terms.

    Its stem is there, or a stem sharing its first 5+ letters extends it ("advis" ~ "advisor",
    "evacu" ~ "evacue"): the stemmer leaves such pairs apart. Two countries are never one another,
    though one begins the other: "niger" is not "nigeria".
    """
    if term in present:
        return True
    if len(term) < 5 or term[:1].isdigit():
        return False
    # Both countries: the longer is another country, not another form of the same word.
    countries = _country_terms() if term in _country_terms() else frozenset()
    return any(len(p) >= 5 and (p.startswith(term) or term.startswith(p)) and p not in countries for p in present)


def idf(document_frequency: int, documents: int) -> float:
    """Inverse document frequency, BM25's form: log(1 + (N - df + 0.5) / (df + 0.5)); never negative.

    What questions are weighted by: the same rarity the keyword search ranks with.
    """
    n = max(documents, 1)
    return math.log(1 + (n - document_frequency + 0.5) / (document_frequency + 0.5))


def cosine_idf(document_frequency: int, documents: int) -> float:
    """Smoothed idf for tf-idf vectors compared by cosine: log((N + 1) / (df + 1)) + 0.1.

    What digest clustering weights report terms by. It differs from `idf` on purpose: the
    floor of 0.1 keeps a word every report shares from vanishing from the vectors, and the
    clustering thresholds were measured with it.
    """
    return math.log((max(documents, 1) + 1) / (document_frequency + 1)) + 0.1


@lru_cache(maxsize=1)
def _country_terms() -> frozenset[str]:
    return places().terms  # a property that builds the set: built once here, for `matched`'s hot path


@lru_cache(maxsize=1)
def _capital_terms() -> dict[str, str]:
    return {normalise(city): country for city, country in places().capitals.items()}


def capital_country(term: str) -> str | None:
    """The country term of a capital's term ("niamey" -> "niger"), or None."""
    return _capital_terms().get(term)


def is_place_word(word: str) -> bool:
    """Whether a word, as written, names a country, its people, a capital or a world region.

    Matched whole, not by its stem: "Sans" (of Médecins Sans Frontières) stems to "san", the
    term San Marino is folded to, but is no place; "Paris", "Nigeriens" and "Niger's" are.
    """
    lowered = re.sub(r"['’]s$", "", unicodedata.normalize("NFKC", word).lower().replace("’", "'"))
    folded = ascii_fold(lowered)
    world = places()
    return any(form in world.words or form in world.capitals or form in world.regions
               for form in (lowered, folded)) or word in world.acronyms


@lru_cache(maxsize=1)
def place_terms() -> frozenset[str]:
    """Every country, capital and world-region term: places, not the names a question asks for."""
    world = places()
    return world.terms | frozenset(_capital_terms()) | frozenset(normalise(w) for w in world.regions)
