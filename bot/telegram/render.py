"""Turn engine results into Telegram HTML messages.

Pure functions, no python-telegram-bot import: an `Answer` (or hits, stats, a citation, a
digest) becomes a list of HTML strings, each a complete message Telegram accepts.

Everything is built from `Span`s (a run of raw text with one style and an optional link)
grouped in `Paragraph`s, and escaped only when a message is rendered. Splitting therefore
works on raw text and re-wraps each piece in its tags: a cut can never land inside a tag or
an entity, and a link cut in two becomes two links to the same place.

`visible_text` and `html_to_plain` read our own HTML back as text, for the plain-text
fallback when Telegram rejects the markup. The strict checker the tests hold every message
to lives with the tests (`tests/support/telegram_html.py`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from bot.terminal import counts_line, date_label, digest_heading, nothing_new, outlet_labels, page_label

if TYPE_CHECKING:
    # Types only: importing `index` at run time would load the whole engine (Chroma, torch).
    from index.briefing import Briefing
    from index.digest import Digest, Story
    from index.types import Answer, Citation, Hit

# Telegram's hard limit is 4,096 UTF-16 code units of visible text per message. We pack to a
# lower budget so that any difference between our count and Telegram's (trimming, entity
# parsing quirks) cannot push a message over.
TELEGRAM_MAX_CHARS = 4096
SAFE_MESSAGE_CHARS = 4000

_PARAGRAPH_SEP = "\n\n"
_MARKER = re.compile(r"\[(\d{1,3})\]")
# Lone surrogates cannot be encoded as UTF-8 (the request would fail before reaching
# Telegram); C0 controls other than tab and newline are rejected or mangled by clients.
_UNSAFE_CHARS = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAX_URL_LEN = 2048
# A DNS name (internationalised names allowed), an IPv4 address or a bracket-less IPv6 one.
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)*\.?|[0-9a-fA-F.]*:[0-9a-fA-F:.]*")


# --- building blocks ------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A run of raw (unescaped) text with at most one inline style and an optional link."""

    text: str
    style: str = ""  # "", "b", "i" or "code"
    href: str = ""  # a vetted http(s) URL, or "" for no link


@dataclass(frozen=True)
class Paragraph:
    """Spans shown together; paragraphs are separated by a blank line and are where splits go."""

    spans: tuple[Span, ...]
    quote: bool = False  # render inside <blockquote>
    tight: bool = False  # follow the previous paragraph after one line break, not a blank line


def sanitize_text(text: str) -> str:
    """Make untrusted text safe to send: no lone surrogates, no control characters.

    Line endings become "\\n"; everything else is kept (escaping happens at render time).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE_CHARS.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", text)


def safe_url(url: str) -> str:
    """Return `url` if it is a plain http(s) URL we are willing to link, else "".

    Document URLs are untrusted: a `javascript:` or malformed href would either be rejected
    by Telegram (losing the whole message) or be a trap for the reader.
    """
    url = url.strip()
    if not url or len(url) > _MAX_URL_LEN or _UNSAFE_CHARS.search(url):
        return ""
    # Characters a well-formed URL carries only percent-encoded.
    if any(ch.isspace() or ch in '<>"\\`' for ch in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    host = parts.hostname or ""
    if parts.scheme.lower() not in ("http", "https") or not _HOST.fullmatch(host):
        return ""
    return url


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram counts message length in."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def escape_text(text: str) -> str:
    """Escape text for Telegram HTML (only <, > and & are special outside attributes)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(text: str) -> str:
    """Escape a double-quoted attribute value."""
    return escape_text(text).replace('"', "&quot;")


def _render_span(span: Span) -> str:
    out = escape_text(span.text)
    if span.style:
        out = f"<{span.style}>{out}</{span.style}>"
    if span.href:
        out = f'<a href="{escape_attr(span.href)}">{out}</a>'
    return out


def render_paragraph(par: Paragraph) -> str:
    """HTML for one paragraph."""
    body = "".join(_render_span(s) for s in par.spans if s.text)
    return f"<blockquote>{body}</blockquote>" if par.quote else body


