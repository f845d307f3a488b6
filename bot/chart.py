"""The coverage chart: items per day over the last days of a digest window, each day's top story beside its bar.

Rendered headless with matplotlib's Agg backend (no display, no GUI toolkit) to PNG bytes of a
fixed size (CHART_WIDTH x CHART_HEIGHT pixels), which the CLI writes to a file and the Telegram
bot sends with sendPhoto. Days run top to bottom, oldest first, as a reader scans a list.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from bot.terminal import safe

CHART_WIDTH = 1200
CHART_HEIGHT = 700
_DPI = 100
HEADLINE_CHARS = 70


def _short(text: str, limit: int = HEADLINE_CHARS) -> str:
    text = " ".join(safe(text).split())
    # "$" starts mathtext in matplotlib: a headline with two dollar signs would render as a formula.
    text = text.replace("$", r"\$")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def coverage_chart(per_day: Sequence[tuple[date, int, str]], title: str = "") -> bytes:
    """PNG bytes: one horizontal bar per day (items that day), the day's top headline beside it."""
    import matplotlib

    matplotlib.use("Agg", force=True)  # headless: never look for a display
    from matplotlib.figure import Figure

    # A Figure without pyplot: no global state, safe to build from worker threads.
    fig = Figure(figsize=(CHART_WIDTH / _DPI, CHART_HEIGHT / _DPI), dpi=_DPI)
    ax = fig.add_axes((0.09, 0.08, 0.89, 0.84))
    days = list(per_day)
    counts = [n for _, n, _ in days]
    rows = list(range(len(days)))
    peak = max(counts, default=0) or 1
    ax.barh(rows, counts, color="#4a7ab5", height=0.7)
    ax.set_yticks(rows, [d.strftime("%a %d %b") for d, _, _ in days], fontsize=9)
    ax.invert_yaxis()
    # Room to the right of the longest bar for its headline.
    ax.set_xlim(0, peak * 2.6)
    ax.set_xlabel("items published that day")
    for row, (_, n, headline) in enumerate(days):
        label = f"{n}  {_short(headline)}" if headline else (str(n) if n else "no items")
        ax.text(n + peak * 0.02, row, label, va="center", fontsize=8.5, color="#222222")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(_short(title, 110), fontsize=11, loc="left")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=_DPI)  # fixed size: no bbox_inches="tight"
    return buffer.getvalue()
