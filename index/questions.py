"""What a question asks: its weighted terms, the names and numbers it hinges on, the kind of answer.

`profile_question` reads a question once; the answerer then checks evidence against the
profile: a document that never names what the question hinges on cannot answer it, and a
"how many" question needs a number in its quote. The word tables behind these rules are
in `index.lexicon`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Protocol

from .dates import Period, question_period
from .gender import gender_of, is_first_name, is_given_name
from .lexicon import (
    ABBREVIATIONS,
    AMOUNT_WORDS,
    ANSWER_KINDS,
    CAUSE_WORDS,
    DURATION_UNITS,
    INSTITUTION_WORDS,
    IRREGULAR_PAST,
    LIFE_OR_DEATH,
    MEASURE_ASKED,
    MEASURE_UNITS,
    MEASURES_AT,
    MONEY_NOUNS,
    MONEY_PATTERN,
    MONEY_VERBS,
    MONTHS,
    NAMED_EVENT_WORDS,
    NAMING_KINDS,
    NOT_NAMES,
    NUMBER_WORDS,
    PERSON_NOUNS,
    PLACE_FEATURE_WORDS,
    QUANTITY_KINDS,
    QUESTION_WORDS,
    RELATIVE_DAYS,
    ROLE_WORDS,
    STOPWORDS,
    THING_KINDS,
    TIME_WORDS,
    TOLL_KINDS,
    WEEKDAY_STEMS,
    WEEKDAYS,
    common_words,
    country_borders,
    country_regions,
    places,
    provinces,
)
from .terms import normalise, place_terms, raw_words, terms


class TermRarity(Protocol):
    """Anything that knows how rare a term is in the store (the keyword index)."""

    def idf(self, term: str) -> float:
        """Inverse document frequency of a term."""
        ...


@dataclass(frozen=True)
class QuestionProfile:
    """A question read once: topic terms and their weights, key terms, answer kind, period.

    Attributes:
        terms: topic terms (question words and time words out).
        weights: idf of each topic term in the store.
        key_terms: names and numbers the evidence must mention.
        wants: "number", "percent", "age", "duration", "sentence", "year", "month", "direction", "time",
            "date", "name", "who", "which", "where", "reason" (why) or "" (none in particular).
        period: the days the question's time phrase points at, if any.
    """

    terms: tuple[str, ...]
    weights: dict[str, float]
    key_terms: frozenset[str]
    wants: str
    period: Period | None = None
    key_names: tuple[KeyName, ...] = ()


@dataclass(frozen=True)
class KeyName:
    """One name of a question as its key terms, with the other ways a report may write it.

    Attributes:
        terms: its key terms ("new", "york", "time" for "New York Times").
        initials: its initialism, lower case ("nyt"; "ap" for "AP" itself), "" for one plain word.
        joined: its words run together, lower case ("lemonde" for "Le Monde"), as a web address writes them.
        core: the same without words like "News" or "Times" ("sky" for "Sky News": news.sky.com).
        given: the key term of its first word when that is a first name before a surname ("sergei" of
            "Sergei Surovikin"): a report naming him by surname alone names him.
        words: its words, lower case ("northwest", "territories"), which an initialism may abbreviate.
    """

    terms: tuple[str, ...]
    initials: str = ""
    joined: str = ""
    core: str = ""
    given: str = ""
    words: tuple[str, ...] = ()

    def abbreviated_by(self, initialism: str, found: Collection[str] = ()) -> bool:
        """Whether a lower-case initialism is this name's: its initials, or one taking up to three letters of a
        word, in order, from its first ("nwt" for "Northwest Territories": n, w of northwest, t).

        With the key terms a report has (`found`), the initialism may stand for the words it lacks, when
        they run together: "Enterprise, Northwest Territories" is in a report on "Enterprise, N.W.T.".
        """
        if self.initials and initialism == self.initials:
            return True
        words = self.words
        if found and len(words) == len(self.terms):
            lacking = [i for i, term in enumerate(self.terms) if term not in found]
            if lacking and lacking == list(range(lacking[0], lacking[-1] + 1)):
                words = words[lacking[0]: lacking[-1] + 1]
        return len(words) > 1 and len(initialism) >= len(words) and _abbreviates(initialism, words)


MAX_LETTERS_OF_A_WORD = 3  # "NWT": two of "Northwest"; more would match too much by chance


def _abbreviates(initialism: str, words: Sequence[str]) -> bool:
    if not words:
        return not initialism
    word = words[0]
    if not initialism or initialism[0] != word[:1]:
        return False
    for end in range(1, min(MAX_LETTERS_OF_A_WORD, len(initialism)) + 1):
        if _in_order(initialism[1:end], word[1:]) and _abbreviates(initialism[end:], words[1:]):
            return True
    return False


def _in_order(letters: str, word: str) -> bool:
    """Whether `letters` occur in `word` in that order (not necessarily side by side)."""
    found = iter(word)
    return all(letter in found for letter in letters)


_QUESTION_TERMS = frozenset(normalise(w) for w in QUESTION_WORDS)
_TIME_TERMS = frozenset(normalise(w) for w in TIME_WORDS)
_KINDS = tuple((kind, re.compile(pattern)) for kind, pattern in ANSWER_KINDS)


def query_terms(question: str) -> list[str]:
    """Topic terms of a question: content terms minus the words that only shape a question."""
    return [t for t in terms(question) if t not in _QUESTION_TERMS]


_WH_WORD = re.compile(r"\b(who|whom|whose|what|which|when|where|why|how)\b")
_JOINED = re.compile(r"\b(and|or)\s+$")


def answer_kind(question: str) -> str:
    """The kind of answer a question wants (see `QuestionProfile.wants`), "" when none in particular.

    The question's own wh-word decides, not a clause inside it: "Who, standing in for the
    governor, declared the emergency when the fires broke out?" asks who, and "What did he
    say when asked about the toll?" asks what (no kind), not when. Kinds not led by a
    wh-word ("the number of", "sentenced to what") count wherever they stand, and so does a
    second question joined with "and".
    """
    lowered = question.lower()
    lead = _WH_WORD.search(lowered)
    # "When the soldiers went on television, what did they say?": a leading when- or where-clause
    # sets the scene; the question is the wh-word after its comma.
    scene = re.match(r"^\s*(?:when|where)\b[^,?]*,\s*(?=(?:who|whom|whose|what|which|why|how)\b)", lowered)
    if scene:
        lead = _WH_WORD.search(lowered, scene.end())
    for kind, pattern in _KINDS:
        for match in pattern.finditer(lowered):
            led_by_wh = bool(_WH_WORD.search(match.group(0)))
            # A second question joined on ("Which diplomat was expelled, and how long was he
            # given?") is asked too; the kinds' order says which of the two the quote must give.
            second = bool(_JOINED.search(lowered[: match.start()]))
            if not lead or not led_by_wh or second or match.start() <= lead.start() < match.end():
                return kind
    return ""


def profile_question(question: str, rarity: TermRarity, topic: bool = False) -> QuestionProfile:
    """What the question is about (weighted terms, the key ones) and what kind of answer it wants.

    `topic`: the text is a briefing topic ("Bazoum's detention"), whose first word may be a name;
    a question's first word is capitalised anyway.
    """
    words = raw_words(question)
    temporal = _temporal_terms(words)
    # "..., just as Niger's president was being detained?": a trailing clause that says when sets the
    # scene; a report that answers need not name what the scene names. Its words still weigh.
    scene = _SCENE_CLAUSE.search(question)
    scene_from = len(raw_words(question[: scene.start()])) if scene else len(words)
    # "in the first week of August 2023" says when, not what: the date window and recency
    # handle time, and a report need not repeat the question's time words to answer it.
    qterms = [t for t in query_terms(question) if t not in temporal]
    weights = {t: rarity.idf(t) for t in qterms}
    key: set[str] = set()
    runs: dict[int, tuple[list[str], list[str]]] = {}  # each capitalised run's first word: (its words, key terms)
    run_start = -1
    for i, word in enumerate(words):
        if word[:1].isupper() and (i > 0 or topic):
            # "Times of India" is one name (timesofindia.indiatimes.com), not "Times" and "India".
            bridged = i > 1 and words[i - 1] == "of" and words[i - 2][:1].isupper()
            run_start = run_start if i > 0 and (words[i - 1][:1].isupper() or bridged) and run_start >= 0 else i
            runs.setdefault(run_start, ([], []))[0].append(word)
        elif word == "of" and run_start >= 0 and i + 1 < len(words) and words[i + 1][:1].isupper():
            runs[run_start][0].append(word)
            continue
        else:
            run_start = -1
        lowered = word.lower()
        # A month or weekday says when ("on the Monday after the storm"), not what a report is about.
        if lowered in MONTHS or lowered in WEEKDAYS or (word.isdigit() and _is_date_number(words, i)):
            continue
        term = normalise(word)
        if term not in weights:
            continue
        # Names and numbers are what a question is about: evidence that never mentions
        # them cannot answer it. Rare common words only weigh more (a paraphrase may avoid them).
        # World regions ("West African", "European") describe; they do not name what is asked.
        is_name = word[:1].isupper() and (i > 0 or topic) and lowered not in NOT_NAMES \
            and lowered not in places().regions
        is_number = word[:1].isdigit()
        if (is_number or is_name) and i < scene_from:
            key.add(term)
            if is_name and run_start >= 0:
                runs[run_start][1].append(term)
            else:
                runs[-1 - i] = ([word], [term])  # a number is a name of its own
    names = [_key_name(run_words, run_terms) for run_words, run_terms in runs.values() if run_terms]
    # "Which UN agency ...?", "Which Indigenous woman ...?": names before the asked noun say what kind
    # of thing the answer is, and a report naming the agency ("WMO") need not write them. They stay
    # weighted terms; they are key only when the question names nothing else. A country is kept:
    # a report on "which Saudi official" names Saudi Arabia.
    kind = {normalise(w) for w in _asked_kind_names(question)} - place_terms()
    if kind and key - kind:
        key -= kind
        names = [n for n in names if not set(n.terms) <= kind]
    return QuestionProfile(tuple(qterms), weights, frozenset(key), answer_kind(question), question_period(question),
                           tuple(names))


# A question's last clause, after a comma, that says when: ", just as ...", ", shortly before ...",
# ", three weeks after ...", ", as the blockade began?".
_SCENE_CLAUSE = re.compile(r",\s+(?:just\s+|shortly\s+|soon\s+|even\s+|(?:a|one|two|three|four|five|six|\d+)\s+"
                           r"(?:days?|weeks?|months?|hours?)\s+|the\s+(?:day|week|month)\s+)?"
                           r"(?:as|when|while|after|before|since|until)\s+[^,?]*\??\s*$", re.I)


_WHICH_NAMES = re.compile(r"\b[Ww]hich\s+((?:[A-Z][\w'’.-]*\s+)+)[a-z]")


def _asked_kind_names(question: str) -> list[str]:
    """The capitalised words between "which" and the noun it asks for ("Which UN agency": UN)."""
    match = _WHICH_NAMES.search(question)
    return match.group(1).split() if match else []


def _key_name(words: list[str], key_terms: list[str]) -> KeyName:
    """A capitalised run's key terms with its initialism and joined form ("New York Times": nyt, newyorktimes)."""
    words = [re.sub(r"[’']s$", "", w) for w in words]  # "the Guardian's live blog"
    if len(words) > 1 and words[0] in ("The", "A", "An"):
        words = words[1:]  # "told The Washington Post": washingtonpost.com, not "thewashingtonpost"
    if len(words) == 1:
        initials = words[0].lower() if words[0].isupper() and len(words[0]) > 1 else ""
        # One word may be an outlet's site ("Guardian": theguardian.com), unless it is a place.
        word = words[0].lower()
        joined = word if not initials and len(word) >= 4 and normalise(word) not in place_terms() else ""
    else:
        initials = "".join(w[0] for w in words).lower()
        joined = "".join(words).lower()
    core = "".join(w for w in (w.lower() for w in words) if w not in INSTITUTION_WORDS and w not in NOT_NAMES)
    given = normalise(words[0]) if len(key_terms) >= 2 and is_given_name(words[0]) \
        and normalise(words[0]) == key_terms[0] else ""
    return KeyName(tuple(key_terms), initials, joined, core if len(core) >= 3 and core != joined else "", given,
                   tuple(w.lower() for w in words))


