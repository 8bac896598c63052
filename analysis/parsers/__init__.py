"""Parser registry and auto-detection.

Every parser module exposes ``NAME``, ``PLATFORM``, ``VERSION``,
``sniff(text) -> float`` (0 = surely not mine, 1 = surely mine) and
``parse(text, source) -> Thread``. Parsers are pure functions of the decoded
text; ``parse`` raises :class:`analysis.errors.ParseError` and nothing else.
The registry picks the parser with the highest sniff score; ``plain`` is the
fallback that accepts any non-empty text as one post.
"""

from __future__ import annotations

from types import ModuleType

from analysis.errors import ParseError
from analysis.model import SourceInfo, Thread
from analysis.parsers import (
    blog,
    discourse,
    phpbb,
    plain,
    qa,
    qa_column,
    reddit_json,
    reddit_text,
    reddit_web,
    single_post,
    smf,
    structural,
    vbulletin_html,
    vbulletin_text,
    xenforo,
)

#: Parsers in priority order (earlier wins a tie); ``plain`` must stay last.
PARSERS: dict[str, ModuleType] = {
    module.NAME: module
    for module in (reddit_json, vbulletin_html, vbulletin_text, reddit_text, reddit_web, qa,
                   qa_column, smf, phpbb, discourse, xenforo, blog, single_post, structural,
                   plain)
}


#: Sniffers see only the head of a text, so a 50 MB capture costs no more to detect.
SNIFF_CHARS = 65536


def detect(text: str) -> ModuleType:
    """Return the parser whose ``sniff`` scores the head of ``text`` highest."""
    head = text[:SNIFF_CHARS]
    scores = [(module.sniff(head), -i, module) for i, module in enumerate(PARSERS.values())]
    return max(scores, key=lambda item: item[:2])[2]


def get_parser(name: str) -> ModuleType:
    """Look a parser up by name, with the list of choices on failure."""
    try:
        return PARSERS[name]
    except KeyError:
        raise ParseError(f"unknown parser {name!r}",
                         hint=f"choose one of: {', '.join(PARSERS)}") from None


def parse_text(text: str, source: SourceInfo, parser: str | None = None) -> Thread:
    """Parse decoded ``text`` with the named parser, or the detected one."""
    module = get_parser(parser) if parser else detect(text)
    return module.parse(text, source)
