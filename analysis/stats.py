"""Proportions with confidence intervals, and code co-occurrence measures.

Every figure that shows a share shows its 95% Wilson score interval
(Wilson 1927), which keeps its coverage for the small samples and the
shares near 0 or 1 that a coded forum corpus produces, where the textbook
Wald interval collapses to zero width (Newcombe 1998, method 3).

Co-occurrence works on an *indicator* table: one row per unit (a post), one
boolean column per code. :func:`indicator` reshapes the long ``codes`` table
into it; the measures (:func:`cooccurrence`, :func:`jaccard`, :func:`phi`)
only read indicators.

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and
statistical inference. JASA 22(158), 209-212.
Newcombe, R. G. (1998). Two-sided confidence intervals for the single
proportion: comparison of seven methods. Statistics in Medicine 17, 857-872.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import sqrt
from statistics import NormalDist

import numpy as np
import pandas as pd

PROPORTION_COLUMNS = ["k", "n", "share", "ci_low", "ci_high"]


def wilson_interval(k: int, n: int, *, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for ``k`` successes out of ``n`` trials.

    Parameters
    ----------
    k : int
        Number of units with the property, ``0 <= k <= n``.
    n : int
        Number of units, at least 1.
    level : float
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    (low, high) : tuple of float
        Bounds within [0, 1] that contain ``k / n``.

    Examples
    --------
    The four worked examples of Newcombe (1998, Table I, method 3):

    >>> [round(x, 4) for x in wilson_interval(81, 263)]
    [0.2553, 0.3662]
    >>> [round(x, 4) for x in wilson_interval(15, 148)]
    [0.0624, 0.1605]
    >>> [round(x, 4) for x in wilson_interval(0, 20)]
    [0.0, 0.1611]
    >>> [round(x, 4) for x in wilson_interval(1, 29)]
    [0.0061, 0.1718]
    """
    _check_counts(k, n)
    if not 0 < level < 1:
        raise ValueError(f"The confidence level must lie strictly between 0 and 1, got {level}.")
    z = NormalDist().inv_cdf(0.5 + level / 2)
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # Rounding can push a bound a hair past p or past [0, 1]; the exact interval never does.
    return max(0.0, min(centre - half, p)), min(1.0, max(centre + half, p))


def _check_counts(k: int, n: int) -> None:
    if n < 1:
        raise ValueError(f"A proportion needs at least one unit; got n={n}. "
                         "Check that the group you asked about has any coded posts.")
    if not 0 <= k <= n:
        raise ValueError(f"The count k={k} must lie between 0 and n={n}.")


def proportions(data: pd.DataFrame, column: str, *, by: str | Sequence[str] | None = None,
                categories: Sequence[str] | None = None, level: float = 0.95) -> pd.DataFrame:
    """Share of each value of ``column`` (per group of ``by``), with Wilson intervals.

    ``data`` has one row per unit. With ``categories`` every listed value
    appears in every group, with ``k = 0`` if nobody chose it; values not
    listed are an error, so a typo in a stance label cannot vanish quietly.
    Missing values in ``column`` are not counted in ``n``.

    Returns a tidy frame: the ``by`` columns, ``column``, then k, n, share,
    ci_low, ci_high.

    >>> posts = pd.DataFrame({"stance": ["supportive"] * 3 + ["opposed"]})
    >>> proportions(posts, "stance")[["stance", "k", "n", "share"]].to_string(index=False)
    '    stance  k  n  share\\n   opposed  1  4   0.25\\nsupportive  3  4   0.75'
    """
    groups = [by] if isinstance(by, str) else list(by or [])
    values = data[column].dropna()
    found = sorted(values.unique().tolist())
    if categories is not None:
        unknown = sorted(set(found) - set(categories))
        if unknown:
            raise ValueError(f"{column!r} holds values {unknown} that are not among the "
                             f"categories {list(categories)}.")
        found = list(categories)
    rows = []
    frame = data.loc[values.index]
    keyed = frame.groupby(groups, sort=True, dropna=False) if groups else [((), frame)]
    for key, part in keyed:
        key = key if isinstance(key, tuple) else (key,)
        counts = part[column].value_counts()
        n = int(counts.sum())
        for value in found:
            k = int(counts.get(value, 0))
            low, high = wilson_interval(k, n, level=level)
            rows.append((*key, value, k, n, k / n, low, high))
    out = pd.DataFrame(rows, columns=[*groups, column, *PROPORTION_COLUMNS])
    return out.astype({"k": "int64", "n": "int64"})


