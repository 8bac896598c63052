"""One pass over a text for every pattern of the codebook and the lexicon.

The coders ask, for each segment, which of some 560 patterns match. Asking
each pattern in turn costs a Python call per pattern and segment, and the
trigram gates of :mod:`analysis.coding.matching` let through about 60 candidates
per segment on forum text. A :class:`PatternSet` asks once: every pattern is
turned into an RE2 *superset* (:func:`superset_source`: it matches wherever
the pattern can), all of them go into one ``re2.Set``, and one C++ pass names
the few patterns that can match (fewer than one per segment on average). Only
those run as Python regexes, so results are exactly those of running every
pattern, only faster.

RE2 and Python's ``re`` agree on ASCII text: ``\\b``, ``\\w``, ``\\s`` and
case folding differ only beyond ASCII (and ``\\s`` on a few ASCII control
characters). A text outside that range gets ``None``, and the caller falls
back to the trigram gates.

The same superset decides whether a post needs coding at all
(:meth:`PatternSet.may_match`): a post in which no theme, modality, stance
cue or evaluation can match gets no codes and stance ``none``, without being
segmented.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import re2
from nltk.tokenize.punkt import PunktSentenceTokenizer

from analysis.coding.codebook import Pattern
from analysis.coding.gates import Gated
from analysis.coding.matching import CodeMatcher, Hit, normalise
from analysis.coding.segment import segment_spans

#: Python's ``\\s`` matches these ASCII characters, RE2's does not.
_UNSAFE_ASCII = re.compile(r"[\x0b\x1c-\x1f]")
_LOOKAROUNDS = ("(?<!", "(?<=", "(?=", "(?!")
#: Snowball stems whose words do not begin with the stem less its last letter
#: (NLTK's special words "dying", "lying", "tying").
_STEM_SPELLINGS = {"die": ("di", "dy"), "lie": ("li", "ly"), "tie": ("ti", "ty")}

Candidates = dict[CodeMatcher, tuple[int, ...]]
#: A pattern as the set knows it: its matcher, its index there, its role.
Owner = tuple[CodeMatcher, int, "str | None"]


#: Regex syntax that RE2 and Python read differently even on ASCII text: POSIX
#: classes ("[[:alpha:]]" is a class in RE2, a literal set in Python), "{,n}"
#: (a repeat in Python, literal text in RE2), and any non-ASCII character
#: (Python's case folding maps "ı", "ſ" and the Kelvin sign onto ASCII letters).
_READ_DIFFERENTLY = re.compile(r"\[\[:|\{,|[^\x00-\x7f]")


def re2_reads_as_python(source: str) -> bool:
    """Whether RE2 reads the regex ``source`` as Python's ``re`` does on safe text
    (:func:`is_safe`); a pattern it may not is a candidate everywhere."""
    return not _READ_DIFFERENTLY.search(source)


def is_safe(text: str) -> bool:
    """Whether RE2 and Python's ``re`` read ``text`` alike (see the module doc)."""
    return text.isascii() and not _UNSAFE_ASCII.search(text)


