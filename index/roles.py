"""The office or tie a question asks a person by, and whether a quote states it.

"Who was the mayor of Yellowknife?" asks for a mayor: a quote that names a person but
never says "mayor" (a premier, an official) names somebody else. "Who did the junta name
as its defence minister?" is not answered by "Foreign Minister Colonna". Questions that
ask by deed ("Who led the coup?", "Who heads the committee?") or by a word any person
fits ("Which leader ...", "Which official ...") carry no role to check.
"""

from __future__ import annotations

import re
from itertools import product

from .lexicon import ROLE_WORDS

# Words so general that a report names the same person with another ("the junta's leader" is
# "the head of the junta", "an official" anyone at all): they are no role to hold a quote to.
_TOO_GENERAL = frozenset("""
leader leaders head heads chief chiefs official officials man men woman women person people member members figure
representative officer general diplomat lawmaker activist journalist reporter actor actress singer businessman
businesswoman billionaire
""".split())
# Offices and ties a person is asked by, beyond the role words: "name of Prigozhin's son".
_TIES = frozenset("""
son sons daughter daughters wife widow husband brother brothers sister sisters father mother child children
pilot lawyer coach priest imam cleric
""".split())
_OFFICES = frozenset(r for r in ROLE_WORDS if r not in _TOO_GENERAL)
# Other words a report writes for the same office or tie ("PM Ali Lamine Zeine", "the defense minister").
_SAME_AS: dict[str, tuple[str, ...]] = {
    "prime minister": ("premier", "pm"),
    "chief executive": ("ceo",),
    "ceo": ("chief executive",),
    "spokesman": ("spokesperson", "spokeswoman"),
    "spokeswoman": ("spokesperson", "spokesman"),
    "spokesperson": ("spokesman", "spokeswoman"),
    "ambassador": ("envoy",),
    "envoy": ("ambassador",),
    "widow": ("wife",),
    "wife": ("widow", "first lady"),
    "defence": ("defense",),
    "defense": ("defence",),
    # News style's abbreviated titles: "Gov. Roy Cooper", "Sen. Bob Menendez", "Lt. Col. ...".
    "governor": ("gov",),
    "senator": ("sen",),
    "congressman": ("rep",),
    "congresswoman": ("rep",),
    "colonel": ("col",),
    "lieutenant": ("lt",),
    "sergeant": ("sgt",),
    "captain": ("capt",),
    "major": ("maj",),
    "professor": ("prof",),
    "attorney general": ("ag",),
}
# A minister or secretary is told apart by the portfolio before it ("defence minister").
_PORTFOLIO_HEADS = ("minister", "secretary")
_NOT_PORTFOLIO = frozenset("""
the a an its their his her new former then current acting interim civilian top senior junior deputy prime
federal provincial regional national local state cabinet government military
""".split())

_SPLIT = re.compile(r"[^\w'’-]+")
_IS_ROLE = re.compile(r"^\s*who\s+(?:is|was|are|were|will be|became|becomes|has been|had been)\s+(.*)", re.I)
_MADE_ROLE = re.compile(r"^\s*who\b.*?\b(?:appoint|appointed|name|named|nominate|nominated|choose|chose|chosen|"
                        r"pick|picked|select|selected|elect|elected|install|installed|sworn in|swear in|"
                        r"make|made)\s+(?:as\s+)?(.*)", re.I)
_NAME_OR_WHICH = re.compile(r"\b(?:names?\s+of|which(?:\s+one)?(?:\s+of)?)\s+(.*)", re.I)
# Where the phrase that holds the role ends.
_PHRASE_END = frozenset("""
did does do is was were are has have had will would can could who whom that which whose to in at on for from by with
as of after before during when where and or while since because
""".split())
MAX_PHRASE_WORDS = 7


def _phrase(rest: str) -> list[str]:
    """The words of a noun phrase as written, up to its verb, preposition or clause (at most MAX_PHRASE_WORDS)."""
    out: list[str] = []
    for word in _SPLIT.split(rest.strip())[:MAX_PHRASE_WORDS]:
        if not word or word.lower() in _PHRASE_END:
            break
        out.append(word)
    return out


def asked_role(question: str) -> tuple[str, ...]:
    """The words of the office or tie a question asks a person by, () when it asks no such role.

    "Who was Morocco's prime minister ...?" -> ("prime", "minister"); "Who did the junta name
    as its defence minister?" -> ("defence", "minister"); "What is the name of Hawaii Governor
    Josh Green's wife?" -> ("wife",): the last role of the phrase is the one asked, the ones
    before it say whose.
    """
    for pattern in (_IS_ROLE, _MADE_ROLE, _NAME_OR_WHICH):
        match = pattern.search(question)
        if not match:
            continue
        written = _phrase(match.group(1))
        words = [w.lower() for w in written]
        role: tuple[str, ...] = ()
        for i, word in enumerate(words):
            bare = re.sub(r"['’]s$", "", word)
            if bare != word:
                role = ()  # "Josh Green's wife": what came before the possessive is whose
                continue
            pair = " ".join(words[i - 1: i + 1]) if i else ""
            if pair in _OFFICES:
                role = tuple(pair.split())
            elif bare in _OFFICES or bare in _TIES or bare.removesuffix("s") in _TIES:
                role = (bare,)
                # "defence minister", not "British Columbia minister" (a name says whose) nor "federal minister".
                before = written[i - 1] if i else ""
                if bare in _PORTFOLIO_HEADS and before.isalpha() and before.islower() and before not in _NOT_PORTFOLIO:
                    role = (before, bare)
            elif bare in _TOO_GENERAL:
                role = ()
        if role:
            return role
    return ()


def _forms(role: tuple[str, ...]) -> list[str]:
    """Patterns of the ways a report writes a role: as asked, with each word's other names,
    and "minister of defence"."""
    options = [(w, *_SAME_AS.get(w, ())) for w in role]
    words = [list(combo) for combo in product(*options)] + [s.split() for s in _SAME_AS.get(" ".join(role), ())]
    if len(role) == 2 and role[1] in _PORTFOLIO_HEADS:
        words += [[role[1], "of", "(?:the\\s+)?" + p] for p in options[0]]
    return [r"\s+".join(w if w.startswith("(?:") else re.escape(w) for w in form) for form in words]


def states_role(text: str, role: tuple[str, ...]) -> bool:
    """Whether a text says the role a question asks for ("Mayor Rebecca Alty", "the new PM")."""
    if not role:
        return True
    # "Which of his daughters": a report says "daughter" of one of them.
    role = tuple(w[:-1] if w.endswith("s") and not w.endswith("ss") and len(w) > 3 else w for w in role)
    alternation = "|".join(_forms(role))
    return bool(re.search(rf"\b(?:{alternation})(?:e?s)?\b", text, re.I))
