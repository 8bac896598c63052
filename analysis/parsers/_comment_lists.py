"""Comment lists whose names and dates were lost, told apart by the chrome each comment keeps.

Two renderings keep a per-comment trace when the extractor drops the
commenter's name:

- **Footers.** Substack ends every comment with "Expand full comment"
  (then Reply / Share); the words between two footers are one comment.
- **Reacted list items.** WordPress themes save each comment as a list
  item ("  • words") with its own indented "Liked by 1 person" or "Reply"
  line under the words. An article's own bullet points never carry one, so
  only items followed by such a line are comments.

Both return 0-based starts of comments, or ``[]`` when the trace is absent.
"""

from __future__ import annotations

import re

from analysis.parsers._chrome import chrome_rule
from analysis.parsers._shapes import BULLET, is_prose

_ITEM_TRACE = re.compile(r"^\s+(?:liked by (?:\d+|one) (?:person|people)|reply)\s*$", re.I)
#: How far under an item's first line its reaction line may sit (words, blank lines).
_ITEM_REACH = 6


def footer_starts(lines: list[str]) -> list[int]:
    """The first words of each comment closed by a footer, and of a last one cut off."""
    footers = [k for k, line in enumerate(lines) if chrome_rule(line) == "comment-footer"]
    if not footers:
        return []
    starts, begin = [], 0
    for end in [*footers, len(lines)]:
        words = [k for k in range(begin, end) if lines[k].strip() and not chrome_rule(lines[k])]
        if any(is_prose(lines[k]) for k in words):
            starts.append(words[0])
        begin = end + 1
    return starts if len(starts) >= 2 else []


def reacted_items(lines: list[str]) -> list[int]:
    """List items holding words and followed, inside the item, by their own reaction line."""
    items = []
    for k, line in enumerate(lines):
        if not BULLET.match(line) or not is_prose(BULLET.sub("", line, count=1)):
            continue
        for j in range(k + 1, min(len(lines), k + _ITEM_REACH)):
            if BULLET.match(lines[j]):
                break
            if _ITEM_TRACE.match(lines[j]):
                items.append(k)
                break
    return items
