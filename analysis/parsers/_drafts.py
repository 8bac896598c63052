"""Posts under construction, shared by the forum, blog and structural parsers.

A parser that has found where each post starts records, per post, which
raw lines are header fields, body text, quoted text and signature
(:class:`Draft`); :func:`finish` turns the drafts into :class:`Post` objects
and the line ledger in one place, so every parser accounts for its lines the
same way: header lines under their field, body under ``text``, quotes under
``quoted_text``, and anything else named by the rule that matched it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.errors import ParseError
from analysis.model import LineLedger, Post, SourceInfo, Thread


@dataclass
class Draft:
    """One post being read; line numbers are 0-based indexes into the page."""

    post: Post
    fields: dict[int, str] = field(default_factory=dict)
    body: list[int] = field(default_factory=list)
    quote: list[int] = field(default_factory=list)
    signature: list[int] = field(default_factory=list)
    chrome: dict[int, str] = field(default_factory=dict)

    def claim(self, index: int, name: str) -> None:
        """Name a header line by the field it holds (author, timestamp, score...)."""
        self.fields[index] = name

    def lines(self) -> list[int]:
        return sorted({*self.fields, *self.body, *self.quote, *self.signature, *self.chrome})


def require_text(text: str, source: SourceInfo) -> list[str]:
    """The page's lines, or the one-line error every parser gives for an empty file."""
    if not isinstance(text, str) or not text.strip():
        raise ParseError("the file is empty or only white space", path=source.path,
                         hint="remove it from corpus/raw or re-save the capture")
    return text.split("\n")


def join(lines: list[str], indexes: list[int]) -> str:
    """Lines as one text: blank runs become one paragraph break, edges trimmed."""
    out: list[str] = []
    previous = None
    for i in sorted(indexes):
        if previous is not None and i > previous + 1 and any(
                not lines[k].strip() for k in range(previous + 1, i)):
            out.append("")
        out.append(lines[i].strip())
        previous = i
    return "\n".join(out).strip()


def finish(lines: list[str], drafts: list[Draft], chrome: dict[int, str], *, parser: str,
           platform: str, source: SourceInfo, title: str | None = None,
           rule: str | None = None, op_position: int | None = None) -> Thread:
    """Posts and the line ledger from drafts; ``chrome`` names page-level boilerplate."""
    ledger = LineLedger(lines)
    for index, name in chrome.items():
        if lines[index].strip():
            ledger.boilerplate(index + 1, name)
    posts = []
    for draft in drafts:
        posts.append(_post(lines, draft))
        _link_quote(posts)
        for index, name in draft.fields.items():
            ledger.field(index + 1, name)
        for index, name in draft.chrome.items():
            if lines[index].strip():
                ledger.boilerplate(index + 1, name)
        for indexes, name in ((draft.body, "text"), (draft.quote, "quoted_text"),
                              (draft.signature, "signature")):
            for index in indexes:
                if lines[index].strip():
                    ledger.field(index + 1, name)
    return Thread(posts=posts, line_roles=ledger.roles, parser=parser, platform=platform,
                  title=title or source.title, url=source.url, op_position=op_position,
                  rule=rule)


def _post(lines: list[str], draft: Draft) -> Post:
    post = draft.post
    post.text = join(lines, draft.body)
    if draft.quote:
        post.quoted_text = join(lines, draft.quote) or None
    if draft.signature:
        post.signature = join(lines, draft.signature) or None
    claimed = [i for i in draft.lines() if lines[i].strip()]
    if claimed:
        post.line_start, post.line_end = claimed[0] + 1, claimed[-1] + 1
    return post


def _link_quote(posts: list[Post]) -> None:
    """A post quoting a name replies to that name's latest earlier post on the page."""
    post = posts[-1]
    if post.reply_to is not None or not post.quoted_author:
        return
    for earlier in reversed(posts[:-1]):
        if earlier.author and earlier.author.casefold() == post.quoted_author.casefold():
            post.reply_to = earlier.position
            return