def coverage(profile: QuestionProfile, present: set[str]) -> float:
    """Share of the question's (idf-weighted) terms found among `present` terms."""
    from .terms import matched

    total = sum(profile.weights.values()) or 1.0
    return sum(w for t, w in profile.weights.items() if matched(t, present)) / total


def weighed_among(profile: QuestionProfile, reports: Sequence[set[str]], discount: float) -> QuestionProfile:
    """The profile with each term's weight cut by the share of `reports` (their terms) holding it, times `discount`.

    A term the store finds rare may still be in every report retrieved for the question (the crisis's
    own name in a store of distractors): it tells none of their sentences apart.
    """
    if not reports or discount <= 0:
        return profile
    from .terms import matched

    def spread(term: str) -> float:
        return sum(1 for held in reports if matched(term, held)) / len(reports)

    return replace(profile, weights={t: w * (1 - discount * spread(t)) for t, w in profile.weights.items()})


def _temporal_terms(words: list[str]) -> set[str]:
    """Terms of the question's time phrase: month names, years, and (when there is one) words like "first week"."""
    dated = [w for i, w in enumerate(words) if w.lower() in MONTHS or (w.isdigit() and _is_date_number(words, i))]
    if not dated:
        return set()
    return {normalise(w) for w in dated} | _TIME_TERMS


def _is_date_number(words: list[str], i: int) -> bool:
    """A bare number next to a month name ("7-8 September", "July 26", "2023") is a date, not a key term."""
    word = words[i]
    if len(word) == 4 and word.startswith(("19", "20")):
        return True
    near = [w.lower() for w in words[max(0, i - 2) : i + 3]]
    return any(w in MONTHS for w in near)


# --- quantities and dates in a sentence ----------------------------------------------------------

def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first (so "dozens" wins over "dozen")."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_COUNTED = [w for w in NUMBER_WORDS if NUMBER_WORDS[w] >= 2]
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_NUMBER_WORDS = re.compile(r"\b(" + _alternation(_COUNTED + [w for w in AMOUNT_WORDS if len(w) > 2
                                                             and w not in ("several", "few")]) + r")\b", re.I)
_PERCENT = re.compile(r"(\d|\b(" + _alternation(w for w in NUMBER_WORDS if NUMBER_WORDS[w] <= 100) + r"))"
                      r"[\s-]?(%|percent\b|per cent\b)", re.I)
# A share news writes in words: "half of the country's population", "two-thirds of homes", "one in five".
_FRACTION = re.compile(r"\b(?:half|(?:a|one|two)[\s-]thirds?|(?:a|one|three)[\s-]quarters?|a fifth|a tenth)\s+of"
                       r"((?:\s+[\w'’-]+){1,3})|\bone\s+in\s+(?:\d+|"
                       + _alternation(w for w in NUMBER_WORDS if NUMBER_WORDS[w] <= 100) + r")\b", re.I)
_SHARE_OF = re.compile(r"\b(?:share|proportion|percentage|fraction|part)\s+of\s+(?:(?:the|its|their|[\w-]+['’]s)\s+)*"
                       r"([a-z][\w-]*)", re.I)


def _gives_fraction(sentence: str, question: str) -> bool:
    """Whether a sentence gives, in words, a share of what the question asks a share of: "half of the country's
    population" for "What share of the population ...?", not "three-quarters of ballots" for "share of the vote"."""
    asked = _SHARE_OF.search(question)
    for found in _FRACTION.finditer(sentence):
        if not asked or not found.group(1):
            return True
        stem = _noun_stem(asked.group(1).lower())[:NOUN_STEM_CHARS]
        if any(w.lower().startswith(stem) for w in re.findall(r"[\w-]+", found.group(1))):
            return True
    return False


_DURATION = re.compile(r"\b(\d[\d,.]*|" + _alternation(
    [w for w in NUMBER_WORDS if NUMBER_WORDS[w] <= 100] + ["a", "an", "several", "few"]) + r")[\s-]+("
    + "|".join(f"{u}s?" for u in DURATION_UNITS) + r")\b", re.I)
