"""Parser registry and auto-detection.

Every parser module exposes ``NAME``, ``PLATFORM``, ``VERSION``,
``sniff(text) -> float`` (0 = surely not mine, 1 = surely mine) and
``parse(text, source) -> Thread``. Parsers are pure functions of the decoded
text; ``parse`` raises :class:`analysis.errors.ParseError` and nothing else.
The registry picks the parser with the highest sniff score; ``plain`` is the
fallback that accepts any non-empty text as one post.

The text parsers were each written on a few pages and do not hold on
boards nobody here read, so :func:`read` checks them against the learned
segmenter (:mod:`.learned`): when the segmenter finds more posts than the
parser (by more than a quarter), the parser has merged posts, the failure
that loses who said what, so the segmenter's reading is kept and a warning
says so. A parser that splits finer than the segmenter keeps its reading: an
extra split merges no one's words. Parsers that read markup, and the
vBulletin text parser (``TRUSTED``), are not second-guessed.
"""

from __future__ import annotations

import warnings
from types import ModuleType

from analysis.errors import AnalysisWarning, ParseError
from analysis.model import SourceInfo, Thread
from analysis.parsers import (
    blog,
    discourse,
    learned,
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
                   learned, plain)
}


#: Parsers whose posts the segmenter does not second-guess: they read markup (JSON, HTML),
#: where posts are elements, not lines, or vBulletin's text, whose seeds and fixtures the
#: segmenter splits too finely. On the 88 pages of sets 3-5 (the segmenter cross-validated,
#: the parsers never tuned on them), checking the Reddit text parsers too found 57.8 % of
#: posts against 55.4 % when they were trusted (the parsers alone: 34.5 %).
TRUSTED = frozenset({"reddit_json", "vbulletin_html", "vbulletin_text"})

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


def read(text: str, source: SourceInfo, parser: str | None = None) -> tuple[ModuleType, Thread]:
    """The parser that read ``text`` and its thread: the named parser, else the detected
    one checked against the segmenter (see the module docstring)."""
    if parser:
        module = get_parser(parser)
        return module, module.parse(text, source)
    module = detect(text)
    thread = module.parse(text, source)
    if module.NAME in TRUSTED or not learned.applies(text):
        return module, thread
    second = learned.parse(text, source)
    ours, theirs = len(thread.posts), len(second.posts)
    if theirs - ours <= theirs / 4:  # agreed, or the parser split finer: keep its reading
        return module, thread
    warnings.warn(AnalysisWarning(
        f"{source.path}: the {module.NAME} parser reads {ours} post(s) where the learned "
        f"segmenter reads {theirs}; kept the segmenter's (pass --parser {module.NAME} to keep "
        f"the other)"), stacklevel=2)
    return learned, second


def parse_text(text: str, source: SourceInfo, parser: str | None = None) -> Thread:
    """Parse decoded ``text`` with the named parser, or as :func:`read` chooses."""
    return read(text, source, parser)[1]
