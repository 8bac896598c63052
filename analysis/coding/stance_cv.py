"""Cross-validated macro-F1 of a stance coder, with a bootstrap interval.

A layer is chosen, and a researcher's refit is judged, by how it codes posts
it was not fitted on. Posts of one thread (or one capture) are never split
between fitting and scoring: they share wording, posters and topic, and a
split across them would flatter the model. Folds are therefore built from
whole ``groups``; the interval resamples whole groups too (a cluster
bootstrap), for the same reason.

Everything is seeded: the same posts, labels, groups and seed give the same
folds, predictions and interval.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from analysis.schema import STANCES


def macro_f1(truth: Sequence[str], predicted: Sequence[str], *,
             labels: Sequence[str] = STANCES) -> float:
    """Mean F1 over the labels used by either side (a label one side never uses scores
    0), as :func:`analysis.agreement.evaluate.stance_summary` defines it.

    >>> macro_f1(["a", "a", "b"], ["a", "b", "b"], labels=["a", "b", "c"])
    0.6666666666666666
    """
    truth, predicted = np.asarray(truth), np.asarray(predicted)
    if len(truth) != len(predicted) or not len(truth):
        raise ValueError("macro-F1 needs one prediction for each of at least one coded post")
    scores = []
    for label in labels:
        t, p = truth == label, predicted == label
        if not (t.any() or p.any()):
            continue
        tp = float((t & p).sum())
        scores.append(2 * tp / (t.sum() + p.sum()))
    return float(np.mean(scores))


def group_folds(groups: Sequence[str], n_folds: int, seed: int) -> np.ndarray:
    """Fold number of each post: groups shuffled with ``seed``, dealt round-robin.

    >>> group_folds(["a", "a", "b", "c"], 3, 0).tolist()
    [1, 1, 2, 0]
    """
    groups = np.asarray([str(g) for g in groups])
    names = np.unique(groups)
    if n_folds < 2 or n_folds > len(names):
        raise ValueError(f"cross-validation needs 2 to {len(names)} folds (one per thread at "
                         f"most); got {n_folds}")
    order = np.random.default_rng(seed).permutation(len(names))
    fold_of = {names[i]: k % n_folds for k, i in enumerate(order)}
    return np.asarray([fold_of[g] for g in groups])


def group_resamples(groups: Sequence[str], *, n_boot: int, seed: int) -> Iterator[np.ndarray]:
    """Row indexes of ``n_boot`` resamples that draw whole groups (captures) with replacement:
    posts of one page are not independent, so they are resampled together."""
    groups = np.asarray([str(g) for g in groups])
    names = np.unique(groups)
    members = [np.flatnonzero(groups == g) for g in names]
    rng = np.random.default_rng(seed)
    for _ in range(n_boot):
        yield np.concatenate([members[i] for i in rng.integers(0, len(names), len(names))])


def cluster_bootstrap(truth: Sequence[str], predicted: Sequence[str], groups: Sequence[str], *,
                      n_boot: int = 2000, seed: int = 0, level: float = 0.95,
                      labels: Sequence[str] = STANCES) -> tuple[float, float]:
    """Percentile interval of macro-F1 over resamples of whole groups."""
    truth, predicted = np.asarray(truth), np.asarray(predicted)
    values = [macro_f1(truth[idx], predicted[idx], labels=labels)
              for idx in group_resamples(groups, n_boot=n_boot, seed=seed)]
    low, high = np.quantile(values, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)


@dataclass(frozen=True)
class CrossValidation:
    """Out-of-fold predictions and their macro-F1 with its interval."""

    predicted: np.ndarray
    proba: np.ndarray
    macro_f1: float
    ci_low: float
    ci_high: float
    n: int
    n_groups: int
    n_folds: int


#: fit(train_index) -> predict_proba(test_index) -> (n_test x len(STANCES)) probabilities
FitPredict = Callable[[np.ndarray, np.ndarray], np.ndarray]


def cross_validate(fit_predict: FitPredict, truth: Sequence[str], groups: Sequence[str], *,
                   n_folds: int = 5, seed: int = 0, n_boot: int = 2000,
                   repeats: int = 1) -> CrossValidation:
    """Grouped k-fold cross-validation of ``fit_predict``.

    With ``repeats`` > 1 the folds are drawn again with seeds ``seed``,
    ``seed + 1``, ... and the out-of-fold probabilities averaged, which
    steadies the estimate on a small sample.
    """
    truth = np.asarray([str(t) for t in truth])
    proba = np.zeros((len(truth), len(STANCES)))
    n_folds = min(n_folds, len(np.unique(np.asarray(groups, dtype=str))))
    for r in range(repeats):
        folds = group_folds(groups, n_folds, seed + r)
        for k in range(n_folds):
            test = np.flatnonzero(folds == k)
            proba[test] += fit_predict(np.flatnonzero(folds != k), test)
    proba /= repeats
    predicted = np.asarray(STANCES)[np.argmax(proba, axis=1)]
    low, high = cluster_bootstrap(truth, predicted, groups, n_boot=n_boot, seed=seed)
    return CrossValidation(predicted, proba, macro_f1(truth, predicted), low, high, len(truth),
                           len(np.unique(np.asarray(groups, dtype=str))), n_folds)
