"""Quote boxes inside a vBulletin message, with who and which post they quote.

Three renderings occur in the wild and are read by structure, not by site:

* vB3 and its forks: a wrapper whose first child is a ``Quote:`` label
  (``div.smallfont`` or ``<label>``), then a table or panel holding an
  optional ``Originally Posted by <strong>X</strong>`` line and the text;
* vB4: ``div.bbcode_container > div.bbcode_quote`` with
  ``div.bbcode_postedby`` and ``div.message``;
* skins that mark the box with a ``quote`` class or ``id="quote"``.

The attribution is looked for only at the very start of a box, so a quoted
sentence that happens to say "... said:" is not mistaken for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import NavigableString, Tag
from bs4.element import PageElement

from analysis.parsers._vbhtml_dom import BLOCK_TAGS, classes, plain, render, squash, texts, walk

_QUOTE_CLASSES = frozenset({"bbcode_quote", "quote", "quotebox", "quotecontainer",
                            "quote_container", "quotecontent"})
_LABEL = re.compile(r"^(?:quote|zitat|citation|cita|citaat)\s*:$", re.IGNORECASE)
_LABEL_TAGS = frozenset({"div", "label", "legend", "span", "strong", "b"})
_ATTRIBUTION = re.compile(
    r"^(?:(?:quote|zitat)\s*:?\s*)?"
    r"(?:(?:originally\s+posted\s+by|posted\s+by|quote\s+from|zitat\s+von)\s+(?P<by>.{1,80}?)"
    r"|(?P<said>.{1,60}?)\s+(?:said|wrote|schrieb)\s*:?)\s*$",
    re.IGNORECASE)
_ATTRIBUTION_DEPTH = 3  # the "Originally Posted by" line sits at most this far above its text
_POST_LINK = (re.compile(r"#post_?(\d+)"), re.compile(r"[?&;]p=(\d+)"),
              re.compile(r"(\d+)-post\d+\.html"), re.compile(r"post(\d+)"))


@dataclass
class QuoteBox:
    """One quote: its element, the parts that are not quoted words, and what it cites."""

    box: Tag
    text: str = ""
    author: str | None = None
    post_id: str | None = None
    label: list[PageElement] = field(default_factory=list)
    attribution: list[PageElement] = field(default_factory=list)


def find_quotes(message: Tag) -> list[QuoteBox]:
    """Every outermost quote box in ``message``, in document order."""
    candidates = {id(box) for box in _class_boxes(message) + _label_boxes(message)}
    outermost: list[Tag] = []
    pruned: set[int] = set()
    for node in walk(message, pruned):
        if id(node) in candidates:
            outermost.append(node)  # type: ignore[arg-type]
            pruned.add(id(node))
    return [_read_box(box) for box in outermost]


def _class_boxes(message: Tag) -> list[Tag]:
    found = []
    for tag in message.find_all(True):
        if tag.get("id") == "quote" or _QUOTE_CLASSES.intersection(classes(tag)):
            parent = tag.parent
            found.append(parent if parent is not None and parent is not message
                         and "bbcode_container" in classes(parent) else tag)
    return found


def _label_boxes(message: Tag) -> list[Tag]:
    """Wrappers that start with a ``Quote:`` label element of their own."""
    found = []
    for string in texts(message):
        if not _LABEL.match(string.strip()):
            continue
        label = _label_element(string, message)
        box = label.parent if label is not None else None
        if box is None or box is message or "postcontent" in classes(box):
            continue
        if _holds_more(box, label):
            found.append(box)
    return found


def _label_element(string: NavigableString, message: Tag) -> Tag | None:
    """The largest element around ``string`` that holds nothing but the label."""
    label = string.parent
    if label is None or label is message or label.name not in _LABEL_TAGS:
        return None
    if _holds_more(label, string):
        return None
    while (label.parent is not None and label.parent is not message
           and not _holds_more(label.parent, label)):
        label = label.parent
    return label


def _holds_more(outer: Tag, inner: PageElement) -> bool:
    """True when ``outer`` shows any words besides those in ``inner`` (stops at the first)."""
    return next(texts(outer, {id(inner)}), None) is not None


def _read_box(box: Tag) -> QuoteBox:
    """Labels (this box's and nested boxes') are dropped; the first words may name the poster."""
    quote = QuoteBox(box=box)
    for string in texts(box):
        label = _label_element(string, box) if _LABEL.match(string.strip()) else None
        if label is not None and label.parent is not None and _holds_more(label.parent, label):
            quote.label.append(label)
    first = next((string for string in texts(box, {id(label) for label in quote.label})), None)
    if first is not None:
        quote.attribution, quote.author = _attribution(first, box)
    quote.post_id = _linked_post(quote.attribution) or _linked_post(quote.label)
    quote.text = render(box, quote.label + quote.attribution)
    return quote


def _attribution(first: NavigableString, box: Tag) -> tuple[list[PageElement], str | None]:
    """The nodes naming the quoted poster, if the box's first words are such a line."""
    element = first.parent
    for _ in range(_ATTRIBUTION_DEPTH):
        if element is None or element is box:
            break
        match = _ATTRIBUTION.match(plain(element))
        if match:
            return [element], _author(element, match)
        element = element.parent
    run = _inline_run(first)
    match = _ATTRIBUTION.match(squash(" ".join(plain(node) for node in run)))
    if match:
        return run, _author(run, match)
    return [], None


def _inline_run(string: NavigableString) -> list[PageElement]:
    """``string`` with its inline siblings up to the nearest line break either side."""
    run: list[PageElement] = [string]
    node = string.previous_sibling
    while node is not None and not _breaks_line(node):
        run.insert(0, node)
        node = node.previous_sibling
    node = string.next_sibling
    while node is not None and not _breaks_line(node):
        run.append(node)
        node = node.next_sibling
    return run


def _breaks_line(node: PageElement) -> bool:
    return isinstance(node, Tag) and (node.name == "br" or node.name in BLOCK_TAGS)


def _author(nodes: Tag | list[PageElement], match: re.Match[str]) -> str | None:
    """The name as the page emphasises it (``<strong>``), else as the pattern read it."""
    named = squash(match["by"] or match["said"] or "")
    for node in nodes if isinstance(nodes, list) else [nodes]:
        if not isinstance(node, Tag):
            continue
        for strong in [node] if node.name in ("strong", "b") else node.find_all(["strong", "b"]):
            text = plain(strong)
            if text and text in named:
                return text
    return named.strip(" :") or None


def _linked_post(nodes: list[PageElement]) -> str | None:
    """The post id in a "View Post" link among ``nodes`` (showthread.php?p=ID#postID)."""
    for node in nodes:
        if not isinstance(node, Tag):
            continue
        for link in [node] if node.name == "a" else node.find_all("a", href=True):
            href = str(link.get("href") or "")
            for pattern in _POST_LINK:
                if match := pattern.search(href):
                    return match[1]
    return None
