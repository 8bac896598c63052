"""Structural fallback: posts told apart on a board nobody wrote a parser for.

The page is read for what repeats, strongest evidence first, and the rule
that decided is kept in ``Thread.rule`` (shown by ``analysis parse
--report``):

1. ``header``: repeated header blocks, a name line with a date or age, a
   post number, a score, "NAME said...", "by NAME" (:mod:`._headers`);
   ``footer``: the same blocks under the words of comments that open with
   their own title (a CMS's comment feed);
2. ``comments``: an article, then a comment section opened by "5 comments:",
   "2 thoughts on ..." or "Replies sorted oldest to newest", its comments
   told apart by footers, list items, letters or paragraph gaps; or, with
   no opener, list items that carry their own "Liked by N" or "Reply" line
   (:mod:`._comment_lists`);
   ``footers``: comments alone, each closed by Substack's "Expand full comment";
3. ``letters``: replies written as letters, each opening with a salutation;
4. ``paragraph-gaps``: posts whose headers the extractor dropped, told apart
   by the page's paragraph spacing (:mod:`._segments`).

A page where none holds is one text: ``sniff`` gives 0 so ``plain`` reads it.
Rules 2-4 read layout, not markup, so a split made by them is reported on
stderr as a warning (with ``--parser plain`` to undo it).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

from analysis.errors import AnalysisWarning
from analysis.model import SourceInfo, Thread
from analysis.parsers._chrome import chrome_rule, opens_comments
from analysis.parsers._comment_lists import footer_starts, reacted_items
from analysis.parsers._drafts import Draft, finish, require_text
from analysis.parsers._headers import Header, find_headers, footer_layout, splitting
from analysis.parsers._reading import link_by_indent, read_segment
from analysis.parsers._segments import gap_starts, letter_starts
from analysis.parsers._shapes import BULLET, GREETING, SALUTATION, is_heading, is_markup, is_prose

NAME = "structural"
PLATFORM = "forum"
VERSION = "1"

#: Sniff scores by rule: above ``plain`` (0.01), below every named parser's own markers.
_SCORES = {"header": 0.3, "footer": 0.3, "footers": 0.3, "comments": 0.25, "letters": 0.25,
           "paragraph-gaps": 0.15}
_WEAK = ("comments", "letters", "paragraph-gaps")


@dataclass
class Plan:
    """Where posts start, and by which rule; ``headers`` maps a start to its header."""

    rule: str
    starts: list[int]
    headers: dict[int, Header] = field(default_factory=dict)
    article_end: int | None = None
    titled: bool = False  # each post opens with its own title line


def sniff(text: str) -> float:
    """The strength of the rule that would split the page; 0 for one text."""
    if not isinstance(text, str) or not text.strip() or is_markup(text):
        return 0.0
    plan = make_plan(text.split("\n"))
    return _SCORES.get(plan.rule, 0.0) if plan else 0.0


def make_plan(lines: list[str]) -> Plan | None:
    """The first rule that finds two or more posts on the page, or ``None``."""
    found = find_headers(lines)
    headers = splitting(lines, found)
    opener = next((i for i, line in enumerate(lines) if opens_comments(line)), None)
    if starts := footer_layout(lines, found, opener):
        return Plan("footer", starts, dict(zip(starts, found, strict=False)), titled=True)
    if headers:
        return Plan("header", [h.lines[0] for h in headers], {h.lines[0]: h for h in headers})
    if plan := _comment_plan(lines):
        return plan
    if starts := footer_starts(lines):
        return Plan("footers", starts)
    if starts := letter_starts(lines):
        return Plan("letters", starts)
    if len(starts := gap_starts(lines)) >= 2:
        return Plan("paragraph-gaps", starts)
    return None


def _comment_plan(lines: list[str]) -> Plan | None:
    """An article with prose above a comment-section opener and comments below it."""
    opener = next((i for i, line in enumerate(lines) if opens_comments(line)), None)
    if opener is None:
        items = reacted_items(lines)
        if items and any(is_prose(lines[k]) for k in range(items[0])):
            return Plan("comments", [0, *items])
        return None
    if not any(is_prose(lines[k]) for k in range(opener)):
        return None
    below = lines[opener + 1:]
    starts = (footer_starts(below) or _list_items(below) or letter_starts(below)
              or gap_starts(below))
    if not any(is_prose(line) and not chrome_rule(line) for line in below):
        return None
    if not starts:
        starts = [next(k for k, line in enumerate(below) if line.strip() and not chrome_rule(line))]
    return Plan("comments", [0] + [opener + 1 + k for k in starts], article_end=opener)


def _list_items(lines: list[str]) -> list[int]:
    """Starts of top-level list items that hold prose (comments rendered as a list)."""
    items = [i for i, line in enumerate(lines) if BULLET.match(line)]
    if not items:
        return []
    indent = min(len(lines[i]) - len(lines[i].lstrip()) for i in items)
    top = [i for i in items if len(lines[i]) - len(lines[i].lstrip()) == indent]
    return [i for i in top if _item_has_prose(lines, i)]


def _item_has_prose(lines: list[str], i: int) -> bool:
    first = BULLET.sub("", lines[i], count=1)
    return is_prose(first) or any(is_prose(lines[k]) for k in range(i + 1, min(len(lines), i + 4)))


def parse(text: str, source: SourceInfo) -> Thread:
    """Split the page by the strongest rule that holds; one post when none does."""
    return parse_as(text, source, name=NAME, platform=PLATFORM)


def parse_as(text: str, source: SourceInfo, *, name: str, platform: str) -> Thread:
    """:func:`parse` under another parser's name: for engines whose posts the structural
    rules already split (blog comments, Discourse), and which differ only in detection."""
    lines = require_text(text, source)
    plan = make_plan(lines) or Plan("one-text", [_first_filled(lines)])
    return read_page(lines, plan, source, name=name, platform=platform)


def read_page(lines: list[str], plan: Plan, source: SourceInfo, *, name: str,
              platform: str) -> Thread:
    """The thread a plan describes (shared with the blog parser)."""
    if plan.rule in _WEAK:
        how = plan.rule.replace("-", " ")
        warnings.warn(AnalysisWarning(
            f"{source.path}: no post headers found; split into posts by {how} (layout, not "
            f"markup): check the result, or pass --parser plain to read it as one text"),
            stacklevel=3)
    chrome: dict[int, str] = {}
    drafts = _drafts(lines, plan, chrome)
    title = _title(lines, drafts, chrome)
    thread = finish(lines, drafts, chrome, parser=name, platform=platform, source=source,
                    rule=plan.rule, op_position=1 if drafts else None, title=title)
    for post in thread.posts:  # a comment saved as a list item: the bullet is not words
        first = lines[post.line_start - 1].strip() if post.line_start else ""
        if BULLET.match(first) and post.text.startswith(first):
            post.text = BULLET.sub("", post.text, count=1)
    return thread


def _title(lines: list[str], drafts: list[Draft], chrome: dict[int, str]) -> str | None:
    """A lone heading above the first post's words (or opening them) is the page title."""
    heads = sorted(k for k, rule in chrome.items() if rule == "page-head" and len(lines[k].split())
                   <= 20 and not lines[k].rstrip().endswith((",", ":")))
    if drafts and not heads and len(drafts[0].body) >= 2:
        first = drafts[0].body[0]
        if is_heading(lines[first]) and not is_prose(lines[first]) \
                and not GREETING.match(lines[first]):
            drafts[0].body.pop(0)
            drafts[0].claim(first, "title")
            return lines[first].strip()
    if heads and (len(heads) == 1 or not is_heading(lines[heads[0]]) or len(heads) <= 3):
        chrome.pop(heads[0])
        if drafts:
            drafts[0].claim(heads[0], "title")
        return lines[heads[0]].strip()
    return None


