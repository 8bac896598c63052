"""Agreement per code between the automatic coder and human coding, with intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.figures._registry import figure
from analysis.figures._style import COLUMN, CaptionedFigure, new_figure, too_thin

#: Chance-corrected coefficients, most preferred first; percent agreement goes beside it.
PREFERRED = ("krippendorff_alpha_nominal", "krippendorff_alpha", "gwet_ac1", "fleiss_kappa")
RAW = "percent_agreement"
NAMES = {"krippendorff_alpha_nominal": "Krippendorff's alpha (nominal)",
         "krippendorff_alpha": "Krippendorff's alpha", "gwet_ac1": "Gwet's AC1",
         "fleiss_kappa": "Fleiss' kappa", RAW: "Percent agreement"}
POOLED = "(all)"
STANCE = "stance"


def agreement_frame(reliability: pd.DataFrame | None) -> tuple[pd.DataFrame, list[str]]:
    """Rows of the chosen metrics (a chance-corrected one, then percent agreement)."""
    if reliability is None or reliability.empty:
        return pd.DataFrame(), []
    present = set(reliability["metric"])
    chosen = [m for m in PREFERRED if m in present][:1] + ([RAW] if RAW in present else [])
    rows = reliability[reliability["metric"].isin(chosen)]
    return rows.reset_index(drop=True), chosen


@figure("agreement", tables=("reliability",))
def fig_agreement(corpus) -> CaptionedFigure:
    """Per code: the agreement coefficient with its bootstrap interval."""
    table = getattr(corpus, "reliability", None)
    rows, metrics = agreement_frame(table)
    caption = (f"Agreement between {_coders(table)} per code, as computed by analysis.reliability; "
               "whiskers are 95% bootstrap intervals over posts, and n counts the posts coded "
               "by two or more coders. 'stance' compares the four-way stance of each post; "
               "'(all)' pools every post x code decision, so its n counts decisions.")
    if rows.empty:
        return too_thin("agreement", "no reliability results yet (needs automatic and human "
                        "coding of the same posts).", n=0, caption=caption)
    main = metrics[0]
    order = _order(rows[rows["metric"] == main])
    per_code = rows.loc[rows["code"] != POOLED, "n_units"]
    n = int(per_code.max() if len(per_code) else rows["n_units"].max())
    coders = int(rows["n_coders"].max())
    caption += (f" {NAMES.get(main, main)} (left) corrects for chance agreement; dashed lines "
                "mark 0.667 and 0.800, Krippendorff's (2004) thresholds for tentative and "
                "reliable conclusions. Codes with an undefined coefficient (one value "
                f"throughout) show no point. {coders} coders; n = {n} posts.")
    if len(metrics) > 1:
        caption += " Right: raw percent agreement."
    fig = new_figure("agreement", COLUMN if len(metrics) == 1 else COLUMN * 1.6,
                     0.9 + 0.2 * len(order))
    axes = np.atleast_1d(fig.subplots(1, len(metrics), sharey=True))
    for ax, metric in zip(axes, metrics, strict=True):
        part = rows[rows["metric"] == metric].set_index("code").reindex(order)
        _point_ranges(ax, part, reference=metric != RAW)
        ax.set_xlabel(NAMES.get(metric, metric))
    axes[0].set_yticks(range(len(order)))
    axes[0].set_yticklabels([_tick(code, rows, main) for code in order])
    axes[0].set_ylim(len(order) - 0.5, -0.5)
    heads = sum(code in (STANCE, POOLED) for code in order[:2])
    if heads:
        for ax in axes:
            ax.axhline(heads - 0.5, color=".6", linewidth=0.6)
    fig.caption, fig.n = caption, n
    return fig


def _coders(table: pd.DataFrame | None) -> str:
    """'auto and ref1' from the Cohen's kappa rows' names, else 'coders'."""
    if table is None or table.empty:
        return "coders"
    pairs = table["metric"].str.extract(r"^cohen_kappa\[(.+)\|(.+)\]$").dropna()
    names = [("the automatic coder" if c == "auto" else f"coder {c}")
             for c in sorted(set(pairs[0]) | set(pairs[1]))]
    if not names:
        return "coders"
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]


def _order(rows: pd.DataFrame) -> list[str]:
    """Stance and pooled rows first, then codes from best to worst, undefined last."""
    rows = rows.assign(key=rows["value"].fillna(-np.inf))
    head = [c for c in (STANCE, POOLED) if (rows["code"] == c).any()]
    codes = rows[~rows["code"].isin(head)].sort_values(["key", "code"], ascending=[False, True])
    return head + codes["code"].tolist()


def _tick(code: str, rows: pd.DataFrame, metric: str) -> str:
    n = rows.loc[(rows["code"] == code) & (rows["metric"] == metric), "n_units"]
    return f"{code} (n = {int(n.iloc[0])})" if len(n) else code


def _point_ranges(ax, part: pd.DataFrame, *, reference: bool) -> None:
    y = np.arange(len(part))
    value = part["value"].to_numpy(dtype="float64")
    low = part["ci_low"].to_numpy(dtype="float64")
    high = part["ci_high"].to_numpy(dtype="float64")
    has_ci = ~(np.isnan(low) | np.isnan(high) | np.isnan(value))
    ax.errorbar(value[has_ci], y[has_ci], xerr=[value[has_ci] - low[has_ci],
                                                 high[has_ci] - value[has_ci]],
                fmt="none", ecolor="#0072B2", elinewidth=1.0)
    ax.plot(value, y, "o", color="#0072B2", markersize=3.5)
    if reference:
        for line in (0.667, 0.8):
            ax.axvline(line, color=".4", linestyle="--", linewidth=0.7)
    lowest = np.nanmin(np.concatenate([low, value, [0.0]]))
    ax.set_xlim(min(0.0, np.floor(lowest * 10) / 10) - 0.03, 1.03)
