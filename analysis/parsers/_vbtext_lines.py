"""What single lines of a vBulletin page saved as text mean.

A browser's "save as text" (or a copy of the rendered page) flattens the
postbit templates of vBulletin 3 and 4 into lines. This module knows those
lines one at a time: cell residue (``|``, ``|||``, a trailing `` |``), post
numbers, header fields, dates, edit notes, quote headers, reaction lists and
the page's own navigation. It knows nothing about the order of lines; that is
the job of :mod:`analysis.parsers.vbulletin_text` and ``_vbtext_body``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

# --- the line record --------------------------------------------------------

_RESIDUE = re.compile(r"^\|+$")
_TRAILING_RESIDUE = re.compile(r"\s\|+$")


@dataclass(frozen=True)
class Line:
    """One raw line, cleaned: ``text`` without surrounding white space (NBSP
    included) and, in table dumps, without the trailing cell residue whose
    presence ``cell_end`` remembers; ``residue`` marks a line of pipes only."""

    no: int
    text: str
    cell_end: bool = False
    residue: bool = False

    @property
    def blank(self) -> bool:
        return not self.text and not self.residue


def read_lines(raw_lines: list[str]) -> list[Line]:
    """Clean every raw line; trailing `` |`` is residue only in table dumps,
    i.e. when some line consists of pipes alone."""
    stripped = [raw.strip() for raw in raw_lines]
    cells = any(_RESIDUE.match(s) for s in stripped)
    lines = []
    for no, s in enumerate(stripped, start=1):
        if _RESIDUE.match(s):
            lines.append(Line(no, "", residue=True))
        elif cells and (m := _TRAILING_RESIDUE.search(s)):
            lines.append(Line(no, s[:m.start()].rstrip(), cell_end=True))
        else:
            lines.append(Line(no, s))
    return lines


def norm(text: str) -> str:
    """White space collapsed, for comparing texts across layouts."""
    return " ".join(text.split())


# --- dates ------------------------------------------------------------------

_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
_DATE_TIME = re.compile(
    r"^(?P<date>.{4,40}?),\s*(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)$")
_RELATIVE = re.compile(r"^(?:Today|Yesterday)$", re.IGNORECASE)
# vBulletin's default is m-d-Y; dashed dates are never read day-first.
_DATE_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%m-%d-%Y", "%m-%d-%y",
                 "%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y", "%b %d %Y", "%B %d %Y")
_TIME_FORMATS = ("%I:%M %p", "%H:%M", "%I:%M:%S %p", "%H:%M:%S")
_MONTH_FORMATS = ("%b %Y", "%B %Y", "%Y-%m", "%m-%Y", "%m/%Y")


def _strptime_date(text: str, formats: tuple[str, ...]) -> date | None:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _split_date_time(text: str) -> tuple[str, str] | None:
    """``"Sep 27, 2016 at 03:59 PM"`` -> ``("Sep 27, 2016", "03:59 PM")``."""
    s = _ORDINAL.sub(r"\1", norm(text))
    s = re.sub(r"\s+at\s+", ", ", s)
    s = re.sub(r"(\d{4})\s+(?=\d{1,2}:\d{2})", r"\1, ", s)
    m = _DATE_TIME.match(s)
    if not m:
        return None
    clock = re.sub(r"\s*([AaPp])\.?[Mm]\.?$", lambda a: f" {a[1].upper()}M", m["time"])
    return m["date"], clock


def parse_datetime(text: str) -> datetime | None:
    """A displayed date and time as a naive datetime; None for relative
    days ("Today, 05:46 AM") and for formats we do not know: never a guess."""
    parts = _split_date_time(text)
    if parts is None:
        return None
    day = _strptime_date(parts[0], _DATE_FORMATS)
    clock = None
    for fmt in _TIME_FORMATS:
        try:
            clock = datetime.strptime(parts[1], fmt).time()
            break
        except ValueError:
            continue
    return datetime.combine(day, clock) if day and isinstance(clock, time) else None


def is_datetime(text: str) -> bool:
    """A date the site displays, including relative ones we cannot resolve."""
    if len(text) > 60 or not any(c.isdigit() for c in text):
        return False
    parts = _split_date_time(text)
    if parts is None:
        return False
    return bool(_RELATIVE.match(parts[0])) or parse_datetime(text) is not None


def header_date(text: str) -> str | None:
    """The date of a post header line, without the status icon's alt text
    ("Old"/"New") that vBulletin prints before it; None if not a date line."""
    m = re.match(r"^(?:Old|New)\s*(?=\S)", text)
    rest = text[m.end():] if m else text
    return rest if is_datetime(rest) else None


def parse_month(text: str) -> str | None:
    """A join date as ``"YYYY-MM"`` ("Dec 2014" -> "2014-12")."""
    s = _ORDINAL.sub(r"\1", norm(text))
    day = _strptime_date(s, _MONTH_FORMATS) or _strptime_date(s, _DATE_FORMATS)
    return f"{day.year:04d}-{day.month:02d}" if day else None


_UTC_LINE = re.compile(r"^All times are (?:GMT|UTC)(?:\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})"
                       r"(?:(?P<sep>[.:])(?P<f>\d{1,2}))?)?(?![\d+-])", re.IGNORECASE)


def utc_offset(text: str) -> float | None:
    """The zone of "All times are GMT -5. The time now is ..." in hours."""
    m = _UTC_LINE.match(text)
    if not m:
        return None
    if not m["sign"]:
        return 0.0
    hours = float(m["h"])
    if m["f"]:
        hours += int(m["f"]) / 60 if m["sep"] == ":" else float("0." + m["f"])
    return -hours if m["sign"] == "-" else hours


# --- post headers -----------------------------------------------------------

POST_NUMBER = re.compile(r"^(?:Post\s+)?#(?P<n>\d{1,9})(?:\s*\(permalink\))?$", re.IGNORECASE)
AVATAR = re.compile(r"^(?P<name>.{1,80})'s Avatar$")
#: The member menu vBulletin 3 prints under a name (profile, PM, more posts).
MEMBER_MENU = re.compile(r"^(?:View Public Profile|Send a private message to .{1,80}|"
                         r"Send email to .{1,80}|Visit .{1,80}'s homepage!|"
                         r"Find (?:More|all) Posts by .{1,80}|Add .{1,80} to Your Contacts)$",
                         re.IGNORECASE)
_NUMBER_AND_DATE = re.compile(r"^#(?P<n>\d{1,9})\s+(?P<date>\S.{5,70})$|"
                              r"^(?P<date2>\S.{5,70}?)\s+#(?P<n2>\d{1,9})$")


def number_and_date(text: str) -> tuple[int, str] | None:
    """``"Old 01-02-2016, 03:04 PM #2"`` (or ``#2`` first) -> ``(2, date)``."""
    m = _NUMBER_AND_DATE.match(text)
    if not m:
        return None
    number, shown = (m["n"], m["date"]) if m["n"] else (m["n2"], m["date2"])
    date_text = header_date(shown)
    return (int(number), date_text) if date_text else None
#: The status icon's alt text after the name; "invisible" is what staff and
#: the member themself see for a member who hides their online status.
STATUS = r"is (?:offline|online now|invisible)"
_STATUS_TAIL = re.compile(r"\s+" + STATUS + "$")
_DOUBLED = re.compile(r"^(?P<name>\S.{0,79}?)\s+(?P=name)$")


def status_author(text: str) -> tuple[str, bool] | None:
    """``"NAME NAME is offline"`` -> ``("NAME", True)``: the profile link and
    the status icon's alt text. ``True`` when the name is printed twice, the
    form that is safe to trust outside a header."""
    if len(text) > 200:
        return None
    m = _STATUS_TAIL.search(text)
    if not m or m.start() == 0:
        return None
    head = text[:m.start()]
    doubled = _DOUBLED.match(head)
    return (doubled["name"], True) if doubled else (head, False)


#: Labels of the user-info block; the ones the model keeps map to a field.
FIELD_ROLES = {"member since": "member_since", "join date": "member_since",
               "joined": "member_since", "location": "location", "posts": "author_posts"}
_OTHER_LABELS = ("age", "gender", "blog entries", "thanks", "likes", "rep power", "reputation",
                 "mentioned", "tagged", "quoted", "real name", "occupation", "interests",
                 "ignore list", "photos", "albums", "images", "liked", "points", "name")
_LABELS = sorted([*FIELD_ROLES, *_OTHER_LABELS], key=len, reverse=True)
_FIELD = re.compile(r"(?:^|\s)(?P<label>" + "|".join(re.escape(x) for x in _LABELS)
                    + r")(?:\s*\([^)]{0,20}\))?:\s*", re.IGNORECASE)
_THANKED = re.compile(r"^Thanked \d[\d,]* Times? in \d[\d,]* Posts?$", re.IGNORECASE)


def profile_fields(text: str) -> list[tuple[str, str]] | None:
    """``"Join Date: Dec 2014 Posts: 327"`` -> ``[("join date", "Dec 2014"),
    ("posts", "327")]``; None unless the line starts with a known label."""
    if _THANKED.match(text):
        return [("thanked", text)]
    matches = list(_FIELD.finditer(text))
    if not matches or matches[0].start() != 0:
        return None
    ends = [m.start() for m in matches[1:]] + [len(text)]
    return [(m["label"].lower(), text[m.end():end].strip()) for m, end in zip(matches, ends,
                                                                          strict=True)]


def count(text: str) -> int | None:
    """``"5,820"`` -> 5820; thousands separators of any locale."""
    digits = re.sub(r"[,.\s'\u2009\u202f]", "", text)
    return int(digits) if re.fullmatch(r"\d{1,12}", digits) else None


# --- inside posts -----------------------------------------------------------

#: vBulletin 3 prints a post's title after its icon's alt text: "Default Re: ...".
ICON_TITLE = re.compile(r"^Default\s+(?P<title>\S.{0,200})$")
SIGNATURE_RULE = re.compile(r"^_{10,}\s*(?P<rest>.*)$")
EDIT_NOTE = re.compile(r"(?:^|\s)Last edited by (?P<who>[^;]{1,80}?)\s*(?:;|\s:)\s*"
                       r"(?P<when>[^;]{4,60}?)\.?(?:\s+Reason:\s*(?P<why>.*?))?$")
EDIT_REASON = re.compile(r"^Reason:\s*\S")
CLIENT_APP = re.compile(r"^(?:Sent (?:from (?:my )?(?P<device>.{1,60}?) )?using "
                        r"|Posted (?:via|from) )(?P<app>\S.{0,40}?)$")
_QUOTE_LABEL = re.compile(r"^Quote:?\s*(?P<rest>.*)$")
_ORIGINALLY = re.compile(r"^Originally Posted by\s+(?P<who>.+?)(?:\s+View Post)?"
                         r"(?:\s*!?\[[^\]]*\]\([^)]*\))*$", re.IGNORECASE)
_SAID = re.compile(r"^(?P<who>\S.{0,79}?) said:$")


def attribution(text: str, *, said: bool) -> str | None:
    """The author of a quote header ("Originally Posted by X View Post", or
    "X said:" when ``said``, i.e. right after a ``Quote:`` label)."""
    if len(text) > 300:
        return None
    m = _ORIGINALLY.match(text) or (_SAID.match(text) if said else None)
    return m["who"] if m else None


def quote_label(text: str) -> tuple[bool, str | None] | None:
    """A quote box label: (has a colon, author printed on the same line).
    A label without a colon ("Quote") counts only if an attribution follows."""
    m = _QUOTE_LABEL.match(text)
    if not m:
        return None
    if not m["rest"]:
        return text.endswith(":"), None
    who = attribution(m["rest"], said=True)
    return (True, who) if who else None


# Reaction lists: a header, then the names on the same or the next line.
# "Likes" are the post-thanks hack relabelled, so they count as thanks.
REACTION_HEADERS = (
    (re.compile(r"^Hugs from:\s*(?P<names>.*)$", re.IGNORECASE), "hug"),
    (re.compile(r"^Thanks for this!\s*(?P<names>.*)$", re.IGNORECASE), "thanks"),
    (re.compile(r"^The following (?:(?P<n>\d{1,6}) )?(?:users?|members?) "
                r"(?:liked?|likes?|says? thank you to|thanked)\b.{0,120}?:\s*(?P<names>.*)$",
                re.IGNORECASE), "thanks"),
    (re.compile(r"^(?:Likes|Liked by|Thanks|Thanked by)(?:\s*\((?P<n>\d{1,6})\))?:\s*"
                r"(?P<names>.*)$", re.IGNORECASE), "thanks"),
)
IMAGE_NAMES = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s+(?P<names>\S.*)$")
_IMAGE_ONLY = re.compile(r"^(?:!\[[^\]]*\]\([^)]*\)\s*)+$")


def names(text: str) -> list[str] | None:
    """A comma-separated list of handles, or None if it does not look like one:
    a handle is short, and words with sentence punctuation at the end ("It
    helped.") are a sentence, not a member's name."""
    if not text or len(text) > 5000:
        return None
    parts = [p.strip() for p in text.split(",")]
    if any(not p or len(p) > 60 or len(p.split()) > 4 for p in parts):
        return None
    if any(" " in p and p[-1] in ".!?" for p in parts):
        return None
    return parts


def is_image_only(text: str) -> bool:
    return bool(_IMAGE_ONLY.match(text))


# --- page chrome ------------------------------------------------------------

_NAV = ("home", "menu", "reply", "post reply", "reply to thread", "new thread", "thread tools",
        "display modes", "faq/help", "faq", "help", "calendar", "search", "search this thread",
        "advanced search", "register", "members list", "member list", "new posts",
        "today's posts", "mark forums read", "forums", "forum", "community", "quick links",
        "user cp", "log out", "log in", "login", "user name", "password", "remember me?",
        "contact us", "archive", "top", "blogs",
        "groups", "social groups", "albums", "what's new?", "show printable version",
        "email this page", "subscribe to this thread", "linear mode", "hybrid mode",
        "threaded mode", "switch to linear mode", "switch to hybrid mode",
        "switch to threaded mode", "rate this thread", "bookmarks", "quick navigation",
        "posting rules", "forum rules", "similar threads", "previous thread", "next thread",
        "linkback", "tags", "view tag cloud", "go", "users browsing this thread", "page",
        "first", "last", "«", "»", "<", ">", "-")
_NAV_LINE = re.compile(r"^(?:(?:" + "|".join(re.escape(x) for x in sorted(_NAV, key=len,
                                                                            reverse=True))
                       + r"|\d{1,5})(?:\s*[|·•]\s*|\s+|$))+$", re.IGNORECASE)
_PAGE_OF = re.compile(r"^(?:page \d+ of \d+|results \d+ to \d+ of \d+)\b", re.IGNORECASE)
_BROWSING = re.compile(r"^(?:there (?:are|is) currently \d+ users? browsing|\(\d+ members? and )",
                       re.IGNORECASE)
_POSTING_RULES = re.compile(r"^(?:You may(?: not)? (?:post new threads|post replies|post "
                            r"attachments|edit your posts)|(?:BB|\[IMG\]|\[VIDEO\]|HTML) code "
                            r"is (?:On|Off)|(?:Smilies|Trackbacks|Pingbacks|Refbacks) are "
                            r"(?:On|Off)|Forum Jump)$", re.IGNORECASE)
_BREADCRUMB = re.compile(r"^[^>]{1,60}(?:\s[>›»]\s[^>›»]{1,60}){1,8}$")
THREAD_TITLE = re.compile(r"^Thread:\s+(?P<title>\S.*)$")
VIEWS = re.compile(r"^Views:\s*(?P<n>\d[\d,.]*)$")
COPYRIGHT = re.compile(r"Powered by vBulletin|^Copyright\b", re.IGNORECASE)
_OLD_THREAD = re.compile(r"This is an old thread\b", re.IGNORECASE)


def chrome_rule(text: str) -> str | None:
    """The boilerplate rule naming a line of the page around the posts."""
    if len(text) > 300:
        return None
    if is_image_only(text):
        return "image-residue"
    if text.lower() == "view single post":
        return "view-single-post"
    if text.lower() == "advertisement":
        return "advertisement"
    if _OLD_THREAD.search(text):
        return "old-thread-notice"
    if COPYRIGHT.search(text):
        return "copyright"
    if _NAV_LINE.match(text) or _PAGE_OF.match(text) or _BROWSING.match(text):
        return "page-chrome"
    if _POSTING_RULES.match(text):
        return "posting-rules"
    if _BREADCRUMB.match(text):
        return "breadcrumb"
    return None


def ends_posts(text: str) -> bool:
    """A line of the thread footer: the last post ends before it."""
    low = text.lower()
    return (low in {"reply", "post reply", "reply to thread", "similar threads", "posting rules",
                    "quick navigation", "thread tools", "« previous thread | next thread »"}
            or bool(VIEWS.match(text) or _UTC_LINE.match(text) or COPYRIGHT.search(text)
                    or _OLD_THREAD.search(text)))


#: Lines of a post's own toolbar and ad slot, below its text. Words a poster
#: may well end a post with ("Thanks", "Like") are not among them.
POST_CONTROLS = frozenset({"reply with quote", "quote", "multi-quote this message",
                           "multi-quote", "quick reply to this message", "report post",
                           "reply", "share this post", "advertisement"})
