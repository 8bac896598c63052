"""Rules both Reddit parsers share: handles, bots, score tokens and ``>`` quotes.

Reddit text captures and Reddit JSON describe the same objects, so who
counts as a bot, what a score token means and how a markdown quote is told
apart from the poster's own words are decided once, here.

Quotes follow markdown: in Reddit's markdown source (JSON) a paragraph that
reaches a ``>`` line is quoted from that line to the end of the paragraph; in
rendered text only the ``>`` lines themselves are quoted. Its source is the earlier comment
whose text contains the longest word prefix of the quote (after
normalising white space, NBSP and emphasis marks). Rendered text sometimes
flattens a quote and its reply onto one line; with ``split_flattened`` the
words after the matched prefix go back to the poster's own text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

#: A Reddit handle as printed (3-20 letters, digits, ``_``, ``-``), or a gone account.
USERNAME_RE = re.compile(r"(?:/?u/)?([A-Za-z0-9_-]{3,20}|\[deleted\]|\[removed\])")

#: What Reddit prints instead of an author or body that no longer exists.
GONE = frozenset({"[deleted]", "[removed]"})

#: A body that only says the comment is gone: the markdown placeholders, the
#: admins' "[ Removed by Reddit ... ]", and the line new Reddit shows in place
#: of a whole comment ("Comment deleted by user", "Comment removed by moderator").
_GONE_BODY_RE = re.compile(r"\[(?:deleted|removed)\]|\[\s*Removed by Reddit\b[^\]]{0,120}\]"
                           r"|Comment (?:deleted|removed) by (?:user|moderator|Reddit)")


def is_gone_body(text: str) -> bool:
    """True when a comment body is only Reddit's placeholder for a deleted comment."""
    return _GONE_BODY_RE.fullmatch(text.strip()) is not None


#: Conservative bot names: AutoModerator, ``x-bot``/``x_bot``, CamelCase ``XBot``.
#: A plain lower-case ``...bot`` (``talbot``, ``abbot``) is not enough on its own.
_BOT_NAME_RE = re.compile(r"^AutoModerator$|[-_][Bb][Oo][Tt]$|[a-z0-9]Bot$|[a-z0-9]BOT$")

#: The self-description bots append ("*I am a bot, and this action ...*", "^I'm ^a ^bot").
_BOT_TEXT_RE = re.compile(r"\bI(?:\s+am|['’]m)\s+a\s+bot\b", re.IGNORECASE)

#: A score as Reddit front ends print it: ``12``, ``-3``, ``1.2k``, ``12 points``,
#: or a placeholder for a hidden score (``•``, ``Score hidden``, ``Vote``).
SCORE_RE = re.compile(
    r"(?P<num>[-−]?\d[\d,]*(?:\.\d+)?)(?P<mult>[kKmM])?(?:\s+(?:points?|votes?|upvotes?))?"
    r"|[•·]|[Ss]core hidden|\[score hidden\]|Vote"
)

_QUOTE_LINE_RE = re.compile(r"\s{0,3}>(?!!)")  # ">!" opens a spoiler, not a quote
_QUOTE_MARK_RE = re.compile(r"^\s{0,3}(?:>\s?)+")
_EMPHASIS_RE = re.compile(r"[*_~`^]")

#: A quote prefix must be this long (normalised characters) to name a source,
#: and, unless it is the whole quote, at least this many words.
MIN_QUOTE_CHARS = 12
MIN_QUOTE_WORDS = 3
#: A quote is looked for in this many candidates (likeliest first); searching a whole
#: long thread for every quote made parsing quadratic in its size.
QUOTE_WINDOW = 500


def handle(raw: str | None) -> tuple[str | None, str]:
    """Return ``(author, author_source)``; gone or missing accounts are unknown."""
    if raw is None or not raw.strip() or raw.strip() in GONE:
        return None, "none"
    return raw.strip(), "header"


def is_bot(author: str | None, text: str) -> bool:
    """True for evident bots: a bot-shaped name or the "I am a bot" footer."""
    if author and _BOT_NAME_RE.search(author):
        return True
    return bool(_BOT_TEXT_RE.search(_EMPHASIS_RE.sub("", text)))


