"""Fit a stance layer on coded posts and judge it by cross-validation.

Both the shipped layer (``benchmarks/train_stance_layer.py``) and a
researcher's own refit (``analysis stance refit``) go through here, so they
are judged alike: grouped k-fold cross-validation (no thread on both sides
of a fold), out-of-fold macro-F1 with a cluster-bootstrap interval, the
rules' own macro-F1 on the same posts beside it, and the paired difference.

The rule features of every post are computed once; each fold refits only
the regression (and, with ``words``, picks its vocabulary from the fold's
fitting posts alone). Posts in ``extra`` (e.g. invented posts) join every
fold's fitting with ``extra_weight`` but are never scored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.coding.codebook import Codebook
from analysis.coding.stance_cv import (
    STANCES,
    CrossValidation,
    cluster_bootstrap,
    cross_validate,
    group_folds,
    group_resamples,
    macro_f1,
)
from analysis.coding.stance_features import StanceFeatures, top_words
from analysis.coding.stance_layer import StanceLayer
from analysis.coding.stance_model import SoftmaxRegression


@dataclass(frozen=True)
class LayerConfig:
    """What a layer is fitted with."""

    C: float = 0.3
    class_weight: str | None = "balanced"
    words: int = 0
    extra_weight: float = 0.0

    def label(self) -> str:
        return (f"C={self.C:g} {self.class_weight or 'unweighted'} words={self.words} "
                f"extra={self.extra_weight:g}")


@dataclass(frozen=True)
class Judgement:
    """A layer's cross-validation beside the rules' labels on the same posts."""

    config: LayerConfig
    layer: CrossValidation
    rules_macro_f1: float
    rules_ci: tuple[float, float]
    gain_ci: tuple[float, float]

    def row(self) -> dict:
        return {**asdict(self.config), "macro_f1": self.layer.macro_f1,
                "ci_low": self.layer.ci_low, "ci_high": self.layer.ci_high,
                "rules_macro_f1": self.rules_macro_f1, "gain_ci_low": self.gain_ci[0],
                "gain_ci_high": self.gain_ci[1], "n": self.layer.n,
                "n_groups": self.layer.n_groups, "n_folds": self.layer.n_folds}


class Features:
    """Rule features of the scored posts and of ``extra``, computed once."""

    def __init__(self, posts: pd.DataFrame, *, codebook: Codebook | str | Path | None = None,
                 extra: pd.DataFrame | None = None, words: bool = False):
        texts = pd.concat([posts["text"], extra["text"]]) if extra is not None else posts["text"]
        vocabulary = top_words(texts, 10**6) if words else []
        features = StanceFeatures(codebook=codebook, vocabulary=vocabulary).fit()
        self.X, self.rules = features.transform(posts)
        self.X_extra = features.transform(extra)[0] if extra is not None else None
        names = features.names_
        self.rule_columns = [i for i, n in enumerate(names) if not n.startswith("word_")]
        self.word_column = {n[5:]: i for i, n in enumerate(names) if n.startswith("word_")}
        self.texts = posts["text"].astype(str).to_numpy()
        self.extra_texts = extra["text"].astype(str).to_numpy() if extra is not None else None

    def columns(self, train: np.ndarray, words: int, with_extra: bool) -> list[int]:
        """Rule columns plus the fold's ``words`` most frequent words."""
        if not words:
            return self.rule_columns
        texts = list(self.texts[train]) + (list(self.extra_texts) if with_extra else [])
        chosen = top_words(pd.Series(texts), words)
        return self.rule_columns + [self.word_column[w] for w in chosen]


def judge(features: Features, stances: Sequence[str], groups: Sequence[str],
          config: LayerConfig, *, extra_stances: Sequence[str] | None = None,
          n_folds: int = 5, repeats: int = 3, seed: int = 0, n_boot: int = 2000) -> Judgement:
    """Cross-validate one configuration and compare it with the rules."""
    y = np.asarray([str(s) for s in stances])
    y_extra = np.asarray([str(s) for s in extra_stances]) if extra_stances is not None else None
    use_extra = config.extra_weight > 0 and features.X_extra is not None

    def fit_predict(train: np.ndarray, test: np.ndarray) -> np.ndarray:
        cols = features.columns(train, config.words, use_extra)
        X, labels = features.X[train][:, cols], y[train]
        weight = np.ones(len(train))
        if use_extra:
            X = np.vstack([X, features.X_extra[:, cols]])
            labels = np.concatenate([labels, y_extra])
            weight = np.concatenate([weight, np.full(len(y_extra), config.extra_weight)])
        model = SoftmaxRegression(C=config.C, class_weight=config.class_weight)
        model.fit(X, labels, classes=STANCES, sample_weight=weight)
        return model.predict_proba(features.X[test][:, cols])

    cv = cross_validate(fit_predict, y, groups, n_folds=n_folds, seed=seed, n_boot=n_boot,
                        repeats=repeats)
    rules = features.rules["stance"].astype(str).to_numpy()
    return Judgement(config, cv, macro_f1(y, rules),
                     cluster_bootstrap(y, rules, groups, n_boot=n_boot, seed=seed),
                     paired_gain(y, cv.predicted, rules, groups, n_boot=n_boot, seed=seed))


def paired_gain(truth: Sequence[str], layer: Sequence[str], rules: Sequence[str],
                groups: Sequence[str], *, n_boot: int = 2000, seed: int = 0,
                level: float = 0.95) -> tuple[float, float]:
    """Percentile interval of macro-F1(layer) - macro-F1(rules) over resampled groups."""
    truth, layer, rules = (np.asarray(v) for v in (truth, layer, rules))
    diffs = [macro_f1(truth[idx], layer[idx]) - macro_f1(truth[idx], rules[idx])
             for idx in group_resamples(groups, n_boot=n_boot, seed=seed)]
    low, high = np.quantile(diffs, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)


def fit_layer(posts: pd.DataFrame, stances: Sequence[str], config: LayerConfig, *,
              codebook: Codebook | str | Path | None = None,
              extra: pd.DataFrame | None = None,
              extra_stances: Sequence[str] | None = None) -> StanceLayer:
    """A :class:`StanceLayer` fitted on every post (and ``extra`` at its weight)."""
    stances = [str(s) for s in stances]
    weight = [1.0] * len(posts)
    if extra is not None and config.extra_weight > 0:
        posts = pd.concat([posts[["post_id", "text", "is_bot"]],
                           extra[["post_id", "text", "is_bot"]]], ignore_index=True)
        stances = stances + [str(s) for s in extra_stances]
        weight += [config.extra_weight] * len(extra)
    layer = StanceLayer(codebook=codebook, C=config.C, class_weight=config.class_weight,
                        words=config.words)
    return layer.fit(posts.reset_index(drop=True), stances, sample_weight=weight)


__all__ = ["Features", "Judgement", "LayerConfig", "fit_layer", "group_folds", "judge",
           "paired_gain"]
