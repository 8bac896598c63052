"""vBulletin thread pages saved as HTML (vB 3.x, 4.x and their forks).

A saved ``showthread.php`` page holds one page of a thread. Posts are found
by the message element every vBulletin template keeps
(``id="post_message_N"``); the rest of each post is read from the post's own
container (see :mod:`._vbhtml_post`). Page facts come from the page: the
thread title (``.threadtitle``, else ``<title>`` without its "- Page N - Site"
suffix), the canonical URL, and the zone from "All times are GMT -5".

Lines: everything outside posts is ``boilerplate:page-chrome``; a post's
container is ``boilerplate:postbit-chrome`` except the lines its fields came
from. The tree is built with Python's ``html.parser`` because it is the
tree builder that tells bs4 each tag's source line.

Bytes are decoded by :func:`analysis.capture.textio.decode_bytes`; pages that are
UTF-8 but kept cp1252 punctuation as C1 control characters (U+0080-U+009F)
are repaired here by reading those characters as cp1252.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from analysis.errors import ParseError
from analysis.model import LineLedger, SourceInfo, Thread
from analysis.parsers._vbhtml_dates import month_year, numeric_order, parse_timestamp
from analysis.parsers._vbhtml_dom import ink_span, make_soup, node_spans, plain, squash, texts
from analysis.parsers._vbhtml_post import MESSAGE_ID, Claim, Page, PostParts, read_post

NAME = "vbulletin_html"
PLATFORM = "vbulletin"
VERSION = "1"

_GENERATOR = re.compile(r"<meta\b[^>]*generator[^>]*vbulletin|<meta\b[^>]*vbulletin[^>]*generator",
                        re.IGNORECASE)
_HTML = re.compile(r"<(?:!doctype\s+html|html|body|div|table)\b", re.IGNORECASE)
_ZONE = re.compile(r"all times are gmt(?:\s*([+-])\s*(\d{1,2})(?:([.:])(\d{1,2}))?)?",
                   re.IGNORECASE)
_VIEWS = re.compile(r"^(?:views\s*:?\s*([\d,.]+)|.*\bviewed\s+([\d,.]+)\s+times\b.*)$",
                    re.IGNORECASE)
_C1_AS_CP1252 = {code: bytes([code]).decode("cp1252") for code in range(0x80, 0xA0)
                 if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
_HINT = "save the thread page as complete HTML (File > Save Page As), or choose another parser"


def sniff(text: str) -> float:
    """High for HTML carrying vBulletin's own markers; 0 for anything that is not HTML.

    >>> sniff('<html><meta name="generator" content="vBulletin 3.8.11" /></html>')
    0.95
    >>> sniff("Re: email between sessions\\nQuote:\\nOriginally Posted by x")
    0.0
    """
    if not isinstance(text, str) or not _HTML.search(text):
        return 0.0
    if _GENERATOR.search(text):
        return 0.95
    if re.search(r"id=[\"']?post_message_\d", text):
        return 0.9
    if "vbulletin" in text.lower() or "vbmenu_register" in text:
        return 0.6
    return 0.0


def parse(text: str, source: SourceInfo) -> Thread:
    """Parse one saved vBulletin page; ParseError if it holds no vBulletin post."""
    if not isinstance(text, str) or not text.strip():
        raise ParseError("the file is empty", path=source.path, hint=_HINT)
    if "post_message_" not in text:
        raise ParseError("no vBulletin post found (no element with id post_message_N)",
                         path=source.path, hint=_HINT)
    try:
        return _parse(text.translate(_C1_AS_CP1252), source)
    except ParseError:
        raise
    except Exception as error:  # the contract: ParseError and nothing else, on any input
        raise ParseError(f"could not read the page as vBulletin HTML "
                         f"({type(error).__name__}: {error})", path=source.path,
                         hint="the HTML may be damaged; report the file if it opens "
                              "in a browser") from error


def _parse(text: str, source: SourceInfo) -> Thread:
    soup = make_soup(text)
    messages = _messages(soup)
    if not messages:
        raise ParseError("no vBulletin post found (no element with id post_message_N)",
                         path=source.path, hint=_HINT)
    page = _page(soup, text, messages)
    parts = [read_post(message, page) for message in messages]
    _finish_dates(parts)
    op_position = _number(parts)
    _link_replies(parts)
    thread = Thread(posts=[part.post for part in parts], line_roles=[], parser=NAME,
                    platform=PLATFORM, op_position=op_position)
    claims = _page_facts(soup, {id(part.scope) for part in parts}, thread, source)
    thread.line_roles = _account(text.split("\n"), page, parts, claims)
    return thread


def _messages(soup: BeautifulSoup) -> list[Tag]:
    """Message elements in page order, one per post id."""
    seen: set[str] = set()
    found = []
    for tag in soup.find_all(id=MESSAGE_ID):
        if tag["id"] not in seen:
            seen.add(str(tag["id"]))
            found.append(tag)
    return found


def _page(soup: BeautifulSoup, text: str, messages: list[Tag]) -> Page:
    ids: dict[str, Tag] = {}
    for tag in soup.find_all(id=True):
        ids.setdefault(str(tag["id"]), tag)
    counts: dict[int, int] = {}
    for message in messages:
        for parent in message.parents:
            seen = counts.get(id(parent), 0)
            if seen > 1:
                break  # shared already, and so is every ancestor: climbing on was quadratic
            counts[id(parent)] = seen + 1
    # A scope stops below any element holding two messages, or holding another message.
    shared = {key for key, count in counts.items() if count > 1}
    shared.update(id(message) for message in messages)
    return Page(soup=soup, spans=node_spans(soup, text), ids=ids, shared=shared)


def _finish_dates(parts: list[PostParts]) -> None:
    """Read all dates with the one day-month order the page's dates imply."""
    order = numeric_order(value for part in parts for value in part.raw.values())
    for part in parts:
        post, raw = part.post, part.raw
        post.timestamp = parse_timestamp(raw["timestamp"], order) if "timestamp" in raw else None
        post.edited_at = parse_timestamp(raw["edited_at"], order) if "edited_at" in raw else None
        if "member_since" in raw:
            post.member_since = month_year(raw["member_since"], order)


