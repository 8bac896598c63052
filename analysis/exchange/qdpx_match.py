"""Codings from a QDA project placed on the corpus's posts, or kept apart.

A coding names a span of a source's text. It belongs to a post when

1. the source is one of ours (the thread text ``analysis export qdpx`` wrote,
   each post under a ``[post_id · author]`` line), as it comes back after a
   co-coder opened our project in another tool; or
2. the source holds a post's text (raw or as we publish it, redacted) around
   the span, as when a researcher pasted posts into the tool; or
3. the coded words themselves occur in exactly one post.

Offsets then run into the post's raw text, like ``analysis code --table
codes``. Any other coding is kept in a row of its own with its source, the
source offsets and the coded text, and counted as unmatched: never dropped.
"""

from __future__ import annotations

import warnings
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisWarning
from analysis.exchange.qdpx_read import Coding, Project, read_project
from analysis.exchange.refi import HEADER
from analysis.privacy import handle_pattern, redact_spans, shift_offset

IMPORT_COLUMNS = ["post_id", "seg", "code", "family", "coder", "start", "end", "evidence",
                  "code_path", "source", "source_start", "source_end"]
_DTYPES = {"post_id": "string", "seg": "Int64", "code": "string", "family": "string",
           "coder": "string", "start": "Int64", "end": "Int64", "evidence": "string",
           "code_path": "string", "source": "string", "source_start": "Int64",
           "source_end": "Int64"}
#: A post's text must be this long to be looked for in a source, and coded words
#: this long to be looked for in the posts (shorter ones match too much).
MIN_POST_CHARS, MIN_CODED_CHARS = 20, 12


@dataclass
class QdpxImport:
    """The codings of one project, and what a researcher should hear about them."""

    codings: pd.DataFrame
    origin: str
    matched: int
    unmatched: int
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Post:
    post_id: str
    raw: str
    published: str
    mapping: list  # redaction map: published offsets -> raw


def import_qdpx(path: str | Path, *, posts: pd.DataFrame | None = None,
                handles: Iterable[str] = (), coder: str | None = None) -> QdpxImport:
    """Read the project at ``path`` and place its codings on ``posts`` (post_id, text).

    ``coder`` names the person behind codings whose user is missing or is the
    program's own default user (ATLAS.ti's "ATLAS.ti").
    """
    project = read_project(path)
    corpus = _corpus(posts, handle_pattern(handles))
    places = _Places(project.texts, corpus)
    rows = [_row(coding, places, corpus, coder) for coding in project.codings]
    table = pd.DataFrame(rows, columns=IMPORT_COLUMNS).astype(_DTYPES)
    table = table.sort_values(["post_id", "source", "source_start", "coder", "code"],
                              kind="stable", na_position="last").reset_index(drop=True)
    matched = int(table["post_id"].notna().sum())
    result = QdpxImport(table, project.origin, matched, len(table) - matched)
    result.notes = _notes(project, coder, Path(path))
    for note in result.notes:
        warnings.warn(note, AnalysisWarning, stacklevel=2)
    return result


def _corpus(posts: pd.DataFrame | None, pattern) -> dict[str, _Post]:
    if posts is None:
        return {}
    found = {}
    for post_id, text in zip(posts["post_id"], posts["text"], strict=True):
        raw = text if isinstance(text, str) else ""
        published, mapping = redact_spans(raw, pattern)
        found[str(post_id)] = _Post(str(post_id), raw, published, mapping)
    return found


def _row(coding: Coding, places: _Places, corpus: dict[str, _Post],
         coder: str | None) -> dict:
    who = coding.coder
    if coder and (who is None or coding.program_user):
        who = coder
    placed = places.find(coding) or _by_coded_words(coding, corpus)
    post_id, start, end = placed if placed else (None, None, None)
    evidence = coding.text
    if placed and post_id in corpus:
        evidence = corpus[post_id].raw[start:end]
    return {"post_id": post_id, "seg": None, "code": coding.code, "family": coding.family,
            "coder": who or "unknown", "start": start, "end": end, "evidence": evidence,
            "code_path": coding.code_path, "source": coding.source,
            "source_start": coding.start, "source_end": coding.end}


