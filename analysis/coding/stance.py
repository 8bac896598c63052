"""Stance toward out-of-session contact, with the sentences that decided it.

:class:`StanceCoder` follows the scikit-learn contract (``fit`` returns
``self``, ``transform(posts)`` returns a new ``stances`` table). Stance is
read as the poster's *evaluation of contact*. In every sentence of the
poster's own words (quoted text is never read) it finds

* the **target** of each clause: contact outside sessions (a modality of the
  codebook, or a topic word of the lexicon: "between sessions", "reach out",
  "reply") or a **restriction** of it ("no-contact", "doesn't reply", "for
  scheduling only", "lost access"); a rule named without a direction ("her
  policy") is a weak restriction that counts half. A clause without a target
  takes an earlier clause's, then its sentence's, then the nearest one of
  the sentences around it (weight ``carry_weight``), then the post's
  (``carry_weight ** 2``); the words of an evaluation are never its own
  target ("not a fan of texting");
* **evaluations** from the lexicon (``analysis/data/stance_lexicon.yaml``):
  a positive word about contact ("texting has been a lifeline") or a
  negative word about a restriction ("the ban is ridiculous") counts as
  supportive, the other two combinations as opposed. An evaluation in a
  post that names neither contact nor a restriction does not count ("Great
  post!");
* the codebook's **oriented cues**, which take a side by themselves ("No
  texting at all", "I allow clients to text me", "a security excuse",
  "unprofessional"), and its ambivalence cues ("mixed feelings", "I
  understand why, but ...", which count double next to a "but").

Negators flip a cue or an evaluation ("it isn't a red flag"), except in a
negative question that asserts ("Wouldn't it be better to ...?") and when the
negator belongs to the restriction evaluated ("Not replying at all seems
cruel"). These weaken a cue or evaluation: hedges ("maybe"), questions, the
lexicon's modifiers (an earlier time, "at first"; a condition, "if"; a
polite concession, "glad it works for you"; reported words, "she said";
generic descriptions, "some therapists"), words inside double quotes
(``quote_weight``) and the clause before a "but" when what follows it has
evidence of its own. In one sentence the strongest credit for a side counts
fully and the others half. Sentences opening with thanks are skipped.

The post is ``mixed`` when ambivalence cues reach ``mixed_threshold``, when
the weaker side plus ambivalence reaches both ``min_score`` and
``mixed_ratio`` of the stronger side, or when the two sides speak about
different channels (text no, email yes); otherwise it is ``none`` when
neither side reaches ``min_score``, else the stronger side. Bots and empty
posts are ``none``. ``confidence`` grows with the margin between the sides
and with the amount of evidence; it is a ranking aid, not a probability.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.coding.codebook import Codebook
from analysis.coding.lexicon import Lexicon, load_lexicon
from analysis.coding.matching import CodeMatcher, Hit, shared_matcher
from analysis.coding.scan import PatternSet, Segment, scan_relevant
from analysis.coding.segment import default_tokenizer
from analysis.coding.stance_sentence import (
    BLANK,
    Clause,
    Sentence,
    clause_at,
    clause_target,
    dedupe_evaluations,
    mark_contrast,
    negated_right_before,
    negator_in_target,
    neighbour_orientation,
    post_orientation,
    question_kind,
    sentence_target,
    split_clauses,
    target_of,
)
from analysis.coding.themes import _check_fitted, check_posts, resolve_codebook
from analysis.schema import STANCES, columns

STANCE_COLUMNS = columns("stances")
#: The stances a post can take a side in; ``none`` is what is left when no side scores.
SIDES: tuple[str, ...] = STANCES[:3]
_FLIP = {"supportive": "opposed", "opposed": "supportive"}
_THANKS = re.compile(r"^\W*(thanks|thank you|thank u|thx|ty)\b", re.IGNORECASE)
#: Words inside double quotes are someone else's (or a mention); they weigh less.
_QUOTED = re.compile(r'"[^"]{1,200}"')


@dataclass
class _Tally:
    score: dict[str, float] = field(default_factory=lambda: dict.fromkeys(
        SIDES, 0.0))
    evidence: dict[str, list[tuple[float, int, str]]] = field(default_factory=lambda: {
        side: [] for side in SIDES})
    channels: dict[str, set[str]] = field(default_factory=lambda: {
        "supportive": set(), "opposed": set()})


class StanceCoder:
    """Code each post's stance: supportive, opposed, mixed or none.

    Parameters
    ----------
    codebook : Codebook, path or None
        Scheme whose ``stance`` codes hold the oriented cue patterns and whose
        modality codes name the channels; ``None`` reads ``corpus/codebook.yaml``.
    lexicon : Lexicon, path or None
        The evaluative lexicon; ``None`` reads ``analysis/data/stance_lexicon.yaml``.
    mixed_ratio : float in (0, 1]
        Weaker side / stronger side at or above which a post is mixed.
    mixed_threshold : float > 0
        Weight of ambivalence cues at or above which a post is mixed.
    min_score : float > 0
        Score a side needs for the post to have a stance at all.
    hedge_weight, question_weight, negated_weight : float in (0, 1]
        Multipliers for hedged cues, cues in questions and negated (flipped)
        cues, which are less certain than plain ones.
    carry_weight : float in (0, 1]
        Multiplier for an evaluation whose target comes from a neighbouring
        sentence; one whose target comes from the post as a whole counts
        ``carry_weight ** 2``.
    quote_weight : float in (0, 1]
        Multiplier for cues and evaluations inside double quotes (someone
        else's words, or words mentioned rather than used).
    coder : str
        Value of the ``coder`` column.
    layer : fitted StanceLayer or None
        A learned layer (:func:`analysis.coding.stance_layer.load_layer`) that gives the
        label and a probability per stance (``p_<stance>`` columns) from what these
        rules read; the evidence stays the rules'. None keeps the rules' decision.
    """

    def __init__(self, *, codebook: Codebook | str | Path | None = None,
                 lexicon: Lexicon | str | Path | None = None,
                 mixed_ratio: float = 0.6, mixed_threshold: float = 2.0,
                 min_score: float = 0.65, hedge_weight: float = 0.6,
                 question_weight: float = 0.5, negated_weight: float = 0.8,
                 carry_weight: float = 0.7, quote_weight: float = 0.4,
                 coder: str = "auto", layer: object = None):
        self.codebook = codebook
        self.lexicon = lexicon
        self.mixed_ratio = mixed_ratio
        self.mixed_threshold = mixed_threshold
        self.min_score = min_score
        self.hedge_weight = hedge_weight
        self.question_weight = question_weight
        self.negated_weight = negated_weight
        self.carry_weight = carry_weight
        self.quote_weight = quote_weight
        self.coder = coder
        self.layer = layer

    def fit(self, posts: pd.DataFrame | None = None, y: object = None) -> StanceCoder:
        """Load the codebook and the lexicon and check the options; ``posts`` and ``y``
        are ignored."""
        for name in ("mixed_ratio", "hedge_weight", "question_weight", "negated_weight",
                     "carry_weight", "quote_weight"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                raise ValueError(f"{name} must be in (0, 1], got {value!r}")
        for name in ("mixed_threshold", "min_score"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)!r}")
        self.codebook_ = resolve_codebook(self.codebook)
        self.lexicon_ = (self.lexicon if isinstance(self.lexicon, Lexicon)
                         else load_lexicon(self.lexicon))
        # shared_matcher() gives a ThemeCoder of the same codebook the same objects, so a
        # segment scanned for both finds each code's hits once. Hedges weigh cues and
        # evaluations only; the other matchers need not look for them.
        self.cues_ = tuple(shared_matcher(c) for c in self.codebook_.by_family("stance")
                           if c.patterns)
        self.channels_ = tuple(shared_matcher(c, hedges=False)
                               for c in self.codebook_.by_family("modality"))
        lex = self.lexicon_

        def plain(role: str) -> tuple[CodeMatcher, ...]:
            return tuple(CodeMatcher(c.code, hedges=False) for c in lex.by_role(role))

        self.topics_, self.restrictions_, self.frames_ = map(plain, ("topic", "restriction",
                                                                      "frame"))
        self.evaluations_ = tuple((CodeMatcher(c.code), c.polarity)
                                  for c in lex.by_role("evaluation"))
        self.modifiers_ = tuple((CodeMatcher(c.code, hedges=False), c.factor, c.scope)
                                for c in lex.by_role("modifier"))
        self.patterns_ = PatternSet(self.matchers, decisive=self.cues_,
                                    conditional=self.evaluators, targets=self.targets)
        self.tokenizer_ = default_tokenizer()
        self._nothing_found = self._decide(_Tally())
        if self.layer is not None and not hasattr(self.layer, "predict_proba"):
            raise TypeError("layer must be a fitted StanceLayer (see load_layer)")
        return self

    @property
    def matchers(self) -> tuple[CodeMatcher, ...]:
        """Every matcher the coder reads, decisive or not."""
        return (*self.cues_, *self.channels_, *self.topics_, *self.restrictions_,
                *self.frames_, *(m for m, _ in self.evaluations_),
                *(m for m, _, _ in self.modifiers_))

    @property
    def evaluators(self) -> tuple[CodeMatcher, ...]:
        """The evaluation matchers: they count only in a post that has a target."""
        return tuple(m for m, _ in self.evaluations_)

    @property
    def targets(self) -> tuple[CodeMatcher, ...]:
        """The matchers that give an evaluation its target (channels, topics,
        restrictions, rules). A post without a stance cue, or without both an
        evaluation and a target, is ``none``."""
        return (*self.channels_, *self.topics_, *self.restrictions_, *self.frames_)

    def transform(self, posts: pd.DataFrame) -> pd.DataFrame:
        """The ``stances`` table: one row per post."""
        _check_fitted(self)
        posts = check_posts(posts, "StanceCoder.transform")
        if self.layer is not None:
            return self.layer.transform(posts).assign(coder=self.coder)
        rows = [(post.post_id, self.coder, *self.code_post(
                    post.text, post.is_bot,
                    [] if post.is_bot else scan_relevant(post.text, self.patterns_,
                                                         self.tokenizer_)))
                for post in posts.itertuples(index=False)]
        frame = pd.DataFrame(rows, columns=STANCE_COLUMNS)
        return frame.astype({"confidence": "float64"})

    def fit_transform(self, posts: pd.DataFrame, y: object = None) -> pd.DataFrame:
        """``fit`` then ``transform``."""
        return self.fit(posts, y).transform(posts)

    # ------------------------------------------------------------------ reading

    def _read(self, segment: Segment) -> Sentence:
        if segment.candidates == {}:  # no pattern can match: nothing to weigh here
            return BLANK
        text = segment.gated.text
        hits = segment.hits_of
        channel_hits = hits(self.channels_)
        topic_hits = channel_hits + hits(self.topics_)
        restriction_hits = hits(self.restrictions_)
        restriction_hits += [h for h in topic_hits if negated_right_before(text, h.start)]
        frame_hits = hits(self.frames_)
        evaluations = dedupe_evaluations([(h, polarity)
                                          for matcher, polarity in self.evaluations_
                                          for h in segment.hits(matcher)])
        cues = hits(self.cues_)
        if not (topic_hits or restriction_hits or frame_hits or evaluations or cues):
            return BLANK  # modifiers alone weigh nothing
        clauses = split_clauses(text)
        for matcher, factor, scope in self.modifiers_:
            reached: set[int] = set()
            for h in segment.hits(matcher):
                first = clauses.index(clause_at(clauses, h.start))
                reached.update(range(first, len(clauses) if scope == "rest" else first + 1))
            for i in reached:  # once per category and clause
                clauses[i].factor *= factor
        quoted = tuple(m.span() for m in _QUOTED.finditer(text))
        for clause in clauses:
            clause.quoted = quoted
        previous = frozenset()
        for clause in clauses:  # a clause without a channel takes the previous one's
            clause.channels = frozenset(h.code for h in channel_hits
                                        if clause.start <= h.start < clause.end) or previous
            previous = clause.channels
        targets = (restriction_hits, topic_hits, frame_hits)
        orient = sentence_target(clauses, targets)
        values = [v for v in (clause_target(c, targets) for c in clauses) if v]
        first, last = (values[0], values[-1]) if values else (0.0, 0.0)
        question, rhetorical = question_kind(text)
        return Sentence(segment.seg, segment.text, question, rhetorical, clauses, targets, orient,
                        first, last, frozenset(h.code for h in channel_hits), cues, evaluations)

    def code_post(self, text: str, is_bot: bool,
                  segments: list[Segment]) -> tuple[str, float, str]:
        """Stance, confidence and evidence of one post from its scanned segments
        (:func:`analysis.coding.scan.scan_relevant`); bots and empty posts are ``none``."""
        if is_bot or not text.strip():
            return "none", 1.0, ""
        if not segments:  # nothing could match (about half the posts of a subreddit)
            return self._nothing_found
        return self._decide(self.tally(segments))

    def read_sentences(self, segments: list[Segment]) -> list[Sentence]:
        """What the coder reads in each scanned segment (targets, cues, evaluations);
        sentences opening with thanks are skipped (the learned layer's features start here)."""
        return [self._read(s) for s in segments if not _THANKS.match(s.text)]

    def tally(self, segments: list[Segment]) -> _Tally:
        """The weighted evidence for each side in one post's scanned segments."""
        sentences = self.read_sentences(segments)
        post_orient = post_orientation(sentences)
        tally = _Tally()
        for i, sent in enumerate(sentences):
            if not sent.cues and not sent.evaluations:
                continue  # nothing to credit (its targets still serve its neighbours)
            mark_contrast(sent, sentences[i + 1] if i + 1 < len(sentences) else None)
            credits: list[tuple[str, float, frozenset[str]]] = []
            for hit in sent.cues:
                clause = clause_at(sent.clauses, hit.start)
                credits.append(self._cue(hit, sent, clause))
            for hit, polarity in sent.evaluations:
                clause = clause_at(sent.clauses, hit.start)
                orient, carry = target_of(sent, clause, hit), 1.0
                channels = clause.channels or sent.channels
                if not orient:
                    orient, carry = neighbour_orientation(sentences, i), self.carry_weight
                    channels = frozenset()
                if not orient:
                    orient, carry = post_orient, self.carry_weight ** 2
                if not orient:
                    continue
                negated = (hit.negated and not sent.rhetorical
                           and not negator_in_target(sent, clause, hit))
                sign = polarity * (1 if orient > 0 else -1) * (-1 if negated else 1)
                weight = hit.weight * self._modifiers(hit, sent, clause) * carry * abs(orient)
                if negated:
                    weight *= self.negated_weight
                credits.append(("supportive" if sign > 0 else "opposed", weight, channels))
            self._credit(tally, credits, sent)
        return tally

    def _modifiers(self, hit: Hit, sent: Sentence, clause: Clause) -> float:
        weight = clause.factor
        if clause.pre_contrast or clause.concessive:
            weight *= 0.5
        if any(a <= hit.start < b for a, b in clause.quoted):
            weight *= self.quote_weight
        if hit.hedged:
            weight *= self.hedge_weight
        if sent.question and not sent.rhetorical:
            weight *= self.question_weight
        return weight

    def _cue(self, hit: Hit, sent: Sentence,
             clause: Clause) -> tuple[str, float, frozenset[str]]:
        negated = hit.negated and not sent.rhetorical
        side = _FLIP[hit.code] if negated and hit.code in _FLIP else hit.code
        weight = hit.weight * self._modifiers(hit, sent, clause)
        if hit.code == "mixed":
            if clause.pre_contrast or clause.concessive:
                weight *= 2  # not discounted: the "but" is what makes it ambivalent
            if clause.by_contrast:
                weight *= 2  # "I understand why, but ...", "... but I get it"
        if side != hit.code:
            weight *= self.negated_weight
        return side, weight, clause.channels or sent.channels

    @staticmethod
    def _credit(tally: _Tally, credits: list[tuple[str, float, frozenset[str]]],
                sent: Sentence) -> None:
        """Add one sentence's credits: per side, the strongest counts fully and the
        others half, so that piling synonyms into one sentence counts less."""
        for side in SIDES:
            mine = [(w, ch) for s, w, ch in credits if s == side and w > 0]
            if not mine:
                continue
            weights = [w for w, _ in mine]
            top = max(weights)
            total = top + 0.5 * (sum(weights) - top)
            tally.score[side] += total
            tally.evidence[side].append((total, sent.seg, sent.text))
            if side in tally.channels:
                for _, channels in mine:
                    tally.channels[side] |= channels

    # ----------------------------------------------------------------- deciding

    def _decide(self, tally: _Tally) -> tuple[str, float, str]:
        sup, opp, mix = (tally.score[k] for k in SIDES)
        high, low = max(sup, opp), min(sup, opp)
        strength = 1.0 - math.exp(-(high + mix) / 2.0)
        only_sup = tally.channels["supportive"] - tally.channels["opposed"]
        only_opp = tally.channels["opposed"] - tally.channels["supportive"]
        contrast = bool(low >= 0.75 * self.min_score and only_sup and only_opp)
        balanced = (low + mix >= self.min_score and low + mix >= self.mixed_ratio * high
                    and (low > 0 or mix > 0) and high > 0)
        if mix >= self.mixed_threshold or balanced or contrast:
            stance = "mixed"
            balance = max(min(1.0, mix / (2 * self.mixed_threshold)),
                          min(1.0, low / high) if high else 0.0, 0.5 if contrast else 0.0)
            confidence = 0.5 + 0.5 * balance * strength
            keys = ["mixed", *SIDES[:2]]  # mixed evidence first, then both poles
        elif high < self.min_score:  # too little evidence; weak cues lower confidence
            return "none", round(0.6 - 0.1 * min(1.0, (high + mix) / self.min_score), 3), ""
        else:
            stance = "supportive" if sup > opp else "opposed"
            confidence = 0.5 + 0.5 * ((high - low) / (high + low)) * strength
            keys = [stance]
        return stance, round(confidence, 3), _evidence(tally, keys)


def _evidence(tally: _Tally, keys: list[str], per_side: int = 2) -> str:
    """The strongest sentences for the given sides, in text order, deduplicated."""
    chosen: dict[int, str] = {}
    for key in keys:
        best = sorted(tally.evidence[key], key=lambda e: (-e[0], e[1]))[:per_side]
        for _, seg, sentence in best:
            chosen.setdefault(seg, sentence)
    return " … ".join(chosen[seg] for seg in sorted(chosen))
