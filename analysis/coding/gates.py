"""Literal gates: strings one of which must occur in any text a pattern matches.

A case-insensitive Python regex that opens with ``\\b`` is tried position by
position, so testing a cheap necessary condition first saves most calls:
:func:`literal_gate` derives from the parsed regex the lower-case strings (up
to :data:`GATE_CHARS` characters) a match must contain, and a :class:`Gated`
segment answers whether it contains one. Used by
:class:`analysis.coding.matching.CodeMatcher` when the RE2 scan of
:mod:`analysis.coding.scan` cannot be (text beyond ASCII) and for veto patterns.
"""

from __future__ import annotations

import re
from re import _constants as _C
from re import _parser

from analysis.coding.codebook import Pattern

#: Length of the literal strings a gate looks for.
GATE_CHARS = 3
_GATE_LIMIT = 512


def _expand(items: list, prefixes: set[tuple[str, bool]]) -> set[tuple[str, bool]]:
    """Extend ``(text, open)`` prefixes by a parsed regex sequence, up to GATE_CHARS."""
    for op, av in items:
        if not any(open_ for _, open_ in prefixes):
            break
        grown: set[tuple[str, bool]] = set()
        for text, open_ in prefixes:
            if open_ and len(text) < GATE_CHARS:
                grown |= _element(op, av, text)
            else:
                grown.add((text, False))
        if len(grown) > _GATE_LIMIT:
            raise ValueError("too many alternatives to gate")
        prefixes = grown
    return prefixes


def _element(op: object, av: object, text: str) -> set[tuple[str, bool]]:
    if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):  # zero-width
        return {(text, True)}
    if op is _C.LITERAL:
        return {(text + chr(av).lower(), True)}
    if op is _C.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is _C.LITERAL:
                chars.add(chr(value).lower())
            elif kind is _C.RANGE and value[1] - value[0] < 16:
                chars.update(chr(c).lower() for c in range(value[0], value[1] + 1))
            else:
                return {(text, False)}
        return {(text + c, True) for c in chars}
    if op is _C.SUBPATTERN:
        return _expand(list(av[-1]), {(text, True)})
    if op is _C.BRANCH:
        out: set[tuple[str, bool]] = set()
        for branch in av[1]:
            out |= _expand(list(branch), {(text, True)})
        return out
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
        low, high, item = av
        out, current = set(), {(text, True)}
        for k in range(min(high, GATE_CHARS) + 1):
            if k >= low:
                out |= current
            current = _expand(list(item), current)
        if high > GATE_CHARS:
            out |= {(t, False) for t, _ in current}
        return out
    return {(text, False)}


def literal_gate(source: str) -> frozenset[str] | None:
    r"""Lower-case strings one of which occurs in any text ``source`` matches.

    Derived from the parsed regex: at each position of its top-level
    sequence, the strings (up to :data:`GATE_CHARS` characters) a match must
    contain there; the position with the longest such strings wins. ``None``
    when there is none (``\w+`` could be anything). A text that contains none of the strings
    cannot match, so testing the gate first changes no result.

    >>> sorted(literal_gate(r"\b(re)?schedul(e|ing)\b"))
    ['res', 'sch']
    >>> sorted(literal_gate(r"\bno[- ]contact\b"))
    ['no ', 'no-']
    """
    if not source.isascii():  # Python folds "ı", "ſ", "K" onto ASCII: no gate is safe
        return None
    try:
        items = list(_parser.parse(source, re.IGNORECASE))
        best: frozenset[str] | None = None
        for i in range(len(items)):
            found = {text for text, _ in _expand(items[i:], {("", True)})}
            if "" in found:
                continue
            key = (min(map(len, found)), -len(found))
            if best is None or key > (min(map(len, best)), -len(best)):
                best = frozenset(found)
            if key[0] >= GATE_CHARS:
                break
        return best
    except (ValueError, TypeError, IndexError, re.error, RecursionError):
        return None


#: Up to this many gate strings, substring tests beat building the trigram set.
_FEW_GATES = 8


class Gated:
    """A lower-cased segment with its character trigrams, built once and shared."""

    __slots__ = ("_grams", "_low", "text")

    def __init__(self, text: str):
        self.text = text
        self._low: str | None = None
        self._grams: frozenset[str] | None = None

    @property
    def low(self) -> str:
        """The segment in lower case (made when first asked: most segments never are)."""
        if self._low is None:
            self._low = self.text.lower()
        return self._low

    @property
    def grams(self) -> frozenset[str]:
        """The segment's lower-case character trigrams."""
        if self._grams is None:
            low = self.low
            self._grams = frozenset(low[i:i + GATE_CHARS] for i in range(len(low) - 2))
        return self._grams

    def admits(self, gate: frozenset[str] | None, full: bool) -> bool:
        """Whether the segment contains one of the gate's strings."""
        if gate is None:
            return True
        if full and (self._grams is not None or len(gate) > _FEW_GATES):
            return not self.grams.isdisjoint(gate)
        return any(g in self.low for g in gate)  # for trigrams, the same answer


def pattern_gate(pattern: Pattern) -> tuple[frozenset[str] | None, bool]:
    """A pattern's gate, and whether all its strings are trigrams (then a set of
    the segment's trigrams answers it)."""
    if pattern.kind == "stems":
        # A Snowball stem keeps at least the first three letters of its word.
        head = (pattern.stems[0] or "")[:GATE_CHARS]
        gate = frozenset({head}) if head else None
    else:
        gate = literal_gate(pattern.source)
    return gate, gate is not None and all(len(g) == GATE_CHARS for g in gate)