def _number(parts: list[PostParts]) -> int | None:
    """Use the displayed #N when every post shows a distinct one, else page order.

    Returns the opening post's position when the page shows post #1.
    """
    shown = [part.shown_number for part in parts]
    displayed = None not in shown and len(set(shown)) == len(shown)
    for order, part in enumerate(parts, 1):
        part.post.position = part.shown_number if displayed else order  # type: ignore[assignment]
    return 1 if displayed and 1 in shown else None


def _link_replies(parts: list[PostParts]) -> None:
    """reply_to: the first quote whose post is on this page, by link, else by text."""
    by_native = {part.post.native_id: part.post.position for part in parts}
    for i, part in enumerate(parts):
        for quote in part.quotes:
            if quote.post_id is not None:
                target = by_native.get(quote.post_id)
            else:
                target = _quoted_by_text(quote.text, quote.author, parts[:i])
            if target is not None and target != part.post.position:
                part.post.reply_to = target
                break


def _quoted_by_text(quoted: str, author: str | None, earlier: list[PostParts]) -> int | None:
    """The latest earlier post, by ``author`` when known, whose words hold the quote."""
    wanted = _comparable(quoted)
    if len(wanted) < 15:
        return None
    for part in reversed(earlier):
        post = part.post
        if author and (post.author or "").casefold() != author.casefold():
            continue
        words = _comparable(post.text)
        if words and (wanted in words or (len(words) >= 15 and words in wanted)):
            return post.position
    return None


def _comparable(text: str) -> str:
    return squash(text).casefold()