_LIFE_OR_DEATH = re.compile(r"\b(" + _alternation(LIFE_OR_DEATH) + r")\b", re.I)
# A prison term is given in words of punishment: "one day after" is a duration, not a sentence.
_PUNISHMENT = re.compile(r"\b(sentenc\w*|prison\w*|jail\w*|imprison\w*|behind bars|convict\w*|custod\w*)\b", re.I)
# "58-year-old", "aged 58", and news style's "Lee White, 58, posted ...", "tribute to firefighter, 19, killed".
_AGE = re.compile(r"\b\d{1,3}[- ]years?[- ]old\b|\baged? \d{1,3}\b|\bage of \d{1,3}\b|(?<=[a-z]),\s\d{1,2},\s", re.I)
_MONTH_ALT = "|".join(sorted(MONTHS))
DATE_WORDS = re.compile(
    r"\b(\d{1,2}(st|nd|rd|th)?\s+(" + _MONTH_ALT + r")|(" + _MONTH_ALT + r")\.?\s+\d{1,2}|(19|20)\d\d|("
    + "|".join(WEEKDAY_STEMS) + r")day|" + _alternation(RELATIVE_DAYS).replace("'", "'?") + r")\b", re.I)


_COUNT_WORDS = _alternation(NUMBER_WORDS)
_MONEY = re.compile(MONEY_PATTERN, re.I)


def _asked_unit(question: str) -> str:
    """The unit a how-many question counts in, as a pattern ("how many acres": acres?), "" if none."""
    match = re.search(r"\bhow many\s+([\w-]+)(?:\s+([\w-]+))?", question, re.I)
    if not match:
        return ""
    word = next((w.lower() for w in match.groups() if w and w.lower() in MEASURE_UNITS), "")
    if not word:
        return ""
    stem = word.removesuffix("es") if word.endswith(("inches",)) else word.removesuffix("s")
    return rf"\b{re.escape(stem)}(?:e?s)?\b"


# Where a counted clause ends: a subordinate clause or a time phrase ("... had settled in Belarus by
# the time of his death" counts the settled, not the dead).
_SUBORDINATE = r"\b(?:once|when|after|before|because|while|since|as|if|until|by the time|in the wake of)\b"
_COUNT_ANCHOR = re.compile(r"\bhow (?:many|much|large an?|big an?|large|big|far|high|deep|wide|tall|strong|powerful)\b"
                           r"|\bnumber of\b|(?=\b[\w-]+\s+toll\b)", re.I)


# Where the counted noun phrase of "how many ..." ends: its verb, a preposition or a conjunction.
_COUNTED_PHRASE_END = frozenset("""
did does do were was are is have has had will would could can should might may of with in on at across from for
by to than or and that who which
""".split())
COUNTED_PHRASE_WORDS = 5  # "how many extra international firefighters": the noun comes this soon
_IRREGULAR_PLURALS = frozenset("people children men women police".split())
# Counted nouns any count may stand for ("how many people were killed": "killing 64").
_ANY_COUNTED = frozenset("people persons individuals them they times".split())


def counted_phrase(question: str) -> tuple[str, ...]:
    """The noun phrase a how-many question counts, ending in its noun: "how many Central African
    countries did ..." -> ("Central", "African", "countries"); () when it counts people or a measure
    unit, or no plural noun stands there."""
    match = re.search(r"\bhow many\s+(.*)", question, re.I)
    if not match:
        return ()
    phrase: list[str] = []
    for word in raw_words(match.group(1))[:COUNTED_PHRASE_WORDS]:
        lowered = word.lower()
        if lowered in _COUNTED_PHRASE_END:
            return ()
        phrase.append(word)
        if lowered.endswith("s") or lowered in _IRREGULAR_PLURALS:
            break  # the phrase's noun: "how many large aftershocks followed ...", not "followed"
    else:
        return ()
    head = phrase[-1].lower()
    if head in _ANY_COUNTED or head in MEASURE_UNITS or head.removesuffix("s") in DURATION_UNITS \
            or head in STOPWORDS or _asked_tolls(question):
        return ()
    return (*phrase[:-1], head)


def counted_noun(question: str) -> str:
    """The noun a how-many question counts, lower case ("countries"), "" when none in particular."""
    phrase = counted_phrase(question)
    return phrase[-1] if phrase else ""


def _noun_stem(noun: str) -> str:
    """A plural's stem that its singular and plural both begin with ("countries" -> "countr")."""
    if noun.endswith("ies"):
        return noun[:-3]
    if noun.endswith(("ches", "shes", "sses", "xes")):
        return noun[:-2]
    return noun.removesuffix("s")


def _counted_stems(noun: str) -> list[str]:
    """The counted noun's stems and its synonyms', escaped for a pattern: "arrival" -> "arriv", so "arrived"
    counts arrivals."""
    stems = [_noun_stem(n) for n in (noun, *_SAME_COUNTED.get(noun, ()))]
    return [re.escape(stem[:max(NOUN_STEM_CHARS, len(stem) - 2)]) for stem in stems]


# "What was the voter turnout?", "What was the inflation rate?": the measure a what-question asks the number
# of; "rate" is told by the word before it ("inflation rate"). A toll is checked as a toll (TOLL_KINDS).
_MEASURE_ASKED = re.compile(MEASURE_ASKED + rf"|\b(?:at|to|by) what (?:[\w-]+\s+)?({MEASURES_AT})\b", re.I)
_UNCHECKED_MEASURES = frozenset(("toll", "tally", "margin", "price"))
# A measure a quote may give by its unit instead of its name ("flying at 28,000 feet" for the altitude).
_LENGTH_WORDS = r"\b(?:ft|feet|foot|metres?|meters?|km|kilomet(?:re|er)s?|miles?)\b"
_MEASURE_UNITS = {
    "altitude": _LENGTH_WORDS, "height": _LENGTH_WORDS, "depth": _LENGTH_WORDS,
    "population": r"people|residents|inhabitants", "speed": r"mph|km/h|kph|knots|miles per hour",
    "temperature": r"degrees|°", "budget": MONEY_PATTERN, "loss": MONEY_PATTERN, "losses": MONEY_PATTERN,
}


def names_measure(text: str, question: str) -> bool:
    """Whether a text speaks of the measure a what-question asks for ("turnout" for "What was voter turnout?",
    "inflation" for "What was the inflation rate?", or a unit of it); True when it asks for none."""
    match = _MEASURE_ASKED.search(question)
    if not match:
        return True
    measure = (match.group(2) or match.group(3)).lower()
    if measure in _UNCHECKED_MEASURES:
        return True  # a toll is checked as a toll; a tally, margin or price may be told in other words
    before = (match.group(1) or "").strip().lower()
    word = before if measure == "rate" and before and before not in STOPWORDS else measure
    pattern = rf"\b{re.escape(word[:max(NOUN_STEM_CHARS, len(word) - 2)])}"
    if measure in _MEASURE_UNITS and word == measure:
        pattern += rf"|(?:{_MEASURE_UNITS[measure]})"
    return re.search(pattern, text, re.I) is not None


def names_counted(text: str, question: str) -> bool:
    """Whether a text speaks of what a how-many question counts: "schools" or "school" for "how many
    schools", "arrived" for "how many arrivals"; for people ("how many migrant workers") "people",
    "21-person" or "of them" too. True when the question counts no noun in particular."""
    phrase = counted_phrase(question)
    if not phrase:
        return True
    noun = phrase[-1]
    pattern = "|".join(rf"\b{stem}" for stem in _counted_stems(noun))
    if _counts_people(noun):
        pattern += r"|\b(?:people|persons?|them|those)\b|-person\b"
    pattern += _count_before_name(phrase)
    return re.search(pattern, text, re.I) is not None


def _count_before_name(phrase: tuple[str, ...]) -> str:
    """"5,500 National Guard are on standby" counts "National Guard members": an alternative pattern for a
    count before the counted phrase's name, "" when the phrase names nothing."""
    named = [w for w in phrase[:-1] if w[:1].isupper()]
    return rf"|(?:\d|\b(?:{_COUNT_WORDS})\b)[\d,.]*\s+{re.escape(named[0])}\b" if named else ""


# A count: a number ("1,800", "2.5m", "21-person"), a number word or a vague amount ("dozens").
_A_COUNT = (r"(?:\d[\d,.]*(?:\s*(?:million|thousand|hundred|bn|m|k)\b)?|\b(?:" + _COUNT_WORDS
            + r"|dozens?|hundreds|thousands|millions|scores)\b)")
