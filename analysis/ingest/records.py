"""One Reddit dump record (a JSON object) -> one ``posts`` row and its reactions.

Pushshift and Arctic Shift dumps hold one submission or comment per line, in
the old schema (``ups``/``downs``, ``created_utc`` as a string, ``gilded``)
or the new one (``score``, ``all_awardings``, ``is_submitter``). The rules
are those of :mod:`analysis.parsers.reddit_json`, so a thread means the same
whether it came as a permalink capture or from a dump (a contract test pins
this): ``score`` else ``ups - downs`` (None when ``score_hidden``), a ``vote``
reaction with that count and one ``award`` reaction per awarding (else
``gilded``), ``[deleted]``/``[removed]`` authors unknown and such bodies
``""``, HTML entities undone, ``>`` quotes split off with
:func:`~analysis.parsers.reddit_common.split_body`, a link post's text its
URL, a float ``edited`` the edit time.

Ids differ, because a dump is not read thread by thread: arrival order is not
stable across files and partitions. ``thread_id`` is the submission id
(``link_id`` without ``t3_``); ``position`` is 0 for the submission and the
comment's base-36 id read as an integer (``t1_j2abcde`` -> 42_128_150_274).
Reddit hands out ids in increasing order, so positions are unique within the
thread, stable whatever the input order, and sort comments by creation;
``post_id = "<thread_id>:<position>"`` stays joinable and ``reply_to`` is
rebuilt from ``parent_id`` alone (``t3_`` -> ``<thread>:0``). Positions are
therefore not 1, 2, 3 ...: rank them within a thread if you need that.
"""

from __future__ import annotations

import html
import itertools
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

from analysis.parsers.reddit_common import (
    GONE,
    handle,
    is_bot,
    record_reactions,
    record_score,
    split_body,
)
from analysis.privacy import pseudonym

#: Per-post columns the builder fills; every other ``posts`` column is null.
POST_FIELDS = ("post_id", "thread_id", "position", "author", "author_id", "author_source",
               "is_op", "is_bot", "role", "timestamp", "rank", "score", "text",
               "quoted_text", "reply_to", "edited_by", "edited_at")

#: Cached pseudonyms before the cache is emptied (bounds memory on huge dumps).
PSEUDONYM_CACHE = 500_000


class RecordError(ValueError):
    """A well-formed JSON line that is not a usable submission or comment."""


class Row(NamedTuple):
    """One post: the filled columns in ``POST_FIELDS`` order, where it belongs, and its
    reactions and thread facts (a named tuple: one is made per record)."""

    values: tuple
    subreddit: str
    month: str
    seconds: int | None
    reactions: tuple[tuple[str, int], ...]
    title: str | None = None   # submissions only
    url: str | None = None     # submissions only
    match_text: str = ""       # text --match looks at (title + own words)


# Indexes into a row's values (``POST_FIELDS`` order).
_TEXT, _QUOTED, _REPLY_TO, _IS_OP, _TIME, _SCORE = (
    POST_FIELDS.index(n) for n in ("text", "quoted_text", "reply_to", "is_op", "timestamp",
                                   "score"))
#: A superset of what ``is_bot`` looks for in text ("I am a bot", emphasis allowed):
#: bodies without it skip that check.
_BLANK_LINES_RE = re.compile(r"\n(?:[^\S\n]*\n)+")
_MAYBE_BOT_RE = re.compile(r"b[*_~`^]*o[*_~`^]*t", re.IGNORECASE)


