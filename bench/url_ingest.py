"""Link ingest throughput: N generated article pages served on loopback, through `Briefbot.ingest_urls`.

Pages are built from the sentences of seeds/ and tests/corpus/ (shuffled with a fixed seed,
about 250 words each, dated, with the usual <head> of a news page) and served by a threaded
`http.server` in this process. Measured, one after the other:

1. fetch only: `fetch_url` for every URL, one at a time (the network part alone);
2. fetch + read: `index.links.link_documents` (4 fetches in flight, each body through the loaders);
3. `ingest_urls` into an empty store (model loaded beforehand, so this is the steady rate);
4. `ingest_urls` again (unchanged pages: fetched and read, nothing embedded);
5. `ingest_documents` of the same documents from memory into another empty store (no fetching).

The share of fetching in (3) is given two ways: the fetch-only time of (1) against (3), and
the time the ingest's consumer thread waited for a fetched page (fetches run ahead on 4
threads, so a wait is fetch time that was not hidden behind embedding).

Usage: python bench/url_ingest.py [--pages 200] [--repeat 1]
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def sentences() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8", errors="replace")
                    for folder in (ROOT / "seeds", ROOT / "tests" / "corpus")
                    for p in sorted(folder.glob("*")) if p.suffix in (".txt", ".md"))
    text = re.sub(r"\s+", " ", re.sub(r"^\s*date \S+ Title:", "", text))
    found = [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if 40 <= len(s.strip()) <= 400]
    if len(found) < 20:
        raise SystemExit("too few sentences in seeds/ and tests/corpus/ to build pages")
    return found


def build_pages(count: int) -> dict[str, bytes]:
    rng = random.Random(20230726)
    pool = sentences()
    pages = {}
    for n in range(count):
        body = []
        words = 0
        while words < 250:
            sentence = rng.choice(pool)
            body.append(sentence)
            words += len(sentence.split())
        title = f"Report {n}: " + " ".join(body[0].split()[:8])
        day = 1 + n % 28
        head = (f"<title>{title}</title><meta charset='utf-8'>"
                f"<meta property='article:published_time' content='2023-08-{day:02d}T09:00:00Z'>"
                "<link rel='stylesheet' href='/site.css'><script>var analytics = 1;</script>")
        nav = "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/africa'>Africa</a></nav>"
        paragraphs = "".join(f"<p>{s}</p>" for s in body)
        pages[f"/news/2023/08/report-{n}.html"] = (
            f"<!doctype html><html><head>{head}</head><body>{nav}<article><h1>{title}</h1>{paragraphs}"
            f"</article><footer>© Example Wire</footer></body></html>").encode()
    return pages


def serve(pages: dict[str, bytes]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Waits:
    """Wraps the fetch futures' `result` to add up how long the ingest waited for fetched pages."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def install(self) -> None:
        from concurrent.futures import Future

        original = Future.result
        waits = self

        from index.fetch import Fetched

        def timed_result(future: Future, timeout: float | None = None) -> Any:
            started = time.perf_counter()
            value = original(future, timeout)
            if isinstance(value, Fetched):  # not the store writer's futures, which the ingest also waits on
                waits.seconds += time.perf_counter() - started
            return value

        Future.result = timed_result  # type: ignore[method-assign]
        self._restore = lambda: setattr(Future, "result", original)

    def remove(self) -> None:
        self._restore()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()

    from index.config import Settings
    from index.engine import Briefbot
    from index.fetch import FetchLimits, fetch_url
    from index.links import link_documents

    pages = build_pages(args.pages)
    server = serve(pages)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    urls = [base + path for path in pages]
    limits = FetchLimits(allow_private=True)
    words = sum(len(re.sub(r"<[^>]+>", " ", p.decode()).split()) for p in pages.values()) / len(pages)
    print(f"{len(urls)} pages, {words:.0f} words each on average, served on loopback")

    started = time.perf_counter()
    for url in urls:
        fetch_url(url, limits)
    fetch_only = time.perf_counter() - started

    started = time.perf_counter()
    docs = [d for d in link_documents(urls, limits)]
    fetch_read = time.perf_counter() - started
    problems = [d for d in docs if not hasattr(d, "text")]
    if problems:
        raise SystemExit(f"{len(problems)} pages failed, first: {problems[0]}")

    with tempfile.TemporaryDirectory(prefix="url-bench-") as folder:
        engine = Briefbot(Settings(data_dir=Path(folder), allow_private_urls=True, _env_file=None))  # type: ignore[call-arg]
        engine.warm_up()  # model load is not the link path's cost
        waits = Waits()
        waits.install()
        started = time.perf_counter()
        first = engine.ingest_urls(urls)
        ingest = time.perf_counter() - started
        waited = waits.seconds
        waits.seconds = 0.0
        started = time.perf_counter()
        again = engine.ingest_urls(urls)
        reingest = time.perf_counter() - started
        waits.remove()
    with tempfile.TemporaryDirectory(prefix="url-bench-") as folder:
        # The same documents from memory: what ingest costs without any fetching.
        engine = Briefbot(Settings(data_dir=Path(folder), _env_file=None))  # type: ignore[call-arg]
        engine.warm_up()
        started = time.perf_counter()
        engine.ingest_documents(docs)
        no_fetch = time.perf_counter() - started
    server.shutdown()
    if first.added != len(urls) or again.unchanged != len(urls):
        raise SystemExit(f"unexpected reports: {first} / {again}")

    n = len(urls)
    rows = [
        ("fetch only (fetch_url, one at a time)", fetch_only, ""),
        ("fetch + read (link_documents, 4 in flight)", fetch_read, ""),
        ("ingest_urls, empty store", ingest,
         f"{first.chunks_embedded} chunks embedded; waited for fetches {waited:.3f} s ({waited / ingest:.0%})"),
        ("ingest_urls again (unchanged)", reingest, f"nothing embedded; waited for fetches {waits.seconds:.3f} s"),
        ("ingest_documents of the same pages (no fetch)", no_fetch, "the same documents, already in memory"),
    ]
    print(f"{'step':<46} {'seconds':>8} {'docs/s':>8} {'ms/doc':>7}  notes")
    for name, seconds, note in rows:
        print(f"{name:<46} {seconds:8.2f} {n / seconds:8.1f} {seconds / n * 1000:7.1f}  {note}")
    print(f"fetching alone is {fetch_only / ingest:.0%} of the first ingest's time "
          f"(fetch + read {fetch_read / ingest:.0%}); the rest is chunking, embedding and the store")


if __name__ == "__main__":
    main()
