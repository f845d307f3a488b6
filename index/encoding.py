"""Bytes to text: the one decoding rule for files and fetched links.

    decode_text(data)                      # a file: UTF-8, else what its markup declares, else cp1252
    decode_text(body, declared="latin-1")  # a fetched body, with the charset its Content-Type named

The rule, in order: a byte-order mark (UTF-8, UTF-16, UTF-32) is obeyed; then strict UTF-8
(nearly all text today, and text in another encoding is almost never valid UTF-8 by chance);
then the charset the caller was told (an HTTP header) or the content declares (`<meta charset>`,
`<meta http-equiv="Content-Type" content="...; charset=...">`, `<?xml encoding=...?>`); then
Windows-1252, which is what old "Latin-1" files and pages nearly always are. Nothing is ever
replaced by U+FFFD merely for being in another encoding: "étrangères", "’" and "«" survive.
"""

from __future__ import annotations

import codecs
import re

# Bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are read as Latin-1 (C1 controls,
# which `strip_control` removes later); every other byte of 0x80-0x9F is cp1252's character.
_CP1252_C1 = {byte: bytes([byte]).decode("cp1252") for byte in range(0x80, 0xA0)
              if byte not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
_CP1252_TABLE = str.maketrans({chr(byte): char for byte, char in _CP1252_C1.items()})

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
DECLARATION_WINDOW = 4096  # a page's charset declaration must sit this close to its start
_DECLARED = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)"""  # <meta charset> and http-equiv's content
    rb"""|<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.I)
# Labels that browsers read as Windows-1252 (WHATWG Encoding Standard): a page "in ISO-8859-1"
# with a curly apostrophe (0x92) is really in cp1252.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii", "windows-1252", "cp1252"}


def decode_text(data: bytes, declared: str = "") -> str:
    """`data` as text by the rule of this module.

    Args:
        data: the raw bytes of a file or a fetched body.
        declared: a charset the caller was told (a Content-Type header's); "" to rely on the content.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            # A BOM names the encoding outright; bad bytes after it are damage, not another encoding.
            return data[len(bom):].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for label in (declared, declared_charset(data)):
        text = _decode_as(data, label)
        if text is not None:
            return text
    return cp1252(data)


def declared_charset(data: bytes) -> str:
    """The charset a page's `<meta>` or an XML declaration names near the start, lower case ("" if none)."""
    match = _DECLARED.search(data[:DECLARATION_WINDOW])
    if not match:
        return ""
    return (match[1] or match[2]).decode("ascii").lower()


def cp1252(data: bytes) -> str:
    """`data` as Windows-1252, with Latin-1 for the five bytes cp1252 leaves undefined (never fails)."""
    return data.decode("latin-1").translate(_CP1252_TABLE)


def _decode_as(data: bytes, label: str) -> str | None:
    """`data` strictly in the charset `label` names; None for no label, an unknown one, or bytes it cannot hold."""
    label = label.strip().lower()
    if not label:
        return None
    if label in _AS_CP1252:
        return cp1252(data)
    try:
        return data.decode(label)
    except (LookupError, UnicodeDecodeError):
        return None
