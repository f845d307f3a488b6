"""The rule rewriter: follow-up questions resolved into standalone ones, without a model.

`RuleRewriter` is deterministic: it carries the names and the topic of the last question and
its answer into pronouns ("he", "they", "it", "there"), "what about X?" / "and X?", pieces of a
question ("Mining which mineral?"), and bare "why?", "when?", "how many?". A question that brings
its own subject replaces the old one instead of merging with it. `answer_names` picks, from an
answer's quotes, the names a pronoun may point to next; `names_in` finds names in any text.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable

from .conversation import Conversation, Resolution, Rewriter
from .gender import gender_of, is_given_name, pronoun_gender
from .lexicon import (
    GROUP_PRONOUNS,
    INSTITUTION_WORDS,
    IRREGULAR_PAST,
    MONTHS,
    NAMED_EVENT_WORDS,
    NOT_NAMES,
    NUMBER_WORDS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    PLACE_PRONOUNS,
    QUESTION_WORDS,
    ROLE_WORDS,
    STOPWORDS,
    THING_PRONOUNS,
    TIME_WORDS,
    VAGUE_FILLER,
    WEEKDAYS,
)
from .text import one_line
from .types import Turn

MAX_NAME_WORDS = 4  # "Ali Mahaman Lamine Zeine"; a longer capitalised run is a headline

_WH = r"(?:who|whom|whose|what|which|when|where|why|how(?: many| much| long| old)?)"
# "why?", "since when?", and "on which day?", "from which country?": the last question, asked that way.
_BARE_WH = re.compile(rf"^\s*(?:and\s+|but\s+|so\s+)?((?:(?:since|for|until|from|on|in|at|near|to|by|with|after|before"
                      rf"|during|over|into|across|behind|under)\s+)?"
                      rf"(?:(?:which|what)\s+(?!about\b)[a-z]+(?:\s+of\s+the\s+[a-z]+)?|{_WH}))\s*"
                      r"(?:then|exactly|so|now)?\s*[?.!]*\s*$", re.I)
_WHAT_ABOUT = re.compile(r"^\s*(?:and\s+|so\s+)?(?:what|how)\s+about\s+(.+?)\s*[?.!]*\s*$", re.I)
_AND_X = re.compile(r"^\s*and\s+(.+?)\s*[?.!]*\s*$", re.I)
# The auxiliaries a question's verb comes with ("did", "was", "have"), in one list for every pattern below.
_AUX_WORDS = ("did", "does", "do", "is", "are", "was", "were", "has", "have", "had", "will", "would", "could", "can")
_AUX = "(" + "|".join(_AUX_WORDS) + ")"
# A question that opens with a participle or preposition and asks later: "Mining which mineral?",
# "Out of a population of roughly how many?", "Affecting which kind of aid?". Only a piece of one.
_FRAGMENT = re.compile(r"^\s*(?:[a-z]{3,}ing|out|of|within|among|against|between|besides|beyond|apart from|other than"
                       r"|compared (?:to|with)|excluding|including)\b"
                       r"(?=.*\b(?:which|what|how many|how much|whom|whose)\b)"
                       rf"(?:(?!\b{_AUX}\b)[^?])*"
                       r"[?.!\s]*$", re.I)
# A composed question's head with a clause of its own ("Who announced it", "How old was he"), not a wh-phrase
# alone ("From how many airbases", "how many injured"): an auxiliary or an object it refers back with.
_HEAD_CLAUSE = re.compile(rf"\b{_AUX}\b|\b(?:it|that|this|them|the|his|her|their)\b", re.I)
_LEAD = re.compile(rf"^\s*({_WH})\s+(?:{_AUX}\s+)?(.*)$", re.I)
_HEDGE = re.compile(r"^\s*(?:roughly|approximately|about|around|exactly|also|then|so|at least|at most)\s+"
                    r"(?=(?:who|what|which|when|where"
                    r"|why|how)\b)", re.I)  # "and roughly how many ...?"
# A wh-phrase of a few lower-case words before the auxiliary: "what kind of business did", "what magnitude was".
_LEAD_PHRASE = re.compile(rf"^\s*((?i:(?:in|on|at|from|to|by|for|near|with|under|over|during|after|before)\s+)?"
                          rf"(?i:what|which|how many|how much)(?:\s+[a-z][\w'’-]*){{1,4}}?)\s+{_AUX}\s+(.*)$")
# ... and one led by a preposition, whose words may be names: "Near which small Florida community did".
_PREP_LEAD_PHRASE = re.compile(rf"^\s*((?i:in|on|at|from|to|by|for|near|with|under|over|during|after|before)\s+"
                               rf"(?i:which|what)(?:\s+[\w'’-]+){{1,5}}?)\s+{_AUX}\s+(.*)$")
# "how high did", "how far was": a measure asked with "how", then the auxiliary.
_HOW_MEASURE = re.compile(rf"([a-z]+)\s+{_AUX}\s+(.*)$", re.I)
_SUBJECT_NP = re.compile(r"\b(?:the|a|an|this|that|these|those)\s+([a-z][\w'-]*)", re.I)
_NAME = re.compile(r"(?<![\w'])([A-Z][\w'’.-]*(?:\s+(?:of\s+|for\s+|de\s+|al-)?[A-Z][\w'’.-]*)*)")
_TOPIC_START = re.compile(r"\b(?:after|over|about|during|against|since|following|regarding|on|in)\s+\S", re.I)

MIN_SHOUTED = 4  # an upper-case common word this long is emphasis ("STILL"); shorter ones are acronyms ("US")


def _is_common(word: str) -> bool:
    from .lexicon import common_words

    return word.lower() in common_words()


# Words that open a sentence capitalised and never start a name: articles, and the pronouns a
# quote opens with ("‘We need to start again’", "\"This was our paradise\"").
_NOT_NAME_OPENERS = frozenset(("the", "and", "but", "so", "a", "an", "we", "i", "you", "our", "my", "your", "this",
                               "these", "those", "that"))
_OPENING_MARKS = " \t\"'‘’“”«»([-–—"


_AGE_AFTER = re.compile(r",\s*\d{1,3}\s*,")


def names_in(text: str) -> list[str]:
    """Capitalised names in a question or sentence ("Abdourahamane Tchiani", "ECOWAS"), in order.

    A sentence's first word counts only when the next word is capitalised too (a two-word
    name); question words, titles and institution words alone ("President", "Army") are not names.
    """
    out: list[str] = []
    for match in _NAME.finditer(text):
        name = match.group(1).rstrip(".")
        words = name.split()
        stripped = False
        while words and (words[0].lower() in QUESTION_WORDS or words[0].lower() in _PRONOUN_WORDS
                         or words[0].lower() in _NOT_NAME_OPENERS or words[0].islower()):
            words = words[1:]
            stripped = True
        if not words or (len(words) == 1 and len(words[0]) == 1):
            continue  # "(L)" of a photo caption, "A" of a list: a letter is no name
        opens = not text[:match.start()].strip(_OPENING_MARKS)
        if not opens and not stripped and len(words) == 1 and text[:match.start()].rstrip().endswith(":") \
                and _is_common(words[0]) and not _is_place(words[0]):
            continue  # "Fukushima water discharge: Local businesses ...": a clause's first word, an English one
        if opens and not stripped and len(words) == 1 and not words[0].isupper() and not _is_place(words[0]) \
                and not _AGE_AFTER.match(text, match.end()):
            # A sentence's first word, capitalised anyway ("Iran hosts talks" still names Iran); but
            # "Markiv, 27, wanted to help" names a person by the age after the name.
            continue
        if len(words) == 1 and words[0].isupper() and len(words[0]) >= MIN_SHOUTED and _is_common(words[0]):
            continue  # "are STILL trapped": a headline's emphasis, not an acronym
        if all(w.lower().strip("'’s") in NOT_NAMES for w in words):
            continue
        if sum(w.lower() not in NOT_NAMES and w.lower() not in ROLE_WORDS for w in words) > MAX_NAME_WORDS:
            continue  # a Title Case headline, not a name ("French Foreign Minister Catherine Colonna" is one)
        if any(w.lower() in MONTHS or w.lower() in WEEKDAYS for w in words):
            continue  # "September", "Monday": when, not who
        if any(re.search(r"-[a-z]", w) for w in words):
            continue  # "Coup-instigating": a compound adjective at a clause's start
        out.append(" ".join(words).removesuffix("'s").removesuffix("’s"))
    return list(dict.fromkeys(out))


# "the Maui mayor", "Hawaii's governor", "Niger's ousted president": a person named by role.
_ROLE = re.compile(r"\b(?:[Tt]he\s+)?(?:[A-Z][\w'’]*\s+)*"
                   r"(?:(?!(?:the|a|an|of|in|on|and|to|by|for|with|did|does|is|was)\b)[a-z][\w-]*\s+){0,2}?"
                   r"(?i:" + "|".join(ROLE_WORDS) + r")\b")
_ROLE_DOER = re.compile(r"\b(?:did|does|do)\s+((?:the|an?)\s+(?:[a-z][\w'’-]*\s+){0,2}?(?:"
                        + "|".join(ROLE_WORDS) + r"))\b")
# "of those", "among these" standing for a noun ("of those were", "among these?"), not before one ("of those fires").
_THOSE = re.compile(r"\b(?:of|among)\s+(those|these)\b"
                    r"(?=\s+(?:were|are|was|is|who|that|have|had|still)\b|\s*[?.!,]|\s*$)", re.I)
_HE = ("he", "him", "his", "himself")
_SHE = ("she", "her", "hers", "herself")
_ACTED_ON = ("them", "themselves")  # the plural pronouns that are a verb's object, not its subject
_PRONOUN_WORDS = frozenset((*PERSON_PRONOUNS, *GROUP_PRONOUNS, *THING_PRONOUNS, *PLACE_PRONOUNS))


def _has_word(text: str, words: Iterable[str]) -> re.Match[str] | None:
    return re.search(r"\b(" + "|".join(words) + r")\b", text, re.I)


def has_own_subject(question: str) -> bool:
    """Whether a question names what it is about: a name, or "the X" before any pronoun."""
    if names_in(question):
        return True
    # "What did the president there say?": a place pointed at and never named needs context
    # ("is there", "are there" only say that something exists).
    if re.search(r"(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )\bthere\b(?!\s+(?:is|are|was|were|been)\b)",
                 question, re.I):
        return False
    pronoun = _has_word(question, (*PERSON_PRONOUNS, *GROUP_PRONOUNS, *PLACE_PRONOUNS))
    head = question[: pronoun.start()] if pronoun else question
    nouns = [m.group(1) for m in _SUBJECT_NP.finditer(head) if m.group(1).lower() not in _PRONOUN_WORDS]
    if pronoun:
        return bool(nouns)
    # No personal pronoun: only "it"/"that" questions with nothing else to search are vague.
    words = [w for w in re.findall(r"[a-z']+", question.lower())
             if w not in QUESTION_WORDS and w not in _PRONOUN_WORDS and w not in VAGUE_FILLER]
    return bool(words)




def is_vague(question: str) -> bool:
    """A question that needs context to mean anything: a bare "why?", "what about it?", "when did he ...?"."""
    if _BARE_WH.match(question) or re.match(r"^\s*(?:and|what about|how about)\b", question, re.I):
        return not names_in(question)
    return not has_own_subject(question)


MAX_ELLIPTICAL_WORDS = 1  # "how many died?", "how much per month?": too few words to stand alone in a chat
MAX_UNCOUNTED_WORDS = 2  # "how many took part?", "how many were freed?"; not "how many were killed in the raid?"


def _elliptical(question: str) -> bool:
    """A short question with no name that only makes sense after the last one ("how many died?")."""
    words = [w for w in re.findall(r"[a-z][a-z'-]*", question.lower())
             if w not in QUESTION_WORDS and w not in _PRONOUN_WORDS and w not in VAGUE_FILLER and w not in STOPWORDS]
    # "How many took part?", "how many were freed?": a count of nothing named.
    uncounted = re.match(r"^\s*how many\s+([a-z]+)", question, re.I)
    verb = uncounted.group(1).lower() if uncounted else ""
    if verb and (verb.endswith("ed") or verb in IRREGULAR_PAST or verb in _AUX_WORDS) \
            and len(words) <= MAX_UNCOUNTED_WORDS:
        return not names_in(question)
    return not names_in(question) and len(words) <= MAX_ELLIPTICAL_WORDS


# "that estimate", "those talks": a thing the conversation named before. Not "that the ..." (a
# clause), "that killed" or "that says" (a relative clause's verb).
_POINTING = re.compile(r"\b(?:(?:that|this)\s+(?!(?:the|a|an|is|was|are|were|has|had|will|would|could|can)\b)"
                       r"[a-z]+(?<!ed)(?<!s)|(?:these|those)\s+(?!(?:the|a|an|are|were|have|had)\b)[a-z]+(?<!ed))\b")


# Words that place a question after the last one's event: "what did the government declare afterwards?".
_CONTINUING = re.compile(r"\b(?:afterwards?|then|later|subsequently|in response|in return|the same day|that day"
                         r"|the next day|the day after|next)\s*[?.!]*\s*$", re.I)


# "that town", "this village": a place the conversation named.
_THAT_PLACE = re.compile(r"\b(?:that|this)\s+(?:town|city|village|community|place|area|region|province|county|district"
                         r"|island|country|port|camp|neighbou?rhood|suburb)\b", re.I)
# "How far above the high-water mark was that?": "that" is what the last answer gave.
_THAT_AT_END = re.compile(r"\b(?:was|is|were|are)\s+(?:that|this)\s*[?.!]*\s*$", re.I)


def _definite_back(question: str, last: Turn) -> bool:
    """Whether a question's "the X" is a thing the last question or its answer spoke of: "How big was the
    discount?" after "Which resort offered evacuees a discount?", "the man" after an answer on a man's remains."""
    heads = {m.group(1).lower() for m in re.finditer(r"\bthe\s+(?:[a-z]+\s+)?([a-z]{3,})\b", question)}
    heads -= {*STOPWORDS, *_TIME_HEADS, *_SPANS, *QUESTION_WORDS}
    before = {w.lower() for text in (last.resolved, *last.said) for w in re.findall(r"[A-Za-z]+", text)}
    return bool(heads & before)


