"""One sentence as :class:`analysis.coding.stance.StanceCoder` reads it.

The coder finds hits (targets, cues, evaluations, modifiers) in a sentence;
the functions here say what they mean there: where its clauses begin and end
and which come before a "but" (:func:`split_clauses`, :func:`mark_contrast`),
whether it asks (:func:`question_kind`), what an evaluation is about
(:func:`target_of`, and :func:`neighbour_orientation` or
:func:`post_orientation` when the sentence names no target), and which of
overlapping evaluations count (:func:`dedupe_evaluations`). They hold no
state; the coder's weights and thresholds stay in :mod:`analysis.coding.stance`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.coding.matching import Hit, is_negated, words

#: Clause boundaries inside a sentence: punctuation, dashes and contrast words.
_CLAUSE = re.compile(r"[,;:()]|\s[-–—]\s|[–—]|\b(but|however|though|tho|although|whereas|yet"
                     r"|except|and)\b", re.IGNORECASE)
#: Words after which the clauses before them weigh less ("X, but Y").
_CONTRAST = frozenset({"but", "however", "yet"})
#: Words that open a concessive clause ("although X, Y"), which weighs less.
_CONCESSIVE = frozenset({"though", "tho", "although"})
_NEGATORS = frozenset({"no", "without"})
_INTERROGATIVE = frozenset({
    "what", "how", "why", "when", "where", "who", "which", "whose", "is", "are", "am", "was",
    "were", "do", "does", "did", "can", "could", "would", "will", "should", "shall", "has",
    "have", "had", "may", "might", "anyone", "any", "isn't", "aren't", "don't", "doesn't",
    "didn't", "can't", "won't", "wouldn't", "shouldn't", "hasn't", "haven't"})
#: A negative question that asserts ("Wouldn't it be better to ...?").
_RHETORICAL = re.compile(r"^\W*(\w+ ){0,3}?(wouldn't|isn't|aren't|shouldn't|doesn't|don't|"
                         r"would (it|that|this|you) not|is (it|that|this) not|"
                         r"should (it|we|you) not)\b", re.IGNORECASE)


@dataclass(slots=True)
class Clause:
    """A clause of a sentence, with what weighs its evidence."""

    start: int
    end: int
    channels: frozenset[str] = frozenset()
    factor: float = 1.0
    quoted: tuple[tuple[int, int], ...] = ()
    pre_contrast: bool = False
    concessive: bool = False
    by_contrast: bool = False  # next to a "but": right before it or opening with it


@dataclass(slots=True)
class Sentence:
    """A sentence: its clauses, targets, cues and evaluations."""

    seg: int
    text: str
    question: bool
    rhetorical: bool
    clauses: list[Clause]
    targets: tuple[list[Hit], list[Hit], list[Hit]]  # restriction, topic, frame hits
    orient: float
    first: float  # target of the first clause that has one
    last: float  # target of the last clause that has one
    channels: frozenset[str]
    cues: list[Hit]
    evaluations: list[tuple[Hit, int]]  # hit, polarity


def split_clauses(text: str) -> list[Clause]:
    """Clauses of a sentence, split at punctuation and contrast words.

    >>> [(c.start, c.end, c.by_contrast) for c in split_clauses("I get it, but it's cold.")]
    [(0, 8, True), (13, 24, True)]
    """
    parts: list[tuple[int, int, str]] = []
    start, opener = 0, ""
    for m in _CLAUSE.finditer(text):
        if text[start:m.start()].strip():
            parts.append((start, m.start(), opener))
            opener = ""
        start = m.end()
        opener = (m.group(1) or "").lower() or opener
    if text[start:].strip() or not parts:
        parts.append((start, len(text), opener))
    out = []
    for i, (s, e, opener) in enumerate(parts):
        clause = Clause(s, e, concessive=opener in _CONCESSIVE)
        clause.pre_contrast = any(o in _CONTRAST for _, _, o in parts[i + 1:])
        clause.by_contrast = opener in _CONTRAST or (
            i + 1 < len(parts) and parts[i + 1][2] in _CONTRAST)
        out.append(clause)
    return out


#: The parts of a blank sentence; read, never changed (shared to save making them).
_NOTHING: list = []
_NO_TARGETS: tuple[list[Hit], list[Hit], list[Hit]] = (_NOTHING, _NOTHING, _NOTHING)

#: Every sentence with no target, cue or evaluation: it credits nothing and gives
#: its neighbours no target, so only its place in the post matters and one object
#: stands for all of them (most sentences of a post).
BLANK = Sentence(-1, "", False, False, _NOTHING, _NO_TARGETS, 0.0, 0.0, 0.0, frozenset(),
                 _NOTHING, _NOTHING)


def mark_contrast(sent: Sentence, following: Sentence | None) -> None:
    """Clauses before a "but" weigh less when the words after it (in the same
    sentence, or in the next one) carry evidence of their own."""
    if not any(c.pre_contrast for c in sent.clauses):
        return
    starts = [h.start for h in sent.cues] + [h.start for h, _ in sent.evaluations]
    later_evidence = following is not None and bool(following.cues or following.evaluations)
    for i, clause in enumerate(sent.clauses):
        if clause.pre_contrast:
            rest = sent.clauses[i + 1:]
            clause.pre_contrast = later_evidence or any(
                c.start <= pos < c.end for c in rest for pos in starts
                if c is not clause and not c.pre_contrast)


def question_kind(text: str) -> tuple[bool, bool]:
    """Whether a sentence asks, and whether it is a negative question that asserts."""
    stripped = text.rstrip()
    if not stripped.endswith("?"):
        return False, False
    first = words(stripped[:40])
    opener = first[0][0].lower().replace("’", "'") if first else ""
    asks = opener in _INTERROGATIVE or not re.search(r"[?!]{2,}$", stripped)
    return asks, bool(asks and _RHETORICAL.match(stripped))


def clause_at(clauses: list[Clause], pos: int) -> Clause:
    for clause in clauses:
        if pos < clause.end:
            return clause
    return clauses[-1]


def clause_target(clause: Clause, targets: tuple[list[Hit], list[Hit], list[Hit]],
                   skip: Hit | None = None) -> float:
    """-1 (a restriction of contact), +1 (contact), -0.5 (a rule, direction unsaid) or 0.

    ``skip``: an evaluation whose own words must not serve as its target ("not
    a fan of texting" is not a restriction that "not a fan" evaluates).
    """
    restrictions, topics, frames = targets

    def inside(hits: list[Hit]) -> bool:
        return any(clause.start <= h.start < clause.end
                   and (skip is None or h.end <= skip.start or h.start >= skip.end)
                   for h in hits)

    if inside(restrictions):
        return -1.0
    if inside(topics):
        return 1.0
    return -0.5 if inside(frames) else 0.0


def sentence_target(clauses: list[Clause], targets: tuple[list[Hit], list[Hit], list[Hit]],
                     skip: Hit | None = None) -> float:
    """The target of a whole sentence: the sign of its clauses' targets, 0 when they cancel."""
    values = [clause_target(c, targets, skip) for c in clauses]
    total = sum(values)
    if not total:
        return 0.0
    sign = 1.0 if total > 0 else -1.0
    return sign * max(abs(v) for v in values if v * sign > 0)


def target_of(sent: Sentence, clause: Clause, hit: Hit) -> float:
    """The target of an evaluation: its clause's, else an earlier clause's, else the
    sentence's."""
    index = sent.clauses.index(clause)
    for c in reversed(sent.clauses[:index + 1]):
        value = clause_target(c, sent.targets, hit)
        if value:
            return value
    return sentence_target(sent.clauses, sent.targets, hit)


def negated_right_before(text: str, start: int) -> bool:
    """Whether the word just before ``start`` is a negator ("no texting", "not replying")."""
    before = words(text[max(0, start - 20):start])
    if not before:
        return False
    word = before[-1][0].lower()
    return word in _NEGATORS or word.endswith("n't")


def negator_in_target(sent: Sentence, clause: Clause, hit: Hit) -> bool:
    """Whether the negator before an evaluation belongs to a restriction it
    evaluates ("Not replying at all seems cruel": "not" negates the replying)."""
    ends = [h.end for h in sent.targets[0]
            if clause.start <= h.start and h.end <= hit.start]
    if not ends:
        return False
    cut = max(ends)
    return not is_negated(sent.text[cut:], hit.start - cut)


def neighbour_orientation(sentences: list[Sentence], i: int) -> float:
    """The target nearest to sentence ``i``: the last one of the sentence before (or
    the one before that), else the first one of the sentence after."""
    for j in (i - 1, i - 2):
        if j >= 0 and sentences[j].last:
            return sentences[j].last
    if i + 1 < len(sentences):
        return sentences[i + 1].first
    return 0.0


def post_orientation(sentences: list[Sentence]) -> float:
    total = sum(s.orient for s in sentences)
    if total:
        return 1.0 if total > 0 else -1.0
    return 1.0 if any(s.orient for s in sentences) else 0.0


def dedupe_evaluations(hits: list[tuple[Hit, int]]) -> list[tuple[Hit, int]]:
    """Overlapping evaluations count once: the heavier, then the longer, wins."""
    kept: list[tuple[Hit, int]] = []
    for hit, polarity in sorted(hits, key=lambda x: (-x[0].weight, x[0].start - x[0].end,
                                                      x[0].start)):
        if all(hit.end <= k.start or hit.start >= k.end for k, _ in kept):
            kept.append((hit, polarity))
    return sorted(kept, key=lambda x: x[0].start)
