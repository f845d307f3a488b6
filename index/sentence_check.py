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
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .lexicon import (
    CAUSE_WORDS,
    MONTH_NAMES,
    MONTH_NUMBER,
    MONTHS,
    NOT_NAMES,
    NUMBER_WORDS,
    ROLE_WORDS,
    STOPWORDS,
    WEEKDAYS,
    common_words,
)
from .terms import capital_country, normalise, place_terms, raw_words, terms
from .text import CITATION_MARKER, one_line, split_sentences
from .types import Hit

# Measured on bench/llm_threshold.py's labelled sentences (README, "Model answers").
MIN_SIMILARITY = 0.6  # cosine of the sentence and its closest source sentence
MIN_TERM_SUPPORT = 0.6  # share of the sentence's content terms found in the cited passages
MAX_SENTENCES_READ = 12  # a reply is read this far; a model asked for five short sentences is done by then
MIN_SENTENCE_CHARS = 12
CANDIDATE_SENTENCES = 4  # of a cited passage, the ones sharing most words with the claim are compared
VECTOR_CACHE = 20_000  # sentence vectors kept (about 30 MB)

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
                        r"system (?:note|prompt|message)|previous instructions)\b", re.I)
_NEGATION = re.compile(r"not|no|never|none|nothing|neither|nor|cannot|without|n't", re.I)
_STOP_VERBS = re.compile(r"stopp?\w*|halt\w*|ceas\w*|suspen\w*|paus\w*|freez\w*|froze\w*", re.I)
_NEGATIVE_VERBS = re.compile(r"refus\w*|den(?:y|ies|ied|ying)|reject\w*|declin\w*|fail\w*|abandon\w*|"
                             + _STOP_VERBS.pattern, re.I)
NEGATION_SCOPE = 3  # content words after a negation that it negates ("did not say how many soldiers")
# Pairs of opposite terms (stems) a claim must not swap: a sentence and its opposite embed alike.
_OPPOSITES = (("open", "close"), ("reopen", "close"), ("lift", "impos"), ("rise", "fall"), ("increas", "decreas"),
              ("accept", "reject"), ("support", "oppos"), ("win", "lose"), ("allow", "ban"), ("confirm", "deni"),
              ("arriv", "leav"), ("enter", "leav"), ("start", "end"), ("releas", "detain"), ("free", "arrest"),
              ("resum", "suspend"), ("restor", "suspend"), ("join", "quit"), ("advanc", "retreat"),
              ("reinstat", "oust"), ("return", "withdraw"), ("return", "leav"), ("grow", "shrink"),
              ("higher", "lower"), ("more", "fewer"), ("befor", "after"), ("militari", "diplomat"),
              ("keep", "withdraw"), ("keep", "pull"), ("stay", "leav"), ("remain", "leav"), ("remain", "withdraw"),
              ("dismiss", "appoint"), ("fire", "appoint"), ("accept", "ignor"), ("cut", "increas"),
              # Directions and flows: "its eastern neighbour" is another country than "its western neighbour".
              ("east", "west"), ("eastern", "western"), ("north", "south"), ("northern", "southern"),
              ("import", "export"))
_ANTONYMS: dict[str, set[str]] = {}
for _a, _b in _OPPOSITES:
    _ANTONYMS.setdefault(_a, set()).add(_b)
    _ANTONYMS.setdefault(_b, set()).add(_a)
# Quantities written as words: a claim may give one only if its source does.
_QUANTITY_WORDS = re.compile(r"\b(?:half|halves|quarters?|third|thirds|dozens?|scores|hundreds|thousands|millions|"
                             r"billions|double[sd]?|twice|tripled?|majority|minority|most|all|every|entire|whole|"
                             r"none)\b", re.I)
_QUOTED = re.compile(r"[“\"]([^”\"]{2,})[”\"]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SCOPE_ENDS = frozenset("in on at by for with to from into against over under after before during since until "
                        "because if when how what whether that which who or and".split())