def _visible_len(par: Paragraph) -> int:
    return sum(utf16_len(s.text) for s in par.spans)


def _text_of(par: Paragraph) -> str:
    return "".join(s.text for s in par.spans)


def _clean_paragraph(par: Paragraph) -> Paragraph | None:
    """Strip whitespace at both ends, drop empty spans; None if nothing visible remains."""
    spans = [Span(sanitize_text(s.text), s.style, s.href) for s in par.spans]
    spans = [s for s in spans if s.text]
    while spans and not spans[0].text.lstrip():
        spans.pop(0)
    while spans and not spans[-1].text.rstrip():
        spans.pop()
    if not spans:
        return None
    first, last = spans[0], spans[-1]
    spans[0] = Span(first.text.lstrip(), first.style, first.href)
    last = spans[-1]
    spans[-1] = Span(last.text.rstrip(), last.style, last.href)
    return Paragraph(tuple(spans), par.quote, par.tight)


# --- splitting --------------------------------------------------------------------------------


def _cut_index(text: str, budget: int) -> int:
    """Where to cut `text` so the left part fits `budget` UTF-16 units, at the best boundary.

    Prefers a line break, then a sentence end, then any whitespace, in the second half of the
    window (so pieces are not tiny); falls back to a hard cut between code points.
    """
    units = 0
    limit = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > budget:
            break
        limit = i + 1
    else:
        return len(text)
    window = text[:limit]
    floor = limit // 2
    for pattern in (r"\n", r"(?<=[.!?…])\s", r"\s"):
        best = -1
        for m in re.finditer(pattern, window):
            if m.start() >= floor:
                best = m.start()
        if best > 0:
            return best
    # No whitespace in reach: avoid separating a base character from its combining marks.
    cut = max(limit, 1)
    while cut > 1 and unicodedata.combining(text[cut]):
        cut -= 1
    return cut


def _slice_spans(spans: Sequence[Span], start: int, end: int) -> list[Span]:
    out: list[Span] = []
    pos = 0
    for s in spans:
        lo, hi = max(start, pos), min(end, pos + len(s.text))
        if lo < hi:
            out.append(Span(s.text[lo - pos : hi - pos], s.style, s.href))
        pos += len(s.text)
    return out


def split_paragraph(par: Paragraph, budget: int) -> list[Paragraph]:
    """Split a paragraph into pieces of at most `budget` visible UTF-16 units each."""
    pieces: list[Paragraph] = []
    rest: Paragraph | None = _clean_paragraph(par)
    while rest is not None:
        text = _text_of(rest)
        if utf16_len(text) <= budget:
            pieces.append(rest)
            break
        cut = _cut_index(text, budget)
        head = _clean_paragraph(Paragraph(tuple(_slice_spans(rest.spans, 0, cut)), par.quote, par.tight))
        if head is not None:
            pieces.append(head)
        # The continuation of a cut paragraph reads as a new line, whatever the original was.
        tail = Paragraph(tuple(_slice_spans(rest.spans, cut, len(text))), par.quote, True)
        rest = _clean_paragraph(tail)
    return pieces


def paginate(paragraphs: Iterable[Paragraph], limit: int = SAFE_MESSAGE_CHARS) -> list[str]:
    """Pack paragraphs into as few HTML messages as fit `limit` visible units each.

    Paragraphs are kept whole when they fit in a fresh message; longer ones are split at
    line, sentence or word boundaries. Always returns at least one non-empty message.
    """
    messages: list[str] = []
    current = ""
    used = 0
    for raw in paragraphs:
        for par in split_paragraph(raw, limit):
            sep = "\n" if par.tight else _PARAGRAPH_SEP
            size = _visible_len(par)
            if current and used + len(sep) + size > limit:
                messages.append(current)
                current, used = "", 0
            if current:
                current += sep
                used += len(sep)
            current += render_paragraph(par)
            used += size
    if current:
        messages.append(current)
    return messages or ["(nothing to show)"]


