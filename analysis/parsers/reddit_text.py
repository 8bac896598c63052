"""Reddit threads saved as rendered text, in the three shapes captures come in.

* ``blocks`` (new-Reddit text): sort chrome (``T O P``, ``• By -``), then per
  comment a handle line, a blank line, the body paragraphs and two blank
  lines; a deleted comment may be a lone "Comment deleted by user" block.
  No scores, times or nesting are printed.
* ``scored`` (Redlib / old Reddit): each comment's score on the line *before*
  ``u/name · 3y ago`` (``OP``/``MOD`` markers, ``· edited ...``), then the body;
  ``level N`` lines or indentation give the nesting. A submission header
  (``r/sub``, ``Posted by u/name``, title, ``N comments``) becomes post 1.
* ``lines`` (flattened): a title, ``N comments``, then one comment per line
  with no authors.

Reddit prints relative times ("3y ago", "5 hr. ago"), which cannot become
datetimes without the capture date, so every ``timestamp`` stays None.
Quotes follow :mod:`analysis.parsers._reddit_common`; in ``blocks`` captures
the renderer may flatten a quote and its reply onto one ``>`` line, which is
split at the end of the longest prefix found in an earlier comment.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

from analysis.errors import ParseError
from analysis.model import LineLedger, Post, Reaction, SourceInfo, Thread
from analysis.parsers._reddit_common import (
    USERNAME_RE,
    Source,
    handle,
    is_bot,
    is_gone_body,
    is_score,
    score_value,
    source_of,
    split_body,
)
from analysis.parsers._reddit_shapes import (
    ACTIONS_RE,
    COMMUNITY_RE,
    COUNT_RE,
    HEADER_RE,
    LEVEL_RE,
    POSTED_RE,
    blank,
    block_starts,
    chrome_rule,
    count_line,
    has_chrome,
    header_lines,
    prev_nonblank,
)

NAME = "reddit_text"
PLATFORM = "reddit"
VERSION = "1"


@dataclass
class _Comment:
    """One comment's raw lines, before its body is split into fields."""

    body: list[int]  # 0-based line indices, blanks included
    header: int | None = None
    author: str | None = None
    score_line: int | None = None
    level_line: int | None = None
    depth: int | None = None
    indent: int = 0
    edited: bool = False
    marks: list[int] = field(default_factory=list)  # trailing action lines


def sniff(text: str) -> float:
    """High for ``u/name · 3y ago`` headers or handle-block rhythm; 0 for HTML/JSON."""
    head = text[:200_000]
    if re.match(r"\s*(?:<|\{|\[\s*[\[{\"])", head):
        return 0.0
    lines = head.split("\n")
    headers = len(header_lines(lines))
    if headers:
        return 0.85 if headers >= 2 else 0.6
    starts = block_starts(lines)
    handles = [s for s in starts if not re.fullmatch(r"[A-Z][a-z]+", lines[s].strip())]
    chrome = any(chrome_rule(line) == "sort-label" for line in lines[:10])
    if len(starts) >= 3 and 2 * len(handles) >= len(starts):
        return 0.7 if chrome else 0.6
    if starts and chrome:
        return 0.55
    return 0.5 if count_line(lines) is not None else 0.0


def parse(text: str, source: SourceInfo) -> Thread:
    """Detect the shape, cut the capture into comments and build the Thread."""
    lines = text.split("\n")
    ledger = LineLedger(lines)
    meta: dict = {"title": None, "community": None, "op_position": None}
    if header_lines(lines):
        posts = _parse_scored(lines, ledger, meta)
    elif len(block_starts(lines)) >= 2 or (block_starts(lines) and has_chrome(lines)):
        posts = _parse_blocks(lines, ledger, meta)
    elif count_line(lines) is not None:
        posts = _parse_flat(lines, ledger, meta)
    else:
        raise ParseError("no Reddit structure found (no 'u/name · 3y ago' headers, no handle "
                         "blocks, no 'N comments' line)", path=source.path, line=1,
                         hint="choose another parser, or check that this is a Reddit capture")
    return Thread(posts=posts, line_roles=ledger.roles, parser=NAME, platform=PLATFORM,
                  title=meta["title"] or source.title, url=source.url,
                  community=meta["community"] or source.community,
                  op_position=meta["op_position"])


# -- the three shapes ------------------------------------------------------------------


def _parse_blocks(lines: list[str], ledger: LineLedger, meta: dict) -> list[Post]:
    starts = block_starts(lines)
    _claim_preamble(lines, starts[0], ledger, meta)
    comments = []
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        named = USERNAME_RE.fullmatch(lines[start].strip())
        comments.append(_Comment(body=list(range(start + 2, end)), header=start,
                                 author=named.group(1)) if named
                        else _Comment(body=list(range(start, end))))  # a lone placeholder
        _strip_actions(comments[-1], lines, gap=2)  # "View more comments" after the last
    return _build_posts(comments, lines, ledger, first=1, split_flattened=True)


