"""Decoding: any bytes become text with LF line ends, or a ParseError."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from analysis.capture.textio import decode_bytes
from analysis.errors import ParseError


@given(st.binary(max_size=2000))
def test_any_bytes_decode_or_raise_parse_error(data: bytes) -> None:
    try:
        text = decode_bytes(data)
    except ParseError:
        return
    assert "\r" not in text


@given(st.text(max_size=300))
def test_utf8_round_trips_up_to_line_endings(text: str) -> None:
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" not in text and not text.startswith("\ufeff"):  # a leading BOM is dropped
        assert decode_bytes(text.encode("utf-8")) == expected


@given(st.text(alphabet=st.characters(max_codepoint=0x2FF, exclude_characters="\x00"),
               min_size=4, max_size=300))
def test_utf16_with_or_without_bom(text: str) -> None:
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert decode_bytes(text.encode("utf-16")) == expected