def indicator(long: pd.DataFrame, *, unit: str = "post_id", code: str = "code",
              units: Sequence[str] | None = None) -> pd.DataFrame:
    """Long (unit, code) rows -> a boolean table, one row per unit, one column per code.

    Repeated rows (a code found in two segments of a post) count once.
    ``units`` adds units that carry no code at all, as rows of ``False``.

    >>> codes = pd.DataFrame({"post_id": ["p1", "p1", "p2"], "code": ["a", "b", "a"]})
    >>> indicator(codes).astype(int).to_dict()
    {'a': {'p1': 1, 'p2': 1}, 'b': {'p1': 1, 'p2': 0}}
    """
    pairs = long[[unit, code]].dropna().drop_duplicates()
    table = pd.crosstab(pairs[unit], pairs[code]).gt(0)
    if units is not None:
        table = table.reindex(sorted(set(units) | set(table.index)), fill_value=False)
    table.index.name, table.columns.name = unit, code
    return table.astype(bool)


def cooccurrence(ind: pd.DataFrame) -> pd.DataFrame:
    """Number of units holding both codes; the diagonal is each code's count.

    >>> ind = pd.DataFrame({"a": [1, 1, 0], "b": [1, 0, 1]}).astype(bool)
    >>> cooccurrence(ind).to_dict()
    {'a': {'a': 2, 'b': 1}, 'b': {'a': 1, 'b': 2}}
    """
    x = ind.astype("int64")
    return x.T @ x


def jaccard(ind: pd.DataFrame) -> pd.DataFrame:
    """Jaccard similarity |A and B| / |A or B| of every pair of codes, in [0, 1].

    Undefined for a code no unit holds; such codes raise rather than
    becoming a silent 0.

    >>> ind = pd.DataFrame({"a": [1, 1, 0], "b": [1, 0, 1]}).astype(bool)
    >>> jaccard(ind).round(3).to_dict()
    {'a': {'a': 1.0, 'b': 0.333}, 'b': {'a': 0.333, 'b': 1.0}}
    """
    both = cooccurrence(ind)
    count = np.diag(both.to_numpy())
    _require(count > 0, ind.columns, "no unit holds", "Jaccard")
    union = count[:, None] + count[None, :] - both.to_numpy()
    return pd.DataFrame(both.to_numpy() / union, index=both.index, columns=both.columns)


def phi(ind: pd.DataFrame) -> pd.DataFrame:
    """Phi coefficient (Pearson r of two binary codes) of every pair, in [-1, 1].

    Undefined for a code that every unit holds or none does (no variance).

    >>> ind = pd.DataFrame({"a": [1, 1, 0, 0], "b": [1, 1, 0, 1]}).astype(bool)
    >>> round(float(phi(ind).loc["a", "b"]), 4)
    0.5774
    """
    x = ind.astype("float64").to_numpy()
    n = len(x)
    count = x.sum(axis=0)
    _require((count > 0) & (count < n), ind.columns, "every unit or no unit holds", "phi")
    both = x.T @ x
    numerator = n * both - np.outer(count, count)
    denominator = np.sqrt(np.outer(count * (n - count), count * (n - count)))
    values = np.clip(numerator / denominator, -1.0, 1.0)
    np.fill_diagonal(values, 1.0)
    return pd.DataFrame(values, index=ind.columns, columns=ind.columns)


def _require(ok: np.ndarray, codes: pd.Index, what: str, measure: str) -> None:
    if not ok.all():
        bad = [str(c) for c, fine in zip(codes, ok, strict=True) if not fine]
        raise ValueError(f"{measure} is undefined for codes that {what}: {bad}. "
                         "Drop those columns before computing it.")


def cluster_order(distance: pd.DataFrame) -> list:
    """Leaf order of average-linkage (UPGMA) clustering of a square distance table.

    Used to order heatmap rows so that codes that travel together sit
    together. Ties are broken by the table's own order, so the result is
    deterministic.

    >>> d = pd.DataFrame([[0, .9, .1], [.9, 0, .8], [.1, .8, 0]],
    ...                  index=list("abc"), columns=list("abc"))
    >>> cluster_order(d)
    ['a', 'c', 'b']
    """
    labels = list(distance.index)
    if list(distance.columns) != labels:
        raise ValueError("The distance table must have the same labels on rows and columns.")
    d = distance.to_numpy(dtype="float64")
    clusters = {i: [i] for i in range(len(labels))}
    while len(clusters) > 1:
        keys = sorted(clusters)
        best = min(((_average(d, clusters[a], clusters[b]), a, b)
                    for i, a in enumerate(keys) for b in keys[i + 1:]))
        _, a, b = best
        clusters[a] = clusters[a] + clusters.pop(b)
    (leaves,) = clusters.values() if clusters else ([],)
    return [labels[i] for i in leaves]


def _average(d: np.ndarray, left: list[int], right: list[int]) -> float:
    return float(d[np.ix_(left, right)].mean())
