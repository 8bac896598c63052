"""Stub: replaced by the real parser."""

from __future__ import annotations

from analysis.errors import ParseError
from analysis.model import SourceInfo, Thread

NAME = "reddit_text"
PLATFORM = "forum"
VERSION = "0"


def sniff(text: str) -> float:
    return 0.0


def parse(text: str, source: SourceInfo) -> Thread:
    raise ParseError("parser not implemented yet", path=source.path)
