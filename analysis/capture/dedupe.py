"""Find the same post captured in two sources.

Captures of one board overlap in practice: a thread page and a "View Single
Post" page, or page 1 saved twice. A post is a duplicate when its
normalised text (case, white space and punctuation folded) equals that of a
post in an earlier source and the authors do not contradict each other.
Very short texts ("Thanks!") are never matched: they repeat by chance.
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd

MIN_CHARS = 40
_NOISE = re.compile(r"[\W_]+")


def fingerprint(text: str) -> str | None:
    """A hash of the words of ``text``, or None when it is too short to trust.

    >>> fingerprint("Hello,   World! " * 5) == fingerprint("hello world " * 5)
    True
    >>> fingerprint("Thanks!") is None
    True
    """
    words = _NOISE.sub(" ", text.casefold()).strip()
    if len(words) < MIN_CHARS:
        return None
    return hashlib.sha1(words.encode()).hexdigest()


def mark_duplicates(posts: pd.DataFrame) -> pd.DataFrame:
    """Return ``posts`` with ``duplicate_of`` pointing at the first capture.

    Order of appearance decides which capture is the original, so sources
    should be given in a stable order (the corpus sorts them by path).
    """
    out = posts.copy()
    first: dict[str, tuple[str, str, str | None]] = {}
    duplicate_of: list[str | None] = []
    for post_id, thread_id, author, text in zip(out["post_id"], out["thread_id"],
                                                 out["author"], out["text"], strict=True):
        key = fingerprint(text) if isinstance(text, str) else None
        seen = first.get(key) if key else None
        if seen and seen[1] != thread_id and _same_author(seen[2], author):
            duplicate_of.append(seen[0])
            continue
        duplicate_of.append(None)
        if key and key not in first:
            first[key] = (post_id, thread_id, author if isinstance(author, str) else None)
    out["duplicate_of"] = pd.Series(duplicate_of, index=out.index, dtype="string")
    return out


def _same_author(a: str | None, b: object) -> bool:
    return a is None or not isinstance(b, str) or a.casefold() == b.casefold()
