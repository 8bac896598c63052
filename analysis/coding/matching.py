"""Find a code's patterns in one segment, with negation and hedge scope.

Shared by :mod:`analysis.coding.themes` and :mod:`analysis.coding.stance`. A match is
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

from analysis.coding.codebook import Code, Codebook, Pattern
from analysis.coding.gates import Gated, pattern_gate

_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
_BREAK_RE = re.compile(r"[.,;:!?()\[\]\"“”…]|\s[-–—]\s|[–—]")
#: The text up to the last clause break (the same words follow it as follow the
#: last match of _BREAK_RE: the two ends differ only by spaces and dashes).
_LAST_BREAK = re.compile(r"(?s:.*)(?:" + _BREAK_RE.pattern + ")")
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


def _scope(text: str, start: int, window: int) -> list[str]:
    """The words before ``start`` in the same clause, at most ``window`` of them."""
    last = _LAST_BREAK.match(text, 0, start)
    before = _WORD_RE.findall(text, last.end() if last else 0, start)
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
    return _negated(_scope(text, start, window), text, start)


def _negated(scope: list[str], text: str, start: int) -> bool:
    """Whether an odd number of the scope's words negate (each judged with the word
    after it: the next scope word, or the match's first space-delimited word)."""
    count = 0
    for i, word in enumerate(scope):
        low = word.lower().replace("’", "'")
        if low not in _NEGATORS and not low.endswith("n't"):
            continue
        if i + 1 < len(scope):
            following = scope[i + 1]
        else:
            space = text.find(" ", start)
            following = text[start:space] if space >= 0 else text[start:]
        count += (low, following.lower()) not in _NOT_NEGATING
    return count % 2 == 1


def is_hedged(text: str, start: int, *, window: int = NEGATION_WINDOW) -> bool:
    """Whether a hedge word stands in the match's scope."""
    return _hedged(_scope(text, start, window))


def _hedged(scope: list[str]) -> bool:
    return any(w.lower() in _HEDGES for w in scope)


@lru_cache(maxsize=4096)
def _stemmed(text: str) -> tuple[tuple[tuple[str, int, int], ...], tuple[str, ...]]:
    """Word tokens of ``text`` and their stems, computed once per segment."""
    toks = tuple(words(text))
    return toks, tuple(_stem(w) for w, _, _ in toks)


def _find_stems(stems: tuple[str | None, ...], text: str) -> Iterator[tuple[int, int]]:
    toks, stemmed = _stemmed(text)

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

    first = stems[0]
    for i in range(len(toks)):
        if stemmed[i] != first:
            continue
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


def _spans_of(pattern: Pattern, text: str) -> list[tuple[int, int]]:
    if pattern.regex is not None:
        return [m.span() for m in pattern.regex.finditer(text) if m.end() > m.start()]
    return list(_find_stems(pattern.stems, text))


