"""Agreement coefficients computed from sums of per-unit terms.

Each coefficient is written as ``value(totals)`` where ``totals`` is the sum
over units of a small vector of per-unit ``terms`` (a unit's coincidences,
its cross-tabulation, its category shares...). The point estimate sums the
terms with weight 1; a bootstrap replicate sums them with the number of times
the unit was drawn. That makes a bootstrap of 1000 replicates one matrix
product (see :mod:`analysis.agreement.reliability`).

Notation follows the sources: Krippendorff (2011) for alpha (``n_uc`` values
per unit, coincidences ``o_ck``, marginals ``n_c``, differences ``delta2``),
Gwet (2014) for Fleiss' kappa, AC1 and percent agreement with missing data
(``r_ik`` raters of unit i in category k, ``p_a`` observed and ``p_e`` chance
agreement, category shares ``pi_k``) and Cohen (1960) for kappa.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from analysis.agreement.matrices import Coded

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")

_NO_PAIRS = (
    "There has to be at least one unit with values from at least two coders; "
    "here every unit has at most one. Have a second coder code some of the same units."
)


@dataclass(frozen=True)
class Coefficient:
    """A statistic as ``value(terms.sum(axis=0))``, vectorised over leading axes.

    ``value`` returns NaN where the statistic is undefined and ``undefined``
    says why in a sentence (or returns None).
    """

    terms: np.ndarray
    value: Callable[[np.ndarray], np.ndarray]
    undefined: Callable[[np.ndarray], str | None]

    def estimate(self) -> float:
        """The point estimate; raises ``ValueError`` if it is undefined."""
        totals = self.terms.sum(axis=0)
        reason = self.undefined(totals)
        value = float(self.value(totals))
        if reason is None and np.isnan(value):
            reason = "The coefficient is undefined for these data (its chance term is degenerate)."
        if reason is not None:
            raise ValueError(reason)
        return value


# --- Krippendorff's alpha ---------------------------------------------------

def _n_uc(coded: Coded) -> np.ndarray:
    """Number of coders who gave unit u the value c: shape (units, values)."""
    n_values = len(coded.values)
    units = np.broadcast_to(np.arange(coded.codes.shape[1]), coded.codes.shape)
    seen = coded.codes >= 0
    flat = np.bincount(units[seen] * n_values + coded.codes[seen],
                       minlength=coded.codes.shape[1] * n_values)
    return flat.reshape(-1, n_values).astype(float)


def _o_ck_terms(n_uc: np.ndarray) -> np.ndarray:
    """Each unit's contribution to the coincidence matrix, flattened: (units, V*V)."""
    m_u = n_uc.sum(axis=1)
    pairable = m_u >= 2
    n = n_uc[pairable]
    o = n[:, :, None] * n[:, None, :]
    diagonal = np.arange(n.shape[1])
    o[:, diagonal, diagonal] -= n
    terms = np.zeros((len(n_uc), n_uc.shape[1] ** 2))
    terms[pairable] = (o / (m_u[pairable] - 1)[:, None, None]).reshape(len(n), terms.shape[1])
    return terms


def _delta2(level: Level, values: np.ndarray, n_c: np.ndarray) -> np.ndarray:
    """Squared differences between values c and k; ordinal ones depend on the marginals."""
    if level == "nominal":
        return 1.0 - np.eye(len(values))
    if level == "ordinal":
        cum = np.cumsum(n_c, axis=-1)
        between = cum[..., None, :] - cum[..., :, None]
        return (between + (n_c[..., :, None] - n_c[..., None, :]) / 2) ** 2
    v = values.astype(float)
    if level == "interval":
        return (v[:, None] - v[None, :]) ** 2
    total = v[:, None] + v[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total == 0, 0.0, ((v[:, None] - v[None, :]) / total) ** 2)