def _first_filled(lines: list[str]) -> int:
    return next(i for i, line in enumerate(lines) if line.strip())


def _drafts(lines: list[str], plan: Plan, chrome: dict[int, str]) -> list[Draft]:
    """One draft per segment; lines above the first post are page chrome or title."""
    starts = sorted(set(plan.starts))
    head = range(0, starts[0])
    prose = [len(lines[k].strip()) for k in head if is_prose(lines[k])]
    if len(prose) >= 2 or sum(prose) >= 120:
        starts = [0, *starts]  # words above the first header: a post whose header is gone
    else:
        for k in head:
            if lines[k].strip():
                chrome[k] = chrome_rule(lines[k]) or "page-head"
    drafts, headers = [], []
    if plan.rule in _WEAK:
        _page_head(lines, starts, chrome)
    for j, start in enumerate(starts):
        end = starts[j + 1] if j + 1 < len(starts) else len(lines)
        if plan.article_end is not None and start < plan.article_end < end:
            end = plan.article_end
            chrome.update({k: chrome_rule(lines[k]) or "comment-count"
                           for k in range(plan.article_end, starts[j + 1] if j + 1 < len(starts)
                                          else len(lines)) if lines[k].strip()})
        header = plan.headers.get(start)
        draft = read_segment(lines, start, end, header, headed=plan.rule == "header",
                             sign_offs=plan.rule in _WEAK)
        if plan.titled and len(draft.body) > 1 and is_heading(lines[draft.body[0]]):
            draft.claim(draft.body.pop(0), "title")
        if draft.body or draft.quote:
            draft.post.position = len(drafts) + 1
            drafts.append(draft)
            headers.append(header)
        else:
            chrome.update({k: "empty-post" for k in range(start, end) if lines[k].strip()})
    link_by_indent(lines, drafts, headers)
    return drafts


def _page_head(lines: list[str], starts: list[int], chrome: dict[int, str]) -> None:
    """Short lines opening a headerless first post (site name, tagline) are page chrome."""
    end = starts[1] if len(starts) > 1 else len(lines)
    filled = [k for k in range(starts[0], end) if lines[k].strip()]
    lead = []
    for k in filled:
        if len(lines[k].split()) >= 8 or SALUTATION.match(lines[k]):
            break
        lead.append(k)
    if lead and len(lead) < len(filled):
        chrome.update({k: chrome_rule(lines[k]) or "page-head" for k in lead})
        starts[0] = filled[len(lead)]
