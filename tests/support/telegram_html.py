"""A strict checker of Telegram HTML, which the tests hold every rendered message to.

`check_telegram_html` accepts only the subset of HTML Telegram's parse mode supports and
returns the visible length in UTF-16 code units (what Telegram's 4,096 limit counts). It is
stricter than Telegram on purpose: anything Telegram might reject is an error here.

It is written separately from the renderer (`bot.telegram.render`), so a renderer bug is not
hidden by a checker that shares its tokenizer. `visible_text` and `html_to_plain` are the
renderer's own readers, re-exported for the tests' convenience.
"""

from __future__ import annotations

import re

from bot.telegram.render import TELEGRAM_MAX_CHARS, html_to_plain, utf16_len, visible_text

__all__ = ["TelegramHTMLError", "check_telegram_html", "html_to_plain", "visible_text"]

# Lone surrogates and C0 controls other than tab and newline.
_UNSAFE_CHARS = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

class TelegramHTMLError(ValueError):
    """The string is not HTML Telegram accepts (or not a message it would send)."""


_ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del",
    "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji",
}
_TOKEN = re.compile(
    r"<(?P<close>/)?(?P<name>[a-z][a-z0-9-]*)(?P<attrs>(?:\s+[a-z-]+(?:=\"[^\"<>]*\")?)*)\s*>"
    r"|&(?P<entity>#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);"
    r"|(?P<bad>[<>&])"
)
_ATTR = re.compile(r"([a-z-]+)(?:=\"([^\"]*)\")?")
_ATTR_AMP = re.compile(r"&(?!(?:#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);)")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _char_ref(ent: str) -> int:
    """Code point of a numeric reference body such as "#38" or "#x26"."""
    return int(ent[1:].replace("x", "0x", 1), 0) if ent[1] == "x" else int(ent[1:])


def _check_attrs(name: str, attrs: dict[str, str | None], stack: list[str]) -> None:
    allowed: dict[str, set[str]] = {"a": {"href"}, "span": {"class"}, "code": {"class"},
                                    "blockquote": {"expandable"}, "tg-emoji": {"emoji-id"}}
    extra = set(attrs) - allowed.get(name, set())
    if extra:
        raise TelegramHTMLError(f"unsupported attribute {min(extra)!r} on <{name}>")
    if name == "a" and not attrs.get("href"):
        raise TelegramHTMLError("<a> without href")
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise TelegramHTMLError('<span> needs class="tg-spoiler"')
    if name == "code" and "class" in attrs and not (stack and stack[-1] == "pre"):
        raise TelegramHTMLError("<code class> outside <pre>")
    if name == "tg-emoji" and not (attrs.get("emoji-id") or "").isdigit():
        raise TelegramHTMLError("<tg-emoji> needs a numeric emoji-id")


def check_telegram_html(html: str, limit: int = TELEGRAM_MAX_CHARS) -> int:
    """Validate `html` as a Telegram HTML message and return its visible length.

    Strict on purpose (anything Telegram might reject is an error here): only the allowed
    tags and attributes, lower case, double-quoted; tags balanced and properly nested; no
    links inside links, no markup inside code/pre, no nested blockquotes; only the four
    named entities or numeric ones; no bare `<`, `>` or `&`; no control characters or lone
    surrogates; visible text non-empty and at most `limit` UTF-16 code units.

    Raises:
        TelegramHTMLError: naming the first problem found.
    """
    if _UNSAFE_CHARS.search(html):
        raise TelegramHTMLError("control character or lone surrogate in message")
    stack: list[str] = []
    visible: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(html):
        visible.append(html[pos : m.start()])
        pos = m.end()
        if m.group("bad"):
            raise TelegramHTMLError(f"bare {m.group('bad')!r} at offset {m.start()}")
        if m.group("entity"):
            ent = m.group("entity")
            if ent.startswith("#"):
                code = _char_ref(ent)
                if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                    raise TelegramHTMLError(f"invalid character reference &{ent};")
                visible.append(chr(code))
            else:
                visible.append(_NAMED[ent])
            continue
        name = m.group("name")
        if name not in _ALLOWED_TAGS:
            raise TelegramHTMLError(f"unsupported tag <{name}>")
        if m.group("close"):
            if m.group("attrs").strip():
                raise TelegramHTMLError(f"attributes on closing tag </{name}>")
            if not stack or stack[-1] != name:
                raise TelegramHTMLError(f"unbalanced </{name}>")
            stack.pop()
            continue
        attrs: dict[str, str | None] = {a.group(1): a.group(2) for a in _ATTR.finditer(m.group("attrs"))}
        if any(v and _ATTR_AMP.search(v) for v in attrs.values()):
            raise TelegramHTMLError(f"bare '&' in an attribute of <{name}>")
        _check_attrs(name, attrs, stack)
        if stack and stack[-1] in ("code", "pre") and not (stack[-1] == "pre" and name == "code"):
            raise TelegramHTMLError(f"<{name}> inside <{stack[-1]}>")
        if name == "a" and "a" in stack:
            raise TelegramHTMLError("link inside a link")
        if name == "blockquote" and "blockquote" in stack:
            raise TelegramHTMLError("nested <blockquote>")
        stack.append(name)
    visible.append(html[pos:])
    if stack:
        raise TelegramHTMLError(f"unclosed <{stack[-1]}>")
    text = "".join(visible)
    if not text.strip():
        raise TelegramHTMLError("message has no visible text")
    length = utf16_len(text)
    if length > limit:
        raise TelegramHTMLError(f"visible length {length} exceeds {limit}")
    return length
