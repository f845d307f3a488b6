"""Answers: extractive by default, with `[n]` citations verified against the sources.

The extractive answerer reads the sentences of the best retrieved documents, picks
the one or two that best cover the question (weighted by how rare each question term
is in the corpus, and by what kind of answer the question asks for), quotes them with
numbered citations, and checks every citation in code. When the evidence does not
mention what the question is about (a name, a number, a rare term), it abstains.

`Answerer` is the interface: an LLM synthesiser can implement it later and still go
through the same `verify` step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from .keyword import KeywordIndex
from .search import query_terms
from .textutil import (
    CAPITAL_OF,
    DEMONYMS,
    METONYMS,
    capitals,
    matched,
    normalise,
    one_line,
    raw_words,
    split_sentences,
    terms,
)
from .types import Answer, Citation, Hit

NOT_FOUND = "I couldn't find this in the documents."

# Capitalised words that are titles, directions or institutions rather than names:
# "President Bazoum", "West African", "the US Army" - a paraphrase may drop them.
NOT_NAMES = frozenset(
    """
president presidential general gen minister ministers prime chief leader leaders colonel commander army military
government foreign office secretary state states republic senator senate parliament national council court
north south east west northern southern eastern western central african africa region regional sahel
mr mrs ms dr king queen prince sir
""".split()
)

_FULL_MONTHS = "january february march april may june july august september october november december".split()
MONTH_NUMBER = {name: n for n, full in enumerate(_FULL_MONTHS, 1) for name in (full, full[:3])} | {"sept": 9}
MONTHS = frozenset(MONTH_NUMBER)
DATE_BONUS = 0.2  # score bonus for a report dated inside the month the question names
QUANTITIES = ("number", "percent", "age", "duration", "sentence")  # answers that must contain a quantity of their kind
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_DATE_WORDS = re.compile(
    r"\b(\d{1,2}(st|nd|rd|th)?\s+("
    + "|".join(sorted(MONTHS))
    + r")|("
    + "|".join(sorted(MONTHS))
    + r")\s+\d{1,2}|(19|20)\d\d|year'?s? end|end of the year|(mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|yesterday|today|tomorrow|last (week|month|year)|next (week|month|year))\b",
    re.I,
)


class Answerer(Protocol):
    """Turns a question and retrieved documents into an Answer (or an abstention)."""

    def answer(self, question: str, hits: list[Hit]) -> Answer: ...


@dataclass(frozen=True)
class _Candidate:
    hit_rank: int
    hit: Hit
    sentence: str
    coverage: float  # idf-weighted share of question terms in the sentence
    score: float
    is_title: bool = False


@dataclass(frozen=True)
class _QuestionProfile:
    terms: tuple[str, ...]
    weights: dict[str, float]
    key_terms: frozenset[str]  # names, numbers and rare terms the evidence must mention
    wants: str  # "number", "percent", "age", "duration", "sentence", "date", "name", "entity" or ""
    period: Period | None = None  # the days the question's time phrase points at


# What kind of answer a question wants, first match wins (a "how long" question is not a
# "how many" one; "what is the name of" is stricter than "who").
_ANSWER_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(pattern)) for kind, pattern in (
    ("age", r"\bhow old\b|\bwhat age\b"),
    ("percent", r"\b(what|which) (percentage|proportion|share)\b|\bwhat per ?cent\b"),
    ("sentence", r"\bwhat (prison |jail )?(sentence|term of imprisonment)\b|\bsentenced to what\b"),
    ("duration", r"\bhow long\b|\bfor how many (hours|days|weeks|months|years)\b"),
    ("number", r"\bhow (many|much)\b|\bnumber of\b|\bwhat (amount|sum|toll)\b"),
    ("date", r"\b(when|by when|what date|what day|until when)\b"),
    ("name", r"\bwhat (is|was|are|were) the names? of\b|\bwhat (is|was) (his|her|their|its) names?\b"),
    ("entity", r"\b(who|which|whom|whose|name)\b"),
))


def profile_question(question: str, index: KeywordIndex) -> _QuestionProfile:
    """What the question is about (weighted terms, the key ones) and what kind of answer it wants."""
    words = raw_words(question)
    temporal = _temporal_terms(words)
    # "in the first week of August 2023" says when, not what: the date window and recency
    # handle time, and a report need not repeat the question's time words to answer it.
    qterms = [t for t in query_terms(question) if t not in temporal]
    weights = {t: index.idf(t) for t in qterms}
    key: set[str] = set()
    for i, word in enumerate(words):
        lowered = word.lower()
        if lowered in MONTHS or (word.isdigit() and _is_date_number(words, i)):
            continue
        term = normalise(word)
        if term not in weights:
            continue
        # Names and numbers are what a question is about: evidence that never mentions
        # them cannot answer it. Rare common words only weigh more (a paraphrase may avoid them).
        is_name = word[:1].isupper() and i > 0 and lowered not in NOT_NAMES
        is_number = word[:1].isdigit()
        if is_number or is_name:
            key.add(term)
    lowered_q = question.lower()
    wants = next((kind for kind, pattern in _ANSWER_KINDS if pattern.search(lowered_q)), "")
    return _QuestionProfile(tuple(qterms), weights, frozenset(key), wants, question_period(question))


def coverage(profile: _QuestionProfile, present: set[str]) -> float:
    """Share of the question's (idf-weighted) terms found among `present` terms."""
    total = sum(profile.weights.values()) or 1.0
    return sum(w for t, w in profile.weights.items() if matched(t, present)) / total



