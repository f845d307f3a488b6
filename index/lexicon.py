"""Every word table and text pattern the engine uses, as data, with one content hash.

Two kinds of knowledge live here:

- **Language**: stopwords, question words, titles that are not names, month and number
  words, abbreviations that do not end a sentence, the phrasing of answer kinds. Plain
  English, the same for every crisis.
- **The world**: countries, their other names, demonyms and capitals. These come from the
  maintained `countryinfo` package (ISO names, alternative spellings, demonyms, capitals
  of 250 countries), never from a hand list, so a desk following any crisis gets the same
  treatment.

`lexicon_hash()` digests all of it. The keyword index is built from tokens these tables
shape, so the hash is part of its cache key: changing any table rebuilds the index on next
use instead of leaving questions and stored tokens out of step.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# --- language ---------------------------------------------------------------------------------

STOPWORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having he
her here hers herself him himself his how i if in into is it its itself just let me more most my myself no nor
not now of off on once only or other our ours ourselves out over own same she should so some such than that
the their theirs them themselves then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours yourself yourselves s t don shall
may might must according say said says tell told given regarding within upon whose via per among amid
""".split())

# Question words that carry no topic: they say what kind of answer is wanted.
QUESTION_WORDS = frozenset("""
what which who whom whose when where why how many much did does do is are was were name named kind latest
recent recently newest new current currently now today update updates news happen happened happening
""".split())

# Capitalised words that are titles, directions or institutions rather than names:
# "President X", "West African", "the US Army" - a paraphrase may drop them.
NOT_NAMES = frozenset("""
president presidential general gen minister ministers prime chief leader leaders colonel commander army military
government foreign office secretary state states republic senator senate parliament national council court
north south east west northern southern eastern western central region regional
mr mrs ms dr king queen prince sir
tv ceo mp mps pm republican republicans democrat democrats
""".split())

# Multi-word names of bodies folded to one term before tokenising (question and evidence alike).
PHRASES: tuple[tuple[str, str], ...] = (
    ("european union", "eu"),
    ("united nations", "un"),
    ("prime minister", "pm"),
)

MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")
MONTH_NUMBER: dict[str, int] = (
    {name: n for n, full in enumerate(MONTH_NAMES, 1) for name in (full, full[:3])} | {"sept": 9}
)
MONTHS = frozenset(MONTH_NUMBER)
# Month names a document's printed date may use: English (as above) and French, accented or not,
# since desks hold French reports. Not part of `lexicon_hash`: these shape no search terms.
DOCUMENT_MONTH_NUMBER: dict[str, int] = MONTH_NUMBER | {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}
WEEKDAY_STEMS = ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")  # + "day"
WEEKDAYS = frozenset(f"{stem}day" for stem in WEEKDAY_STEMS)  # "Friday" says when, it names no one

# Words of a time phrase ("in the first week of August"): they say when, not what.
TIME_WORDS = frozenset("""
first second third last final early late mid middle end beginning start week weeks month months day days half
""".split())

# English verbs whose past tense does not end in -ed: where a which-phrase ends ("which country lost ...").
IRREGULAR_PAST = frozenset("""
became began bit blew broke brought built bought caught chose came cost cut dealt dug did drew drove ate fell fed
felt fought found fled flew forbade forgot froze got gave went grew hung had heard hid hit held hurt kept knew laid
led left lent let lay lit lost made meant met paid put quit read rode rang rose ran said saw sought sold sent set
shook shot shut sang sank sat slept slid spoke spent split spread sprang stood stole stuck struck swore swept swam
took taught tore told thought threw understood woke wore won withdrew wrote
""".split())

