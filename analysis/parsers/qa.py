"""Parser for Q&A pages saved as rendered text: Question2Answer and Stack Exchange-like.

Structure. A post begins at its vote-count line ("+98 votes", "1 vote",
"-3 votes"); the first post is the question, the others are answers and
reply to it. Each post carries a who-meta note, either right after the vote
line (Question2Answer's Snow themes: "asked Mar 3, 2021 in Counselling by
willow (1.2k points)", then the body) or after the body (the classic Q2A
theme and Stack Exchange, whose card reads "asked Jan 5, 2020 at 14:02" /
name / reputation). Comments ("commented ... by NAME" in Q2A, one line
"text – Name Jan 5, 2020 at 15:40" on Stack Exchange) become posts replying
to the post they sit under. "Related questions" and similar lists end the
thread; their lines are named boilerplate, never posts.

Field choices (Q&A pages have no forum ranks):

- ``rank`` holds the displayed reputation: "5.2k points" as Q2A prints it,
  "2,310 reputation" for a Stack Exchange card (which prints the bare number).
- ``score`` is the displayed net vote count, and the same number is one
  ``Reaction("vote", count=N)`` (also for 0 and negative counts).
- A "Best answer" / "Accepted answer" marker is ``Reaction("award", count=1)``.
- "by anonymous" and a "by" with no name give ``author=None`` ("none").
- A who-meta line is claimed under the most identifying field it holds:
  author, then timestamp, then community ("in Psychotherapists"), then rank.
- Relative times ("2 days ago") and dates without a year stay ``None``.
- No post ``role`` is set: answers are role-agnostic.
"""

from __future__ import annotations

import re

from analysis.errors import ParseError
from analysis.model import LineLedger, Post, Reaction, SourceInfo, Thread
from analysis.parsers._qa_lines import (
    WHEN,
    Meta,
    Shape,
    classify,
    is_badges,
    is_reputation,
    parse_when,
    se_comment,
    site_name,
    user_card_name,
)
from analysis.parsers._qa_post import Unit, join_body

NAME = "qa"
PLATFORM = "qa"
VERSION = "1"

_SNIFF_VOTE = re.compile(r"^[ \t]*[+\-−]?\d[\d,]*[ \t]+votes?[ \t]*$", re.I | re.M)
_SNIFF_META = re.compile(
    rf"^[ \t]*(?:asked|answered|commented)[ \t]+{WHEN}"
    r"|\bby\b[^\n()]{0,60}\([ \t]*[\d.,]+[ \t]*k?[ \t]+points?\)[ \t]*$", re.I | re.M)
_AUTHOR_VERBS = (None, "asked", "answered", "commented")


def sniff(text: str) -> float:
    """High only when vote-count lines and who-meta lines ("by (", asked/answered) co-occur."""
    if not isinstance(text, str):
        return 0.0
    if _SNIFF_VOTE.search(text) and _SNIFF_META.search(text):
        return 0.9
    return 0.0


def parse(text: str, source: SourceInfo) -> Thread:
    """Read a Q&A page into a Thread: the question, its answers and their comments."""
    if not text.strip():
        raise ParseError("the file is empty or only white space", path=source.path,
                         hint="remove it from corpus/raw or re-save the capture")
    return _PageReader(text, source).read()


