"""Saved news pages through `index.web_loader.read_html` (trafilatura): time per page, leftovers, no network.

Builds news pages as outlets serve them (cookie banner, navigation, related links, footer, inline
script; `tests/support/documents.news_page`) with 6-40 paragraphs, light (5-11 KB) and heavy
(150-400 KB of script, 400-800 menu links, as real pages weigh), and reads each
with the socket layer closed: any connection attempt is counted (and refused). Prints ms/page
(median, p95) per page size and how many pages let page furniture into the text.

Usage: python bench/web_extract.py [--pages 200]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support.documents import PAGE_CHROME, news_page  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200, help="pages per size")
    args = parser.parse_args()

    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network closed by bench/web_extract.py")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign,assignment]

    from index.web_loader import read_html

    read_html(news_page(["Warm-up paragraph about the first convoy reaching the camps."] * 3))
    print("| paragraphs | page KB | ms/page median | ms/page p95 | pages with page furniture in the text |")
    print("|---|---|---|---|---|")
    for size, script_kb, links in ((6, 2, 0), (15, 2, 0), (40, 2, 0), (15, 150, 400), (40, 400, 800)):
        times: list[float] = []
        leaks = 0
        kb = 0.0
        for n in range(args.pages):
            paragraphs = [f"Report {n}.{i}: the district office in Diffa said {n * 31 + i} families had received "
                          f"food rations on day {i}, while {i * 7 + n} households were still waiting for tents "
                          "along the road to the border." for i in range(size)]
            html = news_page(paragraphs, script_kb=script_kb, menu_links=links)
            kb = len(html.encode()) / 1000
            started = time.perf_counter()
            article = read_html(html)
            times.append((time.perf_counter() - started) * 1000)
            leaks += any(chrome in article.text for chrome in PAGE_CHROME)
        p95 = sorted(times)[int(0.95 * (len(times) - 1))]
        print(f"| {size} | {kb:.0f} | {statistics.median(times):.1f} | {p95:.1f} | {leaks} of {args.pages} |")
    print(f"\nnetwork connection attempts: {len(attempts)}")


if __name__ == "__main__":
    main()
