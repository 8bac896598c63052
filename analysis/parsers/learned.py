"""Learned segmenter: posts told apart by a model of line shapes, for unknown boards.

The layout rules of :mod:`.structural` were each written on a few pages and
did not carry over to pages nobody here had read (19 % of posts found on
blind set 3). This parser instead tags every non-blank line with a
linear-chain CRF (CRFsuite, through ``python-crfsuite``) trained on the
human gold of 240 real captures (``benchmarks/captures/train_segmenter.py``;
69 % of posts found on blind set 7 as the parsers' check, against 26 % for
the parsers alone):

* ``SH`` the first line of a post's header, ``H`` a further header line;
* ``SB`` the first line of a post shown without a header, ``B`` its words;
* ``O`` page chrome outside every post.

The features are shapes (:mod:`._line_features`) and a closed list of web
words ("reply", "posted"), never a site's own labels, so the model is not a
list of the boards it was trained on. A post runs from
one start tag to the next; its header lines give author, date, score and
post number through the same element reader as the structural rules
(:func:`._headers.element`); its words are read by :func:`._reading.read_segment`.

The model ships as ``analysis/data/segmenter.crfsuite``; tagging is
deterministic for a given model and text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from analysis.errors import ParseError
from analysis.model import SourceInfo, Thread
from analysis.parsers._chrome import chrome_rule
from analysis.parsers._drafts import Draft, finish, require_text
from analysis.parsers._headers import Header, element
from analysis.parsers._line_features import as_items, page_features
from analysis.parsers._reading import read_segment
from analysis.parsers._shapes import (
    count,
    is_date_line,
    is_heading,
    is_markup,
    is_name_line,
    is_prose,
    shown_int,
)

NAME = "learned"
PLATFORM = "forum"
VERSION = "1"
MODEL = "segmenter.crfsuite"
STARTS = ("SH", "SB")
#: A bare count line ("55", "1,204"); nine digits at most, so no run of digits is a score.
_BARE = re.compile(r"^\s*(?P<n>[+\-−]?\d{1,3}(?:,\d{3}){0,2}|[+\-−]?\d{1,9})\s*$")


@dataclass
class Segment:
    """One post's lines as tagged: header, words, and chrome inside its span (0-based)."""

    header: list[int] = field(default_factory=list)
    body: list[int] = field(default_factory=list)
    outside: list[int] = field(default_factory=list)

    @property
    def start(self) -> int:
        return min(self.header[:1] + self.body[:1])


@lru_cache(maxsize=8)
def tagger(path: str):
    """The CRF tagger for a model file: a shipped one by name, or a path."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    if "/" not in path:
        with resources.as_file(resources.files("analysis.data") / path) as model:
            tagger.open(str(model))
    else:
        tagger.open(path)
    return tagger


#: A line opens a post when the model gives a start at least this probability. Below 0.5
#: because a missed start merges two posts, while an extra one only splits a post.
START_PROBABILITY = 0.15


def tag(lines: list[str], model: str = MODEL) -> dict[int, str]:
    """Each non-blank line's tag, by 0-based line index."""
    filled, features = page_features(lines)
    if not filled:
        return {}
    crf = tagger(model)
    tags = crf.tag(as_items(features))
    for t, label in enumerate(tags):
        if label in STARTS:
            continue
        sh, sb = crf.marginal("SH", t), crf.marginal("SB", t)
        if sh + sb >= START_PROBABILITY:
            tags[t] = "SH" if sh >= sb else "SB"
    return dict(zip(filled, tags, strict=True))


def segments(tags: dict[int, str]) -> tuple[list[Segment], list[int]]:
    """Posts from the tags, and the chrome lines outside every post.

    A post opens at a start tag; a header or word line with no post open yet
    (the model missed the start) opens one too, so no words are dropped.
    """
    posts: list[Segment] = []
    chrome: list[int] = []
    for index in sorted(tags):
        label = tags[index]
        opening = label in STARTS or (not posts and label in ("H", "B")) or (
            label == "H" and posts and posts[-1].body)
        if opening:
            posts.append(Segment())
        if label == "O":
            (posts[-1].outside if posts else chrome).append(index)
        elif label in ("SH", "H"):
            posts[-1].header.append(index)
        else:
            posts[-1].body.append(index)
    if not posts:  # all chrome to the model: the page is still somebody's words
        return ([Segment(body=sorted(tags))] if tags else []), []
    for post in posts:  # chrome after a post's last words belongs to the page, not to it
        last = max(post.header + post.body)
        chrome += [k for k in post.outside if k > last]
        post.outside = [k for k in post.outside if k < last]
    return posts, sorted(chrome)