def _points_back(question: str) -> bool:
    """Whether a question points at something said before: "Who made that argument?", "why that day?",
    "how far above the mark was that?"."""
    return bool(_POINTING.search(question) or _THAT_AT_END.search(question))


def _strip_end(text: str) -> str:
    return re.sub(r"[\s?.!]+$", "", text)


def _question_body(resolved: str) -> tuple[str, str, str]:
    """("what", "did", "the junta order") from "What did the junta order?"; ("", "", text) if no wh-lead.

    A wh-phrase is the lead: ("what kind of business", "did", "the group start").
    """
    match = _LEAD.match(_strip_end(resolved))
    if not match:
        led = _LEAD_PHRASE.match(_strip_end(resolved))
        if led and led.group(1)[:1].lower() != led.group(1)[:1]:
            # "In which suburb did Nigeriens gather?": ("In which suburb", "did", "Nigeriens gather")
            return led.group(1), led.group(2), led.group(3)
        return "", "", _strip_end(resolved)
    phrase = None if match.group(2) else _LEAD_PHRASE.match(_strip_end(resolved))
    if phrase:  # "What kind of business did the group start?": "the group start", not "kind of business did ..."
        return phrase.group(1), phrase.group(2), phrase.group(3)
    measure = _HOW_MEASURE.match(match.group(3)) if match.group(1).lower() == "how" and not match.group(2) else None
    if measure:  # "How high did the water stand?": ("how high", "did", "the water stand"), not "high did ..."
        return f"{match.group(1)} {measure.group(1)}", measure.group(2), measure.group(3)
    return match.group(1), match.group(2) or "", match.group(3)


_SPANS = frozenset(("hour", "hours", "minute", "minutes", "day", "days", "week", "weeks", "month", "months", "year",
                    "years", "morning", "night", "evening", "afternoon", "weekend"))


# ... or at a colon: "after Hurricane Idalia: 'You loot, we shoot'" is "after Hurricane Idalia".
_CLAUSE_AFTER = re.compile(rf"\s+(?:and|but)\s+(?={_AUX}\b|[a-z]+ed\b)|\s*,\s*(?:and\s+)?(?={_AUX}\b|[a-z]+ed\b)"
                           r"|\s*:\s+")


# An auxiliary inside a topic phrase starts the question's own clause: "in Nevada is it held".
_AUX_AFTER = re.compile(rf"\s+(?={_AUX}\s+(?:it|he|she|they|the|[A-Z]))")
# "had six months of war in Sudan killed": a past form closing the question after a name is its verb.
_NAME_THEN_PAST = re.compile(r"(\b[A-Z][\w'’-]*)\s+[a-z]+ed(?:,.*)?$")


def _says_when(phrase: str) -> bool:
    """Whether a phrase names a month or a span of time ("in September", "within days")."""
    return any(w in MONTHS or w in _SPANS for w in re.findall(r"[a-z]+", phrase.lower()))


def topic_of(question: str) -> str:
    """The last prepositional phrase of a question ("after the coup", "in Niger"), "" when it has none."""
    starts = [m.start() for m in _TOPIC_START.finditer(question)]
    topic = _strip_end(question[starts[-1]:]) if starts else ""
    # "after the coup and was photographed with Bazoum": the phrase ends where a second verb begins.
    topic = _CLAUSE_AFTER.split(topic, maxsplit=1)[0]
    # "in Nevada is it held", "in Sudan killed": the phrase ends where the question's verb stands.
    topic = _NAME_THEN_PAST.sub(r"\1", _AUX_AFTER.split(topic, maxsplit=1)[0])
    if re.match(r"\w+\s+(?:which|what|whose)\b", topic, re.I):
        return ""  # "In which countries": the question's own wh-phrase, no topic
    # A time phrase ("in late August 2023", "on 7 August") is when, not what: not carried over.
    # So is a span of time ("in the first few hours", "within days").
    if re.search(r"\d", topic) or _says_when(topic):
        return ""
    return topic


