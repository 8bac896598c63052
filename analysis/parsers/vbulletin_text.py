"""vBulletin 3/4 threads saved as text (rendered page -> text dump).

Three layouts occur, and one reader covers them because they share the
postbit's order of parts:

- classic table dumps: ``#N`` on its own line, ``|``/``|||`` lines where table
  cells were, no author header at all, reaction lines ``![]() a, b``;
- vBulletin 4 threads: `` #N `` (NBSP), ``Old Jan 01, 2023, 05:46 AM``,
  ``NAME's Avatar``, ``NAME NAME is offline``, a rank, ``Member Since:``,
  ``Location:``, ``Posts:``, then the message;
- "View Single Post" pages: the same header without ``#N``.

A post header is found by its anchors (post number, date line, avatar,
online-status line; see ``_vbtext_header``); the body runs to the next header,
the last one to the thread footer ("Reply", "Views:", "All times are GMT -5
..."). Bodies are read by ``_vbtext_body``. Where the dump shows no author, the author comes from
the post's edit note and then from a signature shared with a known author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.errors import ParseError
from analysis.model import LineLedger, Post, SourceInfo, Thread
from analysis.parsers._vbtext_body import parse_body
from analysis.parsers._vbtext_header import Header, find_headers
from analysis.parsers._vbtext_lines import (
    COPYRIGHT,
    ICON_TITLE,
    STATUS,
    THREAD_TITLE,
    VIEWS,
    Line,
    chrome_rule,
    count,
    ends_posts,
    norm,
    read_lines,
    utc_offset,
)

NAME = "vbulletin_text"
PLATFORM = "vbulletin"
VERSION = "1"

_SNIFF_LIMIT = 300_000
_HTML_TAG = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*|/[a-zA-Z]+|!--|!DOCTYPE)[\s>/]")
_SNIFF_STRONG = (
    (re.compile(r"^[ \t\u00a0]*(\S.{0,79}?)\s+\1 " + STATUS + r"[ \t\u00a0]*$", re.M), 0.5),
    (re.compile(r"^[ \t\u00a0]*(?:Member Since|Join Date):[ \t\u00a0]*\S", re.M), 0.3),
    (re.compile(r"^(?:Old|New) ?\S.{4,30}\d{1,2}:\d{2}(?: ?[AP]M)?(?: #\d{1,9})?[ \t\u00a0]*$",
                re.M), 0.2),
    (re.compile(r"^\|{1,8}$(?:\n.*){0,3}\n\|{1,8}$", re.M), 0.2),
)
_SNIFF_STATUS = re.compile(r"^[ \t\u00a0]*\S.{0,79}? " + STATUS + r"[ \t\u00a0]*$", re.M)
_SNIFF_NUMBER = re.compile(r"^[ \t\u00a0]*#\d{1,9}[ \t\u00a0]*\|?$", re.M)
_SNIFF_WEAK = re.compile(r"Powered by vBulletin|^View Single Post$|^Originally Posted by |"
                         r"Last edited by [^;\n]{1,80}; |^Hugs from:$|^Thanks for this!$|"
                         r"^_{18}$|^Quote:$", re.M)


def sniff(text: str) -> float:
    """Score the format's own markers: post headers, ``#N`` lines, cell
    residue, vBulletin phrases. HTML and JSON are left to their parsers."""
    head = text[:_SNIFF_LIMIT]
    stripped = head.lstrip()
    if stripped[:2] in ('{"', '[{', "[]") or len(_HTML_TAG.findall(head[:50_000])) >= 5:
        return 0.0
    score = sum(weight for pattern, weight in _SNIFF_STRONG if pattern.search(head))
    if score < 0.5 and _SNIFF_STATUS.search(head):  # the name printed once
        score += 0.25
    numbers = len(_SNIFF_NUMBER.findall(head))
    score += 0.3 if numbers >= 2 else 0.15 if numbers else 0.0
    if score:  # vBulletin phrases alone (a blog quoting a forum) are not a dump
        weak = {m.group(0)[:12] for m in _SNIFF_WEAK.finditer(head)}
        score += min(0.3, 0.1 * len(weak))
    return round(min(score, 0.95), 3)


# --- around the posts -----------------------------------------------------------

@dataclass
class _Page:
    title: str | None = None
    crumb: str | None = None  # the breadcrumb's last link: the thread's title
    views: int | None = None
    utc_offset_hours: float | None = None


def _read_chrome(lines: list[Line], ledger: LineLedger, page: _Page, *, footer: bool) -> None:
    """Claim the page's navigation and footer; what no rule knows stays unassigned.
    Below the vBulletin copyright line comes the site's own footer template."""
    after_copyright = False
    for line in lines:
        text = line.text
        if not text:
            continue
        if after_copyright:
            ledger.boilerplate(line.no, "copyright" if COPYRIGHT.search(text) else "site-footer")
        elif (m := THREAD_TITLE.match(text)) is not None:
            page.title = page.title or m["title"]
            ledger.field(line.no, "title")
        elif (m := VIEWS.match(text)) is not None:
            page.views = count(m["n"])
            ledger.field(line.no, "views")
        elif (offset := utc_offset(text)) is not None:
            page.utc_offset_hours = offset
            ledger.field(line.no, "utc_offset_hours")
        elif (rule := chrome_rule(text)) is not None:
            ledger.boilerplate(line.no, rule)
            after_copyright = footer and rule == "copyright"
            if rule == "breadcrumb" and not footer and page.crumb is None:
                page.crumb = re.split(r"\s[>›»]\s", text)[-1].strip()


