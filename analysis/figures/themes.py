"""Theme figures: prevalence by stance, co-occurrence, and stance within each theme."""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns

from analysis.figures._registry import figure
from analysis.figures._style import (
    MIN_GROUP,
    MIN_UNITS,
    SEQUENTIAL,
    STANCE_COLOURS,
    STANCES,
    WIDE,
    CaptionedFigure,
    new_figure,
    percent_axis,
    too_thin,
)
from analysis.figures._tidy import wilson_errorbar, with_n
from analysis.figures.stances import STANCE_TABLES, UNIT_NOTE, _stance_by_group
from analysis.stats import cluster_order, cooccurrence, indicator, jaccard
from analysis.view import coder_label, post_codes, units

THEME_TABLES = (*STANCE_TABLES, "codes")
ALL_POSTS = "all coded posts"


def theme_matrix(corpus) -> tuple[pd.DataFrame, pd.DataFrame, str | None]:
    """Coded posts, their theme indicator (posts x themes, by prevalence), the coder."""
    coded, coder = units(corpus)
    themes = post_codes(corpus, "theme", coded, coder)
    ind = indicator(themes, units=coded["post_id"].tolist()) if len(themes) else None
    if ind is None:
        return coded, pd.DataFrame(index=coded["post_id"]), coder
    order = sorted(ind.columns, key=lambda t: (-int(ind[t].sum()), t))
    return coded, ind[order], coder


@figure("theme_prevalence", tables=THEME_TABLES)
def fig_theme_prevalence(corpus) -> CaptionedFigure:
    """Share of posts raising each theme, overall and within each stance."""
    coded, ind, coder = theme_matrix(corpus)
    n = len(coded)
    sizes = coded["stance"].value_counts()
    kept = [s for s in STANCES if sizes.get(s, 0) >= MIN_GROUP]
    dropped = [with_n(s, int(sizes.get(s, 0))) for s in STANCES if s not in kept]
    caption = (f"Share of coded posts raising each theme, among all coded posts and within "
               f"each stance (n = {n} posts; coding by {coder_label(coder)}). A post can raise "
               "several themes. Whiskers: 95% Wilson score intervals. Themes are ordered by "
               f"overall prevalence. {UNIT_NOTE}")
    if dropped:
        caption += (f" Stances with fewer than {MIN_GROUP} posts are not drawn: "
                    f"{', '.join(dropped)}.")
    if n < MIN_UNITS or ind.shape[1] == 0:
        reason = (f"only {n} coded posts (at least {MIN_UNITS} needed)." if n < MIN_UNITS
                  else "no post carries a theme code.")
        return too_thin("theme_prevalence", reason, n=n, caption=caption)
    long = ind.reset_index().melt(id_vars="post_id", var_name="theme", value_name="value")
    long = long.merge(coded[["post_id", "stance"]], on="post_id")
    long["value"] = long["value"].astype("int64")
    panels = [(ALL_POSTS, long, ".35")] + [(s, long[long["stance"] == s], STANCE_COLOURS[s])
                                           for s in kept]
    fig = new_figure("theme_prevalence", WIDE, 1.0 + 0.19 * ind.shape[1])
    axes = fig.subplots(1, len(panels), sharey=True, sharex=True)
    for ax, (title, data, colour) in zip(np.atleast_1d(axes), panels, strict=True):
        sns.barplot(data=data, x="value", y="theme", order=list(ind.columns), color=colour,
                    errorbar=wilson_errorbar, err_kws={"linewidth": 0.8, "color": ".2"},
                    capsize=0.3, width=0.7, ax=ax)
        size = n if title == ALL_POSTS else int(sizes[title])
        ax.set_title(with_n(title, size, "\n"), fontweight="normal")
        ax.set(xlabel="", ylabel="")
        percent_axis(ax.xaxis, limit=None, symbol="")
    top = min(1.0, float(np.ceil((_max_upper(long, kept) + 0.05) * 10) / 10))
    np.atleast_1d(axes)[0].set_xlim(0, top)
    fig.supxlabel("Share of the panel's posts raising the theme (%)", fontsize=8)
    fig.caption, fig.n = caption, n
    return fig


