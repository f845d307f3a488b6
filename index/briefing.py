"""Briefings and timelines: a topic's developments, one cited point per story.

    from index import Briefbot
    from index.briefing import build_briefing
    briefing = build_briefing(Briefbot(), "French troops in Niger", kind="timeline")
    for point in briefing.points:
        print(point.date, point.text, [c.n for c in point.citations])

A desk asks "what's the latest on Bazoum's detention?" or "brief me on ECOWAS". One quoted
sentence from one report does not answer that; a short list of dated developments does. The
topic is searched broadly (hybrid search, many candidates); reports that cannot support it
are dropped by the same rule answers use (they must name what the topic hinges on and be on
topic); the rest are grouped into stories with the digest's clustering, so ten outlets
reporting one development make one point. Each story gives one point: the sentence of its
reports that covers the topic best, quoted, dated by the report it comes from, and cited
together with up to two more reports of the story. Every source is cited once per briefing.

A "brief" lists points newest first and always includes the story of the newest relevant
report in the window; a "timeline" lists the same kind of points oldest first. Stories whose
best sentence is off the topic are dropped rather than padded; a topic with no relevant
report abstains.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as time_of_day
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from .answer import quote_found, support
from .clustering import (
    LINK_THRESHOLD,
    IdfTable,
    average_linkage,
    group_reports,
    reassign,
    similarity_matrix,
)
from .dates import check_window
from .errors import QuestionError
from .questions import QuestionProfile, coverage, profile_question
from .search import Window
from .terms import capital_country, terms
from .text import one_line, split_sentences, typed_text
from .types import Citation, DigestItem, Hit

if TYPE_CHECKING:
    from .parts import EngineParts

Kind = Literal["brief", "timeline"]
MAX_POINTS = 8
CANDIDATE_DOCS = 60  # documents retrieved for a topic (one per title)
CANDIDATE_CHUNKS = 200  # chunks each retriever offers before fusion
STORY_DAYS = 2  # reports of one development are at most this many days apart
CITED_PER_POINT = 3  # the quoted report and up to two more of the same story
MIN_POINT_COVERAGE = 0.34  # a point's sentence carries at least this share of the topic's weight ...
MIN_REPORT_COVERAGE = 0.99  # ... or names the topic in a report that covers all of it ...
MIN_REPORT_SIMILARITY = 0.5  # ... or is this close to it (cosine of topic and report)
MAX_TOPIC_CHARS = 200
MAX_SENTENCE_CHARS = 400
NO_COVERAGE = "I couldn't find reports on this topic in the documents."


@dataclass(frozen=True)
class Point:
    """One development: its date, one quoted sentence, and the reports that carried it."""

    date: str
    text: str
    citations: tuple[Citation, ...]

    def to_json(self) -> dict[str, Any]:
        """The point's JSON contract."""
        return {"date": self.date, "text": self.text, "citations": [c.to_json() for c in self.citations]}


