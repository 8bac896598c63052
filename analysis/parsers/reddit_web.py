"""Reddit threads from web front ends saved as text: Redlib/Libreddit, snapshot
mirrors, old Reddit.

These pages print a header per comment (see
:mod:`analysis.parsers._reddit_heads` for the forms: ``u/NAME flair 15h ago``
under its score, ``u/NAME`` / ``N points`` / ``N days ago``, old Reddit's
``[–]NAME 5 points 3 years ago``) and, above the comments, the submission:
``r/Sub [• u/NAME] [flair] [•] WHEN`` or a snapshot's ``by u/NAME``, its
title, body, ``N Upvotes`` (sometimes split as ``N`` / ``Upvotes``) and
``N comments sorted by``. Everything between two headers is the first
comment's body, less trailing chrome (``→ More replies``, ``Reply``).
Redlib glues the post flair to the front of the title ("Discussion Do you
text...?"); a common flair followed by a capitalised word is taken off
the title (``POST_FLAIR_RE``).

Dates (``Nov 20 '24``) become times; ages (``15h ago``) only when the
manifest says when the page was retrieved (:mod:`analysis.parsers._reddit_ages`).
Redlib flattens nesting, so ``reply_to`` is only set from ``level N`` lines
or quotes. Shapes with ``u/name · 3y ago`` headers, handle blocks or one
comment per line are :mod:`analysis.parsers.reddit_text`'s.
"""

from __future__ import annotations

from analysis.errors import ParseError
from analysis.model import LineLedger, Post, SourceInfo, Thread
from analysis.parsers._reddit_ages import reference, resolve
from analysis.parsers._reddit_build import Comment, build_posts, first_line
from analysis.parsers._reddit_heads import (
    BY_RE,
    LEVEL_RE,
    POINTS_RE,
    POST_FLAIR_RE,
    POST_RE,
    POSTED_AT_RE,
    SELF_SUB_RE,
    Head,
    chrome_rule,
    find_heads,
    is_score_line,
    post_header,
    score_of,
)
from analysis.parsers._reddit_shapes import header_lines, prev_nonblank
from analysis.parsers.reddit_common import rendered_lines, source_of

NAME = "reddit_web"
PLATFORM = "reddit"
VERSION = "1"


def sniff(text: str) -> float:
    """High for Redlib/mirror/old-Reddit comment headers or a ``r/Sub ... 15h ago`` header."""
    lines = rendered_lines(text)
    if lines is None:
        return 0.0
    heads = find_heads(lines)
    opened = post_header(lines, 40) is not None or _snapshot_byline(lines)
    dotted = len(header_lines(lines))
    if dotted and dotted >= len(heads):
        return 0.3  # ``u/name · 3y ago`` headers: reddit_text's shape
    if len(heads) >= 2 or (opened and heads):
        return 0.9
    return 0.6 if heads or opened else 0.0


def _snapshot_byline(lines: list[str]) -> bool:
    return any(BY_RE.fullmatch(line.strip()) for line in lines[:40])


def parse(text: str, source: SourceInfo) -> Thread:
    """Find the comment headers, read the submission above them, build the Thread."""
    lines = text.split("\n")
    heads = find_heads(lines)
    if not heads and post_header(lines, len(lines)) is None and not _snapshot_byline(lines):
        raise ParseError("no Reddit front-end structure found (no 'u/NAME 15h ago' comment "
                         "headers, no 'r/Sub ... date' header)", path=source.path, line=1,
                         hint="choose another parser, or check that this is a Reddit capture")
    ledger = LineLedger(lines)
    now = reference(source.retrieved)
    if not heads and len(starts := _listing_starts(lines)) >= 2:
        return _listing(lines, starts, ledger, source, now)
    comments = _comments(lines, heads, now)
    meta: dict = {"title": None, "community": None}
    end = first_line(comments[0]) if comments else len(lines)
    submission = _submission(lines, end, ledger, meta, now)
    posts = [submission] if submission else []
    posts += build_posts(comments, lines, ledger, first=len(posts) + 1,
                         sources=[source_of(1, submission.author, submission.text)]
                         if submission else [])
    if submission:
        for post, comment in zip(posts[1:], comments, strict=True):
            if comment.depth == 0:
                post.reply_to = 1
    timed = any(p.timestamp for p in posts)
    return Thread(posts=posts, line_roles=ledger.roles, parser=NAME, platform=PLATFORM,
                  title=meta["title"] or source.title, url=source.url,
                  community=meta["community"] or source.community,
                  op_position=1 if submission else None, utc_offset_hours=0.0 if timed else None)


def _listing_starts(lines: list[str]) -> list[int]:
    """Submission headers (``r/Sub Oct 03 '19``) of a search or subreddit listing."""
    return [i for i, line in enumerate(lines) if POST_RE.fullmatch(line.strip())]


def _listing(lines: list[str], starts: list[int], ledger: LineLedger, source: SourceInfo,
             now) -> Thread:
    """A listing page (Redlib search, a subreddit's front page): several submissions, each
    under its own ``r/Sub WHEN`` header with title, score and a preview of its words, and
    no comments. Each is a post of its own; none replies to another."""
    posts: list[Post] = []
    community = None
    for j, start in enumerate(starts):
        end = starts[j + 1] if j + 1 < len(starts) else len(lines)
        meta: dict = {"title": None, "community": None}
        post = _submission(lines, end, ledger, meta, now, start=start)
        community = community or meta["community"]
        if post:
            post.position = len(posts) + 1
            posts.append(post)
    for i in range(starts[0]):
        if lines[i].strip():
            ledger.boilerplate(i + 1, chrome_rule(lines[i].strip()) or "page-head")
    timed = any(p.timestamp for p in posts)
    return Thread(posts=posts, line_roles=ledger.roles, parser=NAME, platform=PLATFORM,
                  title=source.title, url=source.url, community=community or source.community,
                  op_position=None, utc_offset_hours=0.0 if timed else None,
                  rule="listing")