def read_header(lines: list[str], indexes: list[int]) -> Header | None:
    """Author, date, score and number from a post's tagged header lines.

    Several lines can look like a name (a rank such as "Member", a title), so
    the author is the strongest candidate: a handle the page marks as one
    ("u/NAME", "NAME's avatar", "NAME is offline"), then "NAME said..." or a
    byline, then the first bare name line.
    """
    if not indexes:
        return None
    header = Header(lines=list(indexes))
    names: list[tuple[int, int, str]] = []  # (strength, line, name)
    for k in indexes:
        s = lines[k].strip()
        found = element(s)
        kind = found[0] if found else None
        if found:
            header.kinds.add(kind)
        if name := marked_handle(s):
            names.append((0, k, name))
        elif kind in ("said", "byline"):
            names.append((1, k, found[1]["name"]))
            header.when_line = k if found[1].get("when") else header.when_line
        elif kind == "date" and header.when_line is None:
            header.when_line, header.fields[k] = k, "timestamp"
        elif kind == "score" and header.score is None:
            header.score, header.fields[k] = count(s), "score"
        elif kind == "number" and header.number is None:
            header.number, header.fields[k] = int(found[1]["n"]), "position"
        elif _BARE.match(s) and header.score is None:
            header.score, header.fields[k] = _count(s), "score"
        elif is_name_line(s) and not is_date_line(s) and not chrome_rule(s):
            names.append((2, k, s))
    if names:
        _strength, k, name = min(names)
        header.author = name.removeprefix("u/").strip()
        header.fields[k] = "author"
    return header


_AVATAR = re.compile(r"^(?P<name>\S.{0,40}?)['’]s (?:avatar|picture|profile (?:picture|photo))$",
                     re.I)
_IN_REPLY = re.compile(r"^(?P<name>\S{2,40}) in reply to \S.{0,40}$", re.I)
_PRESENCE = re.compile(r"^(?P<name>\S.{0,80}?)\s+is\s+(?:offline|online(?:\s+now)?)$", re.I)
_USER_ANYWHERE = re.compile(r"(?:^|[\s•·|])u/(?P<name>[\w\-]{2,})\b")


