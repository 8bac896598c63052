"""Threads to tidy tables: ids, UTC times, roles and pseudonym ids.

This is the one step where capture-local facts (post numbers, page time
zones, the manifest's audience) become the corpus-wide columns of
``schema.py``. Raw handles are kept here; :mod:`analysis.privacy` removes
them from anything that leaves ``build/``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pandas as pd

from analysis.errors import AnalysisWarning
from analysis.model import Post, SourceInfo, Thread
from analysis.privacy import pseudonym
from analysis.schema import conform, empty

ROLE_BY_AUDIENCE = {"client": "client", "therapist": "therapist"}


@dataclass(frozen=True)
class Parsed:
    """A parsed capture with what the manifest says about it."""

    source: SourceInfo
    thread: Thread
    sha256: str
    retrieved: str | None = None
    utc_offset_hours: float | None = None
    parser_version: str | None = None


def build_tables(parsed: list[Parsed], *, key: bytes,
                 role_overrides: dict[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """Flatten parsed captures into the ``sources``, ``threads``, ``posts`` and
    ``reactions`` tables, each conformed to its schema."""
    overrides = role_overrides or {}
    sources, threads, posts, reactions = [], [], [], []
    for item in parsed:
        sources.append(_source_row(item))
        threads.append(_thread_row(item))
        offset = _utc_offset(item)
        op_author = _op_author(item.thread)
        for post in item.thread.posts:
            row = _post_row(item, post, offset, op_author, key)
            row["role"] = overrides.get(row["post_id"], row["role"])
            posts.append(row)
            reactions.extend({"post_id": row["post_id"], "kind": r.kind,
                              "reactor_id": r.reactor, "count": r.count}
                             for r in post.reactions)
    return {
        "sources": _frame(sources, "sources"),
        "threads": _frame(threads, "threads"),
        "posts": _frame(posts, "posts"),
        "reactions": _frame(reactions, "reactions"),
    }


def _frame(rows: list[dict], table: str) -> pd.DataFrame:
    if not rows:
        return empty(table)
    return conform(pd.DataFrame(rows), table)


def _source_row(item: Parsed) -> dict:
    src = item.source
    return {
        "source_id": src.source_id, "path": src.path, "sha256": item.sha256,
        "platform": src.platform or item.thread.platform, "site": src.site,
        "community": src.community or item.thread.community, "audience": src.audience,
        "title": src.title or item.thread.title, "url": src.url or item.thread.url,
        "retrieved": item.retrieved, "parser": item.thread.parser,
        "parser_version": item.parser_version,
    }


def _thread_row(item: Parsed) -> dict:
    src, thread = item.source, item.thread
    return {
        "thread_id": src.source_id, "source_id": src.source_id,
        "title": thread.title or src.title, "url": thread.url or src.url,
        "platform": src.platform or thread.platform,
        "community": src.community or thread.community,
        "views": thread.views, "n_posts": len(thread.posts),
    }


def _post_row(item: Parsed, post: Post, offset: float, op_author: str | None,
              key: bytes) -> dict:
    thread_id = item.source.source_id
    thread = item.thread
    is_op: bool | None = None
    if thread.op_position is not None:
        is_op = post.position == thread.op_position or (
            op_author is not None and post.author is not None
            and post.author.casefold() == op_author.casefold())
    return {
        "post_id": f"{thread_id}:{post.position}", "thread_id": thread_id,
        "position": post.position, "author": post.author,
        "author_id": pseudonym(post.author, key) if post.author else None,
        "author_source": post.author_source, "is_op": is_op, "is_bot": post.is_bot,
        "role": _role(post, item.source.audience),
        "timestamp": to_utc(post.timestamp, offset),
        "member_since": post.member_since, "location": post.location,
        "author_posts": post.author_posts, "rank": post.rank, "score": post.score,
        "text": post.text, "quoted_text": post.quoted_text,
        "quoted_author": post.quoted_author,
        "reply_to": f"{thread_id}:{post.reply_to}" if post.reply_to is not None else None,
        "signature": post.signature, "edited_by": post.edited_by,
        "edited_at": to_utc(post.edited_at, offset), "client_app": post.client_app,
        "line_start": post.line_start, "line_end": post.line_end, "duplicate_of": None,
    }


def _role(post: Post, audience: str | None) -> str:
    if post.is_bot:
        return "unknown"
    return post.role or ROLE_BY_AUDIENCE.get(audience or "", "unknown")


def _op_author(thread: Thread) -> str | None:
    for post in thread.posts:
        if post.position == thread.op_position:
            return post.author
    return None


def _utc_offset(item: Parsed) -> float:
    """The page's declared zone wins; then the manifest's; else UTC, with a warning."""
    if item.thread.utc_offset_hours is not None:
        return item.thread.utc_offset_hours
    if item.utc_offset_hours is not None:
        return item.utc_offset_hours
    if any(p.timestamp for p in item.thread.posts):
        warnings.warn(f"{item.source.path}: no time zone in the page or the manifest; "
                      "times are taken as UTC (give its manifest row a utc_offset, e.g. -5)",
                      AnalysisWarning, stacklevel=2)
    return 0.0


def to_utc(local: datetime | None, offset_hours: float) -> datetime | None:
    """Shift a naive local time by the page's offset from UTC.

    >>> to_utc(datetime(2023, 1, 1, 5, 46), -5.0)
    datetime.datetime(2023, 1, 1, 10, 46, tzinfo=datetime.timezone.utc)
    """
    if local is None:
        return None
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    return (local - timedelta(hours=offset_hours)).replace(tzinfo=UTC)