# Units a count may be asked in ("how many acres"): the quote must give the number in that unit.
MEASURE_UNITS = frozenset("""
acre acres hectare hectares tonne tonnes ton tons kilogram kilograms kilo kilos pound pounds kilometre kilometres
kilometer kilometers km mile miles metre metres meter meters feet foot inch inches barrel barrels gallon gallons
litre litres liter liters megawatt megawatts gigawatt gigawatts degree degrees mph
""".split())
# Verbs of paying: "how much did X pay / pledge / donate" asks for money, not any number.
MONEY_VERBS = frozenset("""
pay paid pays paying cost costs spend spent spends pledge pledged pledges donate donated donates raise raised
raises give gave gives lend lent loan loaned owe owed owes settle settled fine fined award awarded allocate
allocated budget budgeted invest invested
""".split())
# Nouns that are amounts of money: "how large a ransom", "how much bail" ask for money, not any number.
MONEY_NOUNS = frozenset("""
ransom ransoms bail fine fines loan loans payment payments salary salaries budget budgets bond bonds compensation
settlement settlements payout payouts bribe bribes bounty reward rewards cash money funds funding grant grants
donation donations financing
""".split())
# What a casualty count counts. A how-many question about one kind ("injured") is not answered
# by a count of another ("killed"): the quote must name the kind asked.
TOLL_KINDS: dict[str, frozenset[str]] = {kind: frozenset(words.split()) for kind, words in (
    ("dead", "killed kill kills killing dead died die dies dying death deaths fatalities fatality perished lives "
             "bodies"),
    ("injured", "injured injuring injure injures wounded wounding injuries injury hurt"),
    ("missing", "missing unaccounted disappeared"),
    ("displaced", "displaced homeless evacuated evacuees fled fleeing refugees uprooted"),
    ("arrested", "arrested arrest arrests detained detention detaining jailed imprisoned"),
)}
# How a quote writes an amount of money.
MONEY_PATTERN = (r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:m|bn|k|(?:thousand|million|billion|trillion)\s)?\s*"
                 r"(?:[\w.]{2,10}\s)?(?:dollars?|euros?|pounds sterling|pounds|yen|yuan|dinars?"
                 r"|dirhams?|francs?|rupees?|usd|eur|gbp)\b|\b(?:usd|eur|gbp|cfa)\s?\d")

# Number words, one spelling for every rule that reads quantities.
NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000, "million": 10**6,
    "billion": 10**9,
}
# Words that stand for an amount without being a number ("dozens of", "several days").
AMOUNT_WORDS = ("dozen", "dozens", "scores", "hundreds", "thousands", "millions", "billions", "half", "quarter",
                "several", "few", "a", "an")
DURATION_UNITS = ("minute", "hour", "day", "week", "month", "year", "decade")

# Abbreviations whose dot does not end a sentence.
ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Col", "Lt", "Sgt", "Capt", "Maj", "Sen", "Rep", "Gov",
                 "St", "Jr", "Sr", "No", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
                 "Nov", "Dec", "vs", "etc", "Inc", "Ltd", "Co", "Corp", "approx", "est", "Fig")

# Sentences no digest summary quotes: sign-up prompts, photo credits, syndication footers.
BOILERPLATE_PATTERN = (r"sign up|newsletter|click here|subscribe|read more|continue reading|©|getty images"
                       r"|photograph:|in today's|the post .{0,300} appeared first")

# Feed boilerplate at the end of a description.
READ_MORE = ("Continue reading", "Read more", "Read full article")

# Conversations: pronouns a follow-up points back with, the words of a question that says
# nothing by itself ("why did that happen?"), and words that make a name an institution.
# Words that make a capitalised name an event, never a person: "Storm Daniel", "Hurricane Dora".
NAMED_EVENT_WORDS = frozenset("storm hurricane typhoon cyclone tropical medicane operation".split())
PERSON_PRONOUNS = ("he", "she", "him", "her", "his", "hers", "himself", "herself")
GROUP_PRONOUNS = ("they", "them", "their", "theirs", "themselves")
THING_PRONOUNS = ("it", "its", "itself")
PLACE_PRONOUNS = ("there",)
# Words that name a person by role ("the mayor", "the governor"): "he" may point back at them.
ROLE_WORDS = ("attorney general", "mayor", "governor", "president", "prime minister", "minister", "chief", "leader",
              "general",
              "spokesman", "spokeswoman", "spokesperson", "ambassador", "envoy", "official", "commander", "ceo",
              "chief executive", "director", "administrator", "secretary", "senator", "lawmaker", "judge",
              "king", "queen", "pope", "emir", "colonel", "head", "congresswoman", "congressman",
              "representative", "diplomat", "activist", "journalist", "reporter", "actor", "actress", "singer",
              "businessman", "businesswoman", "billionaire", "founder", "chairman", "chairwoman", "commissioner",
              "officer")
