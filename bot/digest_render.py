"""A digest as terminal text and as Telegram HTML messages.

Document text (headlines, summaries, outlet names, links) is untrusted: the terminal gets it
with control characters removed, Telegram gets it through `bot.telegram.render`'s spans,
which escape everything and link only vetted http(s) URLs. Each story is one paragraph
(headline, summary, outlets) so a story is never cut between two messages.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.terminal import safe
from bot.telegram.render import SAFE_MESSAGE_CHARS, Paragraph, Span, paginate, safe_url, sanitize_text

if TYPE_CHECKING:
    from index.digest import Digest, DigestItem, Story


def window_label(digest: Digest) -> str:
    """"2023-08-01", "2023-08-01 to 2023-08-07" (with the zone when it is not UTC)."""
    window = digest.window
    first, last = window.date_from, window.date_to
    label = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
    return label if window.tz == "UTC" else f"{label} ({window.tz})"


def digest_heading(digest: Digest, title: str = "") -> str:
    return title or f"Digest for {window_label(digest)}"


def nothing_new(digest: Digest) -> str:
    return f"Nothing new: no documents were published in {window_label(digest)}."


def _counts_line(digest: Digest) -> str:
    outlets = len({i.source for s in digest.stories for i in s.items})
    stories = len(digest.stories)
    line = (f"{digest.items} item{'s' if digest.items != 1 else ''}; the {stories} main "
            f"stor{'ies' if stories != 1 else 'y'} below come from {outlets} outlet{'s' if outlets != 1 else ''}.")
    if digest.more:
        line += f" {digest.more} more item{'s' if digest.more != 1 else ''} in smaller stories not shown."
    return line


def _outlet_labels(items: Sequence[DigestItem]) -> list[str]:
    """One label per item: the outlet, numbered when an outlet carried several items."""
    totals = Counter(i.source or "unknown" for i in items)
    seen: Counter[str] = Counter()
    labels = []
    for item in items:
        name = item.source or "unknown"
        seen[name] += 1
        labels.append(f"{name} ({seen[name]})" if totals[name] > 1 and seen[name] > 1 else name)
    return labels


# --- terminal ------------------------------------------------------------------------------------


def render_digest_text(digest: Digest, title: str = "", width: int = 100) -> str:
    """Readable terminal text: heading, then each story with its summary and numbered sources."""
    lines = [safe(digest_heading(digest, title))]
    if digest.empty:
        lines.append(nothing_new(digest))
        return "\n".join(lines)
    lines.append(_counts_line(digest))
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


# --- Telegram ------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join(sanitize_text(text).split())


def story_paragraph(rank: int, story: Story) -> Paragraph:
    """Headline (bold), summary, then the outlets, each linked to its item: one paragraph."""
    spans = [Span(f"{rank}. {_clean(story.headline) or 'Untitled'}", "b")]
    if story.summary:
        spans.append(Span("\n" + _clean(story.summary)))
    spans.append(Span("\n"))
    for i, (item, label) in enumerate(zip(story.items, _outlet_labels(story.items), strict=True)):
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
    pars.append(Paragraph((Span(_counts_line(digest), "i"),), tight=True))
    pars.extend(story_paragraph(rank, story) for rank, story in enumerate(digest.stories, 1))
    return paginate(pars, limit)


def chart_caption(digest: Digest) -> str:
    """Plain caption for the coverage chart (well under Telegram's 1,024 characters)."""
    days = len(digest.per_day)
    return f"Items per day over the last {days} days up to {digest.window.date_to}, with each day's top story."
