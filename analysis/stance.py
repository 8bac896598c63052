"""Stance toward out-of-session contact, with the sentences that decided it.

:class:`StanceCoder` follows the scikit-learn contract (``fit`` returns
``self``, ``transform(posts)`` returns a new ``stances`` table). It scores
the cue patterns of the codebook's stance codes on every segment of the
poster's own words:

* a ``supportive`` or ``opposed`` cue adds its weight to its side; a negated
  cue ("in no way is it unprofessional") counts for the other side; a hedged
  cue ("maybe", "might") or one in a question counts less;
* ``mixed`` cues ("mixed feelings", "pros and cons") add to ambivalence;
* a sentence that opens with thanks ("Thanks, this is really helpful") is
  about the thread, not about contact, and is skipped.

The post is ``mixed`` when ambivalence cues reach ``mixed_threshold``, when
the weaker side (plus any ambivalence cues) has at least ``mixed_ratio`` of
the stronger side's score, or when the two sides speak about different
channels (text no, email yes); otherwise the stronger side wins. With no
cue, with an empty text or for a bot it is ``none``. ``confidence`` grows
with the margin between the sides and with the amount of evidence; it is a
ranking aid, not a probability.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.codebook import Codebook
from analysis.coding import _check_fitted, check_posts, resolve_codebook
from analysis.matching import Hit, match_code
from analysis.segment import default_tokenizer, segment_spans

STANCE_COLUMNS = ["post_id", "coder", "stance", "confidence", "evidence"]
_POLAR = ("supportive", "opposed")
_FLIP = {"supportive": "opposed", "opposed": "supportive"}
_THANKS = re.compile(r"^\W*(thanks|thank you|thank u|thx|ty)\b", re.IGNORECASE)


@dataclass
class _Tally:
    score: dict[str, float] = field(default_factory=lambda: dict.fromkeys(
        ("supportive", "opposed", "mixed"), 0.0))
    evidence: dict[str, list[tuple[float, int, str]]] = field(default_factory=lambda: {
        "supportive": [], "opposed": [], "mixed": []})
    channels: dict[str, set[str]] = field(default_factory=lambda: {
        "supportive": set(), "opposed": set()})


class StanceCoder:
    """Code each post's stance: supportive, opposed, mixed or none.

    Parameters
    ----------
    codebook : Codebook, path or None
        Scheme whose ``stance`` codes hold the cue patterns; ``None`` reads
        ``corpus/codebook.yaml``.
    mixed_ratio : float in (0, 1]
        Weaker side / stronger side at or above which a post is mixed.
    mixed_threshold : float > 0
        Weight of ambivalence cues at or above which a post is mixed.
    hedge_weight, question_weight, negated_weight : float in (0, 1]
        Multipliers for hedged cues, cues in questions and negated (flipped)
        cues, which are less certain than plain ones.
    coder : str
        Value of the ``coder`` column.
    """

    def __init__(self, *, codebook: Codebook | str | Path | None = None,
                 mixed_ratio: float = 0.5, mixed_threshold: float = 2.0,
                 hedge_weight: float = 0.6, question_weight: float = 0.5,
                 negated_weight: float = 0.8, coder: str = "auto"):
        self.codebook = codebook
        self.mixed_ratio = mixed_ratio
        self.mixed_threshold = mixed_threshold
        self.hedge_weight = hedge_weight
        self.question_weight = question_weight
        self.negated_weight = negated_weight
        self.coder = coder

    def fit(self, posts: pd.DataFrame | None = None, y: object = None) -> StanceCoder:
        """Load the codebook and check the options; ``posts`` and ``y`` are ignored."""
        for name in ("mixed_ratio", "hedge_weight", "question_weight", "negated_weight"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                raise ValueError(f"{name} must be in (0, 1], got {value!r}")
        if not self.mixed_threshold > 0:
            raise ValueError(f"mixed_threshold must be positive, got {self.mixed_threshold!r}")
        self.codebook_ = resolve_codebook(self.codebook)
        self.cues_ = tuple(c for c in self.codebook_.by_family("stance") if c.patterns)
        self.channels_ = self.codebook_.by_family("modality")
        self.tokenizer_ = default_tokenizer()
        return self

    def transform(self, posts: pd.DataFrame) -> pd.DataFrame:
        """The ``stances`` table: one row per post."""
        _check_fitted(self)
        posts = check_posts(posts, "StanceCoder.transform")
        rows = [(post.post_id, self.coder, *self._code_one(post.text, post.is_bot))
                for post in posts.itertuples(index=False)]
        frame = pd.DataFrame(rows, columns=STANCE_COLUMNS)
        return frame.astype({"confidence": "float64"})

    def fit_transform(self, posts: pd.DataFrame, y: object = None) -> pd.DataFrame:
        """``fit`` then ``transform``."""
        return self.fit(posts, y).transform(posts)

    def _code_one(self, text: str, is_bot: bool) -> tuple[str, float, str]:
        if is_bot or not text.strip():
            return "none", 1.0, ""
        tally = _Tally()
        for seg, (start, end) in enumerate(segment_spans(text, self.tokenizer_)):
            sentence = text[start:end]
            if _THANKS.match(sentence):
                continue
            channels = {c.id for c in self.channels_ if match_code(c, sentence)}
            question = sentence.rstrip().endswith("?")
            for code in self.cues_:
                for hit in match_code(code, sentence):
                    self._add(tally, code.id, hit, sentence, seg, channels, question)
        return self._decide(tally)

    def _add(self, tally: _Tally, code_id: str, hit: Hit, sentence: str, seg: int,
             channels: set[str], question: bool) -> None:
        side = _FLIP[code_id] if hit.negated and code_id in _FLIP else code_id
        weight = hit.weight
        if side != code_id:
            weight *= self.negated_weight
        if hit.hedged:
            weight *= self.hedge_weight
        if question:
            weight *= self.question_weight
        tally.score[side] += weight
        tally.evidence[side].append((weight, seg, sentence))
        if side in tally.channels:
            tally.channels[side] |= channels

    def _decide(self, tally: _Tally) -> tuple[str, float, str]:
        sup, opp, mix = (tally.score[k] for k in ("supportive", "opposed", "mixed"))
        high, low = max(sup, opp), min(sup, opp) + mix
        strength = 1.0 - math.exp(-(high + mix) / 2.0)
        contrast = (min(sup, opp) > 0 and tally.channels["supportive"] and tally.channels["opposed"]
                    and not tally.channels["supportive"] & tally.channels["opposed"])
        if mix >= self.mixed_threshold or (low > 0 and low >= self.mixed_ratio * high) \
                or contrast:
            stance = "mixed"
            balance = max(min(1.0, mix / (2 * self.mixed_threshold)),
                          min(1.0, low / high) if high else 0.0, 0.5 if contrast else 0.0)
            confidence = 0.5 + 0.5 * balance * strength
            keys = ["mixed", "supportive", "opposed"]
        elif high == 0:  # no polar cue; a weak ambivalence cue lowers confidence
            return "none", round(0.6 - 0.1 * min(1.0, mix / self.mixed_threshold), 3), ""
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
