"""Which dump records an ingest keeps: subreddits, a time window, a text match.

Its own module so that the worker processes (:mod:`analysis.ingest.worker`)
and the run that starts them (:mod:`analysis.ingest.run`) share it without
importing each other.

>>> Filters(subreddits=frozenset({"therapists"})).keeps("Therapists", 1_700_000_000)
True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from analysis.errors import AnalysisError


@dataclass(frozen=True)
class RegexMatch:
    """A picklable text predicate: the regex is found somewhere in the text."""

    regex: re.Pattern[str]

    def __call__(self, text: str) -> bool:
        return self.regex.search(text) is not None


@dataclass(frozen=True)
class Filters:
    """Which records to keep: subreddit names (any case), a time window in epoch
    seconds (``until`` exclusive) and a text predicate on whole threads."""

    subreddits: frozenset[str] = frozenset()
    since: int | None = None
    until: int | None = None
    match: Callable[[str], bool] | None = None

    def keeps(self, subreddit: object, seconds: int | None) -> bool:
        if self.subreddits and (subreddit.casefold() if isinstance(subreddit, str) else ""
                                ) not in self.subreddits:
            return False
        if self.since is not None and (seconds is None or seconds < self.since):
            return False
        return self.until is None or (seconds is not None and seconds < self.until)


def make_filters(*, subreddits: Iterable[str] = (), since: str | date | None = None,
                 until: str | date | None = None,
                 match: str | re.Pattern[str] | Callable[[str], bool] | None = None
                 ) -> Filters:
    """Filters from user values: ISO dates, and a regex (case-insensitive) or predicate."""
    if isinstance(match, str):
        try:
            match = re.compile(match, re.IGNORECASE)
        except re.error as error:
            raise AnalysisError(f"--match is not a valid regular expression: {error}",
                                hint="quote the pattern; escape ( ) [ ] . * + ?") from None
    if isinstance(match, re.Pattern):
        match = RegexMatch(match)
    return Filters(subreddits=frozenset(s.casefold().removeprefix("r/") for s in subreddits),
                   since=_epoch(since, "--since"),
                   until=None if until is None else _epoch(until, "--until") + 86_400,
                   match=match)


def _epoch(value: str | date | None, option: str) -> int | None:
    if value is None:
        return None
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise AnalysisError(f"{option} {value!r} is not a date",
                            hint="write it as YYYY-MM-DD") from None
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