_SAYING = frozenset("say says said saying tell tells told telling".split())
_RULED_OUT = re.compile(r"\bruled? out\b|\brules out\b|\bruling out\b", re.I)
_NAME_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|and|for|the|on|de|du|des)\s+)?[A-Z][\w'’-]*)+")
SHORT_REPORT_SENTENCES = 6  # title and sentences: a feed item or a short report
ACTION_SIMILARITY = 0.8  # below this cosine an unsupported past-tense verb counts as an action the source lacks
_POINTS_BACK = re.compile(r"\b(?:he|she|they|it|his|her|their|its|him|them|the (?:" + "|".join(ROLE_WORDS)
                          + r"|bloc|group|ministry|government|agency|company|country|organisation|organization))\b",
                          re.I)
FAMILY_PREFIX = 6  # stems sharing this many first letters are one word family ("suspens", "suspend")
# Past tenses the stemmer cannot bring back to their verb ("left" is "leave").
IRREGULAR_PAST = {
    "arose": "arise", "awoke": "awake", "was": "be", "were": "be", "bore": "bear", "beat": "beat", "became": "become",
    "began": "begin", "bent": "bend", "bet": "bet", "bound": "bind", "bit": "bite", "bled": "bleed", "blew": "blow",
    "broke": "break", "bred": "breed", "brought": "bring", "built": "build", "burnt": "burn", "burst": "burst",
    "bought": "buy", "caught": "catch", "chose": "choose", "clung": "cling", "came": "come", "cost": "cost",
    "crept": "creep", "cut": "cut", "dealt": "deal", "dug": "dig", "did": "do", "drew": "draw", "drank": "drink",
    "drove": "drive", "ate": "eat", "fell": "fall", "fed": "feed", "felt": "feel", "fought": "fight",
    "found": "find", "fled": "flee", "flew": "fly", "forbade": "forbid", "forgot": "forget", "forgave": "forgive",
    "froze": "freeze", "got": "get", "gave": "give", "went": "go", "grew": "grow", "hung": "hang", "had": "have",
    "heard": "hear", "hid": "hide", "hit": "hit", "held": "hold", "hurt": "hurt", "kept": "keep", "knew": "know",
    "laid": "lay", "led": "lead", "left": "leave", "lent": "lend", "let": "let", "lay": "lie", "lost": "lose",
    "made": "make", "meant": "mean", "met": "meet", "paid": "pay", "put": "put", "quit": "quit", "ran": "run",
    "rang": "ring", "rose": "rise", "said": "say", "saw": "see", "sought": "seek", "sold": "sell", "sent": "send",
    "set": "set", "shook": "shake", "shot": "shoot", "shut": "shut", "sang": "sing", "sank": "sink", "sat": "sit",
    "slept": "sleep", "slid": "slide", "spoke": "speak", "spent": "spend", "spread": "spread", "sprang": "spring",
    "stood": "stand", "stole": "steal", "struck": "strike", "swore": "swear", "swept": "sweep", "swam": "swim",
    "took": "take", "taught": "teach", "tore": "tear", "told": "tell", "thought": "think", "threw": "throw",
    "understood": "understand", "woke": "wake", "wore": "wear", "won": "win", "withdrew": "withdraw",
    "wrote": "write", "overthrew": "overthrow", "undertook": "undertake", "upheld": "uphold",
}
# Ways of saying who said what: a model may attribute with them where the passage says "said".
_REPORTING = frozenset(normalise(w) for w in (
    "say", "tell", "warn", "accuse", "announce", "state", "claim", "report", "urge", "call", "describe",
    "insist", "note", "explain", "argue", "allege", "express", "declare", "stress", "emphasize", "comment",
    "mention", "cite", "quote", "acknowledge", "reply", "respond", "indicate", "suggest", "assert", "remark",
    "reiterate", "caution", "criticize", "condemn", "denounce", "praise", "welcome", "ask", "demand",
    "write", "voice", "appeal", "plead", "request", "vow", "promise", "threaten", "pledge", "propose"))
_CLAUSE = re.compile(r"[;:]\s+|,\s+|\s[—–-]\s|\s(?=(?:and|but|while|whereas|although|after|as|because|"
                     r"when|which|who|rejecting|citing|saying|stating|completing|emphasizing)\s)")
MIN_CLAUSE_WORDS = 3


@dataclass(frozen=True)
class Passage:
    """A document as the model was shown it: its number, the hit, and the text shown."""

    n: int
    hit: Hit
    text: str  # the shown text (title not included)

    @property
    def sentences(self) -> list[str]:
        """The title and the shown text's sentences that report something, verbatim (whitespace aside).

        A sentence addressed to the reader or to an assistant ("ignore previous instructions",
        "click here", a link) is no evidence of anything: a claim resting on it is dropped,
        and its names and numbers do not count as the passage's.
        """
        out = [one_line(self.hit.title)] if self.hit.title else []
        out += [one_line(s) for s in split_sentences(self.text)]
        return [s for s in dict.fromkeys(out) if s and not source_problem(s)]

    @property
    def everything(self) -> str:
        """Title, date and reporting sentences, for names and numbers."""
        return "\n".join([self.hit.date, *self.sentences])


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
    unsupported: tuple[str, ...] = ()  # the claim's content terms its cited passages lack
    problem: str = ""

    @property
    def kept(self) -> bool:
        """Whether the sentence may reach the reader."""
        return not self.problem


def _spans(sentence: str) -> list[str]:
    """A sentence and, when it has several, its clauses (split at commas, semicolons and conjunctions)."""
    clauses = [c.strip(" ,;:") for c in _CLAUSE.split(sentence)]
    clauses = [c for c in clauses if len(c.split()) >= MIN_CLAUSE_WORDS]
    return [sentence, *clauses] if len(clauses) > 1 else [sentence]


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
    found |= {m.group(0).lower() for m in _QUANTITY_WORDS.finditer(text)}
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
    """Words of a claim that name someone or something: capitalised words and places, not stopwords or titles.

    The first word is capitalised because it begins the sentence: alone ("Following the closure,",
    "Yes:") it is a name only if it is a place or no common word (`common_words`).
    """
    places = place_terms()
    words = raw_words(claim)
    out = []
    for i, word in enumerate(words):
        lowered = word.lower()
        if lowered in STOPWORDS or lowered in NOT_NAMES or lowered.isdigit():
            continue
        if i == 0 and _opens_sentence(claim, word) and normalise(word) not in places \
                and not (len(words) > 1 and words[1][:1].isupper()) and lowered in common_words():
            continue
        if word[:1].isupper() or normalise(word) in places:
            out.append(word)
    return out


def _opens_sentence(claim: str, word: str) -> bool:
    return claim.lstrip(" \"'“‘(").startswith(word)


def _passage_terms(passages: Sequence[Passage]) -> set[str]:
    found: set[str] = set()
    for p in passages:
        found |= set(terms(p.everything))
        found |= {normalise(month) for month in _date_words(p.hit.date)[1]}  # "in October" of a report of 10-20
        found |= {normalise(initials) for initials in initialisms(p.everything)}  # "ECOWAS"
    return found | {c for c in map(capital_country, found) if c}


def source_problem(sentence: str) -> str:
    """Why a source sentence is no evidence (it instructs the reader or an assistant, or carries links), or ""."""
    bare = _outside_quotes(sentence)
    if _URL.search(bare) or _EMAIL.search(bare) or _MARKUP.search(bare):
        return "links or markup"
    if _IMPERATIVE.match(bare.lstrip("[(*# ")) or _TO_READER.search(bare) or _ASSISTANT.search(bare):
        return "addresses the reader or an assistant"
    return ""


def _negated_terms(text: str, stopping_negates: bool = True) -> tuple[set[str], set[str]]:
    """Terms a text negates (the few after "not", "no", "refused", ... in the same clause) and the rest.

    `stopping_negates=False`: "halted exports" and "exports were suspended" both stop the exports,
    whichever side of the verb they stand; then stopping verbs negate nothing.
    """
    negated: set[str] = set()
    plain: set[str] = set()
    text = _RULED_OUT.sub("not", _outside_quotes(text))
    for clause in re.split(r"[,;:()]|\s[—–-]\s|\b(?:but|while|whereas|although)\b", text):
        scope = 0
        for word in re.findall(r"[\w'’-]+", clause):
            lowered = word.lower().replace("’", "'")
            word = IRREGULAR_PAST.get(lowered, word)  # "said" and "say" are one verb here
            if _STOP_VERBS.fullmatch(lowered):
                plain |= set(terms(word))  # "suspended" is itself a term ("resumed" is its opposite)
            if _NEGATION.fullmatch(lowered) or lowered.endswith("n't") or (
                    _NEGATIVE_VERBS.fullmatch(lowered) and (stopping_negates or not _STOP_VERBS.fullmatch(lowered))):
                scope = NEGATION_SCOPE
                continue
            if _STOP_VERBS.fullmatch(lowered):
                continue
            if lowered in _SCOPE_ENDS:
                scope = 0  # "not intervene militarily | in Niger": a preposition starts what is not negated
            # Saying is a stopword elsewhere; here "did not say" and "said" must differ.
            found = [normalise(word)] if lowered in _SAYING else terms(word)
            if not found:
                continue
            if scope:
                negated |= set(found)
                scope -= 1
            else:
                plain |= set(found)
    return negated, plain - negated


_MODALS = frozenset("would will could should must may might can shall to".split())
# "ordered to leave", "threatened to cut", "plans to withdraw": what a source gives as meant, not done.
_INTENT_WINDOW = 2  # words back from a verb to look for "to" or a modal ("to swiftly leave", "would not leave")
_DECIDED = frozenset("decided decides agreed agrees voted votes moved began begun started continued opted chose "
                     "resolved managed".split())


_STATING = frozenset("is are has have".split())
# "to" before a verb ("to withdraw its troops"), not before a place or a noun phrase ("to France", "to the").
_TO_VERB = re.compile(r"\bto\s+(?!(?:the|a|an|its|his|her|their|this|that|these|those|some|any|all)\b)[a-z]")
_DETERMINERS = frozenset("the a an its his her their our this that these those".split())
# Words by which a claim says one thing caused another; and any word by which a source gives a cause.
_STATED_CAUSE = re.compile(r"\b(?:because(?: of)?|due to|as a result of|owing to|so that|in order to|therefore|"
                           r"in response to|in retaliation for|caused by|leading to|which led to)\b", re.I)
_SOURCE_CAUSE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in CAUSE_WORDS) + r")\b", re.I)


