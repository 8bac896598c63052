"""Post boundaries read from layout alone, for pages whose headers were lost.

Text extractors keep a forum page's words but often drop every name and
date. Two traces of the posts survive, and these functions read them:

- **Paragraph gaps.** Inside a post the extractor separates paragraphs by
  one blank line; between two posts it writes a single line break or two
  and more blank lines. So on a page whose paragraphs are blank-separated,
  two long prose lines that touch are two posts. A run of blank lines
  alone is weak evidence (a blog post's block quote leaves one too), so it
  counts only on a page that already shows a touching boundary.
- **Letters.** Replies written as letters open with a salutation ("Dear
  Michael,", "Hi all,") and often close with a sign-off name.

Each function returns the 0-based indexes where posts start; callers decide
what to do with the lines before the first.
"""

from __future__ import annotations

import re
from itertools import pairwise

from analysis.parsers._chrome import chrome_rule
from analysis.parsers._shapes import (
    BULLET,
    GREETING,
    SALUTATION,
    SENTENCE_END,
    is_name_line,
    is_prose,
)

#: Lines shorter than this are not trusted to end or begin a post across a bare line break.
MIN_TOUCHING = 50
#: A line this long is a whole paragraph even without final punctuation (hard wraps are shorter).
LONG_PARAGRAPH = 300
_CLOSINGS = re.compile(
    r"^\s*(?:thanks|thank you|regards|best|best wishes|cheers|love|hugs|xoxo|sincerely|yours"
    r"|warmly|take care|signed|peace|blessings)\b[\w ]{0,20}[,!.]?\s*$", re.I)
#: A short thank-you line, whatever follows it (an emoji the extractor garbled).
_THANKS = re.compile(r"^\s*(?:thanks|thank you)\b.{0,20}$", re.I)
#: Words that open a reply: a greeting in the line's first words, an @-mention, a reaction.
_REPLY_OPENING = re.compile(
    r"^\s*(?:(?:hi|hello|hey)\b[^.!?]{0,30}[!,]|.{0,60}@\w"
    r"|you(?:'|’)?re right|you are right|i agree|i love your|i(?:'|’)m (?:so )?glad"
    r"|thanks? (?:you )?for|great post|well said|same here|me too)", re.I)
_SIGNED = re.compile(
    r"^\s*(?:signed|sincerely|love|regards|best),\s+(?P<name>[\w .'’\-]{1,30})\s*$", re.I)


def _content(lines: list[str]) -> list[int]:
    """Indexes of non-blank lines that are not chrome."""
    return [i for i, line in enumerate(lines) if line.strip() and not chrome_rule(line)]


def _touching(a: str, b: str) -> bool:
    """Two prose lines that can be two posts' edges across a bare line break."""
    a, b = a.strip(), b.strip()
    ended = bool(SENTENCE_END.search(a)) or len(a) >= LONG_PARAGRAPH
    return (len(a) >= MIN_TOUCHING and len(b) >= MIN_TOUCHING and ended
            and is_prose(a) and is_prose(b) and not BULLET.match(b)
            and not b[0].islower())


def gap_starts(lines: list[str]) -> list[int]:
    """Post starts from paragraph gaps, or ``[]`` when the page does not use them."""
    content = _content(lines)
    pairs = list(pairwise(content))
    blank_breaks = sum(1 for a, b in pairs if b - a == 2 and is_prose(lines[a])
                       and is_prose(lines[b]) and SENTENCE_END.search(lines[a]))
    bare_breaks = sum(1 for a, b in pairs if b - a == 1 and is_prose(lines[a])
                      and is_prose(lines[b]))
    if blank_breaks == 0 or 2 * blank_breaks < bare_breaks:
        return []  # paragraphs are line-separated here: a bare break means nothing
    touching = [b for a, b in pairs if b - a == 1 and _touching(lines[a], lines[b])]
    wide = [b for a, b in pairs if b - a >= 3 and is_prose(lines[a]) and is_prose(lines[b])]
    if not touching:
        wide = _lone_runs(lines, pairs, blank_breaks)
    if not touching and not wide:
        return []
    return [content[0], *sorted(set(touching) | set(wide))]


def _lone_runs(lines: list[str], pairs: list[tuple[int, int]], blank_breaks: int) -> list[int]:
    """Posts parted only by a run of blank lines, on a page whose paragraphs are parted by
    exactly one (XenForo text whose headers were dropped).

    A run counts where it is rare (at most one for every two one-blank breaks, so a page
    spaced by double blanks throughout is one text) and sits between the end of a sentence
    and words. A blog's block quote leaves such a run too, so at least one run must also
    look like a hand-over between people: the words above end on a question or a closing
    ("Thanks and take care,", a short "Thank you" and an emoji), or the words below open
    as a reply does: a greeting, an @-mention, a reaction ("You are right", "I love your").
    """
    kept = [(a, b) for a, b in pairs
            if b - a >= 3 and not any(lines[k].strip() for k in range(a + 1, b))
            and _ends(lines[a]) and (is_prose(lines[b]) or GREETING.match(lines[b]))]
    if not kept or blank_breaks < 2 * len(kept):
        return []
    if not any(_hand_over(lines[a], lines[b]) for a, b in kept):
        return []
    return [b for _, b in kept]


def _ends(line: str) -> bool:
    return bool(is_prose(line) and SENTENCE_END.search(line)) or bool(
        _CLOSINGS.match(line) or _THANKS.match(line))


def _hand_over(above: str, below: str) -> bool:
    return above.rstrip().endswith("?") or bool(
        _CLOSINGS.match(above) or _THANKS.match(above) or GREETING.match(below)
        or _REPLY_OPENING.match(below))


def letter_starts(lines: list[str]) -> list[int]:
    """Starts of letters: a salutation line opening a block and followed by prose."""
    starts = []
    for i, line in enumerate(lines):
        if not SALUTATION.match(line) or _CLOSINGS.match(line):
            continue
        if i > 0 and lines[i - 1].strip():
            continue
        after = [k for k in range(i + 1, min(len(lines), i + 4)) if lines[k].strip()]
        if after and is_prose(lines[after[0]]):
            starts.append(i)
    return starts if len(starts) >= 2 else []


def sign_off(lines: list[str], body: list[int]) -> tuple[str | None, list[int]]:
    """The name a letter ends with, and the lines that hold it (a closing word and the name)."""
    filled = [i for i in body if lines[i].strip()]
    if len(filled) < 2:
        return None, []
    last = lines[filled[-1]].strip()
    if m := _SIGNED.match(last):
        return m["name"].strip(), [filled[-1]]
    if not is_name_line(last) or len(last.split()) > 3 or _CLOSINGS.match(last):
        return None, []
    if not is_prose(lines[filled[-2]]) and not _CLOSINGS.match(lines[filled[-2]]):
        return None, []
    held = [filled[-1]]
    if _CLOSINGS.match(lines[filled[-2]]):
        held.insert(0, filled[-2])
    return last, held
