"""The gender a first name is mostly given, from the `nomquamgender` package's name records.

A follow-up's "she" after an answer naming "Ali Bongo" and "Sylvia Bongo Ondimba" is the woman.
Names only decide where their records agree (at least 90% one way, as the package's own default);
"Kim", "Jean" or an unknown name decide no gender, but a name that common is still a first name
(`is_first_name`: "Courtney Kube" is a person). The table (22 MB of JSON, 720k names) is read
once, lazily, on the first question that needs it (about 1-2 s), straight from the package's data
file: importing the package itself would import pandas.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from pathlib import Path

from .lexicon import NOT_NAMES, ROLE_WORDS, ascii_fold

DECIDED = 0.1  # p(female) at most this is a man's name, at least 1 - this a woman's
MIN_RECORDS = 20  # a name seen fewer times decides nothing
FIRST_NAME_RECORDS = 10_000  # a name seen this often is a first name, even when it decides no gender


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, float], frozenset[str]]:
    """First name (lower case, unaccented) -> p(female) for names whose records decide, and the
    names common enough to be first names whatever their gender ("courtney", "jordan", "kim")."""
    spec = importlib.util.find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        return {}, frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / "name_data.json"
    if not path.is_file():
        return {}, frozenset()
    raw = path.read_bytes()
    try:
        import orjson  # chromadb's dependency: 5x faster on 22 MB

        data = orjson.loads(raw)
    except ImportError:
        data = json.loads(raw)
    decided = {name: row[2] for name, row in data.items()
               if name.isalpha() and row[1] >= MIN_RECORDS and (row[2] <= DECIDED or row[2] >= 1 - DECIDED)}
    common = frozenset(name for name, row in data.items() if name.isalpha() and row[1] >= FIRST_NAME_RECORDS)
    return decided, common


def _table() -> dict[str, float]:
    """First name -> p(female), for names whose records decide."""
    return _tables()[0]


def is_first_name(word: str) -> bool:
    """Whether a word is a first name on record, whatever gender it is given: "Courtney", "Jordan",
    "Najib". The records' stray words ("the": 852 records, "red": 963) are far too rare to count."""
    folded = ascii_fold(word).lower()
    return folded in _tables()[1] or folded in _table()


def is_given_name(word: str) -> bool:
    """Whether a word is a first name whose records decide a gender ("Najib", "Victoria").

    Undecided entries are left out: the records also hold "the", "in" and "new".
    """
    return ascii_fold(word).lower() in _table()


def gender_of(name: str) -> str:
    """ "f" or "m" for a person's name by its first word ("Sylvia Bongo" -> "f"), "" when undecided."""
    # "Gen. Moussa Salaou Barmou", "President Mohamed Bazoum": the first name follows the titles.
    words = [w for w in (ascii_fold(w).lower().strip(".'’,") for w in name.split()) if w]
    while words and (words[0] in NOT_NAMES or words[0] in ROLE_WORDS):
        words = words[1:]
    if not words:
        return ""
    first = words[0]
    share = _table().get(first)
    if share is None:
        return ""
    return "f" if share >= 1 - DECIDED else "m"


def pronoun_gender(question: str) -> str:
    """ "f" for she/her/hers/herself in a question, "m" for he/him/his/himself, "" for neither or both."""
    words = {w.lower() for w in question.replace("’", "'").split()}
    words = {w.strip("?.,!;:'\"") for w in words}
    female = bool(words & {"she", "her", "hers", "herself"})
    male = bool(words & {"he", "him", "his", "himself"})
    return "f" if female and not male else "m" if male and not female else ""


_FEMALE_ROLE = re.compile(r"\b(?:wife|wives|widows?|mothers?|daughters?|sisters?|woman|girls?|queen|first lady|"
                          r"grandmothers?|nieces?|aunts?|bride|girlfriend)\b", re.I)
_MALE_ROLE = re.compile(r"\b(?:husbands?|widower|fathers?|sons?|brothers?|man|boys?|king|grandfathers?|nephews?|"
                        r"uncles?|groom|boyfriend)\b", re.I)


def asked_gender(question: str) -> str:
    """ "f" when a question asks for a woman by her tie ("Who is the wife of ...?"), "m" for a man, else ""."""
    female, male = bool(_FEMALE_ROLE.search(question)), bool(_MALE_ROLE.search(question))
    return "f" if female and not male else "m" if male and not female else ""
