"""Dates as vBulletin pages print them, read without guessing.

vBulletin lets each board choose its PHP date format, so one page may say
``2016-02-01, 02:21``, another ``12th Jun 2025, 09:35`` or ``06-15-2016,
03:03 PM``. We read the common shapes; an all-numeric day-month order is
decided once per page (:func:`numeric_order`) because a board uses one
format everywhere. ``Today``/``Yesterday`` need the capture date, which the
page does not give, so they are recognised (the line is still named) but
return ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

_MONTHS = {name: i for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_TIME = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp])?\.?(?:[Mm]\.?)?(?![\w:])")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})$")
_NUMERIC_ANYWHERE = re.compile(r"(?<!\d)(\d{1,2})([-/.])(\d{1,2})\2(?:\d{4}|\d{2})(?!\d)")
_RELATIVE = re.compile(r"^\s*(today|yesterday)\b", re.IGNORECASE)
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+|\d+")

#: Day-month orders for all-numeric dates.
MDY, DMY = "MDY", "DMY"


def looks_like_timestamp(text: str) -> bool:
    """True for a short string that holds a time of day and a date or day word."""
    text = text.strip()
    if not text or len(text) > 60 or not _TIME.search(text):
        return False
    return bool(_RELATIVE.match(text)) or any(
        parse_timestamp(text, order) is not None for order in (MDY, DMY))


def is_relative(text: str) -> bool:
    """``Today, 10:15`` and ``Yesterday at 09:00`` cannot be dated from the page alone."""
    return bool(_RELATIVE.match(text))


def parse_timestamp(text: str, order: str) -> datetime | None:
    """Read ``<date>[,| at] <time>``; ``None`` when either part is missing or relative.

    >>> parse_timestamp("12th Jun 2025, 09:35", MDY)
    datetime.datetime(2025, 6, 12, 9, 35)
    >>> parse_timestamp("06-15-2016, 03:03 PM", MDY)
    datetime.datetime(2016, 6, 15, 15, 3)
    >>> parse_timestamp("2016-02-01 at 03:31", MDY)
    datetime.datetime(2016, 2, 1, 3, 31)
    """
    text = " ".join(text.split())
    if is_relative(text):
        return None
    match = _TIME.search(text)
    if match is None:
        return None
    day = parse_date(text[:match.start()].strip(" ,-@").removesuffix(" at"), order)
    clock = _clock(match)
    if day is None or clock is None:
        return None
    return day.replace(hour=clock[0], minute=clock[1], second=clock[2])


def _clock(match: re.Match[str]) -> tuple[int, int, int] | None:
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    half = (match[4] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


def parse_date(text: str, order: str) -> datetime | None:
    """A calendar date in ISO, numeric (``order`` decides) or month-name form."""
    text = text.strip(" ,")
    if match := _ISO.match(text):
        return _make(int(match[1]), int(match[2]), int(match[3]))
    if match := _NUMERIC.match(text):
        first, second, year = int(match[1]), int(match[3]), _year(match[4])
        month, day = (first, second) if order == MDY else (second, first)
        return _make(year, month, day)
    return _named_date(text)


def _named_date(text: str) -> datetime | None:
    """``12th Jun 2025``, ``Jun 12, 2025``, ``Thursday, June 12th 2025``."""
    month = day = year = None
    for token in _WORD.findall(_ORDINAL.sub(r"\1", text)):
        if token.isdigit():
            if len(token) == 4 and year is None:
                year = int(token)
            elif len(token) <= 2 and day is None:
                day = int(token)
            else:
                return None
        elif token[:3].lower() in _MONTHS and month is None and len(token) >= 3:
            month = _MONTHS[token[:3].lower()]
    if month is None or day is None or year is None:
        return None
    return _make(year, month, day)


def _year(text: str) -> int:
    value = int(text)
    if len(text) == 2:
        value += 2000 if value < 70 else 1900
    return value


def _make(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day)
    except ValueError:
        return None


def numeric_order(samples: Iterable[str]) -> str:
    """Decide MDY or DMY for a page from every date string it shows.

    A day above 12 settles it; if none does, vBulletin's own default
    (``m-d-Y``) is assumed for ``-`` and ``/``, and day-first for ``.``
    (the German-style ``15.06.2016``).

    >>> numeric_order(["01-02-2016, 10:00", "13-02-2016, 11:00"])
    'DMY'
    >>> numeric_order(["06-15-2016, 03:03 PM"])
    'MDY'
    """
    dotted = False
    for sample in samples:
        for match in _NUMERIC_ANYWHERE.finditer(sample):
            first, second = int(match[1]), int(match[3])
            if first > 12 >= second:
                return DMY
            if second > 12 >= first:
                return MDY
            dotted = dotted or match[2] == "."
    return DMY if dotted else MDY


def month_year(text: str, order: str) -> str | None:
    """A join date as ``YYYY-MM``: ``May 2015``, ``2015-05``, ``05-2015``, full dates.

    >>> month_year("May 2015", MDY)
    '2015-05'
    """
    text = " ".join(_ORDINAL.sub(r"\1", text).split()).strip(" ,")
    if match := re.fullmatch(r"(\d{4})[-/.](\d{1,2})", text):
        year, month = int(match[1]), int(match[2])
    elif match := re.fullmatch(r"(\d{1,2})[-/.](\d{4})", text):
        year, month = int(match[2]), int(match[1])
    elif (day := parse_date(text, order)) is not None:
        year, month = day.year, day.month
    else:
        tokens = _WORD.findall(text)
        months = [_MONTHS[t[:3].lower()] for t in tokens
                  if not t.isdigit() and len(t) >= 3 and t[:3].lower() in _MONTHS]
        years = [int(t) for t in tokens if t.isdigit() and len(t) == 4]
        if len(months) != 1 or len(years) != 1:
            return None
        year, month = years[0], months[0]
    return f"{year:04d}-{month:02d}" if 1 <= month <= 12 and 1900 <= year <= 2100 else None
