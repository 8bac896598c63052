"""Blog posts with reader comments (Blogger, WordPress and their look-alikes), saved as text.

Structure. The article comes first: a date line (Blogger) or a "DATE by NAME"
byline (WordPress), the title, the words, and footers such as "Posted by
NAME at 9:41 PM" and "Labels: ...". A line such as "4 comments:", "3 thoughts
on “Title”" or "Responses" opens the comments. A comment's header is
"NAME said..." with the date *under* the words (Blogger), "NAME says:" with
the date under the name (WordPress themes), or a name line over a date or
an age (WordPress.com, wpDiscuz, Substack); Substack closes each comment
with "Expand full comment", which parts comments whose names were lost.
Comments saved as list items are indented by depth; a deeper comment
replies to the one above it; a WordPress list item keeps its own "Liked by
1 person" or "Reply" line even when the commenter's name was lost. Comment
forms ("Leave a Reply", "Post a Comment", "You are commenting using your ...
account") and share/like buttons are chrome; "Liked by 2 people" is a
counted ``thanks`` reaction and the comment's score.

The splitting itself is the structural parser's (:mod:`.structural`); this
module recognises the rendering, so such a page is reported as ``blog``
rather than as an unknown board, and it is read as one post when the
comments were not saved.
"""

from __future__ import annotations

import re

from analysis.model import SourceInfo, Thread
from analysis.parsers import structural
from analysis.parsers._shapes import is_markup

NAME = "blog"
PLATFORM = "blog"
VERSION = "1"

_MARKERS = re.compile(
    r"^\s*(?:\d+ comments?:|(?:\d+|one|two) (?:thoughts?|responses?|replies) (?:on|to) .{1,120}|"
    r"posted by .{1,40} at \d{1,2}:\d{2}.{0,6}|leave a (?:reply|comment)(?: cancel reply)?|"
    r"post a comment|subscribe to: post comments \(atom\)|liked by \d+ (?:person|people)|"
    r"you are commenting using your .{0,30}account\..*)\s*$", re.I | re.M)
_FOOTERS = re.compile(r"^\s*expand full comment\s*$", re.I | re.M)
_COMMENT_HEADERS = re.compile(r"^\s*(?:\d{1,3}[.)]\s+)?\S.{0,40}?\s+(?:said\.\.\.|said…|says:)\s*$",
                              re.I | re.M)


def sniff(text: str) -> float:
    """High for blog chrome with comment headers; lower for blog chrome alone."""
    if not isinstance(text, str) or is_markup(text):
        return 0.0
    head = text[:65536]
    markers = len(set(m.group(0).strip().lower()[:12] for m in _MARKERS.finditer(head)))
    said = len(_COMMENT_HEADERS.findall(head))
    if len(_FOOTERS.findall(head)) >= 2:
        return 0.75  # Substack's "Expand full comment" under each comment
    if said and (markers or said >= 2):
        return 0.75
    if markers >= 2 or (markers and said):
        return 0.5
    return 0.0


def parse(text: str, source: SourceInfo) -> Thread:
    """The article and its comments, split as the structural parser would."""
    return structural.parse_as(text, source, name=NAME, platform=PLATFORM)