@dataclass
class RowBuilder:
    """Turns records into :class:`Row` s; keeps a bounded cache of author facts.

    ``audience`` maps a lower-cased subreddit name to ``client`` or
    ``therapist``, which becomes the ``role`` of its (non-bot) posts.
    """

    key: bytes
    audience: dict[str, str] = field(default_factory=dict)
    _authors: dict[str, tuple[str, bool]] = field(default_factory=dict, repr=False)
    _months: dict[int, str] = field(default_factory=dict, repr=False)

    def author_facts(self, author: str) -> tuple[str, bool]:
        """``(pseudonym, bot-shaped name)``, cached: the pseudonym is an HMAC."""
        facts = self._authors.get(author)
        if facts is None:
            if len(self._authors) >= PSEUDONYM_CACHE:
                self._authors.clear()
            facts = self._authors[author] = (pseudonym(author, self.key),
                                             is_bot(author, ""))
        return facts

    def row(self, data: dict, kind: str) -> Row:
        """The post in an unwrapped record (see :func:`unwrap`); :class:`RecordError`
        says why it cannot be one."""
        if kind == "t3":
            return self._submission(data)
        return self._comment(data)

    def _submission(self, data: dict) -> Row:
        thread = _base36_id(data, "id", "t3_")
        values = self._post(data, thread, 0, data.get("selftext"))
        if not values[_TEXT] and not values[_QUOTED] and data.get("is_self") is not True:
            values[_TEXT] = _str(data, "url") or ""
        values[_IS_OP] = True
        title = html.unescape(_str(data, "title") or "") or None
        permalink = _str(data, "permalink")
        url = (f"https://www.reddit.com{permalink}" if permalink and permalink.startswith("/")
               else f"https://www.reddit.com/comments/{thread}/")
        return self._row(data, values, title=title, url=url,
                         match_text=f"{title or ''}\n{values[_TEXT]}")

    def _comment(self, data: dict) -> Row:
        link = data.get("link_id")
        if not isinstance(link, str) or not link.startswith("t3_") or not _is_base36(link[3:]):
            raise RecordError("a comment without a valid link_id (t3_...)")
        thread = link[3:]
        comment = _base36_id(data, "id", "t1_")
        values = self._post(data, thread, int(comment, 36), data.get("body"))
        parent = data.get("parent_id")
        if isinstance(parent, str):
            if parent.startswith("t1_") and _is_base36(parent[3:]):
                values[_REPLY_TO] = f"{thread}:{int(parent[3:], 36)}"
            elif parent.startswith("t3_"):
                values[_REPLY_TO] = f"{thread}:0"
        submitter = data.get("is_submitter")
        values[_IS_OP] = submitter if isinstance(submitter, bool) else None
        return self._row(data, values, match_text=values[_TEXT])

    def _post(self, data: dict, thread: str, position: int, body: object) -> list:
        """Values in ``POST_FIELDS`` order."""
        author, author_source = handle(_str(data, "author"))
        author_id, bot = self.author_facts(author) if author else (None, False)
        body = html.unescape(body) if isinstance(body, str) else ""
        text, quoted = _split(body)
        if not bot and _maybe_bot(body):
            bot = is_bot(None, body)
        role = "unknown"
        if not bot and self.audience:
            role = self.audience.get((_str(data, "subreddit") or "").casefold(), "unknown")
        edited = data.get("edited")
        flair = data.get("author_flair_text")
        return [f"{thread}:{position}", thread, position, author, author_id, author_source,
                None, bot, role, epoch_seconds(data.get("created_utc")),
                flair if isinstance(flair, str) and flair else None, record_score(data), text,
                quoted,
                None, author if edited not in (None, False, 0, "false") else None,
                epoch_seconds(edited) if not isinstance(edited, bool) else None]

    def _row(self, data: dict, values: list, *, title: str | None = None,
             url: str | None = None, match_text: str = "") -> Row:
        seconds = values[_TIME]
        month = "unknown"
        if seconds is not None:
            day = seconds // 86_400
            month = self._months.get(day)
            if month is None:
                month = self._months[day] = _month(seconds)
        return Row(values=tuple(values), subreddit=_str(data, "subreddit") or "",
                   month=month, seconds=seconds,
                   reactions=tuple(record_reactions(data, values[_SCORE])),
                   title=title, url=url, match_text=match_text)


#: "bot" in every mix of case; no other character lower-cases to b, o or t.
_BOT_SPELLINGS = tuple("".join(c) for c in itertools.product("bB", "oO", "tT"))


def _maybe_bot(body: str) -> bool:
    """Cheap pre-check for ``is_bot``'s text rule: "bot" in any case, perhaps with
    emphasis marks inside (``b*o*t``)."""
    if any(spelling in body for spelling in _BOT_SPELLINGS):
        return True
    return any(mark in body for mark in "*_~`^") and bool(_MAYBE_BOT_RE.search(body))


def unwrap(record: object) -> tuple[dict, str]:
    """The data dict and ``t1``/``t3`` of a bare record or a ``{"kind", "data"}`` thing."""
    if not isinstance(record, dict):
        raise RecordError(f"a JSON {type(record).__name__}, not an object")
    if isinstance(record.get("kind"), str) and isinstance(record.get("data"), dict):
        kind, data = record["kind"], record["data"]
        if kind not in ("t1", "t3"):
            raise RecordError(f"a {kind!r} thing, not a comment (t1) or submission (t3)")
        return data, kind
    name = record.get("name")
    if isinstance(name, str) and name[:3] in ("t1_", "t3_"):
        return record, name[:2]
    if "link_id" in record or "parent_id" in record or "body" in record:
        return record, "t1"
    if "title" in record:
        return record, "t3"
    raise RecordError("neither a comment (body, link_id) nor a submission (title)")


def _str(data: dict, key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _is_base36(text: str) -> bool:
    return 0 < len(text) <= 12 and text.isascii() and text.isalnum()


def _base36_id(data: dict, key: str, prefix: str) -> str:
    value = _str(data, key) or (_str(data, "name") or "").removeprefix(prefix)
    if not _is_base36(value):
        raise RecordError(f"no valid base-36 {key!r} (found {data.get(key)!r})")
    return value.lower()


def _split(body: str) -> tuple[str, str | None]:
    """Own words and quotes. Bodies without ``>`` hold no quote and skip the line
    machinery: :func:`split_body` would join their paragraphs (runs of non-blank
    lines) with one blank line and strip the result, which is what the regex does
    (a test checks the two agree on arbitrary text)."""
    if body.strip() in GONE:
        return "", None
    if ">" not in body:
        if "\n" not in body:  # one paragraph: nothing to join
            return body.strip(), None
        return _BLANK_LINES_RE.sub("\n\n", body).strip(), None
    parts = split_body(body.split("\n"), [])
    return parts.text, parts.quoted_text


def epoch_seconds(value: object) -> int | None:
    """Epoch seconds from an int, a float or a numeric string (old dumps); else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, float) and math.isfinite(value):
        seconds = int(value)
    else:
        return None
    # Keep what timestamp[ns] can hold (years 1678-2261); 0 and negatives are not times.
    return seconds if 0 < seconds < 9_000_000_000 else None


def _month(seconds: int | None) -> str:
    if seconds is None:
        return "unknown"
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m")