class RuleRewriter(Rewriter):
    """Deterministic follow-up resolution from the last turn's names and topic."""

    def resolve(self, question: str, conversation: Conversation) -> Resolution:
        """See the module docstring for the rules; the asked question when no rule applies."""
        question = one_line(question)
        last = conversation.last
        own = names_in(question)
        if last is None:
            if is_vague(question):
                return Resolution(question, needs_subject=True)
            return Resolution(question, subject=_main(own), topic=topic_of(question))
        if _FRAGMENT.match(question) and not _BARE_WH.match(question) \
                and not names_in(_without_outlet(question)):
            # "Mining which mineral?", "Out of a population of roughly how many?": a piece of the
            # last question, asked of it and of the name its answer gave.
            resolved = _about_last(question, last, answered=True)
            if resolved:
                return Resolution(resolved, used_context=True, subject=last.subject, topic=last.topic, continues=True)
        if own and not _WHAT_ABOUT.match(question) and not _AND_X.match(question) \
                and not _has_word(question, _PRONOUN_WORDS):
            # A new explicit subject: a fresh question, not merged with the old one.
            return Resolution(question, subject=_main(own), topic=topic_of(question))
        resolved = self._rewrite(question, last, own, conversation.turns[:-1])
        pointed = _THAT_PLACE.search(question) if resolved is None else None
        place = _place_of(last, conversation.turns[:-1]) if pointed else ""
        if pointed and place:
            # "How far is that town from where the storm came ashore?": the town the answer named.
            resolved = question[:pointed.start()] + place + question[pointed.end():]
        if resolved is None and not own and (is_vague(question) or _elliptical(question) or _points_back(question)
                                             or _CONTINUING.search(question) or _definite_back(question, last)):
            # "how many died?", "how much per month?": nothing to replace, so the question is
            # asked about what the last one was about.
            resolved = _about_last(question, last)
        if resolved is None:
            if is_vague(question):
                return Resolution(question, needs_subject=True)
            # "how many countries committed troops?" after a question on the ECOWAS summit: no
            # pronoun to resolve, but no new subject either; the conversation's stays.
            return Resolution(question, subject=_main(own) or last.subject, topic=topic_of(question) or last.topic,
                              continues=not own)
        resolved = _DOUBLED_ARTICLE.sub(r"\1", _without_doubled_prepositions(resolved, question, last))
        # "What did he say happens in Russia?" resolved to Joe Biden is about Biden, not Russia: what a
        # pronoun was resolved to is the subject, so "and Zelensky?" next asks what Zelensky said.
        inserted = [n for n in names_in(resolved) if n not in own] if _has_word(question, _PRONOUN_WORDS) else []
        subject = _main(inserted) or _main(own) or last.subject
        return Resolution(resolved, used_context=resolved != question, subject=subject,
                          topic=topic_of(resolved) or last.topic, continues=True)

    def _rewrite(self, question: str, last: Turn, own: list[str], earlier: tuple[Turn, ...] = ()) -> str | None:
        country = _THE_COUNTRY.search(question)
        named = _country_named((*earlier, last)) if country else ""
        if country and named:
            # "How did the paper describe the country's military?" after a question on Nigeria: Nigeria's.
            named = _possessive(named) if country.group(1) else named
            with_country = question[:country.start()] + named + question[country.end():]
            return self._rewrite(with_country, last, own, earlier) or with_country
        paper = _THE_PAPER.search(question)
        outlet = _outlet_meant(paper, (*earlier, last)) if paper else ""
        if paper and outlet:
            # "How did the paper describe the country's military?" after a question citing the Wall Street
            # Journal: the Journal; "the first paper" is the one the conversation cited first.
            with_outlet = question[:paper.start()] + outlet + question[paper.end():]
            return self._rewrite(with_outlet, last, own, earlier) or with_outlet
        bare = _BARE_WH.match(question)
        if bare and earlier and _ASKS_NAME.match(last.resolved):
            # "What was the name of the market?" then "when?": when the event asked about before it
            # happened, not "when was the name of the market".
            return self._rewrite(question, earlier[-1], own, earlier[:-1])
        if bare:  # "why?", "when?", "how many?": the last question, asked that way
            answered = _answer_in_place(last)
            if answered:  # "Who led the coup?" -> "Tchiani", "why?": why did *Tchiani* lead it, not "who"
                return f"{bare.group(1).lower()} {answered}?"
            asked = _HEDGE.sub("", last.resolved)
            head, composed, context = asked.partition(": ")
            if composed and not _HEAD_CLAUSE.search(head):
                # "From how many airbases: When did US operations resume ...?" then "why?": the head is a
                # wh-phrase alone, so "why" asks of the question after it ("why did US operations resume").
                asked = _HEDGE.sub("", context)
            # "According to Macron, what was the ambassador living on?" then "why?": the scene set before
            # the question goes after it ("why was the ambassador living on, according to Macron?").
            scene = _SCENE_LEAD.match(asked) if ": " not in asked else None
            if scene:
                asked = _HEDGE.sub("", scene.group(2))
            lead, aux, body = _question_body(asked)
            count_of = _COUNTED_SUBJECT.match(lead)
            if count_of and aux.lower() in _BE_HAVE and _lacks_subject(body):
                # "How many people were killed in the attacks?" then "where?": where were *people* killed;
                # the counted noun is the clause's subject, not part of the asking.
                body = f"{count_of.group(1)} {body}"
            event = _WHEN_CLAUSE.search(body) if bare.group(1).lower() == "when" else None
            if event:
                # "How many died when the army shelled a market?" then "when?": when the army shelled it.
                return f"when {event.group(1)}?"
            led = _PREP_LEAD_PHRASE.match(_strip_end(asked))
            if led and body == _strip_end(asked):
                # "Near which small Florida community did Idalia make landfall?" then "when?": "when did
                # Idalia make landfall", not "when did Near which ...". (Adding "near <the answer's
                # place>" was measured: one held-out follow-up lost, none gained.)
                aux, body = led.group(2), led.group(3)
            # Not after a composed "question: context" (its parts are two questions, not one clause).
            clause = None if ": " in asked else _CLAUSE_AFTER_WH.match(_strip_end(asked))
            # "How far south-west of Marrakech did the quake hit?": a "how" of a measure no rule knows
            # leaves its words before the auxiliary in the body ("far south-west of Marrakech did ...").
            if clause and (body == _strip_end(asked) or _WH_INSIDE.search(body)
                           or (lead.lower() == "how" and not aux)):
                # "From which US trade scheme did Biden drop Gabon?" then "why?": "why did Biden drop Gabon",
                # not "why did US trade scheme did ..."; the wh-phrase ends at its first auxiliary.
                aux, body = clause.group(1), clause.group(2)
            if not body:
                return None
            if not aux and lead.lower() in ("who", "what", "which", "how many", "how much"):
                # "Who led the coup?" unanswered, then "why?": its wh-word is the clause's subject, so no
                # clause stands without it ("why did led the coup"); the question is asked whole instead.
                return f"{bare.group(1).lower()}: {_strip_end(asked)}?"
            aux = aux or "did"
            said_where = f", {_lowered_lead(scene.group(1))}" if scene else ""
            return f"{bare.group(1).lower()} {aux} {_strip_end(body)}{said_where}?"
        about = _WHAT_ABOUT.match(question) or _AND_X.match(question)
        if about:
            rest = about.group(1)
            asked_of = _ABOUT_THEN_ASK.match(rest) if about.re is _WHAT_ABOUT else None
            if asked_of:
                # "What about Germany - what did it accuse them of?": the question, with X for its pronoun.
                return self._asked_of(asked_of.group(1), asked_of.group(2), last, earlier)
            if about.re is _AND_X and (_LEAD.match(_HEDGE.sub("", rest)) or _LEAD_PHRASE.match(rest)
                                       or _SCENE_THEN_ASK.match(rest)):
                # "and what did Russia say?", "and roughly how many came?", "and on which day was the
                # moon closest?": its own question
                resolved = self._pronouns(rest, last, earlier)
                if resolved is None and not own and not topic_of(rest) and not last.topic:
                    # "And how many were taken to hospital?": no subject of its own, so the last one's.
                    return _about_last(rest, last) or rest
                return _with_topic(resolved or rest, last)
            if _TIME_PHRASE.fullmatch(rest):
                # "What about by Thursday 28 September?": the last question at that time.
                return _replace_time(last.resolved, rest)
            when = _TIME_PHRASE.search(rest)
            if when and set(re.findall(r"[a-z]+", (rest[:when.start()] + rest[when.end():]).lower())) <= _ONLY_WHEN:
                # "What about the next day, 10 August?": the day is what changes.
                day = when.group(0)
                return _replace_time(last.resolved, day if re.match(r"(?:on|by|until|before|after|since|in|from)\b",
                                                                    day, re.I) else f"on {day}")
            told = re.match(r"according to\s+(.+)$", rest, re.I)
            if told:  # "what about according to the Guardian?": the last question, by the Guardian
                return _replace_source(last, told.group(1))
            property_of = re.match(r"the\s+([a-z]+)\s+of\b", rest)
            if property_of and property_of.group(1) in _NOT_THINGS and not names_in(rest):
                # "and the name of the fire?": a question of its own, on the last one's topic (not
                # "what about the quake of 11 October?", which asks the last question of another quake)
                return _with_topic(f"what is {rest}?", last)
            given = re.match(_A_FIGURE.pattern + r"(?:\s+(?:given|reported|released|put out|used))?"
                             r"\s+(?:by|from)\s+(.+)$", rest, re.I)
            if given:  # "What about the figure given by the governor?": the last question, by the governor
                if re.search(r"\baccording to\b", last.resolved, re.I):
                    return _replace_source(last, given.group(1))
                return f"{_strip_end(last.resolved)}, according to {given.group(1)}?"
            if _A_FIGURE.match(rest) and not _OWNED.match(rest):
                # "What about the number displaced, according to Arab News?": a figure of its own, on the
                # last question's topic; not a subject to put in the place of the last one's.
                return _with_topic(f"what was {rest}?", last)
            old_place = _PLACE_PHRASE.search(last.resolved) if _LOCATIVE.match(rest) else None
            if old_place:  # "and across Canada as a whole?": the last question somewhere else
                return last.resolved[:old_place.start()] + rest + last.resolved[old_place.end():]
            owned = _OWNED.match(rest)
            if owned and owned.group(1)[:1].isupper() and _has_word(rest, _FIGURE_WORDS):
                # "What about Fox News' death count?": the last question, by that outlet or speaker.
                return _replace_source(last, owned.group(1))
            if owned and not owned.group(1)[:1].isupper():
                # "and the aftershock's magnitude?": a question of its own, on the last one's topic
                return _with_topic(f"what was {rest}?", last)
            if re.match(r"(?:his|her|their|its)\b", rest, re.I) or _has_word(rest, PERSON_PRONOUNS):
                # "And his profession?", "and the year he died?": asked of the one the pronoun means,
                # not put in the last question's subject's place.
                return self._pronouns(f"what is {rest}?", last, earlier)
            same_kind = _replace_same_kind(last.resolved, rest)
            if same_kind:  # "what about the rebel attack in the south-west?" after one on another attack
                return same_kind
            return _replace_subject(last, rest)  # "what about Russia?", "and Russia?"
        one = _ONE_OF_KIND.search(question)
        counted = (_counted(last.resolved) or _plural_noun(last.resolved)) if one else ""
        if one and counted:
            # "How many drone attacks had Russia launched on the port?" then "Who was hurt in the latest
            # one?": the latest drone attack on the port.
            question = question[:one.start(1)] + _singular(counted.removeprefix("the ")) + question[one.end(1):]
            return _with_topic(self._pronouns(question, last, earlier) or question, last)
        return self._pronouns(question, last, earlier)

    def _asked_of(self, subject: str, question: str, last: Turn, earlier: tuple[Turn, ...]) -> str:
        """A question asked of a new subject ("Germany", "in Qatar"): its first pronoun is that subject;
        any other pronoun is resolved against the conversation as usual."""
        question = f"{_strip_end(question)}?"
        if _LOCATIVE_LEAD.match(subject) and re.search(r"\bthere\b", question, re.I):
            # "What about in Qatar - whom did he meet there?": there is Qatar; he is still who he was.
            asked = re.sub(r"\bthere\b", subject, question, count=1, flags=re.I)
        else:
            pronoun = re.search(r"\b(he|she|it|they|his|her|its|their)\b", question, re.I)
            if not pronoun:
                return _with_topic(f"{_strip_end(question)}, {subject}?", last)
            word = pronoun.group(1).lower()
            owns = word in ("his", "its", "their") or (word == "her" and _before_noun(pronoun))
            owned = _possessive(subject) if owns else subject
            asked = question[:pronoun.start()] + owned + question[pronoun.end():]
        return self._pronouns(asked, last, earlier) or _with_topic(asked, last)

    def _pronouns(self, question: str, last: Turn, earlier: tuple[Turn, ...] = ()) -> str | None:
        """The question with its pronouns replaced by what they refer to, or None if it has none."""
        told = _TOLD_IT.search(question)
        if told and not _has_word(question[:told.start()] + question[told.end():], _PRONOUN_WORDS):
            # "Who announced it?", "Which union reported it?": "it" is the news the last question asked
            # about, not a thing it named.
            return _about_last(question, last)
        # "Which power company ...?" then "its shares": the answer's name is what "it" is.
        # "Whom did the State Department order out?" then "did it close?": "it" is no one a who-question found.
        entity = last.answer_names[0] if _asks_for_entity(last.resolved) and last.answer_names \
            and not re.match(r"^\s*(?:who|whom)\b", last.resolved, re.I) else ""
        # "It" is never a person: an answer naming one did not give the programme or company asked for.
        # "Trudeau" when the answer also named "Justin Trudeau" is the person, not a thing.
        misfit = _person_like(entity, last.answer_names) or _adjectival(entity) \
            or (_is_place(entity) and not _asks_place(last.resolved))
        thing_entity = "" if entity and misfit else entity
        # "Which three countries signed a pact?" then "what is it called?": "it" is not the
        # countries, it is the pact; "they" would be the countries. Number decides.
        plural = _which_plural(last.resolved)
        own_names = names_in(question)
        gender = pronoun_gender(question)
        # "Did he think ...?" resolved to Mahamadou: "he" next is Mahamadou still, unless the last
        # question asked who someone was (then its answer is who the talk is about).
        same = _what_it_was(last, _HE if gender == "m" else _SHE) if gender and not _asks_who(last.resolved) else ""
        named_here = {w for name in own_names for w in name.split()}
        person = (same if same and same.split()[-1] not in named_here else "") or _person_of(last, gender, own_names)
        place = _place_of(last, earlier)
        subject = "" if _is_place(last.subject) or _adjectival(last.subject) else last.subject
        # Unanswered, "which US trade programme ...?" still says what "it" is: the programme.
        asked = _which_noun_phrase(last.resolved)
        # A which-phrase asking for a person ("which UK Home Secretary") is "she", never "it".
        asked_thing = "" if _asks_who(last.resolved) else asked
        # "How many hectares had it burned?" resolved to Donnie Creek: "it" next is Donnie Creek still.
        # ... unless it was what spoke ("did it say") and now is not: "its drone base" is no outlet's.
        kept = "" if _IT_SAYS.search(last.question) and not _IT_SAYS.search(question) else _what_it_was(last)
        # "How many of its buildings were destroyed?" after a question on Derna: a place has buildings.
        owned = re.search(r"\bits\s+(\w+)(?:\s+(\w+))?", question, re.I)
        place_owner = _place_asked_in(last) if owned and any((w or "").lower() in _PLACE_PARTS
                                                             for w in owned.groups()) else ""
        # "How fast did it say the economy grew?" after "according to a Guardian editorial": what
        # says is the outlet the last question cited (an entity the last answer named comes first).
        # "What did Niger's new regime say ...?" then "What did it say ...?": the regime, before any outlet cited.
        speaker = (_body_speaking(last.resolved) or _speaker_of(last.question)) if _IT_SAYS.search(question) else ""
        # "What was its name?" after "when the army shelled a market in Omdurman": what a question
        # brought in with "a" has a name yet to be given; the army, named already, has none to ask.
        unnamed = _unnamed_thing(last.resolved) if _ASKS_ITS_NAME.search(question) else ""
        # "... describe Nigeria's military?" then "and its population?": Nigeria's, not the military's.
        place_owning = _place_owning_in(last) if owned and any((w or "").lower() in _PLACE_PARTS
                                                               for w in owned.groups()) else ""
        # "What about the EU?" then "What did its foreign policy chief say?": the EU, the subject put in.
        switched = _switched_to(last)
        thing = place_owner or unnamed or (thing_entity if plural is not True else "") or speaker or kept \
            or switched or place_owning or (asked_thing if plural is not True else "") \
            or _thing_phrase(last.resolved) or _fits_it(_last_noun_phrase(_without_outlet(last.resolved))) \
            or subject or _first_noun_name(last.resolved) or last.subject
        # "How many mines does Orano have?" then "how many of them operate?": "them" is the mines.
        # "They" acts: the last question's subject ("How many days did ECOWAS give?" "What did
        # they close?"); "them" is acted on: what was counted ("how many of them operate?").
        # A place the last question asked for is "there", never "they" ("Which crossing opened?" "Rafah").
        plural_entity = entity if plural is not False and not _asks_place(last.resolved) \
            and not (entity and _ends_with_place(entity.split())) else ""
        counted = _counted(last.resolved) or (asked if plural else "") or _plural_noun(last.resolved)
        # What "it" stood for last time is one thing, never "they": "Which state is it (Nyala) the capital
        # of?" then "what did they take there?" asks about who took Nyala.
        one_thing = _what_it_was(last)
        # A people's adjective ("British" of "British and foreign nationals") is no one who acts.
        actor = "" if not last.subject or _ends_with_place(last.subject.split()) or _personal_name(last.subject) \
            or last.subject == one_thing or _is_demonym(last.subject) else last.subject
        # ... they are then the plural body an earlier question was about ("the Rapid Support Forces").
        earlier_body = "" if actor or not one_thing else next(
            (_with_article(t.subject) for t in reversed(earlier)
             if t.subject and _looks_plural(t.subject.split()[-1]) and not _ends_with_place(t.subject.split())), "")
        before = next((g for t in reversed(earlier) for g in (_counted(t.resolved), _plural_noun(t.resolved)) if g), "")
        # One person is never "they" (nor "them"): "how long did they hold him?" asks who held him.
        not_one = "" if _personal_name(last.subject) or last.subject == one_thing or _is_demonym(last.subject) \
            or (last.subject and _ends_with_place(last.subject.split())) else last.subject
        # "Which official was arrested by Niger's junta?" ... "how long did they hold him?": the junta.
        agent = next((a for t in (last, *reversed(earlier)) if (a := _agent(t.resolved))), "")
        # "How many people are they hurting?" resolved to the measures: "call them" next is the measures.
        they_were = _what_it_was(last, GROUP_PRONOUNS) if not _asks_for_entity(last.resolved) else ""
        people_named = _people_plural(last.resolved)  # "getting Americans out": "a handful of them"
        doer = _plural_doer(last.resolved)
        group = they_were or plural_entity or doer or actor or earlier_body or counted or people_named \
            or not_one or agent or _many(_last_noun_phrase(last.resolved)) or before
        acted_on = they_were or plural_entity or counted or doer or people_named or not_one \
            or _many(_last_noun_phrase(last.resolved)) or before
        people: tuple[tuple[tuple[str, ...], str, set[str]], ...] = ((PERSON_PRONOUNS, person, {"his", "hers", "her"}),)
        if _has_word(question, _HE) and _has_word(question, _SHE):
            # "where was she when he was detained?": two people, each found by their own first name.
            he = _person_of(last, "m", own_names)
            people = ((_HE, he, {"his"}), (_SHE, _person_of(last, "f", [*own_names, he]), {"hers", "her"}))
        out, used = question, False
        if unnamed:  # "the market in Omdurman's name" reads as "the name of the market in Omdurman"
            out = re.sub(r"\bits\s+name\b", "the name of it", out, flags=re.I)
        met = _THEY_MET.search(out)
        pair = _two_people(own_names, last) if met else ""
        if met and pair:
            # "How did Bazoum look when they met?" after a question on the envoy: they are the two.
            out, used = out[:met.start(1)] + pair + out[met.end(1):], True
        those = _THOSE.search(out)
        if those and acted_on:
            # "What share of those were out of control?": those are what the last question counted.
            out, used = out[:those.start(1)] + acted_on + out[those.end(1):], True
        for words, referent, possessive in (
            *people,
            (_ACTED_ON, acted_on, set()),
            (tuple(w for w in GROUP_PRONOUNS if w not in _ACTED_ON), group, {"their", "theirs"}),
            (THING_PRONOUNS, thing, {"its"}),
            (PLACE_PRONOUNS, place, set()),
        ):
            if not referent or not _has_word(out, words):
                continue

            def swap(match: re.Match[str], referent: str = referent, possessive: set[str] = possessive) -> str:
                word = match.group(1).lower()
                if word in ("himself", "herself", "itself", "themselves"):
                    return referent
                if word == "there":
                    return f"in {referent}"
                if word == "her" and not _before_noun(match):
                    return referent  # "when did they free her?", "did they give her a visa?"
                return _possessive(referent) if word in possessive else referent

            out = re.sub(r"\b(" + "|".join(words) + r")\b", swap, out, flags=re.I)
            out = re.sub(r"\b(from|to|near|around|out of) in\s+", r"\1 ", out)  # "from there": "from Agadir"
            used = True
        if not used:
            return None
        return _with_topic(out, last)


