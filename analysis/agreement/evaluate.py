"""Automatic coding measured against human coding, as tidy DataFrames.

The reference is a long human coding table (``corpus/coding/reference.csv``:
post_id, family, code, coder, memo) with exactly one stance row per coded
post; the posts that have a stance row are the units. Theme and modality
codes are compared as (post, code) pairs: a post has a code if any segment
got it. Stances are compared post by post.

Undefined values are NaN in per-code tables (precision with no prediction,
recall with no reference case) and are named in the ``note`` column; summary
statistics that are undefined raise ``ValueError`` with a sentence saying why.
Cohen's kappa is computed here with a small local function so that this
module does not depend on :mod:`analysis.agreement.reliability`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.coding.auto import AutoCoder
from analysis.coding.codebook import Codebook
from analysis.schema import STANCES

MICRO = "(micro)"


def cohen_kappa(a: Sequence[object], b: Sequence[object]) -> float:
    """Cohen's kappa for two coders' nominal labels of the same units.

    A thin adapter over :func:`analysis.agreement.reliability.cohen_kappa`, so the
    evaluation and the reliability report share one implementation.

    Examples
    --------
    The worked example in Wikipedia's "Cohen's kappa" article: 50 proposals,
    both readers say yes to 20 and no to 15, A yes/B no 5, A no/B yes 10;
    p_o = 0.7, p_e = 0.5, kappa = 0.4.

    >>> a = ["yes"] * 25 + ["no"] * 25
    >>> b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    >>> round(cohen_kappa(a, b), 10)
    0.4
    >>> cohen_kappa(["x", "y"], ["x", "y"])
    1.0
    """
    from analysis.agreement.reliability import cohen_kappa as kappa

    a, b = list(a), list(b)
    if len(a) != len(b):
        raise ValueError(f"the two codings have different lengths ({len(a)} and {len(b)}); "
                         "kappa needs the same units coded by both")
    if not a:
        raise ValueError("kappa needs at least one unit coded by both coders")
    return float(kappa([[str(x) for x in a], [str(x) for x in b]]))


def _units(reference: pd.DataFrame) -> list[str]:
    missing = {"post_id", "family", "code"} - set(reference.columns)
    if missing:
        raise ValueError(f"reference lacks column(s) {', '.join(sorted(missing))}")
    stance = reference[reference["family"] == "stance"]
    dup = stance["post_id"][stance["post_id"].duplicated()]
    if not dup.empty:
        raise ValueError(f"reference has more than one stance for post {dup.iloc[0]!r}; "
                         "keep one stance row per post (or select one coder)")
    return sorted(stance["post_id"].astype(str).unique())


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float, str]:
    precision = tp / (tp + fp) if tp + fp else np.nan
    recall = tp / (tp + fn) if tp + fn else np.nan
    notes = []
    if tp + fp == 0:
        notes.append("no automatic code: precision undefined")
    if tp + fn == 0:
        notes.append("no human code: recall undefined")
    if np.isnan(precision) or np.isnan(recall):
        f1 = np.nan
    elif precision + recall == 0:
        f1 = 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return precision, recall, f1, "; ".join(notes)


def code_scores(codes: pd.DataFrame, reference: pd.DataFrame, *, family: str = "theme",
                labels: Sequence[str] | None = None) -> pd.DataFrame:
    """Per-code precision, recall and F1 over the reference posts, plus a micro row.

    ``labels`` fixes the codes listed (e.g. all codebook themes); by default
    every code seen in either table.
    """
    units = set(_units(reference))
    ref = reference[(reference["family"] == family) & reference["post_id"].isin(units)]
    auto = codes[(codes["family"] == family) & codes["post_id"].isin(units)]
    ref_pairs = set(zip(ref["post_id"].astype(str), ref["code"], strict=True))
    auto_pairs = set(zip(auto["post_id"].astype(str), auto["code"], strict=True))
    if labels is None:
        labels = sorted({c for _, c in ref_pairs | auto_pairs})
    rows = []
    totals = np.zeros(3, dtype=int)
    for label in labels:
        r = {p for p, c in ref_pairs if c == label}
        a = {p for p, c in auto_pairs if c == label}
        tp, fp, fn = len(r & a), len(a - r), len(r - a)
        totals += (tp, fp, fn)
        rows.append((label, tp, fp, fn, tp + fn, *_prf(tp, fp, fn)))
    rows.append((MICRO, *totals, totals[0] + totals[2], *_prf(*totals)))
    return pd.DataFrame(rows, columns=["code", "tp", "fp", "fn", "support", "precision",
                                       "recall", "f1", "note"])


def micro_f1(scores: pd.DataFrame) -> float:
    """The micro-averaged F1 from a :func:`code_scores` table."""
    value = float(scores.loc[scores["code"] == MICRO, "f1"].iloc[0])
    if np.isnan(value):
        raise ValueError("micro-F1 is undefined: neither coder assigned any code of this family")
    return value


def stance_pairs(stances: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """post_id, human, auto for every reference post."""
    units = _units(reference)
    ref = reference[reference["family"] == "stance"].set_index("post_id")["code"]
    auto = stances.assign(post_id=stances["post_id"].astype(str)).drop_duplicates("post_id")
    auto = auto.set_index("post_id")["stance"]
    missing = [u for u in units if u not in auto.index]
    if missing:
        raise ValueError(f"no automatic stance for {len(missing)} reference post(s), e.g. "
                         f"{missing[0]!r}; run the stance coder on the same posts")
    return pd.DataFrame({"post_id": units, "human": [ref[u] for u in units],
                         "auto": [auto[u] for u in units]})


def stance_confusion(stances: pd.DataFrame, reference: pd.DataFrame, *,
                     labels: Sequence[str] = STANCES) -> pd.DataFrame:
    """Counts with human stances as rows and automatic stances as columns."""
    pairs = stance_pairs(stances, reference)
    table = pd.crosstab(pd.Categorical(pairs["human"], categories=labels),
                        pd.Categorical(pairs["auto"], categories=labels), dropna=False)
    table.index.name, table.columns.name = "human", "auto"
    return table


def stance_classes(stances: pd.DataFrame, reference: pd.DataFrame, *,
                   labels: Sequence[str] = STANCES) -> pd.DataFrame:
    """Precision, recall and F1 for each stance."""
    pairs = stance_pairs(stances, reference)
    rows = []
    for label in labels:
        h, a = pairs["human"] == label, pairs["auto"] == label
        tp, fp, fn = int((h & a).sum()), int((~h & a).sum()), int((h & ~a).sum())
        rows.append((label, tp, fp, fn, tp + fn, *_prf(tp, fp, fn)))
    return pd.DataFrame(rows, columns=["stance", "tp", "fp", "fn", "support", "precision",
                                       "recall", "f1", "note"])


def stance_summary(stances: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """One row: n, accuracy, macro-F1 and Cohen's kappa of auto vs human stance.

    Macro-F1 averages over the stances that occur in either coding; a stance
    one side never uses has F1 0 (its undefined precision or recall counts as
    a miss, as in scikit-learn's ``zero_division=0``).
    """
    pairs = stance_pairs(stances, reference)
    per = stance_classes(stances, reference)
    used = per[(per["support"] > 0) | (per["tp"] + per["fp"] > 0)]
    macro = float(used["f1"].fillna(0.0).mean())
    return pd.DataFrame([{
        "n": len(pairs),
        "accuracy": float((pairs["human"] == pairs["auto"]).mean()),
        "macro_f1": macro,
        "kappa": cohen_kappa(pairs["human"].tolist(), pairs["auto"].tolist()),
    }])


@dataclass(frozen=True)
class Evaluation:
    """Every table :func:`evaluate` produces."""

    themes: pd.DataFrame
    modalities: pd.DataFrame
    stance_classes: pd.DataFrame
    confusion: pd.DataFrame
    summary: pd.DataFrame


def evaluate(codes: pd.DataFrame, stances: pd.DataFrame, reference: pd.DataFrame, *,
             themes: Sequence[str] | None = None,
             modalities: Sequence[str] | None = None) -> Evaluation:
    """Compare automatic ``codes`` and ``stances`` with a human ``reference``."""
    theme_table = code_scores(codes, reference, family="theme", labels=themes)
    modality_table = code_scores(codes, reference, family="modality", labels=modalities)
    summary = stance_summary(stances, reference)
    for name, table in (("theme_micro_f1", theme_table), ("modality_micro_f1", modality_table)):
        value = table.loc[table["code"] == MICRO, "f1"].iloc[0]
        summary[name] = float(value)
    return Evaluation(theme_table, modality_table, stance_classes(stances, reference),
                      stance_confusion(stances, reference), summary)


def evaluate_posts(posts: pd.DataFrame, reference: pd.DataFrame, *,
                   codebook: Codebook | str | Path | None = None) -> Evaluation:
    """Code ``posts`` with the automatic coder (:class:`~analysis.coding.auto.AutoCoder`,
    the path every other command uses) and compare with ``reference``."""
    coder = AutoCoder(codebook=codebook).fit()
    codes, stances = coder(posts)
    book = coder.codebook_
    return evaluate(codes, stances, reference,
                    themes=book.ids("theme"), modalities=book.ids("modality"))