def _is_past_form(word: str) -> bool:
    """Whether a word as written is a past form: "left", "suspended"; not a name ("Mohamed", "Associated")."""
    lowered = word.lower().replace("’", "'")
    return (lowered in IRREGULAR_PAST or (lowered.endswith("ed") and len(lowered) > 4)) and not word[:1].isupper()


def _verb_uses(sentence: str, term: str) -> tuple[int, int]:
    """How often a sentence uses a verb (by its term) as done, and as only meant: after "to" or a modal."""
    words = [w.lower().replace("’", "'") for w in re.findall(r"[\w'’-]+", _outside_quotes(sentence))]
    done = meant = 0
    for i, word in enumerate(words):
        base = IRREGULAR_PAST.get(word, word)
        if normalise(base) != term and normalise(word) != term:
            continue
        before = words[max(0, i - _INTENT_WINDOW):i]
        # "decided to suspend", "agreed to pay": a decision taken is done; "ordered to leave" is not.
        if any(w in _MODALS for w in before) and not any(w in _DECIDED for w in before):
            meant += 1
        else:
            done += 1
    return done, meant


def _done_not_meant(claim: str, sources: Sequence[str]) -> str:
    """A verb the claim states as done that its sources give only as ordered, planned or threatened, or "".

    "Itté left Niger within 48 hours" rests on "Itté was given 48 hours to leave": the same verb,
    but what was ordered is not what happened.
    """
    raw = re.findall(r"[\w'’-]+", _outside_quotes(claim))
    words = [w.lower().replace("’", "'") for w in raw]
    for i, word in enumerate(words):
        if not _is_past_form(raw[i]) or word in ("was", "were", "had", "did") \
                or any(w in _MODALS for w in words[max(0, i - 2):i]):
            continue  # not a past form (a name: "Mohamed", "Associated"), or meant ("would leave")
        term = normalise(IRREGULAR_PAST.get(word, word))
        uses = [_verb_uses(sentence, term) for sentence in sources]
        done, meant = sum(u[0] for u in uses), sum(u[1] for u in uses)
        if meant and not done:
            return word
    return ""


