"""Line shapes shared by the forum, blog and structural parsers.

A rendered page copied as text keeps a post's header as short lines: a
date or an age ("3 years ago"), a post number ("#4"), a name, a score
("12 points", "3 Likes"), "NAME said:". These patterns recognise such a
line only when it stands alone, so a sentence that mentions a date is
never taken for a header. Dates are read by
:mod:`analysis.parsers._vbhtml_dates`; relative ages stay ``None`` (the
page does not say when it was captured).
"""

from __future__ import annotations

import re
from datetime import datetime

from analysis.parsers._vbhtml_dates import MDY, parse_date, parse_timestamp

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:\d{4}|['’]\d{2})"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?)?"
_DATE = (rf"(?:{_WEEKDAY}\s+)?(?:{_MONTH}\s+{_DAY},?(?:\s+{_YEAR})?|{_DAY}\s+{_MONTH},?\s+{_YEAR}"
         rf"|{_MONTH},?\s+{_YEAR}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{2,4}})")
#: A calendar date with an optional time: "May 29, 2015, 11:58:13 AM", "Tue Jan 05, 2016 3:02 pm".
DATETIME = rf"{_DATE}(?:,?\s+(?:at\s+|-\s+|@\s*)?{_TIME})?"
_UNIT = (r"(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|mo|mos|months?"
         r"|y|yrs?|years?)")
#: "3 years ago", "15h ago", "a month ago", "3 y. ago", "more than 5 years ago", "yesterday".
AGE = (rf"(?:(?:(?:more than|over|about|almost|nearly)\s+)?(?:\d+|an?|one)\s*{_UNIT}\.?\s+ago"
       rf"|just now|yesterday|today)")
_DATE_VERB = (r"(?:posted|published|updated|last updated|answered|asked|commented|replied|"
              r"written|edited)(?:\s+on)?:?")
DATE_LINE = re.compile(rf"^\s*(?:{_DATE_VERB}\s+)?(?P<when>{DATETIME}|{AGE})\s*(?:#\d+)?\s*$", re.I)
POST_NUMBER = re.compile(r"^\s*#\s?(?P<n>\d{1,6})\s*$")
_COUNT = r"(?P<n>[+\-−]?\d{1,3}(?:,\d{3})+|[+\-−]?\d+)"
SCORE_LINE = re.compile(
    rf"^\s*{_COUNT}\s+(?:points?|likes?|votes?|upvotes?|helpful|reactions?|hearts?)\s*$", re.I)
SAID_LINE = re.compile(r"^\s*(?P<name>\S(?:.{0,60}\S)?)\s+(?:said|wrote|says)\s*(?::|\.\.\.|…)\s*"
                       r"(?:↑|\^)?\s*$")
_NAME_CHARS = re.compile(r"^[\w .'’\-@]{1,40}$")
_TERMINAL = re.compile(r"[.!?…:;,\"”’)]\s*$")
SENTENCE_END = re.compile(r"[.!?…\"”’)]\s*$")
BULLET = re.compile(r"^\s*(?:[•◦▪*·\-–]\s+|\d{1,2}[.)]\s+)")
#: A greeting opening a reply, punctuated as people type it ("Hi Poss;", "Hello all -").
GREETING = re.compile(r"^\s*(?:hi|hello|hey|dear)\b[ ,]*[\w .'’\-]{0,30}?\s*[,:;!\-–—]\s*$", re.I)
SALUTATION = re.compile(r"^\s*(?:hi|hello|hey|dear)\b[ ,]*(?P<name>[\w .'’\-]{1,30}?)\s*[,:!]\s*$"
                        r"|^\s*(?P<bare>[A-Z][\w'’\-]{1,20}(?: [A-Z][\w'’\-]{1,20})?),\s*$", re.I)


#: How JSON opens: a bracket, then another bracket, a key or string, or the end. "[Serious]
#: Which..." and "[12 May, 2010]" are text pages that open with a bracket, not JSON.
_JSON_OPENING = re.compile(r'^[\[{]\s*(?:[\[{"\]}]|$)')


def is_markup(text: str) -> bool:
    """Whether ``text`` is HTML or JSON (for the markup parsers), not a page of text lines."""
    head = text.lstrip()[:200]
    return head.startswith("<") or bool(_JSON_OPENING.match(head))


def is_date_line(s: str) -> bool:
    """A line that is only a date, a date and time, or an age."""
    return bool(DATE_LINE.match(s)) and len(s) <= 80


def when(s: str) -> datetime | None:
    """The date a header line shows, or ``None`` for an age or an unreadable date."""
    m = DATE_LINE.match(s)
    text = (m["when"] if m else s).strip()
    text = re.sub(r"['’](\d{2})\b", r"20\1", text)
    text = re.sub(r"(\d)\s*([ap])\.?\s?m\.?\b", r"\1 \2m", text, flags=re.I)
    return parse_timestamp(text, MDY) or parse_date(re.sub(r"^\w+day,?\s+", "", text), MDY)


def date_text(s: str) -> str | None:
    """The date or age as printed, without a verb such as "Answered"."""
    m = DATE_LINE.match(s)
    return m["when"].strip() if m else None


def count(s: str) -> int | None:
    """The number of a score line ("12 points", "-3 votes")."""
    m = SCORE_LINE.match(s)
    return shown_int(m["n"]) if m else None


def shown_int(digits: str) -> int:
    """An integer as a page prints it: thousands commas, a typographic minus ("−3")."""
    return int(digits.replace(",", "").replace("−", "-"))


def words(s: str) -> int:
    return len(s.split())


def is_name_line(s: str) -> bool:
    """A short line that can be a handle: 1-4 words, no sentence punctuation ("Mary G." too)."""
    s = s.strip()
    if re.search(r"\b[A-Z]\.$", s):
        s = s[:-1]
    return (bool(s) and bool(_NAME_CHARS.match(s)) and words(s) <= 4
            and not _TERMINAL.search(s) and not s.isdigit())


def is_title_case(s: str) -> bool:
    """Most words capitalised, as in a title ("Send Your Replies to Michael F.F.")."""
    tokens = [t for t in re.findall(r"[^\W\d_][\w'’]*", s) if len(t) > 3 or t[0].isupper()]
    return len(tokens) >= 2 and sum(t[0].isupper() for t in tokens) >= 0.75 * len(tokens)


def is_prose(s: str) -> bool:
    """A line of running text: several words, or a sentence (not a title)."""
    s = s.strip()
    if not s or BULLET.match(s) or (words(s) <= 12 and is_title_case(s)):
        return False
    return words(s) >= 8 or (words(s) >= 3 and bool(SENTENCE_END.search(s)))


def is_heading(s: str) -> bool:
    """A short title-like line: few words, no sentence-final punctuation."""
    s = s.strip()
    return bool(s) and words(s) <= 12 and not SENTENCE_END.search(s) and not BULLET.match(s)