_TIME_WORDS = frozenset(normalise(w) for w in """
first second third last final early late mid middle end beginning start week weeks month months day days half
""".split())


def _temporal_terms(words: list[str]) -> set[str]:
    """Terms of the question's time phrase: month names, years, and (when there is one) words like "first week"."""
    dated = [w for i, w in enumerate(words) if w.lower() in MONTHS or (w.isdigit() and _is_date_number(words, i))]
    if not dated:
        return set()
    return {normalise(w) for w in dated} | _TIME_WORDS


_PERIOD = re.compile(
    r"\b(?:(by|before|until|since|after|from)\s+(?:(?:early|mid|late|the end of|the start of)[\s-]+)?)?"
    r"(" + "|".join(sorted(MONTH_NUMBER, key=len, reverse=True)) + r")\b\.?"
    r"(?:\s+(?:of\s+)?((?:19|20)\d\d))?", re.I)


@dataclass(frozen=True)
class Period:
    """When a question is about: YYYY-MM-DD bounds ("" = open), or bare months ("in August": any year)."""

    first: str = ""
    last: str = ""
    months: frozenset[int] = frozenset()

    def contains(self, day: str) -> bool:
        if not day:
            return False
        if self.months:
            return int(day[5:7]) in self.months
        return (not self.first or day >= self.first) and (not self.last or day <= self.last)


def question_period(question: str) -> Period | None:
    """The days a question's month phrase points at: "in early August 2023" -> August 2023,
    "by October 2023" -> up to its end, "since September 2023" -> from its start, "in August"
    -> August of any year. Several phrases: the span covering them all."""
    import calendar

    firsts, lasts, months = [], [], set()
    for match in _PERIOD.finditer(question):
        word, name, year = (match.group(1) or "").lower(), match.group(2).lower(), match.group(3)
        if name == "may" and not (year or word):
            continue  # the verb, not the month
        month = MONTH_NUMBER[name]
        if not year:
            months.add(month)
            continue
        y = int(year)
        firsts.append("" if word in ("by", "before", "until") else f"{y:04d}-{month:02d}-01")
        lasts.append("" if word in ("since", "after", "from") else
                     f"{y:04d}-{month:02d}-{calendar.monthrange(y, month)[1]:02d}")
    if firsts:
        return Period("" if "" in firsts else min(firsts), "" if "" in lasts else max(lasts))
    return Period(months=frozenset(months)) if months else None


def _is_date_number(words: list[str], i: int) -> bool:
    """A bare number next to a month name ("7-8 September", "July 26", "2023") is a date, not a key term."""
    word = words[i]
    if len(word) == 4 and word.startswith(("19", "20")):
        return True
    near = [w.lower() for w in words[max(0, i - 2) : i + 3]]
    return any(w in MONTHS for w in near)


_NUMBER_WORDS = re.compile(
    r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|scores|hundreds?|thousands?"
    r"|millions?|billions?|half|quarter)\b", re.I)
