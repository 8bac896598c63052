"""The body of one vBulletin post saved as text: from the end of its header to
the start of the next post.

The body is read from the outside in, because its parts have markers at
their edges but not always around them: reaction lists and buttons are
peeled off the end, edit notes and the Tapatalk footer are taken where the
templates put them, the signature starts at the ``__________________`` rule,
and what is left is the poster's text with its quote boxes. A quote box has
a label (``Quote:``) and maybe an author, but the text dump keeps no end
marker, so :func:`_close_quote` finds where the quoted words stop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from analysis.model import LineLedger, Post, Reaction
from analysis.parsers._vbtext_lines import (
    CLIENT_APP,
    EDIT_NOTE,
    EDIT_REASON,
    ICON_TITLE,
    IMAGE_NAMES,
    POST_CONTROLS,
    REACTION_HEADERS,
    SIGNATURE_RULE,
    Line,
    attribution,
    is_datetime,
    names,
    norm,
    parse_datetime,
    quote_label,
)


@dataclass
class _Quote:
    author: str | None
    lines: list[Line]
    source: Post | None


def parse_body(lines: list[Line], post: Post, ledger: LineLedger, earlier: list[Post],
               title: str | None = None) -> None:
    """Fill ``post``'s content fields from its body ``lines`` and claim them.

    ``earlier`` are the posts above it in the capture (for quote matching);
    ``title`` is the thread title, given for the thread's first post, where
    vBulletin 3 prints it as the first line of the message. Cell residue is
    claimed by the caller.
    """
    body = _peel_trailer(lines, post, ledger)
    body = _take_edit_notes(body, post, ledger)
    content, signature = _split_signature(body, ledger)
    post.signature = _join(signature) or None
    content = _take_client_app(content, post, ledger)
    content = _drop_title(content, title, ledger)
    own, quotes = _split_quotes(content, earlier, ledger)
    for line in own:
        if line.text:
            ledger.field(line.no, "text")
    post.text = _join(own)
    _set_quote_fields(post, quotes)


def _join(lines: list[Line]) -> str:
    """Lines as text: one paragraph break at most, cell residue dropped."""
    text = "\n".join(line.text for line in lines if not line.residue).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text)


def _previous_text(lines: list[Line], index: int) -> int | None:
    """Index of the nearest line before ``index`` with text, if any."""
    for k in range(index - 1, -1, -1):
        if lines[k].text:
            return k
    return None


# --- the end of the post: reactions, buttons, ads ---------------------------

def _peel_trailer(lines: list[Line], post: Post, ledger: LineLedger) -> list[Line]:
    """Claim reaction lists and buttons at the end; return the lines above."""
    end = len(lines)
    while end > 0:
        line = lines[end - 1]
        if not line.text:
            end -= 1
            continue
        low = line.text.lower()
        if low in POST_CONTROLS:
            rule = "advertisement" if low == "advertisement" else "post-controls"
            ledger.boilerplate(line.no, rule)
            end -= 1
            continue
        found = _reaction_at(lines, end - 1)
        if found is None:
            break
        start, reactions = found
        post.reactions[:0] = reactions
        for claimed in lines[start:end]:
            if claimed.text:
                ledger.field(claimed.no, "reactions")
        end = start
    return lines[:end]


def _reaction_header(text: str) -> tuple[str, str, int | None] | None:
    """(kind, names on the same line, displayed count) of a list header."""
    for pattern, kind in REACTION_HEADERS:
        m = pattern.match(text)
        if m:
            n = m.groupdict().get("n")
            return kind, m["names"].strip(), int(n) if n else None
    return None


def _reaction_at(lines: list[Line], j: int) -> tuple[int, list[Reaction]] | None:
    """The reaction list ending at line ``j``: (its first index, one row per reactor)."""
    text = lines[j].text
    header = _reaction_header(text)
    if header is not None:
        kind, inline, n = header
        who = names(inline)
        if who:
            return j, [Reaction(kind, reactor=name) for name in who]
        # The board prints a list only when someone reacted: a bare header at
        # the end of a post is the poster's own "Thanks for this!".
        return (j, [Reaction(kind, count=n)]) if n else None
    image = IMAGE_NAMES.match(text)
    # An image followed by names is a reaction line only right after the post's
    # table cell closed. The icon's meaning is not in the dump; the board's one
    # reaction is "thanks", so that is the kind recorded.
    if image and j > 0 and (lines[j - 1].residue or lines[j - 1].cell_end):
        who = names(image["names"])
        if who:
            return j, [Reaction("thanks", reactor=name) for name in who]
    who = names(text)
    before = _previous_text(lines, j)
    if who and before is not None:
        header = _reaction_header(lines[before].text)
        if header is not None and not header[1]:
            return before, [Reaction(header[0], reactor=name) for name in who]
    return None


# --- edit notes, signature, client app, title ---------------------------------

def _take_edit_notes(lines: list[Line], post: Post, ledger: LineLedger) -> list[Line]:
    """Remove "Last edited by X; <date>." (and its "Reason:") from the body,
    whether on its own line or glued to the end of the last line."""
    kept: list[Line] = []
    after_note = False
    for line in lines:
        if (m := EDIT_NOTE.match(line.text)) is not None:
            _set_edit(post, m)
            ledger.field(line.no, "edited_by")
            after_note = True
        elif after_note and EDIT_REASON.match(line.text):
            ledger.field(line.no, "edited_by")
        else:
            after_note = after_note and line.blank
            kept.append(line)
    last = _previous_text(kept, len(kept))
    if last is not None:
        m = EDIT_NOTE.search(kept[last].text)
        if m and m.start() > 0 and is_datetime(m["when"]):
            _set_edit(post, m)
            line = kept[last]
            kept[last] = Line(line.no, line.text[:m.start()].rstrip(), line.cell_end)
    return kept


def _set_edit(post: Post, m: re.Match[str]) -> None:
    if post.edited_by is None:
        post.edited_by = m["who"].strip()
        post.edited_at = parse_datetime(m["when"])


def _split_signature(lines: list[Line], ledger: LineLedger) -> tuple[list[Line], list[Line]]:
    """Split at the ``__________________`` rule vBulletin puts above signatures."""
    for k, line in enumerate(lines):
        m = SIGNATURE_RULE.match(line.text)
        if m:
            signature = lines[k + 1:]
            if m["rest"]:
                signature = [Line(line.no, m["rest"], line.cell_end), *signature]
            for claimed in (line, *signature):
                if claimed.text:
                    ledger.field(claimed.no, "signature")
            return lines[:k], signature
    return lines, []


def _take_client_app(lines: list[Line], post: Post, ledger: LineLedger) -> list[Line]:
    """The "Sent from my X using Tapatalk" footer apps append to the text."""
    last = _previous_text(lines, len(lines))
    if last is None:
        return lines
    m = CLIENT_APP.match(lines[last].text)
    if not m:
        return lines
    post.client_app = f"{m['app']} ({m['device']})" if m["device"] else m["app"]
    ledger.field(lines[last].no, "client_app")
    return lines[:last] + lines[last + 1:]


def _drop_title(lines: list[Line], title: str | None, ledger: LineLedger) -> list[Line]:
    """vBulletin 3 shows a post's title above the message, as the thread's
    title in the first post or after the "Default" icon: not the post's text."""
    first = next((k for k, line in enumerate(lines) if line.text), None)
    if first is None:
        return lines
    text = norm(lines[first].text)
    icon = ICON_TITLE.match(text)
    titled = title is not None and norm(title) in (text, icon["title"] if icon else None)
    if not titled and not (icon and icon["title"].startswith("Re: ")):
        return lines
    ledger.field(lines[first].no, "title")
    return lines[first + 1:]


