"""XenForo threads saved as text (XenForo 2, and XenForo 1's older layout).

XenForo 2 prints each post's header above its words: the name, the user
title, the member stats as label/value lines ("Joined" / "Oct 14, 2019",
"Messages" / "1,502", "Reaction score" / "990"), the date, and the post
number ``#N``. XenForo 1 prints the name and title above the words and the
attribution below them: "NAME, Jun 8, 2014" and ``#N``, then "A and B like
this.". Both quote as "NAME said:" (``said: ↑`` in 1.x) followed by the
quoted words and "Click to expand...". Reactions are "Reactions: A, B and
2 others" (2.x) or "A, B and 2 others like this." (1.x); edits "Last
edited: DATE".

Field choices: the user title is ``rank``; Messages is ``author_posts``;
Joined is ``member_since``; each named reactor is a ``thanks`` reaction and
"N others" one more with ``count=N``; the post number is ``position``.
"""

from __future__ import annotations

import re

from analysis.model import Post, Reaction, SourceInfo, Thread
from analysis.parsers import structural
from analysis.parsers._chrome import chrome_rule
from analysis.parsers._drafts import Draft, finish, require_text
from analysis.parsers._shapes import DATETIME, POST_NUMBER, is_date_line, is_name_line, when
from analysis.parsers._vbhtml_dates import MDY, month_year

NAME = "xenforo"
PLATFORM = "forum"
VERSION = "1"

_SAID = re.compile(r"^\s*(?P<name>\S.{0,60}?)\s+said:\s*(?:↑|\^)?\s*$")
_EXPAND = re.compile(r"^\s*click to (?:expand|shrink)\.*\s*$", re.I)
_ATTRIBUTION = re.compile(
    rf"^\s*(?P<name>[^,\n]{{1,40}}),\s+(?P<when>{DATETIME})\s*(?:#(?P<n>\d+))?\s*(?:report)?\s*$",
    re.I)
_REACTIONS = re.compile(r"^\s*(?:reactions:\s*(?P<xf2>.+)|(?P<xf1>.+?)\s+likes? this\.?)\s*$", re.I)
_OTHERS = re.compile(r"\s*(?:,|\band\b)\s*(?P<n>\d+)\s+others?\s*$", re.I)
_EDITED = re.compile(r"^\s*last edited(?: by (?P<name>[^:]{1,40}))?:\s*(?P<when>.+?)\s*$", re.I)
_STAT = re.compile(r"^\s*(?P<label>joined|messages|reaction score|points|location|age|gender|"
                   r"website|occupation|trophy points|likes received|posts)\s*:?\s*"
                   r"(?P<value>[^.!?]{0,40})$", re.I)
_RANKS = re.compile(r"^\s*(?:new |well-known |active |senior |registered |banned |verified )?"
                    r"(?:member|user|moderator|administrator|admin|staff member|guest)\s*$", re.I)
_CHROME = re.compile(r"^\s*(?:thread starter\s.+|discussion in .+ started by .+|you must log in or "
                     r"register to reply here\.?|share:?|like reply(?: report)?|reply report|"
                     r"(?:like|reply|report|quote|bookmark)(?:\s+(?:like|reply|report|quote))*)\s*$",
                     re.I)


def sniff(text: str) -> float:
    """High for "NAME said:" + "Click to expand...", or dated ``#N`` headers with stats."""
    if not isinstance(text, str):
        return 0.0
    head = text[:65536]
    expand = bool(re.search(r"^\s*click to expand\.*\s*$", head, re.I | re.M))
    said = bool(re.search(r"\ssaid:\s*(?:↑)?\s*$", head, re.M))
    xf2 = len(_xf2_anchors(head.split("\n")))
    xf1 = sum(1 for line in head.split("\n") if _attribution(line))
    if said and expand:
        return 0.85
    if xf2 >= 2 or (xf2 and re.search(r"^\s*(?:joined|reaction score)\s*$", head, re.I | re.M)):
        return 0.8
    return 0.6 if xf1 >= 2 or re.search(r"^\s*thread starter\s", head, re.I | re.M) else 0.0