def _past_verbs(sentence: str) -> list[str]:
    """Words of a sentence that state something as done: past forms not after "to" or a modal.

    Reporting verbs ("said"), auxiliaries and participles used as adjectives ("the ousted
    president") are left out.
    """
    raw = re.findall(r"[\w'’-]+", _outside_quotes(sentence))
    words = [w.lower().replace("’", "'") for w in raw]
    out = []
    for i, word in enumerate(words):
        if not _is_past_form(raw[i]):
            continue
        if word in ("was", "were", "had", "did", "been") or word in _DECIDED:
            continue
        before = words[max(0, i - _INTENT_WINDOW):i]
        if any(w in _MODALS for w in before) or (before and before[-1] in _DETERMINERS):
            continue  # meant ("to leave"), or an adjective ("the ousted")
        if normalise(IRREGULAR_PAST.get(word, word)) in _REPORTING or normalise(word) in _REPORTING:
            continue
        out.append(word)
    return out


def _only_meant(sentence: str) -> bool:
    """Whether a sentence gives only what is planned or ordered: "France to withdraw its troops"."""
    text = _outside_quotes(sentence)
    words = {w.lower() for w in re.findall(r"[\w'’-]+", text)}
    # "is clear - it will not intervene" states a position; a headline's "France to withdraw" a plan.
    # Conservative: "Junta tells ambassador to leave" reads as a plan too (a present-tense verb is not
    # told from a plural noun), which drops "gave him 48 hours to leave" resting on that headline alone;
    # measured on the blind sets, the narrower reading let three more unsupported sentences through.
    meant = bool(words & (_MODALS - {"to"})) or bool(_TO_VERB.search(text))
    return meant and not words & _STATING and not _past_verbs(sentence) and not words & _DECIDED


