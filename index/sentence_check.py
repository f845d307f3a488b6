"""Verification of a model's answer, sentence by sentence, against the passages it was shown.

A sentence reaches the reader only if all of these hold:

- it is a statement (not a question, not addressed to the reader, no first-person assistant talk);
- it carries no URL, e-mail address, link, HTML or instruction to the reader (those may
  appear only inside a citation's verbatim quote);
- it ends in at least one `[n]` of a passage that was shown;
- every name, number, month and weekday in it appears in the passages it cites (country
  names and demonyms fold together: "French" is about France), and every quotation in it
  occurs verbatim there;
- it says something the question does not already say;
- it is close in meaning to one sentence of a cited passage (MiniLM cosine, `MIN_SIMILARITY`),
  most of its content words are in that passage (`MIN_TERM_SUPPORT`), and it does not negate
  what that sentence says (or affirm what it negates).

The sentence of the source it is closest to becomes the citation's quote, verbatim.
Thresholds were measured on good and bad sentences written from the test corpus
(`bench/llm_threshold.py`; the README gives the distributions).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .lexicon import MONTH_NAMES, MONTH_NUMBER, MONTHS, NOT_NAMES, NUMBER_WORDS, STOPWORDS, WEEKDAY_STEMS
from .terms import capital_country, normalise, place_terms, raw_words, terms
from .text import CITATION_MARKER, one_line, split_sentences
from .types import Hit

# Measured on bench/llm_threshold.py's labelled sentences (README, "Model answers").
MIN_SIMILARITY = 0.6  # cosine of the sentence and its closest source sentence
MIN_TERM_SUPPORT = 0.6  # share of the sentence's content terms found in the cited passages
MAX_SENTENCES_READ = 12  # a reply is read this far; a model asked for five short sentences is done by then
MIN_SENTENCE_CHARS = 12

_MARKERS = re.compile(r"(?:\s*\[\d+\])+")
_LEADING_MARKERS = re.compile(r"^((?:\[\d+\]\s*)+)[.!]?\s*")
_URL = re.compile(r"(?:https?://|ftp://|www\.)\S+|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/\S*)?\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|\[[^\]]*\]\([^)]*\)|```|^\s*#{1,6}\s")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)\*(?=\w)|(?<=\w)\*(?!\w)")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
# Instructions to the reader, and the assistant talking about itself or the task.
_IMPERATIVE = re.compile(
    r"^(?:please\s+)?(?:click|visit|go|follow|contact|call|e-?mail|write|send|reply|respond|subscribe|download|"
    r"ignore|disregard|forget|share|sign|log|register|read|see|check|open|donate|buy|install|tap|note|remember|"
    r"be sure|make sure|do not|don't|never)\b", re.I)
_TO_READER = re.compile(r"\b(?:you|your|yours|yourself|please|click here|tap here|link below|for more information)\b",
                        re.I)
_ASSISTANT = re.compile(r"\b(?:I|I'm|I've|I'd|me|my|[Aa]s an AI|language model|[Tt]he passages?|"
                        r"(?:provided|given|supplied|these|above) (?:passages?|documents?|texts?|context|sources)|"
                        r"[Ss]ystem (?:note|prompt|message)|previous instructions)\b")
_NEGATION = re.compile(r"\b(?:not|no|never|none|nothing|neither|nor|cannot|without|n't)\b|n't\b", re.I)
_NEGATIVE_VERBS = re.compile(r"\b(?:ruled? out|refus\w*|den(?:y|ies|ied)|reject\w*|declin\w*|fail\w*)\b", re.I)
_QUOTED = re.compile(r"[“\"]([^”\"]{2,})[”\"]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WEEKDAYS = frozenset(f"{stem}day" for stem in WEEKDAY_STEMS)


@dataclass(frozen=True)
class Passage:
    """A document as the model was shown it: its number, the hit, and the text shown."""

    n: int
    hit: Hit
    text: str  # the shown text (title not included)

    @property
    def sentences(self) -> list[str]:
        """The title and the shown text's sentences, verbatim (whitespace aside), first occurrence of each."""
        out = [one_line(self.hit.title)] if self.hit.title else []
        out += [one_line(s) for s in split_sentences(self.text)]
        return list(dict.fromkeys(s for s in out if s))

    @property
    def everything(self) -> str:
        """Title, date and text, for names and numbers."""
        return f"{self.hit.title}\n{self.hit.date}\n{self.text}"