_PREPOSITIONS = r"(?:in|on|at|by|from|to|near|across|during|since|until)"
_DOUBLED_ARTICLE = re.compile(r"\b(the)\s+the\b", re.I)  # "did the the Telegraph call": "the" once
_DOUBLED_PREPOSITION = re.compile(rf"\b{_PREPOSITIONS}\s+(?={_PREPOSITIONS}\s)", re.I)


def _without_doubled_prepositions(resolved: str, question: str, last: Turn) -> str:
    """A rewrite with a preposition it put before another said once: "What about in a whole normal year?"
    put where "Palm Springs" stood gives "in in", which says "in" once.

    Only a pair the rewrite made: "returned from on the day" is the user's own words (now, or in the
    question before that "When?" asks again), and so is the preposition a question ends with ("Where had
    it flown from?", then the last question's place).
    """
    written = f"{question} {last.resolved}".lower()
    stranded = re.search(r"(\w+)\W*$", question)

    def said_once(match: re.Match[str]) -> str:
        first = match.group(0).strip().lower()
        following = re.match(r"\w+", resolved[match.end():])
        pair = f"{first} {following.group(0).lower() if following else ''}"
        users = pair in written or (stranded is not None and first == stranded.group(1).lower())
        return match.group(0) if users else ""

    return _DOUBLED_PREPOSITION.sub(said_once, resolved)


def _before_noun(match: re.Match[str]) -> bool:
    """Whether the word after a match is a noun it owns ("her city"), not a preposition, an article
    or the question's end ("her with", "her a visa", "her?")."""
    following = re.match(r"\s+([A-Za-z][\w'’-]*)", match.string[match.end():])
    return following is not None and following.group(1).lower() not in STOPWORDS


def _possessive(referent: str) -> str:
    """"the junta's", and for a plural "Niger's coup leaders'" (not "leaders's")."""
    last = referent.split()[-1] if referent.split() else ""
    plural = _looks_plural(last) and not last.endswith(("'s", "’s")) and len(last) > 3
    return f"{referent}'" if plural else f"{referent}'s"


def _looks_plural(word: str) -> bool:
    """Whether a word ends like an English plural ("leaders", "protesters"; not "press", "virus", "Paris")."""
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


# "they" doing what takes two: "when they met", "did they speak".
_THEY_MET = re.compile(r"\b(they)\s+(?:(?:first|last|finally|later)\s+)?(?:met|meet|meeting|spoke|speak|talked|talk"
                       r"|negotiated|shook hands)\b", re.I)


def _switched_to(last: Turn) -> str:
    """The body or place a "What about X?" / "And X?" turn switched to, as the user wrote it ("the EU"), "" if it
    asked about a person, a people or something that is no name."""
    about = _WHAT_ABOUT.match(last.question) or _AND_X.match(last.question)
    phrase = about.group(1) if about else ""
    names = names_in(phrase)
    if not names or len(phrase.split()) > MAX_SWITCHED_WORDS or _has_word(phrase, _WH_WORDS) \
            or any(_personal_name(n) or _is_demonym(n) for n in names):
        return ""
    return phrase


MAX_SWITCHED_WORDS = 4  # "the African Union": longer is a question of its own, not a subject put in


def _with_article(name: str) -> str:
    """ "the Rapid Support Forces" for a body named in the plural; other names as they are."""
    return name if name.lower().startswith("the ") or not _looks_plural(name.split()[-1]) else f"the {name}"


def _two_people(own_names: list[str], last: Turn) -> str:
    """"A and B": a person the question names and the one the conversation is about, or the last
    question's person and the one its answer named; "" unless there are two."""
    here = [p for p in map(_personal_name, own_names) if p] or [n for n in own_names if _person_like(n, ())]
    before = [p for p in (_full_name(n, []) for n in names_in(last.resolved)) if p]
    people: list[str] = []
    for person in (*here, *_people_of(last), *before):
        if person and all(person.split()[-1] != p.split()[-1] for p in people):
            people.append(person)
    return " and ".join(people[:2]) if len(people) >= 2 else ""


MAX_REFERENT_WORDS = 8


def _what_it_was(last: Turn, pronouns: tuple[str, ...] = ("it", "its")) -> str:
    """What "it" or "its" (or `pronouns`) in the last question was resolved to ("the business jet"), "" if none.

    A thing is never a person's name; a person ("he") is only one.
    """
    question = re.sub(r"^\s*(?:and|so|but)\s+", "", last.question, flags=re.I)  # "And how many ...?"
    pronoun = re.search(r"\b(" + "|".join(pronouns) + r")\b", question, re.I)
    if not pronoun or last.resolved == last.question:
        return ""
    before, after = question[:pronoun.start()], question[pronoun.end():]
    if not last.resolved.lower().startswith(before.lower()):
        return ""  # an earlier pronoun was replaced too: not worth untangling
    tail = re.match(r"\s*[\w'’-]+", after)
    end = last.resolved.find(tail.group(0), len(before)) if tail else len(_strip_end(last.resolved))
    # "the nationals' UK visas": the referent without its possessive ending, "'s" or a plural's "'".
    referent = re.sub(r"['’]s$|(?<=s)['’]$", "", last.resolved[len(before):end].strip()) if end > len(before) else ""
    if not referent or len(referent.split()) > MAX_REFERENT_WORDS or _has_word(referent, _PRONOUN_WORDS):
        return ""
    person = _personal_name(referent) if referent[:1].isupper() else ""
    if "it" in pronouns or "they" in pronouns:
        return "" if person else referent
    # "Mahamadou" alone was "he" last time: a single word is a person here when it is no place.
    lone = len(referent.split()) == 1 and referent[:1].isupper() and _is_person(referent) and not _is_place(referent)
    return person or (referent if lone else "")


# "did it say", "what did it call Niger": "it" speaks, so it is an outlet, a body or a report.
_IT_SAYS = re.compile(r"\bit\s+(?:say|says|said|call|calls|called|claim|claims|claimed|describe|describes|described"
                      r"|report|reports|reported|write|writes|wrote|argue|argues|argued|estimate|estimates|estimated"
                      r"|warn|warns|warned|add|added|note|noted|predict|predicted)\b", re.I)
# Who a question says speaks: "according to a Guardian editorial", "How did the Financial Times describe".
_CITED = re.compile(r"\b(?i:according to)\s+(?i:an?\s+|(the)\s+)?"
                    r"((?:[A-Z][\w.'’-]*\s+(?:(?:of|for)\s+)?)*[A-Z][\w.'’-]*"
                    r"(?:\s+(?:editorial|report|article|analysis|story|newsletter|column|op-ed|survey|study))?)")
_SPEAKS = re.compile(r"\b(?:did|does|do)\s+(?:(the)\s+)?((?:[A-Z][\w.'’-]*\s+(?:(?:of|for)\s+)?)*[A-Z][\w.'’-]*)"
                     r"\s+(?:say|describe|call"
                     r"|report|write|claim|estimate|warn|put|characteri[sz]e)\b")


# "did Niger's new regime say", "did the junta announce": a body, named by its noun, that speaks.
_BODY_SPEAKS = re.compile(r"\b(?:did|does|do)\s+((?:the\s+)?(?:[A-Z][\w'’-]*['’]s\s+)?(?:[a-z][\w-]*\s+){0,2}?"
                          r"[a-z][\w-]*)\s+(?:say|describe|call|claim|warn|announce|report)\b")


_WH_WORDS = frozenset(("what", "which", "who", "whom", "whose", "when", "where", "why", "how"))


def _body_speaking(question: str) -> str:
    """The body a question has speaking, named by a noun ("Niger's new regime"), "" if none or a pronoun."""
    found = _BODY_SPEAKS.search(question)
    if not found:
        return ""
    words = found.group(1).split()
    if any(w.lower() in _PRONOUN_WORDS or w.lower() in _WH_WORDS for w in words) or not _looks_noun(words[-1]):
        return ""
    return found.group(1)


def _looks_noun(word: str) -> bool:
    """A head noun, not an adjective or adverb left at a phrase's end ("new", "also")."""
    return word.lower() not in STOPWORDS and not word.lower().endswith(("ly", "ed")) and len(word) > 2


def _speaker_of(question: str) -> str:
    """The outlet or body a question, as asked, cites or has speaking ("the Guardian editorial"), "" if none.

    As asked: an outlet a rewrite carried in from further back is not who the user means by "it".
    """
    found = _CITED.search(question) or _SPEAKS.search(question)
    name = found.group(2) if found else ""
    if not name or _personal_name(" ".join(w for w in name.split() if w[:1].isupper())):
        return ""
    # "Reuters" alone; "the Guardian editorial", "the Intercept" with their article.
    return f"the {name}" if found and (found.group(1) or " " in name) else name


# "the country", "the country's population": the country the conversation is about.
_THE_COUNTRY = re.compile(r"\bthe\s+country(['’]s)?(?![\w-])", re.I)


def _country_named(turns: tuple[Turn, ...]) -> str:
    """The country the latest turn named (its question first, then its answer), "" if none: a people's
    adjective or a capital is not one."""
    from .lexicon import places

    world = places()
    for turn in reversed(turns):
        for name in (*names_in(turn.resolved), *turn.answer_names):
            words = tuple(w.lower() for w in re.findall(r"[\w'’-]+", name))
            term = world.words.get(words[0]) if len(words) == 1 else world.phrases.get(words)
            if term and term not in world.regions and not _is_demonym(name):
                return name
    return ""


# "the paper", "the first paper", "the same newspaper": an outlet the conversation cited.
_THE_PAPER = re.compile(r"\bthe\s+(?:(first|second|same|latest|last)\s+)?(?:paper|newspaper|outlet|publication"
                        r"|broadcaster|magazine)\b(?!\s+(?:mill|industry|trail|money))", re.I)


def _outlet_cited(question: str) -> str:
    """The outlet a question cites or has speaking, as it wrote it ("the Daily Mail", "Reuters"), "" if none or a
    person ("according to Joe Biden")."""
    found = _CITED.search(question) or _SPEAKS.search(question)
    if not found or is_given_name(found.group(2).split()[0]):
        return ""
    return f"the {found.group(2)}" if found.group(1) else found.group(2)


