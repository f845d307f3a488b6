"""Text helpers shared by loaders, chunking, keyword search and answers.

Markup stripping, whitespace, sentence splitting and the term normalisation used
to compare a question with evidence (stemming, demonyms, stopwords).
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAG = re.compile(r"</?(p|br|div|li|h[1-6]|tr|blockquote)\b[^>]*>", re.I)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANKS = re.compile(r"\n\s*\n+")
_READ_MORE = re.compile(r"\s*(Continue reading|Read more|Read full article)\s*(\.{3}|…)?\s*$", re.I)


def clean_text(raw: str) -> str:
    """Turn feed/HTML text into plain text: tags out, entities decoded, whitespace tidy."""
    if not raw:
        return ""
    text = _SCRIPT.sub(" ", raw)
    text = _BLOCK_TAG.sub("\n\n", text)
    text = _TAG.sub(" ", text)
    # Some feeds double-escape (&amp;#039;): unescape until stable, at most twice.
    for _ in range(2):
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANKS.sub("\n\n", text).strip()
    return _READ_MORE.sub("", text).strip()


def one_line(text: str) -> str:
    """Collapse all whitespace to single spaces (titles, quotes)."""
    return " ".join(text.split())


# A sentence ends at . ! ? (optionally followed by a closing quote/bracket) before a
# capital, digit or opening quote; common abbreviations are protected first.
_ABBREVIATIONS = (
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Prof",
    "Gen",
    "Col",
    "Lt",
    "Sgt",
    "Capt",
    "Maj",
    "Sen",
    "Rep",
    "Gov",
    "St",
    "Jr",
    "Sr",
    "No",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "vs",
    "etc",
    "Inc",
    "Ltd",
    "Co",
    "Corp",
    "approx",
    "est",
    "Fig",
)
_ABBR_RE = re.compile(r"\b(" + "|".join(_ABBREVIATIONS) + r")\.(?=\s)")
_INITIALS_RE = re.compile(r"\b((?:[A-Z]\.){2,})(?=\s)")
_SENT_END = re.compile(r"(?<=[.!?])([\"'’”)\]]*)\s+(?=[\"'‘“(\[]?[A-Z0-9])")
_PROTECT = "\u2024"  # one-dot leader: stands in for protected dots while splitting


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; paragraph breaks always end a sentence.

    Returned sentences are verbatim substrings of `text` (modulo the surrounding
    whitespace), so they can serve as quotes that are checked against the source.
    """
    out: list[str] = []
    for para in re.split(r"\n\s*\n|\n", text):
        para = para.strip()
        if not para:
            continue
        protected = _ABBR_RE.sub(lambda m: m.group(1) + _PROTECT, para)
        protected = _INITIALS_RE.sub(lambda m: m.group(1).replace(".", _PROTECT), protected)
        pieces = _SENT_END.split(protected)
        # split() with one group returns [sent, closer, sent, closer, ...]
        sentence = ""
        for i, piece in enumerate(pieces):
            if i % 2 == 0:
                sentence += piece
            else:
                sentence += piece
                out.append(sentence.replace(_PROTECT, ".").strip())
                sentence = ""
        if sentence.strip():
            out.append(sentence.replace(_PROTECT, ".").strip())
    return [s for s in out if s]


# --- terms -----------------------------------------------------------------

STOPWORDS = frozenset(
    """
a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having he
her here hers herself him himself his how i if in into is it its itself just let me more most my myself no nor
not now of off on once only or other our ours ourselves out over own same she should so some such than that
the their theirs them themselves then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours yourself yourselves s t don shall
may might must according say said says tell told given regarding within upon whose via per among amid
"""
    .split()
)

# Question words that carry no topic: they say what kind of answer is wanted.
QUESTION_WORDS = frozenset(
    """
what which who whom whose when where why how many much did does do is are was were name named kind latest
recent recently newest new current currently now today update updates news happen happened happening
"""
    .split()
)

# Adjective/demonym -> country, so "Algeria's president" matches "Algerian President".
DEMONYMS = {
    "nigerien": "niger",
    "nigeriens": "niger",
    "nigerian": "nigeria",
    "nigerians": "nigeria",
    "malian": "mali",
    "malians": "mali",
    "burkinabe": "burkina",
    "chadian": "chad",
    "algerian": "algeria",
    "libyan": "libya",
    "beninese": "benin",
    "togolese": "togo",
    "ghanaian": "ghana",
    "senegalese": "senegal",
    "ivorian": "ivory",
    "guinean": "guinea",
    "sudanese": "sudan",
    "moroccan": "morocco",
    "egyptian": "egypt",
    "french": "france",
    "german": "germany",
    "italian": "italy",
    "spanish": "spain",
    "british": "uk",
    "britain": "uk",
    "english": "england",
    "russian": "russia",
    "russians": "russia",
    "ukrainian": "ukraine",
    "chinese": "china",
    "japanese": "japan",
    "american": "usa",
    "americans": "usa",
    "america": "usa",
    "brazilian": "brazil",
    "indian": "india",
    "turkish": "turkey",
    "iranian": "iran",
    "israeli": "israel",
    "canadian": "canada",
    "european": "europe",
    "african": "africa",
    "africans": "africa",
    "polish": "poland",
    "dutch": "netherlands",
    "belgian": "belgium",
    "swiss": "switzerland",
    "korean": "korea",
    "mexican": "mexico",
    "australian": "australia",
}

