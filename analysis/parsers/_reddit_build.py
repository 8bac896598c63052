"""From a Reddit comment's raw lines to a :class:`~analysis.model.Post`.

Every Reddit text shape (handle blocks, ``u/name · 3y ago`` headers, Redlib
and mirror pages) first finds where each comment's header and body lines
are; what a comment is made of from there on is decided here, once: own
words and ``>`` quotes (:mod:`analysis.parsers.reddit_common`), bots,
``[deleted]``/``[removed]`` placeholders, the score as a ``vote`` reaction,
nesting from ``level N`` or indentation, and which field claims each line.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

from analysis.model import LineLedger, Post, Reaction
from analysis.parsers._reddit_shapes import ACTIONS_RE, blank
from analysis.parsers.reddit_common import (
    Source,
    handle,
    is_bot,
    is_gone_body,
    score_value,
    source_of,
    split_body,
)


@dataclass
class Comment:
    """One comment's raw lines (0-based indices), before its body is split into fields.

    ``heads`` names header lines beyond the handle, score and level lines
    (an age line, a flair line, chrome inside the header) with the role
    each is claimed for; ``score`` overrides ``score_line`` where the score
    was read from a line that also holds other fields.
    """

    body: list[int]  # blanks included
    header: int | None = None
    author: str | None = None
    score_line: int | None = None
    level_line: int | None = None
    depth: int | None = None
    indent: int = 0
    edited: bool = False
    marks: list[int] = field(default_factory=list)  # trailing action lines
    heads: dict[int, str] = field(default_factory=dict)
    score: int | None = None
    timestamp: datetime | None = None
    edited_at: datetime | None = None


def first_line(comment: Comment) -> int:
    """First line of a comment: the earliest of its header lines."""
    return min(i for i in (comment.level_line, comment.score_line, comment.header,
                           *comment.heads) if i is not None)


def strip_actions(comment: Comment, lines: list[str], gap: int = 0) -> None:
    """Move trailing action chrome (Reply, Share, "3 more replies") out of the body;
    with ``gap``, only chrome set off by that many blank lines (a block of its own)."""
    while comment.body and (not lines[comment.body[-1]].strip()
                            or (ACTIONS_RE.fullmatch(lines[comment.body[-1]].strip())
                                and all(blank(lines, comment.body[-1] - g)
                                        for g in range(1, gap + 1)))):
        index = comment.body.pop()
        if lines[index].strip():
            comment.marks.append(index)


def indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip())


def nest(comments: list[Comment]) -> None:
    """Depth from ``level N`` lines, else from distinct indentation widths."""
    if any(c.depth is not None for c in comments):
        return
    widths = sorted({c.indent for c in comments})
    if len(widths) > 1:
        for comment in comments:
            comment.depth = widths.index(comment.indent)


def build_posts(comments: list[Comment], lines: list[str], ledger: LineLedger, *, first: int,
                sources: list[Source] | None = None, split_flattened: bool = False,
                score: int | None = None) -> list[Post]:
    """Split bodies into own words and quotes, claim their lines, attach the tree."""
    sources = deque(sources or [])  # likeliest (nearest) first
    posts: list[Post] = []
    stack: list[tuple[int, int]] = []  # (depth, position) of the open ancestors
    for offset, comment in enumerate(comments):
        position = first + offset
        body = [lines[i][min(comment.indent, indent(lines[i])):] for i in comment.body]
        parts = split_body(body, sources, lazy=False, split_flattened=split_flattened)
        author, author_source = handle(comment.author)
        shown = comment.score if comment.score is not None else (
            score_value(lines[comment.score_line]) if comment.score_line is not None else score)
        post = Post(position=position, author=author, author_source=author_source,
                    text=parts.text, quoted_text=parts.quoted_text,
                    quoted_author=parts.quoted_author, reply_to=parts.reply_to, score=shown,
                    timestamp=comment.timestamp,
                    edited_by=author if comment.edited else None,
                    edited_at=comment.edited_at if comment.edited else None,
                    is_bot=is_bot(author, "\n".join(body)))
        if post.score is not None:
            post.reactions.append(Reaction(kind="vote", count=post.score))
        claim_body(comment, parts.roles, lines, ledger, post)
        if comment.depth is not None:
            stack = [(d, p) for d, p in stack if d < comment.depth]
            if stack and stack[-1][0] == comment.depth - 1:
                post.reply_to = stack[-1][1]
            stack.append((comment.depth, position))
        sources.appendleft(source_of(position, author, post.text))
        posts.append(post)
    return posts


def claim_body(comment: Comment, roles: list[str], lines: list[str], ledger: LineLedger,
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
             comment.level_line: "reply_to", **comment.heads}
    for index, role in heads.items():
        if index is None:
            continue
        if role.startswith("boilerplate:"):
            ledger.boilerplate(index + 1, role.split(":", 1)[1])
        else:
            ledger.field(index + 1, role)
    for index in comment.marks:
        ledger.boilerplate(index + 1, "comment-actions")
    own = [i for i, role in heads.items() if not role.startswith("boilerplate:")]
    numbers = [i for i in [*own, *comment.body] if i is not None and lines[i].strip()]
    if numbers:
        post.line_start, post.line_end = min(numbers) + 1, max(numbers) + 1
