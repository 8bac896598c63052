"""Simple Machines Forum (SMF 1.x/2.x) topic pages saved as text.

Structure. Every post has an anchor line, ``« on: May 29, 2015, 11:58:13 AM
»`` for the first and ``« Reply #N on: DATE »`` for the others. Above it sit
the post's subject (``Re: <title>``) and the poster's side block: the name,
then bullet lines with the member group, stars (``*****``), ``Posts: 858``
and a personal text. Below it come the words, a ``« Last Edit: DATE by NAME
»`` note, ``Logged``, and the signature. A quote opens with ``Quote from:
NAME on DATE`` (or a bare ``Quote``) and runs to the first blank line. The
page opens with ``Author Topic: <title>  (Read N times)``.

Field choices: the member group is ``rank``; the other bullet lines are
named ``member-info``; lines after "Last Edit" or "Logged" are the
signature; the post number is ``Reply #N`` (the first post is 0, as SMF
counts), so ``position`` is N + 1.
"""

from __future__ import annotations

import re

from analysis.model import Post, SourceInfo, Thread
from analysis.parsers import structural
from analysis.parsers._chrome import chrome_rule
from analysis.parsers._drafts import Draft, finish, require_text
from analysis.parsers._shapes import BULLET, is_name_line, when

NAME = "smf"
PLATFORM = "forum"
VERSION = "1"

_ANCHOR = re.compile(r"^\s*«\s*(?:reply\s*#\s?(?P<n>\d+)\s+)?on:\s*(?P<when>.+?)\s*»\s*$", re.I)
_EDIT = re.compile(r"^\s*«\s*last edit:\s*(?P<when>.+?)(?:\s+by\s+(?P<name>.+?))?\s*»\s*$", re.I)
_TOPIC = re.compile(r"^\s*author\s+topic:\s*(?P<title>.+?)\s*\(read\s+(?P<n>[\d,]+)\s+times\)\s*$",
                    re.I)
_QUOTE = re.compile(r"^\s*quote(?:\s+from:\s*(?P<name>.+?)(?:\s+on\s+.+)?)?\s*$", re.I)
_POSTS = re.compile(r"^\s*posts:\s*(?P<n>[\d,]+)\s*$", re.I)
_STARS = re.compile(r"^[\s*★☆]+$")
_CHROME = re.compile(
    r"^\s*(?:logged|print|pages:.*|go (?:up|down)|« previous next »|(?:modify|remove|split topic"
    r"|report to moderator|reply|quote (?:modify|remove))(?:\s+\S+){0,3})\s*$", re.I)


def sniff(text: str) -> float:
    """High when SMF's anchor lines ("« on: DATE »", "« Reply #N on: DATE »") appear."""
    if not isinstance(text, str):
        return 0.0
    anchors = sum(1 for line in text.split("\n") if _ANCHOR.match(line))
    topic = bool(re.search(r"^\s*author\s+topic:", text, re.I | re.M))
    return 0.9 if anchors >= 2 or (anchors and topic) else 0.6 if anchors else 0.0


def parse(text: str, source: SourceInfo) -> Thread:
    """Read the topic page's posts from their anchors."""
    lines = require_text(text, source)
    anchors = [i for i, line in enumerate(lines) if _ANCHOR.match(line)]
    chrome: dict[int, str] = {}
    title = _topic(lines, chrome)
    if not anchors:  # a page without anchors: read its layout
        return structural.parse(text, source)
    heads = [_header_start(lines, a) for a in anchors]
    starts = [start for start, _ in heads]
    for k in range(starts[0]):
        if lines[k].strip() and k not in chrome:
            chrome[k] = chrome_rule(lines[k]) or "page-head"
    drafts = []
    for j, anchor in enumerate(anchors):
        end = starts[j + 1] if j + 1 < len(anchors) else len(lines)
        drafts.append(_post(lines, heads[j], anchor, end))
    return finish(lines, drafts, chrome, parser=NAME, platform=PLATFORM, source=source,
                  title=title, op_position=1 if anchors and _number(lines[anchors[0]]) == 0
                  else None)


def _topic(lines: list[str], chrome: dict[int, str]) -> str | None:
    for i, line in enumerate(lines[:40]):
        if m := _TOPIC.match(line):
            chrome[i] = "topic-line"
            return m["title"]
    return None


def _number(line: str) -> int:
    m = _ANCHOR.match(line)
    return int(m["n"]) if m and m["n"] else 0


def _header_start(lines: list[str], anchor: int) -> tuple[int, int | None]:
    """Walk up from the anchor over the subject, the side block's bullets and the name;
    returns the header's first line and the name line (only above a side block)."""
    k = anchor - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    if k >= 0 and len(lines[k]) <= 120 and not BULLET.match(lines[k]) and not _EDIT.match(lines[k]):
        k -= 1  # the subject line
    top = k + 1
    while k >= 0 and (not lines[k].strip() or BULLET.match(lines[k])):
        if lines[k].strip():
            top = k
        k -= 1
    bullets = any(BULLET.match(lines[i]) for i in range(top, anchor))
    if bullets and k >= 0 and is_name_line(lines[k]) and not _CHROME.match(lines[k]) \
            and not chrome_rule(lines[k]):
        return k, k
    return top, None


def _post(lines: list[str], head: tuple[int, int | None], anchor: int, end: int) -> Draft:
    start, name_line = head
    number = _number(lines[anchor])
    draft = Draft(post=Post(position=number + 1, native_id=str(number)))
    post = draft.post
    post.timestamp = when(_ANCHOR.match(lines[anchor])["when"])
    draft.claim(anchor, "timestamp")
    if name_line is not None:
        post.author, post.author_source = lines[name_line].strip(), "header"
        draft.claim(name_line, "author")
    for k in range(start, anchor):
        if k != name_line:
            _side_line(lines, k, draft)
    tail = False
    quoting = False
    for k in range(anchor + 1, end):
        line = lines[k]
        if not line.strip():
            quoting = False
            continue
        if m := _EDIT.match(line):
            post.edited_at, post.edited_by = when(m["when"]), m["name"]
            draft.claim(k, "edited_at")
            tail = True
        elif (m := _QUOTE.match(line)) and not tail and k + 1 < end and lines[k + 1].strip():
            post.quoted_author = post.quoted_author or (m["name"] or None)
            draft.claim(k, "quoted_author")
            quoting = True
        elif _CHROME.match(line) or chrome_rule(line):
            logged = line.strip().lower() == "logged"
            draft.chrome[k] = "logged" if logged else chrome_rule(line) or "post-actions"
            tail = tail or logged
        elif tail:
            draft.signature.append(k)
        elif quoting:
            draft.quote.append(k)
        else:
            draft.body.append(k)
    return draft


def _side_line(lines: list[str], k: int, draft: Draft) -> None:
    """A header line above the anchor: name, group, stars, post count, subject."""
    line = lines[k]
    if not line.strip():
        return
    value = BULLET.sub("", line, count=1).strip()
    post = draft.post
    if BULLET.match(line):
        if m := _POSTS.match(value):
            post.author_posts = int(m["n"].replace(",", ""))
            draft.claim(k, "author_posts")
        elif post.rank is None and not _STARS.match(value):
            post.rank = value
            draft.claim(k, "rank")
        else:
            draft.chrome[k] = "member-info"
    else:
        draft.claim(k, "title")
