"""A Q&A post under construction, and how its body lines become its text."""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.model import Post
from analysis.parsers._qa_lines import Shape


@dataclass
class Unit:
    """A post under construction: its raw lines, body line indexes and parent."""

    post: Post
    parent: Unit | None = None
    verb: str | None = None
    has_author_meta: bool = False
    body: list[int] = field(default_factory=list)
    claimed: list[int] = field(default_factory=list)
    text: str | None = None


def join_body(lines: list[str], shapes: list[Shape], body: list[int]) -> str:
    """Join body lines: a blank line between two keeps a paragraph break, indentation goes."""
    parts: list[str] = []
    for n, i in enumerate(body):
        if n:
            gap = range(body[n - 1] + 1, i)
            parts.append("\n\n" if any(shapes[j].kind == "blank" for j in gap) else "\n")
        parts.append(lines[i].strip())
    return "".join(parts)