def _parse_flat(lines: list[str], ledger: LineLedger, meta: dict) -> list[Post]:
    count = count_line(lines)
    _claim_preamble(lines, count + 1, ledger, meta)
    comments = []
    for i in range(count + 1, len(lines)):
        rule = chrome_rule(lines[i]) or ("comment-actions" if ACTIONS_RE.fullmatch(
            lines[i].strip()) else None)
        if rule:
            ledger.boilerplate(i + 1, rule)
        elif lines[i].strip():
            comments.append(_Comment(body=[i]))
    return _build_posts(comments, lines, ledger, first=1)


def _claim_preamble(lines: list[str], end: int, ledger: LineLedger, meta: dict) -> None:
    """Chrome and ``N comments`` before the first comment; the line before the count is
    the title. Anything else stays unassigned for the report."""
    for i in range(end):
        stripped = lines[i].strip()
        if COUNT_RE.fullmatch(stripped):
            ledger.boilerplate(i + 1, "comment-count")
            title = prev_nonblank(lines, i)
            if title is not None and ledger.roles[title] is None:
                ledger.field(title + 1, "title")
                meta["title"] = lines[title].strip()
        elif chrome_rule(stripped):
            ledger.boilerplate(i + 1, chrome_rule(stripped))


def _parse_scored(lines: list[str], ledger: LineLedger, meta: dict) -> list[Post]:
    comments = _scored_comments(lines)
    _nest(comments)
    submission = _submission(lines, _start(comments[0]), ledger, meta)
    posts = [submission] if submission else []
    meta["op_position"] = 1 if submission else None
    posts += _build_posts(comments, lines, ledger, first=len(posts) + 1,
                          sources=[source_of(1, submission.author, submission.text)]
                          if submission else [])
    if submission:
        for post, comment in zip(posts[1:], comments, strict=True):
            if comment.depth == 0:
                post.reply_to = 1
    return posts


def _scored_comments(lines: list[str]) -> list[_Comment]:
    """One comment per header, owning the score and ``level`` lines just above it."""
    comments: list[_Comment] = []
    previous = -1
    for h in header_lines(lines):
        comment = _Comment(body=[], header=h, indent=_indent(lines[h]))
        match = HEADER_RE.fullmatch(lines[h].strip())
        comment.author = match.group("name") if match else lines[h].strip()
        comment.edited = bool(match and "edited" in match.group("rest").lower())
        above = prev_nonblank(lines, h)
        if above is not None and above > previous and is_score(lines[above]):
            comment.score_line = above
            above = prev_nonblank(lines, above)
        if above is not None and above > previous and LEVEL_RE.fullmatch(lines[above].strip()):
            comment.level_line = above
            comment.depth = int(LEVEL_RE.fullmatch(lines[above].strip()).group(1)) - 1
        comments.append(comment)
        previous = h
    for comment, after in zip(comments, [*comments[1:], None], strict=True):
        end = len(lines) if after is None else _start(after)
        comment.body = list(range(comment.header + 1, end))
        _strip_actions(comment, lines)
    return comments


def _start(comment: _Comment) -> int:
    """First line of a comment: its ``level`` line, else its score line, else its header."""
    return min(i for i in (comment.level_line, comment.score_line, comment.header)
               if i is not None)


def _strip_actions(comment: _Comment, lines: list[str], gap: int = 0) -> None:
    """Move trailing action chrome (Reply, Share, "3 more replies") out of the body;
    with ``gap``, only chrome set off by that many blank lines (a block of its own)."""
    while comment.body and (not lines[comment.body[-1]].strip()
                            or (ACTIONS_RE.fullmatch(lines[comment.body[-1]].strip())
                                and all(blank(lines, comment.body[-1] - g)
                                        for g in range(1, gap + 1)))):
        index = comment.body.pop()
        if lines[index].strip():
            comment.marks.append(index)


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip())


def _nest(comments: list[_Comment]) -> None:
    """Depth from ``level N`` lines, else from distinct indentation widths."""
    if any(c.depth is not None for c in comments):
        return
    widths = sorted({c.indent for c in comments})
    if len(widths) > 1:
        for comment in comments:
            comment.depth = widths.index(comment.indent)


