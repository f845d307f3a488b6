"""Terminal rendering of answers, hits and stats.

Document text is untrusted: control characters (ANSI escapes included) are removed
before anything reaches the terminal.
"""

from __future__ import annotations

import re
import textwrap

from index.engine import CorpusStats
from index.types import Answer, Hit

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """Text fit for a terminal: no escape sequences, no bidi overrides."""
    return _CONTROL.sub("", text or "")


def source_line(n: int, title: str, source: str, date: str) -> str:
    meta = ", ".join(p for p in (safe(source), date) if p)
    return f"[{n}] {safe(title)}" + (f" — {meta}" if meta else "")


def render_answer(answer: Answer, width: int = 100) -> str:
    lines = [textwrap.fill(safe(answer.answer), width)]
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        for c in answer.citations:
            lines.append(source_line(c.n, c.title, c.source, c.date))
            if c.url:
                lines.append(f"    {safe(c.url)}")
            lines.append(textwrap.fill(f"“{safe(c.quote)}”", width, initial_indent="    ", subsequent_indent="    "))
    elif answer.abstained and answer.retrieved:
        lines.append("")
        lines.append("Closest documents (they do not answer it):")
        for i, hit in enumerate(answer.retrieved[:3], start=1):
            lines.append("  " + source_line(i, hit.title, hit.source, hit.date))
    return "\n".join(lines)


def render_hits(hits: list[Hit]) -> str:
    if not hits:
        return "No documents."
    out = []
    for i, hit in enumerate(hits, start=1):
        out.append(source_line(i, hit.title, hit.source, hit.date))
        if hit.url:
            out.append(f"    {safe(hit.url)}")
    return "\n".join(out)


def render_stats(stats: CorpusStats) -> str:
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