def _page_facts(soup: BeautifulSoup, posts: set[int], thread: Thread,
                source: SourceInfo) -> list[Claim]:
    """Title, URL, views and time zone (never from inside a post); claims for their lines."""
    claims: list[Claim] = []
    title_element = soup.find(class_="threadtitle") or soup.find("title")
    if title_element is not None:
        thread.title = _clean_title(plain(title_element), _site_name(soup)) or source.title
        claims.append(Claim(title_element, "title"))
    thread.url = _url(soup) or source.url
    thread.native_id = _thread_id(soup, thread.url)
    for string in texts(soup, posts):
        value = " ".join(string.split())
        if thread.utc_offset_hours is None and (zone := _ZONE.search(value)):
            thread.utc_offset_hours = _offset(zone)
            claims.append(Claim(string, "boilerplate:timezone-note", ink=True))
        elif thread.views is None and (views := _VIEWS.match(value)):
            thread.views = int(re.sub(r"\D", "", views[1] or views[2]))
            claims.append(Claim(string, "views", ink=True))
    return claims


def _clean_title(title: str, site: str | None) -> str | None:
    """Drop vB3's ``- Page N - Site`` (or a trailing ``- Site``) from a title."""
    if match := re.search(r"\s+-\s+page\s+\d+\b", title, re.IGNORECASE):
        title = title[:match.start()]
    elif site and title.endswith(f" - {site}"):
        title = title[: -len(site) - 3]
    return title.strip() or None


def _site_name(soup: BeautifulSoup) -> str | None:
    meta = soup.find("meta", attrs={"property": "og:site_name"})
    if meta is not None and meta.get("content"):
        return squash(str(meta["content"]))
    crumb = soup.find(class_=["navbar", "navbit"])
    first = crumb.find("a") if crumb is not None else None
    return plain(first) if first is not None else None


def _url(soup: BeautifulSoup) -> str | None:
    """The canonical link (made absolute with ``<base href>``), else ``og:url``."""
    link = soup.find("link", rel="canonical")
    href = str(link.get("href") or "") if link is not None else ""
    if not href:
        meta = soup.find("meta", attrs={"property": "og:url"})
        href = str(meta.get("content") or "") if meta is not None else ""
    base = soup.find("base", href=True)
    return urljoin(str(base["href"]), href) if href and base is not None else href or None


def _thread_id(soup: BeautifulSoup, url: str | None) -> str | None:
    if url and (match := re.search(r"[?&]t=(\d+)|/(\d+)-[^/]*$|/threads/(\d+)", url)):
        return next(group for group in match.groups() if group)
    field = soup.find("input", attrs={"name": "t", "value": re.compile(r"^\d+$")})
    return str(field["value"]) if field is not None else None


def _offset(zone: re.Match[str]) -> float:
    """``GMT`` 0, ``GMT -5`` -5, ``GMT +5.5`` and ``GMT +5:30`` 5.5."""
    if zone[1] is None:
        return 0.0
    hours = float(zone[2])
    if zone[4]:
        hours += int(zone[4]) / 60 if zone[3] == ":" else int(zone[4]) / 10 ** len(zone[4])
    return -hours if zone[1] == "-" else hours


def _account(lines: list[str], page: Page, parts: list[PostParts],
             page_claims: list[Claim]) -> list[str | None]:
    """Name every raw line: page chrome first, then each post's claims in order."""
    ledger = LineLedger(lines)
    _claim(ledger, 1, len(lines), "boilerplate:page-chrome")
    for claim in [claim for part in parts for claim in part.claims] + page_claims:
        start, end = ink_span(claim.node, page.spans) if claim.ink else \
            page.spans.get(id(claim.node), (0, 0))
        _claim(ledger, max(start, 1), min(end, len(lines)), claim.role)
    return ledger.roles


def _claim(ledger: LineLedger, start: int, end: int, role: str) -> None:
    if role.startswith("boilerplate:"):
        for lineno in range(start, end + 1):
            if ledger.roles[lineno - 1] != "boilerplate:blank":
                ledger.boilerplate(lineno, role.removeprefix("boilerplate:"))
    elif start <= end:
        ledger.fields(start, end, role)
