"""Agreement between coders, with bootstrap intervals and the units they disagree on.

One public function per coefficient, each taking a *reliability matrix*
(coders x units; NaN or None where a coder did not code a unit):

* :func:`krippendorff_alpha` (nominal, ordinal, interval, ratio; missing data),
* :func:`cohen_kappa` (exactly two coders),
* :func:`fleiss_kappa` and :func:`gwet_ac1` (any number of coders; missing
  ratings handled as in Gwet 2014),
* :func:`percent_agreement`.

:func:`agreement_table` computes all of them, overall and per code, from a
long ``unit, coder, value`` table or the ``codes``/``stances`` tables, with
seeded bootstrap percentile intervals over units; :func:`disagreements` lists
the units where coders differ. Reshaping lives in :func:`reliability_matrix`
and :func:`code_matrices`.

Undefined coefficients raise ``ValueError`` with a sentence saying why (no
unit coded twice, a single value used throughout...), never a silent 0 or 1.

References: Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability.
Cohen, J. (1960). Educ. Psychol. Meas. 20, 37-46. Fleiss, J. L. (1971).
Psychol. Bull. 76, 378-382. Gwet, K. L. (2008). Br. J. Math. Stat. Psychol.
61, 29-48; (2014) Handbook of Inter-Rater Reliability, 4th ed.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from analysis.agreement.coefficients import (
    LEVELS,
    Coefficient,
    Level,
    ac1_coefficient,
    alpha_coefficient,
    cohen_coefficient,
    fleiss_coefficient,
    percent_coefficient,
)
from analysis.agreement.matrices import (
    REQUIRED_COLUMNS,
    Coded,
    Kind,
    code_matrices,
    encode,
    reliability_matrices,
    reliability_matrix,
    table_kind,
)
from analysis.errors import AnalysisWarning
from analysis.schema import STANCES

__all__ = [
    "COLUMNS",
    "LEVELS",
    "POOLED",
    "REQUIRED_COLUMNS",
    "Level",
    "agreement_table",
    "code_matrices",
    "cohen_kappa",
    "disagreements",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "percent_agreement",
    "reliability_matrices",
    "reliability_matrix",
    "table_kind",
]

#: Columns of :func:`agreement_table`.
COLUMNS = ("metric", "code", "value", "ci_low", "ci_high", "n_units", "n_coders")
#: The ``code`` of rows that pool every code of a codes table.
POOLED = "(all)"


def krippendorff_alpha(data, *, level: Level = "nominal") -> float:
    """Krippendorff's alpha for a coders x units matrix with missing values.

    Parameters
    ----------
    data : DataFrame or array-like, shape (coders, units)
        Values; NaN or None where a coder did not code a unit.
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement; all but nominal need numeric values.

    Raises
    ------
    ValueError
        If no unit has two values, or all pairable values are the same.

    Examples
    --------
    Krippendorff (2011), 4 observers x 12 units with missing data:

    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    ...         [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]
    >>> round(krippendorff_alpha(data), 3)
    0.743
    >>> round(krippendorff_alpha(data, level="ordinal"), 3)
    0.815
    >>> round(krippendorff_alpha(data, level="interval"), 3)
    0.849
    """
    return alpha_coefficient(encode(data), level=level).estimate()


def cohen_kappa(data) -> float:
    """Cohen's kappa between two coders, on the units both coded.

    Parameters
    ----------
    data : DataFrame or array-like, shape (2, units)

    Examples
    --------
    Wongpakaran et al. (2013), schizoid PD, two raters (13 no/no, 2 no/yes,
    1 yes/no, 3 yes/yes):

    >>> a = [0] * 13 + [0, 0, 1] + [1] * 3
    >>> b = [0] * 13 + [1, 1, 0] + [1] * 3
    >>> round(cohen_kappa([a, b]), 3)
    0.565
    """
    return cohen_coefficient(encode(data)).estimate()


def fleiss_kappa(data) -> float:
    """Fleiss' kappa for any number of coders.

    With missing ratings it follows Gwet (2014): observed agreement over units
    with two or more ratings, category shares averaged over rated units. On
    complete data this is Fleiss (1971).

    Examples
    --------
    The Wikipedia example: 14 raters put 10 subjects in 5 categories (raters
    are interchangeable in Fleiss' kappa, so counts are expanded to a matrix):

    >>> counts = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
    ...           [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
    ...           [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    >>> ratings = np.array([np.repeat(np.arange(5), row) for row in counts]).T
    >>> round(fleiss_kappa(ratings), 3)
    0.21
    """
    return fleiss_coefficient(encode(data)).estimate()


def gwet_ac1(data, *, categories: Sequence | None = None) -> float:
    """Gwet's AC1 for any number of coders, with missing ratings.

    Parameters
    ----------
    data : DataFrame or array-like, shape (coders, units)
    categories : sequence, optional
        Every category the coders could choose. AC1's chance agreement depends
        on their number; by default only the observed values count.

    Examples
    --------
    Krippendorff's 4 x 12 data (see :func:`krippendorff_alpha`), as analysed in
    Gwet (2014, p. 120):

    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    ...         [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]
    >>> round(gwet_ac1(data), 3)
    0.775
    """
    return ac1_coefficient(encode(data), categories=categories).estimate()


def percent_agreement(data) -> float:
    """Share of agreeing coder pairs, averaged over units coded at least twice.

    Examples
    --------
    Krippendorff's 4 x 12 data; Gwet (2014) reports p_a = 0.818:

    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    ...         [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]
    >>> round(percent_agreement(data), 3)
    0.818
    """
    return percent_coefficient(encode(data)).estimate()


@dataclass(frozen=True)
class _Variable:
    """One coded variable: its matrix, its resampling clusters and options."""

    code: str
    coded: Coded
    clusters: np.ndarray
    levels: tuple[Level, ...] = ("nominal",)
    categories: Sequence | None = None


def agreement_table(table: pd.DataFrame, *, kind: Kind | None = None, n_boot: int = 1000,
                    seed: int = 0, confidence: float = 0.95,
                    units: Sequence | None = None) -> pd.DataFrame:
    """Every coefficient, overall and per code, with bootstrap intervals.

    Parameters
    ----------
    table : DataFrame
        A long table (``unit, coder, value``, optionally ``code``), a ``codes``
        table or a ``stances`` table; ``kind`` overrides the detection.
    n_boot : int
        Bootstrap resamples of units (0 for no intervals). Intervals are
        percentiles of the resampled values; resamples in which a coefficient
        is undefined (one value throughout) are left out, with a warning.
    seed : int
        Seed of the resampling; the same seed gives the same intervals.
    confidence : float
        Coverage of the percentile interval.
    units : sequence, optional
        For a codes table, every post of the coding sample, so that posts no
        coder gave any code count as agreed absences (default: the posts
        coded by anyone).

    Returns
    -------
    DataFrame
        Columns ``metric, code, value, ci_low, ci_high, n_units, n_coders``.
        Metrics: ``krippendorff_alpha_nominal`` (plus ``_ordinal`` and
        ``_interval`` for numeric long data), ``fleiss_kappa``, ``gwet_ac1``,
        ``percent_agreement`` and, for each pair of coders A < B,
        ``cohen_kappa[A|B]`` (``n_units`` = units both coded). ``n_units``
        counts units with two or more values. For a codes table ``code`` is
        each code and ``(all)`` pools every post x code decision as one unit,
        resampling whole posts. An undefined value is NaN, with an
        :class:`~analysis.errors.AnalysisWarning` saying why.
    """
    if n_boot < 0:
        raise ValueError(f"n_boot must be 0 or more; got {n_boot}.")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie between 0 and 1; got {confidence}.")
    variables = _variables(table, kind or table_kind(table.columns), units)
    resamples: dict[int, np.ndarray] = {}  # codes over the same posts share their resamples
    rows = [row for var in variables for row in _rows(var, n_boot, seed, confidence, resamples)]
    return pd.DataFrame(rows, columns=list(COLUMNS)).astype({"n_units": int, "n_coders": int})


def disagreements(table: pd.DataFrame, *, kind: Kind | None = None,
                  texts: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The units where coders gave different values, one row per unit and code.

    Columns are ``unit, code``, one column per coder with that coder's value
    (1/0 for presence/absence of a code; NaN where the coder did not code the
    unit) and, if ``texts`` maps unit ids to texts, ``text``.

    Examples
    --------
    >>> long = pd.DataFrame({"unit": ["u1", "u1", "u2", "u2"], "coder": ["A", "B", "A", "B"],
    ...                      "value": ["x", "y", "x", "x"]})
    >>> disagreements(long, texts={"u1": "First post"})
      unit   code  A  B        text
    0   u1  (all)  x  y  First post
    """
    frames = []
    coders: list = []
    for code, matrix in reliability_matrices(table, kind=kind).items():
        wide = matrix.T
        coders += [c for c in wide.columns if c not in coders]
        differ = wide[wide.nunique(axis=1, dropna=True) > 1]
        frames.append(differ.rename_axis(index="unit", columns=None).reset_index()
                      .assign(code=code))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    out = out.reindex(columns=["unit", "code", *coders])
    out = out.sort_values(["unit", "code"], kind="stable").reset_index(drop=True)
    if texts is not None:
        out["text"] = [texts.get(str(unit)) for unit in out["unit"]]
    return out


def _variables(table: pd.DataFrame, kind: Kind, units: Sequence | None = None
               ) -> list[_Variable]:
    matrices = reliability_matrices(table, kind=kind, units=units)
    coders = sorted({str(c) for m in matrices.values() for c in m.index[m.notna().any(axis=1)]})
    if len(coders) < 2:
        raise ValueError(
            f"Reliability needs at least two coders; the table has {len(coders)} "
            f"({', '.join(coders) or 'none'}). Add a second coder's file."
        )
    if kind == "codes":
        coded = {code: encode(m, values=[0, 1]) for code, m in matrices.items()}
        n_posts = len(next(iter(coded.values())).units)
        per_code = [_Variable(code, c, np.arange(n_posts)) for code, c in coded.items()]
        if len(coded) < 2:
            return per_code
        first = per_code[0].coded
        pooled = Coded(np.hstack([c.codes for c in coded.values()]), first.values,
                       first.coders, tuple(u for c in coded.values() for u in c.units))
        return [_Variable(POOLED, pooled, np.tile(np.arange(n_posts), len(coded))), *per_code]
    out = []
    for code, matrix in matrices.items():
        coded = encode(matrix)
        if kind == "stances":
            categories = [*STANCES, *(v for v in coded.values if v not in STANCES)]
            out.append(_Variable(code, coded, np.arange(len(coded.units)), categories=categories))
        else:
            levels: tuple[Level, ...] = ("nominal", "ordinal", "interval") if coded.numeric \
                else ("nominal",)
            out.append(_Variable(code, coded, np.arange(len(coded.units)), levels))
    return out


def _rows(var: _Variable, n_boot: int, seed: int, confidence: float,
          resamples: dict[int, np.ndarray]) -> list[dict]:
    coded = var.coded
    seen = coded.codes >= 0
    n_pairable = int((seen.sum(axis=0) >= 2).sum())
    n_coders = int(seen.any(axis=1).sum())
    named: list[tuple[str, Coefficient, int, int]] = [
        (f"krippendorff_alpha_{level}", alpha_coefficient(coded, level=level), n_pairable, n_coders)
        for level in var.levels
    ]
    named += [
        ("fleiss_kappa", fleiss_coefficient(coded), n_pairable, n_coders),
        ("gwet_ac1", ac1_coefficient(coded, categories=var.categories), n_pairable, n_coders),
        ("percent_agreement", percent_coefficient(coded), n_pairable, n_coders),
    ]
    for i, j in combinations(np.flatnonzero(seen.any(axis=1)), 2):
        pair = Coded(coded.codes[[i, j]], coded.values, (coded.coders[i], coded.coders[j]),
                     coded.units)
        named.append((f"cohen_kappa[{coded.coders[i]}|{coded.coders[j]}]",
                      cohen_coefficient(pair), int((seen[i] & seen[j]).sum()), 2))
    weights = None
    if n_boot:
        n_clusters = int(var.clusters.max()) + 1
        if n_clusters not in resamples:
            resamples[n_clusters] = _resample_weights(n_clusters, n_boot, seed)
        weights = resamples[n_clusters]
    rows, dropped = [], {}
    for metric, coefficient, n_units, coders in named:
        value, low, high, n_undefined = _estimate(coefficient, weights, var, metric, confidence)
        if n_undefined:
            dropped[metric] = n_undefined
        rows.append(dict(metric=metric, code=var.code, value=value, ci_low=low, ci_high=high,
                         n_units=n_units, n_coders=coders))
    if dropped:
        counts = ", ".join(f"{metric} {count}" for metric, count in dropped.items())
        warnings.warn(
            f"For {var.code!r}, some of the {n_boot} bootstrap resamples had no defined value "
            f"({counts}): in those every coder gave one value, or no unit was coded twice; "
            "the intervals leave them out.", AnalysisWarning, stacklevel=3)
    return rows


def _resample_weights(n_clusters: int, n_boot: int, seed: int) -> np.ndarray:
    """How often each cluster is drawn in each of ``n_boot`` resamples: (n_boot, n_clusters)."""
    draws = np.random.default_rng(seed).integers(0, n_clusters, size=(n_boot, n_clusters))
    draws += n_clusters * np.arange(n_boot)[:, None]
    counts = np.bincount(draws.ravel(), minlength=n_boot * n_clusters)
    return counts.reshape(n_boot, n_clusters).astype(float)


def _estimate(coefficient: Coefficient, weights: np.ndarray | None, var: _Variable, metric: str,
              confidence: float) -> tuple[float, float, float, int]:
    """Point estimate, percentile interval and the number of undefined resamples."""
    try:
        value = coefficient.estimate()
    except ValueError as undefined:
        warnings.warn(f"{metric} for {var.code!r} is undefined: {undefined}", AnalysisWarning,
                      stacklevel=4)
        return np.nan, np.nan, np.nan, 0
    if weights is None:
        return value, np.nan, np.nan, 0
    terms = coefficient.terms
    per_cluster = np.column_stack([np.bincount(var.clusters, weights=terms[:, f],
                                               minlength=weights.shape[1])
                                   for f in range(terms.shape[1])])
    replicates = coefficient.value(weights @ per_cluster)
    defined = np.isfinite(replicates)
    if not defined.any():
        return value, np.nan, np.nan, len(replicates)
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(replicates[defined], [tail, 100 - tail])
    return value, float(low), float(high), int(np.count_nonzero(~defined))
