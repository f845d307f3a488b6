"""The Telegram renderer: escaping, links, splitting, and the HTML checker.

Hypothesis properties: for any document text of any length, every rendered message is
valid Telegram HTML (checked by our checker and, independently, by the stand-in server's
parser), at most 4,096 visible UTF-16 units, and the messages together carry all the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.telegram.render import (
    TELEGRAM_MAX_CHARS,
    escape_attr,
    html_to_plain,
    render_answer,
    render_briefing,
    render_hits,
    render_proof,
    render_stats,
    render_text,
    safe_url,
    sanitize_text,
    split_plain,
    utf16_len,
    visible_text,
)
from index.briefing import Briefing, Point
from index.types import Answer, Citation, Hit
from support.botapi_standin import EntityParseError, parse_telegram_html
from support.telegram_html import TelegramHTMLError, check_telegram_html

# --- helpers -------------------------------------------------------------------------------------


def squash(text: str) -> str:
    """Text as the reader sees it, whitespace aside (splits may move or drop whitespace)."""
    return "".join(sanitize_text(text).split())


def assert_valid(messages: list[str], limit: int = TELEGRAM_MAX_CHARS) -> str:
    """Every message passes both checkers and fits; returns all visible text joined."""
    assert messages, "renderer returned no message"
    seen = []
    for html in messages:
        length = check_telegram_html(html, limit)
        text = parse_telegram_html(html)  # the stand-in's own parser, as Telegram would
        assert utf16_len(text) == length <= limit
        assert text == visible_text(html)
        seen.append(text)
    return "\n".join(seen)


def answer_with(text: str, citations: list[Citation], abstained: bool = False, hits: tuple[Hit, ...] = ()) -> Answer:
    return Answer(question="q", answer=text, abstained=abstained, citations=tuple(citations), retrieved=hits)


def cite(n: int, title: str = "Title", url: str = "https://news.example.org/a", quote: str = "quote",
         source: str = "Example News", date: str = "2023-08-01") -> Citation:
    return Citation(n=n, title=title, url=url, date=date, source=source, quote=quote)


# --- escaping and links --------------------------------------------------------------------------


def test_follow_up_says_what_it_was_about_escaped() -> None:
    resolved = 'when did <b>Tchiani</b> & "co" become leader?'
    answer = Answer(question="when did he become leader?", answer="In July [1].", abstained=False,
                    citations=(cite(1),), retrieved=(), resolved_question=resolved)
    assert answer.used_context
    (html,) = render_answer(answer)
    assert html.startswith('<i>(about: when did &lt;b&gt;Tchiani&lt;/b&gt; &amp; "co" become leader?)</i>\nIn July ')
    assert_valid([html])
    plain = Answer(question="q", answer="A [1].", abstained=False, citations=(cite(1),), retrieved=(),
                   resolved_question="q")
    assert "about:" not in render_answer(plain)[0]


def briefing(points: list[Point], kind: str = "brief", topic: str = "ECOWAS") -> Briefing:
    return Briefing(topic=topic, kind=kind, points=tuple(points))  # type: ignore[arg-type]


def test_briefing_points_are_dated_quoted_and_linked() -> None:
    points = [Point("2023-08-10", "ECOWAS ordered a <standby> force.", (cite(1), cite(2, url="javascript:x"))),
              Point("2023-07-30", "ECOWAS gave the junta seven days.", (cite(3, title="Ultimatum & more"),))]
    (html,) = render_briefing(briefing(points, topic="ECOWAS & <Niger>"))
    shown = assert_valid([html])
    assert html.startswith("<b>Briefing: ECOWAS &amp; &lt;Niger&gt;</b>\n\n")
    assert ('<b>2023-08-10</b> — “ECOWAS ordered a &lt;standby&gt; force.” '
            '<a href="https://news.example.org/a"><b>[1]</b></a> <b>[2]</b>') in html  # an unsafe URL: no link
    assert "<b>Sources</b>\n[1] " in html and "[3] " in shown and "Ultimatum &amp; more" in html
    (timeline,) = render_briefing(briefing(points, kind="timeline"))
    assert timeline.startswith("<b>Timeline: ECOWAS</b>")


def test_abstained_briefing_sends_its_message() -> None:
    empty = Briefing(topic="qqq", kind="brief", points=(), abstained=True,
                     message="I couldn't find reports on this topic in the documents.")
    (html,) = render_briefing(empty)
    assert visible_text(html) == "Briefing: qqq\n\nI couldn't find reports on this topic in the documents."


def test_document_text_is_escaped_everywhere() -> None:
    evil = '<script>alert("x")</script> & <b>bold</b> &amp; &#0;'
    answer = answer_with(f"{evil} [1]", [cite(1, title=evil, source=evil, quote=evil)])
    for html in render_answer(answer) + render_proof(answer.citations[0]):
        assert "<script>" not in html and "<b>bold</b>" not in html
        assert "&lt;script&gt;" in html
        assert evil in visible_text(html)
    assert_valid(render_answer(answer))


def test_markers_link_to_their_sources_and_sources_are_listed() -> None:
    answer = answer_with("Borders closed [1]. Flights left [2]. Unknown [7].",
                         [cite(1, url="https://a.example/x?y=1&z=2"), cite(2, title="Second", url="")])
    (html,) = render_answer(answer)
    assert '<a href="https://a.example/x?y=1&amp;z=2"><b>[1]</b></a>' in html
    assert "[2]" in html and "[7]" in html and "<b>[7]</b>" not in html  # no URL / no citation: plain marker
    assert '[1] <a href="https://a.example/x?y=1&amp;z=2">Title</a> — Example News, 2023-08-01' in html
    assert "[2] Second — Example News, 2023-08-01" in html
    assert_valid([html])


@pytest.mark.parametrize("url", [
    "HTTP://<", "https://a.org/<script>", 'https://a.org/"x', "javascript:alert(1)", "data:text/html,x",
    "ftp://x.org/a", "https://", "http://a b", "https://x.org/\x00", "/relative", "", "https://a..b/",
    "https://x.org/" + "a" * 3000,
])
def test_unsafe_urls_are_not_linked(url: str) -> None:
    assert safe_url(url) == ""
    (html,) = render_answer(answer_with("A [1].", [cite(1, url=url)]))
    assert "<a " not in html
    assert_valid([html])


def test_abstention_shows_closest_documents() -> None:
    hit = Hit(doc_id="d", title="Close <one>", url="https://x.org/1", date="2023-08-01", source="AP", language="en",
              score=0.1, passages=("p",))
    text = assert_valid(render_answer(answer_with("I couldn't find this in the documents.", [], True, (hit,))))
    assert "Closest documents" in text and "Close <one>" in text


def test_empty_answer_still_gives_a_message() -> None:
    assert_valid(render_answer(answer_with("   \n\n ", [])))


def test_hits_stats_and_plain_text_render_valid() -> None:
    hits = [Hit(doc_id=str(i), title=f"T{i} <&>", url=f"https://x.org/{i}", date="2023-08-0" + str(i % 9 + 1),
                source="Outlet", language="en", score=0.0, passages=()) for i in range(10)]
    assert "T3 <&>" in assert_valid(render_hits(hits))
    assert_valid(render_hits([]))

    @dataclass
    class Stats:
        documents: int = 3
        chunks: int = 9
        languages: dict[str, int] = field(default_factory=lambda: {"en": 2, "fr": 1})
        date_from: str = "2023-07-26"
        date_to: str = "2023-08-10"
        sources: list[tuple[str, int]] = field(default_factory=lambda: [(f"outlet<{i}>", 20 - i) for i in range(20)])

    text = assert_valid(render_stats(Stats()))
    assert "3 documents (9 passages), 2023-07-26 to 2023-08-10" in text and "… and 5 more" in text
    assert_valid(render_stats(Stats(documents=0, chunks=0, languages={}, date_from="", date_to="", sources=[])))
    assert_valid(render_text("a < b & c"))


def test_plain_fallback_keeps_link_targets() -> None:
    (html,) = render_answer(answer_with("Fact [1].", [cite(1, title="T & co", url="https://x.org/?a=1&b=2")]))
    plain = html_to_plain(html)
    assert "Fact [1] (https://x.org/?a=1&b=2)." in plain
    assert "T & co (https://x.org/?a=1&b=2) — Example News" in plain
    assert "<" not in plain and "&amp;" not in plain


# --- splitting -----------------------------------------------------------------------------------


def test_long_answer_splits_on_paragraphs_below_the_limit() -> None:
    paragraphs = [f"Paragraph {i}. " + "The junta said the borders stay closed. " * 20 for i in range(12)]
    answer = answer_with("\n\n".join(paragraphs) + " [1]", [cite(1)])
    messages = render_answer(answer)
    assert len(messages) >= 3
    text = assert_valid(messages)
    # Paragraph boundaries are respected: no message starts in the middle of a paragraph.
    for html in messages:
        assert visible_text(html).startswith(("Paragraph", "Sources", "[1]"))
    assert squash(text).count("Paragraph") == 12


def test_link_longer_than_a_message_is_split_into_valid_links() -> None:
    title = "word " * 2000  # 10,000 characters inside one <a>
    messages = render_answer(answer_with("A [1].", [cite(1, title=title)]))
    assert len(messages) >= 3
    assert_valid(messages)
    assert all(html.count("<a ") == html.count("</a>") for html in messages)


def test_unbroken_text_and_astral_characters_are_cut_by_utf16_length() -> None:
    messages = render_text("😀" * 5000)  # 10,000 UTF-16 units, no whitespace at all
    assert_valid(messages)
    assert sum(visible_text(m).count("😀") for m in messages) == 5000


@pytest.mark.parametrize("limit", [40, 200, 1000])
def test_any_limit_is_respected(limit: int) -> None:
    answer = answer_with("Sentence one is here. " * 100 + "[1]", [cite(1, title="t " * 300, quote="q " * 500)])
    assert_valid(render_answer(answer, limit=limit), limit)
    assert_valid(render_proof(answer.citations[0], limit=limit), limit)


# --- the checker ---------------------------------------------------------------------------------


@pytest.mark.parametrize("html", [
    "<b>x", "x</b>", "<x>y</x>", "a < b", "a & b", "a > b", '<a href="">x</a>', "<a>x</a>", "<b><i>x</b></i>",
    "&foo;", "&#0;", "&#xD800;", "", "   ", "<b> </b>", "<span>x</span>", '<span class="x">y</span>', "x\x00y",
    "<code><b>x</b></code>", '<a href="https://x"><a href="https://y">z</a></a>', "<B>x</B>", "<b/>",
    "<blockquote><blockquote>x</blockquote></blockquote>", '<b class="x">y</b>', "<!-- c -->x", "\ud800",
    '<a href="https://x?a&b">x</a>', "x" * 4097, "😀" * 2049,
])
def test_checker_rejects(html: str) -> None:
    with pytest.raises(TelegramHTMLError):
        check_telegram_html(html)


@pytest.mark.parametrize(("html", "length"), [
    ("<b>x</b>", 1), ('<a href="https://x.org/?a=1&amp;b=2">y</a>', 1), ("&#128512;", 2), ("&lt;&gt;&amp;&quot;", 4),
    ("<blockquote expandable>x</blockquote>", 1), ('<pre><code class="language-python">x</code></pre>', 1),
    ('<span class="tg-spoiler">x</span>', 1), ("<tg-spoiler>x</tg-spoiler>", 1), ("😀" * 2048, 4096),
    ("x" * 4096, 4096), ("<s><u><i><b>a</b></i></u></s>", 1),
])
def test_checker_accepts_and_counts_utf16(html: str, length: int) -> None:
    assert check_telegram_html(html) == length
    parse_telegram_html(html)


def test_standin_parser_agrees_on_rejections() -> None:
    for html in ["<x>y</x>", "a < b", "a & b", "<b>x", "&foo;"]:
        with pytest.raises(EntityParseError):
            parse_telegram_html(html)


# --- properties ----------------------------------------------------------------------------------

# Text that stresses the renderer: markup look-alikes, entities, astral and combining
# characters, controls and lone surrogates, all kinds of whitespace, and markers.
_FRAGMENTS = st.sampled_from([
    "<b>", "</b>", "<a href='x'>", "</a>", "<", ">", "&", "&amp;", "&lt;", "&#128512;", '"', "'", "[1]", "[2]",
    "[99]", "\n", "\n\n", "\r\n", "\t", " ", "\u00a0", "\u2028", "😀", "👩‍👩‍👧", "e\u0301", "\x00", "\x1b", "\ud800",
    "\ufeff", "Niger", "ECOWAS", ". ", "…", "https://x.org/?a=1&b=2",
])
_WORDS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
_ANY_TEXT = st.text(st.characters(), max_size=60)  # includes surrogates and controls
_PIECE = st.one_of(_FRAGMENTS, _WORDS, _ANY_TEXT)


@st.composite
def doc_text(draw: st.DrawFn, max_pieces: int = 60) -> str:
    """Any text; sometimes repeated into thousands of characters to force splitting."""
    text = "".join(draw(st.lists(_PIECE, max_size=max_pieces)))
    return text * draw(st.sampled_from([1, 1, 1, 5, 40, 200]))


_URLS = st.one_of(st.just(""), st.just("https://news.example.org/a?b=1&c=2"), st.just("javascript:alert(1)"),
                  st.text(max_size=40), st.builds(lambda s: f"https://x.org/{s}", st.text(max_size=40)))


@st.composite
def answers(draw: st.DrawFn) -> Answer:
    n = draw(st.integers(0, 12))
    dates = st.sampled_from(["", "2023-08-01"])
    citations = [Citation(n=i + 1, title=draw(doc_text(10)), url=draw(_URLS), date=draw(dates),
                          source=draw(doc_text(5)), quote=draw(doc_text(20))) for i in range(n)]
    return answer_with(draw(doc_text()), citations, abstained=draw(st.booleans()))


_PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.data_too_large])


@_PROPERTY
@given(answers())
def test_property_answers_render_to_valid_messages_carrying_all_text(answer: Answer) -> None:
    messages = render_answer(answer)
    seen = squash(assert_valid(messages))
    body = squash(answer.answer) or squash("I could not find an answer in the documents.")
    assert body in seen
    for c in answer.citations:
        assert (squash(c.title) or "Untitled") in seen
        assert squash(c.source) in seen
        if safe_url(c.url):
            assert any(f'href="{escape_attr(c.url.strip())}"' in m for m in messages)
    # The plain-text fallback of every message also fits.
    for html in messages:
        for piece in split_plain(html_to_plain(html)):
            assert 0 < utf16_len(piece) <= TELEGRAM_MAX_CHARS and piece.strip()


@_PROPERTY
@given(doc_text(), doc_text(10), st.integers(30, 4096))
def test_property_proof_and_text_fit_any_limit(quote: str, title: str, limit: int) -> None:
    c = cite(1, title=title, quote=quote)
    seen = squash(assert_valid(render_proof(c, limit=limit), limit))
    assert squash(quote) in seen and (squash(title) or "Untitled") in seen
    seen = squash(assert_valid(render_text(quote, limit=limit), limit)) if squash(quote) else ""
    assert seen.startswith(squash(quote)) or not squash(quote)


@_PROPERTY
@given(doc_text(), st.integers(20, 4096))
def test_property_split_plain_keeps_every_character(text: str, limit: int) -> None:
    pieces = split_plain(text, limit)
    assert all(0 < utf16_len(p) <= limit for p in pieces)
    if squash(text):
        assert "".join(squash(p) for p in pieces) == squash(text)


@st.composite
def briefings(draw: st.DrawFn) -> Briefing:
    points, n = [], 0
    for _ in range(draw(st.integers(0, 10))):
        citations = []
        for _ in range(draw(st.integers(1, 3))):
            n += 1
            citations.append(Citation(n=n, title=draw(doc_text(10)), url=draw(_URLS), date="2023-08-01",
                                      source=draw(doc_text(5)), quote=""))
        points.append(Point(draw(st.sampled_from(["2023-08-01", ""])), draw(doc_text(20)), tuple(citations)))
    return briefing(points, kind=draw(st.sampled_from(["brief", "timeline"])), topic=draw(doc_text(8)))


@_PROPERTY
@given(briefings(), st.sampled_from([TELEGRAM_MAX_CHARS, 4000, 700]))
def test_property_briefings_render_to_valid_messages(b: Briefing, limit: int) -> None:
    messages = render_briefing(b, limit=limit)
    seen = squash(assert_valid(messages, limit))
    for point in b.points:
        assert squash(point.text) in seen
        for c in point.citations:
            assert f"[{c.n}]" in seen and (squash(c.title) or "Untitled") in seen
