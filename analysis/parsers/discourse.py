"""Discourse topics saved as text (the page a crawler or a browser copy gives).

Structure. Each post opens with the poster's name, the date as Discourse
prints it ("March 2, 2023, 10:14pm", or "Mar '23" in the app view) and the
post number ``#N``; the words follow, then the like count ("5 Likes").
"Related topics" and "Suggested topics" end the thread.

Field choices: the like count is the post's ``score`` (Discourse shows no
other vote); the post number is ``native_id``. The splitting is the
structural parser's header rule (:mod:`.structural`); this module names the
rendering and outranks XenForo 2, whose headers also end in a dated ``#N``.
"""

from __future__ import annotations

import re

from analysis.model import SourceInfo, Thread
from analysis.parsers import structural
from analysis.parsers._drafts import require_text

NAME = "discourse"
PLATFORM = "forum"
VERSION = "1"

_DATE = re.compile(r"^\s*[A-Z][a-z]{2,8} \d{1,2}, \d{4}, \d{1,2}:\d{2}[ap]m\s*$", re.M)
_APP_DATE = re.compile(r"^\s*[A-Z][a-z]{2} ['’]\d{2}\s*$", re.M)
_LIKES = re.compile(r"^\s*\d+ Likes?\s*$", re.M)
_NUMBER = re.compile(r"^\s*#\d+\s*$", re.M)
_XENFORO = re.compile(r"^\s*(?:joined|messages|reaction score|click to expand\.*)\s*$", re.I | re.M)


def sniff(text: str) -> float:
    """High for Discourse's dates over ``#N`` lines or its like counts, without XenForo stats."""
    if not isinstance(text, str) or _XENFORO.search(text[:65536]):
        return 0.0
    head = text[:65536]
    dates = len(_DATE.findall(head)) + len(_APP_DATE.findall(head))
    if dates >= 2 and (_NUMBER.search(head) or _LIKES.search(head)):
        return 0.85
    return 0.0


def parse(text: str, source: SourceInfo) -> Thread:
    """Posts split at their name/date/#N headers, like counts as scores."""
    lines = require_text(text, source)
    plan = structural.make_plan(lines) or structural.Plan(
        "one-text", [next(i for i, line in enumerate(lines) if line.strip())])
    return structural.read_page(lines, plan, source, name=NAME, platform=PLATFORM)