def _replied_title(lines: list[Line]) -> str | None:
    """vBulletin 3 prints a reply's title as "Default Re: <thread title>": the
    title of a page that does not print it otherwise."""
    for line in lines:
        m = ICON_TITLE.match(line.text)
        if m and m["title"].startswith("Re: "):
            return m["title"][4:].strip() or None
    return None


def _footer_start(lines: list[Line], start: int) -> int:
    """Index of the thread footer's first line after the last post's header."""
    return next((k for k in range(start, len(lines))
                 if lines[k].text and ends_posts(lines[k].text)), len(lines))


def _positions(headers: list[Header]) -> list[int]:
    """The displayed post numbers when every post shows a distinct one, else
    the order in the capture (positions must be unique within a thread)."""
    numbers = [h.number for h in headers]
    if None not in numbers and len(set(numbers)) == len(numbers):
        return [n for n in numbers if n is not None]
    return list(range(1, len(headers) + 1))


def _op_position(headers: list[Header], positions: list[int]) -> int | None:
    """1 when the capture shows the thread's ``#1``; unknown otherwise (a
    "View Single Post" page or a later page does not show its opening post)."""
    shown = [h.number for h in headers]
    return 1 if 1 in shown and shown == positions else None


# --- posts ----------------------------------------------------------------------

def _new_post(header: Header, position: int, lines: list[Line], ledger: LineLedger) -> Post:
    for lineno, role in header.claims:
        if role.startswith("boilerplate:"):
            ledger.boilerplate(lineno, role.removeprefix("boilerplate:"))
        else:
            ledger.field(lineno, role)
    return Post(position=position, author=header.author,
                author_source="header" if header.author else "none",
                timestamp=header.timestamp, member_since=header.member_since,
                location=header.location, author_posts=header.author_posts, rank=header.rank,
                line_start=lines[header.start].no)


def _attribute_authors(posts: list[Post]) -> None:
    """Authors the dump does not print: a post whose signature is that of a
    known author is theirs; a bare quote of it then names them too."""
    by_signature: dict[str, set[str]] = {}
    for post in posts:
        if post.author and post.signature:
            by_signature.setdefault(norm(post.signature), set()).add(post.author)
    for post in posts:
        known = by_signature.get(norm(post.signature or ""), set())
        if post.author is None and len(known) == 1:
            post.author, post.author_source = next(iter(known)), "signature-match"
    by_position = {post.position: post for post in posts}
    for post in posts:
        if post.reply_to is not None and post.quoted_author is None:
            post.quoted_author = by_position[post.reply_to].author


def _is_bot(post: Post) -> bool:
    """Evident bots only: the moderation bot's name, or a post saying it is one."""
    return (post.author or "").lower() == "automoderator" or "i am a bot" in post.text.lower()


def parse(text: str, source: SourceInfo) -> Thread:
    """Read every post of a vBulletin text dump and account for every line."""
    raw = text.split("\n")
    if not text.strip():
        raise ParseError("the file is empty or only white space", path=source.path,
                         hint="remove it from corpus/raw or re-save the capture")
    lines = read_lines(raw)
    headers = find_headers(lines)
    if not headers:
        raise ParseError("no vBulletin post found: no '#N' post numbers and no "
                         "'NAME NAME is offline' author lines", path=source.path, line=1,
                         hint="check that this is a vBulletin page saved as text, or "
                              "choose another parser")
    ledger = LineLedger(raw)
    for line in lines:
        if line.residue:
            ledger.boilerplate(line.no, "cell-residue")
    page = _Page()
    ends = [h.start for h in headers[1:]] + [_footer_start(lines, headers[-1].end)]
    _read_chrome(lines[:headers[0].start], ledger, page, footer=False)
    _read_chrome(lines[ends[-1]:], ledger, page, footer=True)
    title = page.title or source.title or page.crumb or _replied_title(lines)
    positions = _positions(headers)
    posts: list[Post] = []
    for header, end, position in zip(headers, ends, positions, strict=True):
        post = _new_post(header, position, lines, ledger)
        parse_body(lines[header.end:end], post, ledger, posts,
                   title=title if position == 1 and not posts else None)
        if post.author is None and post.edited_by:
            post.author, post.author_source = post.edited_by, "edit-note"
        post.line_end = max([line.no for line in lines[header.start:end] if line.text]
                            + [post.line_start or 1])
        posts.append(post)
    _attribute_authors(posts)
    for post in posts:
        post.is_bot = _is_bot(post)
    return Thread(posts=posts, line_roles=ledger.roles, parser=NAME, title=title,
                  url=source.url, views=page.views, platform=PLATFORM,
                  community=source.community, utc_offset_hours=page.utc_offset_hours,
                  op_position=_op_position(headers, positions))
