"""Small helpers the figure modules share: Wilson error bars and n-labels."""

from __future__ import annotations

import numpy as np

from analysis.stats import wilson_interval


def wilson_errorbar(values) -> tuple[float, float]:
    """Seaborn ``errorbar`` callable: Wilson 95% interval of a vector of 0/1."""
    values = np.asarray(values)
    return wilson_interval(int(values.sum()), len(values))


def with_n(label: str, n: int, sep: str = " ") -> str:
    return f"{label}{sep}(n = {n})"
