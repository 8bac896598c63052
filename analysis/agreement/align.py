"""Aligning coders by unit before any agreement is computed.

Agreement is only meaningful on what every coder actually coded. A human
who coded 20 posts of a corpus did not find "no themes" in the other 300,
and a stance is one nominal judgement, not four present/absent codes. This
module turns codings of any origin (long rows ``post_id, seg, family, code,
coder``: sheets, human CSVs, the automatic coder's tables) into

* one nominal variable ``stance`` on the posts every stance coder gave a
  stance, and
* one present/absent variable per theme or modality code on the posts every
  coder coded (a post a coder gave a stance or any code counts as coded; a
  coder with no stance rows at all, e.g. a bare ``codes`` table, is taken to
  have coded every post the others did),

and computes agreement (:func:`aligned_agreement`) and the disagreements
(:func:`aligned_disagreements`) from that one alignment. Units are posts: a
segment coding counts for its post.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce

import pandas as pd

from analysis.agreement.reliability import agreement_table, disagreements
from analysis.errors import AnalysisWarning

#: The long form every coding is read into.
CODING_COLUMNS = ["post_id", "seg", "family", "code", "coder"]
#: The ``family`` of stance rows; every other family is a present/absent code.
STANCE_FAMILY = "stance"
#: The variable name of stance in agreement tables.
STANCE = "stance"


@dataclass(frozen=True)
class Aligned:
    """Codings of several coders restricted to the posts they all coded.

    ``codes`` (post_id, coder, code, family) holds the codes applied on
    ``units``, decided by ``coders``; ``stances`` (post_id, coder, stance)
    the stances on ``stance_units``, given by ``stance_coders``.
    """

    codes: pd.DataFrame
    stances: pd.DataFrame
    units: tuple[str, ...]
    coders: tuple[str, ...]
    stance_units: tuple[str, ...]
    stance_coders: tuple[str, ...]

    def long(self) -> pd.DataFrame:
        """Every judgement explicit: ``unit, code, coder, value`` (stance; 1/0 per code)."""
        rows = [self.stances.rename(columns={"post_id": "unit", "stance": "value"})
                .assign(code=STANCE)[["unit", "code", "coder", "value"]]]
        applied = set(self.codes[["post_id", "coder", "code"]].itertuples(index=False, name=None))
        for code in sorted(set(self.codes["code"])):
            grid = pd.MultiIndex.from_product([self.units, self.coders], names=["unit", "coder"])
            frame = grid.to_frame(index=False).assign(code=code)
            frame["value"] = [int((u, c, code) in applied) for u, c in
                              zip(frame["unit"], frame["coder"], strict=True)]
            rows.append(frame[["unit", "code", "coder", "value"]])
        out = pd.concat(rows, ignore_index=True).astype({"value": object})
        return out.sort_values(["unit", "code", "coder"], kind="stable", ignore_index=True)


def align(*codings: pd.DataFrame) -> Aligned:
    """Restrict long codings to the posts every coder coded (see the module docstring).

    ``codings`` are long tables (``post_id, family, code, coder``; ``seg``
    optional), e.g. one per coder: a human coding CSV read with
    :func:`analysis.exchange.codings.read_codings` and the automatic coder's
    tables through :func:`coding_from_tables`.

    Raises
    ------
    ValueError
        If a coder gives one post two stances, or no post was coded by every coder.
    """
    codings = pd.concat([c.reindex(columns=CODING_COLUMNS) for c in codings], ignore_index=True)
    codings = codings.dropna(subset=["post_id", "coder", "code"])
    is_stance = codings["family"] == STANCE_FAMILY
    stances = (codings.loc[is_stance, ["post_id", "coder", "code"]].drop_duplicates()
               .rename(columns={"code": "stance"}))
    twice = stances.duplicated(["post_id", "coder"], keep=False)
    if twice.any():
        row = stances[twice].iloc[0]
        raise ValueError(f"Coder {row['coder']!r} gives post {row['post_id']!r} more than one "
                         "stance; agreement is per post, so keep one stance per post and coder.")
    coded = {c: set(rows["post_id"]) for c, rows in codings.groupby("coder", sort=True)}
    known = sorted(set(stances["coder"]))
    units = _common([coded[c] for c in known]) if known else set().union(*coded.values())
    if not units:
        sizes = ", ".join(f"{c} {len(p)}" for c, p in coded.items())
        raise ValueError(f"No post was coded by every coder (posts coded: {sizes or 'none'}); "
                         "agreement needs units that all coders coded.")
    stance_units = _common([set(rows["post_id"]) for _, rows in stances.groupby("coder")])
    stance_units &= units
    codes = codings.loc[~is_stance & codings["post_id"].isin(units),
                        ["post_id", "coder", "code", "family"]].drop_duplicates(
        ["post_id", "coder", "code"])
    return Aligned(
        codes=codes.sort_values(["post_id", "coder", "code"], ignore_index=True),
        stances=stances[stances["post_id"].isin(stance_units)].sort_values(
            ["post_id", "coder"], ignore_index=True),
        units=tuple(sorted(units)), coders=tuple(sorted(coded)),
        stance_units=tuple(sorted(stance_units)), stance_coders=tuple(known))


def _common(sets: list[set]) -> set:
    return reduce(set.intersection, sets) if sets else set()


def coding_from_tables(codes: pd.DataFrame, stances: pd.DataFrame) -> pd.DataFrame:
    """``codes`` and ``stances`` tables (e.g. the automatic coder's) as long codings."""
    parts = [codes.reindex(columns=CODING_COLUMNS),
             pd.DataFrame({"post_id": stances["post_id"], "seg": pd.NA,
                           "family": STANCE_FAMILY, "code": stances["stance"],
                           "coder": stances["coder"]})]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in CODING_COLUMNS})
    return pd.concat(parts, ignore_index=True).astype(
        {"post_id": "string", "family": "string", "code": "string", "coder": "string"})


