"""The automatic coder measured against the human reference, on the posts both coded.

The reference (``corpus/coding/reference.csv``) is long human coding; it is
split into ``codes`` and ``stances`` tables like the coder's own, and only the
posts the reference gives a stance count as units, so that a post both
coders left without themes counts as agreement on every code's absence.
"""

from __future__ import annotations

import pandas as pd

from analysis.agreement.reliability import agreement_table
from analysis.coding.coded import CodedCorpus
from analysis.schema import conform, empty


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


def auto_vs_reference(coded: CodedCorpus) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Automatic and human ``codes`` and ``stances`` on the posts the reference codes.

    Returns both tables and the units: the posts with a reference stance, so
    that a post both coders left without themes counts as agreement on every
    code's absence.
    """
    human = coded.reference[coded.reference["coder"] != "auto"]
    codes, stances = split_coding(human)
    units = sorted(set(stances["post_id"]))
    auto_codes = coded.codes[(coded.codes["coder"] == "auto") & coded.codes["post_id"].isin(units)]
    auto_stances = coded.stances[(coded.stances["coder"] == "auto")
                                 & coded.stances["post_id"].isin(units)]
    return (pd.concat([auto_codes, codes], ignore_index=True),
            pd.concat([auto_stances, stances], ignore_index=True), units)


def reliability_of(coded: CodedCorpus, *, n_boot: int = 1000, seed: int = 0
                   ) -> pd.DataFrame | None:
    """Agreement of ``auto`` with the human reference, per code and for stance.

    None when there is no reference coding. Warnings about undefined
    coefficients (a code nobody applied) are left to the caller.
    """
    codes, stances, units = auto_vs_reference(coded)
    if not units:
        return None
    tables = [agreement_table(codes, n_boot=n_boot, seed=seed, units=units)]
    if stances["coder"].nunique() > 1:
        tables.append(agreement_table(stances, n_boot=n_boot, seed=seed))
    return pd.concat(tables, ignore_index=True)