def _outlet_meant(paper: re.Match[str], turns: tuple[Turn, ...]) -> str:
    """The outlet "the paper" means: the one the conversation cited last, or first ("the first paper"),
    or second; "" when no turn cited one."""
    cited = list(dict.fromkeys(filter(None, (_outlet_cited(t.question) or _outlet_cited(t.resolved) for t in turns))))
    cited = [c for c in cited if not _THE_PAPER.search(c)]
    order = (paper.group(1) or "").lower()
    if not cited or (order == "second" and len(cited) < 2):
        return ""
    return cited[0] if order == "first" else cited[1] if order == "second" else cited[-1]


def _people_plural(question: str) -> str:
    """A people a question names in the plural ("getting Americans out": "the Americans"), "" if none."""
    for word in re.findall(r"\b([A-Z][a-z]+s)\b", question):
        if _is_demonym(word[:-1]) or _is_demonym(word):
            return f"the {word}"
    return ""


# "reported it", "announced it": what is told is an event or a figure, never a country or a company.
_TOLD_IT = re.compile(r"\b(?:reported|announced|confirmed|denied|revealed|disclosed|ordered|declared|claimed"
                      r"|condemned|criticised|criticized|blamed|described)\s+it\b", re.I)


# A question asking for its grammatical subject: "Who declared himself leader?", "Which president was
# detained?". "Who did the junta appoint?" asks for an object, and is left alone.
_WHO_SUBJECT = re.compile(r"^\s*who\s+(?:(is|are|was|were|has|have|had)\s+)?(?!(?:did|does|do)\b)(.+?)\s*[?.!]*\s*$",
                          re.I)
# "Which Maui official defended the decision?": no auxiliary, the first past-tense word is the verb.
_WHICH_DOER = re.compile(r"^\s*which\s+(?:[\w'’.-]+\s+){1,4}?([a-z]+ed)\s+(.+?)\s*[?.!]*\s*$", re.I)
_WHICH_SUBJECT = re.compile(r"^\s*which\s+(?:[\w'’,-]+\s+){1,7}?(is|are|was|were|has|have|had)\s+(.+?)\s*[?.!]*\s*$",
                            re.I)


def _answer_in_place(last: Turn) -> str:
    """The last question with the name its answer gave in place of its who/which phrase, "" if none.

    "Which Nigerien president was detained by his guard?" answered "Mohamed Bazoum" gives
    "was Mohamed Bazoum detained by his guard"; "Who declared himself leader?" answered
    "Abdourahamane Tchiani" gives "was it that Abdourahamane Tchiani declared himself leader".
    """
    who = _WHO_SUBJECT.match(last.resolved)
    which = None if who else _WHICH_SUBJECT.match(last.resolved)
    doer = None if who or which else _WHICH_DOER.match(last.resolved)
    if doer and last.answer_names and not doer.group(1)[:1].isupper():
        return f"was it that {last.answer_names[0]} {doer.group(1)} {doer.group(2)}"
    if who:
        names = [p for p in map(_personal_name, last.answer_names) if p]
    elif which:
        names = list(last.answer_names)
    else:
        return ""
    if not names:
        return ""
    aux, rest = (who or which).group(1), (who or which).group(2)  # type: ignore[union-attr]
    first = rest.split()[0] if rest.split() else ""
    if first[:1].isupper() or (aux and aux.lower() in ("has", "have", "had")
                               and first.lower() in ("the", "a", "an", "his", "her", "its", "their")):
        # "Which unit had Tchiani commanded?": a name after the verb is the subject, so the
        # which-phrase is the object and the answer's name does not go in its place.
        return ""
    return f"{aux.lower()} {names[0]} {rest}" if aux else f"was it that {names[0]} {rest}"


# Besides roles, the nouns that only a person is by relation or trade: "which close ally of Bazoum".
_ASKS_PERSON = re.compile(r"^\s*(?:who|whom|which\s+(?:[\w'’.-]+\s+){0,4}?(?:"
                          + "|".join((*PERSON_NOUNS, *ROLE_WORDS)) + r")s?)\b", re.I)


# A head noun only a person is ("the spokesman", "the father"): never what "it" is.
_PERSONISH = re.compile(r"^(?:" + "|".join(ROLE_WORDS) + r"|man|woman|men|women|father|mother|son|daughter|wife"
                        r"|husband|boy|girl|child|person|people)$", re.I)


def _asks_who(question: str) -> bool:
    """Whether the question asks for a person: who, or which official, congresswoman, US president..."""
    return bool(_ASKS_PERSON.match(question))


def _asks_for_entity(question: str) -> bool:
    """Whether the question asks for a name: who, or which company, hurricane, country..."""
    return bool(_WHICH_LEAD.match(question)) or \
        bool(re.match(r"^\s*(who|whom|whose|what (company|organi[sz]ation|group|agency|country|city|town"
                      r"|storm|hurricane|party|bank|firm))\b", question, re.I))


def _which_noun_phrase(question: str) -> str:
    """What a which-question asks for, as "the ..." ("From which US trade programme did ...?": "the US trade
    programme"); "" for "which of ..." and questions without "which" near the start."""
    match = _WHICH_LEAD.match(question)
    if not match:
        return ""
    window = _which_window(match.group(1))
    if not window or window[0].lower() == "of" or any(w.lower() in QUESTION_WORDS for w in window):
        return ""
    owner = next((i for i, w in enumerate(window) if re.search(r"[’']s$", w)), None)
    if owner is not None:  # "which mineral's exports": the mineral
        window = [*window[:owner], re.sub(r"[’']s$", "", window[owner])]
    return "the " + " ".join(window)


_BY_AGENT = re.compile(r"\b(?:was|were|been|being)\s+[a-z]+(?:ed|en)\s+by\s+((?:the\s+)?(?:[\w'’-]+\s+){0,2}?[\w'’-]+?)"
                       r"(?=\s+(?:in|on|at|after|during|for|with|since|over|amid|before|when)\b|\s*[?.,!]|\s*$)")


# "In which capital did thousands of protesters clash ...?": a plural noun phrase doing the verb.
_PLURAL_DOER = re.compile(r"\b(?:did|do|have|had|were|are)\s+((?:[a-zA-Z][\w'’-]*\s+){0,4}?[a-zA-Z][\w-]*[^s\W]s)"
                          r"\s+(?!of\b)[a-z]")


_QUANTIFIERS = frozenset(("these", "those", "some", "many", "several", "all", "around", "about", "nearly", "almost",
                          "over", "more", "most", "few", "hundreds", "thousands", "dozens", "tens", "millions"))


def _plural_doer(question: str) -> str:
    """The plural common noun phrase a question's verb is done by ("thousands of protesters"), "" if none.

    "They" next is that phrase, before the question's main name ("What did they throw?" asks what
    the protesters threw, not Karabakh).
    """
    match = _PLURAL_DOER.search(question)
    if not match:
        return ""
    words = match.group(1).split()
    if any(w in _PRONOUN_WORDS or w in QUESTION_WORDS for w in words) or words[-1] in _NOT_PLURAL_NOUNS \
            or words[-1].endswith(("us", "is", "ous")):
        return ""
    # "members" is "the members" by the follow-up; "thousands of protesters" stays as said.
    # ... and "Niger's coup leaders", "eastern Libya's authorities" have their owner for an article.
    determined = words[0] in _NP_OPENERS or words[0] in _QUANTIFIERS or words[0][:1].isdigit() \
        or (words[0].endswith("s") and len(words) > 1 and words[1] == "of") \
        or any(re.search(r"[’']s$", w) for w in words)
    return match.group(1) if determined else "the " + match.group(1)


def _agent(question: str) -> str:
    """Who did what a passive question asks about ("arrested by Niger's junta": "Niger's junta"), "" if none."""
    match = _BY_AGENT.search(question)
    return match.group(1) if match and not _has_word(match.group(1), _PRONOUN_WORDS) else ""


def _counted(question: str) -> str:
    """What a how-many question counts ("How many mines does Orano have": "the mines"), "" if none."""
    match = re.match(r"^\s*(?:[\w'’-]+\s+){0,3}?how many\s+(?:of\s+(?:the\s+)?)?((?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*)",
                     question, re.I)
    if not match:
        return ""
    words = match.group(1).split()
    # "British and foreign nationals": "and" between two adjectives joins them; elsewhere it ends the noun.
    cut = next((i for i, w in enumerate(words) if (_WHICH_WINDOW_END.match(w.lower()) or w.lower() in STOPWORDS)
                and not (w.lower() in ("and", "or") and 0 < i < len(words) - 2 and words[i - 1][:1].isupper())),
               len(words))
    return "the " + " ".join(words[:cut]) if cut else ""


_NOT_PLURAL_NOUNS = frozenset("""
is was has does this its his hers yours ours theirs always sometimes perhaps towards afterwards across less
unless thus news series species whereas
""".split())


# "dozens of its young men", "thousands of protesters": a vague count, then what it counts.
_VAGUE_COUNT_OF = re.compile(r"\b(?:dozens|hundreds|thousands|millions|scores|tens)\s+of\s+"
                             r"(?:(?:its|their|the|his|her)\s+)?((?:[a-z][\w-]*\s+)?(?:men|women|children|people|[a-z][\w-]*s))\b")


def _plural_noun(question: str) -> str:
    """The first plural common noun of a question ("had members stranded": "the members"), "" if none."""
    counted = _VAGUE_COUNT_OF.search(question)
    if counted:  # "lost dozens of its young men": they are the young men, not "the dozens"
        return f"the {counted.group(1)}"
    for word in re.findall(r"(?<![\w'’-])([a-z][a-z-]{2,}s)\b", question):
        if word not in _NOT_PLURAL_NOUNS and _looks_plural(word) \
                and word not in QUESTION_WORDS and word not in VAGUE_FILLER and word not in _SPANS:
            return f"the {word}"
    return ""


# Heads that never say what "it" is: "at the end of October", "before the one in July".
_TIME_HEADS = frozenset((*TIME_WORDS, "time", "night", "morning", "evening", "weekend", "year", "years", "one", "ones"))


def _last_noun_phrase(question: str) -> str:
    """The question's last "the ..." (or "a ...") phrase before a preposition ("the famous banyan tree").

    "a mutual defence pact" is carried as "the mutual defence pact": by the follow-up it is known.
    """
    phrases = re.findall(r"\b(?:the|an?)\s+((?:[\w'’-]+\s+){0,4}?[\w'’-]+?)(?=\s+(?:in|on|at|of|for|to|from|by|with"
                         r"|after|before|during|over|about|was|is|were|are|had|has|and|or|but)\b|\s*[?.!]*\s*$)",
                         question, re.I)
    # "at the end of October" is when, not what "it" is.
    phrases = [p for p in phrases if p.split()[-1].lower() not in _TIME_HEADS]
    return f"the {phrases[-1]}" if phrases else ""


# Bodies of people that "they" may be though the noun is singular: "the junta", "the government".
_COLLECTIVES = frozenset(("junta", "government", "administration", "regime", "military", "team", "family", "crew",
                          "opposition", "authorities", "leadership", "cabinet", "parliament", "board", "public"))


def _many(phrase: str) -> str:
    """A noun phrase "they" can be: a plural ("the protesters") or a body ("the junta"); else ""."""
    head = phrase.split()[-1].lower() if phrase else ""
    return phrase if _looks_plural(head) or head in _COLLECTIVES or head in INSTITUTION_WORDS else ""


# Nouns that say what is asked about a thing, never the thing "it" is: "the name of the charter".
_NOT_THINGS = frozenset(("name", "kind", "type", "sort", "number", "part", "rest", "size", "cause", "date", "way",
                         "height", "length", "age", "value", "cost", "price", "population", "area", "depth"))
# A measure "of" a thing ("the magnitude of the earthquake"): "it" next is the earthquake. Alone, the
# measure may be the thing itself ("the death toll was lowered": "why was it lowered?").
_MEASURES = frozenset(("magnitude", "strength", "speed", "toll", "amount", "share", "scale", "extent", "level",
                       "total", "rate", "percentage", "proportion", "distance", "width", "weight", "volume"))
_NP_OPENERS = frozenset(("the", "a", "an", "its", "this", "that"))
_NP_BREAKS = frozenset((*STOPWORDS, "near", "across", "around", "outside", "inside", "toward", "towards", "beyond",
                        "behind", "beside", "along", "despite", "without"))