def _done_where_only_meant(claim: str, sources: Sequence[str]) -> str:
    """A verb the claim states as done when every sentence it rests on gives only a plan, or "".

    "France has pulled its soldiers out" resting on the headline "France to withdraw its
    ambassador and troops" (another verb, so `_done_not_meant` cannot pair them).
    """
    if not sources or not all(_only_meant(s) for s in sources):
        return ""
    done = _past_verbs(claim)
    return done[0] if done else ""


def _unfounded_cause(claim: str, sources: Sequence[str]) -> str:
    """A cause the claim gives that the sentences it rests on do not link to it, or "".

    "Troops left because the junta ordered it" resting on "Last French troops leave Niger": two
    facts may both be true; that one caused the other is the model's. A cause stated in the
    same source sentence ("stuck because of border closures" on "border closures have stranded
    trucks") is the source's own link.
    """
    match = _STATED_CAUSE.search(_outside_quotes(claim))
    if not match:
        return ""
    if any(_SOURCE_CAUSE.search(s) for s in sources):
        return ""
    cause = re.split(r"[,;]", claim[match.end():], maxsplit=1)[0]
    for sentence in sources:
        have = set(terms(sentence))
        if all(_supported(word, term, have) for word, term in _content_words(cause)):
            return ""
    return match.group(0).strip()


