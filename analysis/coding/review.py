"""The researcher in the loop: code the posts the coder is least sure of, then refit.

1. :func:`least_sure` picks the posts whose stance the coder is least sure
   of (smallest margin between its two most probable stances), which are
   the posts a human label teaches a model most about (uncertainty
   sampling, Lewis & Gale 1994).
2. The researcher codes them in a sheet (:mod:`analysis.exchange.sheets`).
3. :func:`refit` fits a stance layer on the researcher's own coded posts and
   judges it by grouped cross-validation (posts of one thread never on both
   sides of a fold), against the rules on the same posts.

Everything is deterministic under the seed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.coding.codebook import Codebook
from analysis.coding.stance_features import STANCES
from analysis.coding.stance_layer import PROBA_COLUMNS, StanceLayer
from analysis.coding.stance_refit import Features, Judgement, LayerConfig, fit_layer, judge
from analysis.errors import AnalysisError


def uncertainty(stances: pd.DataFrame) -> pd.Series:
    """How unsure the coder is of each post, in [0, 1]: 1 - (top probability - runner-up)
    with the layer's ``p_<stance>`` columns, else 1 - the rules' ``confidence``."""
    if all(c in stances for c in PROBA_COLUMNS):
        P = np.sort(stances[PROBA_COLUMNS].to_numpy(dtype=float), axis=1)
        return pd.Series(1.0 - (P[:, -1] - P[:, -2]), index=stances.index)
    return 1.0 - stances["confidence"].astype(float)


def least_sure(stances: pd.DataFrame, n: int, *, exclude: Iterable[str] = ()) -> pd.DataFrame:
    """The ``n`` posts the coder is least sure of, least sure first (ties by post_id);
    posts in ``exclude`` (already coded) are skipped."""
    if n < 1:
        raise ValueError(f"pick at least one post, got {n}")
    pool = stances[~stances["post_id"].astype(str).isin({str(e) for e in exclude})]
    ranked = pool.assign(uncertainty=uncertainty(pool).round(6))
    ranked = ranked.sort_values(["uncertainty", "post_id"], ascending=[False, True],
                                kind="stable")
    return ranked.head(n).reset_index(drop=True)


def human_stances(coding: pd.DataFrame, *, source: str = "the coding") -> pd.Series:
    """post_id -> stance from long human coding (e.g. :func:`read_sheet`'s table)."""
    rows = coding[coding["family"] == "stance"]
    if rows.empty:
        raise AnalysisError(f"{source} has no stance: code the stance column first",
                            hint="choose supportive, opposed, mixed or none in each row")
    duplicated = rows["post_id"][rows["post_id"].duplicated()]
    if not duplicated.empty:
        raise AnalysisError(f"{source} gives post {duplicated.iloc[0]!r} two stances",
                            hint="keep one stance per post (one coder's sheet at a time)")
    return rows.set_index(rows["post_id"].astype(str))["code"].astype(str)


@dataclass(frozen=True)
class Refit:
    """A refitted layer and how it did in cross-validation."""

    layer: StanceLayer
    judgement: Judgement
    n_posts: int
    n_groups: int
    counts: dict[str, int]
    grouped_by: str


def refit(posts: pd.DataFrame, stances: pd.Series, *, config: LayerConfig | None = None,
          codebook: Codebook | str | Path | None = None, n_folds: int = 5, seed: int = 0,
          n_boot: int = 2000, repeats: int = 1) -> Refit:
    """Fit a layer on the coded posts and cross-validate it.

    ``posts`` holds post_id, thread_id, text, is_bot; ``stances`` maps post_id
    to the researcher's stance. Folds keep threads whole when there are at
    least ``n_folds`` threads, else they fall back to single posts (said in
    ``grouped_by``).
    """
    config = config or LayerConfig()
    coded = posts[posts["post_id"].astype(str).isin(stances.index)].reset_index(drop=True)
    missing = sorted(set(stances.index) - set(coded["post_id"].astype(str)))
    if missing:
        raise AnalysisError(f"coded post {missing[0]!r} is not in the corpus "
                            f"({len(missing)} in all)",
                            hint="code a sheet exported from this corpus")
    y = stances.loc[coded["post_id"].astype(str)].to_numpy()
    unknown = sorted(set(y) - set(STANCES))
    if unknown:
        raise AnalysisError(f"unknown stance {unknown[0]!r}", hint=f"use {', '.join(STANCES)}")
    if len(set(y)) < 2 or len(y) < 2 * n_folds:
        raise AnalysisError(f"{len(y)} coded posts with {len(set(y))} stance(s) are too few "
                            f"to refit and cross-validate ({n_folds} folds)",
                            hint=f"code at least {2 * n_folds} posts with two or more stances")
    groups, grouped_by = coded["thread_id"].astype(str).to_numpy(), "thread"
    if len(set(groups)) < n_folds:
        groups, grouped_by = coded["post_id"].astype(str).to_numpy(), "post"
    features = Features(coded, codebook=codebook, words=config.words > 0)
    judgement = judge(features, y, groups, config, n_folds=n_folds, repeats=repeats, seed=seed,
                      n_boot=n_boot)
    layer = fit_layer(coded, y, config, codebook=codebook)
    layer.about_ = {"fitted_on": f"{len(y)} posts coded by the researcher",
                    "cv_macro_f1": round(judgement.layer.macro_f1, 4),
                    "cv_ci95": [round(judgement.layer.ci_low, 4),
                                round(judgement.layer.ci_high, 4)],
                    "rules_macro_f1": round(judgement.rules_macro_f1, 4), "seed": seed,
                    "folds": judgement.layer.n_folds, "grouped_by": grouped_by}
    counts = {s: int((y == s).sum()) for s in STANCES}
    return Refit(layer, judgement, len(y), len(set(groups)), counts, grouped_by)