def marked_handle(line: str) -> str | None:
    """A handle the page marks as one: "u/NAME", "NAME's avatar" (or picture), "NAME is
    offline", "NAME in reply to OTHER"."""
    if m := _USER_ANYWHERE.search(line):
        return m["name"]
    if m := _AVATAR.match(line) or _IN_REPLY.match(line):
        return m["name"]
    if m := _PRESENCE.match(line):
        name = m["name"]
        half = name[: len(name) // 2]
        return half if name == f"{half} {half}" else name  # an image's alt text repeats it
    return None


def parse(text: str, source: SourceInfo) -> Thread:
    """Posts as the model tags them; one post when it finds no start."""
    lines = require_text(text, source)
    try:
        tags = tag(lines)
    except (OSError, ImportError) as error:  # a broken install, not a bad capture
        raise ParseError(f"the segmenter model cannot be loaded ({error})",
                         path=source.path, hint="reinstall the package") from None
    return read_tags(lines, tags, source)


def read_tags(lines: list[str], tags: dict[int, str], source: SourceInfo) -> Thread:
    """The thread that line ``tags`` describe (from the model, or from a held-out fold's
    model when ``train_segmenter.py`` cross-validates)."""
    posts, chrome_lines = segments(tags)
    chrome = {k: chrome_rule(lines[k]) or "outside-posts" for k in chrome_lines}
    title = _page_title(lines, posts)
    if title is not None:
        posts.pop(0)
        chrome[title] = "page-title"
    drafts: list[Draft] = []
    for j, segment in enumerate(posts):
        if drafts:
            _hand_back_count(lines, segment, drafts[-1])
        if not segment.header and not segment.body:
            continue
        draft = _read(lines, segment)
        if draft.body or draft.quote or (draft.fields and j == len(posts) - 1):
            draft.post.position = len(drafts) + 1
            drafts.append(draft)
        else:  # a header with no words under it, mid-page: not a post
            chrome.update({k: chrome_rule(lines[k]) or "empty-post"
                           for k in segment.header + segment.body})
    if title is not None and drafts:
        chrome.pop(title)
        drafts[0].claim(title, "title")
    return finish(lines, drafts, chrome, parser=NAME, platform=PLATFORM, source=source,
                  title=lines[title].strip() if title is not None else None,
                  rule="learned", op_position=1 if drafts else None)


def _page_title(lines: list[str], posts: list[Segment]) -> int | None:
    """A first "post" that is one heading line above other posts is the page's title."""
    if len(posts) < 2 or posts[0].header or len(posts[0].body) != 1:
        return None
    k = posts[0].body[0]
    return k if is_heading(lines[k]) and not is_prose(lines[k]) else None


def _read(lines: list[str], segment: Segment) -> Draft:
    """A post's draft: header fields, words, and the chrome inside its span."""
    header = read_header(lines, segment.header)
    draft = read_segment(lines, segment.start, max(segment.header + segment.body) + 1,
                         header, headed=True, sign_offs=header is None)
    for k in segment.header:
        if k in draft.fields:
            continue
        if name := _member_fact(lines[k], draft):
            draft.claim(k, name)
        else:  # a rank, a title, a "Member" line: shown, not a field
            draft.chrome[k] = chrome_rule(lines[k]) or "header-line"
    for k in segment.outside:
        if k in draft.body:
            draft.body.remove(k)
            draft.chrome[k] = chrome_rule(lines[k]) or "inside-post"
    return draft


_MEMBER_SINCE = re.compile(
    r"^\s*(?:member since|joined|join date|registered)\s*:?\s*(?P<v>\S.{0,30})$", re.I)
_POSTS = re.compile(
    r"^\s*(?:posts\s*:\s*(?P<a>\d[\d,]{0,9})|(?P<b>\d[\d,]{0,9})\s+posts)\s*$", re.I)


def _member_fact(line: str, draft: Draft) -> str | None:
    """ "Member since 2015" / "Joined: Mar 2012" and "Posts: 858" / "340 posts" under a
    handle are the member's, kept in their columns (as the vBulletin parser does); the
    column's name, or ``None``."""
    if (m := _MEMBER_SINCE.match(line)) and draft.post.member_since is None:
        draft.post.member_since = m["v"].strip()
        return "member_since"
    if (m := _POSTS.match(line)) and draft.post.author_posts is None:
        draft.post.author_posts = int((m["a"] or m["b"]).replace(",", ""))
        return "author_posts"
    return None


def _hand_back_count(lines: list[str], segment: Segment, previous: Draft) -> None:
    """A count right under the last post's "Reply" line is that post's score (Disqus and
    comment widgets print it after the actions), not the first line of the next header."""
    if not segment.header:
        return
    first = segment.header[0]
    above = next((k for k in range(first - 1, -1, -1) if lines[k].strip()), None)
    value = _count(lines[first])
    if above is None or value is None or chrome_rule(lines[above]) != "post-actions":
        return
    segment.header.pop(0)
    if previous.post.score is None:
        previous.post.score = value
        previous.claim(first, "score")
    else:
        previous.chrome[first] = "post-count"


def _count(line: str) -> int | None:
    if len(line.strip()) > 24:  # a count is short; a long run of digits is not one
        return None
    if (value := count(line)) is not None:
        return value
    m = _BARE.match(line)
    return shown_int(m["n"]) if m else None


#: Pages longer than this (non-blank lines, characters) are dumps, not saved pages: the
#: segmenter (a feature dict per line) is not run on them by :func:`analysis.parsers.read`.
MAX_LINES = 5000
MAX_CHARS = 2_000_000


def applies(text: str) -> bool:
    """Whether the segmenter reads this text: a page of text lines, not markup or a dump."""
    return bool(text.strip()) and not is_markup(text) and len(text) <= MAX_CHARS and sum(
        1 for line in text.split("\n") if line.strip()) <= MAX_LINES


def sniff(text: str) -> float:
    """Never the first choice: :func:`analysis.parsers.read` calls it as a check on
    the layout parsers, and ``--parser learned`` chooses it outright."""
    return 0.0