def _has_stop_verb(text: str) -> bool:
    return any(_STOP_VERBS.fullmatch(w) for w in re.findall(r"[\w'’-]+", text.lower()))


def _turned_around(claim: str, sources: Sequence[str]) -> str:
    """A term the claim affirms that its sources only negate (or the reverse), or the opposite of theirs; or ""."""
    # Both stop something ("halted exports", "exports were suspended"): the voice may differ, not the sense.
    stopping = not (_has_stop_verb(claim) and any(_has_stop_verb(s) for s in sources))
    claim_neg, claim_plain = _negated_terms(claim, stopping)
    source_neg: set[str] = set()
    source_plain: set[str] = set()
    for sentence in sources:
        negated, plain = _negated_terms(sentence, stopping)
        source_neg |= negated
        source_plain |= plain
    # A term the passage both affirms and negates (in different sentences) decides nothing.
    for term in sorted(claim_plain | claim_neg):
        ours, theirs = (source_neg, source_plain) if term in claim_plain else (source_plain, source_neg)
        if _supported("", term, ours) and not _supported("", term, theirs):
            return term
    source_terms = source_neg | source_plain
    for term in claim_neg | claim_plain:
        opposite = _ANTONYMS.get(term)
        if opposite and opposite & source_terms and term not in source_terms:
            return term
    return ""


def initialisms(text: str) -> set[str]:
    """Initials of the capitalised names in a text, with and without their small words.

    "the Economic Community of West African States" gives ECOWAS and ECWAS (and the initials
    of its tails, WAS, AS), so a model may write the body's initialism where the passage spells it out.
    """
    out: set[str] = set()
    for run in _NAME_RUN.finditer(text):
        words = run.group(0).split()
        for start in range(len(words) - 1):
            tail = words[start:]
            if not tail[0][:1].isupper():
                continue
            out.add("".join(w[0] for w in tail).upper())
            out.add("".join(w[0] for w in tail if w[:1].isupper()))
    return {i for i in out if len(i) >= 2}


def _names_elsewhere(claim: str, supports: Sequence[tuple[Passage, str]]) -> list[str]:
    """Names of a claim found in its passage but not around the sentence it rests on.

    Around means the sentence, the title, and the sentence before when this one points back
    ("She called for ..."). "3.3 million people in Benin" rests on the sentence about Niger,
    though Benin is named in the next one: the claim has moved a name.
    """
    near: set[str] = set()
    near_texts: list[str] = []
    for passage, sentence in supports:
        sentences = passage.sentences
        # A short report's headline is part of what each sentence says; a long article's covers all of it.
        window = [passage.hit.title, sentence] if len(sentences) <= SHORT_REPORT_SENTENCES else [sentence]
        at = sentences.index(sentence) if sentence in sentences else -1
        if at > 0 and _POINTS_BACK.search(sentence):
            window.append(sentences[at - 1])
        if sentence == one_line(passage.hit.title) and len(sentences) > 1:
            window.append(sentences[1])  # a headline is told by the report's first sentence
        text = "\n".join(window)
        near_texts.append(text)
        near |= set(terms(text)) | {normalise(i) for i in initialisms(text)}
    folded = {c for c in map(capital_country, near) if c}
    out = []
    for word in names_of(_outside_quotes(claim)):
        term = normalise(word)
        if word.lower() in MONTHS or word.lower() in WEEKDAYS:
            continue  # when, not who: the passage-wide check has placed it
        # "Washington said" may stand for the United States; "in Niamey" may not stand for "in Niger".
        if term not in near and term not in folded and (capital_country(term) not in near or _as_place(claim, word)):
            out.append(word)
    # "by the end of the month" rests on "by the end of the year"; "six-week" on "six-month".
    near_words = set(re.findall(r"[a-z]+", "\n".join(near_texts).lower()))
    for unit in re.findall(r"[a-z]+", _outside_quotes(claim).lower()):
        if unit in _TIME_UNITS and unit not in near_words and _TIME_UNITS[unit] not in near_words:
            out.append(unit)
    return list(dict.fromkeys(out))


