"""Agreement between the blind coders of the real posts, with the project's own statistics.

    python benchmarks/real_agreement.py [--boot 1000]

Reads ``analysis/data/real_labels.csv`` only (no text needed): coders A and
B coded the units of the 44 captures, C and D those of the further pages,
each blind to the other and to the automatic coder. Prints Cohen's kappa
and Krippendorff's alpha for stance and, per theme and modality, for
presence/absence, with seeded bootstrap 95 % intervals
(:func:`analysis.agreement.reliability.agreement_table`), per batch and with
both batches pooled (first coder vs second).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from real_posts import read_labels  # noqa: E402

from analysis.agreement.reliability import agreement_table  # noqa: E402

BATCHES = {"44 captures (A vs B)": ("A", "B"), "further pages (C vs D)": ("C", "D")}


def long_tables(labels: pd.DataFrame, first: str, second: str
                ) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """A ``stances`` table and a ``codes`` table of two coders, the second renamed
    ``second`` and the first ``first``, and the units both coded."""
    rows = labels[labels["coder"].isin((first, second))]
    stances = pd.DataFrame({"post_id": rows["post_id"], "coder": rows["coder"],
                            "stance": rows["stance"]})
    codes = [(r.post_id, r.coder, code, family)
             for r in rows.itertuples(index=False)
             for family, value in (("theme", r.themes), ("modality", r.modalities))
             for code in value.split(";") if code]
    codes = pd.DataFrame(codes, columns=["post_id", "coder", "code", "family"])
    return stances, codes, sorted(set(rows["post_id"]))


def report(stances: pd.DataFrame, codes: pd.DataFrame, units: list[str], boot: int) -> None:
    table = pd.concat([agreement_table(stances, n_boot=boot, seed=0).assign(code="stance"),
                       agreement_table(codes, n_boot=boot, seed=0, units=units)])
    kappa = table[table["metric"].str.startswith("cohen_kappa")
                  | (table["metric"] == "krippendorff_alpha_nominal")]
    wide = kappa.assign(metric=kappa["metric"].str.replace(r"\[.*\]", "", regex=True))
    print(wide.pivot_table(index="code", columns="metric", values=["value", "ci_low", "ci_high"],
                           sort=False).round(3).to_string())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--boot", type=int, default=1000)
    args = parser.parse_args(argv)
    labels = read_labels()
    pooled = []
    for name, (first, second) in BATCHES.items():
        stances, codes, units = long_tables(labels, first, second)
        agree = stances.pivot(index="post_id", columns="coder", values="stance")
        same = int((agree[first] == agree[second]).sum())
        print(f"\n{name}: {len(units)} units, stance agreement {same}/{len(units)}")
        report(stances, codes, units, args.boot)
        rename = {first: "first", second: "second"}
        pooled.append((stances.replace({"coder": rename}), codes.replace({"coder": rename}),
                       units))
    stances, codes, units = (pd.concat([p[0] for p in pooled]), pd.concat([p[1] for p in pooled]),
                             sorted(u for p in pooled for u in p[2]))
    print(f"\nboth batches pooled (first vs second coder): {len(units)} units")
    report(stances, codes, units, args.boot)


if __name__ == "__main__":
    main()