_PERCENT = re.compile(
    r"(\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety|hundred))[\s-]?(%|percent\b|per cent\b)", re.I)
_DURATION = re.compile(
    r"\b(\d[\d,.]*|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|fifteen"
    r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)[\s-]+(hours?|days?|weeks?|months?|years?"
    r"|minutes?|decades?)\b", re.I)
_LIFE_OR_DEATH = re.compile(r"\blife (sentence|imprisonment|in prison)\b|\bto life\b|\bdeath (sentence|penalty)\b"
                            r"|\bsentenced to death\b", re.I)
_AGE = re.compile(r"\b\d{1,3}[- ]years?[- ]old\b|\baged? \d{1,3}\b|\bage of \d{1,3}\b", re.I)


def gives_quantity(sentence: str, wants: str, question: str) -> bool:
    """Whether a sentence can answer a how-many / what-percentage / how-old / how-long question at all."""
    if wants == "age":
        return bool(_AGE.search(sentence))
    if wants == "percent":
        return bool(_PERCENT.search(sentence))
    if wants == "duration":
        return bool(_DURATION.search(sentence))
    if wants == "sentence":  # a prison term, or life, or death
        return bool(_DURATION.search(sentence) or _LIFE_OR_DEATH.search(sentence))
    asked = {n.replace(",", "") for n in _NUMBER.findall(question)}
    numbers = {n.replace(",", "") for n in _NUMBER.findall(sentence)} - asked
    numbers = {n for n in numbers if not re.fullmatch(r"(19|20)\d\d", n)}  # a year is not a count
    return bool(numbers) or bool(_NUMBER_WORDS.search(sentence))


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Countries, capitals and metonyms we know, as terms: places, not the names a question asks for."""
    countries = set(DEMONYMS.values()) | set(METONYMS.values()) | set(CAPITAL_OF.values())
    return frozenset({normalise(c) for c in countries} | set(capitals()) | {normalise(m) for m in METONYMS})


def new_names(sentence: str, question: str) -> list[str]:
    """Capitalised words of a sentence that could be a person's or body's name the question lacks:
    not its first word, not a title or institution word, not a country, capital or demonym, and
    not part of a name the question gives ("Mohamed" of "Mohamed Bazoum" when it asks about Bazoum)."""
    asked = {normalise(w) for w in raw_words(question)}
    out = []
    places = _places()
    # Each clause's first word is capitalised anyway ("Soldiers hold president: Security sources").
    for clause in re.split(r"[:;]\s+|\s[—–-]\s", sentence):
        words = raw_words(clause)
        long_words = [w for w in words if len(w) > 3]
        # A headline in Title Case capitalises every word ("President Ousted in Coup, Remains
        # Imprisoned"): there only acronyms stand out; the report's body names names in sentence case.
        title_case = len(long_words) >= 3 and sum(w[:1].isupper() for w in long_words) > 0.6 * len(long_words)

        def asked_name(j: int, words: list[str] = words) -> bool:
            """words[j] is a name the question gives (a title like "PM" or "President" is not)."""
            if not 0 <= j < len(words):
                return False
            word = words[j]
            return word[:1].isupper() and not word.isupper() and word.lower() not in NOT_NAMES \
                and normalise(word) in asked

        for i, word in enumerate(words[1:], 1):
            term = normalise(word)
            lowered = word.lower()
            if not word[:1].isupper() or (title_case and not word.isupper()) or lowered in NOT_NAMES \
                    or lowered in MONTHS or lowered in DEMONYMS \
                    or term in asked or term in places or term == "usa" or asked_name(i - 1) or asked_name(i + 1):
                continue
            out.append(word)
    return out


def _answer_type_bonus(sentence: str, wants: str, question: str) -> float:
    if wants in QUANTITIES:
        return 0.25 if gives_quantity(sentence, wants, question) else -0.1
    if wants == "date":
        return 0.2 if _DATE_WORDS.search(sentence) else 0.0
    if wants == "name":
        return 0.15 if new_names(sentence, question) else -0.1
    if wants == "entity":
        q_words = {w.lower() for w in raw_words(question)}
        names = [w for w in raw_words(sentence)[1:] if w[:1].isupper() and w.lower() not in q_words]
        return 0.1 if names else 0.0
    return 0.0


class ExtractiveAnswerer:
    """Quotes the best sentences of the retrieved documents, or abstains.

    Args:
        index_provider: returns the current keyword index (for term rarity).
        read_docs: how many of the top documents to read sentences from.
        min_coverage: least idf-weighted share of question terms the evidence must contain.
        min_support: least coverage + cosine similarity for a document to be used.
    """

    def __init__(self, index_provider, read_docs: int = 6, min_coverage: float = 0.2,
                 min_support: float = 0.7) -> None:
        self.index_provider = index_provider
        self.read_docs = read_docs
        self.min_coverage = min_coverage
        self.min_support = min_support
        self.doc_weight = 0.9  # a sentence from a document that matches the whole question beats a lucky one
        self.lead_with_headline = True

    def answer(self, question: str, hits: list[Hit]) -> Answer:
        profile = profile_question(question, self.index_provider())
        candidates: list[_Candidate] = []
        for rank, hit in enumerate(hits[: self.read_docs]):
            doc_terms = set(terms(hit.title + "\n" + "\n".join(hit.passages)))
            # A document that misses a key term of the question cannot support the answer.
            if any(not (t in doc_terms or capitals().get(t) in doc_terms) for t in profile.key_terms):
                continue
            doc_cover = coverage(profile, doc_terms)
            # On topic: enough of the question's terms, or close in meaning (the embedding),
            # or both; either alone may fail on a paraphrase or on a common-word question.
            if doc_cover < self.min_coverage or doc_cover + hit.similarity < self.min_support:
                continue
            prior = 1.0 / (1 + 0.35 * rank)
            # A report from the time the question names is likelier to be about that moment.
            timely = DATE_BONUS if profile.period and profile.period.contains(hit.date) else 0.0
            for position, sentence in enumerate(_sentences(hit)):
                s_terms = set(terms(sentence))
                cover = coverage(profile, s_terms)
                if cover <= 0:
                    continue
                score = (
                    cover
                    + self.doc_weight * doc_cover
                    + 0.3 * prior
                    + timely
                    + _answer_type_bonus(sentence, profile.wants, question)
                    - 0.002 * max(0, len(sentence) - 300)
                )
                is_title = position == 0 and sentence == one_line(hit.title)
                candidates.append(_Candidate(rank, hit, sentence, cover, score, is_title))
        if profile.wants in QUANTITIES:
            # A count, share, age or duration is the answer: without one, the documents do not give it.
            candidates = [c for c in candidates if gives_quantity(c.sentence, profile.wants, question)]
        elif profile.wants == "name":
            # "What is the name of ...": a quote naming no one new does not answer it (a body
            # sentence is quoted after its headline, so the headline's names count for it).
            candidates = [c for c in candidates
                          if new_names(c.sentence, question) or new_names(one_line(c.hit.title), question)]
        if not candidates:
            return abstain(question, hits)
        candidates.sort(key=lambda c: -c.score)
        chosen = [candidates[0]]
        same_doc = [c for c in candidates[1:] if c.hit.doc_id == chosen[0].hit.doc_id]
        if chosen[0].is_title:
            # A headline is terse: follow it with the best sentence of the same report.
            body = [c for c in same_doc if not c.is_title]
            if body:
                chosen.append(body[0])
        elif self.lead_with_headline:
            # News writing puts the key fact in the headline: lead with it when it is on topic.
            title = [c for c in same_doc if c.is_title]
            if title:
                chosen.insert(0, title[0])
        for cand in candidates[1:]:
            if len(chosen) >= 2:
                break
            if cand.hit.doc_id == chosen[0].hit.doc_id and cand.sentence != chosen[0].sentence:
                # A second sentence of the same source is worth it only if it clearly adds.
                if cand.score >= 0.85 * chosen[0].score and _adds_terms(cand, chosen, profile):
                    chosen.append(cand)
            elif (
                cand.hit.doc_id != chosen[0].hit.doc_id
                and cand.score >= 0.9 * chosen[0].score
                and cand.coverage >= chosen[0].coverage
                and not _same_content(cand.sentence, chosen[0].sentence)
            ):
                # A second source only when it answers as fully: each citation must hold up alone.
                chosen.append(cand)
        return compose(question, chosen, hits, profile.wants)


def _adds_terms(cand: _Candidate, chosen: list[_Candidate], profile: _QuestionProfile) -> bool:
    have = set().union(*(set(terms(c.sentence)) for c in chosen))
    return bool((set(terms(cand.sentence)) - have) & set(profile.terms))


def _same_content(a: str, b: str) -> bool:
    ta, tb = set(terms(a)), set(terms(b))
    return len(ta & tb) >= 0.6 * max(1, min(len(ta), len(tb)))


def _sentences(hit: Hit) -> list[str]:
    out = [one_line(hit.title)] if hit.title and not hit.title.endswith("…") else []
    for passage in hit.passages:
        out.extend(one_line(s) for s in split_sentences(passage) if len(s) >= 20)
    seen: set[str] = set()
    return [s for s in out if not (s in seen or seen.add(s))]


def compose(question: str, chosen: list[_Candidate], hits: list[Hit], wants: str = "") -> Answer:
    """Write the chosen sentences as an answer with [n] markers, then verify it.

    A "when" question answered by sentences that carry no date gets the report's date,
    the best evidence of when it happened that the documents give.
    """
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    for cand in chosen:
        if cand.hit.doc_id not in numbers:
            numbers[cand.hit.doc_id] = len(numbers) + 1
            citations.append(
                Citation(
                    n=numbers[cand.hit.doc_id],
                    title=cand.hit.title,
                    url=cand.hit.url,
                    date=cand.hit.date,
                    source=cand.hit.source,
                    quote=cand.sentence,
                )
            )
        else:  # a second quote from the same source: keep both in the one citation
            n = numbers[cand.hit.doc_id]
            old = citations[n - 1]
            citations[n - 1] = Citation(n, old.title, old.url, old.date, old.source, f"{old.quote} … {cand.sentence}")
        parts.append(f"{_as_answer_sentence(cand.sentence)} [{numbers[cand.hit.doc_id]}]")
    if wants == "date" and chosen[0].hit.date and not any(_DATE_WORDS.search(c.sentence) for c in chosen):
        parts.insert(0, f"Reported on {_human_date(chosen[0].hit.date)}:")
    answer = Answer(
        question=question, answer=" ".join(parts), abstained=False, citations=tuple(citations), retrieved=tuple(hits)
    )
    problems = verify(answer, {h.doc_id: h for h in hits})
    return abstain(question, hits) if problems else answer


def _human_date(iso: str) -> str:
    """2023-10-11 -> 11 October 2023."""
    from datetime import date

    day = date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _as_answer_sentence(sentence: str) -> str:
    return sentence if sentence[-1:] in ".!?\"'”’…" else sentence + "."


def abstain(question: str, hits: list[Hit]) -> Answer:
    return Answer(question=question, answer=NOT_FOUND, abstained=True, citations=(), retrieved=tuple(hits))


_MARKER = re.compile(r"\[(\d+)\]")


def verify(answer: Answer, sources: dict[str, Hit]) -> list[str]:
    """Problems with an answer's citations (empty list = verified).

    Every `[n]` must resolve to a citation, every citation must be used, and every
    quote (each part, when joined with " … ") must occur verbatim, whitespace aside,
    in the title or text of the document it cites.
    """
    if answer.abstained:
        return []
    problems: list[str] = []
    numbers = {c.n for c in answer.citations}
    used = {int(n) for n in _MARKER.findall(answer.answer)}
    problems += [f"[{n}] has no citation" for n in sorted(used - numbers)]
    problems += [f"citation {n} is never used" for n in sorted(numbers - used)]
    by_url = {h.url: h for h in sources.values() if h.url}
    by_title = {h.title: h for h in sources.values()}
    for citation in answer.citations:
        source = by_url.get(citation.url) if citation.url else None
        source = source or by_title.get(citation.title)
        if source is None:
            problems.append(f"citation {citation.n} cites a document that was not retrieved")
            continue
        haystack = one_line(source.title + "\n" + "\n".join(source.passages))
        for part in citation.quote.split(" … "):
            if one_line(part) not in haystack:
                problems.append(f"citation {citation.n}: quote not found in its source")
    return problems
