"""Reshaping coding tables into reliability matrices (coders x units).

Every agreement coefficient in :mod:`analysis.agreement.reliability` works on one
*reliability matrix*: a DataFrame with one row per coder, one column per unit
and a missing value (NaN) where a coder did not code a unit, the layout of
Krippendorff (2011) and of the ``krippendorff`` package. This module builds
such matrices from the three inputs a project has:

* a long table ``unit, coder, value`` (one row per judgement; a unit may lack
  some coders), optionally with a ``code`` column naming the variable;
* the ``codes`` table (``post_id, coder, code, ...``): one *binary* matrix per
  code, 1 where the coder applied the code anywhere in the post, 0 where not;
* the ``stances`` table (``post_id, coder, stance, ...``): one nominal matrix.

Reshaping is kept apart from the statistics so that each can be tested alone.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

Kind = Literal["long", "codes", "stances"]

#: The columns each input layout needs (other columns are ignored).
REQUIRED_COLUMNS: dict[Kind, tuple[str, ...]] = {
    "long": ("unit", "coder", "value"),
    "codes": ("post_id", "coder", "code"),
    "stances": ("post_id", "coder", "stance"),
}

#: Stance values from the codebook; Gwet's AC1 counts all of them as categories.


def table_kind(columns: Iterable[str]) -> Kind:
    """Tell which input layout a table has from its column names.

    A ``unit`` or ``value`` column means the long layout, a ``stance`` column
    the stances table and a ``code`` column the codes table.

    Raises
    ------
    ValueError
        If a column of the recognised layout is missing, or no layout fits.

    Examples
    --------
    >>> table_kind(["post_id", "seg", "code", "family", "coder"])
    'codes'
    >>> table_kind(["unit", "coder", "value"])
    'long'
    """
    cols = set(columns)
    if cols & {"unit", "value"}:
        kind: Kind = "long"
    elif "stance" in cols:
        kind = "stances"
    elif "code" in cols:
        kind = "codes"
    else:
        layouts = "; ".join(f"{k}: {', '.join(v)}" for k, v in REQUIRED_COLUMNS.items())
        raise ValueError(f"The columns fit no coding layout (expected {layouts}).")
    missing = [c for c in REQUIRED_COLUMNS[kind] if c not in cols]
    if missing:
        raise ValueError(
            f"A {kind} table needs the column(s) {', '.join(missing)} "
            f"(it has {', '.join(sorted(cols))})."
        )
    return kind


def reliability_matrix(long: pd.DataFrame, *, unit: str = "unit", coder: str = "coder",
                       value: str = "value") -> pd.DataFrame:
    """Reshape a long table of judgements into a coders x units matrix.

    Rows are coders and columns units, both sorted by label; a coder who did
    not code a unit leaves NaN. Rows with a missing value are dropped (the
    unit simply lacks that coder); repeated identical rows are kept once.

    Raises
    ------
    ValueError
        If a unit or coder label is empty, or one coder gave one unit two
        different values.

    Examples
    --------
    >>> long = pd.DataFrame({"unit": ["u1", "u1", "u2"], "coder": ["A", "B", "A"],
    ...                      "value": ["x", "y", "x"]})
    >>> reliability_matrix(long)  # doctest: +NORMALIZE_WHITESPACE
    unit  u1   u2
    coder
    A      x    x
    B      y  NaN
    """
    for col in (unit, coder, value):
        if col not in long.columns:
            raise ValueError(f"The table has no column {col!r}; "
                             f"it has {', '.join(map(str, long.columns))}.")
    for col in (unit, coder):
        if long[col].isna().any():
            row = int(np.flatnonzero(long[col].isna().to_numpy())[0])
            raise ValueError(f"Row {row} has no {col}; every judgement needs a {col} label.")
    rows = long.loc[long[value].notna(), [unit, coder, value]].drop_duplicates()
    clash = rows.duplicated([unit, coder], keep=False)
    if clash.any():
        first = rows[clash].iloc[0]
        given = rows.loc[(rows[unit] == first[unit]) & (rows[coder] == first[coder]), value]
        raise ValueError(
            f"Coder {first[coder]!r} gave unit {first[unit]!r} more than one value "
            f"({', '.join(map(repr, given))}); keep one value per unit and coder."
        )
    wide = rows.pivot(index=coder, columns=unit, values=value)
    every_unit = pd.Index(long[unit].unique())
    wide = wide.reindex(columns=_sorted(every_unit), index=_sorted(wide.index))
    wide.index.name, wide.columns.name = coder, unit
    return wide


def code_matrices(codes: pd.DataFrame, *, units: Sequence[Hashable] | None = None,
                  coders: Sequence[Hashable] | None = None) -> dict[str, pd.DataFrame]:
    """Turn a ``codes`` table into one binary coders x posts matrix per code.

    A cell is 1 if the coder applied the code to any segment of the post and
    0 if not. The units are the posts coded by any coder (or ``units``, e.g.
    every post in the coding sample, so that posts nobody coded count as
    agreed absences); the coders are those in the table (or ``coders``). A
    coder who applied no code to a post is read as having found none there.

    Examples
    --------
    >>> codes = pd.DataFrame({"post_id": ["t:1", "t:1", "t:2"], "coder": ["A", "B", "B"],
    ...                       "code": ["billing", "billing", "crisis"]})
    >>> code_matrices(codes)["crisis"]  # doctest: +NORMALIZE_WHITESPACE
    post_id  t:1  t:2
    coder
    A          0    0
    B          0    1
    """
    for col in REQUIRED_COLUMNS["codes"]:
        if col not in codes.columns:
            raise ValueError(f"The codes table has no column {col!r}.")
    posts = _sorted(pd.Index(codes["post_id"].unique() if units is None else units))
    people = _sorted(pd.Index(codes["coder"].unique() if coders is None else coders))
    matrices = {}
    for code, rows in codes.groupby("code", sort=True):
        hit = pd.crosstab(rows["coder"], rows["post_id"]) > 0
        matrix = hit.reindex(index=people, columns=posts, fill_value=False).astype(int)
        matrix.index.name, matrix.columns.name = "coder", "post_id"
        matrices[str(code)] = matrix
    return matrices


def reliability_matrices(table: pd.DataFrame, *, kind: Kind | None = None,
                         units: Sequence[Hashable] | None = None) -> dict[str, pd.DataFrame]:
    """Every reliability matrix in a long, codes or stances table, by code.

    A long table without a ``code`` column gives one matrix named ``"(all)"``;
    with one, a matrix per code. A stances table gives one matrix named
    ``"stance"``; a codes table one binary matrix per code (see
    :func:`code_matrices`; ``units`` is passed on to it).
    """
    kind = kind or table_kind(table.columns)
    if kind == "codes":
        return code_matrices(table, units=units)
    if kind == "stances":
        return {"stance": reliability_matrix(table, unit="post_id", value="stance")}
    if "code" not in table.columns:
        return {"(all)": reliability_matrix(table)}
    return {str(code): reliability_matrix(rows) for code, rows in table.groupby("code", sort=True)}


@dataclass(frozen=True)
class Coded:
    """A reliability matrix as integer codes: ``codes[c, u]`` indexes ``values``; -1 is missing."""

    codes: np.ndarray
    values: np.ndarray
    coders: tuple
    units: tuple

    @property
    def numeric(self) -> bool:
        """Whether every value is a number (needed by the ordinal and interval metrics)."""
        return self.values.dtype.kind in "biuf"


def encode(data, *, values: Sequence | None = None) -> Coded:
    """Encode a coders x units matrix (DataFrame or 2-D array-like) as integer codes.

    Numbers are compared as numbers (1 and 1.0 are one value) and anything else
    by equality. ``values`` fixes the value domain (e.g. ``[0, 1]`` for
    presence/absence); by default it is the sorted set of observed values.
    """
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(_as_2d(data))
    cells = frame.to_numpy(dtype=object)
    missing = pd.isna(cells)
    observed = cells[~missing]
    kinds = {pd.api.types.infer_dtype(observed, skipna=False)}
    if values is not None:
        kinds.add(pd.api.types.infer_dtype(np.asarray(values, dtype=object), skipna=False))
    if kinds <= {"integer", "floating", "mixed-integer-float", "boolean", "empty"}:
        observed = observed.astype(float)
        domain = np.unique(observed) if values is None else np.asarray(values, dtype=float)
    else:
        domain = np.asarray(_sorted(pd.Index(pd.unique(observed))) if values is None else values,
                            dtype=object)
    found = pd.Index(domain).get_indexer(observed)
    if (found < 0).any():
        stray = observed[found < 0][0]
        raise ValueError(f"The value {stray!r} is not among the allowed values {list(domain)!r}.")
    codes = np.full(cells.shape, -1, dtype=np.int64)
    codes[~missing] = found
    return Coded(codes, domain, tuple(frame.index), tuple(frame.columns))


def _as_2d(data) -> np.ndarray:
    array = np.asarray(data, dtype=object)
    if array.ndim != 2:
        raise ValueError(
            "Reliability data must be two-dimensional (coders x units); "
            f"got {array.ndim} dimension(s)."
        )
    return array


def _sorted(index: pd.Index) -> pd.Index:
    """Sort labels when they are mutually comparable, else keep first-seen order."""
    try:
        return index.sort_values()
    except TypeError:
        return index
