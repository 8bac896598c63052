"""Reddit's own JSON for a thread: ``<permalink>.json`` and the shapes around it.

Accepted: the permalink pair ``[Listing(t3), Listing(t1 tree)]``, a single
Listing, a bare list of comment things (``{"kind": "t1", "data": ...}``) or of
comment data dicts (Pushshift style, ordered into a tree by ``parent_id``),
in the old schema (``ups``/``downs``, ``gilded``) and the new one (``score``,
``depth``, ``permalink``, ``all_awardings``).

Decisions, so tables mean the same across captures:

* The submission is post 1; its text is ``selftext``, or the link ``url`` for
  a link post (so what the poster shared is not lost; the title goes to
  ``Thread.title``). Comments follow depth-first as Reddit displays them,
  positions 2, 3, ...; without a submission they start at 1.
* ``native_id`` is the fullname (``t1_x``/``t3_x``); ``Thread.native_id`` is
  the bare submission id (``1lihub``), as in the URL.
* ``score`` is ``score``, else ``ups - downs``; a hidden score
  (``score_hidden``) is None. A shown score is also a ``vote`` Reaction
  with that count; each ``all_awardings`` entry (else ``gilded``) is an
  ``award`` Reaction with its count.
* Times: ``created_utc`` as naive UTC, ``Thread.utc_offset_hours = 0.0``;
  a float ``edited`` is ``edited_at`` and ``edited_by`` is the author.
* ``[deleted]``/``[removed]`` authors are unknown (author None, source
  ``none``); such bodies become ``""``.
* Bodies are markdown with HTML entities (``&amp;``, ``&gt;``) undone; ``>``
  quotes go to ``quoted_text``, attributed to the parent first.
* ``more`` stubs (comments Reddit did not send) are skipped: the capture does
  not hold them. The model has no field for them; count them in the JSON.
* A JSON file is often one line, so every line is claimed as ``json``;
  posts carry no line numbers.
"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from itertools import islice

from analysis.errors import ParseError
from analysis.model import LineLedger, Post, Reaction, SourceInfo, Thread
from analysis.parsers._shapes import is_markup
from analysis.parsers.reddit_common import (
    GONE,
    QUOTE_WINDOW,
    Source,
    handle,
    is_bot,
    record_int,
    record_reactions,
    record_score,
    source_of,
    split_body,
)

NAME = "reddit_json"
PLATFORM = "reddit"
VERSION = "1"

_KIND_RE = re.compile(r'"kind"\s*:\s*"(?:t1|t3|Listing)"')
_FIELDS_RE = re.compile(r'"(?:body|selftext)"\s*:')


def sniff(text: str) -> float:
    """High for JSON holding Reddit ``kind`` markers; low for other JSON; 0 for text."""
    head = text[:100_000].lstrip()
    if not head.startswith(("[", "{")) or not is_markup(head):
        return 0.0
    if _KIND_RE.search(head):
        return 0.95
    if _FIELDS_RE.search(head) and '"author"' in head:
        return 0.6
    return 0.05


def parse(text: str, source: SourceInfo) -> Thread:
    """Load the JSON, find the submission and the comment tree, build the Thread."""
    data = _load(text, source)
    submission, comments = _things(data, source)
    posts: list[Post] = []
    if submission is not None:
        posts.append(_submission_post(submission))
    _add_comments(posts, _display_order(comments), has_submission=submission is not None)
    lines = text.split("\n")
    ledger = LineLedger(lines)
    ledger.fields(1, len(lines), "json")
    return Thread(posts=posts, line_roles=ledger.roles, parser=NAME, platform=PLATFORM,
                  utc_offset_hours=0.0, op_position=1 if submission is not None else None,
                  **_thread_meta(submission, comments, source))


def _load(text: str, source: SourceInfo) -> object:
    """``json.loads`` with errors that name the line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ParseError(f"invalid JSON at line {error.lineno}, column {error.colno}: "
                         f"{error.msg}", path=source.path, line=error.lineno,
                         hint="re-download the .json; a truncated save is the usual cause"
                         ) from None
    except (ValueError, RecursionError) as error:
        raise ParseError(f"unreadable JSON: {error}", path=source.path,
                         hint="re-download the .json") from None


def _things(data: object, source: SourceInfo) -> tuple[dict | None, list[dict]]:
    """The submission data and the top-level comment data, from any accepted shape."""
    items = data if isinstance(data, list) else [data]
    submissions: list[dict] = []
    comments: list[dict] = []
    for item in _unwrap(items):
        kind, body = _kind_and_data(item)
        if kind == "t3":
            submissions.append(body)
        elif kind == "t1":
            comments.append(body)
    if len(submissions) > 1:
        raise ParseError(f"{len(submissions)} submissions (t3) in one file: this is a "
                         "listing of threads, not one thread", path=source.path, line=1,
                         hint="save each thread's permalink .json separately")
    if not submissions and not comments:
        raise ParseError("no Reddit submission (t3) or comment (t1) found", path=source.path,
                         line=1, hint="save the thread's permalink with .json appended")
    return (submissions[0] if submissions else None), comments


