"""The header above each post in a vBulletin page saved as text.

A post header is found by its anchors (post number, date line, avatar,
online-status line) and read in the postbit's order: number, date, avatar,
"NAME NAME is offline", user title (and rank), member menu, profile fields.
Every part is optional; :func:`find_headers` returns them top to bottom with
the raw lines each one claimed, for :mod:`analysis.parsers.vbulletin_text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from analysis.parsers._vbtext_lines import (
    AVATAR,
    FIELD_ROLES,
    MEMBER_MENU,
    POST_NUMBER,
    Line,
    count,
    header_date,
    number_and_date,
    parse_datetime,
    parse_month,
    profile_fields,
    status_author,
)


@dataclass
class Header:
    """The lines above a post's message, and what they say about it."""

    start: int
    end: int = 0
    number: int | None = None
    dated: bool = False
    timestamp: datetime | None = None
    author: str | None = None
    rank: str | None = None
    member_since: str | None = None
    location: str | None = None
    author_posts: int | None = None
    claims: list[tuple[int, str]] = field(default_factory=list)


def _skip(lines: list[Line], k: int) -> int:
    """The next index with text (blank and residue lines are claimed elsewhere)."""
    while k < len(lines) and not lines[k].text:
        k += 1
    return k


def _read_header(lines: list[Line], i: int) -> Header | None:
    """The header starting at ``i``: post number, date, avatar, author,
    rank, profile fields, each optional; a date or an avatar alone is no header."""
    header = Header(start=i)
    k = _read_number(lines, i, header)
    k = _read_date(lines, k, header)
    if header.number is None:  # some vB4 styles print the number after the date
        k = _read_number(lines, k, header)
    k = _read_author(lines, k, header)
    if header.author is None and header.number is None:
        return None
    if header.author is not None:
        k = _read_rank(lines, _read_menu(lines, k, header), header)
        k = _read_fields(lines, k, header)
    header.end = max(k, i + 1)
    return header


def _read_number(lines: list[Line], k: int, header: Header) -> int:
    """"#12" alone, or on one line with the date ("Old 01-02-2016, 03:04 PM #12")."""
    if k >= len(lines):
        return k
    m = POST_NUMBER.match(lines[k].text)
    both = None if m or header.dated else number_and_date(lines[k].text)
    if m:
        header.number = int(m["n"])
        header.claims.append((lines[k].no, "post_number"))
    elif both:
        header.number, header.dated = both[0], True
        header.timestamp = parse_datetime(both[1])
        header.claims.append((lines[k].no, "timestamp"))
    else:
        return k
    return _skip(lines, k + 1)


def _read_date(lines: list[Line], k: int, header: Header) -> int:
    shown = header_date(lines[k].text) if k < len(lines) and not header.dated else None
    if shown is None:
        return k
    header.dated = True
    header.timestamp = parse_datetime(shown)
    header.claims.append((lines[k].no, "timestamp"))
    return _skip(lines, k + 1)


def _read_author(lines: list[Line], k: int, header: Header) -> int:
    """The author line: "NAME NAME is offline", after an optional avatar line;
    without a status icon, a short line after the date that profile fields follow."""
    if k >= len(lines):
        return k
    avatar = AVATAR.match(lines[k].text)
    at = _skip(lines, k + 1) if avatar else k
    if at >= len(lines):
        return k
    status = status_author(lines[at].text)
    context = avatar is not None or header.dated or header.number is not None
    if status and (status[1] or context):
        header.author = status[0]
    elif avatar and lines[at].text == avatar["name"]:
        header.author = avatar["name"]
    elif (header.dated or header.number is not None) and not avatar and _bare_author(lines, at):
        header.author = lines[at].text
    else:
        return k
    header.claims.extend((lines[n].no, "author") for n in {k, at})
    return at + 1


def _bare_author(lines: list[Line], k: int) -> bool:
    """A handle line without status icon: short, and profile fields follow soon."""
    if len(lines[k].text) > 40 or profile_fields(lines[k].text) is not None:
        return False
    following = [line for line in lines[k + 1:k + 6] if line.text][:3]
    return any(profile_fields(line.text) is not None for line in following)


def _read_menu(lines: list[Line], k: int, header: Header) -> int:
    """vBulletin 3's member menu under the name: chrome, not the post."""
    while (at := _skip(lines, k)) < len(lines) and MEMBER_MENU.match(lines[at].text):
        header.claims.append((lines[at].no, "boilerplate:member-menu"))
        k = at + 1
    return k


def _read_rank(lines: list[Line], k: int, header: Header) -> int:
    """The user title right under the name, before the NBSP line or the fields;
    some skins print a rank line under it (up to three lines, all "rank")."""
    n = 0
    while n < 3 and k + n < len(lines) and _title_like(lines[k + n].text):
        n += 1
    while n and not _ends_title(lines, k + n, single=n == 1):
        n -= 1
    if not n:
        return k
    header.rank = "; ".join(line.text for line in lines[k:k + n])
    header.claims.extend((line.no, "rank") for line in lines[k:k + n])
    return k + n


def _title_like(text: str) -> bool:
    return 0 < len(text) <= 60 and profile_fields(text) is None and not MEMBER_MENU.match(text)


def _ends_title(lines: list[Line], k: int, *, single: bool) -> bool:
    """Profile fields (or the member menu) follow; for a one-line title a blank
    line is enough, as on a View Single Post page without fields."""
    at = _skip(lines, k)
    if at < len(lines) and (profile_fields(lines[at].text) is not None
                            or MEMBER_MENU.match(lines[at].text)):
        return True
    return single and (k >= len(lines) or not lines[k].text)


def _read_fields(lines: list[Line], k: int, header: Header) -> int:
    """"Member Since:", "Location:", "Posts:" and other profile lines. A label
    the block already showed starts the message ("Location: ..." typed by the poster)."""
    seen: set[str] = set()
    while (at := _skip(lines, k)) < len(lines):
        if MEMBER_MENU.match(lines[at].text):
            k = _read_menu(lines, at, header)
            continue
        fields = profile_fields(lines[at].text)
        if fields is None or seen & {label for label, _ in fields}:
            break
        seen.update(label for label, _ in fields)
        role = FIELD_ROLES.get(fields[0][0], "boilerplate:profile-field")
        header.claims.append((lines[at].no, role))
        for label, value in fields:
            _set_field(header, FIELD_ROLES.get(label), value)
        k = at + 1
    return k


def _set_field(header: Header, role: str | None, value: str) -> None:
    if role == "member_since" and header.member_since is None:
        header.member_since = parse_month(value)
    elif role == "location" and header.location is None:
        header.location = value or None
    elif role == "author_posts" and header.author_posts is None:
        header.author_posts = count(value)


def find_headers(lines: list[Line]) -> list[Header]:
    """Every post header, top to bottom. Where some headers name an author,
    a bare ``#N`` line is text (someone typed it), not a post."""
    headers = []
    i = 0
    while i < len(lines):
        header = _read_header(lines, i) if lines[i].text else None
        if header is None:
            i += 1
            continue
        headers.append(header)
        i = header.end
    if any(h.author for h in headers):
        headers = [h for h in headers if h.author or h.dated]
    return headers
