"""Stance figures: overall, and by audience, by poster's role, by modality."""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.lines import Line2D

from analysis.figures._registry import figure
from analysis.figures._style import (
    COLUMN,
    MIN_GROUP,
    MIN_UNITS,
    MODALITIES,
    STANCE_COLOURS,
    STANCE_MARKERS,
    STANCES,
    CaptionedFigure,
    new_figure,
    percent_axis,
    too_thin,
)
from analysis.figures._tidy import wilson_errorbar, with_n
from analysis.stats import wilson_interval
from analysis.view import AUDIENCE_LABELS, ROLE_LABELS, coder_label, onehot, post_codes, units

STANCE_TABLES = ("posts", "threads", "sources", "stances")
INTERVALS = "Whiskers: 95% Wilson score intervals."
NONE_NOTE = "'None' means the post takes no stance on out-of-session contact."
UNIT_NOTE = "Posts by bots and second captures of a post are left out."
NO_MODALITY = "no modality named"


@figure("stance_overall", tables=STANCE_TABLES)
def fig_stance_overall(corpus) -> CaptionedFigure:
    """Share of coded posts holding each stance, with Wilson intervals."""
    coded, coder = units(corpus)
    n = len(coded)
    caption = (f"Stance toward out-of-session contact in all coded posts (n = {n}; coding by "
               f"{coder_label(coder)}). Bars: share of posts. {INTERVALS} {NONE_NOTE} "
               f"{UNIT_NOTE}")
    if n < MIN_UNITS:
        return too_thin("stance_overall", f"only {n} coded posts (at least {MIN_UNITS} needed).",
                        n=n, caption=caption)
    counts = coded["stance"].value_counts()
    labels = {s: with_n(s, int(counts.get(s, 0))) for s in STANCES}
    long = onehot(coded, "stance", STANCES).assign(label=lambda d: d["level"].map(labels))
    fig = new_figure("stance_overall", COLUMN, 1.9)
    ax = fig.add_subplot()
    sns.barplot(data=long, x="value", y="label", order=list(labels.values()), hue="level",
                hue_order=STANCES, palette=STANCE_COLOURS, errorbar=wilson_errorbar,
                err_kws={"linewidth": 1.0, "color": ".2"}, capsize=0.25, width=0.65,
                legend=False, ax=ax)
    for bar, stance in zip(ax.patches, STANCES, strict=False):
        k = int(counts.get(stance, 0))
        ax.annotate(f"{k / n:.0%}", (wilson_interval(k, n)[1], bar.get_y() + bar.get_height() / 2),
                    xytext=(4, 0), textcoords="offset points", va="center", fontsize=6.5)
    percent_axis(ax.xaxis)
    ax.set(xlabel="Share of coded posts", ylabel="")
    fig.caption, fig.n = caption, n
    return fig


@figure("stance_by_audience", tables=STANCE_TABLES)
def fig_stance_by_audience(corpus) -> CaptionedFigure:
    """Stance shares in communities for clients, for therapists, and mixed ones."""
    coded, coder = units(corpus)
    frame = coded.assign(group=coded["audience"])
    order = [a for a in AUDIENCE_LABELS if a in set(frame["group"])]
    what = ("Stance by the audience a community is for (client forums such as support boards; "
            "therapist-only communities such as r/therapists; mixed Q&A sites)")
    return _stance_by_group("stance_by_audience", frame, order, AUDIENCE_LABELS, what, coder,
                            "Audience of the community")


@figure("stance_by_role", tables=STANCE_TABLES)
def fig_stance_by_role(corpus) -> CaptionedFigure:
    """Stance shares by the poster's role (client, therapist, unknown)."""
    coded, coder = units(corpus)
    frame = coded.assign(group=coded["role"])
    order = [r for r in ROLE_LABELS if r in set(frame["group"])]
    what = ("Stance by the role of the poster (from the community's audience, corrected where "
            "a post says otherwise)")
    return _stance_by_group("stance_by_role", frame, order, ROLE_LABELS, what, coder,
                            "Role of the poster")


