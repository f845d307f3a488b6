"""News outlets a question names, matched to the sites reports come from.

"According to the Times of India", "told Le Monde", "the Guardian's live blog": a desk often
asks what one outlet reported. The report's own site is the outlet (timesofindia.indiatimes.com,
lemonde.fr, theguardian.com), though its text may never write the name. Two uses:

* `names_site`, loose: whether a document's site can stand for a name the question gives,
  when the text lacks the name (the answerer's check that every key name is found);
* `named_sources`, strict: which stored sources a question names, so that retrieval also
  looks among their reports (a loose match would take "Times" for nytimes.com).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .questions import KeyName

# Labels of a host that name no outlet: "www", "news" of news.sky.com, the top-level domains.
SITE_NOISE = frozenset("www www2 m amp news feeds feed rss edition editions co com org net gov ac".split())


def site_labels(url_or_host: str) -> list[str]:
    """The labels of a site that may name its outlet: "https://news.sky.com/story" -> ["sky"]."""
    host = re.sub(r"^(?:https?://)?", "", url_or_host.lower()).split("/")[0]
    return [label for label in host.split(".")[:-1] if label not in SITE_NOISE]


def without_own_name(text: str, url_or_host: str) -> str:
    """A report's text with its own outlet's name in lower case, so that it names no answer: "The
    Guardian view on Hawaii's wildfire" on theguardian.com names Hawaii, not the Guardian. Only a web
    address names an outlet: an uploaded file's name ("tillia.html") is no outlet's."""
    if not re.match(r"https?://", url_or_host):
        return text
    labels = site_labels(url_or_host)
    return re.sub(r"\b[A-Z][A-Za-z]{3,}\b",
                  lambda m: m.group(0).lower() if any(m.group(0).lower() in label for label in labels) else m.group(0),
                  text)


def names_site(name: KeyName, labels: Iterable[str]) -> bool:
    """Whether a site's labels can stand for a name: "AP" for apnews, "Le Monde" for lemonde, "Sky News" for sky."""
    labels = list(labels)
    return bool((name.initials and any(label.startswith(name.initials) for label in labels))
                or (name.joined and any(name.joined in label for label in labels))
                or (name.core and name.core in labels))


def _names_site_strictly(name: KeyName, labels: list[str]) -> bool:
    """Like `names_site`, but a label must be the whole name ("guardian" is theguardian, "times" no site)."""
    whole = {name.joined, name.core, f"the{name.joined}"} - {"", "the"}
    for label in labels:
        if label in whole or label == name.initials:
            return True
        # "New York Times" (nyt) is nytimes; a one-word initialism only its own label ("TIME" is not timesofindia).
        if len(name.terms) > 1 and len(name.initials) >= 3 and label.startswith(name.initials):
            return True
    return False


def named_sources(names: Iterable[KeyName], sources: Iterable[str]) -> set[str]:
    """The stored sources (hosts) that a question's key names name: "Forbes" -> {"forbes.com"}."""
    names = [n for n in names if n.initials or n.joined or n.core]
    if not names:
        return set()
    return {source for source in set(sources) if source
            and any(_names_site_strictly(name, site_labels(source)) for name in names)}
