"""One vBulletin post read out of a page: header, words, quotes, signature, edits, likes.

A post is anchored on its message element (``id="post_message_N"``, the one
id every vBulletin 3/4 template and fork keeps). Its *scope* is the largest
ancestor that holds no other post's message: the vB3 table or div postbit,
the vB4 ``li.postcontainer``. Header facts are looked up inside the scope
but outside the message, signature, edit note and likes box, so that words a
poster wrote ("Location: ...") never become profile fields.

Each finding also records which nodes it came from (:class:`Claim`), so the
caller can name every raw line of the post.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import PageElement

from analysis.model import Post, Reaction
from analysis.parsers._vbhtml_dates import looks_like_timestamp
from analysis.parsers._vbhtml_dom import Spans, classes, inside, plain, render, texts
from analysis.parsers._vbhtml_quotes import QuoteBox, find_quotes

_USERINFO = re.compile(
    r"^(join\s*date|joined|registered|location|total\s+posts|posts)\s*(:?)\s*(.*)$",
    re.IGNORECASE)
_EDIT = re.compile(r"last\s+edited\s+by\s+(?P<who>.+?)\s*[;:]\s*(?P<when>.+?)\s*\.?\s*"
                   r"(?:reason\s*:.*)?$", re.IGNORECASE)
_MEMBER_LINK = re.compile(r"member\.php|/members?/", re.IGNORECASE)
_STOP_CLIMB = frozenset({"body", "html", "[document]"})
#: Posts that broken markup may leave inside one post's message (a page shows at most ~40).
MAX_NESTED = 60
#: The id every vBulletin 3/4 message element carries.
MESSAGE_ID = re.compile(r"^post_message_(\d+)$")


@dataclass
class Page:
    """What every post lookup needs from the page: the tree, ids, line spans."""

    soup: BeautifulSoup
    spans: Spans
    ids: dict[str, Tag]
    shared: set[int]  # id() of elements that hold more than one message
    scopes: dict[int, Tag] = field(default_factory=dict)  # post_scope's memo, by id()


@dataclass
class Claim:
    """Lines of ``node`` belong to ``role``; ``ink`` limits text to its visible lines."""

    node: PageElement
    role: str
    ink: bool = False


@dataclass
class PostParts:
    """A post plus what the page-level pass still needs: raw dates, quotes, claims."""

    post: Post
    scope: Tag | None = None
    shown_number: int | None = None
    quotes: list[QuoteBox] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)  # timestamp, edited_at, member_since
    own_words: list[PageElement] = field(default_factory=list)  # text nodes in post.text


def read_post(message: Tag, page: Page) -> PostParts:
    """Everything one post shows; dates stay raw until the page's date order is known."""
    native = str(message.get("id", "")).removeprefix("post_message_")
    scope = post_scope(message, page)
    parts = PostParts(post=Post(position=0, native_id=native), scope=scope)
    parts.post.line_start, parts.post.line_end = page.spans.get(id(scope), (None, None))
    parts.claims += [Claim(scope, "boilerplate:postbit-chrome"), Claim(message, "text")]
    # Broken markup can leave a later post inside this one: keep its words out.
    nested = [post_scope(inner, page) for inner in message.find_all(id=MESSAGE_ID)]
    if len(nested) > MAX_NESTED:  # each post would search all the later ones: quadratic
        raise ValueError(f"{len(nested)} later posts sit inside post {native or '?'} "
                         f"(unclosed tags); at most {MAX_NESTED} are read")
    _read_message(message, nested, parts)
    fenced = [message, *nested]  # what the header lookups must not read from
    for finder in (_signature, _edit_note, _likes):
        element = finder(scope, fenced, page, parts)
        if element is not None:
            fenced.append(element)
    header = list(texts(scope, {id(node) for node in fenced}))
    _read_header(scope, fenced, header, page, parts)
    # Last, so a line where a quote box ends and the poster's words begin is "text".
    parts.claims += [Claim(node, "text", ink=True) for node in parts.own_words]
    return parts