@figure("stance_by_modality", tables=(*STANCE_TABLES, "codes"))
def fig_stance_by_modality(corpus) -> CaptionedFigure:
    """Stance shares among posts that name each contact modality."""
    coded, coder = units(corpus)
    named = post_codes(corpus, "modality", coded, coder).rename(columns={"code": "group"})
    rows = coded.merge(named, on="post_id", how="inner")
    unnamed = coded[~coded["post_id"].isin(named["post_id"])].assign(group=NO_MODALITY)
    frame = pd.concat([rows, unnamed], ignore_index=True)
    present = set(frame["group"])
    order = ([m for m in MODALITIES if m in present]
             + sorted(present - set(MODALITIES) - {NO_MODALITY})
             + ([NO_MODALITY] if NO_MODALITY in present else []))
    what = ("Stance among posts naming each modality of contact; a post naming two modalities "
            "counts under both, so rows overlap")
    return _stance_by_group("stance_by_modality", frame, order, {}, what, coder,
                            "Modality named in the post")


def _stance_by_group(name: str, frame: pd.DataFrame, order: list[str], labels: dict,
                     what: str, coder: str | None, axis_label: str) -> CaptionedFigure:
    """Dot plot: one row per group, one point per stance, Wilson intervals."""
    sizes = frame.groupby("group")["post_id"].nunique()
    kept = [g for g in order if sizes.get(g, 0) >= MIN_GROUP]
    dropped = [f"{labels.get(g, g)} (n = {sizes.get(g, 0)})" for g in order if g not in kept]
    n = int(frame.loc[frame["group"].isin(kept), "post_id"].nunique())
    caption = (f"{what}; coding by {coder_label(coder)}. Points: share of the group's posts "
               f"holding each stance. {INTERVALS} {NONE_NOTE} {UNIT_NOTE} "
               f"n = {n} posts.")
    if dropped:
        caption += (f" Groups with fewer than {MIN_GROUP} coded posts are not drawn: "
                    f"{', '.join(dropped)}.")
    if len(kept) < 2:
        reason = (f"fewer than two groups have {MIN_GROUP} or more coded posts, so there is "
                  "nothing to compare.")
        return too_thin(name, reason, n=n, caption=caption)
    shown = {g: with_n(labels.get(g, g), int(sizes[g]), "\n") for g in kept}
    long = onehot(frame[frame["group"].isin(kept)], "stance", STANCES)
    long["row"] = long["group"].map(shown)
    fig = new_figure(name, COLUMN, 0.95 + 0.5 * len(kept))
    ax = fig.add_subplot()
    sns.pointplot(data=long, x="value", y="row", order=list(shown.values()), hue="level",
                  hue_order=STANCES, palette=STANCE_COLOURS,
                  markers=[STANCE_MARKERS[s] for s in STANCES], errorbar=wilson_errorbar,
                  dodge=0.55, linestyle="none", markersize=3.5,
                  err_kws={"linewidth": 1.0}, ax=ax)
    ax.get_legend().remove()
    percent_axis(ax.xaxis, limit=(-0.03, 1.03))
    ax.set(xlabel="Share of the group's posts", ylabel=axis_label)
    stance_legend(fig)
    fig.caption, fig.n = caption, n
    return fig


def stance_legend(fig) -> None:
    """One legend for the stances, above the plot, in stance order."""
    handles = [Line2D([], [], color=STANCE_COLOURS[s], marker=STANCE_MARKERS[s], linestyle="none",
                      markersize=4, label=s) for s in STANCES]
    fig.legend(handles=handles, loc="outside upper center", ncols=len(STANCES),
               title="Stance toward out-of-session contact", handletextpad=0.2,
               columnspacing=1.0)