# Nouns only a person can be, beyond the role words: "which of Bazoum's daughters", "which analyst",
# "which reality TV star". Singular; a plural is read by its -s.
PERSON_NOUNS = tuple("""
person man men woman women child children son daughter wife wives husband brother sister widow father mother
ally aide adviser advisor supporter opponent critic rival correspondent photographer economist analyst expert
scientist researcher professor student lawyer politician candidate soldier player athlete coach doctor victim
survivor witness pilot priest imam cleric rapper writer author novelist star celebrity
""".split())
# Words of a question that carry no subject of their own.
VAGUE_FILLER = frozenset("""
that this those these happen happened happening do does did say said tell about and so but then the a an to of
for on in at by with why exactly mean again more it its is be been become became
start started begin began end ended still going go goes continue continues over now
""".split())
# A name with one of these is a body, not a person ("State Department", "Hawaiian Electric").
INSTITUTION_WORDS = frozenset("""
department agency ministry office company corporation bank group union council commission committee court
party front movement alliance bloc force forces guard army navy police service services fund foundation
university institute association organisation organization electric airlines news times post
press agence media network television radio broadcasting tribune herald journal telegraph
county city state province district island islands region town village
""".split())
# A name ending in one of these is a place on the map, not a person ("Haig Lake", "Donnie Creek").
PLACE_FEATURE_WORDS = frozenset("""
lake lakes river creek mount mountain mountains hill hills bay gulf sea ocean valley canyon desert forest park
beach coast peninsula street road avenue boulevard highway bridge dam airport harbour harbor falls springs
fort port st saint
""".split())

# What a which-question asks for when it is a body or a made thing, never a place: "Which insurer ...?",
# "Which European airlines ...?", "Which Russian landing ship ...?". A town or a country the quote
# names does not answer them. With INSTITUTION_WORDS, minus its map words (city, state, region ...).
THING_KINDS = frozenset("""
airline carrier insurer broker firm business manufacturer maker contractor operator brand newspaper paper magazine
outlet broadcaster channel website charity ngo gang militia cartel faction organisation organization
ship vessel tanker freighter boat helicopter aircraft plane jet drone missile rocket weapon model
""".split()) | (INSTITUTION_WORDS - frozenset("county city state province district island islands region town village"
                                              .split()))

# Nouns that are numbers ("What was the voter turnout?"), and those asked for with "at what" ("At what
# altitude ...?"). MEASURE_ASKED's groups: the word before the noun ("inflation" of "inflation rate"), the noun.
MEASURE_NOUNS = ("turnout", "population", "tally", "margin", "price", "toll", "rate", "pressure", "concentration",
                 "altitude", "magnitude", "budget", "losses", "loss", "temperature", "speed", "height", "depth")
MEASURES_AT = "altitude|speed|height|depth|temperature|rate"
MEASURE_ASKED = (r"\bwhat (?:is|was|are|were) (?:(?:the|[\w-]+['’]s)\s+)?"
                 r"(?:(?!(?:of|in|for|at|on|by|to)\s)[\w'’-]+\s+){0,3}?([\w-]+\s+)?"
                 r"(" + "|".join(MEASURE_NOUNS) + r")\b")