@dataclass(frozen=True)
class Briefing:
    """Dated, cited developments on a topic: newest first ("brief") or oldest first ("timeline")."""

    topic: str
    kind: Kind
    points: tuple[Point, ...]
    abstained: bool = False
    message: str = ""  # why it abstained
    elapsed_ms: float = 0.0
    since: str = ""
    until: str = ""
    retrieved: tuple[Hit, ...] = field(default_factory=tuple)
    question: str = ""  # the question it answers, when a question was routed to it ("what's the latest on X?")

    def to_json(self, id: str | None = None) -> dict[str, Any]:
        """The briefing's JSON contract, led by `id` when given."""
        out: dict[str, Any] = {} if id is None else {"id": id}
        out.update({"topic": self.topic, "kind": self.kind, "abstained": self.abstained,
                    "points": [p.to_json() for p in self.points], "elapsed_ms": round(self.elapsed_ms, 1)})
        if self.abstained:
            out["message"] = self.message
        return out

    @property
    def answer_text(self) -> str:
        """The briefing as one answer's text: a line per point (date, sentence, [n] markers), or why it abstained."""
        if self.abstained:
            return self.message
        return "\n".join(f"{p.date}: {p.text} " + " ".join(f"[{c.n}]" for c in p.citations) for p in self.points)

    def to_answer_json(self, id: str | None = None) -> dict[str, Any]:
        """The answer's JSON contract (`Answer.to_json`) for a question routed to this briefing, with the
        briefing's own fields (topic, kind, points) kept: a tool reading answers finds every field it expects."""
        question = self.question or self.topic
        out: dict[str, Any] = {} if id is None else {"id": id}
        out.update({"question": question, "resolved_question": question, "answer": self.answer_text,
                    "abstained": self.abstained, "answerer": "extractive",
                    "citations": [c.to_json() for p in self.points for c in p.citations],
                    "retrieved": [h.to_json() for h in self.retrieved[:10]]})
        out.update(self.to_json())
        for name in ("since", "until"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        return out


_REQUEST = re.compile(
    r"^\s*(?:(?:what'?s|what is|what are)\s+the\s+(?:latest|newest|news)"
    r"(?:\s+(?:news|developments|updates))?\s+(?:on|about|with|in)"
    r"|(?:give\s+me\s+)?(?:the\s+)?latest\s+(?:on|about)"
    r"|(?:please\s+)?brief\s+me\s+(?:on|about)"
    r"|(?:give\s+me\s+)?(?:a\s+)?briefing\s+(?:on|about)"
    r"|(?:give\s+me\s+)?(?:a\s+)?(?P<timeline>timeline)\s+(?:of|for|on))\s+(?P<topic>.+?)\s*[?.!]*\s*$", re.I)


def briefing_request(message: str) -> tuple[Kind, str] | None:
    """("brief", "X") for "what's the latest on X?" / "brief me on X", ("timeline", "X") for "timeline of X"."""
    match = _REQUEST.match(message)
    if not match:
        return None
    return ("timeline" if match.group("timeline") else "brief"), match.group("topic")


def check_topic(topic: str) -> str:
    """The topic tidied, or QuestionError with a reason a user understands."""
    text = typed_text(topic)
    if not text or not any(ch.isalpha() for ch in text):
        raise QuestionError("the topic is empty: name a person, place, organisation or event")
    if len(text) > MAX_TOPIC_CHARS:
        raise QuestionError(f"the topic is too long ({len(text)} characters; the limit is {MAX_TOPIC_CHARS})")
    return text


def build_briefing(engine: EngineParts, topic: str, kind: Kind = "brief", since: date | None = None,
                   until: date | None = None, max_points: int = MAX_POINTS) -> Briefing:
    """A briefing (newest first) or timeline (oldest first) on `topic` within the date window."""
    started = time.perf_counter()
    text = check_topic(topic)
    check_window(since, until)
    window = Window(since, until, tuple(engine.settings.language_list))
    hits = engine.searcher.search(text, window, CANDIDATE_DOCS, candidates=CANDIDATE_CHUNKS)
    profile = profile_question(text, engine.keywords.get(), topic=True)
    doc_cover = {h.doc_id: support(profile, h) for h in hits if h.date}
    relevant = [h for h in hits if doc_cover.get(h.doc_id) is not None]
    points = _points(engine, profile, relevant, doc_cover, kind, max_points) if relevant else []
    return Briefing(text, kind, tuple(points), abstained=not points, message="" if points else NO_COVERAGE,
                    elapsed_ms=(time.perf_counter() - started) * 1000, since=since.isoformat() if since else "",
                    until=until.isoformat() if until else "", retrieved=tuple(hits[:10]))


def _items(hits: Sequence[Hit]) -> list[DigestItem]:
    """Hits as the clustering's items (the first passage stands for the report)."""
    return [DigestItem(doc_id=h.doc_id, chunk_id=f"{h.doc_id}-0", title=one_line(h.title), url=h.url, date=h.date,
                       source=h.source, ts=_day_ts(h.date), text=h.passages[0] if h.passages else "")
            for h in hits]


def _day_ts(day: str) -> int:
    return int(datetime.combine(date.fromisoformat(day), time_of_day(12)).timestamp())


def _points(engine: EngineParts, profile: QuestionProfile, hits: list[Hit], doc_cover: dict[str, float | None],
            kind: Kind, max_points: int) -> list[Point]:
    # The topic's most specific name (the rarest) must be in a point's sentence: "French troops
    # in Niger" is about France's troops, not any troops in Niger.
    names = sorted(profile.key_terms, key=lambda t: -profile.weights.get(t, 0.0))
    must = names[0] if names else ""
    by_id = {h.doc_id: h for h in hits}
    items = _items(hits)
    reports = group_reports(items)
    # The digest's grouping: reports of one development from many outlets become one story.
    sim, _ = similarity_matrix(engine, reports, IdfTable(engine), titles=False)
    # Over weeks, every report on a topic resembles every other: a development is what was
    # reported within a few days, so reports further apart are never one story.
    ordinals = np.array([date.fromisoformat(r.lead.date).toordinal() for r in reports])
    sim = np.where(np.abs(ordinals[:, None] - ordinals[None, :]) <= STORY_DAYS, sim, 0.0)
    stories = reassign(average_linkage(sim, LINK_THRESHOLD), sim)

    newest = max(items, key=lambda i: (i.date, i.doc_id))
    scored: list[tuple[float, str, Point, bool]] = []
    for rows in stories:
        members = [item for row in rows for item in reports[row].items]
        best = None
        for item in members:
            hit = by_id[item.doc_id]
            whole = doc_cover.get(item.doc_id) or 0.0
            for sentence in _sentences(hit):
                found = set(terms(sentence))
                if must and not (must in found or any(capital_country(t) == must for t in found)):
                    continue
                cover = coverage(profile, found)
                # On topic: the sentence carries the topic, or names it in a report that does or
                # that is close to it in meaning ("detained" for "detention").
                if cover < MIN_POINT_COVERAGE and whole < MIN_REPORT_COVERAGE \
                        and hit.similarity < MIN_REPORT_SIMILARITY:
                    continue
                key = (cover, item.date, -len(sentence))
                if best is None or key > best[0]:
                    best = (key, item, sentence)
        if best is None:
            continue  # the story is not about the topic: dropped, not padded
        (cover, _, _), quoted, sentence = best
        others = sorted((m for m in members if m.doc_id != quoted.doc_id), key=lambda m: m.date, reverse=True)
        cited = [quoted, *others[: CITED_PER_POINT - 1]]
        quotes = [sentence if m is quoted else one_line(by_id[m.doc_id].title) for m in cited]
        citations = tuple(Citation(0, by_id[m.doc_id].title, m.url, m.date, m.source, quote, doc_id=m.doc_id,
                                   page=by_id[m.doc_id].citation_page([quote]),
                                   date_source=by_id[m.doc_id].date_source)
                          for m, quote in zip(cited, quotes, strict=True))
        weight = cover * (1.0 + 0.25 * (len({m.source for m in members}) - 1))
        holds_newest = any(m.doc_id == newest.doc_id for m in members)
        scored.append((weight, quoted.date, Point(quoted.date, sentence, citations), holds_newest))
    scored.sort(key=lambda s: (-s[0], s[1]))
    chosen = scored[:max_points]
    if kind == "brief":
        # "The latest": the story of the newest relevant report is always in.
        latest = [s for s in scored if s[3]]
        if latest and latest[0] not in chosen:
            chosen = [*chosen[: max_points - 1], latest[0]]
    chosen.sort(key=lambda s: s[1], reverse=kind == "brief")
    return _numbered([s[2] for s in chosen], by_id)


def _sentences(hit: Hit) -> list[str]:
    out = [one_line(hit.title)] if hit.title and not hit.title.endswith("…") else []
    for passage in hit.passages[:1]:
        out.extend(one_line(s) for s in split_sentences(passage) if 20 <= len(s) <= MAX_SENTENCE_CHARS)
    return list(dict.fromkeys(out))


def _numbered(points: list[Point], by_id: dict[str, Hit]) -> list[Point]:
    """Citations numbered through the briefing, each source once, every quote checked against its source."""
    out: list[Point] = []
    n = 0
    seen: set[str] = set()
    for point in points:
        citations = []
        for c in point.citations:
            if c.doc_id in seen or not quote_found(c.quote, by_id[c.doc_id]):
                continue
            seen.add(c.doc_id)
            n += 1
            citations.append(Citation(n, c.title, c.url, c.date, c.source, c.quote, doc_id=c.doc_id, page=c.page,
                                      date_source=c.date_source))
        if citations and citations[0].quote == point.text:
            out.append(Point(point.date, point.text, tuple(citations)))
    return out