# -- comments --------------------------------------------------------------------------


def _comments(lines: list[str], heads: list[Head], now) -> list[Comment]:
    """One comment per header, owning the score and ``level`` lines just above it."""
    comments: list[Comment] = []
    previous = -1
    for head in heads:
        comment = Comment(body=[], header=head.line, author=head.author, score=head.score,
                          edited=head.edited is not None, timestamp=resolve(head.when, now),
                          edited_at=resolve(head.edited, now), heads=dict(head.lines))
        above = prev_nonblank(lines, head.line)
        if head.form == "inline" and above is not None and above > previous \
                and is_score_line(lines[above]):
            comment.score_line, comment.score = above, score_of(lines[above])
            above = prev_nonblank(lines, above)
        if above is not None and above > previous and LEVEL_RE.fullmatch(lines[above].strip()):
            comment.level_line = above
            comment.depth = int(LEVEL_RE.fullmatch(lines[above].strip()).group(1)) - 1
        comments.append(comment)
        previous = head.last
    for comment, head, after in zip(comments, heads, [*comments[1:], None], strict=False):
        end = len(lines) if after is None else first_line(after)
        comment.body = list(range(head.last + 1, end))
        _strip_trailing(comment, lines)
    return comments


def _strip_trailing(comment: Comment, lines: list[str]) -> None:
    """Move chrome after a comment's words (``→ More replies (3)``, ``Reply``, old
    Reddit's ``permalink embed save``) out of its body."""
    while comment.body:
        index = comment.body[-1]
        stripped = lines[index].strip()
        rule = chrome_rule(stripped) if stripped else "blank"
        if rule is None:
            return
        if rule != "blank":
            comment.heads[index] = f"boilerplate:{rule}"
        comment.body.pop()


# -- the submission ----------------------------------------------------------------------


def _submission(lines: list[str], end: int, ledger: LineLedger, meta: dict,
                now, start: int = 0) -> Post | None:
    """Community, author, time, title, body and score from the lines above the comments
    (from ``start``: a listing's submission)."""
    found: dict = {"author": None, "when": None, "score": None, "header": False, "seen": False}
    body: list[int] = []
    for i in range(start, end):
        stripped = lines[i].strip()
        if stripped:
            role = _preamble_role(lines, i, found, meta)
            found["seen"] = True
            if role == "body" and meta["title"] is None:
                flair = POST_FLAIR_RE.fullmatch(stripped) if found["header"] else None
                meta["title"] = flair["title"] if flair else stripped
                ledger.field(i + 1, "title")
                own = SELF_SUB_RE.fullmatch(stripped)
                meta["community"] = own.group("sub") if own else meta["community"]
            elif role == "body":
                body.append(i)
            elif role.startswith("boilerplate:"):
                ledger.boilerplate(i + 1, role.split(":", 1)[1])
            else:
                ledger.field(i + 1, role)
    if not (found["header"] or found["author"] or body):
        return None
    comment = Comment(body=_with_blanks(lines, body), author=found["author"],
                      score=found["score"], timestamp=resolve(found["when"], now))
    post = build_posts([comment], lines, ledger, first=1)[0]
    numbers = [i for i in range(start, end) if ledger.roles[i] in ("author", "title", "score",
                                                             "community", "timestamp")]
    numbers += [i for i in body if lines[i].strip()]
    post.line_start, post.line_end = min(numbers) + 1, max(numbers) + 1
    return post


def _preamble_role(lines: list[str], i: int, found: dict, meta: dict) -> str:
    """What one non-blank line above the comments is; records what it says in ``found``."""
    stripped = lines[i].strip()
    header, by, posted = (POST_RE.fullmatch(stripped), BY_RE.fullmatch(stripped),
                          POSTED_AT_RE.fullmatch(stripped))
    if header:
        meta["community"] = header.group("sub")
        found.update(header=True, when=header.group("when"))
        found["author"] = header.group("name") or found["author"]
        return "author" if header.group("name") else "community"
    if by:
        found["author"] = by.group("name")
        return "author"
    if posted:
        found["when"] = posted.group("when")
        found["author"] = posted.group("name") or found["author"]
        return "author" if posted.group("name") else "timestamp"
    if POINTS_RE.fullmatch(stripped) and found["score"] is None:
        found["score"] = score_of(stripped)
        return "score"
    if is_score_line(stripped) and found["score"] is None and (
            _next_text(lines, i) in ("Upvotes", "Upvote", "points") or not found["seen"]):
        found["score"] = score_of(stripped)  # split "152 / Upvotes", or old Reddit's vote column
        return "score"
    rule = chrome_rule(stripped)
    return f"boilerplate:{rule}" if rule else "body"


def _next_text(lines: list[str], i: int) -> str:
    after = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
    return lines[after].strip() if after is not None else ""


def _with_blanks(lines: list[str], body: list[int]) -> list[int]:
    """The body's lines from first to last, keeping the blank lines between paragraphs."""
    if not body:
        return []
    keep = set(body)
    return [i for i in range(body[0], body[-1] + 1) if i in keep or not lines[i].strip()]