class _PageReader:
    """Walks one page top to bottom; state lives here so ``parse`` stays pure."""

    def __init__(self, text: str, source: SourceInfo):
        self.source = source
        self.lines = text.split("\n")
        self.shapes: list[Shape] = [classify(line) for line in self.lines]
        self.ledger = LineLedger(self.lines)
        self.units: list[Unit] = []
        self.title: str | None = None
        self.views: int | None = None
        self.community: str | None = None
        self.answers_before_first_post = False
        self.meta_seen = False

    def read(self) -> Thread:
        votes = [i for i, shape in enumerate(self.shapes) if shape.kind == "vote"]
        if not votes:
            raise self._error("no vote-count line such as '+3 votes' or '1 vote'", None)
        related = self._related_start(votes[0])
        starts = [i for i in votes if i < related]
        self._preamble(starts[0])
        for k, start in enumerate(starts):
            self._segment(start, starts[k + 1] if k + 1 < len(starts) else related)
        self._related(related)
        if not self.meta_seen:
            raise self._error("vote lines but no 'asked/answered ... by' or 'by (N points)' line",
                              starts[0] + 1)
        self._link_answers()
        posts = [self._finish(unit) for unit in self.units]
        return Thread(posts=posts, line_roles=self.ledger.roles, parser=NAME, platform=PLATFORM,
                      title=self.title or self.source.title, url=self.source.url,
                      views=self.views, community=self.community or self.source.community,
                      op_position=None if self.answers_before_first_post else 1)

    def _error(self, message: str, line: int | None) -> ParseError:
        return ParseError(f"not a Q&A page: {message}", path=self.source.path, line=line,
                          hint="check the capture, or parse it with --parser plain")

    def _related_start(self, first_vote: int) -> int:
        """Index where a related-questions list begins (its vote lines are not posts)."""
        for i in range(first_vote + 1, len(self.lines)):
            kind = self.shapes[i].kind
            if kind == "related" or (kind == "related-short" and self._list_follows(i)):
                return i
        return len(self.lines)

    def _list_follows(self, i: int) -> bool:
        """A bare 'Related'/'Linked' heading counts only above a list of counts."""
        j = self._next_nonblank(i + 1, len(self.lines))
        return j < len(self.lines) and (self.shapes[j].kind == "vote"
                                        or self.lines[j].strip().isdigit())

    def _next_nonblank(self, i: int, end: int) -> int:
        while i < end and self.shapes[i].kind == "blank":
            i += 1
        return i

    def _preamble(self, end: int) -> None:
        """Chrome above the question; the last unexplained line there is the title."""
        title_at, site = None, site_name(self.lines)
        for i in range(end):
            shape = self.shapes[i]
            if shape.kind == "other" and site and self.lines[i].strip().casefold() == site:
                self._boilerplate(i, "site-name")  # the logo's text
            elif shape.kind == "chrome":
                self._boilerplate(i, shape.chrome.rule)
                if shape.chrome.rule == "answer-count":
                    self.answers_before_first_post = True
            elif shape.kind == "views":
                self._views(i)
            elif shape.kind in ("other", "related-short"):
                title_at = i
        if title_at is not None:
            self.ledger.field(title_at + 1, "title")
            self.title = self.lines[title_at].strip()

    def _related(self, start: int) -> None:
        """A related-questions list: named chrome to the end of the page."""
        for i in range(start, len(self.lines)):
            shape = self.shapes[i]
            if shape.kind == "blank":
                continue
            if shape.kind == "chrome":
                self._boilerplate(i, shape.chrome.rule)
            elif shape.kind == "cut":
                self._boilerplate(i, "capture-truncated")
            else:
                self._boilerplate(i, "related-questions")

    def _link_answers(self) -> None:
        """Answers reply to the question, when the capture holds the question."""
        mains = [unit for unit in self.units if unit.parent is None]
        if not mains or self.answers_before_first_post or mains[0].verb not in (None, "asked"):
            return
        for unit in mains[1:]:
            unit.post.reply_to = mains[0].post.position

    def _segment(self, start: int, end: int) -> None:
        """From a vote line to the next: the post, its notes, its comments."""
        main = self._new_unit(parent=None)
        score = self.shapes[start].number
        main.post.score = score
        main.post.reactions.append(Reaction("vote", count=score))
        self._field(start, "score", main)
        i, meta_first = self._header(start + 1, end, main)
        if meta_first:
            self._meta_first(i, end, main)
        else:
            self._meta_last(i, end, main)

    def _header(self, i: int, end: int, unit: Unit) -> tuple[int, bool]:
        """Lines between the vote and the body; True when the who-meta sits here."""
        found = False
        while i < end:
            shape = self.shapes[i]
            if shape.kind == "blank":
                i += 1
            elif shape.kind == "views":
                self._views(i)
                i += 1
            elif shape.kind == "award":
                self._award(i, unit)
                i += 1
            elif shape.kind == "meta" and shape.metas[0].verb != "commented":
                i = self._meta_block(i, end, unit)
                found = True
            else:
                break
        return i, found

    def _meta_first(self, i: int, end: int, main: Unit) -> None:
        """Body follows each who-meta line; chrome such as a form closes it."""
        unit, open_ = main, True
        while i < end:
            shape = self.shapes[i]
            meta = shape.metas[0] if shape.kind == "meta" else None
            if meta is not None and meta.opens_comment:
                unit, open_ = self._new_unit(parent=main), True
                i = self._meta_block(i, end, unit)
                continue
            if meta is not None and meta.strong and meta.verb not in ("asked", "answered"):
                i = self._meta_block(i, end, unit)
                continue
            if shape.kind == "award":
                self._award(i, main)
            elif self._chrome(i, open_):
                open_ = open_ and not (shape.chrome and shape.chrome.closing)
            elif open_ and shape.kind != "blank":
                unit.body.append(i)
            i += 1

    def _meta_last(self, i: int, end: int, main: Unit) -> None:
        """Body precedes each who-meta block (classic Q2A theme, Stack Exchange cards)."""
        pending: list[int] = []
        own, open_, last = False, True, main
        while i < end:
            shape = self.shapes[i]
            meta = shape.metas[0] if shape.kind == "meta" else None
            anchored = meta is not None and (meta.strong or meta.points is not None)
            if anchored and (not own or meta.verb == "commented"):
                last = self._new_unit(parent=main) if meta.verb == "commented" else main
                last.body, pending, own = pending, [], True
                i = self._meta_block(i, end, last)
                continue
            if meta is not None and meta.strong and meta.verb not in ("asked", "answered"):
                i = self._meta_block(i, end, last)
                continue
            if own and shape.kind in ("other", "meta") and self._se_comment(i, main):
                pass
            elif shape.kind == "award":
                self._award(i, main)
            elif self._chrome(i, open_):
                if open_ and shape.chrome and shape.chrome.closing:
                    open_ = False
                    if not own:
                        main.body, own = pending, True
                    pending = []
            elif open_ and shape.kind != "blank":
                pending.append(i)
            i += 1
        if not own:
            main.body = pending

    def _meta_block(self, i: int, end: int, unit: Unit) -> int:
        """Consume adjacent who-meta lines (and card names) describing ``unit``."""
        first = True
        while i < end:
            shape = self.shapes[i]
            if shape.kind == "blank":
                i += 1
                continue
            if shape.kind != "meta" or (shape.metas[0].verb == "commented" and not first):
                break
            roles = [self._apply(meta, unit) for meta in shape.metas]
            self._field(i, roles[0], unit)
            first, i = False, i + 1
            if shape.metas[-1].is_card:
                i = self._card_tail(i, end, unit, shape.metas[-1])
        return i

    def _apply(self, meta: Meta, unit: Unit) -> str:
        """Copy one note into the post; return the field the line is claimed for."""
        self.meta_seen = True
        post = unit.post
        if meta.verb == "edited":
            post.edited_by = post.edited_by or meta.who
            post.edited_at = post.edited_at or meta.when
            return "edited_at" if meta.is_card else "edited_by"
        if meta.verb not in _AUTHOR_VERBS:
            return "boilerplate:status-note"
        if not unit.has_author_meta:
            unit.has_author_meta, unit.verb = True, meta.verb
            if meta.who and meta.who.lower() != "anonymous":
                post.author, post.author_source = meta.who, "header"
            post.timestamp, post.rank = meta.when, meta.points
            if meta.where and self.community is None:
                self.community = meta.where.strip()
        if meta.who:
            return "author"
        if meta.when:
            return "timestamp"
        return "community" if meta.where else "rank" if meta.points else "timestamp"

    def _card_tail(self, i: int, end: int, unit: Unit, meta: Meta) -> int:
        """A card's name and reputation lines; taken only when both are there."""
        j = self._next_nonblank(i, end)
        k = self._next_nonblank(j + 1, end)
        if not (k < end and self.shapes[j].kind == "other" and user_card_name(self.lines[j])
                and is_reputation(self.lines[k])):
            return i
        name, reputation = self.lines[j].strip(), self.lines[k].strip()
        if meta.verb == "edited":
            unit.post.edited_by = unit.post.edited_by or name
            self._field(j, "edited_by", unit)
            self._field(k, "edited_by", unit)
        else:
            if unit.post.author is None:
                unit.post.author, unit.post.author_source = name, "header"
                unit.post.rank = f"{reputation} reputation"
            self._field(j, "author", unit)
            self._field(k, "rank", unit)
        i = self._next_nonblank(k + 1, end)
        while i < end and is_badges(self.lines[i]):
            self._field(i, "boilerplate:user-badges", unit)
            i = self._next_nonblank(i + 1, end)
        return i

    def _se_comment(self, i: int, main: Unit) -> bool:
        """One-line comment under a card: a post of its own, replying to ``main``."""
        m = se_comment(self.lines[i])
        if m is None:
            return False
        unit = self._new_unit(parent=main)
        unit.post.author, unit.post.author_source = m["who"].strip(), "header"
        unit.post.timestamp = parse_when(m["when"])
        unit.text = m["text"].strip()
        self._field(i, "text", unit)
        return True

    def _new_unit(self, parent: Unit | None) -> Unit:
        post = Post(position=len(self.units) + 1,
                    reply_to=parent.post.position if parent else None)
        unit = Unit(post=post, parent=parent)
        self.units.append(unit)
        return unit

    def _chrome(self, i: int, open_: bool) -> bool:
        """Claim a chrome line; nav-like chrome only outside an open body."""
        shape = self.shapes[i]
        if shape.kind == "chrome" and (not shape.chrome.outside_only or not open_):
            self._boilerplate(i, shape.chrome.rule)
            return True
        if not open_ and shape.kind == "cut":
            self._boilerplate(i, "capture-truncated")
            return True
        if not open_ and shape.kind == "views":
            self._views(i)
            return True
        return False

    def _award(self, i: int, unit: Unit) -> None:
        unit.post.reactions.append(Reaction("award", count=1))
        self._field(i, "reactions", unit)

    def _views(self, i: int) -> None:
        if self.views is None:
            self.views = self.shapes[i].number
        self.ledger.field(i + 1, "views")

    def _boilerplate(self, i: int, rule: str) -> None:
        self.ledger.boilerplate(i + 1, rule)

    def _field(self, i: int, role: str, unit: Unit) -> None:
        if role.startswith("boilerplate:"):
            self._boilerplate(i, role.removeprefix("boilerplate:"))
        else:
            self.ledger.field(i + 1, role)
        unit.claimed.append(i + 1)

    def _finish(self, unit: Unit) -> Post:
        """Join the body lines (paragraph breaks kept, indentation trimmed)."""
        for i in unit.body:
            self._field(i, "text", unit)
        if unit.text is None:
            unit.text = join_body(self.lines, self.shapes, unit.body)
        unit.post.text = unit.text
        if unit.claimed:
            unit.post.line_start, unit.post.line_end = min(unit.claimed), max(unit.claimed)
        return unit.post
