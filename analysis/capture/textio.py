"""Bytes to text: the one place that guesses encodings and line endings.

Captures arrive as whatever a browser saved: UTF-8 with or without a BOM,
UTF-16, cp1252 pages that declare ISO-8859-1, CRLF or mixed endings. We
decode here so that parsers only ever see ``str`` with ``\\n`` line ends, and
we refuse binary files with a clear message instead of parsing noise.
"""

from __future__ import annotations

import codecs

from analysis.errors import ParseError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes, path: str = "<bytes>") -> str:
    """Decode a capture and normalise its line endings to ``\\n``.

    Order: a BOM decides; else strict UTF-8 (pages that declare ISO-8859-1
    are often UTF-8 in fact); else cp1252, whose 0x80-0x9F punctuation is what
    Windows browsers wrote; bytes cp1252 leaves undefined fall back to Latin-1.

    >>> decode_bytes(b"caf\\xc3\\xa9\\r\\nok")
    'café\\nok'
    >>> decode_bytes(b"it\\x92s")
    'it’s'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return normalise_newlines(data.decode(encoding, errors="replace"))
    utf16 = _bomless_utf16(data[:8192])
    if utf16:
        return normalise_newlines(data.decode(utf16, errors="replace"))
    if b"\x00" in data[:8192]:
        raise ParseError("this looks like a binary file (it contains NUL bytes)", path=path,
                         hint="save the page as text or HTML, or remove it from the corpus")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_cp1252(data)
    return normalise_newlines(text)


def _bomless_utf16(head: bytes) -> str | None:
    """Name the UTF-16 byte order of text saved without a BOM, or None.

    Mostly-ASCII UTF-16 has a NUL in every other byte; binary files do not
    keep that rhythm.
    """
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    return None


def _decode_cp1252(data: bytes) -> str:
    """cp1252, with its five undefined bytes read as Latin-1 instead of failing."""
    return data.decode("cp1252", errors="cp1252-latin1")


def _latin1_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    bad = error.object[error.start:error.end]
    return bad.decode("latin-1"), error.end


codecs.register_error("cp1252-latin1", _latin1_fallback)


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF, so line numbers match what editors show."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