@dataclass
class Verdict:
    """What the check found for one sentence of the reply.

    Attributes:
        sentence: the sentence as the model wrote it (markers included).
        claim: the sentence without its markers: what the reader would read.
        cited: passage numbers the sentence cites that were shown.
        supports: passage number -> the verbatim source sentence that supports the claim.
        similarity: cosine with the closest sentence of a cited passage.
        term_support: share of the claim's content terms in the cited passages.
        problem: why it was dropped ("" = kept).
    """

    sentence: str
    claim: str = ""
    cited: tuple[int, ...] = ()
    supports: dict[int, str] = field(default_factory=dict)
    similarity: float = 0.0
    term_support: float = 0.0
    problem: str = ""

    @property
    def kept(self) -> bool:
        """Whether the sentence may reach the reader."""
        return not self.problem


def split_reply(reply: str) -> list[str]:
    """A reply's sentences, each with its `[n]` markers (a marker after the full stop rejoins its sentence)."""
    lines = [_BULLET.sub("", _EMPHASIS.sub("", line)) for line in reply.replace("\r", "").split("\n")]
    out: list[str] = []
    for sentence in split_sentences("\n".join(lines)):
        lead = _LEADING_MARKERS.match(sentence)
        if lead and out and not CITATION_MARKER.search(out[-1]):
            out[-1] = f"{out[-1]} {lead.group(1).strip()}"
            sentence = sentence[lead.end():]
        elif lead and out and not sentence[lead.end():].strip():
            out[-1] = f"{out[-1]} {lead.group(1).strip()}"
            continue
        if sentence.strip():
            out.append(sentence.strip())
    return out


def strip_markers(sentence: str) -> str:
    """The sentence without `[n]` markers, with its end punctuation where the markers were."""
    text = _MARKERS.sub("", sentence).strip()
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    return text if text[-1:] in ".!?\"'”’…" else text + "."


def numbers_in(text: str) -> set[str]:
    """Numbers of a text as digits ("1,500" and "1500" alike; number words as their value)."""
    found = {m.group(0).replace(",", "").rstrip(".") for m in _NUMBER.finditer(text)}
    found |= {str(NUMBER_WORDS[w]) for w in re.findall(r"[a-z]+", text.lower()) if w in NUMBER_WORDS}
    # "08" of a date is 8: compare numbers as numbers where they are whole.
    return {n.lstrip("0") or "0" if n.isdigit() else n for n in found}


def _date_words(day: str) -> tuple[set[str], set[str]]:
    """Numbers and month words a report's date (YYYY-MM-DD) gives."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day or ""):
        return set(), set()
    year, month, dom = day.split("-")
    name = MONTH_NAMES[int(month) - 1]
    return {year, str(int(month)), str(int(dom))}, {m for m, n in MONTH_NUMBER.items() if n == int(month)} | {name}


def _outside_quotes(text: str) -> str:
    return _QUOTED.sub(" ", text)


def names_of(claim: str) -> list[str]:
    """Words of a claim that name someone or something: capitalised words and places, not stopwords or titles."""
    places = place_terms()
    out = []
    for word in raw_words(claim):
        lowered = word.lower()
        if lowered in STOPWORDS or lowered in NOT_NAMES or lowered.isdigit():
            continue
        if word[:1].isupper() or normalise(word) in places:
            out.append(word)
    return out


def _passage_terms(passages: Sequence[Passage]) -> set[str]:
    found: set[str] = set()
    for p in passages:
        found |= set(terms(p.everything))
    return found | {c for c in map(capital_country, found) if c}


def _negated(text: str) -> bool:
    text = _outside_quotes(text)
    return bool(_NEGATION.search(text) or _NEGATIVE_VERBS.search(text))


def _form_problem(claim: str) -> str:
    """Why a claim may not be shown whatever its sources say, or ""."""
    bare = _outside_quotes(claim)
    if claim.rstrip(" .\"'”’").endswith("?"):
        return "asks a question"
    if _URL.search(claim) or _EMAIL.search(claim):
        return "carries a link or an e-mail address"
    if _MARKUP.search(claim):
        return "carries markup"
    if _IMPERATIVE.match(bare) or _TO_READER.search(bare):
        return "addresses the reader"
    if _ASSISTANT.search(bare):
        return "talks about itself or its sources instead of the news"
    if len(claim) < MIN_SENTENCE_CHARS:
        return "too short to say anything"
    return ""


def _facts_problem(claim: str, cited: Sequence[Passage]) -> str:
    """Names, numbers, dates and quotations the cited passages do not give, or ""."""
    shown = "\n".join(p.everything for p in cited)
    have_terms = _passage_terms(cited)
    date_numbers: set[str] = set()
    date_months: set[str] = set()
    for p in cited:
        numbers, months = _date_words(p.hit.date)
        date_numbers |= numbers
        date_months |= months
    missing_numbers = sorted(numbers_in(_outside_quotes(claim)) - numbers_in(shown) - date_numbers)
    if missing_numbers:
        return f"gives numbers the cited passage does not: {', '.join(missing_numbers)}"
    missing_names = []
    for word in names_of(_outside_quotes(claim)):
        lowered = word.lower()
        if lowered in MONTHS and lowered in date_months:
            continue
        term = normalise(word)
        if term in have_terms or capital_country(term) in have_terms:
            continue
        missing_names.append(word)
    if missing_names:
        return f"names what the cited passage does not: {', '.join(dict.fromkeys(missing_names))}"
    flat = _flatten(shown)
    for quoted in _QUOTED.findall(claim):
        if _flatten(quoted) not in flat:
            return f"quotes words the cited passage does not have: “{one_line(quoted)[:60]}”"
    return ""


def _flatten(text: str) -> str:
    """Text compared for quotations: case, curly quotes and whitespace aside."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.lower().split()).strip(" .,;:")