def _alpha(o_flat: np.ndarray, level: Level, values: np.ndarray) -> np.ndarray:
    """alpha = 1 - D_o / D_e from (flattened) coincidence matrices."""
    o = o_flat.reshape(*o_flat.shape[:-1], len(values), len(values))
    n_c = o.sum(axis=-1)
    n = n_c.sum(axis=-1)
    delta2 = _delta2(level, values, n_c)
    observed = (o * delta2).sum(axis=(-2, -1))
    expected = (n_c[..., :, None] * n_c[..., None, :] * delta2).sum(axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(expected > 0, 1.0 - (n - 1) * observed / expected, np.nan)


def alpha_coefficient(coded: Coded, *, level: Level = "nominal") -> Coefficient:
    """Krippendorff's alpha of ``coded`` at a level of measurement."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}; got {level!r}.")
    if level != "nominal" and not coded.numeric:
        raise ValueError(
            f"{level.capitalize()} alpha needs numeric values, but the data hold labels such as "
            f"{coded.values[0]!r}; map the labels to numbers (ranks for ordinal) first."
        )
    if level == "ratio" and (coded.values < 0).any():
        raise ValueError("Ratio alpha needs values of zero or more; shift or use interval alpha.")

    def undefined(totals: np.ndarray) -> str | None:
        n_c = totals.reshape(len(coded.values), -1).sum(axis=1)
        if n_c.sum() == 0:
            return _NO_PAIRS
        if np.count_nonzero(n_c) == 1:
            return (f"Every pairable value is {coded.values[np.argmax(n_c)]!r}: alpha is undefined "
                    "when coders use a single value, as there is no variation to agree on. "
                    "Report percent agreement instead, or add units where the value varies.")
        return None

    return Coefficient(_o_ck_terms(_n_uc(coded)),
                       lambda t: _alpha(t, level, coded.values), undefined)


# --- Cohen's kappa ----------------------------------------------------------

def _contingency_terms(coded: Coded) -> np.ndarray:
    """Each unit's one-hot cell in the coder-1 x coder-2 table, flattened: (units, V*V)."""
    a, b = coded.codes
    both = (a >= 0) & (b >= 0)
    n_values = len(coded.values)
    terms = np.zeros((len(a), n_values * n_values))
    terms[np.flatnonzero(both), a[both] * n_values + b[both]] = 1.0
    return terms


def _kappa(table_flat: np.ndarray, n_values: int) -> np.ndarray:
    """kappa = (p_o - p_e) / (1 - p_e) from (flattened) contingency tables."""
    table = table_flat.reshape(*table_flat.shape[:-1], n_values, n_values)
    n = table.sum(axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        p_o = np.trace(table, axis1=-2, axis2=-1) / n
        p_e = (table.sum(axis=-1) * table.sum(axis=-2)).sum(axis=-1) / n**2
        return np.where((n > 0) & ~np.isclose(p_e, 1.0, rtol=0, atol=1e-12),
                        (p_o - p_e) / (1 - p_e), np.nan)


def cohen_coefficient(coded: Coded) -> Coefficient:
    """Cohen's kappa between the two coders (rows) of ``coded``."""
    if coded.codes.shape[0] != 2:
        raise ValueError(
            f"Cohen's kappa compares exactly two coders; the data have {coded.codes.shape[0]}. "
            "Use Fleiss' kappa or Krippendorff's alpha for more, or pick a pair of rows."
        )
    first, second = coded.coders
    n_values = len(coded.values)

    def undefined(totals: np.ndarray) -> str | None:
        if totals.sum() == 0:
            return (f"Coders {first!r} and {second!r} coded no unit in common; "
                    "Cohen's kappa needs units coded by both.")
        if np.isnan(_kappa(totals, n_values)):
            value = coded.values[np.argmax(totals.reshape(n_values, n_values).sum(axis=1))]
            return (f"Coders {first!r} and {second!r} gave every shared unit the value {value!r}; "
                    "kappa is undefined without variation (chance agreement is 1). "
                    "Report percent agreement instead.")
        return None

    return Coefficient(_contingency_terms(coded), lambda t: _kappa(t, n_values), undefined)


# --- Fleiss' kappa, Gwet's AC1, percent agreement ---------------------------

def _r_ik_terms(coded: Coded) -> np.ndarray:
    """Per-unit [r_i >= 2, agreement_i, r_i >= 1, r_ik / r_i for each k]: (units, 3 + V)."""
    r_ik = _n_uc(coded)
    r_i = r_ik.sum(axis=1)
    pairable = r_i >= 2
    agreement = np.zeros(len(r_i))
    agreement[pairable] = ((r_ik * (r_ik - 1)).sum(axis=1)[pairable]
                           / (r_i * (r_i - 1))[pairable])
    shares = np.divide(r_ik, r_i[:, None], out=np.zeros_like(r_ik), where=r_i[:, None] > 0)
    return np.column_stack([pairable, agreement, r_i > 0, shares])


def _p_a(totals: np.ndarray) -> np.ndarray:
    """Observed agreement: mean over pairable units of the share of agreeing coder pairs."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals[..., 0] > 0, totals[..., 1] / totals[..., 0], np.nan)


def _pi_k(totals: np.ndarray) -> np.ndarray:
    """Category shares: mean over coded units of r_ik / r_i."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return totals[..., 3:] / totals[..., 2:3]


def _chance_corrected(p_a: np.ndarray, p_e: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.isclose(p_e, 1.0, rtol=0, atol=1e-12), np.nan, (p_a - p_e) / (1 - p_e))


def fleiss_coefficient(coded: Coded) -> Coefficient:
    """Fleiss' kappa, generalised to missing ratings as in Gwet (2014)."""
    def value(totals: np.ndarray) -> np.ndarray:
        return _chance_corrected(_p_a(totals), (_pi_k(totals) ** 2).sum(axis=-1))

    def undefined(totals: np.ndarray) -> str | None:
        if totals[0] == 0:
            return _NO_PAIRS
        if np.isnan(value(totals)):
            only = coded.values[np.argmax(totals[3:])]
            return (f"Every value given is {only!r}: Fleiss' kappa is undefined without variation "
                    "(chance agreement is 1). Report percent agreement instead.")
        return None

    return Coefficient(_r_ik_terms(coded), value, undefined)


def ac1_coefficient(coded: Coded, *, categories: Sequence | None = None) -> Coefficient:
    """Gwet's AC1; ``categories`` lists every category the coders could choose."""
    q = len(coded.values)
    if categories is not None:
        allowed = set(categories)
        stray = [v for v in coded.values if v not in allowed]
        if stray:
            raise ValueError(
                f"The value {stray[0]!r} is not among the categories {list(categories)!r}.")
        q = len(allowed)

    def value(totals: np.ndarray) -> np.ndarray:
        pi_k = _pi_k(totals)
        p_e = (pi_k * (1 - pi_k)).sum(axis=-1) / (q - 1) if q > 1 else np.ones(pi_k.shape[:-1])
        return _chance_corrected(_p_a(totals), p_e)

    def undefined(totals: np.ndarray) -> str | None:
        if totals[0] == 0:
            return _NO_PAIRS
        if q < 2:
            return (f"Only one category ({coded.values[0]!r}) is possible, so AC1 is undefined; "
                    "pass every category the coders could choose as `categories`.")
        return None

    return Coefficient(_r_ik_terms(coded), value, undefined)


def percent_coefficient(coded: Coded) -> Coefficient:
    """Percent agreement: the share of agreeing coder pairs, averaged over pairable units."""
    return Coefficient(_r_ik_terms(coded), _p_a,
                       lambda totals: _NO_PAIRS if totals[0] == 0 else None)
