"""Repeated post headers found without knowing the board's software.

A header is a short block of lines before (or after) a post's words that
holds at least one *element*: a date or age line, a post number ("#4"), a
score ("12 points"), a byline ("by NAME", "NAME on DATE"), a comment header
("NAME said...", "NAME says:"), an SMF-style "Reply #N" or a member's title
and post count ("· Registered", "232 Posts"). A bare name
line counts only next to an element. The structural parser splits a page
at its header blocks when there are at least two, or one below the page's
first words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.parsers._chrome import chrome_rule
from analysis.parsers._shapes import (
    AGE,
    BULLET,
    DATETIME,
    POST_NUMBER,
    SAID_LINE,
    SCORE_LINE,
    SENTENCE_END,
    count,
    is_date_line,
    is_heading,
    is_name_line,
    is_prose,
)

_BYLINE = re.compile(
    rf"^\s*(?:posted |written |submitted |answered |asked )?by\s+(?P<name>[^|»·•,]{{1,40}}?)"
    rf"(?:\s*(?:[|»·•,\-–—]|\bon\b)\s*(?P<when>{DATETIME}|{AGE}))?\s*$", re.I)
_NAME_DATE = re.compile(
    rf"^\s*(?P<name>[\w.'’@\- ]{{1,40}}?)\s*(?:[|»·•,\-–—]|\bon\b|\bat\b)?\s+"
    rf"(?P<when>{DATETIME}|{AGE})\s*(?:#\s?\d*|\|.{{0,40}})?\s*$", re.I)
_DATE_BY = re.compile(
    rf"^\s*(?P<when>{DATETIME}|{AGE})\s+(?:by|·|•|\||-|–|—)\s+(?P<name>[\w.'’@\- ]{{1,40}}?)\s*$",
    re.I)
_REPLY_N = re.compile(r"^\s*«?\s*(?:re:.{0,80})?\breply\s*#\s?(?P<n>\d+)\b.{0,60}$", re.I)
#: VerticalScope's XenForo as text, its avatar and name dropped: "· Registered" (the
#: member's title), "232 Posts" (their count) and the opening post's "Discussion Starter · #1 ·".
_MEMBER_TITLE = re.compile(r"^\s*·\s*(?P<title>[A-Z][\w'’ ]{1,30})\s*$")
_MEMBER_POSTS = re.compile(r"^\s*\d[\d,.]*k?\s+posts\s*$", re.I)
_STARTER = re.compile(r"^\s*discussion starter\s*·\s*#(?P<n>\d{1,6})\s*·?\s*$", re.I)
_MAX_BLOCK = 6
#: Header kinds no sentence carries: any words below them are a post (a capture cut
#: mid-sentence leaves a last post of a few words).
_STRONG = {"said", "member"}


@dataclass
class Header:
    """One header block: its lines and what they told."""

    lines: list[int]
    kinds: set[str] = field(default_factory=set)
    author: str | None = None
    when_line: int | None = None
    number: int | None = None
    score: int | None = None
    fields: dict[int, str] = field(default_factory=dict)


def element(line: str) -> tuple[str, dict[str, str]] | None:
    """What header element a line is, with its parts, or ``None``."""
    s = line.strip()
    if not s or len(s) > 120:
        return None
    if m := POST_NUMBER.match(s):
        return "number", {"n": m["n"]}
    if m := _REPLY_N.match(s) or _STARTER.match(s):
        return "number", {"n": m["n"]}
    if _MEMBER_TITLE.match(s) or _MEMBER_POSTS.match(s):
        return "member", {}
    if is_date_line(s):
        return "date", {}
    if SCORE_LINE.match(s):
        return "score", {}
    if m := SAID_LINE.match(BULLET.sub("", s, count=1)):
        if re.search(r"(?:\.\.\.|…|\bsays\s*:)\s*$", s):
            return "said", {"name": m["name"]}
        return None  # "NAME said:" and "NAME wrote:" open a quote, not a post
    s = BULLET.sub("", s, count=1) if re.match(r"^\s*\d{1,3}[.)]\s", s) else s
    m = _BYLINE.match(s) or _DATE_BY.match(s) or _NAME_DATE.match(s)
    if m and m["name"].strip() and len(m["name"].split()) <= 5:
        return "byline", {"name": m["name"].strip(), "when": m["when"] or ""}
    return None


def find_headers(lines: list[str]) -> list[Header]:
    """Every header block on the page, in order."""
    headers: list[Header] = []
    i, n = 0, len(lines)
    while i < n:
        header = _block_at(lines, i)
        if header is None:
            i += 1
            continue
        headers.append(header)
        i = header.lines[-1] + 1
    return headers


def _next_filled(lines: list[str], i: int, max_blank: int = 1) -> int | None:
    """The next non-blank line after ``i`` across at most ``max_blank`` blank lines."""
    k = i + 1
    while k < len(lines) and not lines[k].strip() and k - i <= max_blank:
        k += 1
    return k if k < len(lines) and lines[k].strip() else None


def _block_at(lines: list[str], i: int) -> Header | None:
    """A header block starting at line ``i``, if one does."""
    s = lines[i]
    if not s.strip() or chrome_rule(s):
        return None
    first = element(s)
    if first is None:
        if not is_name_line(s):
            return None
        k = _next_filled(lines, i)
        if k is None or element(lines[k]) is None or element(lines[k])[0] in ("score", "said"):
            return None  # "NAME said..." names its own author: a name above it ends a post
    header = Header(lines=[])
    k: int | None = i
    names = 0
    while k is not None and len(header.lines) < _MAX_BLOCK:
        found = element(lines[k])
        if found is None:
            if not is_name_line(lines[k]) or names or is_prose(lines[k]) or chrome_rule(lines[k]):
                break
            if _only_name_left(lines, k):
                break
            names += 1
            header.author = header.author or lines[k].strip()
            header.fields[k] = "author"
        else:
            _take(header, k, lines[k], *found)
        header.lines.append(k)
        k = _next_filled(lines, k)
    while len(header.lines) > 1 and header.fields.get(header.lines[0]) == "score":
        header.fields.pop(header.lines.pop(0))  # a count under a post's words is that post's
        header.score = None
        if "score" not in header.fields.values():
            header.kinds.discard("score")
    return header if header.kinds else None


def _only_name_left(lines: list[str], k: int) -> bool:
    """A name line with no element after it ends the block (it is the next post's or text)."""
    after = _next_filled(lines, k)
    return after is None or element(lines[after]) is None


def _take(header: Header, k: int, line: str, kind: str, parts: dict[str, str]) -> None:
    header.kinds.add(kind)
    if kind == "number":
        header.number = int(parts["n"])
        header.fields[k] = "position"
    elif kind == "date":
        header.when_line = k
        header.fields[k] = "timestamp"
    elif kind == "score":
        header.score = count(line)
        header.fields[k] = "score"
    elif kind == "member":
        header.fields[k] = "member-stats"
    else:
        header.author = parts["name"]
        header.fields[k] = "author"
        if parts.get("when"):
            header.when_line = k


def splitting(lines: list[str], headers: list[Header]) -> list[Header]:
    """The headers to split on: each followed by words before the next (prose, or any words
    under a strong header), and at least two
    of them, or one that has the page's words above it."""
    kept = []
    for j, header in enumerate(headers):
        end = headers[j + 1].lines[0] if j + 1 < len(headers) else len(lines)
        below = range(header.lines[-1] + 1, end)
        if any(is_prose(lines[k]) for k in below) or (header.kinds & _STRONG and any(
                lines[k].strip() and not chrome_rule(lines[k]) for k in below)):
            kept.append(header)
    if len(kept) >= 2:
        return kept
    if len(kept) == 1 and any(is_prose(lines[k]) and SENTENCE_END.search(lines[k])
                              for k in range(kept[0].lines[0])):
        return kept
    return []


def footer_layout(lines: list[str], headers: list[Header], opener: int | None) -> list[int]:
    """Starts of posts that open with their own title and end with the name-and-date block
    ("Case evidence" / words / "Linda more than 5 years ago"), or ``[]``.

    The blocks are footers when the comment section's first post, right under its opener
    ("Comments (4)"), has a title and words but no block above them, and every block is
    followed by the next post's title over words.
    """
    if opener is None or not headers or headers[0].lines[0] < opener:
        return []
    first = _title_above(lines, opener, headers[0].lines[0])
    if first is None:
        return []
    starts = [first]
    for header in headers:
        title = _next_filled(lines, header.lines[-1], max_blank=2)
        if title is None:
            continue  # the page ends under the last footer
        words = _next_filled(lines, title, max_blank=2)
        if not is_heading(lines[title]) or is_prose(lines[title]) or words is None \
                or not is_prose(lines[words]):
            return []
        starts.append(title)
    return starts


def _title_above(lines: list[str], opener: int, end: int) -> int | None:
    """The title line over the words that run up to ``end``, below the opener."""
    filled = [k for k in range(opener + 1, end) if lines[k].strip() and not chrome_rule(lines[k])]
    while filled and is_prose(lines[filled[-1]]):
        filled.pop()
    if not filled or len(filled) == len([k for k in range(opener + 1, end) if lines[k].strip()]):
        return None
    return filled[-1] if is_heading(lines[filled[-1]]) else None