# Between a count and what it counts: a quote mark and up to three words ("1,800 'terrorist attacks'",
# "100 Australian firefighters"); after what it counts, a verb of amount ("the toll rose to 5,000").
_COUNT_THEN = r"[\s-]+['‘\"“]?(?:[\w'’-]+\s+){0,3}?"
_THEN_COUNT = (r"\s+(?:of\s+|at\s+|to\s+|numbering\s+|totall?ing\s+|stood at\s+|reached\s+|rose to\s+)?"
               r"(?:about|around|some|at least|more than|nearly|almost|over)?\s*")


def counts_the_counted(text: str, question: str) -> bool:
    """Whether a count in a text counts what a how-many question counts: "100 Australian firefighters",
    "21-person cabinet" and "580 of them" do; "Millions on alert" beside "deaths of firefighters" does
    not, nor "students from the three countries". True when the question counts no noun in particular."""
    phrase = counted_phrase(question)
    if not phrase:
        return True
    noun = phrase[-1]
    counted = "|".join(rf"{stem}\w*" for stem in _counted_stems(noun))
    if _counts_people(noun):
        counted += r"|people|persons?"
    counted += r"|of them|of those"
    return re.search(rf"{_A_COUNT}{_COUNT_THEN}(?:{counted})\b|\b(?:{counted}){_THEN_COUNT}{_A_COUNT}"
                     + _count_before_name(phrase), text, re.I) is not None


# Plural nouns that count the same things (English, not any one crisis's words).
_SAME_COUNTED = {"countries": ("nations", "states"), "nations": ("countries", "states"),
                 "homes": ("houses", "dwellings"), "houses": ("homes", "dwellings")}


NOUN_STEM_CHARS = 5  # a counted noun's stem is cut to no fewer letters than this
# Endings of English nouns for people ("firefighters", "nationals", "Americans", "volunteers", "pupils").
_PEOPLE_ENDINGS = ("ers", "ors", "ists", "ians", "ans", "ees", "ants", "ents", "als", "ils", "men")
# ... and the people nouns with none of those endings.
_PEOPLE_NOUNS = frozenset("people children police troops citizens staff crew mercenaries cooks victims casualties "
                          "adults".split())


def _counts_people(noun: str) -> bool:
    """Whether a counted plural noun is people, by its word or an ending nouns for people have."""
    return noun in _PEOPLE_NOUNS or noun.endswith(_PEOPLE_ENDINGS)


# "a 16ft storm surge", "150mph winds": a number written with its unit (never "2nd").
_NUMBER_WITH_UNIT = re.compile(r"\b\d[\d,.]*(?!st\b|nd\b|rd\b|th\b)[a-z]{1,3}\b", re.I)
# "How far / deep / high / tall / wide ...?" asks for a length: a number with its unit ("16ft", "10 km",
# "nine feet", "3in" of rain; never "one in five").
_ASKS_LENGTH = re.compile(r"\bhow (?:far|deep|high|tall|wide)\b", re.I)
_LENGTH = re.compile(r"(?:\d[\d,.]*|\b(?:" + _COUNT_WORDS + r"))\s*-?\s*(?:ft|feet|foot|inch(?:es)?|yards?|m"
                     r"|metres?|meters?|km|kilomet(?:re|er)s?|miles?|mi|cm|centimet(?:re|er)s?)\b"
                     r"|\d[\d,.]*in\b|\d\s*%|\bper ?cent\b", re.I)


def _counted_clause(question: str) -> str:
    """The words a count question counts with: from "how many" to the end of its clause.

    "How many people were injured when protesters attacked the embassy?" -> " people were injured ".
    """
    match = _COUNT_ANCHOR.search(question)
    rest = question[match.end():] if match else question
    return re.split(_SUBORDINATE + r"|[,;?]", rest, maxsplit=1, flags=re.I)[0]


def _asks_money(question: str) -> bool:
    """Whether a question asks for money: "how much did X pay / pledge / cost", "how large a ransom"."""
    # "How much did X pay ...": an auxiliary, then the paying verb in the same clause. Not "how
    # much water ..., once the dams gave way" (a noun is what is measured; "gave" is another clause's).
    match = re.search(r"\bhow much\s+(?:[\w'-]+\s+){0,3}?(?:did|does|do|will|would|could|has|have|had|is|was|are|were)"
                      r"\b([^,;]*)", question, re.I)
    if match:
        clause = re.split(_SUBORDINATE, match.group(1), maxsplit=1)[0]
        if any(w.lower() in MONEY_VERBS for w in raw_words(clause)):
            return True
    # "How large a ransom", "how much bail": the measured noun is an amount of money.
    noun = re.search(r"\bhow (?:much|large an?|big an?)\s+((?:[\w'-]+\s*){1,3})", question, re.I)
    return noun is not None and any(w.lower() in MONEY_NOUNS for w in raw_words(noun.group(1)))


def _asked_tolls(question: str) -> set[str]:
    """The casualty kinds a count question asks for ("how many were injured": {"injured"})."""
    words = {w.lower() for w in raw_words(_counted_clause(question))}
    return {kind for kind, kind_words in TOLL_KINDS.items() if words & kind_words}


def _nationality(word: str) -> str:
    """The country term of a word naming a country or its people ("Armenian" -> "armenia"), "" if none."""
    world = places()
    if word in world.acronyms:
        return world.acronyms[word]
    if word[:1].isupper() and word.lower() in world.words:
        return world.words[word.lower()]
    return ""


def _counted_nationality(question: str) -> set[str]:
    """Country terms of the people counted: "how many French soldiers" -> {"france"}.

    Only the words right after "how many" that name a country or its people; "how many schools
    across Morocco" counts schools, wherever they are.
    """
    match = re.search(r"\bhow many\s+((?:[\w'-]+\s+){1,3})", question, re.I)
    if not match:
        return set()
    out = set()
    for word in match.group(1).split():
        country = _nationality(word)
        if not country:
            break
        out.add(country)
    return out


_COUNT_AND_NEXT = re.compile(r"(?:\b\d[\d,.]*|\b(?:" + _COUNT_WORDS + r")\b)((?:\s+[\w'’-]+){1,2})", re.I)


def _counts_only_others(sentence: str, nationality: set[str]) -> bool:
    """Whether every count of the sentence counts people of another country than the one asked.

    "How many Azerbaijani soldiers were killed?" is not answered by "Two Armenian soldiers killed
    after shelling by Azerbaijan", though Azerbaijan is named. A count of no stated country may be it.
    """
    others = False
    for match in _COUNT_AND_NEXT.finditer(sentence):
        countries = {c for c in map(_nationality, match.group(1).split()) if c}
        if not countries or countries & nationality:
            return False
        others = True
    return others


def gives_quantity(sentence: str, wants: str, question: str) -> bool:
    """Whether a sentence can answer a how-many / what-percentage / how-old / how-long question at all."""
    if wants == "age":
        return bool(_AGE.search(sentence))
    if wants == "percent":
        return bool(_PERCENT.search(sentence)) or _gives_fraction(sentence, question)
    if wants == "duration":
        return bool(_DURATION.search(sentence))
    if wants == "sentence":  # a prison term, or life, or death
        return bool(_LIFE_OR_DEATH.search(sentence) or (_DURATION.search(sentence) and _PUNISHMENT.search(sentence)))
    unit = _asked_unit(question)
    if unit and not re.search(rf"(?:\d|\b(?:{_COUNT_WORDS}))[\d,.]*\s*(?:[\w-]+\s+){{0,2}}?{unit}", sentence, re.I):
        return False  # "how many acres": a count of miles or people is no answer
    if _ASKS_LENGTH.search(question) and not _LENGTH.search(sentence):
        return False  # "how deep was the quake": a time or a magnitude is no depth
    if _asks_money(question) and not _MONEY.search(sentence):
        return False  # "how much did they pay": a number of people is no answer
    tolls = _asked_tolls(question)
    if tolls and not any(set(map(str.lower, raw_words(sentence))) & TOLL_KINDS[kind] for kind in tolls):
        return False  # "how many were injured": a death toll is no answer
    nationality = _counted_nationality(question)
    if nationality and (not nationality <= set(terms(sentence)) | {_nationality(w) for w in raw_words(sentence)}
                        or _counts_only_others(sentence, nationality)):
        return False  # "how many French soldiers": a count of soldiers of no stated country is no answer
    if not tolls and _only_tolls(sentence):
        return False  # "how many schools were destroyed": "killing more than 2,400 people" is no answer
    if _ASKS_CHANGE.search(question) and _MULTIPLE.search(sentence):
        return True  # "by how much did prices rise?": "prices have doubled"
    asked = {n.replace(",", "") for n in _NUMBER.findall(question)}
    # A year or a day of a month ("June 5") is not a count.
    # A year is written without a separator: "2,000 people" is a count, "2000" a year.
    numbers = {n.replace(",", "") for n in _NUMBER.findall(_CALENDAR_DATE.sub(" ", sentence))
               if not re.fullmatch(r"(19|20)\d\d", n)} - asked
    return bool(numbers) or bool(_NUMBER_WORDS.search(sentence)) or bool(_NUMBER_WITH_UNIT.search(sentence))


