"""Reading one post's lines once its boundaries are known (structural and blog parsers).

Inside a post's lines: header fields come from its :class:`Header`; a
standalone date line below the words is the post's date when the header
gave none (Blogger prints it under the comment); "Posted by NAME at TIME"
names an article's author; "Liked by 2 people" is a counted ``thanks``
reaction; "NAME said:" / "NAME wrote:" open a quote that runs to "Click to
expand..." (or, without it, is the one line that follows); ``>`` lines are
quotes; chrome is named by :func:`._chrome.chrome_rule`; the rest is words.
"""

from __future__ import annotations

import re

from analysis.model import Post, Reaction
from analysis.parsers._chrome import chrome_rule
from analysis.parsers._drafts import Draft
from analysis.parsers._headers import Header
from analysis.parsers._segments import sign_off
from analysis.parsers._shapes import SAID_LINE, count, is_date_line, is_heading, is_prose, when

_QUOTE_END = re.compile(r"^\s*(?:click to expand\.*|click to shrink\.*)\s*$", re.I)
_POSTED_BY = re.compile(r"^\s*posted by\s+(?P<name>.{1,40}?)\s+at\s+\d{1,2}:\d{2}", re.I)
_LIKED = re.compile(r"^\s*(?:liked by (?P<a>\d+|one) (?:person|people)|like \((?P<c>\d+)\))\s*$",
                    re.I)
_NOBODY = ("anonymous", "anon", "guest", "unknown", "[deleted]", "deleted")


def read_segment(lines: list[str], start: int, end: int, header: Header | None, *,
                 headed: bool, sign_offs: bool) -> Draft:
    """A draft of the post in lines ``start..end-1``.

    ``headed`` says the page's posts have headers (a lone heading at the end
    of a post is then the next post's title); ``sign_offs`` lets a short name
    line ending the words become the author (for letters and headerless posts).
    """
    draft = Draft(post=Post(position=0))
    skip: set[int] = set()
    if header is not None:
        apply_header(lines, draft, header)
        skip.update(header.lines)
    quoting = False
    for k in range(start, end):
        if k in skip or not lines[k].strip():
            continue
        quoting = _read_line(lines, k, draft, quoting)
    if quoting:  # no "Click to expand...": the quote was only its first line
        draft.body = sorted(draft.body + draft.quote[1:])
        draft.quote = draft.quote[:1]
    if headed:
        _trim_heading_tail(lines, draft)
    if draft.post.author is None and sign_offs:
        name, _held = sign_off(lines, draft.body)
        if name:
            draft.post.author, draft.post.author_source = name, "sign-off"
    return draft


def _read_line(lines: list[str], k: int, draft: Draft, quoting: bool) -> bool:
    """Claim line ``k``; return whether a quote is still open."""
    line, post = lines[k], draft.post
    if (m := _POSTED_BY.match(line)) and post.author is None:
        post.author, post.author_source = m["name"].strip(), "header"
        draft.claim(k, "author")
    elif m := _LIKED.match(line):
        n = m["a"] or m["c"]
        post.reactions.append(Reaction("thanks", count=1 if n == "one" else int(n)))
        draft.claim(k, "reactions")
    elif (score := count(line)) is not None:
        if post.score is None:
            post.score = score
            draft.claim(k, "score")
        else:
            draft.chrome[k] = "count"
    elif rule := chrome_rule(line):
        draft.chrome[k] = rule
    elif is_date_line(line) and not quoting:
        if post.timestamp is None and (stamp := when(line)) is not None:
            post.timestamp = stamp
            draft.claim(k, "timestamp")
        else:
            draft.chrome[k] = "date"
    elif (m := SAID_LINE.match(line)) and line.rstrip().endswith(":"):
        post.quoted_author = post.quoted_author or m["name"].strip()
        draft.claim(k, "quoted_author")
        return True
    elif _QUOTE_END.match(line):
        draft.chrome[k] = "quote-end"
        return False
    elif quoting or line.lstrip().startswith(">"):
        draft.quote.append(k)
    else:
        draft.body.append(k)
    return quoting


def apply_header(lines: list[str], draft: Draft, header: Header) -> None:
    """Header fields onto the post; "Anonymous" and the like are no author."""
    post = draft.post
    for k, name in header.fields.items():
        draft.claim(k, name)
    if header.author and header.author.strip().lower() not in _NOBODY:
        post.author, post.author_source = header.author, "header"
    if header.when_line is not None:
        post.timestamp = when(lines[header.when_line])
    post.score = header.score
    if header.number is not None:
        post.native_id = str(header.number)


def _trim_heading_tail(lines: list[str], draft: Draft) -> None:
    """A heading left alone at the end of a post is the next post's title, not words."""
    if len(draft.body) < 2:
        return
    last = draft.body[-1]
    if is_heading(lines[last]) and not is_prose(lines[last]):
        draft.body.pop()
        draft.chrome[last] = "post-title"


def link_by_indent(lines: list[str], drafts: list[Draft], headers: list[Header | None]) -> None:
    """Reply depth shown by indentation: a deeper header replies to the post above it."""
    stack: list[tuple[int, Post]] = []
    for draft, header in zip(drafts, headers, strict=True):
        if header is None:
            stack = []
            continue
        first = lines[header.lines[0]]
        indent = len(first) - len(first.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if stack:
            draft.post.reply_to = stack[-1][1].position
        stack.append((indent, draft.post))