# Names that stand for a country's government in news writing ("the Kremlin said").
METONYMS = {
    "kremlin": "russia",
    "moscow": "russia",
    "washington": "usa",
    "pentagon": "usa",
    "elysee": "france",
    "élysée": "france",
    "paris": "france",
    "beijing": "china",
    "whitehall": "uk",
    "london": "uk",
}

# Capitals -> their country (normalised terms): a report "in Niger" may well be the one
# about Niamey. Used only when checking that evidence names the places a question names.
CAPITAL_OF = {
    "Niamey": "Niger", "Bamako": "Mali", "Ouagadougou": "Burkina", "Abuja": "Nigeria", "Ndjamena": "Chad",
    "Algiers": "Algeria", "Dakar": "Senegal", "Accra": "Ghana", "Lomé": "Togo", "Cotonou": "Benin",
    "Abidjan": "Ivory", "Conakry": "Guinea", "Nouakchott": "Mauritania", "Tripoli": "Libya", "Rabat": "Morocco",
    "Tunis": "Tunisia", "Cairo": "Egypt", "Khartoum": "Sudan", "Nairobi": "Kenya", "Libreville": "Gabon",
    "Yaoundé": "Cameroon", "Kyiv": "Ukraine", "Berlin": "Germany", "Rome": "Italy", "Madrid": "Spain",
    "Brussels": "Belgium", "Tokyo": "Japan", "Ankara": "Turkey", "Tehran": "Iran", "Riyadh": "Saudi",
}

# Multi-word names folded to one term before tokenising (both question and evidence).
PHRASES = (
    (re.compile(r"\bWashington Post\b", re.I), " washingtonpost "),
    (re.compile(r"\bWhite House\b|\bState Department\b"), " usa "),
    (re.compile(r"\bUS\b|\bUSA\b"), " usa "),
    (re.compile(r"\bForeign Office\b"), " uk "),
    (re.compile(r"\beuropean union\b", re.I), " eu "),
    (re.compile(r"\bunited nations\b", re.I), " un "),
    (
        re.compile(
            r"\bunited states\b|\bu\.s\.a?\.?(?=\W)"
            r"|\bus\b(?= (?:officials?|troops|government|military|forces|state department|president|embassy))",
            re.I,
        ),
        " usa ",
    ),
    (re.compile(r"\bunited kingdom\b|\bu\.k\.(?=\W)", re.I), " uk "),
    (re.compile(r"\bprime minister\b", re.I), " pm "),
    (re.compile(r"\beconomic community of west african states\b", re.I), " ecowas "),
)

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][\w'’]*|\d[\d,.]*\d|\d")


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer  # PyStemmer: the Snowball stemmer, C speed

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def capitals() -> dict[str, str]:
    """CAPITAL_OF as normalised terms ("niamey" -> "niger")."""
    return {normalise(city): normalise(country) for city, country in CAPITAL_OF.items()}


def fold_phrases(text: str) -> str:
    for pattern, replacement in PHRASES:
        text = pattern.sub(replacement, text)
    return text


def raw_words(text: str) -> list[str]:
    """Word-like tokens, case kept, possessives dropped ("Niger's" -> "Niger")."""
    words = []
    for match in _WORD.finditer(fold_phrases(text)):
        word = match.group(0).rstrip("'’-")
        word = re.sub(r"['’]s$", "", word)
        if word:
            words.append(word)
    return words


def normalise(word: str) -> str:
    """Lower-case, fold demonyms, stem; numbers lose their thousands separators."""
    lowered = unicodedata.normalize("NFKC", word).lower().replace("’", "'")
    if lowered[:1].isdigit():
        return lowered.replace(",", "")
    lowered = DEMONYMS.get(lowered) or METONYMS.get(lowered) or lowered
    return _stemmer().stemWord(lowered)


def terms(text: str) -> list[str]:
    """Normalised content terms of a text (stopwords out), in order, repeats kept."""
    out = []
    for word in raw_words(text):
        lowered = word.lower()
        if lowered in STOPWORDS or (len(lowered) == 1 and not lowered.isdigit()):
            continue
        out.append(normalise(word))
    return out


def terms_many(texts: list[str]) -> list[list[str]]:
    """`terms` for many texts (the keyword index tokeniser)."""
    return [terms(text) for text in texts]


def matched(term: str, present: set[str]) -> bool:
    """A term is in a text if its stem is, or a stem sharing its first 5+ letters extends it
    ("advis" ~ "advisor", "evacu" ~ "evacue"): the stemmer leaves such pairs apart."""
    if term in present:
        return True
    if len(term) < 5 or term[:1].isdigit():
        return False
    return any(len(p) >= 5 and (p.startswith(term) or term.startswith(p)) for p in present)