# "By how much did prices rise?", "how many times more likely?": a change may be told as a multiple.
_ASKS_CHANGE = re.compile(r"\bby how much\b|\bhow many times\b", re.I)
_MULTIPLE = re.compile(r"\b(?:doubl|tripl|quadrupl|halv)(?:e|ed|es|ing)\b|\btwice\b"
                       r"|\b(?:\d+(?:\.\d+)?|two|three|four|five|ten|hundred)[\s-]?fold\b"
                       r"|\b\d+(?:\.\d+)?\s+times\b", re.I)


_ALL_TOLL_WORDS = frozenset().union(*TOLL_KINDS.values()) - {"lives", "bodies"}
_HEDGE = r"(?:(?:at least|more than|over|nearly|almost|about|around|some|up to|as many as|roughly)\s+)?"
# "Thousands dead": a vague amount counts as a count, so a headline of tolls is only tolls.
_COUNT = r"(?:\d[\d,.]*(?:\s+(?:million|thousand|hundred))?|(?:" + _COUNT_WORDS + r"|dozens|scores|hundreds|thousands))"
# "40 days after death" counts days: a unit or a preposition between a count and a toll word parts them.
_NOT_A_UNIT = r"(?!(?:" + "|".join(f"{u}s?" for u in DURATION_UNITS) + r"|after|before|since|of|in|from)\b)"
_TOLL_WORD = r"(?:" + _alternation(_ALL_TOLL_WORDS) + r")"
# "killing more than 2,400", "killed 49", "toll rose to 2,000" / "2,000 dead", "64 people killed", "93 were killed".
_TOLL_COUNT = re.compile(rf"(?:\b{_TOLL_WORD}|\btoll(?:\s+\w+){{0,2}}?\s+(?:of|to|at|is|was|stood at))\s+{_HEDGE}"
                         rf"(?P<a>{_COUNT})\b|\b(?P<b>{_COUNT})\s+(?:{_NOT_A_UNIT}[\w-]+\s+){{0,2}}?(?:were\s+|have\s+been\s+|"
                         rf"had\s+been\s+)?{_TOLL_WORD}\b", re.I)
_ANY_COUNT = re.compile(rf"\b{_COUNT}\b", re.I)
_MAGNITUDE = re.compile(r"\bmagnitude(?:\s+of)?\s+\d+(?:\.\d+)?|\b\d+(?:\.\d+)?[\s-]*magnitude\b", re.I)


def _only_tolls(sentence: str) -> bool:
    """Whether every count a sentence gives is of the dead, injured, missing, displaced or arrested."""
    text = _CALENDAR_DATE.sub(" ", sentence)
    tolls = {m.start("a") if m.group("a") else m.start("b") for m in _TOLL_COUNT.finditer(text)}
    # "a magnitude 6.3 earthquake" measures the quake; it counts nothing.
    text = _MAGNITUDE.sub(" ", text)
    counts = [m.start() for m in _ANY_COUNT.finditer(text) if not re.fullmatch(r"(19|20)\d\d", m.group(0))]
    return bool(tolls) and all(start in tolls for start in counts)


_CAUSE = re.compile(r"\b(" + "|".join(re.escape(w) for w in CAUSE_WORDS) + r")\b", re.I)


# How news writing gives a reason besides the plain cause words: the reason someone gives ("accusing",
# "claiming"), the charge ("penalised for"), the purpose ("so it can", "in a bid to", "to protect").
# Measured on the bench sets' why-questions: the sentence that answers carries one of these or a cause
# word 43 % of the time (27 % with the cause words alone), a wrong quote 29 % (26 %). "saying" was
# measured too and left out: "a day after saying they would ..." is no reason, and it cost an answer.
_REASON_GIVEN = re.compile(
    r"\b(?:accus(?:e|es|ing)|blam(?:e|es|ing)|cit(?:e|es)|claim(?:s|ed|ing)?|(?:a|in) response to"
    r"|(?:penali[sz]|punish|sanction)ed for|so (?:it|they|he|she|we) (?:can|could|would)|so as to|in a bid to"
    r"|in an effort to|on the grounds|for allegedly|over alleged\w*|after being"
    r"|as (?:it|they) (?:seek|sought|tr(?:y|ied))|fear(?:s|ed)?|concerns? (?:over|about|that)"
    r"|to (?:protect|ensure|prevent|help|curb|counter|punish|pressure|force|restore|reduce|avoid|stop))\b", re.I)


def gives_reason(sentence: str) -> bool:
    """Whether a sentence gives a reason or cause ("because", "citing", "due to", "in response to",
    "accusing ... of", "so it can")."""
    return bool(_CAUSE.search(sentence) or _REASON_GIVEN.search(sentence))


def gives_date(sentence: str) -> bool:
    """Whether a sentence names a day, month-day, year, weekday or a relative day ("yesterday")."""
    return bool(DATE_WORDS.search(sentence))


_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_HOUR_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_CLOCK_TIME = re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b"
                         r"|\b\d{4}\s*(?:GMT|UTC|hours?|hrs)\b"
                         rf"|\b(?:\d{{1,2}}|{_HOUR_WORDS})\s+"
                         r"(?:o'clock|in the (?:morning|afternoon|evening)|at night)\b"
                         r"|\b(?:noon|midday|midnight|dawn|dusk)\b", re.I)


def gives_year(sentence: str, question: str) -> bool:
    """Whether a sentence names a year the question does not ("In what year ...?" answered by "in 1998")."""
    return bool(set(_YEAR.findall(sentence)) - set(_YEAR.findall(question)))


_DIRECTION = re.compile(r"\b(?:north|south|east|west)(?:[- ]?(?:east|west))?(?:ward|wards)?\b", re.I)


def gives_month(sentence: str, question: str) -> bool:
    """Whether a sentence names a month the question does not ("In which month ...?" answered by "in April")."""
    asked = {w.lower() for w in raw_words(question)}
    # Capitalised: "may" is a verb, "May" a month.
    return any(w[:1].isupper() and w.lower() in MONTHS and w.lower() not in asked for w in raw_words(sentence))


def gives_direction(sentence: str, question: str) -> bool:
    """Whether a sentence names a point of the compass the question does not ("northwest of Herat")."""
    asked = {m.lower() for m in _DIRECTION.findall(question)}
    return any(m.lower() not in asked for m in _DIRECTION.findall(sentence))


# When, as reports say it without a date: "early September", "on the day", "this week", "two weeks", "days after".
_TIME_REFERENCE = re.compile(r"\b(?:on the day|this (?:week|month|year|morning|afternoon|evening|weekend)|tonight"
                             r"|end of|(?:hours?|days?|weeks?|months?|years?|decades?)\b)", re.I)
_MONTH_NAME = re.compile(r"\b(?:" + "|".join(m.capitalize() for m in MONTHS if len(m) > 3) + r")\b")


def gives_time(sentence: str) -> bool:
    """Whether a sentence says when in any way: a date, a weekday, a month, a time of day, a span or "this week".

    A sentence saying none of these cannot answer "when?"; its report's date is only when it was written.
    """
    return gives_date(sentence) or gives_clock_time(sentence) or bool(_MONTH_NAME.search(sentence)) \
        or bool(_TIME_REFERENCE.search(sentence))