def split_plain(text: str, limit: int = SAFE_MESSAGE_CHARS) -> list[str]:
    """Split plain text (no markup) into messages of at most `limit` UTF-16 units."""
    pars = [Paragraph((Span(p),)) for p in re.split(r"\n\s*\n", sanitize_text(text))]
    out: list[str] = []
    current = ""
    for raw in pars:
        for par in split_paragraph(raw, limit):
            piece = _text_of(par)
            if current and utf16_len(current) + 2 + utf16_len(piece) > limit:
                out.append(current)
                current = ""
            current = f"{current}\n\n{piece}" if current else piece
    if current:
        out.append(current)
    return out or ["(nothing to show)"]


# --- what the bot says --------------------------------------------------------------------------


def _text_paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", sanitize_text(text)) if p.strip()]


def _answer_spans(text: str, links: dict[int, str]) -> list[Span]:
    """Answer text with each `[n]` that names a known citation turned into a link to it."""
    spans: list[Span] = []
    pos = 0
    for m in _MARKER.finditer(text):
        n = int(m.group(1))
        if n not in links:
            continue
        if m.start() > pos:
            spans.append(Span(text[pos : m.start()]))
        spans.append(Span(m.group(), "b", links[n]))
        pos = m.end()
    spans.append(Span(text[pos:]))
    return spans


def _source_line(label: str, title: str, url: str, source: str, date: str, page: int | None = None,
                 date_source: str = "") -> list[Span]:
    """`[n] Title — Outlet, 2023-08-01, p. 4` with the title linked when the URL is safe.

    The page is shown for citations of paged documents (PDF); an ingest date is flagged as such.
    """
    title = " ".join(sanitize_text(title).split()) or "Untitled"
    spans = [Span(f"{label} "), Span(title, "", safe_url(url))]
    parts = (" ".join(sanitize_text(source).split()), date_label(date.strip(), date_source), page_label(page))
    meta = ", ".join(x for x in parts if x)
    if meta:
        spans.append(Span(f" — {meta}"))
    return spans


def _lines(lines: Sequence[list[Span]], heading: str = "") -> list[Paragraph]:
    """A list block: a (tight) paragraph per line, so a long list splits between entries."""
    out = [Paragraph((Span(heading, "b"),))] if heading else []
    out.extend(Paragraph(tuple(spans), tight=bool(out) or i > 0) for i, spans in enumerate(lines))
    return out


def answer_paragraphs(answer: Answer) -> list[Paragraph]:
    """The paragraphs of an answer message: text with linked markers, then the sources.

    A follow-up resolved against earlier turns first says what was answered, on a line of
    its own: "(about: when did Abdourahamane Tchiani become leader?)".
    """
    links = {c.n: safe_url(c.url) for c in answer.citations}
    marker_links = {n: url for n, url in links.items() if url}
    pars = [Paragraph(tuple(_answer_spans(p, marker_links))) for p in _text_paragraphs(answer.answer)]
    if not pars:
        pars = [Paragraph((Span("I could not find an answer in the documents.", "i"),))]
    if answer.used_context:
        about = Paragraph((Span(f"(about: {_clean(answer.searched)})", "i"),))
        pars = [about, Paragraph(pars[0].spans, pars[0].quote, tight=True), *pars[1:]]
    if answer.citations:
        lines = [_source_line(f"[{c.n}]", c.title, c.url, c.source, c.date, c.page, c.date_source)
                 for c in answer.citations]
        pars.extend(_lines(lines, "Sources"))
    elif answer.abstained and answer.retrieved:
        lines = [_source_line(f"{i}.", h.title, h.url, h.source, h.date, date_source=h.date_source)
                 for i, h in enumerate(answer.retrieved[:3], 1)]
        pars.extend(_lines(lines, "Closest documents"))
    return pars


def render_answer(answer: Answer, limit: int = SAFE_MESSAGE_CHARS) -> list[str]:
    """An answer as Telegram HTML messages, each at most `limit` visible units."""
    return paginate(answer_paragraphs(answer), limit)