# What kind of answer a question wants, first match wins (a "how long" question is not a
# "how many" one; "what is the name of" is stricter than "who").
ANSWER_KINDS: tuple[tuple[str, str], ...] = (
    ("age", r"\bhow old\b|\bwhat age\b"),
    ("percent", r"\b(what|which) (percentage|proportion|share)\b|\bwhat per ?cent\b"),
    ("sentence", r"\bwhat (prison |jail )?(sentences?|terms? of imprisonment)\b|\bsentenced to what\b"),
    # "How much time did Moscow give the UN?" asks for a span as "how long" does.
    ("duration", r"\bhow long\b|\bfor how many (hours|days|weeks|months|years)\b|\bhow much (?:more\s+)?time\b"),
    # "What did FEMA estimate it would cost?" asks for an amount as "how much" does.
    # "How large was the blaze?", "how far from the city?": a size or a distance is a number too.
    ("number", r"\bhow (many|much)\b|\bhow (large|big|far|high|deep|wide|tall|strong|powerful)\b"
               r"|\bnumber of\b|\bwhat (amount|sum|toll)\b"
               r"|\bwhat (?:[\w'’-]+\s+){0,6}?(?:would|will|could|to|it|they|did|does)\s+cost\b"
               r"|\bwhat\b[^?]*\bcost\s*\?*\s*$"
               # "What was the voter turnout?", "What was Stepanakert's population?", "What was the death
               # toll?": nouns that are numbers. Not "the name of the price index": no "of" on the way.
               rf"|{MEASURE_ASKED}|\b(?:at|to|by) what (?:[\w-]+\s+)?(?:{MEASURES_AT}|level|price)\b"
               # "What tritium concentration ...?": a measure is asked for.
               r"|\bwhat (?:[\w-]+\s+)?(?:concentration|magnitude|altitude|temperature)\b"),
    # "On which two days of the week ...?" asks for weekdays too.
    ("weekday", r"\b(what|which) (?:[\w-]+\s+)?days? of the week\b|\b(what|which) weekdays?\b"),
    # "In what year ...?" wants a year, "at what time ...?" a time of day: a date alone gives neither.
    ("year", r"\b(what|which) year\b"),
    # "In which month ...?" wants a month, "in which direction ...?" a point of the compass.
    ("month", r"\b(what|which) month\b"),
    ("direction", r"\b(what|which) direction\b"),
    ("time", r"\b(what|which) time\b|\bwhat hour\b"),
    # "On which night ...?", "by what deadline ...?": a day is asked for.
    ("date", r"\b(when|by when|what date|what day|which day|until when)\b|\b(what|which) (?:two\s+)?(?:dates|days)\b"
             r"|\bwhat (is|was) the (date|day) (of|on)\b"
             r"|\b(what|which) (night|morning|evening|afternoon|deadline)\b"),
    # "What's France's ambassador's name?" asks for a name as "the name of France's ambassador" does.
    ("name", r"\bwhat (is|was|are|were) the names? of\b|\bwhat (is|was) (his|her|their|its) names?\b"
             r"|\bwhat(?:'s|’s| is| was) (?:[\w'’-]+\s+){0,3}?[\w-]+['’]s names?\s*\?"
             r"|\bwhat (is|was|are|were) (?:[\w'’-]+\s+){1,5}?(called|named|known as)\s*\?"),
    ("who", r"\b(who|whom|whose)\b"),
    ("which", r"\b(which|name)\b"),
    ("where", r"\bwhere\b"),
    # "For what reasons ...?", "What reason did the junta give ...?" ask why.
    ("reason", r"\bwhy\b|\bfor what reasons?\b|\bwhat (?:was|is|were|are) the (?:main\s+)?reasons?\b"
               r"|\bwhat reasons? (?:did|does|do|has|have|had|was|were|is|are)\b"),
)
# Words English uses to give a reason or a cause: a why-answer's sentence carries one.
CAUSE_WORDS = ("because", "because of", "due to", "owing to", "citing", "cited", "reason", "reasons", "as a result",
               "in response to", "in protest", "to protest", "to prevent", "to avoid", "to stop", "in order to",
               "so that", "for fear", "fearing", "blamed", "over fears", "amid", "prompted", "led to", "caused",
               "accused", "justified", "justify", "why")
# Answer kinds whose quote must name something the question does not: a person or body
# (who), or any name, places included (which, where).
NAMING_KINDS = ("who", "which", "where")
# Answer kinds whose quote must contain a quantity of their kind.
QUANTITY_KINDS = ("number", "percent", "age", "duration", "sentence")

# Relative day words a "when" answer may give instead of a date.
RELATIVE_DAYS = ("yesterday", "today", "tomorrow", "year's end", "years end", "year end", "end of the year",
                 "last week", "last month", "last year", "next week", "next month", "next year")
LIFE_OR_DEATH = ("life sentence", "life imprisonment", "life in prison", "to life", "death sentence",
                 "death penalty", "sentenced to death")

# A word of text (letters first, apostrophes inside) or a number; initialisms written with dots.
WORD_PATTERN = r"[A-Za-zÀ-ÖØ-öø-ÿ][\w'’]*|\d[\d,.]*\d|\d"
INITIALISM_PATTERN = r"\b(?:[A-Z]\.){2,}"

# Seats of government that news writing names instead of the government ("the Kremlin said").
# No maintained package lists these; they are world-wide, keyed by the country names the
# package gives, and resolve to the same term as the country.
GOVERNMENT_SEATS = (
    ("Kremlin", "Russia"), ("White House", "United States"), ("Pentagon", "United States"),
    ("State Department", "United States"), ("Elysee", "France"), ("Élysée", "France"), ("Quai d'Orsay", "France"),
    ("Downing Street", "United Kingdom"), ("Whitehall", "United Kingdom"), ("Foreign Office", "United Kingdom"),
    ("Zhongnanhai", "China"),
)