def gives_clock_time(sentence: str) -> bool:
    """Whether a sentence names a time of day ("6.30am", "23:11", "noon")."""
    return bool(_CLOCK_TIME.search(sentence))


_CALENDAR_DATE = re.compile(r"\b\d{1,2}(st|nd|rd|th)?\s+(" + _MONTH_ALT + r")\b|\b(" + _MONTH_ALT
                            + r")\.?\s+\d{1,2}\b", re.I)
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAY_STEMS) + r")day\b", re.I)


def gives_calendar_date(sentence: str) -> bool:
    """Whether a sentence names a day of a month ("23 August", "Aug. 23"), not only a weekday or a year."""
    return bool(_CALENDAR_DATE.search(sentence))


def weekday_in(sentence: str) -> str:
    """The first weekday a sentence names ("Wednesday"), "" if none."""
    match = _WEEKDAY.search(sentence)
    return match.group(0).capitalize() if match else ""


def asks_calendar_date(question: str) -> bool:
    """Whether a question asks for a day of a month ("On what date ...?"), which a weekday does not give."""
    return bool(re.search(r"\b(what|which) (exact )?date\b|\bthe date (of|on)\b", question, re.I))


def wants_name(wants: str) -> bool:
    """Whether an answer kind must name someone or something the question does not (who, which, where)."""
    return wants in NAMING_KINDS


def wants_quantity(wants: str) -> bool:
    """Whether an answer kind must carry a quantity of its kind in the quote."""
    return wants in QUANTITY_KINDS


def names_what_was_asked(sentence: str, question: str, wants: str) -> bool:
    """Whether a sentence names what a who/which/where question asks for, beyond what it already says.

    "Who declared himself leader?" is not answered by "The general declared himself leader":
    a who-answer names a person or body, a which- or where-answer any name (places count).
    "In which capital ...?" is not answered by a country ("Armenia's capital"): a town's name is asked.
    """
    if wants == "which" and asks_for_country(question):
        return names_a_country(sentence, question)
    thing = wants == "which" and asks_for_thing(question)
    names = new_names(sentence, question, places_count=wants == "where" or (wants == "which" and not thing),
                      unknown_first=thing)
    if wants == "which" and _ASKS_TOWN.search(question):
        world = places()
        names = [n for n in names if _nationality(n) == "" or normalise(n) in world.capitals]
    return bool(names)


_ASKS_TOWN = re.compile(r"\bwhich\s+(?:[\w'’-]+,?\s+){0,4}?(?:city|cities|town|towns|village|villages|capital|port"
                        r"|suburb|neighbou?rhood)\b", re.I)


# "Which country ...?", "which two Sahel countries", "Which country's leader ...?": a country is asked for.
# "Which North African neighbour ...?", "which nations ...?" ask for one too.
_ASKS_COUNTRY = re.compile(r"\bwhich\s+((?:[\w'’-]+\s+){0,3}?)(?:countr(?:y|ies)|nations?|neighbou?rs?)\b", re.I)


def asks_for_country(question: str) -> bool:
    """Whether a which-question asks for a country ("Which neighbouring country ...?"), not for something
    in one ("Which group in the country ...?")."""
    match = _ASKS_COUNTRY.search(question)
    return match is not None and not any(w.lower() in _PHRASE_END for w in match.group(1).split())


def names_a_country(sentence: str, question: str) -> bool:
    """Whether a sentence names a country (or its people or capital) the question does not, in the world
    region the question gives: "Which six African countries ...?" is not answered by "Ukraine"."""
    world = places()
    match = _ASKS_COUNTRY.search(question)
    asked_regions = {_nationality(w) for w in match.group(1).split()} & world.regions if match else set()
    regions = country_regions()
    # "North African": the subregion's word too, when the records have such a subregion ("Northern
    # Africa"); they have no "Western Africa", so "West African" asks only for Africa.
    compass = {_COMPASS[w.lower()] for w in match.group(1).split() if w.lower() in _COMPASS} if match else set()
    if compass and any(asked_regions | compass <= words for words in regions.values()):
        asked_regions |= compass
    in_question = {_country_of(w) for w in raw_words(question)}
    # "Which neighbouring country ...?", "Which of Niger's neighbours ...?": one bordering a country the
    # question names (when it names one: "its neighbour" may be anyone's).
    borders = country_borders()
    named = {c for c in in_question if c in borders}
    near = frozenset().union(*(borders[c] for c in named)) \
        if len(named) == 1 and _ASKS_NEIGHBOUR.search(question) else None
    for word in raw_words(sentence):
        country = _country_of(word)
        if country and country not in world.regions and country not in in_question \
                and asked_regions <= regions.get(country, frozenset()) and (near is None or country in near):
            return True
    return False


_ASKS_NEIGHBOUR = re.compile(r"\bwhich\s+(?:[\w'’-]+\s+){0,3}?neighbou?r(?:s|ing)?\b", re.I)
_COMPASS = {"north": "northern", "south": "southern", "east": "eastern", "west": "western", "central": "central"}


def _country_of(word: str) -> str:
    """The country term a word names as a country, its people or its capital ("Accra" -> "ghana"), "" if none."""
    world = places()
    if word.islower():
        return word if word in world.terms else ""  # a multi-word name folded to its term ("usa")
    found = _nationality(word) or (world.capitals.get(word.lower(), "") if word[:1].isupper() else "")
    if not found and word[:1].isupper() and word.endswith("n") and len(word) > 4:
        # "South Korean": a people's adjective the tables leave out (two countries share it) is its land's.
        found = _nationality(word[:-1])
    return found


# A lookahead, so that "Dr Najib Tarhoni" yields "Najib Tarhoni" after the title's pair.
# A particle may stand between the two ("Tayeb ait Ighenbaz", "Ahmed al-Mismari").
# A nickname in quotes may stand between them too ("Manuel 'El Fatal' Sevillano").
_QUOTED_NICKNAME = r"['‘\"“][A-Z][^'’\"”]{0,24}['’\"”]"
_TWO_NAMES = re.compile(r"(?<![\w'’-])(?=([A-Z][a-z][\w'’-]*)\s+(?:" + _QUOTED_NICKNAME + r"\s+)?"
                        r"(?:(?:al|el|bin|ben|ibn|abu|ait|de|del|di|du|dos|van|von|da)[- ])?([A-Z][a-z][\w'’-]*))")


_CAPITALS_NAME = re.compile(r"(?<![\w'’-])([A-Z]{3,})\s+([A-Z]{2,}(?:[-'’][A-Z]+)?)(?![\w'’-])")


def names_a_person(sentence: str, question: str, gender: str = "", titled: bool = True) -> bool:
    """Whether a sentence names someone the question does not: a first and a last name ("Herman Andaya").

    Two capitalised words in a row that are no title, institution, place, month or weekday,
    and not both in the question. A who-answer that names a person is likelier the answer.
    With a `gender` ("f" for "Who is the wife of ...?"), only a first name of that gender counts.
    With `titled`, one name after a person's title counts too ("PM Mahamadou").
    """
    asked = {w.lower() for w in raw_words(question)}
    # "(Photo by BERTRAND GUAY / AFP)": a photo credit writes the name in capitals; a first name on
    # record says it is a person's, not an initialism's.
    for match in _CAPITALS_NAME.finditer(sentence):
        first, last = match.group(1).capitalize(), match.group(2).capitalize()
        if is_given_name(first) and last.lower() not in common_words() and last.lower() not in asked \
                and not _names_no_one(last) and (not gender or gender_of(first) in (gender, "")):
            return True
    if is_title_case(sentence):
        return False  # a Title Case headline capitalises every word
    given_before = _given_names(question)
    place = place_terms()
    for match in _TWO_NAMES.finditer(sentence):
        words = [re.sub(r"[’']s$", "", w) for w in match.groups()]
        # "Victoria Nuland": a first name that is also a place, before a surname that is no word.
        first_name = is_given_name(words[0]) and words[1].lower() not in common_words()
        if any(_names_no_one(w) or w.lower() in QUESTION_WORDS or w.lower() in STOPWORDS
               or (normalise(w) in place and not (first_name and i == 0)) for i, w in enumerate(words)):
            continue
        first, last = normalise(words[0]), normalise(words[1])
        if words[1].lower() in asked and given_before.get(last, first) == first:
            # "Yevgeny Prigozhin" when the question asks about Prigozhin: no one new. "Zazia Bazoum"
            # when it asks about Mohamed Bazoum's daughters: another first name, another person.
            continue
        if not is_first_name(words[0]) and (words[0].lower() in common_words() or words[1].lower() in common_words()) \
                and not _person_in_apposition(sentence[match.end(2):]) \
                and not _person_named_after(sentence[:match.start(1)]):
            # "First Thing: Appeals for body bags", "an Embraer Legacy 600 jet": an English word, and no
            # first name on record before it. "Bowinn Ma, the province's minister": a person all the same.
            continue
        if gender and gender_of(words[0]) not in (gender, ""):
            continue  # "Wife of Gabon's deposed leader Ali Bongo jailed": Ali is not the wife
        return True
    # "Nigerien PM Mahamadou", "President Bazoum": one name after a person's title.
    for match in _TITLED_NAME.finditer(sentence if titled else ""):
        name = re.sub(r"[’']s$", "", match.group(1))
        lowered = name.lower()
        if lowered in asked or _names_no_one(name) or normalise(name) in place \
                or (lowered in common_words() and not is_given_name(name)):
            continue
        if gender and gender_of(name) not in (gender, ""):
            continue
        return True
    return False


