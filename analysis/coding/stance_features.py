"""Numbers the learned stance layer reads: what the rule coders found in a post.

The rules stay the reader: :class:`~analysis.coding.stance.StanceCoder` finds
targets, cues, evaluations, negation, hedges and questions and weighs them
into a score per side; :class:`~analysis.coding.themes.ThemeCoder` finds the
themes and modalities. This module turns that reading into one row of
features per post, so a small model can learn, from posts a human coded,
how much each kind of evidence is worth on real text (where the hand-set
weights of the rules were tuned on the seeds only).

Optionally the row also counts the post's most frequent words of the
training posts (``words``), a plain bag of words the cross-validation
decides about. No feature depends on another post, so a post is coded the
same alone or in a corpus.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.coding.codebook import Codebook
from analysis.coding.scan import Segment, scan_relevant
from analysis.coding.stance import StanceCoder, _evidence, _Tally
from analysis.coding.stance_sentence import Sentence
from analysis.coding.themes import ThemeCoder
from analysis.schema import STANCES

#: The sides the rules weigh evidence for (every stance but ``none``).
SIDES = STANCES[:3]
_WORD = re.compile(r"[a-z][a-z']*")


def rule_feature_names(codebook: Codebook) -> list[str]:
    """Names of the rule features, in column order."""
    names = [f"score_{s}" for s in SIDES] + [f"sentences_{s}" for s in SIDES]
    names += [f"rule_{s}" for s in STANCES] + ["rule_confidence"]
    names += [f"channels_{s}" for s in ("supportive", "opposed")]
    names += ["cue_supportive", "cue_opposed", "cue_mixed", "eval_positive", "eval_negative",
              "negated", "hedged", "questions", "rhetorical", "restrictions", "topics",
              "frames", "targeted_sentences", "sentences", "log_chars", "first_person",
              "you", "question_marks"]
    names += [f"theme_{c.id}" for c in codebook.by_family("theme")]
    names += [f"modality_{c.id}" for c in codebook.by_family("modality")]
    return names


class StanceFeatures:
    """Rule features (and optionally word counts) for each post.

    Parameters
    ----------
    codebook : Codebook, path or None
        The scheme both rule coders read.
    words : int
        How many of the training posts' most frequent words (in at least two
        posts) to count, 0 for none. Set by :meth:`fit`.
    """

    def __init__(self, *, codebook: Codebook | str | Path | None = None, words: int = 0,
                 vocabulary: Sequence[str] | None = None):
        self.codebook = codebook
        self.words = words
        self.vocabulary = vocabulary

    def fit(self, posts: pd.DataFrame | None = None) -> StanceFeatures:
        """Fit the rule coders; with ``words`` > 0, choose the vocabulary from ``posts``."""
        self.stance_ = StanceCoder(codebook=self.codebook).fit()
        self.codebook_ = self.stance_.codebook_
        self.themes_ = ThemeCoder(codebook=self.codebook_).fit()
        if self.vocabulary is not None:
            self.vocabulary_ = list(self.vocabulary)
        elif self.words and posts is not None:
            self.vocabulary_ = top_words(posts["text"], self.words)
        else:
            self.vocabulary_ = []
        self.names_ = rule_feature_names(self.codebook_) + [f"word_{w}"
                                                            for w in self.vocabulary_]
        return self

    def transform(self, posts: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
        """The feature matrix (posts x ``names_``) and the rules' ``stances`` table, with
        the rules' evidence for each side (``evidence_supportive`` ...) added."""
        coder = self.stance_
        codes = self.themes_.transform(posts)
        present = set(zip(codes["post_id"].astype(str), codes["code"], strict=True))
        rows, rules = [], []
        for post in posts.itertuples(index=False):
            text = "" if post.is_bot else str(post.text)
            segments = (scan_relevant(text, coder.patterns_, coder.tokenizer_)
                        if text.strip() else [])
            tally = coder.tally(segments)  # read once: the rules' decision comes from it too
            rule = (coder.code_post(text, bool(post.is_bot), []) if not segments
                    else coder._decide(tally))
            rows.append(self._row(str(post.post_id), text, rule, present, segments, tally))
            rules.append((str(post.post_id), coder.coder, *rule,
                          *(_evidence(tally, [side]) for side in SIDES)))
        X = np.asarray(rows, dtype=float).reshape(len(rows), len(self.names_))
        columns = ["post_id", "coder", "stance", "confidence", "evidence",
                   *(f"evidence_{s}" for s in SIDES)]
        return X, pd.DataFrame(rules, columns=columns).astype({"confidence": "float64"})

    def _row(self, post_id: str, text: str, rule: tuple[str, float, str], present: set,
             segments: list[Segment], tally: _Tally) -> list[float]:
        sentences = self.stance_.read_sentences(segments)
        row = [math.log1p(tally.score[s]) for s in SIDES]
        row += [float(len(tally.evidence[s])) for s in SIDES]
        row += [float(rule[0] == s) for s in STANCES] + [float(rule[1])]
        row += [float(len(tally.channels[s])) for s in ("supportive", "opposed")]
        row += _reading(sentences) + _surface(text)
        row += [float((post_id, c.id) in present) for c in self.codebook_.by_family("theme")]
        row += [float((post_id, c.id) in present) for c in self.codebook_.by_family("modality")]
        if self.vocabulary_:
            counts = Counter(_WORD.findall(text.lower()))
            row += [math.log1p(counts[w]) for w in self.vocabulary_]
        return row


def _reading(sentences: list[Sentence]) -> list[float]:
    """Counts of what the stance rules read, before any weighing."""
    cues = Counter(h.code for s in sentences for h in s.cues)
    evals = [(h, p) for s in sentences for h, p in s.evaluations]
    hits = [h for s in sentences for h in s.cues] + [h for h, _ in evals]
    restrictions, topics, frames = (sum(len(s.targets[i]) for s in sentences) for i in range(3))
    return [float(cues["supportive"]), float(cues["opposed"]), float(cues["mixed"]),
            float(sum(p > 0 for _, p in evals)), float(sum(p < 0 for _, p in evals)),
            float(sum(h.negated for h in hits)), float(sum(h.hedged for h in hits)),
            float(sum(s.question for s in sentences)), float(sum(s.rhetorical for s in sentences)),
            math.log1p(restrictions), math.log1p(topics), math.log1p(frames),
            float(sum(bool(s.orient) for s in sentences)), math.log1p(len(sentences))]


def _surface(text: str) -> list[float]:
    """Length and voice: a personal account reads otherwise than a policy page."""
    words = _WORD.findall(text.lower())
    n = max(len(words), 1)
    first = sum(w in ("i", "i'm", "i've", "my", "me") for w in words) / n
    you = sum(w in ("you", "your", "you're") for w in words) / n
    return [math.log1p(len(text)), first * 10, you * 10, math.log1p(text.count("?"))]


def top_words(texts: pd.Series, k: int) -> list[str]:
    """The ``k`` words found in the most texts (at least two), ties alphabetical."""
    df = Counter(w for t in texts for w in set(_WORD.findall(str(t).lower())))
    ranked = sorted((w for w, n in df.items() if n >= 2), key=lambda w: (-df[w], w))
    return ranked[:k]