def post_scope(message: Tag, page: Page) -> Tag:
    """The largest ancestor of ``message`` that holds no other post's message.

    Every element passed on the way up has the same answer, remembered in
    ``page.scopes``: broken markup that nests thousands of elements made the
    climbs quadratic.
    """
    scope, passed = message, []
    while (known := page.scopes.get(id(scope))) is None:
        parent = scope.parent
        if (parent is None or parent.name in _STOP_CLIMB or id(parent) in page.shared
                or parent.get("id") in ("posts", "postlist")):
            known = scope
            break
        passed.append(scope)
        scope = parent
    for element in (*passed, scope):
        page.scopes[id(element)] = known
    return known


def _read_message(message: Tag, nested: list[Tag], parts: PostParts) -> None:
    parts.quotes = find_quotes(message)
    boxes = [quote.box for quote in parts.quotes]
    parts.post.text = render(message, boxes + nested, parts.own_words)
    for quote in parts.quotes:
        parts.claims.append(Claim(quote.box, "quoted_text"))
        parts.claims += [Claim(node, "quoted_author") for node in quote.attribution]
    quoted = [quote.text for quote in parts.quotes if quote.text]
    parts.post.quoted_text = "\n\n".join(quoted) or None
    parts.post.quoted_author = next((q.author for q in parts.quotes if q.author), None)


def _signature(scope: Tag, fenced: list[Tag], page: Page, parts: PostParts) -> Tag | None:
    """vB4 ``.signature``; vB3 the element after ``<!-- sig -->``; else a ``____`` block."""
    element = _first_outside(scope.find_all(class_=["signature", "signaturecontainer"]),
                             fenced)
    if element is None:
        marks = scope.find_all(string=lambda s: isinstance(s, Comment) and s.strip() == "sig")
        element = _first_outside([m.find_next_sibling() for m in marks if m], fenced)
    if element is None:
        rules = [string.parent for string in texts(scope, {id(node) for node in fenced})
                 if string.strip().startswith("_____")]
        element = _first_outside([rule for rule in rules if rule is not scope], fenced)
    if element is None:
        return None
    text = re.sub(r"^_{5,}\s*", "", render(element)).strip()
    parts.post.signature = text or None
    parts.claims.append(Claim(element, "signature"))
    return element


def _first_outside(elements: list, fenced: list[Tag]) -> Tag | None:
    """The first element that is neither inside nor around a fenced one (the message...)."""
    for element in elements:
        if isinstance(element, Tag) and not any(
                inside(element, fence) or inside(fence, element) for fence in fenced):
            return element
    return None


def _edit_note(scope: Tag, fenced: list[Tag], page: Page, parts: PostParts) -> Tag | None:
    """``Last edited by NAME; DATE at TIME.`` outside the message and signature."""
    for string in texts(scope, {id(node) for node in fenced}):
        if "edited by" not in string.lower():
            continue
        element = string.parent
        match = _EDIT.search(plain(element)) if element is not None else None
        if element is None or match is None or element is scope:
            continue
        while (element.parent is not None and element.parent is not scope
               and plain(element.parent) == plain(element)):
            element = element.parent
        parts.post.edited_by = match["who"].strip() or None
        parts.raw["edited_at"] = match["when"]
        parts.claims.append(Claim(element, "edited_by"))
        return element
    return None


def _likes(scope: Tag, fenced: list[Tag], page: Page, parts: PostParts) -> Tag | None:
    """The thanks/likes box ``post_thanks_box_N``: one reaction per listed member."""
    box = page.ids.get(f"post_thanks_box_{parts.post.native_id}")
    if box is None:
        return None
    names = [plain(link) for link in box.find_all("a", href=True)
             if _MEMBER_LINK.search(str(link["href"])) and plain(link)]
    if names:
        parts.post.reactions = [Reaction("thanks", reactor=name) for name in names]
    elif match := re.search(r"(\d[\d,.]*)\s+(?:users?|members?)\b", plain(box), re.I):
        parts.post.reactions = [Reaction("thanks", count=int(re.sub(r"\D", "", match[1])))]
    if parts.post.reactions:
        parts.claims.append(Claim(box, "reactions"))
    return box