# English short forms of a country's initialism (the package lists "US" only as an ISO code).
SHORT_FORMS = (("US", "USA"),)

# Words that make a multi-word country name generic ("Republic of", "United"): not an alias alone.
_GENERIC_NAME_WORDS = frozenset("""
republic democratic federal federated islamic people's peoples kingdom state states united union of the and
north south east west central new saint st great islands island equatorial special administrative region
northern southern eastern western sub latin
""".split())


# --- the world, from countryinfo --------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    """Countries as one term each, with their other names, demonyms, initialisms and capitals.

    A country's term is its one-word name ("niger"), its initialism when news writes it so
    ("usa", "uk", "uae"), or else the first distinctive word of its name ("burkina" for
    Burkina Faso, "saudi" for Saudi Arabia), which is also how reports shorten it.

    Attributes:
        words: one lower-case word (an alternative name, a demonym, a plural demonym) -> country term.
        phrases: lower-case words of a multi-word name that has an initialism ("united states") -> its term.
        acronyms: an initialism as written ("US", "UK", "UAE") -> country term.
        capitals: a capital's lower-case one-word name -> country term.
        regions: continents and world regions and their adjectives ("africa", "african", "european").
        demonyms: the people's and regions' adjectives ("french", "nigeriens", "african"): about a place, not one.
    """

    words: dict[str, str]
    phrases: dict[tuple[str, ...], str]
    acronyms: dict[str, str]
    capitals: dict[str, str]
    regions: frozenset[str]
    demonyms: frozenset[str] = frozenset()

    @property
    def terms(self) -> frozenset[str]:
        """Every country term."""
        return frozenset(self.words.values()) | frozenset(self.acronyms.values())


def ascii_fold(text: str) -> str:
    """Text without accents: 'Côte d'Ivoire' -> "Cote d'Ivoire": news in English often drops the accents."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _name_words(name: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z][a-z']*", ascii_fold(name).lower().replace("’", "'")))


def _initials(name: str) -> str:
    return "".join(w[0] for w in _name_words(name) if w not in ("of", "the", "and")).upper()


def _is_latin(text: str) -> bool:
    return bool(text) and all(ord(ch) < 0x250 or unicodedata.combining(ch) for ch in text)


@lru_cache(maxsize=1)
def provinces() -> frozenset[tuple[str, ...]]:
    """The lower-case words of every country's states, provinces and regions ("hawaii", ("tillaberi",)).

    From `countryinfo` too. Follow-ups use them (a name ending in "Hawaii" is no person), and so does
    the check that an answer names a person or body; the keyword index does not, so they are not part
    of `lexicon_hash`.
    """
    from countryinfo import all_countries

    out: set[tuple[str, ...]] = set()
    for country in all_countries():
        try:
            names = country.provinces() or []
        except Exception:  # a record without provinces
            continue
        out.update(tuple(_name_words(name)) for name in names if isinstance(name, str) and _name_words(name))
    return frozenset(out)


@lru_cache(maxsize=1)
def country_regions() -> dict[str, frozenset[str]]:
    """{country term: the words of its world region and subregion} ("ghana" -> {"africa", "western", ...}).

    From `countryinfo`, so "Which six African countries ...?" is not answered by a quote naming only
    Ukraine. Only answers use it; the keyword index does not, so it is not part of `lexicon_hash`.
    """
    from countryinfo import all_countries

    world = places()
    out: dict[str, set[str]] = {}
    for country in all_countries():
        try:
            name, region, subregion = country.name() or "", country.region() or "", country.subregion() or ""
        except Exception:  # a record with missing fields: skip it, the rest stand
            continue
        term = _country_term(_name_words(name), world)
        if term:
            out.setdefault(term, set()).update(_name_words(f"{region} {subregion}"))
    return {term: frozenset(words) for term, words in out.items()}


@lru_cache(maxsize=1)
def country_borders() -> dict[str, frozenset[str]]:
    """{country term: the terms of the countries it borders} ("niger" -> {"nigeria", "chad", ...}), from
    `countryinfo`, so "Which neighbouring country ...?" is answered by a neighbour. Not in `lexicon_hash`."""
    from countryinfo import all_countries

    world = places()
    by_code: dict[str, str] = {}
    codes: dict[str, list[str]] = {}
    for country in all_countries():
        try:
            name, code, borders = country.name() or "", (country.iso() or {}).get("alpha3", ""), country.borders()
        except Exception:  # a record with missing fields: skip it, the rest stand
            continue
        term = _country_term(_name_words(name), world)
        if term and code:
            by_code[code] = term
            codes[term] = [b for b in borders or [] if isinstance(b, str)]
    return {term: frozenset(by_code[c] for c in near if c in by_code) for term, near in codes.items()}


def _country_term(parts: tuple[str, ...], world: Places) -> str | None:
    """A country's term from the words of its name ("burkina faso" -> "burkina")."""
    term = world.words.get(parts[0]) if len(parts) == 1 else world.phrases.get(parts)
    # "Burkina Faso" by its term "burkina"; not "American Samoa" by "american", the USA's adjective.
    return term or next((w for w in parts if world.words.get(w) == w), None)


@lru_cache(maxsize=1)
def places_led_by_demonym() -> frozenset[tuple[str, ...]]:
    """Provinces whose name opens with a people's adjective: ("british", "columbia"), ("thai", "binh").

    "British Columbia" is a Canadian province, not Britain: its first word must not fold into
    the country's term. Part of `lexicon_hash`, since the keyword index's terms depend on it.
    """
    demonyms = places().demonyms
    return frozenset(p for p in provinces() if len(p) > 1 and p[0] in demonyms)


def _regular_demonym(name: str) -> str:
    """The regular English adjective of a one-word country name: "armenia" -> "armenian", "chile" ->
    "chilean", "ecuador" -> "ecuadorian"."""
    return name + ("n" if name.endswith("a") else "an" if name.endswith("e") else "ian")


@lru_cache(maxsize=1)
def places() -> Places:
    """The world's countries as `Places`, read once from the `countryinfo` package."""
    from countryinfo import all_countries

    rows = []
    regions: set[str] = set()
    for country in all_countries():
        try:
            rows.append((-int(country.population() or 0), country.name() or "",
                         [a for a in country.alt_spellings() or [] if isinstance(a, str)],
                         country.demonym() or "", country.capital() or "", (country.iso() or {}).get("alpha2", "")))
            regions.update(filter(None, (country.region(), country.subregion())))
        except Exception:  # a record with missing fields: skip it, the rest stand
            continue
    words: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    acronyms: dict[str, str] = {}
    capitals: dict[str, str] = {}
    # World regions and their adjectives: "African" is about Africa, as "Nigerien" is about Niger.
    region_words: set[str] = set()
    region_of: dict[str, str] = {}
    demonyms: set[str] = set()
    for region in regions:
        for word in _name_words(region):
            if word not in _GENERIC_NAME_WORDS:
                stem = word.removesuffix("s")
                adjective = stem + ("n" if stem.endswith("a") else "an" if stem.endswith("e") else "")
                region_words |= {word, adjective}
                if adjective != word:
                    region_of[adjective] = word
    # The most populous country claims a shared word first ("American": the USA, not its territories).
    for _, name, alt, demonym, capital, alpha2 in sorted(rows):
        names = [name] + [a for a in alt if _is_latin(a) and not a.isupper()]
        # An initialism of one of its names ("USA", "UK", "UAE", "DRC") is how news writes it; a
        # two-letter ISO code ("BF", "FR") is not, unless English shortens the name so (SHORT_FORMS).
        found = {a for a in alt if a.isupper() and a.isalpha() and len(a) >= 2 and a != alpha2
                 and any(len(_name_words(n)) > 1 and _initials(n) == a for n in names)}
        found |= {short for short, full in SHORT_FORMS if full in found}
        inits = sorted(found, key=lambda a: (len(a), a))
        parts = _name_words(name)
        distinctive = [w for w in parts if w not in _GENERIC_NAME_WORDS and w not in region_words and len(w) > 2]
        if inits:
            term = inits[-1].lower()
        elif distinctive:
            term = distinctive[0]
        else:
            continue
        words.setdefault(term, term)
        for acronym in inits:
            acronyms.setdefault(acronym, term)
        for variant in {*names, *(ascii_fold(n) for n in names)}:
            vparts = _name_words(variant)
            if len(vparts) == 1:
                if vparts[0] not in _GENERIC_NAME_WORDS:  # Iceland's "Island" would make every island Iceland
                    words.setdefault(vparts[0], term)
            elif inits and 1 < len(vparts) <= 6:
                phrases.setdefault(vparts, term)  # "United States" -> usa, like "US"
                rest = [w for w in vparts if w not in _GENERIC_NAME_WORDS]
                if len(rest) == 1 and rest[0] not in region_words:
                    words.setdefault(rest[0], term)  # "Great Britain" -> Britain, "... of America" -> America
        dparts = _name_words(demonym)
        # The records give one spelling ("Ecuadorean"); English also writes the regular one ("Ecuadorian").
        regular = [_regular_demonym(parts[0])] if len(parts) == 1 else []
        for adjective in [dparts[0], *regular] if len(dparts) == 1 else []:
            if adjective in words and words[adjective] != term:
                continue  # a larger country's people already ("Nigerian" is Nigeria's, not Niger's)
            words.setdefault(adjective, term)
            words.setdefault(adjective + "s", term)  # "Nigeriens", "Russians"
            if adjective not in _name_words(name):  # a place named as its people's adjective is still a place
                demonyms |= {adjective, adjective + "s"}
        for city in capital if isinstance(capital, list) else [capital]:  # some countries have several
            cap = _name_words(re.sub(r"(\s+[A-Z.]+)+$", "", str(city)))  # "Washington D.C." -> washington
            if len(cap) == 1:
                capitals.setdefault(cap[0], term)
    for adjective, region in sorted(region_of.items()):
        words.setdefault(adjective, region)  # after the countries: "American" is the USA's first
    for seat, seat_country in GOVERNMENT_SEATS:
        cparts = _name_words(seat_country)
        seat_term = words.get(cparts[0]) if len(cparts) == 1 else phrases.get(cparts)
        sparts = _name_words(seat)
        if seat_term and len(sparts) == 1:
            words.setdefault(sparts[0], seat_term)
        elif seat_term:
            phrases.setdefault(sparts, seat_term)
    demonyms |= set(region_of) | {a + "s" for a in region_of}  # "Africans"
    return Places(words, phrases, acronyms, capitals, frozenset(region_words), frozenset(demonyms))


# --- the hash ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def lexicon_hash() -> str:
    """A short digest of every table above (the world tables as the package gave them)."""
    world = places()
    language = [STOPWORDS, QUESTION_WORDS, NOT_NAMES, PHRASES, MONTH_NUMBER, WEEKDAY_STEMS, TIME_WORDS,
                NUMBER_WORDS, AMOUNT_WORDS, DURATION_UNITS, ABBREVIATIONS, READ_MORE, BOILERPLATE_PATTERN, ANSWER_KINDS,
                QUANTITY_KINDS, NAMING_KINDS, RELATIVE_DAYS, CAUSE_WORDS, PERSON_NOUNS, PERSON_PRONOUNS, GROUP_PRONOUNS,
                THING_PRONOUNS, PLACE_PRONOUNS, VAGUE_FILLER, INSTITUTION_WORDS, PLACE_FEATURE_WORDS, ROLE_WORDS,
                LIFE_OR_DEATH, _GENERIC_NAME_WORDS]
    payload = json.dumps([_plain(t) for t in language] + [
        _plain(world.words), _plain({" ".join(k): v for k, v in world.phrases.items()}), _plain(world.acronyms),
        _plain(world.capitals), _plain(world.regions), _plain(places_led_by_demonym())],
        sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _plain(table: object) -> object:
    """A table as JSON-able data with a stable order."""
    if isinstance(table, dict):
        return sorted((str(k), _plain(v)) for k, v in table.items())
    if isinstance(table, frozenset | set):
        return sorted(str(x) for x in table)
    if isinstance(table, tuple | list):
        return [_plain(x) for x in table]
    return table


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Whole words of the bundled model's (uncased English) vocabulary: "following", "yes", "even".

    A word that begins a sentence is capitalised whatever it is; one of these is no name by
    itself. Names are in the vocabulary too ("chad", "richard"), which is why places and recorded
    first names are asked first: it decides only for a first word standing alone, or for a pair
    of capitalised words without a first name ("First Thing"). Empty when the package is missing.
    """
    from .embedder import bundled_model_path
    from .errors import BriefbotError

    try:
        path = bundled_model_path() / "tokenizer.json"
    except BriefbotError:
        return frozenset()
    if not path.is_file():
        return frozenset()
    vocab = json.loads(path.read_text(encoding="utf-8")).get("model", {}).get("vocab", {})
    return frozenset(w for w in vocab if w.isalpha() and w.islower() and len(w) > 1)