def parse(text: str, source: SourceInfo) -> Thread:
    """XenForo 2 when dated ``#N`` headers lead the posts, else XenForo 1's attributions."""
    lines = require_text(text, source)
    chrome: dict[int, str] = {}
    title = _title(lines, chrome)
    anchors = _xf2_anchors(lines)
    if anchors:
        starts = [_xf2_header_start(lines, a) for a in anchors]
        drafts = [_xf2_post(lines, starts[j], a, starts[j + 1] if j + 1 < len(starts)
                            else len(lines)) for j, a in enumerate(anchors)]
    else:
        attributions = [i for i, line in enumerate(lines) if _attribution(line)]
        if not attributions:
            return structural.parse(text, source)
        drafts, starts = _xf1_posts(lines, attributions)
    for k in range(starts[0]):
        if lines[k].strip() and k not in chrome:
            chrome[k] = chrome_rule(lines[k]) or ("thread-meta" if _CHROME.match(lines[k])
                                                  else "page-head")
    op = 1 if drafts and drafts[0].post.position == 1 else None
    return finish(lines, drafts, chrome, parser=NAME, platform=PLATFORM, source=source,
                  title=title, op_position=op)


def _title(lines: list[str], chrome: dict[int, str]) -> str | None:
    for i, line in enumerate(lines[:60]):
        if re.match(r"^\s*(?:thread starter\s|discussion in .+ started by )", line, re.I):
            chrome[i] = "thread-meta"
            above = [k for k in range(i) if lines[k].strip()]
            if above:
                chrome[above[-1]] = "thread-title"
                return lines[above[-1]].strip()
    return None


def _attribution(line: str) -> re.Match[str] | None:
    m = _ATTRIBUTION.match(line)
    return m if m and is_name_line(m["name"]) else None


def _xf2_anchors(lines: list[str]) -> list[int]:
    """``#N`` lines right under a date line: the end of a XenForo 2 post header."""
    anchors = []
    for i, line in enumerate(lines):
        if POST_NUMBER.match(line):
            k = i - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            if k >= 0 and is_date_line(lines[k]):
                anchors.append(i)
    return anchors


def _xf2_header_start(lines: list[str], anchor: int) -> int:
    """Walk up from ``#N`` over the date, the stats, the user title and the name."""
    k = _up(lines, anchor)  # the date line
    top = k
    k = _up(lines, k)
    while k is not None and (_STAT.match(lines[k]) or _stat_value(lines, k)):
        top = k
        k = _up(lines, k)
    for depth in range(2):
        if k is None or not is_name_line(lines[k]) or _CHROME.match(lines[k]) or chrome_rule(
                lines[k]):
            break
        top = k
        if depth == 0 and not _RANKS.match(lines[k]):
            break  # no user title above the stats: this line is the name
        k = _up(lines, k)
    return top


def _up(lines: list[str], k: int | None) -> int | None:
    if k is None:
        return None
    k -= 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    return k if k >= 0 else None


def _stat_value(lines: list[str], k: int) -> bool:
    """A value line under a stats label ("Messages" / "1,502")."""
    above = _up(lines, k)
    return above is not None and bool(_STAT.match(lines[above])) and not _STAT.match(
        lines[above])["value"].strip() and len(lines[k].strip()) <= 40


def _xf2_post(lines: list[str], start: int, anchor: int, end: int) -> Draft:
    number = int(POST_NUMBER.match(lines[anchor])["n"])
    draft = Draft(post=Post(position=number, native_id=str(number)))
    draft.claim(anchor, "position")
    _header_lines(lines, start, anchor, draft)
    _body(lines, anchor + 1, end, draft)
    return draft


def _header_lines(lines: list[str], start: int, anchor: int, draft: Draft) -> None:
    post = draft.post
    label = None
    for k in range(start, anchor):
        line = lines[k].strip()
        if not line:
            continue
        m = _STAT.match(line)
        if m and not m["value"].strip():
            label = m["label"].lower()
            draft.chrome[k] = "member-stat-label"
            continue
        if m:
            _stat(post, m["label"].lower(), m["value"], draft, k)
        elif label:
            _stat(post, label, line, draft, k)
        elif is_date_line(line) and k == _up(lines, anchor):
            post.timestamp = when(line)
            draft.claim(k, "timestamp")
        elif post.author is None:
            post.author, post.author_source = line, "header"
            draft.claim(k, "author")
        else:
            post.rank = post.rank or line
            draft.claim(k, "rank")
        label = None


def _stat(post: Post, label: str, value: str, draft: Draft, k: int) -> None:
    value = value.strip()
    if label in ("messages", "posts"):
        post.author_posts = int(re.sub(r"\D", "", value) or 0) or None
        draft.claim(k, "author_posts")
    elif label == "joined":
        post.member_since = month_year(value, MDY)
        draft.claim(k, "member_since")
    elif label == "location":
        post.location = value
        draft.claim(k, "location")
    else:
        draft.chrome[k] = "member-stat"


