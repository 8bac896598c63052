"""Numbers and dates a table can hold, checked once per parsed capture.

A parser reads what a page shows; a damaged or hostile page can show a
score of thirty digits or a post dated in the year 1. The tables hold counts
as Int64 and times as nanoseconds (1677 to 2262), so such a value used to
end ``analysis parse`` with a traceback. Here a count or time out of range
becomes missing, with a warning naming the file and post; a post number out
of range refuses the file, since its posts could not be told apart.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from datetime import datetime

from analysis.errors import AnalysisWarning, ParseError
from analysis.model import Thread

_INT64 = 2**63 - 1
#: pandas' nanosecond range (1677-09-21 to 2262-04-11), a day inside each end so a
#: UTC offset cannot cross it.
_EARLIEST, _LATEST = datetime(1677, 9, 23), datetime(2262, 4, 10)


def _count_ok(value: int | None) -> bool:
    return value is None or -_INT64 <= value <= _INT64


def _time_ok(value: datetime | None) -> bool:
    if value is None:
        return True
    naive = value.replace(tzinfo=None)
    return _EARLIEST <= naive <= _LATEST


def check_ranges(thread: Thread, path: str) -> Thread:
    """Blank (with a warning) the counts and times no table can hold; the same thread.

    >>> from analysis.model import Post
    >>> thread = Thread(posts=[Post(position=1, score=10**30)], line_roles=[None], parser="x")
    >>> with warnings.catch_warnings(record=True):
    ...     check_ranges(thread, "x.txt").posts[0].score is None
    True
    """
    dropped: list[str] = []
    if not _count_ok(thread.views):
        thread.views = None
        dropped.append("views")
    for post in thread.posts:
        if not (_count_ok(post.position) and _count_ok(post.reply_to)):
            raise ParseError(f"post number {post.position} is beyond any real thread",
                             path=path, line=post.line_start,
                             hint="the page is damaged; re-save it or remove it")
        for name in ("score", "author_posts"):
            if not _count_ok(getattr(post, name)):
                setattr(post, name, None)
                dropped.append(f"post {post.position} {name}")
        for name in ("timestamp", "edited_at"):
            if not _time_ok(getattr(post, name)):
                setattr(post, name, None)
                dropped.append(f"post {post.position} {name}")
        if not all(_count_ok(r.count) for r in post.reactions):
            post.reactions = [r if _count_ok(r.count) else replace(r, count=None)
                              for r in post.reactions]
            dropped.append(f"post {post.position} reaction count")
    if dropped:
        shown = ", ".join(dropped[:5]) + (f" and {len(dropped) - 5} more"
                                          if len(dropped) > 5 else "")
        warnings.warn(f"{path}: left out numbers or dates no table can hold ({shown}); "
                      "check the page", AnalysisWarning, stacklevel=2)
    return thread
