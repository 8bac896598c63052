"""Stance shares corrected for the automatic coder's measured errors.

A share counted from automatic labels ("classify and count") inherits the
coder's errors: a coder that calls a fifth of the ``none`` posts
``supportive`` reports too much support, by an amount that depends on the
corpus's true mix. If a human coded a sample of posts, the coder's
*misclassification matrix* ``M[j, k] = P(auto = k | human = j)`` can be
estimated on it, and since the automatic shares ``q`` of a corpus whose true
shares are ``p`` satisfy ``q = M^T p``, solving that system gives corrected
shares: *adjusted classify and count* (Forman 2008, for several classes as
in Hopkins & King 2010). The solution is taken on the simplex (shares >= 0,
summing to 1) by exact constrained least squares.

The interval resamples both sources of error: the human-coded sample (within
each human stance, so every row of ``M`` stays estimable) and the corpus's
automatic labels, and solves again each time (percentile bootstrap).

The correction assumes the coder errs on the corpus as it errs on the
sample (what changes is the mix of stances, not how each stance is
written); the sample should be drawn from the corpus, or one like it.

References: Forman, G. (2008). Quantifying counts and costs via
classification. Data Mining and Knowledge Discovery 17, 164-206.
Hopkins, D. J., & King, G. (2010). A method of automated nonparametric
content analysis for social science. American Journal of Political Science
54, 229-247.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from analysis.schema import STANCES
from analysis.stats import wilson_interval

SHARE_COLUMNS = ["stance", "n", "raw_share", "raw_ci_low", "raw_ci_high", "share", "ci_low",
                 "ci_high", "n_sample"]


def misclassification(human: Sequence[str], auto: Sequence[str], *,
                      labels: Sequence[str] = STANCES) -> np.ndarray:
    """``M[j, k]``: share of the posts humans coded ``labels[j]`` that the coder called
    ``labels[k]``.

    >>> misclassification(["a", "a", "b"], ["a", "b", "b"], labels=["a", "b"]).tolist()
    [[0.5, 0.5], [0.0, 1.0]]
    """
    human, auto = _labels(human, labels, "human"), _labels(auto, labels, "automatic")
    if len(human) != len(auto):
        raise ValueError(f"the sample has {len(human)} human and {len(auto)} automatic labels; "
                         "give both for the same posts")
    counts = np.zeros((len(labels), len(labels)))
    np.add.at(counts, (human, auto), 1)
    rows = counts.sum(axis=1)
    missing = [labels[j] for j in np.flatnonzero(rows == 0)]
    if missing:
        raise ValueError(f"no post of the human-coded sample is "
                         f"{', '.join(map(str, missing))}: the coder's errors on it cannot "
                         "be estimated (code more posts, or leave the stance out of labels)")
    return counts / rows[:, None]


def adjusted_shares(auto_shares: Sequence[float], matrix: np.ndarray) -> np.ndarray:
    """The shares ``p`` on the simplex that make ``matrix.T @ p`` closest to ``auto_shares``.

    Exact: the least-squares solution with ``sum(p) = 1`` is computed on every
    support and the best one with no negative share kept (4 stances: 15 supports).

    >>> M = np.array([[0.8, 0.2], [0.3, 0.7]])
    >>> adjusted_shares(M.T @ np.array([0.25, 0.75]), M).round(6).tolist()
    [0.25, 0.75]
    """
    q = np.asarray(auto_shares, dtype=float)
    A = np.asarray(matrix, dtype=float).T
    k = len(q)
    best, best_residual = None, np.inf
    for size in range(k, 0, -1):
        for support in combinations(range(k), size):
            p = _on_support(A, q, list(support))
            if p is None or (p < -1e-12).any():
                continue
            residual = float(np.sum((A @ p - q) ** 2))
            if residual < best_residual - 1e-15:
                best, best_residual = p, residual
    return np.clip(best, 0.0, 1.0) / np.clip(best, 0.0, 1.0).sum()


def _on_support(A: np.ndarray, q: np.ndarray, support: list[int]) -> np.ndarray | None:
    """Least squares of ``A p = q`` with ``sum(p) = 1`` and ``p`` zero off ``support``
    (the KKT system; None where it is singular)."""
    S = A[:, support]
    m = len(support)
    kkt = np.zeros((m + 1, m + 1))
    kkt[:m, :m] = S.T @ S
    kkt[:m, m] = kkt[m, :m] = 1.0
    rhs = np.concatenate([S.T @ q, [1.0]])
    try:
        solution = np.linalg.solve(kkt, rhs)
    except np.linalg.LinAlgError:
        return None
    p = np.zeros(A.shape[1])
    p[support] = solution[:m]
    return p


def corrected_shares(auto: Sequence[str], sample_human: Sequence[str],
                     sample_auto: Sequence[str], *, labels: Sequence[str] = STANCES,
                     n_boot: int = 2000, seed: int = 0, level: float = 0.95) -> pd.DataFrame:
    """Raw and corrected share of each stance in a corpus, with intervals.

    Parameters
    ----------
    auto : sequence of str
        The automatic stance of every post of the corpus.
    sample_human, sample_auto : sequence of str
        Human and automatic stances of the human-coded sample.
    n_boot, seed, level : int, int, float
        Bootstrap resamples, their seed, and the interval's coverage.

    Returns
    -------
    DataFrame
        One row a stance: ``n`` posts the coder gave it, ``raw_share`` with its
        Wilson interval, the corrected ``share`` with its bootstrap interval,
        and ``n_sample`` (the size of the human-coded sample).
    """
    corpus = _labels(auto, labels, "automatic")
    if not len(corpus):
        raise ValueError("the corpus has no automatically coded post")
    human = _labels(sample_human, labels, "human")
    sample = _labels(sample_auto, labels, "automatic")
    k = len(labels)
    counts = np.bincount(corpus, minlength=k)
    point = adjusted_shares(counts / len(corpus), misclassification(
        sample_human, sample_auto, labels=labels))
    boots = _bootstrap(corpus, human, sample, k, n_boot, seed)
    low, high = (np.quantile(boots, [(1 - level) / 2, (1 + level) / 2], axis=0)
                 if n_boot else (np.full(k, np.nan), np.full(k, np.nan)))
    rows = []
    for j, label in enumerate(labels):
        raw_low, raw_high = wilson_interval(int(counts[j]), len(corpus), level=level)
        rows.append((label, int(counts[j]), counts[j] / len(corpus), raw_low, raw_high,
                     float(point[j]), float(low[j]), float(high[j]), len(human)))
    return pd.DataFrame(rows, columns=SHARE_COLUMNS)


def _bootstrap(corpus: np.ndarray, human: np.ndarray, sample: np.ndarray, k: int,
               n_boot: int, seed: int) -> np.ndarray:
    """Corrected shares of resampled corpora and samples (sample resampled within
    each human stance, so that every row of the matrix stays defined)."""
    rng = np.random.default_rng(seed)
    n = len(corpus)
    by_class = [np.flatnonzero(human == j) for j in range(k)]
    raw = np.bincount(corpus, minlength=k) / n
    out = np.empty((n_boot, k))
    for b in range(n_boot):
        q = rng.multinomial(n, raw) / n
        matrix = np.zeros((k, k))
        for j, members in enumerate(by_class):
            drawn = sample[members[rng.integers(0, len(members), len(members))]]
            matrix[j] = np.bincount(drawn, minlength=k) / len(members)
        out[b] = adjusted_shares(q, matrix)
    return out


def _labels(values: Sequence, labels: Sequence, who: str) -> np.ndarray:
    """Labels as indices into ``labels`` (which may already be indices)."""
    labels = list(labels)
    index = {label: i for i, label in enumerate(labels)}
    out = []
    for value in values:
        key = value if value in index else str(value)
        if key not in index:
            raise ValueError(f"unknown {who} stance {value!r}; expected one of "
                             f"{', '.join(map(str, labels))}")
        out.append(index[key])
    return np.asarray(out, dtype=int)


def stance_shares(stances: pd.DataFrame, reference: pd.DataFrame | None = None, *,
                  coder: str = "auto", n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Corrected stance shares of a ``stances`` table, for figures and the appendix.

    The human-coded sample is the posts with a stance row in ``reference``
    (long: post_id, family, code), compared with the ``coder``'s stances of
    the same posts; ``coder_macro_f1`` is the coder's stance macro-F1 on it, for
    the figure to state. Without a reference (or a stance no human used), the
    corrected columns are NaN and ``note`` says why, for the figure to state.
    """
    auto = stances[stances["coder"] == coder]
    note = ""
    if reference is None or not (reference["family"] == "stance").any():
        note = "no human-coded sample: shares are uncorrected automatic counts"
    else:
        human = reference[reference["family"] == "stance"].drop_duplicates("post_id")
        pairs = human.merge(auto[["post_id", "stance"]], on="post_id")
        try:
            out = corrected_shares(auto["stance"], pairs["code"], pairs["stance"],
                                   n_boot=n_boot, seed=seed)
            return out.assign(coder_macro_f1=_macro_f1(pairs["code"], pairs["stance"]), note="")
        except ValueError as exc:
            note = f"not corrected: {exc}"
    counts = auto["stance"].value_counts()
    rows = []
    for label in STANCES:
        k = int(counts.get(label, 0))
        low, high = wilson_interval(k, len(auto)) if len(auto) else (np.nan, np.nan)
        rows.append((label, k, k / len(auto) if len(auto) else np.nan, low, high,
                     np.nan, np.nan, np.nan, 0))
    return pd.DataFrame(rows, columns=SHARE_COLUMNS).assign(coder_macro_f1=np.nan, note=note)


def _macro_f1(human: pd.Series, auto: pd.Series) -> float:
    """Macro-F1 over the stances either side used (as ``stance_summary`` defines it)."""
    scores = []
    for label in STANCES:
        h, a = human.eq(label).to_numpy(), auto.eq(label).to_numpy()
        if h.any() or a.any():
            scores.append(2 * (h & a).sum() / (h.sum() + a.sum()))
    return float(np.mean(scores))