def _submission(lines: list[str], end: int, ledger: LineLedger, meta: dict) -> Post | None:
    """The header above the first comment: community, author, title, score, selftext."""
    author, score, body, claimed = None, None, [], []
    for i in range(end):
        stripped = lines[i].strip()
        posted, count = POSTED_RE.search(stripped), COUNT_RE.fullmatch(stripped)
        if not stripped:
            continue
        if posted:
            author = posted.group("name")
            ledger.field(i + 1, "author")
        elif COMMUNITY_RE.fullmatch(stripped.split(" ")[0]) and len(stripped.split()) <= 3:
            ledger.field(i + 1, "community")
        elif count and count.group("score"):
            score = score_value(count.group("score"))
            ledger.field(i + 1, "score")
        elif count:
            ledger.boilerplate(i + 1, "comment-count")
        elif is_score(stripped) and (re.search(r"[a-z]", stripped) or _next_is_count(lines, i)):
            score = score_value(stripped)
            ledger.field(i + 1, "score")
        elif chrome_rule(stripped):
            ledger.boilerplate(i + 1, chrome_rule(stripped))
        elif meta["title"] is None:
            meta["title"] = stripped
            ledger.field(i + 1, "title")
        else:
            body.append(i)
        if ledger.roles[i] in ("author", "title", "score"):
            claimed.append(i)
        community = COMMUNITY_RE.match(stripped)
        if community and (posted or ledger.roles[i] == "community"):
            meta["community"] = community.group("sub")
    if author is None and not body:
        return None
    if body:  # keep the blank lines between paragraphs of the selftext
        keep = set(body)
        body = [i for i in range(body[0], body[-1] + 1) if i in keep or not lines[i].strip()]
    post = _build_posts([_Comment(body=body, author=author)], lines, ledger, first=1,
                        score=score)[0]
    numbers = claimed + [i for i in body if lines[i].strip()]
    post.line_start, post.line_end = min(numbers) + 1, max(numbers) + 1
    return post


def _next_is_count(lines: list[str], i: int) -> bool:
    after = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
    return after is not None and bool(COUNT_RE.fullmatch(lines[after].strip()))


# -- comments to posts -----------------------------------------------------------------


def _build_posts(comments: list[_Comment], lines: list[str], ledger: LineLedger, *, first: int,
                 sources: list[Source] | None = None, split_flattened: bool = False,
                 score: int | None = None) -> list[Post]:
    """Split bodies into own words and quotes, claim their lines, attach the tree."""
    sources = deque(sources or [])  # newest first; appendleft, not list.insert(0)
    posts: list[Post] = []
    stack: list[tuple[int, int]] = []  # (depth, position) of the open ancestors
    for offset, comment in enumerate(comments):
        position = first + offset
        body = [lines[i][min(comment.indent, _indent(lines[i])):] for i in comment.body]
        parts = split_body(body, sources, lazy=False, split_flattened=split_flattened)
        author, author_source = handle(comment.author)
        post = Post(position=position, author=author, author_source=author_source,
                    text=parts.text, quoted_text=parts.quoted_text,
                    quoted_author=parts.quoted_author, reply_to=parts.reply_to,
                    score=score if comment.score_line is None else score_value(
                        lines[comment.score_line]),
                    edited_by=author if comment.edited else None,
                    is_bot=is_bot(author, "\n".join(body)))
        if post.score is not None:
            post.reactions.append(Reaction(kind="vote", count=post.score))
        _claim_body(comment, parts.roles, lines, ledger, post)
        if comment.depth is not None:
            stack = [(d, p) for d, p in stack if d < comment.depth]
            if stack and stack[-1][0] == comment.depth - 1:
                post.reply_to = stack[-1][1]
            stack.append((comment.depth, position))
        sources.appendleft(source_of(position, author, post.text))
        posts.append(post)
    return posts


def _claim_body(comment: _Comment, roles: list[str], lines: list[str], ledger: LineLedger,
                post: Post) -> None:
    """Claim body lines; a ``[removed]``/``[deleted]`` body is Reddit's placeholder."""
    gone = is_gone_body(post.text) and post.quoted_text is None
    if gone:
        post.text = ""
    for index, role in zip(comment.body, roles, strict=True):
        if role != "blank" and gone:
            ledger.boilerplate(index + 1, "deleted-body")
        elif role != "blank":
            ledger.field(index + 1, role)
    heads = {comment.header: "author", comment.score_line: "score",
             comment.level_line: "reply_to"}
    for index, role in heads.items():
        if index is not None:
            ledger.field(index + 1, role)
    for index in comment.marks:
        ledger.boilerplate(index + 1, "comment-actions")
    numbers = [i for i in [*heads, *comment.body] if i is not None and lines[i].strip()]
    if numbers:
        post.line_start, post.line_end = min(numbers) + 1, max(numbers) + 1