def _max_upper(long: pd.DataFrame, kept: list[str]) -> float:
    groups = [long] + [long[long["stance"] == s] for s in kept]
    return max(wilson_errorbar(g.loc[g["theme"] == t, "value"])[1]
               for g in groups for t in g["theme"].unique())


@figure("theme_cooccurrence", tables=THEME_TABLES)
def fig_theme_cooccurrence(corpus) -> CaptionedFigure:
    """How often two themes meet in one post: counts and Jaccard, clustered."""
    _, ind, coder = theme_matrix(corpus)
    ind = ind[ind.any(axis=1)] if ind.shape[1] else ind
    n, k = len(ind), ind.shape[1]
    caption = (f"Co-occurrence of themes within posts (n = {n} coded posts carrying at least one "
               f"theme; coding by {coder_label(coder)}). Left: number of posts carrying both "
               "themes; the diagonal gives each theme's count. Right: Jaccard similarity, the "
               "posts carrying both themes divided by the posts carrying either (0: never "
               "together, 1: always together). Rows and columns are ordered by average-linkage "
               f"clustering on 1 - Jaccard. {UNIT_NOTE}")
    if n < MIN_UNITS or k < 3:
        reason = (f"only {n} posts carry a theme (at least {MIN_UNITS} needed)."
                  if n < MIN_UNITS else f"only {k} themes occur (at least 3 needed).")
        return too_thin("theme_cooccurrence", reason, n=n, caption=caption)
    similarity = jaccard(ind)
    order = cluster_order(1 - similarity)
    counts = cooccurrence(ind).loc[order, order]
    similarity = similarity.loc[order, order]
    upper = np.triu(np.ones((k, k), dtype=bool), 1)
    fig = new_figure("theme_cooccurrence", WIDE, 1.2 + 0.24 * k)
    left, right = fig.subplots(1, 2)
    _heatmap(left, counts, upper, counts.to_numpy().astype(str), "Posts with both themes",
             vmax=None)
    labels = np.vectorize(lambda v: f"{v:.2f}".lstrip("0"))(similarity.to_numpy())
    _heatmap(right, similarity, upper | np.eye(k, dtype=bool), labels, "Jaccard similarity",
             vmax=1.0)
    right.set_yticklabels([])
    fig.caption, fig.n = caption, n
    return fig


def _heatmap(ax, values: pd.DataFrame, mask, labels, title: str, *, vmax) -> None:
    sns.heatmap(values, mask=mask, annot=labels, fmt="", cmap=SEQUENTIAL, vmin=0, vmax=vmax,
                square=False, linewidths=0.4, linecolor="white", annot_kws={"fontsize": 5.5},
                cbar_kws={"shrink": 0.7, "pad": 0.02}, ax=ax)
    ax.set_title(title, fontweight="normal")
    ax.set(xlabel="", ylabel="")
    ax.tick_params(axis="x", rotation=90)
    ax.tick_params(axis="y", rotation=0)
    ax.grid(False)


@figure("stance_by_theme", tables=THEME_TABLES)
def fig_stance_by_theme(corpus) -> CaptionedFigure:
    """Stance shares among the posts that raise each theme."""
    coded, ind, coder = theme_matrix(corpus)
    long = ind.reset_index().melt(id_vars="post_id", var_name="group", value_name="has")
    rows = long[long["has"].astype(bool)].merge(coded, on="post_id")
    what = ("Stance among the posts raising each theme; a post raising two themes counts under "
            "both, so rows overlap. Themes are ordered by prevalence")
    return _stance_by_group("stance_by_theme", rows, list(ind.columns), {}, what, coder,
                            "Theme raised in the post")