# Units of time a claim must take from the sentence it rests on, each with its other number.
_TIME_UNITS = {"hour": "hours", "hours": "hour", "day": "days", "days": "day", "week": "weeks", "weeks": "week",
               "month": "months", "months": "month", "year": "years", "years": "year"}
_PLACE_PREPOSITIONS = r"(?:in|at|near|from|to|into|inside|outside|around|across)"


def _as_place(claim: str, word: str) -> bool:
    """Whether a claim names a place as where something is ("in Niamey"), not as a government ("Niamey said")."""
    return bool(re.search(rf"\b{_PLACE_PREPOSITIONS}\s+(?:the\s+)?{re.escape(word)}\b", claim, re.I))


def _content_words(claim: str) -> list[tuple[str, str]]:
    """(word, term) of each distinct content word of a claim, outside quotations."""
    out: dict[str, str] = {}
    for word in raw_words(_outside_quotes(claim)):
        lowered = word.lower()
        if lowered in STOPWORDS or (len(lowered) == 1 and not lowered.isdigit()):
            continue
        out.setdefault(normalise(word), lowered)
    return [(word, term) for term, word in out.items()]


def _supported(word: str, term: str, have: set[str]) -> bool:
    """Whether a claim's word is in its passages: the same term, an irregular form's base, or one word family."""
    if term in have or capital_country(term) in have:
        return True
    base = IRREGULAR_PAST.get(word)
    if base and normalise(base) in have:
        return True
    # "suspension" / "suspended", "leader" / "led"... share a long start; short stems must be a whole prefix.
    for other in have:
        shorter, longer = sorted((term, other), key=len)
        if len(shorter) >= 4 and longer.startswith(shorter) and not shorter.isdigit():
            return True
        if term[:FAMILY_PREFIX] == other[:FAMILY_PREFIX] and len(term) >= FAMILY_PREFIX:
            return True
    return False


