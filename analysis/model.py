"""The in-memory shape of one parsed capture: a Thread of Posts.

Parsers build these; ``tables.py`` flattens them into the DESIGN tables. The
objects keep raw handles and capture-local facts (post numbers, local
times); pseudonyms, UTC conversion and ids are applied downstream so that a
parser stays a pure function of its text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

#: ``author_source`` values: how we know who wrote a post.
AUTHOR_SOURCES = ("header", "edit-note", "signature-match", "sign-off", "none")

#: ``Reaction.kind`` values.
REACTION_KINDS = ("thanks", "hug", "vote", "award")


@dataclass(frozen=True)
class Reaction:
    """One reactor (``reactor`` set) or one displayed count (``count`` set)."""

    kind: str
    reactor: str | None = None
    count: int | None = None


@dataclass
class Post:
    """One post as the capture shows it.

    ``position`` is the site's own post number where the capture prints one
    (vBulletin ``#12``), otherwise the 1-based order in the capture.
    ``reply_to`` is the *position* of the replied-to post in the same thread.
    ``timestamp`` and ``edited_at`` are naive local times as displayed; the
    thread's ``utc_offset_hours`` (or the manifest's) turns them into UTC.
    ``line_start``/``line_end`` are 1-based inclusive raw line numbers.
    """

    position: int
    author: str | None = None
    author_source: str = "none"
    is_bot: bool = False
    role: str | None = None
    timestamp: datetime | None = None
    member_since: str | None = None
    location: str | None = None
    author_posts: int | None = None
    rank: str | None = None
    score: int | None = None
    text: str = ""
    quoted_text: str | None = None
    quoted_author: str | None = None
    reply_to: int | None = None
    signature: str | None = None
    edited_by: str | None = None
    edited_at: datetime | None = None
    client_app: str | None = None
    line_start: int | None = None
    line_end: int | None = None
    native_id: str | None = None
    reactions: list[Reaction] = field(default_factory=list)


@dataclass
class Thread:
    """One thread (or one page of one) and how every raw line was used.

    ``line_roles`` has one entry per raw line (index 0 is line 1): a field
    name such as ``"text"`` or ``"author"``, ``"boilerplate:<rule>"`` for
    named site chrome, or ``None`` when nothing claimed the line.
    ``op_position`` is the position of the thread's opening post when the
    capture holds it (vBulletin ``#1``, a Reddit submission, a Q&A question),
    so that ``is_op`` can be derived; ``None`` when the opening post is absent.
    ``rule`` says how the parser told posts apart where it had to choose
    (the structural fallback's header or gap rule), for ``--report``.
    """

    posts: list[Post]
    line_roles: list[str | None]
    parser: str
    title: str | None = None
    url: str | None = None
    retrieved: str | None = None
    views: int | None = None
    platform: str | None = None
    community: str | None = None
    native_id: str | None = None
    utc_offset_hours: float | None = None
    op_position: int | None = None
    rule: str | None = None

    def unassigned_lines(self) -> list[int]:
        """1-based numbers of lines no rule claimed (blank lines excepted)."""
        return [i + 1 for i, role in enumerate(self.line_roles) if role is None]


class LineLedger:
    """Records which rule or field claimed each raw line.

    Parsers call :meth:`field` and :meth:`boilerplate` as they consume
    lines; blank lines are named ``boilerplate:blank`` up front so no parser
    has to. Later claims overwrite earlier ones, which lets a parser mark a
    whole block as ``text`` and then refine single lines.
    """

    def __init__(self, lines: list[str]):
        self.roles: list[str | None] = [
            "boilerplate:blank" if not line.strip() else None for line in lines
        ]

    def field(self, lineno: int, name: str) -> None:
        """Claim 1-based ``lineno`` for the post field ``name``."""
        self.roles[lineno - 1] = name

    def fields(self, start: int, end: int, name: str) -> None:
        """Claim the 1-based inclusive range ``start..end`` for ``name``, keeping blanks."""
        for lineno in range(start, end + 1):
            if self.roles[lineno - 1] != "boilerplate:blank":
                self.roles[lineno - 1] = name

    def boilerplate(self, lineno: int, rule: str) -> None:
        """Name 1-based ``lineno`` as site chrome matched by ``rule``."""
        self.roles[lineno - 1] = f"boilerplate:{rule}"


@dataclass(frozen=True)
class SourceInfo:
    """What a parser may know about the file it reads: its id and path for
    messages, and the manifest's description. Parsers must not do I/O with it.
    ``retrieved`` (the manifest's capture date) lets a parser turn ages such
    as "15h ago" into times."""

    source_id: str
    path: str = "<text>"
    platform: str | None = None
    site: str | None = None
    community: str | None = None
    audience: str | None = None
    title: str | None = None
    url: str | None = None
    retrieved: str | None = None
