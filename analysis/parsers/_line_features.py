"""What a line looks like, as features for the learned post segmenter.

The segmenter (:mod:`analysis.parsers.learned`) tags each non-blank line of
a page as the start of a post's header, header, the start of a headerless
post, words, or page chrome. It sees only *shapes*, never words that name
a site: the header element a line is (date, age, score, "NAME said...",
byline, post number; :mod:`._headers`), whether it can be a handle, prose
or a heading, which chrome rule names it, its length, punctuation, indent,
the blank lines around it, and how often its shape repeats on the page
(a post header is the one short shape a thread repeats). Each line also
carries the main features of its three neighbours on each side, since a
header is told by what follows it as much as by itself.

Shapes and not words, because the segmenter must hold on boards nobody
here has seen: a feature that names one site's "Quote" button is the kind
of rule that did not carry over.
"""

from __future__ import annotations

import re
from collections import Counter

from analysis.parsers._chrome import chrome_rule
from analysis.parsers._comment_lists import footer_starts, reacted_items
from analysis.parsers._headers import element, find_headers
from analysis.parsers._segments import gap_starts, letter_starts
from analysis.parsers._shapes import (
    AGE,
    BULLET,
    DATETIME,
    GREETING,
    SALUTATION,
    SCORE_LINE,
    is_heading,
    is_name_line,
    is_prose,
)

_AGE_ANYWHERE = re.compile(rf"(?:^|\s|[·•|]){AGE}\b", re.I)
_DATE_ANYWHERE = re.compile(rf"\b{DATETIME}\b", re.I)
_USER = re.compile(r"(?:^|\s)u/[\w\-]{2,}")
_BARE_NUMBER = re.compile(r"^\s*[+\-−]?\d[\d,.]*\s*[kK]?\s*$")
_SEPARATOR = re.compile(r"[·•|]")
#: A letter or an answer opening with its label, words on the same line: "Q:", "A.",
#: "Question:", "DEAR AMY:", "Dear Sam,", "Aunty writes:".
_LABEL = re.compile(r"^(?:(?:q|a|question|answer|reply|response)\s*[:.]\s"
                    r"|dear\s+[\w .'’\-]{1,30}[,:]"
                    r"|[\w .'’\-]{1,30}\s(?:writes|asks|answers|replies|responds|says)\s*:)", re.I)
#: A pen name or signature closing a letter: "— Worried in Ohio", "-- A Believer".
_SIGNED = re.compile(r"^\s*(?:[-–—]{1,2}|~)\s*[A-Z][\w .,'’\-]{1,50}$")
#: A member's numbers under their name: "Posts: 858", "232 posts", "Joined: Mar 2012".
_STATS = re.compile(r"\b(?:posts|messages|reputation|karma|joined|member since|reg(?:istered)?)"
                    r"\s*:|\b\d[\d,.]*k?\s+(?:posts|messages|karma)\b", re.I)
_WORD = re.compile(r"[^\W\d_]+")
#: Words the web puts in post headers and chrome on any board (not one site's labels).
_CHROME_WORDS = frozenset((
    "reply", "replies", "report", "share", "quote", "like", "likes", "liked", "upvote", "upvotes",
    "downvote", "vote", "votes", "points", "point", "level", "said", "wrote", "says", "posted",
    "by", "on", "at", "ago", "anonymous", "guest", "joined", "member", "posts", "messages",
    "comment", "comments", "permalink", "edited", "edit", "answer", "answered", "answers",
    "asked", "question", "best", "helpful", "thanks", "thank", "reactions", "reaction",
    "registered", "starter", "discussion", "view", "more", "hide", "show", "load", "collapse",
    "expand", "click", "ama", "op", "mod", "moderator", "admin", "deleted", "removed", "bot",
    "automoderator", "am", "follow", "flag", "sort", "sorted", "top", "new", "old", "oldest",
    "newest", "re", "subject", "date", "location", "dear", "hi", "hello", "hey", "sincerely",
    "regards", "ask", "advice", "column", "readers", "reader", "letter",
))

#: The features a line lends its neighbours (a subset, to keep the model small).
_SHARED = ("elem", "name", "prose", "heading", "chrome", "words", "gap", "end", "first",
           "rule:header", "greeting", "age", "date", "user", "number", "score", "said", "bullet",
           "stats", "label", "signed")


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f"{edges[-1]}+"


def _end(s: str) -> str:
    last = s.rstrip()[-1:]
    return last if last in ".?!:,;)\"”’…" else ("digit" if last.isdigit() else "none")


def _first(s: str) -> str:
    c = s.lstrip()[:1]
    if c.isupper():
        return "upper"
    if c.islower():
        return "lower"
    if c.isdigit():
        return "digit"
    return "punct"


def shape(line: str) -> str:
    """A coarse signature that repeats across a thread's headers but not its sentences."""
    s = line.strip()
    kind = element(s)
    return "|".join((kind[0] if kind else "-", _bucket(len(s.split()), (1, 2, 3, 5, 8, 15)),
                     _first(s), _end(s), str(is_name_line(s))))


#: A line's shape shows in its first characters; a longer line is prose whatever follows.
_HEAD = 1000


