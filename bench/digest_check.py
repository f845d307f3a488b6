"""Check digest stories against a keyword per day: is the day's main event one story, near the top?

    .venv/bin/python bench/digest_check.py                       # the built-in list of days
    .venv/bin/python bench/digest_check.py 2023-08-07=airspace   # your own DAY=REGEX pairs
    .venv/bin/python bench/digest_check.py --data-dir /tmp/niger --top 6

For each day it builds the digest (UTC days) from a store holding seeds/ and the shared Niger
feed (ingested into --data-dir first; unchanged items cost nothing), prints the top stories
with their sizes and outlets, and then judges the day's main event the way the issue does:

- a *report* of the event is a distinct title (one outlet's story in several feeds counts
  once) among the day's items whose title or opening text matches the day's REGEX (the broad
  judge: a piece about something else that mentions the event in passing counts too);
- the *main story* is the story among the first three holding most of those reports;
- recall = its reports of the event / all reports of the event that day;
- purity = its citations matching REGEX / all its citations;
- recall_t / purity_t: the same with a narrow judge, REGEX in the title only;
- split = other stories whose headline matches REGEX (the event shown under two headlines).

It also checks what must hold for every digest: each stored item cited at most once, every
citation dated inside the window, every Telegram message valid HTML within 4,096 characters.
The keywords are a judge's shorthand, not what the clustering sees.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

NIGER_FEED = ROOT.parent / "shared" / "data" / "niger-2023-rss.jsonl"

# The three development days of the issue first, then days checked as held-out ones: the
# regex names the day's main event as a reader would pick it from the headlines.
DAYS: list[tuple[str, str]] = [
    ("2023-08-01", r"evacuat"),
    ("2023-08-14", r"treason"),
    ("2023-09-25", r"withdraw|pull|\bend\b|exit"),
    ("2023-07-26", r"palace|detain|presidential guard|confined|coup attempt|attempted coup"),
    ("2023-07-28", r"declares? (himself|niger)|head of (state|transitional)|announced as leader|new leader"),
    ("2023-08-03", r"embassy"),
    ("2023-08-07", r"airspace"),
    ("2023-08-09", r"food"),
    ("2023-08-10", r"standby"),
    ("2023-08-16", r"killed|attack"),
    ("2023-08-18", r"d-day|defence chiefs|finalises"),
    ("2023-09-15", r"hostage"),
    ("2023-10-20", r"escape"),
    ("2023-07-27", r"announce|overthr|seize|ousted|takeover|claim"),
    ("2023-08-05", r"\baid\b|assistance|paus"),
    ("2023-08-22", r"african union|suspend"),
    ("2023-08-31", r"ambassador|expel"),
    ("2023-09-05", r"withdraw"),
    ("2023-10-05", r"troop|pull|withdraw"),
    ("2023-08-02", r"evacu"),
]


def check_day(engine, day: date, pattern: str, top: int) -> dict:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from bot.telegram.render import render_digest_telegram
    from index.dates import DigestWindow
    from index.digest import build_digest, window_items
    from index.text import title_key
    from support.telegram_html import check_telegram_html

    regex = re.compile(pattern, re.I)

    def broad(i) -> bool:
        return bool(regex.search(f"{i.title}\n{i.text}"))

    def narrow(i) -> bool:
        return bool(regex.search(i.title))

    window = DigestWindow.for_day(day, "UTC")
    started = time.perf_counter()
    digest = build_digest(engine, window)
    elapsed = time.perf_counter() - started
    items = window_items(engine, window)
    about = {title_key(i.title) for i in items if broad(i)}
    about_t = {title_key(i.title) for i in items if narrow(i)}

    print(f"\n=== {day}  /{pattern}/  {len(items)} items, {len(digest.stories)} stories, "
          f"{len(about)} reports of the event  ({elapsed:.1f} s)")
    for rank, story in enumerate(digest.stories[:top], 1):
        hits = sum(1 for i in story.items if broad(i))
        print(f"  {rank}. [{len(story.items)} items, {story.reports} reports, {len(story.outlets)} outlets, "
              f"{hits} match] {story.headline[:90]}")
        print(f"       {', '.join(story.outlets)[:110]}")

    best = None
    for rank, story in enumerate(digest.stories[:3], 1):
        reports = {title_key(i.title) for i in story.items} & about
        if reports and (best is None or len(reports) > best[1]):
            best = (rank, len(reports), story)
    row = {"day": str(day), "items": len(items), "event_reports": len(about), "rank": None, "size": 0,
           "recall": 0.0, "purity": 0.0, "recall_t": 0.0, "purity_t": 0.0, "split": 0}
    if best is not None:
        rank, found, story = best
        keys = {title_key(i.title) for i in story.items}
        row.update(rank=rank, size=len(story.items), recall=found / len(about),
                   purity=sum(map(broad, story.items)) / len(story.items),
                   recall_t=len(keys & about_t) / len(about_t) if about_t else 1.0,
                   purity_t=sum(map(narrow, story.items)) / len(story.items),
                   split=sum(1 for s in digest.stories if s is not story and regex.search(s.headline)))

    # Invariants of every digest.
    cited = [i.doc_id for s in digest.stories for i in s.items]
    assert len(cited) == len(set(cited)), "an item is cited under two stories"
    assert all(i.date == str(day) for s in digest.stories for i in s.items), "a citation outside the day"
    for message in render_digest_telegram(digest):
        check_telegram_html(message)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("days", nargs="*", help="DAY=REGEX pairs (default: the built-in list)")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/briefbot-digest-check"))
    parser.add_argument("--top", type=int, default=5, help="stories printed per day")
    args = parser.parse_args(argv)
    pairs = [tuple(p.split("=", 1)) for p in args.days] if args.days else DAYS

    from index import Briefbot, Settings

    engine = Briefbot(Settings(data_dir=args.data_dir, _env_file=None))  # type: ignore[call-arg]
    if not NIGER_FEED.exists():
        print(f"the shared Niger feed is missing ({NIGER_FEED})", file=sys.stderr)
        return 2
    report = engine.ingest([ROOT / "seeds", NIGER_FEED])
    print(f"store {args.data_dir}: {report.added} new, {report.unchanged} unchanged")

    rows = [check_day(engine, date.fromisoformat(d), pattern, args.top) for d, pattern in pairs]
    print("\nday         items  event  rank  size  recall  purity  recall_t  purity_t  split")
    for row in rows:
        rank = row["rank"] if row["rank"] is not None else "-"
        print(f"{row['day']}  {row['items']:5d}  {row['event_reports']:5d}  {rank!s:>4}  {row['size']:4d}  "
              f"{row['recall']:6.2f}  {row['purity']:6.2f}  {row['recall_t']:8.2f}  {row['purity_t']:8.2f}  "
              f"{row['split']:5d}")
    for judge, r_key, p_key in (("broad", "recall", "purity"), ("title", "recall_t", "purity_t")):
        ok = [r for r in rows if r["rank"] is not None and r[r_key] >= 0.8 and r[p_key] >= 0.85 and not r["split"]]
        print(f"{judge} judge: {len(ok)} of {len(rows)} days meet rank <= 3, recall >= 0.80, purity >= 0.85, "
              f"one headline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