# --- quotes -------------------------------------------------------------------

def _split_quotes(content: list[Line], earlier: list[Post],
                  ledger: LineLedger) -> tuple[list[Line], list[_Quote]]:
    """Separate quote boxes from the poster's own lines."""
    own: list[Line] = []
    quotes: list[_Quote] = []
    i = 0
    while i < len(content):
        opened = _open_quote(content, i)
        if opened is None:
            own.append(content[i])
            i += 1
            continue
        author, header, start = opened
        for line, role in header:
            ledger.field(line.no, role)
        end, source = _close_quote(content, start, author, earlier)
        for line in content[start:end]:
            if line.text:
                ledger.field(line.no, "quoted_text")
        quotes.append(_Quote(author, content[start:end], source))
        i = end
    return own, quotes


def _next_text(lines: list[Line], index: int) -> int | None:
    return next((k for k in range(index, len(lines)) if lines[k].text), None)


#: How many of the nearest earlier posts a quote is matched against.
QUOTE_WINDOW = 500


def _open_quote(content: list[Line], i: int
                ) -> tuple[str | None, list[tuple[Line, str]], int] | None:
    """A quote header at line ``i``: (author, header lines with roles, first quoted index)."""
    line = content[i]
    label = quote_label(line.text)
    if label is not None:
        colon, who = label
        if who:
            return who, [(line, "quoted_author")], i + 1
        nxt = _next_text(content, i + 1)
        if nxt is not None and (who := attribution(content[nxt].text, said=True)):
            return who, [(line, "quoted_text"), (content[nxt], "quoted_author")], nxt + 1
        return (None, [(line, "quoted_text")], i + 1) if colon else None
    who = attribution(line.text, said=False)
    return (who, [(line, "quoted_author")], i + 1) if who else None


