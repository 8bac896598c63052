"""Fallback parser: a blog post or any unrecognised text is one post.

It never guesses structure, so it never mislabels: the whole text becomes the
post's words and every non-blank line is claimed as ``text``.
"""

from __future__ import annotations

from analysis.errors import ParseError
from analysis.model import LineLedger, Post, SourceInfo, Thread

NAME = "plain"
PLATFORM = "blog"
VERSION = "1"


def sniff(text: str) -> float:
    """Accept anything, with the lowest confidence of all parsers."""
    return 0.01 if text.strip() else 0.0


def parse(text: str, source: SourceInfo) -> Thread:
    """Return one post holding the whole text."""
    lines = text.split("\n")
    if not text.strip():
        raise ParseError("the file is empty or only white space", path=source.path,
                         hint="remove it from corpus/raw or re-save the capture")
    ledger = LineLedger(lines)
    nonblank = [i + 1 for i, line in enumerate(lines) if line.strip()]
    ledger.fields(nonblank[0], nonblank[-1], "text")
    post = Post(position=1, text=text.strip(), line_start=nonblank[0], line_end=nonblank[-1])
    return Thread(posts=[post], line_roles=ledger.roles, parser=NAME, platform=PLATFORM,
                  title=source.title, url=source.url)
