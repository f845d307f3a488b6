"""Plain-text helpers: markup (HTML, Markdown) out, control characters out, whitespace, sentences, title keys.

Sentences come back as verbatim substrings of their text (whitespace aside), so a quote
taken from them can be checked against the stored document.
"""

from __future__ import annotations

import html
import re
import unicodedata

from .lexicon import ABBREVIATIONS, READ_MORE, STOPWORDS

_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAG = re.compile(r"</?(p|br|div|li|h[1-6]|tr|blockquote)\b[^>]*>", re.I)
# A tag a feed cut off before its ">" (descriptions are truncated at a length, mid-link).
_CUT_TAG = re.compile(r"</?[a-zA-Z][\w:-]*(?:\s[^<>]*)?$")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANKS = re.compile(r"\n\s*\n+")
_READ_MORE = re.compile(r"\s*(" + "|".join(map(re.escape, READ_MORE)) + r")\s*(\.{3}|…)?\s*$", re.I)

# Terminal escape sequences, 7-bit (ESC-led) and 8-bit (C1 controls): CSI ("\x1b[31m", "\x9b2J"),
# string commands up to their terminator (OSC "\x1b]0;title\x07" sets a window title; DCS, SOS, PM,
# APC), and two-character escapes ("\x1bc"). A string command's payload never runs past its line:
# an unterminated one must not swallow the rest of a document.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?")
_ESCAPE_STARTS = frozenset("\x1b\x9b\x90\x98\x9d\x9e\x9f")

# `[n]` citation markers in an answer's text.
CITATION_MARKER = re.compile(r"\[(\d+)\]")


def strip_control(text: str) -> str:
    """Text without Unicode "other" characters (newlines and tabs kept).

    That is controls, format characters (bidi overrides, zero-width marks) and lone
    surrogates: untrusted text cannot move a terminal's cursor or display reversed.
    """
    if not text:
        return ""
    # Each distinct character is looked up once: a news item has some 80 distinct characters
    # among thousands, and most texts have none to remove (a re-ingest spent 4% of its time here).
    unwanted = {ch for ch in set(text) if ch not in "\n\t" and unicodedata.category(ch)[0] == "C"}
    if not unwanted:
        return text
    if not unwanted.isdisjoint(_ESCAPE_STARTS):
        # Whole sequences: without its ESC, "\x1b[31m" would leave "[31m" behind as text.
        text = _ESCAPE_SEQUENCE.sub("", text)
        unwanted = {ch for ch in unwanted if ch in text}
    return "".join(ch for ch in text if ch not in unwanted)


def clean_text(raw: str) -> str:
    """Turn feed/HTML text into plain text: tags out, entities decoded, whitespace tidy."""
    if not raw:
        return ""
    text = _SCRIPT.sub(" ", raw)
    text = _BLOCK_TAG.sub("\n\n", text)
    text = _TAG.sub(" ", _CUT_TAG.sub(" ", text))
    # Some feeds double-escape (&amp;#039;): unescape until stable, at most twice.
    for _ in range(2):
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    text = strip_control(text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANKS.sub("\n\n", text).strip()
    return _READ_MORE.sub("", text).strip()


def tidy_text(raw: str) -> str:
    """Plain text (a PDF page, a Word file, an extracted article) tidied: no controls, one space
    between words, at most one blank line between paragraphs. Nothing is read as markup."""
    text = _SPACES.sub(" ", strip_control(raw or ""))
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", text).strip()


# Markdown, line by line: what marks a line's role (a heading's #s, a bullet, a quote's >, a rule,
# a code fence, a link definition) and, inline, what marks words (emphasis, code, link syntax).
_MD_LINE_RULES = [
    (re.compile(r"^ {0,3}(```|~~~).*$", re.M), ""),  # code fences (the code between them stays)
    (re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S+.*$", re.M), ""),  # [ref]: https://... definitions
    (re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M), r"\1"),  # ## Heading ##
    (re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.M), ""),  # --- *** ___ rules
    (re.compile(r"^ {0,3}(=+|-+)[ \t]*$", re.M), ""),  # a setext heading's underline
    (re.compile(r"^[ \t]*(?:>[ \t]?)+", re.M), ""),  # > quoted
    (re.compile(r"^[ \t]*[-*+][ \t]+(?:\[[ xX]\][ \t]+)?", re.M), ""),  # - bullets, - [x] tasks
]
_MD_INLINE_RULES = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # ![alt](image.png)
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # <https://...> autolinks (else read as a tag)
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # **strong**, __strong__
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # _emphasis_ (not snake_case)
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), ""),  # ~~struck out~~: the writer took it back
    (re.compile(r"`+([^`\n]+?)`+"), r"\1"),  # `code`
]


def strip_markdown(text: str) -> str:
    """Markdown as the plain text a reader sees: no #s, bullets, emphasis markers or link syntax.

    "- **Next meeting**: [27 September](https://x)." -> "Next meeting: 27 September." Lines stay
    lines (a list item is still a sentence of its own); the text of links and images stays.
    """
    for pattern, replacement in _MD_LINE_RULES + _MD_INLINE_RULES:
        text = pattern.sub(replacement, text)
    return text


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def typed_text(text: str) -> str:
    """What a person typed (a question, a topic) as one line a tokenizer accepts.

    Python hands bytes that are not UTF-8 in argv or stdin over as lone surrogates
    ("\\udcff"), which the model's tokenizer rejects with a TypeError: each becomes U+FFFD.
    """
    return one_line(_LONE_SURROGATE.sub("\ufffd", text or ""))


def one_line(text: str) -> str:
    """Collapse all whitespace to single spaces (titles, quotes)."""
    return " ".join(text.split())


def title_key(title: str) -> str:
    """A title reduced to lower-case words, so two copies of one headline compare equal."""
    return re.sub(r"\W+", " ", one_line(title).lower()).strip()


# A sentence ends at . ! ? (optionally followed by a closing quote/bracket) before a
# capital, digit or opening quote; common abbreviations are protected first.
_ABBR_RE = re.compile(r"\b(" + "|".join(ABBREVIATIONS) + r")\.(?=\s)")
_INITIALS_RE = re.compile(r"\b((?:[A-Z]\.){2,})(?=\s)")
# A middle initial between two names ("Sheriff Robert G. Luna", "George W. Bush") ends no sentence.
# A function word after it starts a sentence all the same ("... Plan B. Then it rained").
_MIDDLE_INITIAL_RE = re.compile(r"\b([A-Z][a-z]+\s+[A-Z])\.(?=\s+[A-Z][a-z])(?!\s+(?:"
                                + "|".join(sorted(w.capitalize() for w in STOPWORDS if w.isalpha())) + r")\b)")
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
        protected = _MIDDLE_INITIAL_RE.sub(lambda m: m.group(1) + _PROTECT, protected)
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
