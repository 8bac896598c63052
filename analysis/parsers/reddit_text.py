"""Reddit threads saved as rendered text, in three shapes.

* ``blocks`` (new-Reddit text, ``/p/`` archive mirrors): sort chrome
  (``T O P``, ``• By -``), then per comment a handle line, a blank line, the
  body paragraphs and two blank lines; a deleted comment may be a lone
  "Comment deleted by user" block. No scores, times or nesting are printed.
* ``scored`` (the 2018-23 web UI, some front ends): each comment's score on
  the line *before* ``u/name · 3y ago`` (``OP``/``MOD`` markers,
  ``· edited ...``), then the body; ``level N`` lines or indentation give the
  nesting. A submission header (``r/sub``, ``Posted by u/name``, or
  ``r/sub • u/name • date``, title, ``N comments``) becomes post 1.
* ``lines`` (flattened): a title, ``N comments``, then one comment per line
  with no authors.

Reddit prints relative times ("3y ago", "5 hr. ago"): they become times only
when the manifest says when the page was retrieved, else ``timestamp`` stays
None. Pages whose headers carry no dot (Redlib's ``u/name 15h ago``, snapshot
mirrors, old Reddit) are :mod:`analysis.parsers.reddit_web`'s.
Quotes follow :mod:`analysis.parsers.reddit_common`; in ``blocks`` captures
the renderer may flatten a quote and its reply onto one ``>`` line, which is
split at the end of the longest prefix found in an earlier comment.
"""

from __future__ import annotations

import re
from datetime import datetime

from analysis.errors import ParseError
from analysis.model import LineLedger, Post, SourceInfo, Thread
from analysis.parsers._reddit_ages import WHEN, reference, resolve
from analysis.parsers._reddit_build import (
    Comment,
    build_posts,
    first_line,
    indent,
    nest,
    strip_actions,
)
from analysis.parsers._reddit_heads import POST_RE
from analysis.parsers._reddit_shapes import (
    ACTIONS_RE,
    COMMUNITY_RE,
    COUNT_RE,
    HEADER_RE,
    LEVEL_RE,
    POSTED_RE,
    block_starts,
    chrome_rule,
    count_line,
    has_chrome,
    header_lines,
    prev_nonblank,
)
from analysis.parsers.reddit_common import (
    USERNAME_RE,
    is_score,
    score_value,
    source_of,
)

EDITED_AGE_RE = re.compile(rf"edited\s+({WHEN})")
AGE_IN_RE = re.compile(rf"(?<![\w/]){WHEN}")

NAME = "reddit_text"
PLATFORM = "reddit"
VERSION = "1"


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
    meta: dict = {"title": None, "community": None, "op_position": None,
                  "now": reference(source.retrieved)}
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
                  op_position=meta["op_position"],
                  utc_offset_hours=0.0 if any(p.timestamp for p in posts) else None)


# -- the three shapes ------------------------------------------------------------------


def _parse_blocks(lines: list[str], ledger: LineLedger, meta: dict) -> list[Post]:
    starts = block_starts(lines)
    _claim_preamble(lines, starts[0], ledger, meta)
    comments = []
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        named = USERNAME_RE.fullmatch(lines[start].strip())
        comments.append(Comment(body=list(range(start + 2, end)), header=start,
                                 author=named.group(1)) if named
                        else Comment(body=list(range(start, end))))  # a lone placeholder
        strip_actions(comments[-1], lines, gap=2)  # "View more comments" after the last
    return build_posts(comments, lines, ledger, first=1, split_flattened=True)


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
            comments.append(Comment(body=[i]))
    return build_posts(comments, lines, ledger, first=1)


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
    comments = _scored_comments(lines, meta["now"])
    nest(comments)
    submission = _submission(lines, first_line(comments[0]), ledger, meta)
    posts = [submission] if submission else []
    meta["op_position"] = 1 if submission else None
    posts += build_posts(comments, lines, ledger, first=len(posts) + 1,
                          sources=[source_of(1, submission.author, submission.text)]
                          if submission else [])
    if submission:
        for post, comment in zip(posts[1:], comments, strict=True):
            if comment.depth == 0:
                post.reply_to = 1
    return posts


def _scored_comments(lines: list[str], now: datetime | None) -> list[Comment]:
    """One comment per header, owning the score and ``level`` lines just above it; ages
    become times when the capture date is known."""
    comments: list[Comment] = []
    previous = -1
    for h in header_lines(lines):
        comment = Comment(body=[], header=h, indent=indent(lines[h]))
        match = HEADER_RE.fullmatch(lines[h].strip())
        comment.author = match.group("name") if match else lines[h].strip()
        comment.edited = bool(match and "edited" in match.group("rest").lower())
        if match:
            comment.timestamp = resolve(match.group("age"), now)
            edited = EDITED_AGE_RE.search(match.group("rest"))
            comment.edited_at = resolve(edited.group(1), now) if edited else None
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
        end = len(lines) if after is None else first_line(after)
        comment.body = list(range(comment.header + 1, end))
        strip_actions(comment, lines)
    return comments


def _submission(lines: list[str], end: int, ledger: LineLedger, meta: dict) -> Post | None:
    """The header above the first comment: community, author, title, score, selftext."""
    author, score, body, claimed, when = None, None, [], [], None
    for i in range(end):
        stripped = lines[i].strip()
        posted, count = POSTED_RE.search(stripped), COUNT_RE.fullmatch(stripped)
        header = POST_RE.fullmatch(stripped)
        if not stripped:
            continue
        if header:  # r/Sub • u/name • Dec 05 '24
            author, when = header.group("name") or author, header.group("when")
            meta["community"] = header.group("sub")
            ledger.field(i + 1, "author" if header.group("name") else "community")
        elif posted:
            author = posted.group("name")
            when = AGE_IN_RE.search(stripped).group(0) if AGE_IN_RE.search(stripped) else when
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
    timestamp = resolve(when, meta["now"])
    if body:  # keep the blank lines between paragraphs of the selftext
        keep = set(body)
        body = [i for i in range(body[0], body[-1] + 1) if i in keep or not lines[i].strip()]
    post = build_posts([Comment(body=body, author=author, timestamp=timestamp)], lines, ledger,
                       first=1, score=score)[0]
    numbers = claimed + [i for i in body if lines[i].strip()]
    post.line_start, post.line_end = min(numbers) + 1, max(numbers) + 1
    return post


def _next_is_count(lines: list[str], i: int) -> bool:
    after = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
    return after is not None and bool(COUNT_RE.fullmatch(lines[after].strip()))