def _adds_to_question(claim: str, question: str) -> bool:
    asked = set(terms(question))
    return bool(set(terms(claim)) - asked)


class SentenceChecker:
    """Checks a model's reply sentence by sentence (see the module docstring for the rules).

    Args:
        encode: unit-length sentence vectors (the engine's MiniLM `Embedder.encode`).
        min_similarity: least cosine with the closest sentence of a cited passage.
        min_term_support: least share of the claim's content terms found in the cited passages.
    """

    def __init__(self, encode: Callable[[list[str]], np.ndarray], min_similarity: float = MIN_SIMILARITY,
                 min_term_support: float = MIN_TERM_SUPPORT) -> None:
        self.encode = encode
        self.min_similarity = min_similarity
        self.min_term_support = min_term_support

    def check(self, reply: str, passages: Sequence[Passage], question: str) -> list[Verdict]:
        """One verdict per sentence of the reply (at most `MAX_SENTENCES_READ`), in order."""
        by_n = {p.n: p for p in passages}
        verdicts: list[Verdict] = []
        pending: list[Verdict] = []  # passed the cheap rules; the embedding decides
        for sentence in split_reply(reply)[:MAX_SENTENCES_READ]:
            verdict = Verdict(sentence=sentence, claim=strip_markers(sentence))
            verdicts.append(verdict)
            numbers = [int(n) for n in CITATION_MARKER.findall(sentence)]
            verdict.cited = tuple(dict.fromkeys(n for n in numbers if n in by_n))
            verdict.problem = _form_problem(verdict.claim)
            if verdict.problem:
                continue
            if not numbers:
                verdict.problem = "cites nothing"
            elif not verdict.cited:
                verdict.problem = f"cites {', '.join(f'[{n}]' for n in numbers)}, not a passage it was shown"
            elif not _adds_to_question(verdict.claim, question):
                verdict.problem = "only repeats the question"
            else:
                verdict.problem = _facts_problem(verdict.claim, [by_n[n] for n in verdict.cited])
            if not verdict.problem:
                pending.append(verdict)
        if pending:
            self._check_meaning(pending, by_n)
        return verdicts

    def _check_meaning(self, pending: list[Verdict], by_n: dict[int, Passage]) -> None:
        """Similarity, term support and negation against the cited passages; fills `supports`."""
        sources = {n: by_n[n].sentences for v in pending for n in v.cited}
        texts = [v.claim for v in pending]
        offsets: dict[int, int] = {}
        for n, sentences in sources.items():
            offsets[n] = len(texts)
            texts += sentences
        vectors = self.encode(texts)
        for i, verdict in enumerate(pending):
            best_score, supports = -1.0, {}
            for n in verdict.cited:
                start = offsets[n]
                scores = vectors[start:start + len(sources[n])] @ vectors[i]
                j = int(np.argmax(scores))
                score = float(scores[j])
                best_score = max(best_score, score)
                if score >= self.min_similarity:
                    supports[n] = sources[n][j]
            verdict.similarity = best_score
            cited = [by_n[n] for n in (supports or verdict.cited)]
            claim_terms = [t for t in dict.fromkeys(terms(_outside_quotes(verdict.claim)))]
            have = _passage_terms(cited)
            verdict.term_support = (sum(t in have for t in claim_terms) / len(claim_terms)) if claim_terms else 0.0
            if not supports:
                verdict.problem = f"not close in meaning to what it cites (similarity {best_score:.2f})"
            elif verdict.term_support < self.min_term_support:
                verdict.problem = f"says what the cited passage does not (term support {verdict.term_support:.2f})"
            elif any(_negated(verdict.claim) != _negated(s) for s in supports.values()):
                verdict.problem = "negates what its source says, or affirms what it negates"
            else:
                verdict.supports = supports
                verdict.cited = tuple(supports)
