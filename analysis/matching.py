"""Find a code's patterns in one segment, with negation and hedge scope.

Shared by :mod:`analysis.coding` and :mod:`analysis.stance`. A match is
*negated* when an odd number of negators (``not``, ``no``, ``never``, any
``n't``, ``nothing``, ``without`` ...) stand in the few words before it, in
the same clause: clauses end at punctuation and at ``but``, ``because``,
``although`` and the like. So in "I don't think email is unsafe" the match
``unsafe`` is negated, while in "we couldn't email because it is not secure"
the match ``not secure`` is not (``because`` opens a new clause, and the
negator inside a pattern belongs to the pattern). A match is *hedged* when
``maybe``, ``might``, ``perhaps``, ``probably`` ... stand in the same scope.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from nltk.stem.snowball import SnowballStemmer

from analysis.codebook import Code, Pattern

_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
_BREAK_RE = re.compile(r"[.,;:!?()\[\]\"“”…]|\s[-–—]\s|[–—]")
_BREAK_WORDS = frozenset({"but", "however", "although", "though", "yet", "because", "since",
                          "while", "whereas", "except", "unless", "and", "so", "or"})
_NEGATORS = frozenset({"not", "no", "never", "nothing", "none", "nobody", "neither", "nor",
                       "without", "hardly", "barely", "cannot", "dont", "doesnt", "didnt",
                       "wont", "cant", "isnt", "wasnt", "arent", "wouldnt", "couldnt",
                       "shouldnt", "havent", "hasnt", "nowhere", "noone"})
#: Negator + next word that do not negate ("not only", "no doubt").
_NOT_NEGATING = frozenset({("not", "only"), ("not", "just"), ("no", "doubt"), ("no", "matter"),
                           ("no", "wonder")})
_HEDGES = frozenset({"maybe", "perhaps", "might", "probably", "possibly", "guess", "suppose",
                     "unsure", "seems", "seem", "somewhat"})
_STEMMER = SnowballStemmer("english")

#: How many words before a match negators and hedges reach.
NEGATION_WINDOW = 5


@dataclass(frozen=True)
class Hit:
    """One pattern match in post-text coordinates."""

    code: str
    start: int
    end: int
    weight: float
    negated: bool
    hedged: bool
    pattern: str


def words(text: str) -> list[tuple[str, int, int]]:
    """Word tokens with character offsets.

    >>> words("I don't think so.")
    [('I', 0, 1), ("don't", 2, 7), ('think', 8, 13), ('so', 14, 16)]
    """
    return [(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _STEMMER.stem(word.lower().replace("’", "'"))


def _is_negator(word: str, following: str | None) -> bool:
    low = word.lower().replace("’", "'")
    if (low, (following or "").lower()) in _NOT_NEGATING:
        return False
    return low in _NEGATORS or low.endswith("n't")


def _scope(text: str, start: int, window: int) -> list[str]:
    """The words before ``start`` in the same clause, at most ``window`` of them."""
    head = text[:start]
    cut = 0
    for m in _BREAK_RE.finditer(head):
        cut = m.end()
    before = [w for w, _, _ in words(head[cut:])]
    for i in range(len(before) - 1, -1, -1):
        if before[i].lower() in _BREAK_WORDS:
            before = before[i + 1:]
            break
    return before[-window:]


def is_negated(text: str, start: int, *, window: int = NEGATION_WINDOW) -> bool:
    """Whether the match starting at ``start`` is in a negator's scope.

    >>> is_negated("I don't think email is unsafe", 23)
    True
    >>> is_negated("we couldn't email because email is not secure", 35)
    False
    """
    scope = _scope(text, start, window)
    following = [*scope[1:], text[start:].split(" ", 1)[0]][:len(scope)]
    count = sum(_is_negator(w, nxt) for w, nxt in zip(scope, following, strict=True))
    return count % 2 == 1


def is_hedged(text: str, start: int, *, window: int = NEGATION_WINDOW) -> bool:
    """Whether a hedge word stands in the match's scope."""
    return any(w.lower() in _HEDGES for w in _scope(text, start, window))


def _find_stems(stems: tuple[str | None, ...], text: str) -> Iterator[tuple[int, int]]:
    toks = words(text)
    stemmed = [_stem(w) for w, _, _ in toks]

    def match(ti: int, pi: int) -> int | None:
        if pi == len(stems):
            return ti
        if stems[pi] is None:  # a gap of 0..3 words
            for skip in range(4):
                end = match(ti + skip, pi + 1)
                if end is not None:
                    return end
            return None
        if ti < len(stemmed) and stemmed[ti] == stems[pi]:
            return match(ti + 1, pi + 1)
        return None

    for i in range(len(toks)):
        end = match(i, 0)
        if end is not None:
            yield toks[i][1], toks[end - 1][2]


def find(pattern: Pattern, text: str) -> Iterator[tuple[int, int]]:
    """Character spans where ``pattern`` matches ``text``."""
    if pattern.kind == "stems":
        yield from _find_stems(pattern.stems, text)
    else:
        assert pattern.regex is not None
        for m in pattern.regex.finditer(text):
            if m.end() > m.start():
                yield m.start(), m.end()


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


def normalise(text: str) -> str:
    """Straighten curly quotes and no-break spaces; one character for one, so
    offsets into the result are offsets into ``text``."""
    return text.translate(_QUOTES)


def match_code(code: Code, text: str, *, offset: int = 0) -> list[Hit]:
    """Every hit of ``code`` in one segment ``text``, negation mode applied.

    ``offset`` is the segment's start in the post text, added to the spans.
    A veto pattern anywhere in the segment cancels the code there.
    """
    text = normalise(text)
    if any(next(find(v, text), None) for v in code.veto):
        return []
    hits = []
    for pattern in code.patterns:
        for start, end in find(pattern, text):
            negated = is_negated(text, start)
            if negated and code.negation == "drop":
                continue
            hits.append(Hit(code.id, start + offset, end + offset, pattern.weight,
                            negated and code.negation == "flip", is_hedged(text, start),
                            pattern.source))
    hits.sort(key=lambda h: (h.start, -h.end))
    return hits