APPOSITION_WORDS = 6  # "Bowinn Ma, the province's minister of emergency management": the noun comes this soon


def _person_in_apposition(rest: str) -> bool:
    """Whether what follows a name says what person it is (", the province's minister ...")."""
    match = re.match(r",\s+(?:the|a|an)\s+([^,.;:]*)", rest)
    if not match:
        return False
    words = [re.sub(r"['’]s$", "", w.lower()) for w in re.findall(r"[\w'’-]+", match.group(1))[:APPOSITION_WORDS]]
    return any(_is_person_noun(w) for w in words)


def _is_person_noun(word: str) -> bool:
    """Whether a lower-case word (or its singular) is a noun only a person can be: "minister", "chiefs"."""
    return word in _PERSON_NOUNS or word.removesuffix("s") in _PERSON_NOUNS


# "the community's chief, Niakia Hanna": a person's noun, then a comma, then the name.
_NOUN_BEFORE_NAME = re.compile(r"\b([a-z][\w-]*),\s*$")


def _person_named_after(before: str) -> bool:
    """Whether the words before a name say what person it is ("..., the community's chief, ")."""
    match = _NOUN_BEFORE_NAME.search(before)
    return match is not None and _is_person_noun(match.group(1))


def _names_no_one(word: str) -> bool:
    """Whether a capitalised word is a title, an institution's or a map feature's word ("Lake"), a month or a
    weekday: part of no person's name."""
    lowered = word.lower()
    return lowered in NOT_NAMES or lowered in INSTITUTION_WORDS or lowered in PLACE_FEATURE_WORDS \
        or lowered in MONTHS or lowered in WEEKDAYS


_TITLED_NAME = re.compile(r"\b(?:" + "|".join(sorted({*ABBREVIATIONS[:14], "PM", *(w.capitalize() for w in ROLE_WORDS
                                                                                 if " " not in w)}))
                          # "Secretary of State Blinken": the office's own name between title and name.
                          + r")\.?(?:\s+of\s+(?:the\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?"
                          + r"\s+([A-Z][a-z][\w'’-]+)(?!\s+[A-Z][a-z])")


_WHICH_NOUN = re.compile(r"\bwhich\s+((?:[a-z][\w-]*\s+){0,3}?)([a-z]{3,})(?:'s|’s)?\s+"
                         r"(?:did|does|do|is|are|was|were|has|have|had|will|would|can|could|[a-z]+ed)\b", re.I)


_WHICH_EVENT = re.compile(r"\bwhich\s+(" + "|".join(NAMED_EVENT_WORDS) + r")s?\b", re.I)


def names_the_event(sentence: str, question: str) -> bool:
    """Whether a sentence names the event a which-question asks for by kind ("Which hurricane's winds
    ...?" by "Hurricane Dora"), True when the question asks for no such event."""
    match = _WHICH_EVENT.search(question)
    return not match or _names_of_kind(sentence, match.group(1).lower(), question)


_COPULAS = frozenset("is are was were be been has have had do does did will would can could may might".split())
# Verbs that say little by themselves: "Which prime minister came under attack?" is not answered by
# "... (BJP) came to power".
_LIGHT_VERBS = frozenset("came come went go got get made make took take gave give put set became become kept keep "
                         "let found find saw see".split())
_WHO_VERB = re.compile(r"^\s*who\s+([a-z]+)\b", re.I)
VERB_NEAR = 3  # words between the asked verb and the name that does it ("supplied by Citgo", "Engel reports")


@lru_cache(maxsize=256)  # asked once per sentence read: the same question many times over
def asked_verb(question: str) -> str:
    """The verb a who- or which-question asks about, as a term: "Which company supplied the fuel?" -> "suppli".

    The word after "who", or the first past-tense word after the which-phrase; "" when the question
    puts its verb after an auxiliary ("Which ship did the drone hit?") or asks what someone is.
    """
    who = _WHO_VERB.match(question)
    if who:
        verb = who.group(1).lower()
        return "" if verb in _COPULAS or verb in _LIGHT_VERBS else normalise(verb)
    match = _ASKED_PHRASE.search(question)
    if not match:
        return ""
    for word in re.findall(r"[\w'’-]+", match.group(1)):
        lowered = word.lower()
        if lowered in _COPULAS or lowered in _PHRASE_END:
            return ""
        if word.islower() and (lowered.endswith("ed") or lowered in IRREGULAR_PAST):
            return "" if lowered in _LIGHT_VERBS else normalise(lowered)
    return ""


def name_beside_verb(sentence: str, question: str, verb: str, places_count: bool) -> bool:
    """Whether a new name stands within a few words of the asked verb in the sentence ("supplied by Citgo")."""
    words = raw_words(sentence)
    at = [i for i, w in enumerate(words) if w.islower() and normalise(w) == verb]
    if not at:
        return False
    names = set(new_names(sentence, question, places_count=places_count, unknown_first=True))
    spots = [i for i, w in enumerate(words) if w in names]
    return any(0 < abs(i - j) <= VERB_NEAR + 1 for i in at for j in spots)


def names_the_kind(sentence: str, question: str) -> bool:
    """Whether a sentence names something of the kind a which-question asks for by that kind's word:
    "the Ionian Sea" for "which sea", "Hurricane Katrina" for "which hurricane"."""
    match = _WHICH_NOUN.search(question)
    return match is not None and _names_of_kind(sentence, match.group(2).lower().removesuffix("s"), question)


def _names_of_kind(sentence: str, noun: str, question: str) -> bool:
    """Whether a sentence names a `noun` the question does not: "Ionian Sea", "Hurricane Dora"."""
    kind = rf"(?i:{re.escape(noun)}s?)"
    asked = {w.lower() for w in raw_words(question)}
    for found in re.finditer(rf"\b([A-Z][\w’'-]+)\s+{kind}\b|\b{kind}\s+([A-Z][\w’'-]+)", sentence):
        name = (found.group(1) or found.group(2) or "").lower()
        if name not in asked and name not in NOT_NAMES and name not in QUESTION_WORDS and name not in STOPWORDS:
            return True
    return False


_ASKS_BY_ROLE = re.compile(r"^\s*who\b.*\b(?:led|leads|heads?|headed|runs|ran|chaired|chairs|"
                          + "|".join(r"\s+".join(role.split()) for role in ROLE_WORDS) + r")\b", re.I)


def asks_for_person(question: str) -> bool:
    """Whether a who-question asks for a person by role ("Who led the agency?", "Who, standing in for the
    governor, ...?"), not for whoever did something ("Who was blamed for the attack?"), or a which-
    or name-question asks for a person by a noun that only a person can be ("Which former president")."""
    return bool(_ASKS_BY_ROLE.search(question)) or _asked_phrase_is_person(question)


