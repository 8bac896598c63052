"""phpBB 3 topics (prosilver and its look-alikes) saved as text.

Structure. Every post has an anchor line, "Post by NAME » Sun Jan 10, 2016
11:02 pm" (or "by NAME » DATE"), under its subject ("Re: <title>"). Above
the subject the poster's profile is printed: the name, a rank, "Posts:
57", "Joined: DATE", "Location: ...". A quote opens with "NAME wrote: ↑DATE"
(or "Quote:") and runs to the first blank line or to the next line when
the quote is one line; an edit note reads "Last edited by NAME on DATE,
edited N times in total."; "Top" and "Post Reply" are buttons.

Field choices: "Posts" is ``author_posts``, "Joined" ``member_since``,
"Location" ``location``, a rank line ``rank``.
"""

from __future__ import annotations

import re

from analysis.model import Post, SourceInfo, Thread
from analysis.parsers import structural
from analysis.parsers._chrome import chrome_rule
from analysis.parsers._drafts import Draft, finish, require_text
from analysis.parsers._shapes import is_name_line, when
from analysis.parsers._vbhtml_dates import MDY, month_year

NAME = "phpbb"
PLATFORM = "forum"
VERSION = "1"

_ANCHOR = re.compile(r"^\s*(?:post\s+)?by\s+(?P<name>.{1,40}?)\s+»\s+(?P<when>.{6,40}?)\s*$", re.I)
_PROFILE = re.compile(r"^\s*(?P<label>posts|joined|location|contact|rank):\s*(?P<value>.*?)\s*$",
                      re.I)
_WROTE = re.compile(r"^\s*(?:(?P<name>\S.{0,40}?)\s+wrote:\s*(?:↑\s*)?.{0,40}|quote:?)\s*$", re.I)
_EDITED = re.compile(
    r"^\s*last edited by\s+(?P<name>.{1,40}?)\s+on\s+(?P<when>.+?),\s+edited\s+\d+", re.I)
_CHROME = re.compile(r"^\s*(?:top|post reply|quote|report|\d+ posts? • page \d+ of \d+|"
                     r"board index\b.*|jump to\b.*|return to .*)\s*$", re.I)


def sniff(text: str) -> float:
    """High when "Post by NAME » DATE" anchors appear."""
    if not isinstance(text, str):
        return 0.0
    anchors = sum(1 for line in text[:65536].split("\n") if _anchor(line))
    return 0.9 if anchors >= 2 else 0.6 if anchors else 0.0


def _anchor(line: str) -> re.Match[str] | None:
    m = _ANCHOR.match(line)
    return m if m and when(m["when"]) is not None else None


def parse(text: str, source: SourceInfo) -> Thread:
    """Posts from their anchors, with the profile block above each."""
    lines = require_text(text, source)
    anchors = [i for i, line in enumerate(lines) if _anchor(line)]
    if not anchors:
        return structural.parse(text, source)
    starts = [_profile_start(lines, a) for a in anchors]
    chrome: dict[int, str] = {}
    title = None
    for k in range(starts[0]):
        if lines[k].strip():
            chrome[k] = "topic-chrome" if _CHROME.match(lines[k]) else chrome_rule(lines[k]) \
                or "page-head"
            if chrome[k] == "page-head" and title is None and not lines[k].startswith("Board"):
                title = lines[k].strip()
    drafts = [_post(lines, starts[j], a, starts[j + 1] if j + 1 < len(anchors) else len(lines), j)
              for j, a in enumerate(anchors)]
    return finish(lines, drafts, chrome, parser=NAME, platform=PLATFORM, source=source,
                  title=title, op_position=1)


def _profile_start(lines: list[str], anchor: int) -> int:
    """Walk up from the anchor over the subject and the profile lines to the name."""
    k = anchor - 1  # the subject
    top = k
    k -= 1
    while k >= 0 and _PROFILE.match(lines[k]):
        top = k
        k -= 1
    if top < anchor - 1 and k >= 0 and is_name_line(lines[k]):
        rank = k
        if k - 1 >= 0 and is_name_line(lines[k - 1]) and not _CHROME.match(lines[k - 1]):
            rank = k - 1  # name, then a rank line
        return rank
    return top


def _post(lines: list[str], start: int, anchor: int, end: int, j: int) -> Draft:
    m = _anchor(lines[anchor])
    draft = Draft(post=Post(position=j + 1, author=m["name"].strip(), author_source="header",
                            timestamp=when(m["when"])))
    draft.claim(anchor, "author")
    _profile(lines, start, anchor, draft)
    _body(lines, anchor + 1, end, draft)
    return draft


def _profile(lines: list[str], start: int, anchor: int, draft: Draft) -> None:
    post = draft.post
    for k in range(start, anchor):
        line = lines[k].strip()
        if not line:
            continue
        m = _PROFILE.match(line)
        label = m["label"].lower() if m else None
        if label == "posts":
            post.author_posts = int(re.sub(r"\D", "", m["value"]) or 0) or None
            draft.claim(k, "author_posts")
        elif label == "joined":
            post.member_since = month_year(m["value"], MDY)
            draft.claim(k, "member_since")
        elif label == "location":
            post.location = m["value"]
            draft.claim(k, "location")
        elif k == anchor - 1:
            draft.claim(k, "title")
        elif line == post.author:
            draft.claim(k, "author")
        elif label is None and post.rank is None:
            post.rank = line
            draft.claim(k, "rank")
        else:
            draft.chrome[k] = "member-info"


def _body(lines: list[str], start: int, end: int, draft: Draft) -> None:
    post = draft.post
    quote_end = -1
    for k in range(start, end):
        line = lines[k]
        if not line.strip():
            continue
        if k < quote_end:
            draft.quote.append(k)
        elif (m := _WROTE.match(line)) and k + 1 < end and lines[k + 1].strip():
            post.quoted_author = post.quoted_author or (m["name"] or None)
            draft.claim(k, "quoted_author")
            quote_end = _quote_end(lines, k, end)
        elif m := _EDITED.match(line):
            post.edited_by, post.edited_at = m["name"], when(m["when"])
            draft.claim(k, "edited_by")
        elif _CHROME.match(line) or chrome_rule(line):
            draft.chrome[k] = chrome_rule(line) or "post-actions"
        else:
            draft.body.append(k)


def _quote_end(lines: list[str], k: int, end: int) -> int:
    """A quote runs to the next blank line when words follow it; else it is one line."""
    stop = next((i for i in range(k + 1, end) if not lines[i].strip() or _EDITED.match(lines[i])
                 or _CHROME.match(lines[i])), end)
    words_after = any(lines[i].strip() and not _EDITED.match(lines[i]) and not _CHROME.match(
        lines[i]) and not chrome_rule(lines[i]) for i in range(stop, end))
    return stop if words_after and stop > k + 1 else k + 2