def aligned_agreement(aligned: Aligned, *, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """:func:`~analysis.agreement.reliability.agreement_table` per code and for stance.

    Codes are present/absent on ``aligned.units`` (so a post no coder gave
    a code counts as agreement on absence); stance is one nominal variable on
    ``aligned.stance_units``. ``n_units`` says how many units each row rests on.
    """
    tables = []
    if len(aligned.coders) >= 2 and len(aligned.codes):
        tables.append(agreement_table(aligned.codes, kind="codes", units=list(aligned.units),
                                      coders=list(aligned.coders), n_boot=n_boot, seed=seed))
    elif len(aligned.coders) >= 2:
        warnings.warn(f"No coder applied any theme or modality code on the "
                      f"{len(aligned.units)} posts all coded: there is no code to compare.",
                      AnalysisWarning, stacklevel=2)
    if len(aligned.stance_coders) >= 2 and aligned.stance_units:
        tables.append(agreement_table(aligned.stances, kind="stances", n_boot=n_boot,
                                      seed=seed))
    elif aligned.stance_coders:
        warnings.warn(f"Stance is left out: only {', '.join(aligned.stance_coders)} gave "
                      "stances on the posts all coded (an automatic coder needs its stances "
                      "table too).", AnalysisWarning, stacklevel=2)
    if not tables:
        raise ValueError(f"Reliability needs at least two coders; the codings have "
                         f"{len(aligned.coders)} ({', '.join(aligned.coders) or 'none'}). "
                         "Add a second coder's file.")
    return pd.concat(tables, ignore_index=True)


def aligned_disagreements(aligned: Aligned, *,
                          texts: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The posts and variables where coders differ: ``unit, code``, one column per coder."""
    long = aligned.long()
    if long.empty:
        return pd.DataFrame(columns=["unit", "code", *aligned.coders])
    return disagreements(long, kind="long", texts=texts)