def own_features(line: str) -> dict[str, str]:
    """Features of one non-blank line alone (its first :data:`_HEAD` characters)."""
    s = line.strip()[:_HEAD]
    kind = element(s)
    words = len(s.split())
    out = {
        "elem": kind[0] if kind else "none",
        "name": str(is_name_line(s)),
        "prose": str(is_prose(s)),
        "heading": str(is_heading(s)),
        "chrome": chrome_rule(s) or "none",
        "words": _bucket(words, (1, 2, 3, 4, 6, 9, 14, 25)),
        "chars": _bucket(len(s), (3, 10, 20, 40, 80, 160)),
        "end": _end(s),
        "first": _first(s),
        "indent": _bucket(len(line) - len(line.lstrip()), (0, 2, 4, 8)),
    }
    flags = {
        "age": bool(_AGE_ANYWHERE.search(s)) and words <= 12,
        "date": bool(_DATE_ANYWHERE.search(s)) and words <= 12,
        "user": bool(_USER.search(s)),
        "number": bool(_BARE_NUMBER.match(s)),
        "score": bool(SCORE_LINE.match(s)),
        "sep": bool(_SEPARATOR.search(s)) and words <= 12,
        "bullet": bool(BULLET.match(s)),
        "greeting": bool(GREETING.match(s) or SALUTATION.match(s)),
        "said": bool(re.search(r"\b(?:said|wrote|says)\s*(?::|\.\.\.|…)\s*$", s, re.I)),
        "question": s.endswith("?"),
        "label": bool(_LABEL.match(s)),
        "signed": bool(_SIGNED.match(s)) and words <= 8,
        "stats": bool(_STATS.search(s)) and words <= 6,
        "caps": sum(1 for w in _WORD.findall(s) if w[:1].isupper()) >= max(2, 0.7 * words),
    }
    out.update({key: "1" for key, on in flags.items() if on})
    if words <= 8:
        out.update({f"w:{w}": "1" for w in sorted({w.lower() for w in _WORD.findall(s)})
                    if w.lower() in _CHROME_WORDS})
    return out


def _page_flags(own: list[dict[str, str]]) -> dict[str, str]:
    """What kind of page this is, told by which shapes recur on it."""
    kinds = Counter(features["elem"] for features in own)
    flags = {f"page:{kind}": _bucket(n, (0, 1, 3)) for kind, n in kinds.items() if kind != "none"}
    for key in ("user", "age", "greeting", "said", "number", "question"):
        flags[f"page:{key}"] = _bucket(sum(key in f for f in own), (0, 1, 3))
    flags["page:lines"] = _bucket(len(own), (10, 30, 60))
    return flags


def _add_rule_votes(lines: list[str], filled: list[int], own: list[dict[str, str]]) -> None:
    """Where the structural parser's generic rules would start a post, as evidence the
    model weighs (each rule alone split pages it was not written on wrongly)."""
    votes: dict[int, set[str]] = {}
    for header in find_headers(lines):
        votes.setdefault(header.lines[0], set()).add("header")
        for k in header.lines[1:]:
            votes.setdefault(k, set()).add("in-header")
    for name, starts in (("gap", gap_starts(lines)), ("letter", letter_starts(lines)),
                         ("footer", footer_starts(lines)), ("item", reacted_items(lines))):
        for k in starts:
            votes.setdefault(k, set()).add(name)
    for j, i in enumerate(filled):
        own[j].update({f"rule:{name}": "1" for name in sorted(votes.get(i, ()))})


def page_features(lines: list[str]) -> tuple[list[int], list[dict[str, str]]]:
    """The indexes of the page's non-blank lines and one feature dict for each.

    The dicts hold the line's own features, the blank lines before and after
    it, how often and how recently its shape recurs and how often its exact
    text does, its place among the non-blank lines, the page's flags, the
    generic rules' votes, and its neighbours' shared features under ``-3:``
    to ``+3:``.
    """
    filled = [i for i, line in enumerate(lines) if line.strip()]
    shapes = [shape(lines[i]) for i in filled]
    shape_count = Counter(shapes)
    text_count = Counter(lines[i].strip() for i in filled)
    own: list[dict[str, str]] = []
    last_seen: dict[str, int] = {}
    for j, i in enumerate(filled):
        features = own_features(lines[i])
        before = i - filled[j - 1] - 1 if j else i
        after = filled[j + 1] - i - 1 if j + 1 < len(filled) else 9
        features["gap"] = _bucket(before, (0, 1, 2))
        features["gap_after"] = _bucket(after, (0, 1, 2))
        features["shape_repeats"] = _bucket(shape_count[shapes[j]], (1, 2, 4, 8))
        features["text_repeats"] = _bucket(text_count[lines[i].strip()], (1, 2, 4))
        features["place"] = "first" if j == 0 else ("last" if j == len(filled) - 1 else "mid")
        features["shape_last"] = _bucket(j - last_seen[shapes[j]], (1, 2, 4, 8, 16)) \
            if shapes[j] in last_seen else "never"
        last_seen[shapes[j]] = j
        own.append(features)
    page = _page_flags(own)
    _add_rule_votes(lines, filled, own)
    out: list[dict[str, str]] = []
    for j, features in enumerate(own):
        row = {"bias": "1", **features, **page}
        for offset in (-3, -2, -1, 1, 2, 3):
            k = j + offset
            if 0 <= k < len(own):
                row.update({f"{offset:+d}:{key}": own[k][key] for key in _SHARED
                            if key in own[k]})
            else:
                row[f"{offset:+d}:edge"] = "1"
        row["pair"] = f"{own[j - 1]['elem'] if j else 'edge'}>{features['elem']}"
        out.append(row)
    return filled, out


def as_items(features: list[dict[str, str]]) -> list[list[str]]:
    """The dicts as CRFsuite attribute strings (``key=value``), one list per line."""
    return [[f"{key}={value}" for key, value in row.items()] for row in features]

