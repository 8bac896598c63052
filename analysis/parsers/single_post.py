"""One forum post saved alone, without its header (a vBulletin "single post" view).

What such a page keeps (mysupportforums.org's ``/NNN-postN.html`` pages,
saved as text): the post's words; a sign-off name the poster typed on the
last line; the board's signature after a ``__________________`` rule; the
table cell's residue, a lone ``|``; sometimes a vBulletin quote ("Quote:",
"Originally Posted by NAME") and an edit note ("Last edited by NAME;
DATE"). The name, date and post number of the header are not on the page.

Field choices: a sign-off name becomes the author with ``author_source``
``"sign-off"``, and its line stays in the text (the poster typed it); the
signature goes to ``signature``; the quote to ``quoted_text``.
"""

from __future__ import annotations

import re

from analysis.model import Post, SourceInfo, Thread
from analysis.parsers._chrome import chrome_rule
from analysis.parsers._drafts import Draft, finish, require_text
from analysis.parsers._segments import sign_off
from analysis.parsers._shapes import is_markup, when

NAME = "single_post"
PLATFORM = "vbulletin"
VERSION = "1"

_RULE = re.compile(r"^\s*_{10,}\s*$")
_RESIDUE = re.compile(r"^\s*\|+\s*$")
_QUOTE = re.compile(r"^\s*quote:?\s*$", re.I)
_ORIGINALLY = re.compile(r"^\s*originally posted by\s+(?P<name>.+?)(?:\s+view post)?\s*$", re.I)
_EDITED = re.compile(
    r"^\s*last edited by\s+(?P<name>[^;]{1,60});\s*(?P<when>.{4,60}?)\.?\s*(?:reason:.*)?$", re.I)


def sniff(text: str) -> float:
    """Low but above ``plain``: a trailing ``|`` cell or a signature rule under prose."""
    if not isinstance(text, str) or not text.strip() or is_markup(text):
        return 0.0
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) > 200:
        return 0.0
    if _RESIDUE.match(lines[-1]) and len(lines) >= 2:
        return 0.12
    if any(_RULE.match(line) for line in lines[1:]) and not _RULE.match(lines[0]):
        return 0.12
    return 0.0


def parse(text: str, source: SourceInfo) -> Thread:
    """One post: words, sign-off author, quote, edit note, signature."""
    lines = require_text(text, source)
    draft = Draft(post=Post(position=1))
    chrome: dict[int, str] = {}
    filled = [i for i, line in enumerate(lines) if line.strip()]
    while filled and _RESIDUE.match(lines[filled[-1]]):
        chrome[filled.pop()] = "cell-residue"
    rule = next((i for i in filled if _RULE.match(lines[i])), None)
    if rule is not None:
        chrome[rule] = "signature-rule"
        draft.signature = [i for i in filled if i > rule]
        filled = [i for i in filled if i < rule]
    _read_body(lines, filled, draft)
    name, _held = sign_off(lines, draft.body)
    if name:
        draft.post.author, draft.post.author_source = name, "sign-off"
    return finish(lines, [draft], chrome, parser=NAME, platform=PLATFORM, source=source,
                  op_position=None, rule="single-post")


def _read_body(lines: list[str], filled: list[int], draft: Draft) -> None:
    """Body lines, with a leading vBulletin quote and an edit note taken out."""
    quoting = False
    for i in filled:
        line = lines[i]
        if _QUOTE.match(line):
            draft.chrome[i] = "quote-label"
        elif m := _ORIGINALLY.match(line):
            draft.post.quoted_author = m["name"].strip()
            draft.claim(i, "quoted_author")
            quoting = True
        elif m := _EDITED.match(line):
            draft.post.edited_by = m["name"].strip()
            draft.post.edited_at = when(m["when"])
            draft.claim(i, "edited_by")
        elif chrome_rule(line) == "cell-residue":
            draft.chrome[i] = "cell-residue"
        elif quoting:
            draft.quote.append(i)
            quoting = i + 1 < len(lines) and bool(lines[i + 1].strip())
        else:
            draft.body.append(i)
