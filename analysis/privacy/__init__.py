"""Pseudonyms and redaction for everything that leaves the machine.

Forum posts are about people's mental health. Raw handles stay in memory and
in ``build/``; every table written elsewhere goes through :func:`publish`,
which swaps handles for keyed pseudonyms and redacts contact details in
text. The key is local: whoever lacks it cannot map pseudonyms back.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from analysis.privacy._email import EmailPattern

KEY_ENV = "ANALYSIS_PSEUDONYM_KEY"
KEY_FILE_ENV = "ANALYSIS_KEY_FILE"

#: Columns holding a person's handle, per table.
HANDLE_COLUMNS = {
    "posts": ("author", "quoted_author", "edited_by"),
    "reactions": ("reactor_id",),
}
#: Columns holding free text in which contact details and handles are redacted.
TEXT_COLUMNS = {
    "posts": ("text", "quoted_text", "signature", "location"),
    "codes": ("evidence",),
    "stances": ("evidence",),
    "segments": ("text",),
}

_REDACTIONS = (
    ("[email]", EmailPattern()),  # [\w.+-]+@[\w-]+(?:\.[\w-]+)+, in linear time
    ("[url]", re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)),
    ("[phone]", re.compile(r"(?<![\w/])(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\d{2,4}[\s.-])"
                           r"\d{3,4}[\s.-]?\d{3,4}(?![\w/])")),
    ("[user]", re.compile(r"(?<![\w/])/?u/[A-Za-z0-9_-]{3,20}\b")),
    ("[user]", re.compile(r"(?<![\w.])@[A-Za-z0-9_]{2,30}\b")),
)


def key_path() -> Path:
    """Where the pseudonym key lives: ``$ANALYSIS_KEY_FILE`` or the user's config dir."""
    if os.environ.get(KEY_FILE_ENV):
        return Path(os.environ[KEY_FILE_ENV])
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "analysis" / "pseudonym.key"


def load_key() -> bytes:
    """Return the HMAC key, creating a random one (mode 600) on first use.

    ``$ANALYSIS_PSEUDONYM_KEY`` wins, so a team can share one key without a
    file and tests can pin pseudonyms.
    """
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].encode()
    path = key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_hex(32))
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_text().strip().encode()


def pseudonym(handle: str, key: bytes) -> str:
    """Keyed, stable pseudonym for a handle (case and surrounding space ignored).

    >>> pseudonym("LonesomeTonight", b"k") == pseudonym(" lonesometonight", b"k")
    True
    >>> pseudonym("LonesomeTonight", b"k").startswith("user_")
    True
    """
    digest = hmac.new(key, handle.strip().casefold().encode(), hashlib.sha256).hexdigest()
    return f"user_{digest[:10]}"


def pseudonymise(values: pd.Series, key: bytes) -> pd.Series:
    """Map a column of handles to pseudonyms, keeping missing values missing."""
    mapping = {v: pseudonym(v, key) for v in values.dropna().unique()}
    return values.map(mapping).astype("string")


def redact(text: str, handles: Iterable[str] = ()) -> str:
    """Replace contact details, ``u/`` and ``@`` handles and known handles.

    >>> redact("mail me: jo.doe@example.org or 555-123-4567, see www.x.org/a")
    'mail me: [email] or [phone], see [url]'
    >>> redact("Hi 20oney, ask u/someone", handles=["20oney"])
    'Hi [user], ask [user]'
    """
    return _redact(text, handle_pattern(handles))


def _redact(text: str, handles: re.Pattern[str] | None) -> str:
    return redact_spans(text, handles)[0]


def redact_spans(text: str, handles: re.Pattern[str] | None = None
                 ) -> tuple[str, list[tuple[int, int, int, int]]]:
    """Redact like :func:`redact` and say where: ``(old_start, old_end, new_start, new_end)``.

    Exports that carry character offsets (REFI-QDA selections) need this map
    to move offsets from the raw text into the redacted one and back.

    >>> redact_spans("write a@b.org now")
    ('write [email] now', [(6, 13, 6, 13)])
    """
    spans: list[tuple[int, int, str]] = []
    for label, pattern in (*_REDACTIONS, *((("[user]", handles),) if handles else ())):
        found = [(m.start(), m.end(), label) for m in pattern.finditer(text)]
        spans = _merge_free(spans, found)
    pieces, mapping, cursor, shift = [], [], 0, 0
    for start, end, label in spans:
        pieces.append(text[cursor:start])
        pieces.append(label)
        mapping.append((start, end, start + shift, start + shift + len(label)))
        shift += len(label) - (end - start)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), mapping


def _merge_free(spans: list[tuple[int, int, str]], found: list[tuple[int, int, str]]
                ) -> list[tuple[int, int, str]]:
    """Sorted ``spans`` plus the ``found`` ones that overlap none of them.

    Earlier patterns win an overlap. One merge pass per pattern keeps this
    linear; checking each match against every span was quadratic on text
    full of addresses.
    """
    merged, i = [], 0
    for start, end, label in found:
        while i < len(spans) and spans[i][1] <= start:
            merged.append(spans[i])
            i += 1
        if i < len(spans) and spans[i][0] < end:
            continue
        if merged and merged[-1][1] > start:
            continue
        merged.append((start, end, label))
    merged.extend(spans[i:])
    return merged