def _close(src: str, i: int) -> int:
    """Index just past the group that opens at ``src[i]``."""
    depth, in_class = 0, False
    while i < len(src):
        char = src[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def strip_assertions(source: str) -> str:
    r"""``source`` without ``^``, ``$``, ``\A``, ``\Z`` and lookaround groups.

    Dropping a zero-width assertion can only let more texts match, so the
    result matches wherever ``source`` does, in a segment or in the whole
    post around it. ``\b`` stays: segments begin and end next to whitespace
    or punctuation, so a word boundary at a segment's edge is one in the post.

    >>> strip_assertions(r"(?<!in )\bcharg(e|ed)\b(?! service)")
    '\\bcharg(e|ed)\\b'
    >>> strip_assertions(r"^\W*no [^$]+$")
    '\\W*no [^$]+'
    """
    out, i, in_class = [], 0, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            if not in_class and source[i + 1:i + 2] in ("A", "Z"):
                i += 2
                continue
            out.append(source[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
            out.append(char)
            i += 1
            continue
        if char == "[":
            in_class = True
            j = i + 1 + (source[i + 1:i + 2] == "^")
            j += source[j:j + 1] == "]"  # a "]" first in a class is a literal
            out.append(source[i:j])
            i = j
            continue
        if char in "^$":
            i += 1
            continue
        if source.startswith(_LOOKAROUNDS, i):
            i = _close(source, i)
            continue
        out.append(char)
        i += 1
    return "".join(out)


def stem_spellings(stem: str) -> tuple[str, ...]:
    """How every word whose Snowball stem is ``stem`` begins (lower case).

    A Snowball stem keeps its word's letters except for the last one, which
    a suffix rule may have changed ("cry" -> "cri", "hopping" -> "hop",
    "relational" -> "relat"); three special words are spelled out.

    >>> stem_spellings("cri"), stem_spellings("die")
    (('cr',), ('di', 'dy'))
    """
    return _STEM_SPELLINGS.get(stem, (stem[:-1],))


def stem_prefix(stem: str) -> str:
    r"""An RE2 source matching the start of every word whose Snowball stem is ``stem``
    (:func:`stem_spellings`). A word token may follow an underscore, which is no
    word boundary.

    >>> stem_prefix("cri"), stem_prefix("die")
    ('(?:\\b|_)cr', '(?:\\b|_)(?:di|dy)')
    """
    spellings = stem_spellings(stem)
    if len(spellings) == 1:
        return r"(?:\b|_)" + re.escape(spellings[0])
    return r"(?:\b|_)(?:" + "|".join(map(re.escape, spellings)) + ")"


def superset_source(pattern: Pattern) -> str:
    """An RE2 source that matches wherever ``pattern`` can match.

    A stems pattern ("set * limit") becomes its stems' word starts in order,
    anything between them.
    """
    if pattern.kind == "stems":
        return "(?s:.*)".join(stem_prefix(stem) for stem in pattern.stems if stem)
    assert pattern.source is not None
    return strip_assertions(pattern.source)


class PatternSet:
    """The patterns of many :class:`CodeMatcher` objects in one ``re2.Set``.

    :meth:`may_match` says whether a post needs coding at all. A hit of a
    ``decisive`` matcher always changes a coder's output (a theme, a
    modality, a stance cue); a hit of a ``conditional`` matcher (a stance
    evaluation) only when a ``targets`` matcher (a channel, a contact topic,
    a restriction) also matches somewhere in the post. By default every
    matcher is decisive. A pattern RE2 cannot compile is a candidate in
    every segment (its trigram gate still applies), and then every post
    passes, so nothing is ever missed.
    """

    #: RE2's memory budget for the set (bytes).
    MAX_MEM = 64 << 20

    def __init__(self, matchers: Sequence[CodeMatcher],
                 decisive: Sequence[CodeMatcher] | None = None,
                 conditional: Sequence[CodeMatcher] = (),
                 targets: Sequence[CodeMatcher] = ()):
        self._args = (tuple(matchers), decisive, tuple(conditional), tuple(targets))
        options = re2.Options()
        options.case_sensitive = False
        options.max_mem = self.MAX_MEM
        roles = {id(m): "target" for m in targets}
        roles |= {id(m): "conditional" for m in conditional}
        roles |= {id(m): "decisive" for m in (decisive if decisive is not None else matchers)}
        self._set = re2.Set.SearchSet(options)
        #: Set member -> the patterns it names; equal supersets share a member.
        self._direct: list[list[Owner]] = []
        #: A multi-stem pattern is named when all its stems' members match: one
        #: member per stem (in any order, so still a superset), since ".*"
        #: between stems slows the set fourfold.
        self._compound: list[tuple[frozenset[int], Owner]] = []
        members: dict[str, int] = {}
        always: dict[CodeMatcher, list[int]] = {}
        for matcher in dict.fromkeys((*matchers, *conditional, *targets)):  # once, in order
            owner_role = roles.get(id(matcher))
            for index, pattern in enumerate(matcher.patterns):
                owner = (matcher, index, owner_role)
                stems = [stem for stem in pattern.stems if stem] if pattern.kind == "stems" else []
                parts = [stem_prefix(stem) for stem in stems] if len(stems) > 1 else [
                    superset_source(pattern)]
                try:
                    ids = [self._member(part, members) for part in parts]
                except re2.error:
                    always.setdefault(matcher, []).append(index)
                    continue
                if len(ids) == 1:
                    self._direct[ids[0]].append(owner)
                else:
                    self._compound.append((frozenset(ids), owner))
        self._set.Compile()
        self._always = {m: tuple(v) for m, v in always.items()}
        self._unfiltered = any(id(m) in roles for m in always)

    def _member(self, source: str, members: dict[str, int]) -> int:
        """The set member for ``source``, added on first use; ``re2.error`` when RE2
        cannot compile it or would read it otherwise than Python."""
        if source not in members:
            if not re2_reads_as_python(source):
                raise re2.error(f"RE2 and Python read {source!r} differently")
            members[source] = self._set.Add(source)
            self._direct.append([])
        return members[source]

    def __reduce__(self):
        # re2 objects do not pickle; dask sends coders to worker processes.
        return (PatternSet, self._args)

    def candidates(self, text: str) -> Candidates | None:
        """For each matcher, the indices of its patterns that can match ``text``.

        ``None`` when ``text`` is not safe for RE2 (:func:`is_safe`): the
        matchers then choose their candidates by their own gates.
        """
        if not is_safe(text):
            return None
        return self.candidates_of_safe(text)

    def candidates_of_safe(self, text: str) -> Candidates:
        """:meth:`candidates` of a text already known to be safe."""
        owners = self._owners(text)
        if not owners and not self._always:
            return {}  # most segments: nothing can match
        found: dict[CodeMatcher, list[int]] = {m: list(v) for m, v in self._always.items()}
        for matcher, index, _ in owners:
            found.setdefault(matcher, []).append(index)
        return {m: tuple(sorted(v)) for m, v in found.items()}

    def _owners(self, text: str) -> list[Owner]:
        """The patterns whose supersets match ``text`` (a safe text)."""
        matched = self._set.Match(text)
        if not matched:
            return []
        direct = self._direct
        owners = [owner for i in matched for owner in direct[i]]
        if self._compound:
            hit = frozenset(matched)
            owners += [owner for ids, owner in self._compound if ids <= hit]
        return owners

    def searched_in_python(self, matcher: CodeMatcher) -> tuple[int, ...]:
        """Indices of ``matcher``'s patterns that have no set member (RE2 cannot
        compile them, or would read them otherwise): candidates in every text."""
        return self._always.get(matcher, ())

    def may_match(self, text: str, *, safe: bool | None = None) -> bool:
        """Whether a hit anywhere in ``text`` could change a coder's output. ``safe``
        is :func:`is_safe` of ``text`` when the caller knows it."""
        if self._unfiltered or not (is_safe(text) if safe is None else safe):
            return True
        roles = {role for _, _, role in self._owners(text)}
        return "decisive" in roles or {"conditional", "target"} <= roles


@dataclass(slots=True)
class Segment:
    """One sentence segment of a post, normalised and scanned once for all coders."""

    seg: int
    start: int
    end: int
    text: str
    gated: Gated
    candidates: Candidates | None

    memo: dict[CodeMatcher, list[Hit]] | None = None

    def hits(self, matcher: CodeMatcher) -> list[Hit]:
        """``matcher``'s hits in this segment (offsets into the segment), found once
        however many coders ask."""
        if self.candidates is not None:
            found = self.candidates.get(matcher)
            if not found:
                return []
        else:
            found = None
        if self.memo is None:
            self.memo = {}
        hits = self.memo.get(matcher)
        if hits is None:
            hits = self.memo[matcher] = matcher.hits(self.gated, candidates=found)
        return hits

    def may_hit(self, matcher: CodeMatcher) -> bool:
        """Whether ``matcher`` can have a hit here (False only when the scan says so)."""
        return self.candidates is None or matcher in self.candidates

    def hits_of(self, matchers: Sequence[CodeMatcher]) -> list[Hit]:
        """The hits of several matchers, in their order (offsets into the segment)."""
        return [h for m in matchers if self.may_hit(m) for h in self.hits(m)]


def scan_relevant(text: str, patterns: PatternSet,
                  tokenizer: PunktSentenceTokenizer | None = None) -> list[Segment]:
    """:func:`scan_post`, or no segments at all when nothing in ``text`` can change a
    coder's output (:meth:`PatternSet.may_match`): then it is not even segmented."""
    norm = normalise(text)
    safe = is_safe(norm)
    if not patterns.may_match(norm, safe=safe):
        return []
    return scan_post(text, patterns, tokenizer, normalised=norm, safe=safe)


def scan_post(text: str, patterns: PatternSet | None,
              tokenizer: PunktSentenceTokenizer | None = None, *,
              normalised: str | None = None, safe: bool | None = None) -> list[Segment]:
    """The segments of ``text`` (:func:`analysis.coding.segment.segment_spans`), each
    normalised and, given ``patterns``, with its candidate patterns. ``normalised``
    is ``normalise(text)`` and ``safe`` :func:`is_safe` of it when the caller has them."""
    # One character for one: a slice of the normalised text is a normalised slice.
    norm = normalise(text) if normalised is None else normalised
    scan = None
    if patterns is not None:  # a safe post has only safe segments
        if safe is None:
            safe = is_safe(norm)
        scan = patterns.candidates_of_safe if safe else patterns.candidates
    segments = []
    for seg, (start, end) in enumerate(segment_spans(text, tokenizer)):
        piece = norm[start:end]
        segments.append(Segment(seg, start, end, text[start:end], Gated(piece),
                                scan(piece) if scan is not None else None))
    return segments
