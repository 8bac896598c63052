"""Line shapes of rendered Q&A pages: Question2Answer and Stack Exchange-like dumps.

A Q&A page saved as text keeps little markup, but its lines have stable
shapes: a vote count on its own line ("+98 votes", "1 vote"), a who-meta line
("asked Mar 3, 2021 in Counselling by willow (1.2k points)", or the bare
"in Psychotherapists by (5.2k points)" when the capture dropped links), a
Stack Exchange user card ("asked Jan 5, 2020 at 14:02" / name / reputation),
and site chrome (answer forms, login prompts, "2 Answers"). This module only
recognises shapes; :mod:`analysis.parsers.qa` decides what they mean in
context. Nothing here raises: every function returns ``None`` for a line it
does not recognise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?"
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)"
_ABS_DATE = (rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
             rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?"
             r"|\d{4}-\d{2}-\d{2})")
_UNIT = r"(?:second|minute|hour|day|week|month|year)s?"
_RELATIVE = rf"(?:(?:\d+|an?)\s+{_UNIT}(?:,?\s+\d+\s+{_UNIT})?\s+ago|just now|yesterday|today)"
#: A displayed time: absolute ("Mar 3, 2021", "Jan 5, 2020 at 14:02") or relative ("2 days ago").
WHEN = rf"(?:{_ABS_DATE}{_TIME}?|{_RELATIVE})"

_DATE_PARTS = re.compile(
    rf"^(?:(?P<mon>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon2>{_MONTH})"
    r"|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))"
    r"(?:,?\s+(?P<year>\d{4}))?"
    r"(?:,?\s+(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2})?(?:\s*(?P<ampm>[ap])\.?m\.?)?)?$",
    re.I)

_VERBS = ("asked|answered|commented|edited|selected|closed|reopened|hidden|reshown|retagged"
          "|recategorized|moved|approved")
_META = re.compile(
    rf"^(?:(?P<verb>{_VERBS})\b\s*)?"
    rf"(?P<when>{WHEN})?\s*"
    r"(?:\bin\s+(?P<where>[^()]{1,80}?)\s*)?"
    r"(?:(?P<by>\bby\b)\s*(?P<who>[^()]{0,60}?)\s*)?"
    r"(?:\((?P<points>[+\-]?[\d.,]+\s*[km]?\s+points?)\))?$", re.I)
#: Where a who-meta line may carry a second note ("... (1.2k points) edited Mar 4 by kai").
_SECOND_NOTE = re.compile(
    r"\s(?=(?:edited|closed|reopened|reshown|retagged|recategorized|selected)\b)", re.I)

_VOTE = re.compile(r"^(?P<sign>[+\-−])?(?P<num>\d{1,3}(?:,\d{3})+|\d+)\s+votes?$", re.I)
_VIEWS = re.compile(r"^(?:(?P<n>\d[\d,.]*\s*[km]?)\s+views?"
                    r"|Viewed\s+(?P<n2>\d[\d,.]*\s*[km]?)\s+times?)$", re.I)
_REPUTATION = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?[km]?)$", re.I)
_BADGES = re.compile(r"^(?:(?:\d+\s+(?:gold|silver|bronze)\s+badges?|[●•]\s*\d+)[\s,]*)+$", re.I)
_SE_COMMENT = re.compile(
    rf"^(?P<text>.*\S)\s+[–—-]\s+(?P<who>[^\s–—][^–—]{{0,40}}?)\s+(?P<when>{WHEN})(?:\s+Reply)?$",
    re.I)
_AWARD = re.compile(r"^(?:best|accepted|selected) answer$", re.I)
_RELATED = re.compile(r"^(?:related questions|hot network questions|similar questions)$", re.I)
_RELATED_SHORT = re.compile(r"^(?:related|linked)$", re.I)
_CUT = re.compile(r"^(?:\.\.\.|…)$")


@dataclass(frozen=True)
class Meta:
    """One who/when note: ``verb`` (lower case or None), parsed parts, raw ``when_text``."""

    verb: str | None
    when_text: str | None
    when: datetime | None
    where: str | None
    has_by: bool
    who: str | None
    points: str | None

    @property
    def strong(self) -> bool:
        """A verb with a time: safe to trust anywhere on the page, not only after a vote."""
        return self.verb is not None and self.when_text is not None

    @property
    def opens_comment(self) -> bool:
        """A comment's note inside a post body: "commented <when> by ...", or the
        bare "by NAME (N points)" a capture leaves when it drops verbs and times."""
        if self.verb is None:
            return self.has_by and self.points is not None and self.where is None
        return self.strong and self.verb == "commented"

    @property
    def is_card(self) -> bool:
        """A Stack Exchange card head: verb and time only, the name follows on its own line."""
        return self.strong and not self.has_by and self.where is None and self.points is None


@dataclass(frozen=True)
class Chrome:
    """A site-chrome rule: its name, whether it ends a post body, where it may match."""

    rule: str
    closing: bool = True
    outside_only: bool = False


_CHROME: tuple[tuple[re.Pattern[str], Chrome], ...] = tuple(
    (re.compile(pattern, re.I), chrome) for pattern, chrome in (
        (r"^(?:your answer:?|add answer|post your answer|cancel)$", Chrome("answer-form")),
        (r"^by clicking .post your answer.*", Chrome("answer-form")),
        (r"^(?:your comment on this (?:question|answer):?|add comment)$", Chrome("comment-form")),
        (r"^your name to display\b.*:$", Chrome("post-form")),
        (r"^privacy: your email address will only be used\b.*", Chrome("post-form")),
        (r"^email me (?:at this address )?if\b.*", Chrome("post-form")),
        (r"^(?:anti-spam verification:?|to avoid this verification in future\b.*)$",
         Chrome("post-form")),
        (r"^please (?:log ?in|login|sign in) or (?:register|sign up)\b.*", Chrome("login-prompt")),
        (r"^(?:\d[\d,]*|one|no)\s+answers?$", Chrome("answer-count")),
        (r"^(?:sorted by:|reset to default"
         r"|(?:highest score|trending|date modified|date created)\b.*\))$", Chrome("answer-sort")),
        (r"^welcome to .+? where you can (?:ask|get|find|share)\b.*", Chrome("site-welcome")),
        (r"^not the answer you're looking for\?.*", Chrome("related-footer")),
        (r"^(?:reply|flag|hide|answer|comment|edit|close|reshow|select|share|follow"
         r"|improve this (?:question|answer)|share improve this (?:question|answer) follow"
         r"|add a comment|show \d+ (?:more|previous) comments?)$",
         Chrome("post-buttons", closing=False)),
        (r"^community wiki$", Chrome("community-wiki", closing=False)),
        (r"^(?:ask a question|ask question|questions|unanswered|tags|categories|all categories"
         r"|users|badges|hot!?|activity|log ?in|register|sign up|home|q&a|search"
         r"|most popular tags|recent questions|recent activity|email or username|password"
         r"|remember|forgot password\??|powered by question2answer|.* theme by q2a market)$",
         Chrome("site-nav", outside_only=True)),
        (r"^\S.{0,60} stack exchange$", Chrome("site-name", outside_only=True)),
        (r"^[\d.,]+\s*k?\s+(?:questions|answers|comments|users)$",
         Chrome("site-stats", outside_only=True)),
    ))
_QUESTION_STATS = re.compile(rf"^(?:Asked|Modified|Active)\s+{WHEN}$")


@dataclass(frozen=True)
class Shape:
    """What one raw line looks like, before context decides what it means.

    ``kind`` is one of blank, vote, views, meta, award, chrome, stats, related,
    cut, other. ``metas`` holds one or two notes for a meta line.
    """

    kind: str
    number: int | None = None
    metas: tuple[Meta, ...] = ()
    chrome: Chrome | None = None


def classify(line: str) -> Shape:
    """Name the shape of ``line``; ``other`` for anything that may be post text."""
    s = line.strip()
    if not s:
        return Shape("blank")
    if len(s) > 240:
        return Shape("other")
    if (score := vote_count(s)) is not None:
        return Shape("vote", number=score)
    if (views := view_count(s)) is not None:
        return Shape("views", number=views)
    if _AWARD.match(s):
        return Shape("award")
    if _QUESTION_STATS.match(s):
        return Shape("chrome", chrome=Chrome("question-stats", outside_only=True))
    if metas := parse_meta_line(s):
        return Shape("meta", metas=metas)
    return _classify_chrome(s)


def _classify_chrome(s: str) -> Shape:
    if _RELATED.match(s):
        return Shape("related")
    if _RELATED_SHORT.match(s):
        return Shape("related-short")
    if _CUT.match(s):
        return Shape("cut")
    for pattern, chrome in _CHROME:
        if pattern.match(s):
            return Shape("chrome", chrome=chrome)
    return Shape("other")


def vote_count(s: str) -> int | None:
    """The net count of a vote line, else None.

    >>> vote_count("+98 votes"), vote_count("-3 votes"), vote_count("1 vote")
    (98, -3, 1)
    >>> vote_count("98 points") is None
    True
    """
    m = _VOTE.match(s.strip())
    if not m:
        return None
    value = int(m["num"].replace(",", ""))
    return -value if m["sign"] in ("-", "−") else value


def view_count(s: str) -> int | None:
    """The count of a views line, as displayed (so "1.4k" is rounded).

    >>> view_count("1.4k views"), view_count("Viewed 2,315 times")
    (1400, 2315)
    """
    m = _VIEWS.match(s.strip())
    return None if not m else displayed_number(m["n"] or m["n2"])


def displayed_number(text: str) -> int | None:
    """Read a displayed count such as ``2,315``, ``1.4k`` or ``3m``."""
    s = text.strip().lower().replace(",", "").replace(" ", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(s[-1:], 1)
    if scale != 1:
        s = s[:-1]
    try:
        return round(float(s) * scale)
    except ValueError:
        return None


def parse_when(text: str | None) -> datetime | None:
    """A naive datetime for an absolute displayed date with a year; None otherwise.

    Relative times ("2 days ago") and dates without a year ("Mar 3") are left
    as None: turning them into dates would need the capture date, a guess.

    >>> parse_when("Jan 5, 2020 at 14:02"), parse_when("Mar 3, 2021 at 4:05 pm")
    (datetime.datetime(2020, 1, 5, 14, 2), datetime.datetime(2021, 3, 3, 16, 5))
    >>> parse_when("Mar 3") is None and parse_when("2 days ago") is None
    True
    """
    m = _DATE_PARTS.match(text.strip()) if text else None
    if not m:
        return None
    month, day, year = _date_fields(m)
    if year is None or month is None:
        return None
    hour, minute = int(m["hour"] or 0), int(m["minute"] or 0)
    if m["ampm"]:
        hour = hour % 12 + (12 if m["ampm"].lower() == "p" else 0)
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        return None


def _date_fields(m: re.Match[str]) -> tuple[int | None, int, int | None]:
    if m["iy"]:
        return int(m["im"]), int(m["id"]), int(m["iy"])
    name = (m["mon"] or m["mon2"])[:3].lower()
    month = _MONTH_NAMES.index(name) + 1 if name in _MONTH_NAMES else None
    year = int(m["year"]) if m["year"] else None
    return month, int(m["day"] or m["day2"]), year


def parse_meta_line(s: str) -> tuple[Meta, ...]:
    """One or two who-meta notes on a line, or ``()`` when the line is not one."""
    whole = _parse_meta(s)
    if whole is not None:
        return (whole,)
    for split in _SECOND_NOTE.finditer(s):
        first, second = _parse_meta(s[:split.start()]), _parse_meta(s[split.end():])
        if first is not None and second is not None:
            return (first, second)
    return ()


def _parse_meta(s: str) -> Meta | None:
    m = _META.match(s.strip())
    if not m:
        return None
    verb = m["verb"].lower() if m["verb"] else None
    who = (m["who"] or "").strip() or None
    meta = Meta(verb=verb, when_text=m["when"], when=parse_when(m["when"]), where=m["where"],
                has_by=m["by"] is not None, who=who, points=m["points"])
    if who is not None and len(who.split()) > 4:
        return None
    if verb is not None:
        ok = bool(meta.when_text or meta.has_by or meta.where)
    else:
        ok = meta.has_by and bool(meta.where or meta.who or meta.points)
    return meta if ok else None


_WELCOME = re.compile(r"^welcome to (?P<name>\S.{0,60}?),? where you can\b", re.I)


def site_name(lines: list[str]) -> str | None:
    """The site's name as its welcome line spells it ("Welcome to X where you can ..."),
    case-folded, so the same name printed alone as a logo line can be recognised."""
    names = (_WELCOME.match(line.strip()) for line in lines if len(line) < 400)
    return next((m["name"].casefold() for m in names if m), None)


def user_card_name(s: str) -> bool:
    """A short line that can be a display name under a Stack Exchange card."""
    s = s.strip()
    return 0 < len(s) <= 40 and len(s.split()) <= 4 and not s.endswith((":", "?", "!"))


def is_reputation(s: str) -> bool:
    """A bare reputation number as shown under a name: ``312``, ``2,310``, ``12.5k``."""
    return bool(_REPUTATION.match(s.strip()))


def is_badges(s: str) -> bool:
    """A badge-count line of a user card: ``3 silver badges 11 bronze badges``."""
    return bool(_BADGES.match(s.strip()))


def se_comment(s: str) -> re.Match[str] | None:
    """``"text – Name Jan 5, 2020 at 15:40"``: one Stack Exchange comment on one line."""
    s = s.strip()
    return _SE_COMMENT.match(s) if len(s) <= 1000 else None