def _markers(citations: Sequence[Citation]) -> list[Span]:
    """The `[n]` markers of a point, each bold and linked to its source when the URL is safe."""
    spans: list[Span] = []
    for c in citations:
        spans.append(Span(" "))
        spans.append(Span(f"[{c.n}]", "b", safe_url(c.url)))
    return spans


def briefing_heading(briefing: Briefing) -> str:
    """The heading, "Briefing: TOPIC" or "Timeline: TOPIC" (the topic is the user's, tidied)."""
    label = "Timeline" if briefing.kind == "timeline" else "Briefing"
    return f"{label}: {_clean(briefing.topic)}"


def briefing_paragraphs(briefing: Briefing) -> list[Paragraph]:
    """A briefing or timeline: its heading, one paragraph per dated point, then the sources.

    Each point is one paragraph (so a split never separates a date from its sentence): the
    date in bold, the quoted sentence, and `[n]` markers linked to the sources. An
    abstained briefing is its heading and its message.
    """
    pars = [Paragraph((Span(briefing_heading(briefing), "b"),))]
    if briefing.abstained or not briefing.points:
        message = briefing.message or "I couldn't find reports on this topic in the documents."
        pars.extend(Paragraph((Span(p),)) for p in _text_paragraphs(message))
        return pars
    for point in briefing.points:
        spans = [Span(point.date or "undated", "b"), Span(f" — “{_clean(point.text)}”"),
                 *_markers(point.citations)]
        pars.append(Paragraph(tuple(spans)))
    citations = [c for point in briefing.points for c in point.citations]
    lines = [_source_line(f"[{c.n}]", c.title, c.url, c.source, c.date, c.page, c.date_source) for c in citations]
    pars.extend(_lines(lines, "Sources"))
    return pars


def render_briefing(briefing: Briefing, limit: int = SAFE_MESSAGE_CHARS) -> list[str]:
    """A briefing or timeline as Telegram HTML messages, each at most `limit` visible units."""
    return paginate(briefing_paragraphs(briefing), limit)


def render_proof(citation: Citation, limit: int = SAFE_MESSAGE_CHARS) -> list[str]:
    """The evidence behind one citation: its source line and the exact quote."""
    pars = _lines([_source_line(f"[{citation.n}]", citation.title, citation.url, citation.source, citation.date,
                                citation.page, citation.date_source)])
    quote = _text_paragraphs(citation.quote)
    if quote:
        pars.extend(Paragraph((Span(p),), quote=True) for p in quote)
    else:
        pars.append(Paragraph((Span("No quote was recorded for this source.", "i"),)))
    return paginate(pars, limit)


def render_hits(hits: Sequence[Hit], heading: str = "Newest documents", limit: int = SAFE_MESSAGE_CHARS) -> list[str]:
    """A numbered list of documents (for /latest)."""
    if not hits:
        return paginate([Paragraph((Span("No documents yet."),))], limit)
    lines = [_source_line(f"{i}.", h.title, h.url, h.source, h.date, date_source=h.date_source)
             for i, h in enumerate(hits, 1)]
    return paginate(_lines(lines, heading), limit)


class StatsLike(Protocol):
    """What /sources shows; `index.engine.CorpusStats` has these fields."""

    documents: int
    chunks: int
    languages: dict[str, int]
    date_from: str
    date_to: str
    sources: list[tuple[str, int]]


def render_stats(stats: StatsLike, top: int = 15, limit: int = SAFE_MESSAGE_CHARS) -> list[str]:
    """What the bot knows: counts, date range, languages and the biggest feeds."""
    span = f"{stats.date_from} to {stats.date_to}" if stats.date_from else "no dated documents"
    pars = [
        Paragraph((Span("What I know", "b"),)),
        Paragraph((Span(f"{stats.documents} documents ({stats.chunks} passages), {span}."),)),
    ]
    if stats.languages:
        langs = ", ".join(f"{k} {v}" for k, v in sorted(stats.languages.items(), key=lambda kv: -kv[1]))
        pars.append(Paragraph((Span("Languages: "), Span(langs))))
    if stats.sources:
        lines = [[Span(f"{name or 'unknown'}: {count}")] for name, count in stats.sources[:top]]
        more = len(stats.sources) - top
        if more > 0:
            lines.append([Span(f"… and {more} more", "i")])
        pars.extend(_lines(lines, "Sources"))
    return paginate(pars, limit)


