"""Terminal rendering of answers, hits, stats and digests, and the words a digest is told in.

Document text is untrusted: control characters (ANSI escapes included) are removed
before anything reaches the terminal.

The digest's sentences (`digest_heading`, `nothing_new`, `counts_line`, `outlet_labels`)
are plain text, shared with the Telegram renderer so both surfaces say the same thing.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from index.text import strip_control

if TYPE_CHECKING:
    from index.briefing import Briefing
    from index.digest import Digest
    from index.types import Answer, CorpusStats, DigestItem, Hit


def safe(text: str) -> str:
    """Text fit for a terminal: no escape sequences, no bidi overrides (the engine's one control stripper)."""
    return strip_control(text)


def date_label(date: str, date_source: str = "") -> str:
    """The date as a reader sees it: flagged when it is only the day the document was ingested."""
    return f"{date} (ingest date)" if date and date_source == "ingested" else date


def page_label(page: int | None) -> str:
    """"p. 4" for a citation of a paged document (PDF), else ""."""
    return f"p. {page}" if page is not None else ""


def source_line(n: int, title: str, source: str, date: str, page: int | None = None, date_source: str = "") -> str:
    """`[n] Title — Outlet, 2023-08-01, p. 4`, cleaned for the terminal (the page only for paged documents)."""
    meta = ", ".join(p for p in (safe(source), date_label(date, date_source), page_label(page)) if p)
    return f"[{n}] {safe(title)}" + (f" — {meta}" if meta else "")


def render_answer(answer: Answer, width: int = 100) -> str:
    """An answer, then its numbered sources with their quotes (or the closest documents).

    A follow-up resolved against earlier turns first says what was asked: "(about: ...)".
    """
    lines = [f"(about: {safe(answer.searched)})"] if answer.used_context else []
    lines.append(textwrap.fill(safe(answer.answer), width))
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        for c in answer.citations:
            lines.append(source_line(c.n, c.title, c.source, c.date, c.page, c.date_source))
            if c.url:
                lines.append(f"    {safe(c.url)}")
            lines.append(textwrap.fill(f"“{safe(c.quote)}”", width, initial_indent="    ", subsequent_indent="    "))
    elif answer.abstained and answer.retrieved:
        lines.append("")
        lines.append("Closest documents (they do not answer it):")
        for i, hit in enumerate(answer.retrieved[:3], start=1):
            lines.append("  " + source_line(i, hit.title, hit.source, hit.date, date_source=hit.date_source))
    return "\n".join(lines)


def render_briefing(briefing: Briefing, width: int = 100) -> str:
    """A briefing or timeline: dated points with [n] markers, then the numbered sources."""
    heading = ("Briefing" if briefing.kind == "brief" else "Timeline") + f": {safe(briefing.topic)}"
    if briefing.abstained:
        return f"{heading}\n{briefing.message}"
    lines = [heading, ""]
    for point in briefing.points:
        marks = " ".join(f"[{c.n}]" for c in point.citations)
        lines.append(textwrap.fill(f"{point.date}  {safe(point.text)} {marks}", width, subsequent_indent=" " * 12))
    lines += ["", "Sources:"]
    for point in briefing.points:
        for c in point.citations:
            lines.append(source_line(c.n, c.title, c.source, c.date, c.page, c.date_source))
            if c.url:
                lines.append(f"    {safe(c.url)}")
    return "\n".join(lines)


def render_reply(reply: Answer | Briefing, width: int = 100) -> str:
    """An answer or a briefing, whichever a chat message got."""
    from index.briefing import Briefing

    return render_briefing(reply, width) if isinstance(reply, Briefing) else render_answer(reply, width)


def render_hits(hits: list[Hit]) -> str:
    """A numbered list of documents with their links."""
    if not hits:
        return "No documents."
    out = []
    for i, hit in enumerate(hits, start=1):
        out.append(source_line(i, hit.title, hit.source, hit.date, date_source=hit.date_source))
        if hit.url:
            out.append(f"    {safe(hit.url)}")
    return "\n".join(out)


def render_stats(stats: CorpusStats) -> str:
    """What the store holds: location, counts, dates, languages, outlets."""
    langs = ", ".join(f"{k or '?'} {v}" for k, v in stats.languages.items()) or "none"
    top = ", ".join(f"{safe(s)} {n}" for s, n in stats.sources[:10]) or "none"
    span = f"{stats.date_from} to {stats.date_to}" if stats.date_from else "no dates"
    return "\n".join([
        f"store:      {stats.location}",
        f"documents:  {stats.documents} ({stats.chunks} chunks)",
        f"dates:      {span}",
        f"languages:  {langs}",
        f"outlets:    {len(stats.sources)} ({top})",
    ])


# --- digests: the words (shared with Telegram), then the terminal layout ---------------------------


def window_label(digest: Digest) -> str:
    """"2023-08-01", "2023-08-01 to 2023-08-07" (with the zone when it is not UTC)."""
    window = digest.window
    first, last = window.date_from, window.date_to
    label = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
    return label if window.tz == "UTC" else f"{label} ({window.tz})"


def digest_heading(digest: Digest, title: str = "") -> str:
    """`title`, or "Digest for <window>"."""
    return title or f"Digest for {window_label(digest)}"


def nothing_new(digest: Digest) -> str:
    """What an empty digest says."""
    window = digest.window
    when = "on" if window.date_from == window.date_to else "from"  # "on 2023-08-01", "from 2023-08-01 to ..."
    return f"Nothing new: no documents were published {when} {window_label(digest)}."


def counts_line(digest: Digest) -> str:
    """How many items, stories and outlets the digest draws on (and how many it leaves out)."""
    outlets = len({i.source for s in digest.stories for i in s.items})
    stories = len(digest.stories)
    line = (f"{digest.items} item{'s' if digest.items != 1 else ''}; the {stories} main "
            f"stor{'ies' if stories != 1 else 'y'} below come{'s' if stories == 1 else ''} from {outlets} "
            f"outlet{'s' if outlets != 1 else ''}.")
    if digest.more:
        line += f" {digest.more} more item{'s' if digest.more != 1 else ''} in smaller stories not shown."
    return line


def outlet_labels(items: Sequence[DigestItem]) -> list[str]:
    """One label per item: the outlet, numbered when an outlet carried several items."""
    totals = Counter(i.source or "unknown" for i in items)
    seen: Counter[str] = Counter()
    labels = []
    for item in items:
        name = item.source or "unknown"
        seen[name] += 1
        labels.append(f"{name} ({seen[name]})" if totals[name] > 1 and seen[name] > 1 else name)
    return labels


def render_digest_text(digest: Digest, title: str = "", width: int = 100) -> str:
    """Readable terminal text: heading, then each story with its summary and numbered sources."""
    lines = [safe(digest_heading(digest, title))]
    if digest.empty:
        lines.append(nothing_new(digest))
        return "\n".join(lines)
    lines.append(counts_line(digest))
    for rank, story in enumerate(digest.stories, 1):
        lines.append("")
        lines.append(textwrap.fill(f"{rank}. {safe(story.headline)}", width, subsequent_indent="   "))
        if story.summary:
            lines.append(textwrap.fill(safe(story.summary), width, initial_indent="   ", subsequent_indent="   "))
        lines.append(textwrap.fill("Outlets: " + ", ".join(safe(o) for o in story.outlets), width,
                                   initial_indent="   ", subsequent_indent="   "))
        for item in story.items:
            lines.append(f"   - {safe(item.title)} — {safe(item.source)}, {item.date}")
            if item.url:
                lines.append(f"     {safe(item.url)}")
    return "\n".join(lines)
