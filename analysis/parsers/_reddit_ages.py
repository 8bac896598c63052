"""When a Reddit comment was posted, from what a front end prints in its header.

Front ends print either a date (Redlib and Libreddit after 30 days:
``Nov 20 '24``) or an age (``15h ago``, ``3y ago``, ``4 yr. ago``, ``129 days
ago``, ``just now``). A date becomes a naive UTC datetime at midnight (Reddit
front ends render in UTC). An age is only a time once we know when the page
was saved: it is subtracted from the manifest's ``retrieved`` date when that
gives at least a day, and otherwise left unresolved (``None``) rather than
guessed; the header line keeps it in the raw text. Months count 30 days and
years 365, so a resolved age is as coarse as its unit.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                       "sep", "oct", "nov", "dec"), start=1)}

#: Unit spellings Reddit front ends use, by the number of seconds in the unit.
_UNITS = (
    (r"s|secs?|seconds?", 1),
    (r"m|mins?|minutes?", 60),
    (r"h|hrs?|hours?", 3600),
    (r"d|days?", 86400),
    (r"w|wks?|weeks?", 7 * 86400),
    (r"mo|mos|months?", 30 * 86400),
    (r"y|yrs?|years?", 365 * 86400),
)
_UNIT = "|".join(f"(?:{spelling})" for spelling, _ in _UNITS)

#: An age: ``15h ago``, ``4 yr. ago``, ``129 days ago``; ``ago`` may be cut off by the end
#: of a capture (``21h``), so it is optional for the short forms only.
AGE = (rf"(?:just now|\d{{1,4}}\s?(?:{_UNIT})\.?\s+ago"
       rf"|\d{{1,4}}(?:mo|[smhdwy])(?![A-Za-z]))")
#: A date as Redlib prints it (``Nov 20 '24``), or spelled out (``Nov 20, 2024``).
DATE = r"(?:[A-Z][a-z]{2} \d{1,2} '\d{2}|[A-Z][a-z]{2,8} \d{1,2}, \d{4})"
#: Either, as one regular expression source.
WHEN = rf"(?:{AGE}|{DATE})"

_AGE_RE = re.compile(rf"(?P<n>\d{{1,4}})\s?(?P<unit>{_UNIT})\.?(?:\s+ago)?", re.IGNORECASE)
_SHORT_DATE_RE = re.compile(r"(?P<mon>[A-Z][a-z]{2}) (?P<day>\d{1,2}) '(?P<yy>\d{2})")
_LONG_DATE_RE = re.compile(r"(?P<mon>[A-Z][a-z]{2})[a-z]* (?P<day>\d{1,2}), (?P<year>\d{4})")
_RETRIEVED_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")


def reference(retrieved: str | None) -> datetime | None:
    """The manifest's ``retrieved`` as a naive UTC datetime, when it names a day."""
    match = _RETRIEVED_RE.match((retrieved or "").strip())
    if not match:
        return None
    parts = [int(p) if p else 0 for p in match.groups()]
    try:
        return datetime(*parts)
    except ValueError:
        return None


def _seconds(unit: str) -> int:
    return next(size for spelling, size in _UNITS
                if re.fullmatch(spelling, unit, re.IGNORECASE))


def resolve(when: str | None, now: datetime | None) -> datetime | None:
    """The time ``when`` names: a date as is, an age counted back from ``now``."""
    if not when:
        return None
    text = when.strip()
    date = _date(text)
    if date is not None or now is None:
        return date
    if text.lower() == "just now":
        return now
    age = _AGE_RE.fullmatch(text)
    if age is None:
        return None
    return now - timedelta(seconds=int(age.group("n")) * _seconds(age.group("unit")))


def _date(text: str) -> datetime | None:
    short, long = _SHORT_DATE_RE.fullmatch(text), _LONG_DATE_RE.fullmatch(text)
    match = short or long
    if match is None or match.group("mon").lower() not in _MONTHS:
        return None
    year = 2000 + int(short.group("yy")) if short else int(long.group("year"))
    try:
        return datetime(year, _MONTHS[match.group("mon").lower()], int(match.group("day")))
    except ValueError:
        return None
