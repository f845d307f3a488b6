"""Saved web pages (.html/.htm): the article, not the page around it.

trafilatura finds the main content (title, date, site name, text), leaving out navigation,
cookie banners, "read more" boxes and footers, so none of them becomes a quotable sentence.
It works on the string it is given: nothing is fetched. The page's own markup still names
the document: its `<link rel=canonical>` (else `og:url`) is the document's URL, and its
`article:published_time` (or a `<time datetime>`) its date, as before.

Measured (bench/web_extract.py): a few milliseconds per news page on one core.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from html.parser import HTMLParser

from .text import strip_control

# trafilatura logs a WARNING for every page it finds nothing in ("discarding data: None"); the
# loader reports such a page itself, as a Problem, and an ingest's output is its own.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

# htmldate's extensive search reads any date in the page's text (a copyright year, a related
# story's date); the page's markup and URL are what say when this article was published.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
# A page built by scripts says "Please enable JavaScript" in <noscript>: that is not its article.
_PRUNE = ["//noscript"]
MIN_ARTICLE_WORDS = 4  # "Loading…" is not an article


class WebPageError(ValueError):
    """A page with no article in it; the message says why, fit to show a user."""


@dataclass(frozen=True)
class WebArticle:
    """The article of a saved page."""

    title: str
    text: str  # paragraphs, blank-line separated
    url: str  # canonical URL (or og:url) from the markup, else what trafilatura found, else ""
    published: str  # the markup's publication time (ISO 8601), else trafilatura's date, else ""
    site: str  # the site's name (og:site_name or the host), else ""


class _PageMeta(HTMLParser):
    """The markup's own statements: <title>, the first <h1>, canonical URL, publication time."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.og_title = ""
        self.h1 = ""
        self._h1_done = False
        self.url = ""
        self.published = ""
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            name = (a.get("property") or a.get("name") or "").lower()
            if name in ("article:published_time", "date", "pubdate", "dc.date", "og:published_time"):
                self.published = self.published or a.get("content", "")
            elif name == "og:url":
                self.url = self.url or a.get("content", "")
            elif name == "og:title":
                self.og_title = self.og_title or a.get("content", "")
        elif tag == "link" and a.get("rel", "").lower() == "canonical":
            self.url = a.get("href", "") or self.url
        elif tag == "time" and a.get("datetime"):
            self.published = self.published or a["datetime"]
        if tag not in ("meta", "link", "br", "img", "input", "hr"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1" and self.h1.strip():
            self._h1_done = True
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if "title" in self._in and "svg" not in self._in:
            self.title += data
        elif "h1" in self._in and not self._h1_done:
            self.h1 += data


def read_html(html: str) -> WebArticle:
    """The article of a saved page.

    Raises:
        WebPageError: the page holds no article text (only scripts, an empty shell).
    """
    import trafilatura

    meta = _PageMeta()
    meta.feed(html)
    meta.close()
    try:
        found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True,
                                            date_extraction_params=_DATE_PARAMS, prune_xpath=_PRUNE)
    except Exception as exc:  # lxml and the extractors raise many kinds on pathological markup
        raise WebPageError(f"unreadable page ({type(exc).__name__})") from None
    text = _paragraphs(getattr(found, "text", None) or "") if found is not None else ""
    if len(text.split()) < MIN_ARTICLE_WORDS:
        raise WebPageError("no article text")
    site = _one_line(getattr(found, "sitename", None) or getattr(found, "hostname", None) or "")
    title = _one_line(meta.og_title) or _without_site(_one_line(meta.title), site) \
        or _one_line(getattr(found, "title", None) or "") or _one_line(meta.h1)
    url = meta.url.strip() or (getattr(found, "url", None) or "").strip()
    published = meta.published.strip() or (getattr(found, "date", None) or "").strip()
    return WebArticle(title=title, text=_with_headline(text, _one_line(meta.h1), title), url=url,
                      published=published, site=site)


def _with_headline(text: str, h1: str, title: str) -> str:
    """The text led by the article's headline (its <h1>), as the page shows it.

    trafilatura keeps the headline for some layouts and not for others; leading with it always
    keeps every page's text alike (and as this loader gave it before). Only a headline that
    matches the title counts: some sites put their logo's name in <h1>.
    """
    head, lead = h1.lower(), text.split("\n\n", 1)[0].lower()
    if not head or head == lead or not (head in title.lower() or title.lower() in head):
        return text
    return f"{h1}\n\n{text}"


def _without_site(title: str, site: str) -> str:
    """"Cholera cases rise | Sahel Daily" -> "Cholera cases rise" when the tail is the site's name."""
    for separator in (" | ", " - ", " – ", " — ", " :: "):
        head, _, tail = title.rpartition(separator)
        if head and site and tail.strip().lower() in (site.lower(), site.lower().removeprefix("www.")):
            return head.strip()
    return title


def _one_line(text: str) -> str:
    return " ".join(strip_control(text).split())


def _paragraphs(text: str) -> str:
    """trafilatura's lines (one per paragraph, heading or list item) as blank-line separated paragraphs."""
    return "\n\n".join(line for line in (_one_line(x) for x in text.splitlines()) if line)