def _reports_action(word: str, term: str) -> bool:
    """Whether an unsupported word reports something done (a past-tense verb that is not a way of saying).

    Verbs of stopping and refusing ("halted", "ruled out") are left to the negation check.
    """
    if term in _REPORTING or normalise(IRREGULAR_PAST.get(word, "")) in _REPORTING:
        return False
    if _NEGATIVE_VERBS.fullmatch(word) or word in ("ruled", "rules"):
        return False
    return word in IRREGULAR_PAST or (word.endswith("ed") and len(word) > 4)


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
        if term in have_terms or (capital_country(term) in have_terms and not _as_place(claim, word)):
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
        self._cache: dict[str, np.ndarray] = {}  # insertion-ordered: the oldest go first
        self._lock = threading.Lock()  # the bot checks answers on several threads

    def check(self, reply: str, passages: Sequence[Passage], question: str, score_all: bool = False) -> list[Verdict]:
        """One verdict per sentence of the reply (at most `MAX_SENTENCES_READ`), in order.

        `score_all` (for measuring) also scores the meaning of sentences a rule already dropped.
        """
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
            if not verdict.problem or (score_all and verdict.cited):
                pending.append(verdict)
        if pending:
            self._check_meaning(pending, by_n)
        return verdicts

    def _vectors(self, texts: list[str]) -> list[np.ndarray]:
        """Unit vectors of texts, source sentences from a bounded cache (the same reports come back)."""
        with self._lock:
            known = {t: self._cache[t] for t in texts if t in self._cache}
        missing = [t for t in texts if t not in known]
        if missing:
            fresh = dict(zip(missing, self.encode(missing), strict=True))
            known.update(fresh)
            with self._lock:
                self._cache.update(fresh)
                while len(self._cache) > VECTOR_CACHE:
                    self._cache.pop(next(iter(self._cache)))
        return [known[t] for t in texts]

    def _check_meaning(self, pending: list[Verdict], by_n: dict[int, Passage]) -> None:
        """Similarity, term support and negation against the cited passages; fills `supports`."""
        # Each source sentence is compared whole and clause by clause: a claim that reports one
        # clause of a long sentence ("Algeria rejected any military intervention") is close to
        # that clause, not to the sentence as a whole.
        # Only the sentences sharing the most words with a claim are embedded (a long article has
        # dozens; the one a claim rests on shares its words), and each text once per process.
        candidates: dict[tuple[int, int], list[tuple[str, str]]] = {}  # (claim, passage) -> (span, its sentence)
        for i, verdict in enumerate(pending):
            claim_terms = set(terms(verdict.claim))
            for n in verdict.cited:
                sentences = by_n[n].sentences
                ranked = sorted(sentences, key=lambda s: -len(claim_terms & set(terms(s))))[:CANDIDATE_SENTENCES]
                candidates[i, n] = [(span, sentence) for sentence in ranked for span in _spans(sentence)]
        texts = list(dict.fromkeys([v.claim for v in pending]
                                   + [span for pairs in candidates.values() for span, _ in pairs]))
        vectors = dict(zip(texts, self._vectors(texts), strict=True))
        for i, verdict in enumerate(pending):
            best_score, supports = -1.0, {}
            for n in verdict.cited:
                pairs = candidates[i, n]
                scores = np.stack([vectors[span] for span, _ in pairs]) @ vectors[verdict.claim]
                j = int(np.argmax(scores))
                score = float(scores[j])
                best_score = max(best_score, score)
                if score >= self.min_similarity:
                    supports[n] = pairs[j][1]
            verdict.similarity = best_score
            cited = [by_n[n] for n in (supports or verdict.cited)]
            have = _passage_terms(cited)
            words = _content_words(verdict.claim)
            missing = [(word, term) for word, term in words if not _supported(word, term, have)]
            verdict.unsupported = tuple(term for _, term in missing)
            verdict.term_support = 1 - len(missing) / len(words) if words else 0.0
            # An unsupported verb of action ("airlifted") is a paraphrase only when the sentence stays close.
            action = next((word for word, term in missing if _reports_action(word, term)), "") \
                if best_score < ACTION_SIMILARITY else ""
            elsewhere = _names_elsewhere(verdict.claim, [(by_n[n], sentence) for n, sentence in supports.items()])
            if verdict.problem:
                continue  # scored for measuring only
            if not supports:
                verdict.problem = f"not close in meaning to what it cites (similarity {best_score:.2f})"
            elif verdict.term_support < self.min_term_support:
                verdict.problem = f"says what the cited passage does not (term support {verdict.term_support:.2f})"
            elif action:
                verdict.problem = f"reports an action the cited passage does not (“{action}”)"
            elif elsewhere:
                verdict.problem = f"takes {', '.join(elsewhere)} from elsewhere in the passage than what it rests on"
            elif turned := (_turned_around(verdict.claim, list(supports.values()))
                            or _turned_around(verdict.claim, [s for p in cited for s in p.sentences])):
                verdict.problem = f"turns its source around (“{turned}”)"
            elif undone := (_done_not_meant(verdict.claim, list(supports.values()))
                            or _done_where_only_meant(verdict.claim, list(supports.values()))):
                verdict.problem = f"states as done what its source gives as ordered or meant (“{undone}”)"
            elif cause := _unfounded_cause(verdict.claim, list(supports.values())):
                verdict.problem = f"links as cause what its source does not (“{cause}”)"
            else:
                verdict.supports = supports
                verdict.cited = tuple(supports)