_CLAUSE_END = frozenset(w for w in STOPWORDS if w not in ("the", "a", "an", "its", "his", "her", "their"))
MAX_NP_WORDS = 4


def _without_outlet(question: str) -> str:
    """A question without its "according to X" (an outlet is never what "it" is)."""
    return re.sub(r",?\s*\baccording to\s+[^,?]*,?", " ", question, flags=re.I).strip()


def _fits_it(phrase: str) -> str:
    """`phrase` if "it" can mean it (see `_can_be_it`: not "the UK Home Secretary"), else ""."""
    return phrase if phrase and _can_be_it(phrase.split()[-1]) else ""


def _can_be_it(head: str) -> bool:
    """Whether a noun phrase with this head can be what "it" means: a common noun, singular, not a
    time ("the week"), not a person ("the spokesman"), not what is asked of a thing ("the name")."""
    return head.islower() and head not in _TIME_HEADS and head not in ROLE_WORDS and not _PERSONISH.match(head) \
        and head not in _NOT_THINGS and not (head.endswith("s") and not head.endswith(("ss", "us", "is")))


_ASKS_ITS_NAME = re.compile(r"\b(?:its name|it (?:is |was )?(?:called|named|known as))\b", re.I)
# "a market in Omdurman", "an aid convoy": a thing brought in unnamed, and the place it stands in.
_INDEFINITE = re.compile(r"\b(?:a|an)\s+([a-z][\w-]*(?:\s+(?!(?:in|near|at|outside|of|on|for|to|from|by|with)\b)"
                         r"(?![a-z-]*ed\b)[a-z][\w-]*){0,2})"
                         r"(\s+(?:in|near|at|outside)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)?")


def _unnamed_thing(question: str) -> str:
    """The first thing a question brings in with "a" or "an" ("the market in Omdurman"), "" if none."""
    for match in _INDEFINITE.finditer(question):
        words = match.group(1).split()
        if _can_be_it(words[-1]) and not any(w in MONTHS or w in _SPANS or w in STOPWORDS for w in words):
            place = match.group(2) or ""
            return "the " + " ".join(words) + ("" if _says_when(place) else place)  # "in September" is no place
    return ""


def _thing_phrase(question: str) -> str:
    """The first thing a question is about, as "the ..." ("the business jet", "the magnitude-6.3 earthquake",
    "the military operation"), "" when it names none.

    What "it" means next: not a person by role ("the UK Home Secretary"), not a time ("the week"),
    not a plural, not an outlet it is "according to".
    """
    words = re.findall(r"[\w'’.-]+", _without_outlet(question))
    for i, word in enumerate(words):
        if word.lower() not in _NP_OPENERS and not word.endswith(("'s", "’s")):
            continue
        phrase: list[str] = []
        stop = ""
        for j, next_word in enumerate(words[i + 1:i + 1 + MAX_NP_WORDS + 1], start=i + 1):
            lowered = next_word.lower()
            after = words[j + 1] if j + 1 < len(words) else ""
            # "the business jet carrying Wagner chief ...": a participle with its object ends the thing.
            takes_object = lowered.endswith("ing") and bool(phrase) and (after[:1].isupper() or after in _NP_OPENERS)
            if lowered in _NP_BREAKS or _WHICH_WINDOW_END.match(lowered) or next_word.endswith(("'s", "’s")) \
                    or takes_object:
                stop = lowered
                break
            phrase.append(next_word.rstrip("."))
        # Right after "did" (or after "did" and the possessor's name) the phrase is the subject.
        before = words[:i] if word.lower() in _NP_OPENERS else \
            words[:i - next((k for k in range(3) if i - k - 1 < 0 or not words[i - k - 1][:1].isupper()), 3)]
        subject_position = bool(before) and before[-1].lower() in ("did", "does", "do")
        if len(phrase) > MAX_NP_WORDS:
            continue  # no end in sight: a clause, not a thing
        if len(phrase) > 1 and subject_position and stop != "of":
            phrase = phrase[:-1]  # "did the junta order (the closure)?": "order" is the verb
        # Years and dates describe the thing ("its September 2023 military operation"), they are not it.
        phrase = [w for w in phrase if not w.isdigit() and w.lower() not in MONTHS]
        if not phrase or not _can_be_it(phrase[-1]) or (stop == "of" and phrase[-1].lower() in _MEASURES):
            continue
        if stop in ("that", "which") and not subject_position:
            # "the quake that the USGS recorded (at 2.16pm)": a short clause says which quake.
            following = words[j + 1:j + 1 + MAX_NP_WORDS]
            clause = list(itertools.takewhile(lambda w: w.lower() not in _CLAUSE_END, following))
            if 0 < len(clause) < MAX_NP_WORDS:
                phrase = [*phrase, stop, *clause]
        return "the " + " ".join(phrase)
    return ""


_WHICH_WINDOW_END = re.compile(r"^(?:did|does|do|is|are|was|were|has|have|had|will|would|can|could|[a-z]+ed|"
                               + "|".join(sorted(IRREGULAR_PAST)) + ")$")
# "which" opening a question, or after a few words ("From which programme ...", "The armies of which countries").
_WHICH_LEAD = re.compile(r"^\s*(?:[\w'’-]+\s+){0,6}?which\s+(.+)$", re.I)


def _which_window(after_which: str) -> list[str]:
    """A which-phrase's words: up to five, until its verb ("three countries" in "three countries signed")."""
    window: list[str] = []
    for word in re.findall(r"[\w'’-]+", after_which)[:5]:
        if window and _WHICH_WINDOW_END.match(word.lower()):
            break
        window.append(word)
    return window


def _which_plural(question: str) -> bool | None:
    """Whether a which-question asks for several things ("which three countries"), None if not a which-question.

    The asked noun is the possessive one ("which hurricane's winds": the hurricane), else the
    last word before the verb ("which member states were").
    """
    match = _WHICH_LEAD.match(question)
    if not match:
        return None
    window = _which_window(match.group(1))
    if any(NUMBER_WORDS.get(w.lower(), 1) > 1 or (w.isdigit() and int(w) > 1) for w in window):
        return True
    head = next((w for w in window if re.search(r"[’']s$", w)), window[-1] if window else "")
    head = re.sub(r"[’']s$", "", head).lower()
    return head.endswith("s") and not head.endswith(("ss", "us", "is"))


def _is_place(name: str) -> bool:
    from .terms import is_place_word

    return any(is_place_word(w) for w in name.split())


def _is_person(name: str) -> bool:
    """Could be a person: not a place, no institution word ("State Department"), not an acronym."""
    words = name.split()
    # "Senior US", "Niger ECOWAS": a name ending in an initialism is a headline's words, not a person.
    # The last word (or a place phrase the name ends with, "Burkina Faso") decides place or not:
    # a first name may be a capital too ("Victoria Nuland").
    if words and words[0].lower() in NAMED_EVENT_WORDS:
        return False  # "Storm Daniel" is no "he"
    return bool(words) and not _ends_with_place(words) and not name.isupper() and not words[-1].isupper() \
        and not any(w.lower() in NOT_NAMES or w.lower() in INSTITUTION_WORDS for w in words[1:] or words)




@functools.lru_cache(maxsize=1)
def _provinces_ending_in() -> dict[str, list[tuple[str, ...]]]:
    """States and provinces by their last word, so a name is checked against a handful, not thousands."""
    from .lexicon import provinces

    by_last: dict[str, list[tuple[str, ...]]] = {}
    for region in provinces():
        by_last.setdefault(region[-1], []).append(region)
    return by_last


def _ends_with_place(words: list[str]) -> bool:
    """Whether a name is a place: its last word is one, or it is a country's name of several words."""
    from .lexicon import places

    if _is_place(words[-1]):
        return True
    lowered = tuple(re.sub(r"[’']s$", "", w).lower() for w in words)
    if any(lowered[-len(phrase):] == phrase for phrase in places().phrases if len(phrase) <= len(lowered)):
        return True
    # A state or province ("Biden's Hawaii", "Maui Hawaii"): headline words, not a person.
    if any(lowered[-len(region):] == region for region in _provinces_ending_in().get(lowered[-1], ())
           if len(region) <= len(lowered)):
        return True
    # A country named in several words is known by its first ("Burkina Faso", "Saudi Arabia"); a
    # capital's name is not counted here, being a first name as often ("Victoria Nuland").
    return len(words) <= 3 and lowered[0] in places().words


def _people_of(last: Turn) -> list[str]:
    """Who "he"/"she" may be, likeliest first, never a country ("Niger" is not "he").

    The people a who-question's answer named; else the people the last question named; else,
    when the last question named a role ("the Maui mayor", "Niger's president"), the people its
    answer named, or the role itself.
    """
    people = [p for p in map(_personal_name, last.answer_names) if p]
    named = [n for n in (_full_name(name, people) for name in names_in(last.resolved)) if n]
    if _asks_who(last.resolved) and people:
        # "Which close ally of Bazoum ...?": the answer is someone besides Bazoum.
        in_question = {w for name in names_in(last.resolved) for w in name.split()}
        found = [p for p in people if p.split()[-1] not in in_question] or people
        return list(dict.fromkeys([*found, *people, *named]))
    asked = _WHO_IS.match(last.resolved)
    if asked and not named:
        # "Who was mayor of Derna when its dams burst?": "he" is the mayor of Derna, not the whole clause.
        named = [_who_was(asked.group(1))]
    if named:
        return list(dict.fromkeys([*named, *people]))
    asked_for = _which_noun_phrase(last.resolved) if _asks_who(last.resolved) else ""
    person_nouns = {w.split()[-1] for w in (*ROLE_WORDS, *PERSON_NOUNS)}
    if asked_for and asked_for.split()[-1].lower() in person_nouns and not people:
        # "Which junta official said the captive president would not be harmed?" unanswered: "he" is
        # the official asked for, not the president the question went on to name.
        return [asked_for]
    # "What assurance about the captive president did a civilian leader of the junta give?": the
    # role doing the verb is "he", before the first role the question names.
    doer = _ROLE_DOER.search(last.resolved)
    role = _ROLE.search(last.resolved)
    if doer and not people:
        return [re.sub(r"^(?:an?|the)\s+", "the ", doer.group(1), flags=re.I)]
    if role and not people:
        return [re.sub(r"^(?:which|what|whose)\s+", "the ", role.group(0), flags=re.I)]
    return people


def _full_name(name: str, people: list[str]) -> str:
    """A person a question named, as fully as the answer named them: "Putin" is "Vladimir Putin" when the
    answer says so, "President Biden" is at least "Biden"; "" for a place or a group ("Wagner")."""
    person = _personal_name(name)
    if len(person.split()) > 1:
        return person
    surname = (person or name).split()[-1]
    return next((p for p in people if len(p.split()) > 1 and p.split()[-1] == surname), person)


_WHO_IS = re.compile(r"^\s*who\s+(?:is|was)\s+(.+?)\s*[?.!]*\s*$", re.I)


def _who_was(phrase: str) -> str:
    """Who "he" is after "Who was <phrase>?": "the mayor of Derna" for "mayor of Derna when its dams burst";
    "the person declared Florida's second death" for a passive "declared Florida's second death"."""
    phrase = _until_clause(phrase)
    first = phrase.split()[0] if phrase.split() else ""
    if first.islower() and (first.endswith("ed") or first in IRREGULAR_PAST):
        return f"the person {phrase}"
    if first.islower() and first not in ("the", "a", "an", "his", "her", "their", "its", "one"):
        return f"the {phrase}"  # "mayor of Derna" is "the mayor of Derna"
    return phrase


def _until_clause(phrase: str) -> str:
    """A phrase up to its first clause ("mayor of Derna when its dams burst": "mayor of Derna")."""
    return re.split(r"\s*,\s*|\s+(?:when|while|after|before|during|since|as|who|which|that|in \d{4})\b",
                    phrase, maxsplit=1)[0]