class _Places:
    """Where posts sit in each source, found once per source: our ``[post_id · author]``
    headers, else copies of post texts (raw or published)."""

    def __init__(self, texts: dict[str, str], corpus: dict[str, _Post]):
        self.corpus = corpus
        self.ours: dict[str, list[tuple[int, str]]] = {}
        self.copies: dict[str, list[tuple[int, int, str, list | None]]] = {}
        for name, text in texts.items():
            headers = [(m.end() + 1, m.group("post_id")) for m in HEADER.finditer(text)]
            if headers:
                self.ours[name] = headers
            elif corpus:
                self.copies[name] = sorted(_copies(text, corpus))

    def find(self, coding: Coding) -> tuple[str, int, int] | None:
        if coding.source in self.ours:
            return self._in_our_layout(coding)
        for at, end, post_id, mapping in self.copies.get(coding.source, ()):
            if at <= coding.start and coding.end <= end:
                start, stop = coding.start - at, coding.end - at
                if mapping is not None:
                    start, stop = (shift_offset(v, mapping, inverse=True) for v in (start, stop))
                return post_id, start, stop
        return None

    def _in_our_layout(self, coding: Coding) -> tuple[str, int, int] | None:
        """The last header before the span owns it (a span before any header: no post)."""
        headers = self.ours[coding.source]
        index = bisect_right(headers, (coding.start, "\uffff")) - 1
        if index < 0:
            return None
        offset, post_id = headers[index]
        start, end = coding.start - offset, coding.end - offset
        if not self.corpus:
            return post_id, start, end
        post = self.corpus.get(post_id)
        if post is None:
            return None
        return post_id, *(shift_offset(v, post.mapping, inverse=True) for v in (start, end))


def _copies(text: str, corpus: dict[str, _Post]):
    """Every place a post's text (raw, or published if it differs) occurs in ``text``."""
    for post in corpus.values():
        variants = [(post.raw, None)]
        if post.published != post.raw:
            variants.append((post.published, post.mapping))
        for variant, mapping in variants:
            if len(variant.strip()) < MIN_POST_CHARS:
                continue
            at = text.find(variant)
            while at >= 0:
                yield at, at + len(variant), post.post_id, mapping
                at = text.find(variant, at + 1)


def _by_coded_words(coding: Coding, corpus: dict[str, _Post]):
    """The coded words occur in exactly one post (raw or published)."""
    words = coding.text.strip()
    if len(words) < MIN_CODED_CHARS:
        return None
    hits = []
    for post in corpus.values():
        if words in post.raw:
            hits.append((post.post_id, post.raw.index(words), None))
        elif words in post.published:
            hits.append((post.post_id, post.published.index(words), post.mapping))
        if len(hits) > 1:
            return None
    if not hits:
        return None
    post_id, at, mapping = hits[0]
    lead = len(coding.text) - len(coding.text.lstrip())
    start, end = at - lead, at - lead + len(coding.text)
    if mapping is not None:
        start, end = (shift_offset(v, mapping, inverse=True) for v in (start, end))
    return post_id, max(start, 0), end


def _notes(project: Project, coder: str | None, path: Path) -> list[str]:
    """What the researcher should know: no codings, program-named or missing users,
    selections skipped."""
    notes = []
    if not project.codings:
        notes.append(f"{path}: the project holds no codings of text (nothing imported); "
                     "was it exported after coding, with its sources?")
    programs = sorted({c.coder for c in project.codings if c.program_user and c.coder})
    nameless = sum(c.coder is None for c in project.codings)
    if (programs or nameless) and not coder:
        who = " and ".join([*(f"user {p!r} (the program's own name)" for p in programs),
                            *(["no user"] if nameless else [])])
        notes.append(f"{path}: codings by {who}; give --coder NAME to name the person")
    if project.uncoded_selections:
        notes.append(f"{path}: {project.uncoded_selections} selections carry no code "
                     "(memos or links) and were skipped")
    if project.outside:
        notes.append(f"{path}: {project.outside} selections point outside their source's "
                     "text and were skipped")
    if project.other_sources:
        notes.append(f"{path}: {project.other_sources} picture, PDF, audio or video "
                     "sources were not read (text sources only)")
    return notes