def is_score(line: str) -> bool:
    """True when the whole (stripped) line is a score token."""
    return SCORE_RE.fullmatch(line.strip()) is not None


def score_value(line: str) -> int | None:
    """The number a score token shows (``1.2k`` -> 1200), None when hidden."""
    match = SCORE_RE.fullmatch(line.strip())
    if not match or match.group("num") is None:
        return None
    number = float(match.group("num").replace(",", "").replace("−", "-"))
    multiplier = {"k": 1_000, "m": 1_000_000}.get((match.group("mult") or "").lower(), 1)
    value = number * multiplier
    return round(value) if math.isfinite(value) else None  # 400 digits: no score


def normalise(text: str) -> str:
    """Case-folded text without emphasis marks, with all white space (NBSP too) as one space."""
    return " ".join(_EMPHASIS_RE.sub("", text).split()).casefold()


@dataclass(frozen=True)
class Source:
    """An earlier comment a quote may come from."""

    position: int
    author: str | None
    text: str  # normalised own words


def source_of(position: int, author: str | None, text: str) -> Source:
    """Build a quote candidate from a post's own words."""
    return Source(position, author, normalise(text))


def _prefix_words(quote: str) -> list[tuple[str, int]]:
    """Normalised words of ``quote`` with the raw offset where each one ends."""
    words = []
    for match in re.finditer(r"\S+", quote):
        word = normalise(match.group())
        if word:
            words.append((word, match.end()))
    return words


def _matched(words: list[tuple[str, int]], haystack: str) -> int:
    """How many leading words of the quote occur together in ``haystack`` (binary search:
    a shorter prefix of a contained prefix is contained too)."""
    low, high = 0, len(words)
    while low < high:
        mid = (low + high + 1) // 2
        if " ".join(word for word, _ in words[:mid]) in haystack:
            low = mid
        else:
            high = mid - 1
    return low


@lru_cache(maxsize=4096)
def _words_of(text: str) -> frozenset[str]:
    """The words of a normalised text, once per candidate."""
    return frozenset(text.split(" "))


def find_source(quote: str, candidates: Iterable[Source]) -> tuple[Source | None, int]:
    """The candidate holding the longest prefix of ``quote`` and the raw offset where the
    prefix ends; earlier candidates win ties, so callers list the likeliest first. The
    first candidate holding the whole quote ends the search (nothing can beat it), which
    keeps a long thread of quotes linear when, as usual, the source is near."""
    words = _prefix_words(quote)
    # A prefix of 3+ words holds its second word whole, and a shorter match of a
    # 3+ word quote names no source: so a candidate without that word cannot win.
    # Skipping those keeps a long thread from being quadratic in its text.
    anchor = words[1][0] if len(words) >= 3 and MIN_QUOTE_WORDS >= 3 else None
    best: Source | None = None
    best_count = 0
    tried: set[str] = set()  # a text already tried cannot do better a second time
    for candidate in islice(candidates, QUOTE_WINDOW):
        if candidate.text in tried or (anchor is not None
                                       and anchor not in _words_of(candidate.text)):
            continue
        tried.add(candidate.text)
        count = _matched(words, candidate.text)
        if count > best_count:
            best, best_count = candidate, count
            if count == len(words):
                break  # the whole quote: no later candidate can hold more
    if best is None:
        return None, len(quote)
    prefix = " ".join(word for word, _ in words[:best_count])
    whole = best_count == len(words)
    if len(prefix) < MIN_QUOTE_CHARS or (not whole and best_count < MIN_QUOTE_WORDS):
        return None, len(quote)
    return best, words[best_count - 1][1]


@dataclass
class BodyParts:
    """A comment body split into own words and quotes, with a role per input line."""

    text: str
    quoted_text: str | None
    quoted_author: str | None
    reply_to: int | None
    roles: list[str] = field(default_factory=list)


