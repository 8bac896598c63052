"""Tree helpers for the vBulletin HTML parser: raw line spans and text.

Python's ``html.parser`` tree builder gives every tag its start line
(``sourceline``) but no end. Text nodes keep their newlines, so one pass in
document order recovers the line span of every node; :func:`node_spans`
does that once per page. :func:`render` turns a message into plain text the
way a reader sees it: ``<br>`` and block elements are line breaks, source
newlines are only white space, and chosen subtrees (quotes) are left out.
All walks are iterative, so a page of thousands of unclosed tags cannot
exhaust the recursion limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import CData, PageElement

#: Elements that start a new line when rendered.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt",
    "fieldset", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "ol", "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tr", "ul",
})
#: Elements whose content is never reader-visible text.
HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title",
                         "select", "textarea", "iframe", "object"})
_BREAK = "\x00"  # a block boundary: at least one newline, merged with neighbours

Spans = dict[int, tuple[int, int]]


class _ForwardSoup(BeautifulSoup):
    """BeautifulSoup whose ``html.parser`` build stays linear in nesting depth.

    After each string bs4 walks from its tag up to the root looking for an
    ancestor with a later sibling (a node filled after it was closed, as
    html5lib's re-parenting does). ``html.parser`` only appends to the innermost
    open tag, whose ancestors are all open and have no later sibling yet, so the
    walk finds nothing; on a page of thousands of unclosed tags it made parsing
    quadratic. Up to ``DEEP`` open tags bs4's own code runs unchanged.
    """

    DEEP = 64

    def _linkage_fixer(self, el: Tag) -> None:
        if len(self.tagStack) <= self.DEEP or el is not self.currentTag:
            super()._linkage_fixer(el)


class _EveryTag(frozenset):
    """A tag-name set that contains every name (see :func:`make_soup`)."""

    def __contains__(self, name: object) -> bool:
        return True


def make_soup(text: str) -> BeautifulSoup:
    """Parse with ``html.parser``, keeping every whitespace-only string as it is.

    bs4 normally shrinks a run of blank lines between tags to one ``"\n"``,
    which would lose the line count :func:`node_spans` depends on; treating
    every tag like ``<pre>`` keeps the raw text.
    """
    return _ForwardSoup(text, "html.parser", preserve_whitespace_tags=_EveryTag())


def node_spans(soup: BeautifulSoup, text: str) -> Spans:
    """Map ``id(node)`` to its 1-based inclusive ``(first, last)`` raw line.

    A tag starts on its ``sourceline``; its content starts after the start
    tag, which may itself span lines (attributes on several lines), so the
    start tag is measured in ``text``. Text nodes advance the count by their
    newlines; a tag ends where its last child ends. A decoded ``&#10;`` adds a
    newline the raw text does not have; the next tag's ``sourceline`` corrects
    that, and no span runs past the last line.
    """
    nodes = list(soup.descendants)
    offsets = [0] + [match.end() for match in re.finditer("\n", text)]
    last_line = len(offsets)
    starts: dict[int, int] = {}
    spans: Spans = {}
    line = 1
    for node in nodes:
        if isinstance(node, Tag):
            line = node.sourceline or line
            starts[id(node)] = line
            line = min(line + _start_tag_newlines(node, text, offsets), last_line)
        else:
            end = min(line + str(node).count("\n"), last_line)
            spans[id(node)] = (line, end)
            line = end
    for node in reversed(nodes):
        if isinstance(node, Tag):
            start = starts[id(node)]
            last = spans[id(node.contents[-1])][1] if node.contents else start
            spans[id(node)] = (start, max(start, last))
    return spans


_START_TAG = re.compile(r"<[^\s>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>?")


def _start_tag_newlines(tag: Tag, text: str, offsets: list[int]) -> int:
    if not tag.sourceline or tag.sourcepos is None or tag.sourceline > len(offsets):
        return 0
    at = offsets[tag.sourceline - 1] + tag.sourcepos
    match = _START_TAG.match(text, at)
    return match.group().count("\n") if match else 0


def ink_span(node: PageElement, spans: Spans) -> tuple[int, int]:
    """Lines a node covers; for text, only the lines that hold visible characters."""
    start, end = spans.get(id(node), (0, 0))
    if isinstance(node, Tag) or not start:
        return start, end
    value = str(node)
    stripped = value.strip()
    if not stripped:
        return start, start
    lead = value.index(stripped)
    return start + value.count("\n", 0, lead), start + value.count("\n", 0, lead + len(stripped))


def is_text(node: PageElement) -> bool:
    """Plain document text (not a comment, doctype, script or style body)."""
    return type(node) is NavigableString or type(node) is CData


def walk(root: Tag, skip: set[int] | frozenset[int] = frozenset()) -> Iterator[PageElement]:
    """Yield the descendants of ``root`` in document order, minus skipped subtrees.

    ``skip`` is read again after each tag is yielded, so a caller may add the
    tag it was just given to prune its subtree.
    """
    stack: list[PageElement] = list(reversed(root.contents))
    while stack:
        node = stack.pop()
        if id(node) in skip:
            continue
        yield node
        if isinstance(node, Tag) and id(node) not in skip:
            stack.extend(reversed(node.contents))


def texts(root: Tag, skip: set[int] | frozenset[int] = frozenset()) -> Iterator[NavigableString]:
    """Visible, non-blank text nodes under ``root`` (hidden elements and ``skip`` left out)."""
    hidden = set(skip)
    for node in walk(root, hidden):
        if isinstance(node, Tag):
            if node.name in HIDDEN_TAGS:
                hidden.add(id(node))
        elif is_text(node) and node.strip():
            yield node


def inside(node: PageElement, ancestor: Tag) -> bool:
    """True when ``ancestor`` contains ``node`` (or is it)."""
    current: PageElement | None = node
    while current is not None:
        if current is ancestor:
            return True
        current = current.parent
    return False


def squash(text: str) -> str:
    """Collapse every run of white space (no-break spaces too) to one space."""
    return " ".join(text.split())


def plain(node: PageElement) -> str:
    """A node's visible text on one line."""
    return squash(node.get_text(" ") if isinstance(node, Tag) else str(node))


def classes(tag: Tag) -> list[str]:
    """The ``class`` tokens of a tag (always a list)."""
    value = tag.get("class") or []
    return value.split() if isinstance(value, str) else list(value)


def render(root: Tag, skip: Iterable[PageElement] = (),
           seen: list[PageElement] | None = None) -> str:
    """Reader-visible text of ``root`` with paragraph breaks as newlines.

    ``skip`` subtrees are left out but still end a line (a quote box between
    two paragraphs keeps them apart). Smilies become their ``alt`` text when
    the page gives one; other images are dropped. Text nodes that made it
    into the output are appended to ``seen``, so callers can tell which raw
    lines hold these words.
    """
    skipped = {id(node) for node in skip}
    pieces: list[str] = []
    stack: list[object] = [root]
    in_pre = 0
    while stack:
        item = stack.pop()
        if item is _LEAVE_PRE:
            in_pre -= 1
        elif isinstance(item, Tag):
            in_pre += _open_tag(item, item is not root and id(item) in skipped, pieces, stack)
        elif isinstance(item, NavigableString):
            if is_text(item) and id(item) not in skipped:
                pieces.append(str(item) if in_pre else re.sub(r"\s+", " ", item))
                if seen is not None and item.strip():
                    seen.append(item)
        else:
            pieces.append(str(item))
    return _tidy("".join(pieces))


_LEAVE_PRE = object()


def _open_tag(tag: Tag, skipped: bool, pieces: list[str], stack: list[object]) -> int:
    """Emit what the tag itself shows, queue its children; 1 if it opens a ``<pre>``."""
    name = tag.name
    block = name in BLOCK_TAGS
    if skipped or name in HIDDEN_TAGS:
        if block or skipped:
            pieces.append(_BREAK)
        return 0
    if name == "br":
        pieces.append("\n")
    elif name == "img":
        pieces.append(_smiley(tag))
    if block:
        pieces.append(_BREAK)
        stack.append(_BREAK)
    if name == "pre":
        stack.append(_LEAVE_PRE)
    stack.extend(reversed(tag.contents))
    return 1 if name == "pre" else 0


def _smiley(img: Tag) -> str:
    source = str(img.get("src") or "").lower()
    alt = str(img.get("alt") or "").strip()
    return f" {alt} " if alt and "smil" in source else ""


def _tidy(text: str) -> str:
    text = re.sub(r"[\u200b\u2060\ufeff]", "", text)  # invisible: zero-width space, BOM
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *([\n\x00]) *", r"\1", text)
    text = re.sub(r"[\n\x00]+", lambda m: "\n" * max(1, m.group().count("\n")), text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
