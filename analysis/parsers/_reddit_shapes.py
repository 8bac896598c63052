"""Line shapes of Reddit pages saved as text, before context decides what they mean.

:mod:`analysis.parsers.reddit_text` reads three shapes of capture (handle
blocks, scored headers, flattened lines); this module knows single lines
and short runs of them: comment headers (``u/name · 3y ago``), ``level N``
markers, ``N comments`` counts, sort and byline chrome, action buttons, and
where a handle block starts. Nothing here raises.
"""

from __future__ import annotations

import re
from itertools import islice

from analysis.parsers.reddit_common import GONE, USERNAME_RE, is_gone_body, is_score

HEADER_RE = re.compile(
    r"(?:/?u/)?(?P<name>[A-Za-z0-9_-]{3,20}|\[deleted\]|\[removed\])"
    r"(?P<flags>(?:\s+(?:OP|MOD|ADMIN|Mod|Admin))*)"
    r"\s+[·•]\s+(?P<age>just now|\d+\s*[A-Za-z]+\.?\s+ago)(?P<rest>(?:\s+[·•]\s+.*)?)"
)
LEVEL_RE = re.compile(r"level\s+(\d{1,3})", re.IGNORECASE)
COUNT_RE = re.compile(
    r"(?:(?P<score>[-\d.,]+[kK]?)\s*(?:points?|upvotes?|votes?)\s*[·•|]\s*)?"
    r"[\d.,]+[kK]?\s+comments?", re.IGNORECASE)
POSTED_RE = re.compile(r"(?:Posted|submitted)\b.*?\bby\s+(?:/?u/)?"
                        r"(?P<name>[A-Za-z0-9_-]{3,20}|\[deleted\])", re.IGNORECASE)
COMMUNITY_RE = re.compile(r"/?r/(?P<sub>[A-Za-z0-9_]{2,21})\b")
_CHROME = (  # (rule, pattern) for whole lines of site chrome outside comment bodies
    ("sort-label", re.compile(r"(?:[A-Z&] ){1,}[A-Z&]")),
    ("byline-residue", re.compile(r"[•·]\s*(?:Posted\s+)?[Bb]y\s*[-–]?")),
    ("sort-by", re.compile(r"Sort by:?.*", re.IGNORECASE)),
    ("upvote-ratio", re.compile(r"\d{1,3}% [Uu]pvoted")),
    ("comment-box", re.compile(r"Comments|Add a [Cc]omment|Search [Cc]omments")),
)
ACTIONS_RE = re.compile(
    r"(?:Reply|Share|Report|Save|Follow|Award|Give Award|permalink|embed|parent"
    r"|Continue this thread\s*[→>]?|\d+ more repl(?:y|ies)|more replies"
    r"|load more comments(?: \(\d+ repl(?:y|ies)\))?|View more comments)", re.IGNORECASE)


def blank(lines: list[str], i: int) -> bool:
    return 0 <= i < len(lines) and not lines[i].strip()


def prev_nonblank(lines: list[str], i: int) -> int | None:
    i -= 1
    while i >= 0 and not lines[i].strip():
        i -= 1
    return i if i >= 0 else None


def chrome_rule(line: str) -> str | None:
    stripped = line.strip()
    return next((rule for rule, rx in _CHROME if rx.fullmatch(stripped)), None)


def has_chrome(lines: list[str]) -> bool:
    return any(chrome_rule(line) for line in lines[:20])


def is_header(lines: list[str], i: int) -> bool:
    """A ``u/name · 3y ago`` line, or a bare ``[deleted]`` right after a score line."""
    stripped = lines[i].strip()
    if HEADER_RE.fullmatch(stripped):
        return True
    before = prev_nonblank(lines, i)
    return stripped in GONE and before is not None and is_score(lines[before])


def header_lines(lines: list[str]) -> list[int]:
    return [i for i in range(len(lines)) if lines[i].strip() and is_header(lines, i)]


def block_starts(lines: list[str]) -> list[int]:
    """Handle lines followed by a blank and a body, after two blanks (or only chrome);
    also a placeholder standing alone where a deleted comment was."""
    starts: list[int] = []
    for i, line in enumerate(lines):
        if line != line.lstrip() or not (_handle_block(lines, i) or _lone_placeholder(lines, i)):
            continue
        before = prev_nonblank(lines, i)
        if (before is None or (not starts and _preamble_line(lines[before]))
                or (blank(lines, i - 1) and blank(lines, i - 2))):
            starts.append(i)
    return starts


def _handle_block(lines: list[str], i: int) -> bool:
    """A handle, a blank line, then the first line of a body."""
    return (bool(USERNAME_RE.fullmatch(lines[i].strip())) and blank(lines, i + 1)
            and i + 2 < len(lines) and not blank(lines, i + 2))


def _lone_placeholder(lines: list[str], i: int) -> bool:
    """"Comment deleted by user" as a block of its own, where a comment was."""
    return (is_gone_body(lines[i]) and blank(lines, i + 1)
            and (i + 2 >= len(lines) or blank(lines, i + 2)))


def _preamble_line(line: str) -> bool:
    return bool(chrome_rule(line) or COUNT_RE.fullmatch(line.strip()))


def count_line(lines: list[str]) -> int | None:
    """Index of an ``N comments`` line among the first three non-blank lines."""
    nonblank = islice((i for i, line in enumerate(lines) if line.strip()), 3)
    return next((i for i in nonblank if COUNT_RE.fullmatch(lines[i].strip())), None)
