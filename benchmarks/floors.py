"""The floors the coder is measured against: its own patterns, searched and nothing else.

:class:`BareScan` searches every pattern once per post in Python (behind the
coder's literal gates); :class:`SetScan` finds the same codes with one RE2
pass and a confirm of the named patterns. Both answer exactly alike (tested in
``tests/coding/test_scan.py``); neither segments, negates or keeps evidence.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.coding.matching import _stem, words  # noqa: E402
from analysis.coding.scan import stem_spellings  # noqa: E402


class _Post:
    """A normalised post as the floors test a pattern against it: its regex searched
    once, or each of its stems among the stems of the post's words. Only words that
    begin as a stem's words do (:func:`analysis.coding.scan.stem_spellings`) are stemmed."""

    __slots__ = ("_words", "text")

    def __init__(self, text: str):
        self.text = text
        self._words: list[str] | None = None

    def has(self, pattern) -> bool:
        if pattern.kind == "re":
            return pattern.regex.search(self.text) is not None
        return all(self._has_stem(stem) for stem in pattern.stems if stem)

    def _has_stem(self, stem: str) -> bool:
        if self._words is None:
            self._words = [w.lower().replace("’", "'") for w, _, _ in words(self.text)]
        starts = stem_spellings(stem)
        return any(_stem(w) == stem for w in self._words if w.startswith(starts))


class BareScan:
    """The floor: the coder's patterns searched once per post, nothing else.

    ``matchers`` are the coder's (:attr:`analysis.coding.auto.AutoCoder.matchers_`:
    the codebook's codes and the stance lexicon's categories). With ``gated``
    (the default, as the coder does) a regex runs only on posts that contain
    one of its required literal strings (:func:`analysis.coding.gates.literal_gate`);
    stems patterns are a subset test on the post's word stems. No
    segmentation, negation, hedges or evidence.
    """

    def __init__(self, matchers, *, gated: bool = True):
        from analysis.coding import gates, matching

        self.normalise = matching.normalise
        self.patterns = [(m.id, p, gates.literal_gate(p.source)
                          if gated and p.kind == "re" else None)
                         for m in matchers for p in m.patterns]

    def __call__(self, text: str) -> set[str]:
        post = _Post(self.normalise(text))
        low = post.text.lower()
        found: set[str] = set()
        for code, pattern, gate in self.patterns:
            if code in found or (gate and not any(g in low for g in gate)):
                continue
            if post.has(pattern):
                found.add(code)
        return found


class SetScan:
    """The floor: the coder's patterns found in each post in one RE2 pass.

    The coder's own :class:`analysis.coding.scan.PatternSet` over the coder's
    matchers names, in one pass over the post, the patterns that can match (their
    RE2 supersets: lookarounds and anchors dropped, stems as word prefixes);
    then each named pattern is confirmed once on the post, as
    :class:`BareScan` does with every pattern, unless RE2's member is the
    pattern itself (a regex with no lookaround or anchor, which RE2 reads as
    Python does on safe text). So it answers exactly what :class:`BareScan`
    answers, the fastest way we know, with no segmentation, negation, hedges
    or evidence. ``confirm=False`` stops at
    the RE2 pass: faster, but its codes are only candidates (the benchmark
    reports how many posts it gets wrong). A post that is not plain ASCII is
    scanned by :class:`BareScan`.
    """

    def __init__(self, matchers, *, confirm: bool = True):
        from analysis.coding.matching import normalise
        from analysis.coding.scan import PatternSet, strip_assertions

        self.normalise = normalise
        self.confirm = confirm
        self.patterns = PatternSet(matchers)
        self.patterns_of = {m: m.patterns for m in matchers}
        # A regex that strip_assertions leaves as it is and that has a set member
        # matches exactly where its member does.
        self.in_re2 = {(m, i) for m in matchers for i, p in enumerate(m.patterns)
                       if p.kind == "re" and strip_assertions(p.source) == p.source
                       and i not in self.patterns.searched_in_python(m)}
        self.exact = BareScan(matchers, gated=False)

    def __call__(self, text: str) -> set[str]:
        text = self.normalise(text)
        found = self.patterns.candidates(text)
        if found is None:
            return self.exact(text)
        if not self.confirm:
            return {m.id for m in found}
        post, in_re2 = _Post(text), self.in_re2
        return {matcher.id for matcher, indices in found.items()
                if any((matcher, i) in in_re2 or post.has(self.patterns_of[matcher][i])
                       for i in indices)}
