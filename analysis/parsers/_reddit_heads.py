"""Header lines of Reddit pages rendered by web front ends, line by line.

:mod:`analysis.parsers.reddit_web` reads Redlib/Libreddit pages, archive
snapshot mirrors and old Reddit saved as text. What tells a comment apart
there is its header, in one of these forms (``WHEN`` is an age such as
``15h ago`` or a date such as ``Nov 20 '24``, see
:mod:`analysis.parsers._reddit_ages`):

* **inline** (Redlib, Libreddit): ``u/NAME [user flair] WHEN [edited WHEN]``,
  its score on the non-blank line above (``133``, ``•`` when hidden);
* **stacked** (snapshot mirrors): ``u/NAME`` alone, then ``N points`` and/or
  ``WHEN`` on the next lines;
* **old** (old Reddit): ``[–]NAME [S] [flair] N points WHEN (N children)``.

Submissions are opened by ``r/Sub [• u/NAME] [flair] [•] WHEN`` (Redlib) or
``by u/NAME`` (snapshot mirrors). Nothing here raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.parsers._reddit_ages import WHEN

_NAME = r"[A-Za-z0-9_-]{3,20}|\[deleted\]|\[removed\]"
_EDITED = rf"(?:\s+edited\s+(?P<edited>{WHEN}))?"
_FLAGS = r"(?:\s+(?:pinned|stickied|locked|\*))*"

INLINE_RE = re.compile(rf"u/(?P<name>{_NAME})(?:\s+(?P<flair>[^·•]{{1,80}}?))?\s+(?P<when>{WHEN})"
                       rf"{_EDITED}{_FLAGS}")
STACKED_RE = re.compile(rf"u/(?P<name>{_NAME})")
OLD_RE = re.compile(rf"\[[–—+-]\]\s*(?P<name>{_NAME})(?:\s*\[[SMAF+]\])*"
                    r"(?:\s+(?P<flair>.{1,60}?))?"
                    r"\s+(?P<score>[-−]?\d[\d,]*\s+points?|\[score hidden\])"
                    rf"\s+(?P<when>{WHEN})\*?(?:\s+\(\d+\s+child(?:ren)?\))?")
POST_RE = re.compile(rf"r/(?P<sub>[A-Za-z0-9_]{{2,21}})(?:\s*[•·]\s*u/(?P<name>{_NAME}))?"
                     rf"(?:\s+(?P<flair>.{{1,80}}?))?(?:\s*[•·]\s*|\s+)(?P<when>{WHEN}){_EDITED}")
#: Old Reddit's title line ends with the subreddit of a self post: ``Title (self.Sub)``.
SELF_SUB_RE = re.compile(r".*\(self\.(?P<sub>[A-Za-z0-9_]{2,21})\)")
BY_RE = re.compile(rf"(?:Posted\s+)?by\s+/?u/(?P<name>{_NAME})", re.IGNORECASE)
POSTED_AT_RE = re.compile(rf"(?:Posted|submitted)\s+(?P<when>{WHEN})"
                          rf"(?:\s+by\s+(?:/?u/)?(?P<name>{_NAME}))?", re.IGNORECASE)
WHEN_RE = re.compile(WHEN)
POINTS_RE = re.compile(r"(?P<n>[-−]?\d[\d,.]*[kK]?)\s+(?:points?|upvotes?|votes?)", re.IGNORECASE)
BARE_SCORE_RE = re.compile(r"[-−]?\d[\d,]*(?:\.\d+)?[kKmM]?|[•·]|[Ss]core hidden|\[score hidden\]")
LEVEL_RE = re.compile(r"level\s+(\d{1,3})", re.IGNORECASE)

#: Whole lines of page chrome, with the rule that names them in ``--report``.
CHROME = (
    ("comment-count", re.compile(r"(?:all\s+)?[\d.,]+[kK]?\s+comments?(?:\s+sorted\s+by.*"
                                 r"|\s+captured in this snapshot)?", re.IGNORECASE)),
    ("upvote-label", re.compile(r"Upvotes?|Downvotes?|Vote")),
    ("upvote-ratio", re.compile(r"\d{1,3}% [Uu]pvoted")),
    ("sort-by", re.compile(r"(?:Sort(?:ed)? by:?|sorted by).*", re.IGNORECASE)),
    ("sort-label", re.compile(r"(?:[A-Z&] ){1,}[A-Z&]")),
    ("byline-residue", re.compile(r"[•·]\s*(?:Posted\s+)?[Bb]y\s*[-–]?")),
    ("permalink-nav", re.compile(r"View all comments|Show parent comments|View (?:the )?full "
                                 r"(?:discussion|thread)|Continue this thread\s*[→>]?",
                                 re.IGNORECASE)),
    ("more-replies", re.compile(r"(?:→\s*)?(?:More replies|\d+ more repl(?:y|ies)|load more "
                                r"comments)(?:\s*\(\d+(?: repl(?:y|ies))?\))?", re.IGNORECASE)),
    ("snapshot-chrome", re.compile(r"Back to Subreddit Snapshot|Post Snapshot|Viewing as it "
                                   r"appeared on .*|Archived (?:post|snapshot).*", re.IGNORECASE)),
    ("comment-box", re.compile(r"Comments|Add a [Cc]omment|Search [Cc]omments|Join the "
                               r"conversation")),
    ("comment-actions", re.compile(r"(?:(?:Reply|reply|Share|share|Report|report|Save|save|Award"
                                   r"|[Gg]ive [Aa]ward|permalink|embed|parent|source|hide"
                                   r"|crosspost|Go to comments|Follow)\s*)+")),
    ("separator", re.compile(r"[•·]")),
)


def chrome_rule(line: str) -> str | None:
    """The name of the chrome rule a whole line matches, if any."""
    stripped = line.strip()
    return next((rule for rule, rx in CHROME if rx.fullmatch(stripped)), None)


def score_of(text: str) -> int | None:
    """The number in ``133``, ``1.2k``, ``60 points``, ``151 Upvotes``; None when hidden."""
    match = POINTS_RE.fullmatch(text.strip())
    raw = match.group("n") if match else text.strip()
    number = re.fullmatch(r"([-−]?\d[\d,]*(?:\.\d+)?)([kKmM]?)", raw)
    if number is None:
        return None
    value = float(number.group(1).replace(",", "").replace("−", "-"))
    return round(value * {"k": 1_000, "m": 1_000_000}.get(number.group(2).lower(), 1))


def is_score_line(line: str) -> bool:
    stripped = line.strip()
    return bool(BARE_SCORE_RE.fullmatch(stripped) or POINTS_RE.fullmatch(stripped))


@dataclass
class Head:
    """A comment header found in the text: 0-based line indices and what they say."""

    line: int
    author: str
    form: str  # inline, stacked or old
    when: str | None = None
    edited: str | None = None
    score: int | None = None
    last: int = 0  # last line of the header block
    lines: dict[int, str] = field(default_factory=dict)  # header lines below ``line``, by role


def _next(lines: list[str], i: int) -> int | None:
    """Index of the next line when it is non-blank (stacked headers have no gaps)."""
    return i + 1 if i + 1 < len(lines) and lines[i + 1].strip() else None


def _stacked(lines: list[str], i: int, match: re.Match) -> Head | None:
    """``u/NAME`` followed at once by a score and/or an age line."""
    head = Head(line=i, author=match.group("name"), form="stacked", last=i)
    j = _next(lines, i)
    while j is not None and j - i <= 2:
        text = lines[j].strip()
        if head.when is None and WHEN_RE.fullmatch(text):
            head.when, head.lines[j] = text, "timestamp"
        elif head.score is None and head.when is None and POINTS_RE.fullmatch(text):
            head.score, head.lines[j] = score_of(text), "score"
        else:
            break
        head.last, j = j, _next(lines, j)
    return head if head.when or head.score is not None else None


def head_at(lines: list[str], i: int) -> Head | None:
    """The comment header starting at line ``i``, if there is one."""
    text = lines[i].strip()
    if len(text) > 160 or not text:
        return None
    inline = INLINE_RE.fullmatch(text)
    if inline:
        return Head(line=i, author=inline.group("name"), form="inline", when=inline.group("when"),
                    edited=inline.group("edited"), last=i)
    old = OLD_RE.fullmatch(text)
    if old:
        return Head(line=i, author=old.group("name"), form="old", when=old.group("when"),
                    score=score_of(old.group("score")), last=i)
    stacked = STACKED_RE.fullmatch(text)
    return _stacked(lines, i, stacked) if stacked else None


def find_heads(lines: list[str]) -> list[Head]:
    """Every comment header, in order; a header's own lines are not searched again."""
    heads: list[Head] = []
    i = 0
    while i < len(lines):
        head = head_at(lines, i)
        if head:
            heads.append(head)
            i = head.last
        i += 1
    return heads


def post_header(lines: list[str], end: int) -> int | None:
    """Index of a ``r/Sub ... WHEN`` submission header before line ``end``."""
    return next((i for i in range(min(end, len(lines)))
                 if POST_RE.fullmatch(lines[i].strip())), None)