def _person_of(last: Turn, gender: str = "", besides: Iterable[str] = ()) -> str:
    """Who "he"/"she" is: the likeliest person whose first name is not of the other gender.

    "Who is the wife of the deposed president?" answered with "Wife of ... Ali Bongo jailed. Sylvia
    Bongo Ondimba Valentin ...": "she" is Sylvia. Names decide only when there is a choice.
    A person the follow-up names itself (`besides`) is not its pronoun: in "where did he say
    Prigozhin had returned from?", "he" is someone else.
    """
    named = {w for name in besides for w in name.split()}
    people = [p for p in _people_of(last) if p.split()[-1] not in named]
    if gender and people:
        # A name of the other gender is passed over; most names decide nothing ("Abdel-Fatau"). For
        # "she" a woman's name comes first (news names men far more often, so an undecided name,
        # "Rolling Stone", is rarely her); for "he" the order stands.
        genders = {p: gender_of(p) for p in people}
        fitting = [p for p in people if genders[p] in (gender, "")]
        if gender == "f":
            fitting.sort(key=lambda p: genders[p] != "f")
        if fitting:
            return fitting[0]
        # Everyone named is of the other gender: "she" is the one the last question asked about ("who
        # is the wife of the deposed president?"), or the role it named ("the FEMA administrator"),
        # or no one it can say.
        asked = _WHO_IS.match(last.resolved)
        if asked:
            return _who_was(asked.group(1))
        role = _ROLE.search(last.resolved)
        return re.sub(r"^(?:which|what|whose)\s+", "the ", role.group(0), flags=re.I) if role else ""
    return people[0] if people else ""


# Titles that make the one word after them a person's name ("President Biden", "General Oligui").
_TITLES = frozenset(w for w in NOT_NAMES if w in ROLE_WORDS) | {"gen", "mr", "mrs", "ms", "dr", "sir", "prince", "pm",
                                                              "mp"}


def _personal_name(name: str) -> str:
    """The personal name in a name ("Hawaii Governor Josh Green" -> "Josh Green"), "" if it is none."""
    words = name.split()
    titled = False
    for i in range(len(words) - 1, -1, -1):
        # "Florida Governor Ron DeSantis": a role word is a title too, and what comes before it says whose.
        if words[i].lower() in NOT_NAMES or words[i].lower() in INSTITUTION_WORDS or words[i].lower() in ROLE_WORDS:
            titled = words[i].lower().rstrip(".") in _TITLES or words[i].lower() in ROLE_WORDS
            words = words[i + 1:]
            break
    candidate = " ".join(words)
    # One word is a person's name only after a title ("President Biden"); alone in text it is as
    # likely a place ("Hawaii", "Lahaina") or a group ("Wagner") as a surname.
    if not words or not _is_person(candidate) or (len(words) == 1 and not titled):
        return ""
    return candidate


def _main(names: list[str]) -> str:
    """The name a question is mainly about: its first."""
    return names[0] if names else ""


def _place_asked_in(last: Turn) -> str:
    """The place the last question asked about ("lived in Derna"), "" if it was in none it names."""
    asked = _without_outlet(last.resolved)
    return next((n for n in names_in(asked) if re.search(r"\b(?:in|of|at|near|from)\s+" + re.escape(n), asked)
                 and not _adjectival(n) and not _person_like(n, last.answer_names)), "")


def _place_owning_in(last: Turn) -> str:
    """The place whose own thing the last question asked about ("describe Nigeria's military"), "" if none."""
    asked = _without_outlet(last.resolved)
    return next((n for n in names_in(asked) if _is_place(n) and re.search(re.escape(n) + r"['’]s\b", asked)
                 and not _adjectival(n)), "")


def _first_noun_name(question: str) -> str:
    """A question's first name that is neither an adjective nor a place ("Storm Daniel" after "Mediterranean")."""
    return next((n for n in names_in(question) if not _adjectival(n) and not _is_place(n)), "")


def _person_like(name: str, names: Iterable[str]) -> bool:
    """Whether a name is a person's, or the surname of a person's name among `names` ("Trudeau")."""
    return bool(_personal_name(name)) or any(n.endswith(" " + name) and _personal_name(n) for n in names)


# What only a place has: "its residents", "its buildings", "its mayor" (a company has staff and offices).
_PLACE_PARTS = frozenset(("residents", "inhabitants", "population", "buildings", "streets", "neighbourhoods",
                          "neighborhoods", "homes", "houses", "hospitals", "mayor", "villages", "towns", "districts",
                          "suburbs", "citizens", "coast", "coastline", "shores", "harbour", "harbor", "port",
                          "airport"))


# How an adjective made of a name ends: "Hawaiian", "Mediterranean", "Lebanese", "Turkish".
_ADJECTIVE_ENDINGS = ("ian", "ean", "ese", "ish")


def _adjectival(name: str) -> bool:
    """Whether a name is one word that reads as an adjective ("the Hawaiian island"): no thing to be "it"."""
    return " " not in name and (name.lower().endswith(_ADJECTIVE_ENDINGS) or _is_demonym(name))


# "Which small, historic Florida city ...?", "which Gulf Coast island community ...?": a place is asked for.
_ASKS_PLACE = re.compile(r"^\s*(?:where|(?:[\w'’-]+\s+){0,6}?which\s+(?:[\w'’-]+,?\s+){0,4}?"
                         r"(?:city|town|village|country|countries|nation|region|state|island|area|place|province|capital"
                         r"|port|community|county|district|suburb|neighbou?rhood|municipality|settlement))\b", re.I)


def _asks_place(question: str) -> bool:
    """Whether a question asks for a place ("where", "which town", "from which country")."""
    return bool(_ASKS_PLACE.match(question))


def _place_of(last: Turn, earlier: tuple[Turn, ...] = ()) -> str:
    """Where "there" points: a place the last question asked for, or named, or its subject; else the
    place an earlier question asked for ("Which Moroccan city ...?" "Agadir" ... "who from there?")."""
    from .terms import normalise, place_terms

    if _asks_place(last.resolved) and last.answer_names:
        return last.answer_names[0]
    places = place_terms()
    for name in (*names_in(_without_outlet(last.resolved)), *last.answer_names):
        if not _is_demonym(name) and any(normalise(w) in places for w in name.split()):
            return name
    if last.subject and not _is_demonym(last.subject):
        return last.subject
    return next((t.answer_names[0] for t in reversed(earlier) if _asks_place(t.resolved) and t.answer_names), "")


def _is_demonym(name: str) -> bool:
    """Whether a name is only a people's or region's adjective ("French", "West African"): no place to be in."""
    from .lexicon import places

    words = [re.sub(r"[’']s$", "", w).lower() for w in name.split()]
    demonyms = places().demonyms
    return bool(words) and words[-1] in demonyms and all(w in demonyms or w in NOT_NAMES for w in words)


def _about_last(question: str, last: Turn, answered: bool = False) -> str | None:
    """A subject-less question asked about what the last question asked ("how many died: ... the attack ...").

    The last question's words, not only its subject: "Which group produced that estimate?"
    needs the estimate's words (global heating, rainfall, Libya) to find the report giving it.
    """
    # The whole last question, not its clause cut out of it: "how many injured: How many people did the UN
    # say had died ...?" reads as asked; "how many injured: people did the UN say had died" did not
    # (measured: the same answers on 948 follow-up turns).
    body = _strip_end(last.resolved.split(": ")[-1])
    subject = "" if _is_demonym(last.subject) else last.subject
    # With `answered`, the last question as its answer filled it: "is Eramet the most strategic ...".
    context = (answered and _answer_in_place(last)) or body \
        or " ".join(p for p in (subject, _strip_topic_word(last.topic)) if p)
    return f"{_strip_end(question)}: {context}?" if context else None


def _strip_topic_word(topic: str) -> str:
    return re.sub(r"^\w+\s+", "", topic)  # "after the coup" -> "the coup"


_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))  # "september" before "sep"
_DAY_WORDS = (r"(?:(?:on|by|until|before|after|since|in|from)\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?"
              r"(?:(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + _MONTH_ALT + r")\b"
              r"|(?:" + _MONTH_ALT + r")\s+\d{1,2}(?:st|nd|rd|th)?\b"
              r"|(?:" + _MONTH_ALT + r")\b|(?:mon|tues|wednes|thurs|fri|satur|sun)day)(?:,?\s+\d{4})?")
_TIME_PHRASE = re.compile(_DAY_WORDS, re.I)
# Words around a day that say nothing else: "the next day, 10 August".
_ONLY_WHEN = frozenset((*STOPWORDS, *_TIME_HEADS, "next", "following", "previous", "same", "day"))
_BEFORE_DAY = re.compile(r"(?:\b(?:on|by|until|before|after|since|in|from)\s+)?(?:the\s+)?$", re.I)


def _replace_time(resolved: str, new: str) -> str:
    """The last question with its date phrase replaced by `new` (or `new` added when it had none)."""
    found = _TIME_PHRASE.search(resolved)
    if found and found.group(0).strip():
        # "on the Monday after the quake": the preposition and article go with the old day.
        before = _BEFORE_DAY.search(resolved[:found.start()])
        start = found.start() - (len(before.group(0)) if before else 0)
        if not (before and before.group(0).strip()) and not re.match(r"(?:on|by|until|before|after|since|in|from)\s",
                                                                      found.group(0), re.I):
            # "the quake of Wednesday 11 October": "of" stays, and no "on" comes with the new day
            new = re.sub(r"^(?:on|in)\s+", "", new, flags=re.I)
        lead = new[:1].upper() + new[1:] if start == 0 else new
        return resolved[:start] + lead + resolved[found.end():]
    return f"{_strip_end(resolved)} {new}?"


def _with_topic(question: str, last: Turn) -> str:
    """A follow-up with the last turn's topic phrase added when it has none of its own (nor its words)."""
    if not last.topic or topic_of(question):
        return question
    said = {re.sub(r"['’]s$", "", w.lower()) for w in re.findall(r"[\w'’-]+", question)}  # "Sudan's": Sudan
    if all(w.lower() in said or w.lower() in STOPWORDS for w in re.findall(r"[\w'’-]+", last.topic)):
        return question  # "on its reconstruction plan" after "would the reconstruction plan target"
    return f"{_strip_end(question)} {last.topic}?"


# "died when the army shelled a market in Omdurman": the event a count was asked of.
_WHEN_CLAUSE = re.compile(r"\bwhen\s+((?:the|a|an|[A-Z])[^?]*)$")
# "the latest one", "the first one": one of what the last question counted.
_ONE_OF_KIND = re.compile(r"\bthe\s+(?:latest|last|first|second|third|most recent|next|previous|biggest|largest"
                          r"|deadliest|worst|earliest|final)\s+(one)\b", re.I)


def _singular(phrase: str) -> str:
    """A plural noun phrase in the singular: "drone attacks" -> "drone attack", "strikes on ports" is not one."""
    head = phrase.split()[-1] if phrase.split() else ""
    if head.endswith("ies") and len(head) > 4:
        one = head[:-3] + "y"
    elif head.endswith(("ches", "shes", "sses", "xes")):
        one = head[:-2]
    else:
        one = head.removesuffix("s")
    return phrase[: len(phrase) - len(head)] + one


def _lowered_lead(phrase: str) -> str:
    """A sentence-opening phrase, to stand inside one: "According to X" -> "according to X"."""
    first, _, rest = phrase.partition(" ")
    return f"{first.lower()} {rest}".strip() if first[1:].islower() and not is_given_name(first) else phrase


# "how many people", "how much money": the noun a count asks of.
_COUNTED_SUBJECT = re.compile(r"^how\s+(?:many|much)\s+(.+)$", re.I)
_BE_HAVE = frozenset(("is", "are", "was", "were", "has", "have", "had"))
_NOT_A_VERB = frozenset(("the", "a", "an", "it", "its", "he", "his", "she", "her", "they", "their", "there", "this",
                         "that", "these", "those", "we", "our", "you", "your", "not", "still", "now", "then"))


def _lacks_subject(body: str) -> bool:
    """Whether a clause after its auxiliary opens with its verb ("killed in the attacks"), not a subject."""
    first = body.split(" ", 1)[0]
    return first.islower() and first.isalpha() and first not in _NOT_A_VERB


# A wh-phrase, whatever its words, up to its first auxiliary; then the clause it asks about.
_CLAUSE_AFTER_WH = re.compile(r"^\s*(?:[\w'’-]+\s+){0,2}?(?:which|what|whose|how\s+(?:many|much|long|far|old))\b"
                              r"[^?]*?\s(did|does|do|was|were|is|are|has|have|had|will|would|could|can)\s+(.+)$",
                              re.I)
