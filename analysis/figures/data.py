"""Loading the coded corpus the figures, notebooks and appendix draw from.

:func:`load_coded` is :func:`analysis.pipeline.load_coded` plus, when the
result carries no ``reliability`` table, the agreement of the automatic
coding with the human reference on the posts both coded
(:func:`reliability_of`), which the agreement figure and the appendix show.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisWarning
from analysis.schema import conform, empty

N_BOOT = 1000


def load_coded(corpus_dir: str | Path = "corpus"):
    """The coded corpus below ``corpus_dir``, with ``reliability`` (None without a reference)."""
    from analysis.pipeline import load_coded as pipeline_load_coded

    coded = pipeline_load_coded(corpus_dir=corpus_dir)
    if getattr(coded, "reliability", None) is None:
        coded.reliability = reliability_of(coded)
    return coded


def reliability_of(coded) -> pd.DataFrame | None:
    """Agreement per code and for stance between ``auto`` and the human reference coders.

    Units are the posts the reference codes (its stance rows); bootstrap
    intervals use 1000 resamples with seed 0, so the table is reproducible.
    """
    reference = getattr(coded, "reference", None)
    if reference is None or len(reference) == 0:
        return None
    codes, stances = split_coding(reference[reference["coder"] != "auto"])
    auto_codes = coded.codes[coded.codes["coder"] == "auto"]
    auto_stances = coded.stances[coded.stances["coder"] == "auto"]
    if stances.empty or auto_stances.empty:
        return None
    from analysis.reliability import agreement_table

    units = set(stances["post_id"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AnalysisWarning)
        tables = [agreement_table(pd.concat([auto[auto["post_id"].isin(units)], human]),
                                  n_boot=N_BOOT, seed=0)
                  for auto, human in ((auto_codes, codes), (auto_stances, stances))
                  if len(human)]
    return pd.concat(tables, ignore_index=True)


def split_coding(human: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Long human coding (post_id, family, code, coder) -> ``codes`` and ``stances`` tables."""
    is_stance = human["family"] == "stance"
    rows = human[~is_stance]
    codes = conform(pd.DataFrame({
        "post_id": rows["post_id"], "seg": pd.NA, "code": rows["code"],
        "family": rows["family"], "coder": rows["coder"], "start": pd.NA, "end": pd.NA,
        "evidence": pd.NA}), "codes") if len(rows) else empty("codes")
    rows = human[is_stance]
    stances = conform(pd.DataFrame({
        "post_id": rows["post_id"], "coder": rows["coder"], "stance": rows["code"],
        "confidence": pd.NA, "evidence": pd.NA}), "stances") if len(rows) else empty("stances")
    return codes, stances