# Where the noun phrase a which- or name-question asks for ends: at its verb, preposition or clause.
_PHRASE_END = frozenset("""
did does do is was were are has have had will would can could who whom that which whose to in at on for from by with
as after before during when where of and or the a an his her its their this these those
""".split())
# Nouns only a person can be: the role words' last words and the lexicon's person nouns.
_PERSON_NOUNS = frozenset(PERSON_NOUNS) | frozenset(role.split()[-1] for role in ROLE_WORDS)
_ASKED_PHRASE = re.compile(r"\b(?:which(?:\s+(?:one|ones))?(?:\s+of(?:\s+the)?)?|names?\s+of(?:\s+the)?)"
                           r"\s+((?:[\w'’-]+\s*){1,6})", re.I)


def asks_for_thing(question: str) -> bool:
    """Whether the noun phrase after "which" names a body or a made thing, not a place: "Which insurer or
    broker", "Which Russian landing ship". Such a question is not answered by a town or a month.
    "Which West Bank city" asks for a town, though "bank" is a body's word."""
    return _asked_phrase_has(question, THING_KINDS) and not _ASKS_TOWN.search(question)


def _asked_phrase_is_person(question: str) -> bool:
    """Whether the noun phrase after "which" or "the name of" names a kind of person.

    "Which former president of Nagorno-Karabakh ...": president; "What is the name of Azerbaijan's
    defence minister": minister. Not "Which newspaper did the head of the coup tell": the phrase
    ends at its verb, before "head".
    """
    return _asked_phrase_has(question, _PERSON_NOUNS)


# "What's France's ambassador's name?": the phrase whose name is asked ("France's ambassador").
_OWNED_NAME = re.compile(r"\bwhat(?:'s|’s|\s+is|\s+was)\s+(?:the\s+)?((?:[\w'’-]+\s+){0,4}?[\w-]+)['’]s\s+names?\b",
                         re.I)


def _asked_phrase_has(question: str, nouns: frozenset[str]) -> bool:
    """Whether the noun phrase after "which" or "the name of", up to its verb, holds one of `nouns` (or its
    plural). "Which news agency's reporter": the phrase stops at the owner, the agency is asked for."""
    match = _ASKED_PHRASE.search(question) or _OWNED_NAME.search(question)
    if not match:
        return False
    for word in re.findall(r"[\w'’-]+", match.group(1)):
        lowered = re.sub(r"['’]s$", "", word.lower())
        if lowered in _PHRASE_END or (lowered != word.lower() and word.islower()):
            return False  # its verb, or an owner's "'s": what it owns is asked for
        if lowered in nouns or lowered.removesuffix("s") in nouns:
            return True
    return False


TITLE_CASE_LOWER_SHARE = 0.15  # a Title Case headline has at most this share of lower-case long words


def _title_case(words: list[str]) -> bool:
    """Whether words read as a Title Case headline: (almost) no long word in lower case."""
    # A sentence dense with names still writes its verbs and nouns in lower case.
    long_words = [w for w in words if len(w) > 3]
    lower = sum(not w[:1].isupper() for w in long_words)
    return len(long_words) >= 3 and lower <= max(1, TITLE_CASE_LOWER_SHARE * len(long_words))


def is_title_case(text: str) -> bool:
    """Whether a text is a Title Case headline ("President Ousted in Coup, Remains Imprisoned")."""
    return _title_case(raw_words(text))


def _given_names(question: str) -> dict[str, str]:
    """{surname term: first-name term} for the people a question names in full ("Mohamed Bazoum")."""
    words = raw_words(question)
    return {normalise(words[j + 1]): normalise(words[j]) for j in range(1, len(words) - 1)
            if words[j][:1].isupper() and is_given_name(words[j])  # "into" is a name in the records too
            and words[j + 1][:1].isupper() and words[j + 1].lower() not in NOT_NAMES}


_NICKNAME = re.compile(r"\b([A-Z][a-z][\w-]*)\s+" + _QUOTED_NICKNAME + r"(?=\s+[A-Z])")


def _no_word(word: str) -> bool:
    """Whether a capitalised word is no English word ("Ryanair", "Tchiani"), so a name even at a clause's start."""
    bare = re.sub(r"['’]s$", "", word)
    lowered = bare.lower()
    forms = {lowered, lowered.removesuffix("s"), lowered.removesuffix("es"), lowered.removesuffix("ies") + "y"}
    return len(bare) > 3 and bare.isalpha() and not bare.isupper() and not forms & common_words()


def new_names(sentence: str, question: str, places_count: bool = False, unknown_first: bool = False) -> list[str]:
    """Capitalised words of a sentence that could be a name the question lacks.

    Not a clause's first word (unless `unknown_first` and no English word: "Ryanair"), not a title
    or institution word, not a country, capital, region or demonym (unless `places_count`: "which
    country?"), and not part of a name the question gives ("Mohamed" of "Mohamed Bazoum" when it
    asks about Bazoum).
    """
    # "Manuel 'El Fatal' Sevillano": the nickname the question gives is no part of his name.
    sentence = _NICKNAME.sub(r"\1", sentence)
    asked = {normalise(w) for w in raw_words(question)}
    # The question's own names: "Mohamed" is part of one next to "Bazoum", but "Ionian" is not part
    # of a name the question gives when it only asks "which sea" ("the Ionian Sea").
    asked_names = {normalise(w) for i, w in enumerate(raw_words(question)) if i > 0 and w[:1].isupper()}
    # The first names the question gives its people ("Mohamed" of "Mohamed Bazoum"): another first
    # name before the same surname is somebody else ("Zazia Bazoum", his daughter).
    given_before = _given_names(question)
    out = []
    place = place_terms()
    # A state or province ("Fukushima", "Ramallah") is no person and no body: "What is the name of the
    # food safety agency ...?" is not answered by "... wastewater from Fukushima".
    regions = provinces()
    demonyms = places().words
    # "In which Russian region ...?" is not answered by "in Russia": the question gives the country.
    asked_countries = {c for c in map(_nationality, raw_words(question)) if c}
    # Each clause's first word is capitalised anyway ("Soldiers hold president: Security sources").
    for clause in re.split(r"[:;]\s+|\s[—–-]\s", sentence):
        words = raw_words(clause)
        # A headline in Title Case capitalises every word ("President Ousted in Coup, Remains
        # Imprisoned"): there only acronyms stand out; the report's body names names in sentence case.
        title_case = _title_case(words)

        def asked_name(j: int, words: list[str] = words) -> bool:
            """words[j] is a name the question gives (a title like "PM" or "President" is not)."""
            if not 0 <= j < len(words):
                return False
            word = words[j]
            return word[:1].isupper() and not word.isupper() and word.lower() not in NOT_NAMES \
                and normalise(word) in asked_names

        # A clause's first word is a name only when it plainly is one: a known place (for
        # which/where questions) or the first of two capitalised words ("Darryl Oliveira will").
        first = words[0] if words else ""
        lead = 1
        if first[:1].isupper() and first.lower() not in NOT_NAMES and first.lower() not in QUESTION_WORDS \
                and first.lower() not in STOPWORDS and len(words) > 1 \
                and ((places_count and normalise(first) in place) or (words[1][:1].isupper() and len(first) > 2)
                     or (unknown_first and _no_word(first))
                     # "Ossa, a former minister under Omar Bongo, says ...": the apposition says it is a person.
                     or (_no_word(first) and _person_in_apposition(clause.lstrip()[len(first):]))):
            # "Ryanair has said its flights ..." for "Which airline ...?": a word the model's vocabulary does
            # not hold is a name wherever it stands. Only when a body or thing is asked for: the vocabulary
            # splits compounds too ("Wildfires"), which would name no one for "Who ...?".
            lead = 0
        elif first.isupper() and len(first) > 1 and first.isalpha() and first.lower() not in common_words():
            lead = 0  # an initialism is a name wherever it stands ("WMO boss says ...", "...: WMO")
        for i, word in enumerate(words[lead:], lead):
            term = normalise(word)
            lowered = word.lower()
            if not word[:1].isupper() or (title_case and not word.isupper()) or lowered in NOT_NAMES \
                    or lowered in ROLE_WORDS \
                    or lowered in MONTHS or lowered in WEEKDAYS \
                    or (not places_count and (lowered in demonyms or term in place or (lowered,) in regions)) \
                    or term in asked or (asked_name(i - 1) and normalise(words[i - 1]) not in place) \
                    or (asked_name(i + 1) and given_before.get(normalise(words[i + 1]), term) == term) \
                    or (places_count and _nationality(word) in asked_countries):
                continue
            out.append(word)
    return out