_WH_INSIDE = re.compile(r"\b(?:which|how many|how much|how long|what)\b|\bdid\b.*\bdid\b", re.I)
# "by mid-October, how many suspects had died?": a scene set, then a question of its own.
_SCENE_THEN_ASK = re.compile(r"^[^,?]{2,40},\s*(?:who|whom|what|which|when|where|why|how)\b", re.I)
# ... and the same with its parts, the scene holding no wh-word of its own ("According to the Guardian,
# how many ...?" is scene and question; "In which city, the capital, did ...?" is no scene).
_SCENE_LEAD = re.compile(r"^\s*(?![^,?]*\b(?:who|whom|whose|what|which|when|where|why|how)\b)([^,?]{2,80}?),"
                         r"\s*((?:who|whom|what|which|when|where|why|how)\b.+)$", re.I)
# "What was the name of the market?", "What is the fire called?": a question after a name, not an event.
_ASKS_NAME = re.compile(r"^\s*what\s+(?:is|was|are|were)\s+(?:the\s+)?(?:names?\s+of\b|[^?]*\bcalled\s*\??\s*$)", re.I)
# "Germany - what did it accuse them of?", "the BBC, what did it do ...?": a subject, then the question asked of it.
_ABOUT_THEN_ASK = re.compile(r"^(.+?)\s*(?:\s[-–—]|:|,)\s+((?:what|who|whom|which|where|when|how|why)\b.+)$", re.I)
# "in Qatar", "at the border": a subject that is a place, which "there" stands for.
_LOCATIVE_LEAD = re.compile(r"^(?:in|at|near|inside|outside|across)\s", re.I)
# "in Moscow", "across Canada as a whole": a place phrase, which takes the place of the last question's own.
_LOCATIVE = re.compile(r"^(?:in|across|throughout|near|around|outside|inside)\s+(?:the\s+)?[A-Z]")
_PLACE_PHRASE = re.compile(r"\b(?:in|across|throughout|near|around|outside|inside)\s+(?:the\s+)?"
                           r"[A-Z][\w'’-]*(?:\s+(?:of\s+)?[A-Z][\w'’-]*)*")
# "the New York Times' toll", "Fox News' death count", "the aftershock's magnitude": whose what.
_OWNED = re.compile(r"^(?:[Tt]he\s+)?((?:[\w-]+\s+){0,3}?[\w-]+?)(?:['’]s|(?<=s)['’])\s+[a-z]")


# What an outlet or an agency gives of the last question's answer: "Fox News' death count", "the WHO's figure".
_FIGURE_WORDS = ("toll", "tolls", "figure", "figures", "count", "tally", "estimate", "estimates", "number", "numbers",
                 "report", "reports", "reporting", "account", "version", "data", "total")


_A_FIGURE = re.compile(r"the\s+(?:" + "|".join(_FIGURE_WORDS) + r"|death toll|share|amount|cost)\b", re.I)


def _replace_source(last: Turn, source: str) -> str:
    """The last question as told by `source`: in place of its "according to X", else of its subject."""
    told = re.search(r"\baccording to\s+([^,?]+)", last.resolved, re.I)
    if told:
        return last.resolved[:told.start(1)] + source + last.resolved[told.end(1):]
    return _replace_subject(last, source)


def _replace_same_kind(resolved: str, new: str) -> str:
    """The last question asked of `new`, an event of the kind it asked about, "" if it asked of none.

    "How many soldiers were killed in the suspected jihadist attack near the border?" then "what
    about the rebel attack in the south-west?": the first attack's phrase, to the end, is replaced.
    """
    lead = re.match(r"(?:the|an?)\s+((?:[a-z][\w'’-]*\s+){0,2}[a-z][\w'’-]*)", new)
    if not lead:
        return ""
    for word in lead.group(1).split():
        if len(word) <= 3 or word in STOPWORDS:
            continue
        # "quake" is the same kind as "the 7 October earthquake".
        phrase = re.search(r"\b(?:the|an?)\s+(?:[\w'’-]+\s+){0,3}?\w*" + re.escape(word) + r"s?\b", resolved)
        if phrase:
            # The old event's phrase runs on through its places and times, to a verb or the end.
            rest = _strip_end(resolved[phrase.end():]).split(" ")
            verb = next((i for i, w in enumerate(rest) if w.lower() in _AUX_WORDS or w.lower() in IRREGULAR_PAST
                         or (w.endswith("ed") and w.islower())), len(rest))
            after = " ".join(rest[verb:]).strip()
            return f"{resolved[:phrase.start()]}{_strip_end(new)}{' ' + after if after else ''}?"
    return ""


# "the village of Tafeghaghte", "the town of Ighil": a place named after its kind.
_NAMED_PLACE = (r"\s+(?:village|town|city|province|region|district|county|island|suburb|neighbourhood"
                r"|neighborhood|camp)\s+of\s+([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)")


# A name is replaced with the place word it is part of: "sub-Saharan Africa" is replaced whole,
# never left as "sub-West Africa"; "pro-Russian" after "what about Ukraine?" is "pro-Ukraine".
_WHOLE_WORD_PREFIX = r"(?:(?<![\w-])(?:sub|trans|north|south|east|west|central)-|(?<![\w]))"


# What a question says of the one it asked about, right after its name: ", which was home to 200",
# ", the country's capital,". It is not true of the one the follow-up asks about. An apposition must
# close with a comma: ", the UN and France" may be the rest of a list.
_OWN_CLAUSE = re.compile(r"^,\s+(?:(?:which|who|whose)\s+[^,?]*(?=[,?]|$)|(?:the|an?)\s+[^,?]*(?=,))")


def _put_in(question: str, start: int, end: int, new: str) -> str:
    """`question` with `new` in place of question[start:end], less the clause that described the old one."""
    return question[:start] + new + _without_own_clause(question[end:])


def _without_own_clause(rest: str) -> str:
    """`rest` of a question after a replaced name, without the clause that described the old one."""
    found = _OWN_CLAUSE.match(rest)
    if not found:
        return rest
    after = rest[found.end():]
    # A clause set off by two commas goes with both: "X, who led it, say?" is "Y say?".
    return " " + after[1:].lstrip() if after.startswith(",") else after


def _replace_subject(last: Turn, new: str) -> str:
    """The last question asked of `new` instead of its subject."""
    new = _strip_end(new)
    # "what did Macron announce about them?" resolved to the French soldiers, then "what about the
    # ambassador?": the ambassador takes the soldiers' place, not the adjective "French".
    was = next((w for pronouns in (GROUP_PRONOUNS, THING_PRONOUNS) if (w := _what_it_was(last, pronouns))), "")
    if re.match(r"the\s+[a-z]", new) and was and was in last.resolved:
        at = last.resolved.index(was)
        return _put_in(last.resolved, at, at + len(was), new)
    if re.match(r"the\s+[a-z]", new) and (not last.subject or _adjectival(last.subject)):
        # "How many Nigerien soldiers were killed by jihadists near the border?" then "what about the
        # attack in the south-west?": the soldiers killed in that attack, not "the attack soldiers".
        done = re.search(r"\b[a-z]+(?:ed|en)\s+(?=(?:by|near|in|at|on|during|after|outside|off)\b)", last.resolved)
        if done:
            return f"{last.resolved[:done.end()].rstrip()} in {new}?"
    bare_new = re.sub(r"^(?:for|in|on|about|with|to|from|at)\s+(?=[A-Z])", "", new)  # "and for Greece?"
    # "the High Atlas village of Tafeghaghte": the subject names a region, the village is in it.
    named_place = re.search(re.escape(last.subject) + _NAMED_PLACE, last.resolved) if last.subject else None
    if named_place and re.fullmatch(r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*", bare_new):
        # "... in the High Atlas village of Tafeghaghte?" then "what about Douzrou?": the village is
        # what changes, not the region the question opened with.
        return _put_in(last.resolved, named_place.start(1), named_place.end(1), bare_new)
    if last.subject and last.subject in last.resolved:
        new = bare_new
        # "Jeff Bezos and Lauren Sanchez" is one subject: all of it is replaced.
        joined = re.compile(_WHOLE_WORD_PREFIX + re.escape(last.subject)
                            + r"(?:\s*(?:,|\band\b)\s*[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)*")
        found = joined.search(last.resolved)
        out = _put_in(last.resolved, found.start(), found.end(), new) if found else last.resolved
        if _is_place(new) or _personal_name(new):
            # "How did the African Union describe ...?" then "what about Morocco?": no "the Morocco".
            out = re.sub(r"\b[Tt]he\s+(?=" + re.escape(new) + r"\b)", "", out, count=1)
        return out
    for name in names_in(last.resolved):
        return re.sub(_WHOLE_WORD_PREFIX + re.escape(name), lambda _: bare_new, last.resolved, count=1)
    # No name to put it in place of: the last question, now about `new`.
    return f"{_strip_end(last.resolved)}: {bare_new}?"


_WHICH_PHRASE = re.compile(r"\b(?:which|what)\s+((?:[\w'’-]+\s+){0,3}[\w'’-]+)", re.I)


def answer_names(question: str, quotes: Iterable[str]) -> tuple[str, ...]:
    """Names an answer's quotes give that the question does not: what "he" or "it" may point to next.

    Title Case headlines, where every word is capitalised, give none. A name the question
    already gives in any form ("Russia" when it asked about a "Russian" group) is not news.
    A which-question's own noun puts the name that carries it first: "Which mercenary group
    ...?" answered with Russia and the Wagner Group makes "it" the Wagner Group.
    """
    from .questions import is_title_case
    from .terms import normalise, raw_words

    asked_terms = {normalise(w) for w in raw_words(question)}
    asked = set(names_in(question))
    # A people's adjective ("Africans", "Russian") names no one and nothing a pronoun could mean,
    # unless a country was asked for ("Which country lost rescuers?" "Greek rescuers ...").
    country = re.search(r"\b(?:countr(?:y|ies)|nation|nations|nationality)\b", question, re.I)
    found = [name for quote in quotes if not is_title_case(quote) for name in names_in(quote)
             if name not in asked and not all(normalise(w) in asked_terms for w in raw_words(name))
             and not any(_owned_form(name, a) for a in asked) and (country or not _is_demonym(name))]
    phrase = _WHICH_PHRASE.search(question)
    # The which-phrase's common nouns ("group", "hurricane"), not its names or question words.
    nouns = {re.sub(r"[’']s$", "", w) for w in phrase.group(1).split()} if phrase else set()
    nouns = {w for w in nouns if w.islower() and len(w) > 3 and w not in QUESTION_WORDS}
    # "Which former Wagner commander did Putin meet?" answered "Putin met a former Wagner commander,
    # Andrei Troshev": the name beside the asked noun fills it, not the one the sentence opens with.
    window = _which_window(phrase.group(1)) if phrase else []
    heads = {re.sub(r"[’']s$", "", window[-1]).lower()} & nouns if window else set()
    distance = {name: min((_distance(name, heads, quote) for quote in quotes), default=NOT_NEAR)
                for name in found} if heads else {}
    ranked = sorted(dict.fromkeys(found), key=lambda n: (distance.get(n, NOT_NEAR),
                                                         not any(w.lower() in nouns for w in n.split())))
    # "former president Issoufou" for "which former president ...?": the role beside a lone name is
    # its title, so "he" next can be Issoufou ("President Issoufou").
    role = next(iter(heads), "") if heads else ""
    if role in _TITLES:
        ranked = [f"{role.title()} {n}" if len(n.split()) == 1 and distance.get(n) == 1 and _is_person(n) else n
                  for n in ranked]
    return tuple(ranked)


def _owned_form(name: str, asked: str) -> bool:
    """Whether `name` is an asked name with its owner before it: "Canada’s Northwest Territories"."""
    return bool(re.fullmatch(r".+['’]s\s+" + re.escape(asked), name))


# Words between an asked noun and the name that fills it: "commander, Andrei Troshev", "Troshev, a former commander".
NEAR_ASKED_NOUN = 3


NOT_NEAR = NEAR_ASKED_NOUN + 1


def _distance(name: str, nouns: set[str], quote: str) -> int:
    """How many words from `name` one of `nouns` stands in `quote` (1: in apposition), NOT_NEAR past a few."""
    words = re.findall(r"[\w'’.-]+", quote)
    lowered = [w.lower().rstrip(".") for w in words]
    first = name.split()[0]
    size = len(name.split())
    at = [i for i, w in enumerate(words) if w == first and " ".join(words[i:i + size]).rstrip(".") == name]
    near = [i for i, w in enumerate(lowered) if w in nouns or w.removesuffix("s") in nouns]
    gaps = [i - j if j < i else j - (i + size) + 1 for i in at for j in near]
    return min((g for g in gaps if 0 < g <= NEAR_ASKED_NOUN + 1), default=NOT_NEAR)


__all__ = ["RuleRewriter", "answer_names", "is_vague", "names_in"]