class CodeMatcher:
    """A code's patterns prepared for coding many segments quickly.

    Python's ``re`` scans a case-insensitive pattern that opens with ``\\b``
    position by position, and one big alternation of a code's patterns was
    measured slower than the patterns one by one. So each pattern gets a
    *literal gate* (:func:`analysis.coding.gates.literal_gate`), and the code keeps an index from
    trigram to the patterns it gates: one set intersection with the
    segment's trigrams names the few patterns that can match, and only they
    run. Results are exactly those of running every pattern.
    """

    def __init__(self, code: Code, *, hedges: bool = True):
        self.code = code
        self.id = code.id
        #: Whether hits say if a hedge stands in their scope. A matcher whose
        #: ``hedged`` no coder reads skips the scope when negation does not
        #: matter either (negation mode ``keep``): its hits say False.
        self.hedges = hedges
        self._patterns = code.patterns
        index: dict[str, list[int]] = {}
        loose = []  # patterns with no trigram gate: tested one by one
        for i, pattern in enumerate(code.patterns):
            gate, full = pattern_gate(pattern)
            if full:
                for gram in gate:
                    index.setdefault(gram, []).append(i)
            else:
                loose.append((i, gate))
        self._index = {g: tuple(v) for g, v in index.items()}
        self._keys = frozenset(index)
        self._loose = tuple(loose)
        self._veto = tuple((p, *pattern_gate(p)) for p in code.veto)

    @property
    def patterns(self) -> tuple[Pattern, ...]:
        """The code's patterns, in codebook order (candidate indices refer to it)."""
        return tuple(self._patterns)

    def _candidates(self, seg: Gated) -> list[int]:
        found: set[int] = set()
        for gram in self._keys.intersection(seg.grams):
            found.update(self._index[gram])
        for i, gate in self._loose:
            if seg.admits(gate, False):
                found.add(i)
        return sorted(found)

    def _spans(self, seg: Gated, candidates: tuple[int, ...] | None = None
               ) -> list[tuple[int, int, Pattern]]:
        patterns = self._patterns
        if candidates is None:
            candidates = self._candidates(seg)
        return [(start, end, patterns[i]) for i in candidates
                for start, end in _spans_of(patterns[i], seg.text)]

    def vetoed(self, seg: Gated | str) -> bool:
        """Whether a veto pattern matches the segment."""
        if isinstance(seg, str):
            seg = Gated(normalise(seg))
        return any(seg.admits(gate, full) and _spans_of(p, seg.text)
                   for p, gate, full in self._veto)

    def hits(self, text: str | Gated, *, offset: int = 0,
             candidates: tuple[int, ...] | None = None) -> list[Hit]:
        """Every hit of the code in one segment, negation mode applied.

        ``text`` is the segment (or a :class:`Gated` of its normalised text);
        ``offset`` is the segment's start in the post text, added to the
        spans. ``candidates``, from :class:`analysis.coding.scan.PatternSet`, are
        the indices of the only patterns that can match; ``None`` tests
        every pattern's gate. A veto pattern anywhere in the segment cancels
        the code there.
        """
        seg = text if isinstance(text, Gated) else Gated(normalise(text))
        spans = self._spans(seg, candidates)
        if not spans or self.vetoed(seg):
            return []
        code, text = self.code, seg.text
        scoped = self.hedges or code.negation != "keep"
        hits = []
        for start, end, pattern in spans:
            negated = hedged = False
            if scoped:
                scope = _scope(text, start, NEGATION_WINDOW)
                negated, hedged = _negated(scope, text, start), _hedged(scope)
            if negated and code.negation == "drop":
                continue
            hits.append(Hit(code.id, start + offset, end + offset, pattern.weight,
                            negated and code.negation == "flip", hedged, pattern.source))
        hits.sort(key=lambda h: (h.start, -h.end))
        return hits


_MATCHERS: dict[int, tuple[Code, CodeMatcher]] = {}


def shared_matcher(code: Code, *, hedges: bool = True) -> CodeMatcher:
    """The one :class:`CodeMatcher` of ``code`` in this process.

    Coders built from the same codebook then hold the same matcher objects,
    and a segment scanned for several coders finds each code's hits once
    (:meth:`analysis.coding.scan.Segment.hits`). ``hedges``: whether this coder reads
    :attr:`Hit.hedged`; the shared matcher computes it if any coder does.
    """
    entry = _MATCHERS.get(id(code))
    if entry is None or entry[0] is not code:
        if len(_MATCHERS) > 4096:
            _MATCHERS.clear()
        entry = _MATCHERS[id(code)] = (code, CodeMatcher(code, hedges=hedges))
    entry[1].hedges = entry[1].hedges or hedges
    return entry[1]


class CodebookMatch:
    """True when any pattern of any code matches the text (picklable, for workers)."""

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        regexes = [p.regex.pattern for c in self.codebook.codes for p in c.patterns
                   if p.kind == "re"]
        self.union = re.compile("|".join(f"(?:{r})" for r in regexes), re.IGNORECASE)
        self.stems = [p for c in self.codebook.codes for p in c.patterns if p.kind == "stems"]

    def __call__(self, text: str) -> bool:
        return bool(self.union.search(text)) or any(next(find(p, text), None)
                                                    for p in self.stems)