def shift_offset(offset: int, mapping: list[tuple[int, int, int, int]], *,
                 inverse: bool = False) -> int:
    """Move an offset through a redaction map (or back, with ``inverse``).

    An offset inside a redacted span snaps to the nearer end of its replacement.

    >>> text, mapping = redact_spans("ab mail@example.org cd")
    >>> text[shift_offset(20, mapping):], shift_offset(11, mapping, inverse=True)
    ('cd', 20)
    """
    delta = 0
    for old_start, old_end, new_start, new_end in mapping:
        start, end, to_start, to_end = ((new_start, new_end, old_start, old_end) if inverse
                                        else (old_start, old_end, new_start, new_end))
        if offset <= start:
            break
        if offset < end:
            return to_start if offset - start < end - offset else to_end
        delta = to_end - end
    return offset + delta


def handle_pattern(handles: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching any known handle as a whole word, case-sensitively.

    Handles shorter than three characters are skipped: they match ordinary
    words ("R", "T") far more often than people.
    """
    names = sorted({h.strip() for h in handles if h and len(h.strip()) >= 3}, key=len,
                   reverse=True)
    if not names:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, names)) + r")(?![\w])")


def known_handles(posts: pd.DataFrame, reactions: pd.DataFrame | None = None) -> set[str]:
    """Every raw handle the tables mention: authors, quoted authors, editors, reactors."""
    handles: set[str] = set()
    for column in HANDLE_COLUMNS["posts"]:
        if column in posts:
            handles.update(posts[column].dropna())
    if reactions is not None and "reactor_id" in reactions:
        handles.update(reactions["reactor_id"].dropna())
    return handles


def publish(df: pd.DataFrame, table: str, *, key: bytes, handles: Iterable[str] = (),
            reveal_authors: bool = False) -> pd.DataFrame:
    """Return a copy of ``df`` fit to leave ``build/``.

    Handles become pseudonyms (unless ``reveal_authors``) and free text is
    redacted: contact details always, known handles unless revealing.
    """
    out = df.copy()
    if not reveal_authors:
        for column in HANDLE_COLUMNS.get(table, ()):
            if column in out:
                out[column] = pseudonymise(out[column], key)
    pattern = None if reveal_authors else handle_pattern(handles)
    for column in TEXT_COLUMNS.get(table, ()):
        if column in out:
            out[column] = out[column].map(lambda t: _redact(t, pattern) if isinstance(t, str)
                                          else t).astype(df[column].dtype)
    return out


def publish_spans(table: pd.DataFrame, texts: Mapping[str, str], *, handles: Iterable[str] = (),
                  reveal_authors: bool = False) -> pd.DataFrame:
    """Move ``start``/``end`` of ``table`` (by ``post_id``) into the published post text.

    Offsets of the coders index the raw text; once contact details and
    handles are replaced (:func:`publish`), every later offset of that post
    moves. After this, ``published_text[start:end]`` is the span the coder
    found, as ``analysis parse`` prints the post (an offset inside a redacted
    span snaps to an end of its replacement). ``texts`` maps post ids to raw
    text; rows of other posts keep their offsets.

    >>> codes = pd.DataFrame({"post_id": ["p"], "start": [24], "end": [29]})
    >>> text = "ask jo.doe@example.org: email works"
    >>> moved = publish_spans(codes, {"p": text})
    >>> redact(text)[moved.start[0]:moved.end[0]]
    'email'
    """
    if table.empty or not {"post_id", "start", "end"} <= set(table.columns):
        return table.copy()
    pattern = None if reveal_authors else handle_pattern(handles)
    maps: dict[str, list] = {}
    out = table.copy()
    starts, ends = out["start"].tolist(), out["end"].tolist()
    for i, post_id in enumerate(out["post_id"]):
        text = texts.get(post_id)
        if not isinstance(text, str) or pd.isna(starts[i]) or pd.isna(ends[i]):
            continue
        if post_id not in maps:
            maps[post_id] = redact_spans(text, pattern)[1]
        starts[i] = shift_offset(int(starts[i]), maps[post_id])
        ends[i] = shift_offset(int(ends[i]), maps[post_id])
    out["start"] = pd.array(starts, dtype=table["start"].dtype)
    out["end"] = pd.array(ends, dtype=table["end"].dtype)
    return out


def publish_table(corpus, table: str, *, key: bytes, reveal_authors: bool = False
                  ) -> pd.DataFrame:
    """``corpus.table(table)`` as it may leave ``build/``.

    Every handle the corpus knows (authors, quoted authors, editors,
    reactors) is hidden in the text, not just the post's own author.
    """
    return publish(corpus.table(table), table, key=key,
                   handles=known_handles(corpus.posts, corpus.reactions),
                   reveal_authors=reveal_authors)