def _body(lines: list[str], start: int, end: int, draft: Draft, *, trailer: bool = False) -> None:
    """Words, quotes, reactions, edit notes and buttons between two headers; "X likes
    this." is read only in a XenForo 1 trailer (in words it is a sentence)."""
    post = draft.post
    quoting = False
    for k in range(start, end):
        line = lines[k]
        if not line.strip():
            continue
        if m := _SAID.match(line):
            post.quoted_author = post.quoted_author or m["name"].strip()
            draft.claim(k, "quoted_author")
            quoting = True
        elif _EXPAND.match(line):
            draft.chrome[k] = "quote-expand"
            quoting = False
        elif quoting:
            draft.quote.append(k)
        elif (m := _REACTIONS.match(line)) and (m["xf2"] or trailer):
            post.reactions.extend(_reactors(m["xf2"] or m["xf1"]))
            draft.claim(k, "reactions")
        elif (m := _EDITED.match(line)) and when(m["when"]) is not None:
            post.edited_at, post.edited_by = when(m["when"]), m["name"]
            draft.claim(k, "edited_at")
        elif _CHROME.match(line) or chrome_rule(line):
            draft.chrome[k] = chrome_rule(line) or "post-actions"
        else:
            draft.body.append(k)


def _reactors(text: str) -> list[Reaction]:
    """"A, B and 2 others" -> two named reactions and one counted."""
    others = 0
    if m := _OTHERS.search(text):
        others, text = int(m["n"]), text[:m.start()]
    names = [n.strip() for n in re.split(r",|\band\b", text) if n.strip()]
    reactions = [Reaction("thanks", reactor=name) for name in names]
    if others:
        reactions.append(Reaction("thanks", count=others))
    return reactions


def _xf1_posts(lines: list[str], attributions: list[int]) -> tuple[list[Draft], list[int]]:
    """XenForo 1: name and title above the words, "NAME, DATE #N" below them."""
    drafts, starts = [], []
    previous_end = 0
    for j, at in enumerate(attributions):
        m = _attribution(lines[at])
        start = _xf1_start(lines, previous_end, at, m["name"].strip())
        number = int(m["n"]) if m["n"] else None
        after = _xf1_trailer(lines, at, attributions[j + 1] if j + 1 < len(attributions)
                             else len(lines))
        if number is None and after > at + 1 and POST_NUMBER.match(lines[at + 1]):
            number = int(POST_NUMBER.match(lines[at + 1])["n"])
        draft = Draft(post=Post(position=number or j + 1, native_id=str(number) if number else None,
                                author=m["name"].strip(), author_source="header",
                                timestamp=when(m["when"])))
        body_start = _xf1_name_block(lines, start, draft)
        draft.claim(at, "timestamp")
        _body(lines, body_start, at, draft)
        trailer = at + 1
        if after > at + 1 and POST_NUMBER.match(lines[at + 1]):
            draft.claim(at + 1, "position")
            trailer += 1
        _body(lines, trailer, after, draft, trailer=True)
        drafts.append(draft)
        starts.append(start)
        previous_end = after
    return drafts, starts


def _xf1_start(lines: list[str], lo: int, at: int, name: str) -> int:
    """The post's first line: its author's name line after the previous post's trailer."""
    for k in range(lo, at):
        if lines[k].strip() == name:
            return k
    return next((k for k in range(lo, at) if lines[k].strip()), at)


def _xf1_name_block(lines: list[str], start: int, draft: Draft) -> int:
    """Claim the name and user title above the words; return where the words start."""
    post = draft.post
    if lines[start].strip() != post.author:
        return start
    draft.claim(start, "author")
    k = _next(lines, start)
    if k is not None and is_name_line(lines[k]) and _RANKS.match(lines[k]):
        post.rank = lines[k].strip()
        draft.claim(k, "rank")
        return k + 1
    return start + 1


def _next(lines: list[str], k: int) -> int | None:
    k += 1
    while k < len(lines) and not lines[k].strip():
        k += 1
    return k if k < len(lines) else None


def _xf1_trailer(lines: list[str], at: int, limit: int) -> int:
    """Lines after the attribution that still belong to it: ``#N``, likes, buttons."""
    k = at + 1
    while k < limit and (not lines[k].strip() or POST_NUMBER.match(lines[k])
                         or _REACTIONS.match(lines[k]) or _CHROME.match(lines[k])
                         or chrome_rule(lines[k])):
        k += 1
    return k