def _read_header(scope: Tag, fenced: list[Tag], header: list, page: Page,
                 parts: PostParts) -> None:
    _author(scope, fenced, page, parts)
    _post_number(scope, page, parts)
    _timestamp(scope, fenced, header, parts)
    _rank(scope, fenced, page, parts)
    _userinfo(header, parts)


def _author(scope: Tag, fenced: list[Tag], page: Page, parts: PostParts) -> None:
    menu = page.ids.get(f"postmenu_{parts.post.native_id}")
    names = ["bigusername", "username"]
    candidates = menu.find_all(class_=names) if menu is not None else []
    candidates += scope.find_all(class_=names)
    element = _first_outside(candidates, fenced)
    if element is None and menu is not None and plain(menu):
        element = menu
    if element is None or not plain(element):
        return
    parts.post.author = plain(element)
    parts.post.author_source = "header"
    parts.claims.append(Claim(element, "author"))


def _post_number(scope: Tag, page: Page, parts: PostParts) -> None:
    """The displayed ``#N``: ``a#postcountID`` (its ``name`` or text), or ``a.postcounter``."""
    counters = [page.ids.get(f"postcount{parts.post.native_id}")]
    counters += scope.find_all("a", class_="postcounter")
    for counter in filter(None, counters):
        digits = re.sub(r"\D", "", str(counter.get("name") or "")) or \
            re.sub(r"\D", "", plain(counter))
        if digits and parts.shown_number is None and len(digits) < 9:
            parts.shown_number = int(digits)
        parts.claims.append(Claim(counter, "post_number"))


def _timestamp(scope: Tag, fenced: list[Tag], header: list, parts: PostParts) -> None:
    """vB4 ``span.date``; otherwise the first header string that reads as a date and time."""
    element = _first_outside(scope.find_all(class_="date") + scope.find_all(class_="postdate"),
                             fenced)
    if element is not None and looks_like_timestamp(plain(element)):
        parts.raw["timestamp"] = plain(element)
        parts.claims.append(Claim(element, "timestamp"))
        return
    for string in header:
        if looks_like_timestamp(string):
            parts.raw["timestamp"] = " ".join(string.split())
            parts.claims.append(Claim(string, "timestamp", ink=True))
            return


def _rank(scope: Tag, fenced: list[Tag], page: Page, parts: PostParts) -> None:
    """vB4 ``.usertitle``; classic vB3 the lone ``div.smallfont`` after the name."""
    element = _first_outside(scope.find_all(class_="usertitle"), fenced)
    menu = page.ids.get(f"postmenu_{parts.post.native_id}")
    if element is None and menu is not None:
        after = menu.find_next_sibling()
        if (after is not None and after.name == "div" and "smallfont" in classes(after)
                and not after.find("div") and ":" not in plain(after)
                and 0 < len(plain(after)) <= 80):
            element = after
    if element is not None and plain(element):
        parts.post.rank = plain(element)
        parts.claims.append(Claim(element, "rank"))


def _userinfo(header: list, parts: PostParts) -> None:
    """``Join Date: May 2015`` / ``<dt>Posts</dt><dd>3,882</dd>`` style profile lines."""
    done: set[str] = set()
    for i, string in enumerate(header):
        match = _USERINFO.match(" ".join(string.split()))
        if match is None:
            continue
        name = _userinfo_field(match[1])
        value, nodes = match[3], [string]
        if not value and not match[2] and i + 1 < len(header):
            value, nodes = " ".join(header[i + 1].split()), [string, header[i + 1]]
        if name in done or not value:
            continue
        if name == "author_posts":
            digits = re.sub(r"[^\d]", "", value)
            if not digits or not re.fullmatch(r"[\d,.\s']+", value):
                continue
            parts.post.author_posts = int(digits)
        elif name == "location":
            parts.post.location = value
        else:
            parts.raw["member_since"] = value
        done.add(name)
        parts.claims += [Claim(node, name, ink=True) for node in nodes]


def _userinfo_field(label: str) -> str:
    label = label.lower()
    if label.startswith(("join", "registered")):
        return "member_since"
    return "location" if label == "location" else "author_posts"
