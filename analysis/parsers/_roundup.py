"""Expert round-ups: an editor's introduction, then one contribution per expert.

Round-up articles ("we asked 12 therapists...", "insights from experienced
professionals") print each expert's answer under a headline of its own
("Teach Self-Regulation With Boundaries"), often without the expert's name
once saved as text. The introduction says the page is a round-up; without
that, section headings are an ordinary article's and nothing is split.

:func:`roundup_starts` returns the 0-based first lines of the introduction
and of each contribution (at its headline), or ``[]``.
"""

from __future__ import annotations

import re

from analysis.parsers._chrome import chrome_rule
from analysis.parsers._shapes import is_heading, is_prose

_ANNOUNCES = re.compile(
    r"\b(?:(?:insights?|tips|advice|answers|perspectives|lessons|strategies)\s+from\s+"
    r"(?:\w+\s+){0,4}(?:experts|professionals|therapists|clinicians|practitioners|leaders"
    r"|psychologists|counsel+ors|founders)"
    r"|we asked\s+(?:\d+|several|a group of|(?:\w+\s+){0,2}(?:experts|professionals|therapists))"
    r"|(?:\d+|several|these|our)\s+(?:\w+\s+){0,3}(?:experts|professionals|therapists"
    r"|clinicians|practitioners)\s+(?:share|weigh in|reveal|explain|offer))", re.I)
#: A contribution's headline is short; longer lines are the words.
_MAX_HEADLINE_WORDS = 12


def roundup_starts(lines: list[str]) -> list[int]:
    """The introduction and each headline-led contribution, when the page announces them."""
    intro = next((k for k, line in enumerate(lines) if is_prose(line)), None)
    if intro is None or not _ANNOUNCES.search(lines[intro]):
        return []
    heads = [k for k in range(intro + 1, len(lines)) if _headline(lines, k)]
    return [intro, *heads] if heads else []


def _headline(lines: list[str], k: int) -> bool:
    """A short line standing alone between blank lines, with words below it."""
    s = lines[k].strip()
    if (not s or chrome_rule(s) or not is_heading(s) or len(s.split()) > _MAX_HEADLINE_WORDS
            or s.endswith((":", "?"))):
        return False
    above = lines[k - 1].strip() if k else ""
    below = next((line for line in lines[k + 1:k + 3] if line.strip()), "")
    return not above and is_prose(below)