def render_text(text: str, style: str = "", limit: int = SAFE_MESSAGE_CHARS) -> list[str]:
    """Any text (ours or a user's) escaped into messages; `style` applies to every paragraph."""
    pars = [Paragraph((Span(p, style),)) for p in _text_paragraphs(text)]
    return paginate(pars, limit)


# --- digests ----------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join(sanitize_text(text).split())


def story_paragraph(rank: int, story: Story) -> Paragraph:
    """Headline (bold), summary, then the outlets, each linked to its item: one paragraph.

    A story is one paragraph so that it is never cut between two messages.
    """
    spans = [Span(f"{rank}. {_clean(story.headline) or 'Untitled'}", "b")]
    if story.summary:
        spans.append(Span("\n" + _clean(story.summary)))
    spans.append(Span("\n"))
    for i, (item, label) in enumerate(zip(story.items, outlet_labels(story.items), strict=True)):
        if i:
            spans.append(Span(", ", "i"))
        spans.append(Span(_clean(label), "i", safe_url(item.url)))
    return Paragraph(tuple(spans))


def render_digest_telegram(digest: Digest, title: str = "", limit: int = SAFE_MESSAGE_CHARS) -> list[str]:
    """The digest as Telegram HTML messages, each at most `limit` visible characters."""
    pars = [Paragraph((Span(_clean(digest_heading(digest, title)), "b"),))]
    if digest.empty:
        pars.append(Paragraph((Span(nothing_new(digest)),)))
        return paginate(pars, limit)
    pars.append(Paragraph((Span(counts_line(digest), "i"),), tight=True))
    pars.extend(story_paragraph(rank, story) for rank, story in enumerate(digest.stories, 1))
    return paginate(pars, limit)


def chart_caption(digest: Digest) -> str:
    """Plain caption for the coverage chart (well under Telegram's 1,024 characters)."""
    days = len(digest.per_day)
    return f"Items per day over the last {days} days up to {digest.window.date_to}, with each day's top story."


# --- reading our HTML back ------------------------------------------------------------------------

# Our own output only ever holds tags, the four named entities and numeric references.
_TOKEN = re.compile(
    r"<(?P<close>/)?(?P<name>[a-z][a-z0-9-]*)(?P<attrs>(?:\s+[a-z-]+(?:=\"[^\"<>]*\")?)*)\s*>"
    r"|&(?P<entity>#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);"
    r"|(?P<bad>[<>&])"
)
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _char_ref(ent: str) -> int:
    """Code point of a numeric reference body such as "#38" or "#x26"."""
    return int(ent[1:].replace("x", "0x", 1), 0) if ent[1] == "x" else int(ent[1:])


def visible_text(html: str) -> str:
    """The text Telegram would show for valid `html` (tags removed, entities decoded)."""
    out: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(html):
        out.append(html[pos : m.start()])
        pos = m.end()
        ent = m.group("entity")
        if ent:
            out.append(chr(_char_ref(ent)) if ent.startswith("#") else _NAMED[ent])
        elif m.group("bad"):
            out.append(m.group("bad"))
    out.append(html[pos:])
    return "".join(out)


_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)


def html_to_plain(html: str) -> str:
    """A plain-text version of our own HTML, for when Telegram rejects the markup.

    Links keep their target visibly ("Title (https://...)") since plain text has no hrefs.
    """
    def _link(m: re.Match[str]) -> str:
        label = visible_text(m.group(2))
        url = visible_text(m.group(1))
        return label if label == url else f"{m.group(2)} ({escape_text(url)})"

    return visible_text(_LINK.sub(_link, html))