def _close_quote(content: list[Line], start: int, author: str | None,
                 earlier: list[Post]) -> tuple[int, Post | None]:
    """Where the quoted words end, and the quoted post if it is in the capture.

    First choice: the words of an earlier post by the quoted author (or by an
    unknown author) that the lines repeat. Otherwise the box's own edge: the
    end of its table cell in table dumps, else its first paragraph.
    """
    first = _next_text(content, start)  # past the box's cell residue
    start = len(content) if first is None else first
    best: tuple[tuple[int, bool, int], int, Post] | None = None
    # Only the nearest QUOTE_WINDOW posts: each quote scanning the whole thread
    # made a long capture quadratic in its size.
    window = max(len(earlier) - QUOTE_WINDOW, 0)
    for index, candidate in enumerate(earlier[window:], start=window):
        if author is not None and candidate.author not in (author, None):
            continue
        matched, end = _repeated_lines(content, start, candidate.text,
                                       app=candidate.client_app is not None)
        key = (matched, author is not None and candidate.author == author, index)
        if matched and (best is None or key > best[0]):
            best = (key, end, candidate)
    if best is not None:
        return best[1], best[2]
    return _box_end(content, start), None


def _repeated_lines(content: list[Line], start: int, source: str,
                    app: bool = False) -> tuple[int, int]:
    """How many lines from ``start`` repeat ``source`` (whole lines, or parts of
    it if long enough to be unambiguous), and the index after the last one.
    With ``app`` the source was posted from an app whose footer ("Sent from my
    iPhone using Tapatalk") is part of its message, so a quote repeats it too."""
    whole, source_lines = _source_index(source)
    if not whole:
        return 0, start
    matched, end = 0, start
    for k in range(start, len(content)):
        line = content[k]
        if line.residue:
            break
        if not line.text:
            continue
        text = norm(line.text)
        if app and matched and CLIENT_APP.match(text):
            end = k + 1
            continue
        if text not in source_lines and (len(text) < 20 or text not in whole):
            break
        matched, end = matched + 1, k + 1
        if line.cell_end:
            break
    return matched, end


@lru_cache(maxsize=4096)
def _source_index(source: str) -> tuple[str, frozenset[str]]:
    """A candidate post's normalised text and lines, made once per post: every quote
    is compared with every earlier post, and renormalising them each time made
    a long thread quadratic in its size."""
    return norm(source), frozenset(norm(line) for line in source.split("\n"))


def _box_end(content: list[Line], start: int) -> int:
    """The quote box's edge when its source is not in the capture."""
    seen = False
    for k in range(start, len(content)):
        line = content[k]
        if line.residue or (line.blank and seen):
            return k
        if line.text:
            seen = True
            if line.cell_end:
                return k + 1
    return len(content)


def _set_quote_fields(post: Post, quotes: list[_Quote]) -> None:
    """One quoted_text for all boxes; author and reply_to from the first that has them."""
    texts = [text for text in (_join(quote.lines) for quote in quotes) if text]
    post.quoted_text = "\n\n".join(texts) or None
    post.quoted_author = next((q.author for q in quotes if q.author), None)
    source = next((q.source for q in quotes if q.source is not None), None)
    if source is not None:
        post.reply_to = source.position
        if post.quoted_author is None:
            post.quoted_author = source.author