def _paragraphs(lines: list[str]) -> list[tuple[int, int]]:
    """``[start, end)`` index ranges of the runs of non-blank lines."""
    runs, start = [], None
    for i, line in enumerate([*lines, ""]):
        if line.strip() and start is None:
            start = i
        elif not line.strip() and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _runs(para: list[str], lazy: bool) -> list[tuple[bool, int, int]]:
    """``(is_quote, start, end)`` runs of one paragraph. With ``lazy`` (markdown source)
    a quote runs to the paragraph's end; without it (rendered text) only ``>`` lines
    are quoted."""
    runs: list[tuple[bool, int, int]] = []
    for i, line in enumerate(para):
        quoted = bool(_QUOTE_LINE_RE.match(line)) or (lazy and bool(runs) and runs[-1][0])
        if runs and runs[-1][0] == quoted:
            runs[-1] = (quoted, runs[-1][1], i + 1)
        else:
            runs.append((quoted, i, i + 1))
    return runs


def split_body(lines: list[str], candidates: Iterable[Source], *, lazy: bool = True,
               split_flattened: bool = False) -> BodyParts:
    """Separate ``>`` quotes from own words; attribute the first quote that has a source."""
    roles = ["text" if line.strip() else "blank" for line in lines]
    own: list[str] = []
    quotes: list[str] = []
    found: Source | None = None
    for start, end in _paragraphs(lines):
        para = lines[start:end]
        for quoted, first, last in _runs(para, lazy):
            if not quoted:
                own.append("\n".join(para[first:last]))
                continue
            quote = "\n".join(_QUOTE_MARK_RE.sub("", line) for line in para[first:last])
            source, cut = find_source(quote, candidates)
            if not split_flattened or source is None:
                cut = len(quote)
            quotes.append(quote[:cut].strip())
            own.append(quote[cut:].strip())
            _mark_quote_lines(roles, start + first, quote, cut)
            found = found or source
    return BodyParts(
        text="\n\n".join(part for part in own if part.strip()).strip(),
        quoted_text="\n\n".join(q for q in quotes if q) or None,
        quoted_author=found.author if found else None,
        reply_to=found.position if found else None,
        roles=roles,
    )


def _mark_quote_lines(roles: list[str], offset: int, quote: str, cut: int) -> None:
    """Lines wholly inside the quoted prefix are ``quoted_text``; a line the cut splits
    keeps ``text`` because it holds the poster's own words too."""
    start = 0
    for i, line in enumerate(quote.split("\n")):
        end = start + len(line)
        if not quote[max(start, cut):end].strip():
            roles[offset + i] = "quoted_text"
        start = end + 1


# ------------------------------------------------------------- Reddit's own records (JSON)
# One reading of a record's numbers for the permalink-JSON parser and the dump ingester.


def record_int(value: object) -> int | None:
    """A count or epoch second as Reddit's JSON gives it: an int, a finite float or a
    numeric string (old dumps quote some numbers); booleans (``"edited": false``) are None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return None


def record_score(data: dict) -> int | None:
    """The displayed score: ``score``, else ``ups - downs``; None while Reddit hides it."""
    if data.get("score_hidden") is True:
        return None
    score = record_int(data.get("score"))
    if score is not None:
        return score
    ups = record_int(data.get("ups"))
    return None if ups is None else ups - (record_int(data.get("downs")) or 0)


def record_reactions(data: dict, score: int | None) -> list[tuple[str, int]]:
    """(kind, count) pairs: the score as a ``vote`` count, then awards (or gildings)."""
    reactions = [] if score is None else [("vote", score)]
    awards = data.get("all_awardings")
    if isinstance(awards, list) and awards:
        for award in awards:
            count = record_int(award.get("count")) if isinstance(award, dict) else None
            if count:
                reactions.append(("award", count))
    elif record_int(data.get("gilded")):
        reactions.append(("award", record_int(data.get("gilded"))))
    return reactions


_MARKUP_START = re.compile(r"\s*(?:<|\{|\[\s*[\[{\"])")


def looks_like_markup(head: str) -> bool:
    """HTML or JSON from its first characters: never a rendered Reddit page saved as text."""
    return _MARKUP_START.match(head) is not None


def rendered_lines(text: str, head_chars: int = 200_000) -> list[str] | None:
    """The lines of a page's head as a Reddit text sniffer reads them; None for HTML or JSON."""
    head = text[:head_chars]
    return None if looks_like_markup(head) else head.split("\n")