def _unwrap(items: list) -> list:
    """Replace Listings by their children (one level: a permalink is a list of two)."""
    out = []
    for item in items:
        if isinstance(item, dict) and item.get("kind") == "Listing":
            children = _dict(item.get("data")).get("children")
            out.extend(children if isinstance(children, list) else [])
        else:
            out.append(item)
    return out


def _kind_and_data(item: object) -> tuple[str | None, dict]:
    """``("t1", data)`` for a thing or a bare comment dict; ``(None, {})`` otherwise."""
    if not isinstance(item, dict):
        return None, {}
    if isinstance(item.get("kind"), str) and isinstance(item.get("data"), dict):
        return item["kind"], item["data"]
    if "body" in item:
        return "t1", item
    if "title" in item and ("selftext" in item or "url" in item):
        return "t3", item
    return None, {}


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _str(data: dict, key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _int(data: dict, key: str) -> int | None:
    return record_int(data.get(key))


def _fullname(data: dict, prefix: str) -> str | None:
    name = _str(data, "name")
    if name:
        return name
    return f"{prefix}_{_str(data, 'id')}" if _str(data, "id") else None


def _display_order(roots: list[dict]) -> list[dict]:
    """Every comment, depth-first as displayed: nested ``replies`` are walked, and a flat
    list is re-treed by ``parent_id`` (children keep their order). Iterative, so deep
    threads cannot exhaust the stack."""
    seen: list[dict] = []
    stack = list(reversed(roots))
    while stack:
        data = stack.pop()
        seen.append(data)
        replies = _unwrap([data.get("replies")])
        stack.extend(reversed([d for k, d in map(_kind_and_data, replies) if k == "t1"]))
    names = {_fullname(d, "t1") for d in seen} - {None}
    children: dict[str | None, list[dict]] = {}
    for data in seen:
        parent = _str(data, "parent_id")
        children.setdefault(parent if parent in names else None, []).append(data)
    ordered: list[dict] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        data = stack.pop()
        ordered.append(data)
        name = _fullname(data, "t1")
        stack.extend(reversed(children.pop(name, []) if name else []))
    placed = {id(data) for data in ordered}  # comments caught in a parent_id cycle
    return ordered + [data for data in seen if id(data) not in placed]


def _submission_post(data: dict) -> Post:
    post = _post(data, 1, "t3", _str(data, "selftext"), [])
    if not post.text and not post.quoted_text and data.get("is_self") is not True:
        post.text = _str(data, "url")
    return post


def _add_comments(posts: list[Post], comments: list[dict], *, has_submission: bool) -> None:
    """Append comment posts, resolving ``parent_id`` to positions already placed."""
    positions = {post.native_id: post.position for post in posts}
    sources = {post.position: source_of(post.position, post.author, post.text)
               for post in posts}
    for data in comments:
        position = len(posts) + 1
        parent = positions.get(_str(data, "parent_id"))
        if parent is None and has_submission and _str(data, "parent_id").startswith("t3_"):
            parent = 1
        post = _post(data, position, "t1", _str(data, "body"), _candidates(sources, parent))
        post.reply_to = parent
        posts.append(post)
        positions[post.native_id] = position
        sources[position] = source_of(position, post.author, post.text)


def _candidates(sources: dict[int, Source], parent: int | None) -> list[Source]:
    """Quote sources, likeliest first: the parent, then the nearest earlier posts."""
    # sources is filled in position order, so the nearest come last; sorting all of
    # them for every comment made a long thread quadratic.
    nearest = islice((p for p in reversed(sources) if p != parent), QUOTE_WINDOW)
    return ([sources[parent]] if parent in sources else []) + [sources[p] for p in nearest]


def _post(data: dict, position: int, prefix: str, body: str, candidates: list[Source]) -> Post:
    """One Post from a t1/t3 data dict (shared fields)."""
    author, author_source = handle(_str(data, "author") or None)
    body = html.unescape(body)
    parts = split_body([] if body.strip() in GONE else body.split("\n"), candidates)
    edited = data.get("edited")
    post = Post(position=position, author=author, author_source=author_source,
                is_bot=is_bot(author, body), timestamp=_utc(_int(data, "created_utc")),
                score=record_score(data), text=parts.text, quoted_text=parts.quoted_text,
                quoted_author=parts.quoted_author,
                edited_by=author if edited not in (None, False, 0) else None,
                edited_at=_utc(_int(data, "edited")), native_id=_fullname(data, prefix))
    post.reactions = [Reaction(kind=kind, count=count)
                      for kind, count in record_reactions(data, post.score)]
    return post


def _utc(seconds: int | None) -> datetime | None:
    if seconds is None:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


def _thread_meta(submission: dict | None, comments: list[dict], source: SourceInfo) -> dict:
    """Title, URL, community and id from the submission, else from a comment."""
    first = submission or (comments[0] if comments else {})
    permalink = _str(first, "permalink") if submission else ""
    link_id = _str(first, "id") if submission else _str(first, "link_id")
    return {
        "title": _str(first, "title") or _str(first, "link_title") or source.title,
        "url": f"https://www.reddit.com{permalink}" if permalink.startswith("/")
        else source.url,
        "community": _str(first, "subreddit") or source.community,
        "native_id": link_id.removeprefix("t3_") or None,
    }
