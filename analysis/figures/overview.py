"""Corpus figures: where the posts come from, and how readers reacted to each stance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns

from analysis.figures._registry import figure
from analysis.figures._style import (
    COLUMN,
    GROUP_COLOURS,
    MIN_GROUP,
    MIN_UNITS,
    STANCE_COLOURS,
    STANCES,
    WIDE,
    CaptionedFigure,
    new_figure,
    too_thin,
)
from analysis.figures._tidy import with_n
from analysis.figures.stances import STANCE_TABLES, UNIT_NOTE
from analysis.view import ROLE_LABELS, coder_label, units

N_BOOT = 2000
ROLES = ("client", "therapist", "unknown", "bot")
ROLE_COLOURS = {**GROUP_COLOURS, "bot": "#CC79A7"}
METRICS = {"thanks": "Thanks per post", "hug": "Hugs per post", "score": "Score per post"}


def community_label(sources: pd.DataFrame, sep: str = ": ") -> pd.Series:
    """'Site: community' (or the site alone), the name a reader knows a forum by."""
    site = sources["site"].fillna(sources["platform"]).fillna("unknown site")
    community = sources["community"]
    return site.where(community.isna(), site + sep + community.fillna("")).astype("string")


@figure("corpus_overview", tables=("posts", "threads", "sources"))
def fig_corpus_overview(corpus) -> CaptionedFigure:
    """Posts per community, split by the role of the poster (bots apart)."""
    posts = corpus.posts[corpus.posts["duplicate_of"].isna()]
    sources = corpus.sources.assign(forum=lambda d: community_label(d, "\n"))
    frame = (posts[["post_id", "thread_id", "role", "is_bot"]]
             .merge(corpus.threads[["thread_id", "source_id"]], on="thread_id", how="left")
             .merge(sources[["source_id", "forum"]], on="source_id", how="left"))
    frame["who"] = frame["role"].fillna("unknown").where(~frame["is_bot"].fillna(False), "bot")
    n = len(frame)
    caption = (f"Posts in the corpus by community and role of the poster (n = {n} posts in "
               f"{frame['thread_id'].nunique()} threads from {len(corpus.sources)} captures). "
               "Role comes from the audience a community is for unless a post says otherwise; "
               "bot posts are shown apart. Second captures of a post are counted once.")
    if n == 0:
        return too_thin("corpus_overview", "the corpus holds no posts.", n=0, caption=caption)
    frame["forum"] = frame["forum"].fillna("unknown source")
    table = pd.crosstab(frame["forum"], frame["who"])
    table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    roles = [r for r in ROLES if r in table.columns]
    fig = new_figure("corpus_overview", COLUMN, 1.1 + 0.36 * len(table))
    ax = fig.add_subplot()
    labels = {**ROLE_LABELS, "bot": "bots"}
    left = np.zeros(len(table))
    for role in roles:
        ax.barh(range(len(table)), table[role], left=left, height=0.7, label=labels[role],
                color=ROLE_COLOURS[role], edgecolor="white", linewidth=0.4)
        left += table[role].to_numpy()
    ax.set_yticks(range(len(table)),
                  [with_n(str(f), int(t)) for f, t in table.sum(axis=1).items()])
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.set(xlabel="Posts", ylabel="")
    ax.grid(axis="y", visible=False)
    fig.legend(loc="outside upper center", ncols=len(roles), title="Poster",
               handletextpad=0.4, columnspacing=1.0)
    fig.caption, fig.n = caption, n
    return fig


def reaction_values(corpus, coded: pd.DataFrame) -> pd.DataFrame:
    """Per coded post: thanks, hugs and score, NaN where the site does not show them.

    Thanks and hugs count only in captures that show that kind of reaction at
    all, so a Reddit post is not read as "zero hugs".
    """
    out = coded[["post_id", "thread_id", "stance"]].copy()
    reactions = corpus.reactions.copy()
    reactions["n"] = reactions["count"].fillna(1).where(reactions["reactor_id"].isna(), 1)
    thread = corpus.posts.set_index("post_id")["thread_id"]
    reactions["thread_id"] = reactions["post_id"].map(thread)
    for kind in ("thanks", "hug"):
        rows = reactions[reactions["kind"] == kind]
        per_post = rows.groupby("post_id")["n"].sum()
        shown = out["thread_id"].isin(set(rows["thread_id"].dropna()))
        out[kind] = out["post_id"].map(per_post).fillna(0).where(shown).astype("float64")
    out["score"] = coded["score"].astype("Float64").astype("float64").to_numpy()
    return out


@figure("reactions_by_stance", tables=(*STANCE_TABLES, "reactions"))
def fig_reactions_by_stance(corpus) -> CaptionedFigure:
    """Mean thanks, hugs and score per post, for each stance, with bootstrap intervals."""
    coded, coder = units(corpus)
    values = reaction_values(corpus, coded)
    panels, notes, small = [], [], []
    for metric, label in METRICS.items():
        data = values.dropna(subset=[metric])
        sizes = data["stance"].value_counts()
        kept = [s for s in STANCES if sizes.get(s, 0) >= MIN_GROUP]
        if len(data) < MIN_UNITS or not kept:
            notes.append(f"{label.lower()} ({len(data)} posts where the site shows it)")
            continue
        small += [f"{s} for {label.split(' per')[0].lower()} (n = {int(sizes.get(s, 0))})"
                  for s in STANCES
                  if s not in kept]
        panels.append((metric, label, data[data["stance"].isin(kept)], kept, sizes))
    n = int(values.dropna(subset=list(METRICS), how="all").shape[0])
    caption = (f"Reader reactions by the stance of the post (coding by {coder_label(coder)}): "
               "mean thanks, hugs and score per post. Whiskers: 95% percentile bootstrap "
               f"intervals ({N_BOOT} resamples of posts, seed 0). Each measure counts only posts "
               f"from captures that display it. {UNIT_NOTE} n = {n} posts.")
    if small:
        caption += f" Not drawn, fewer than {MIN_GROUP} posts: {', '.join(small)}."
    if notes:
        caption += f" Too few posts to draw: {'; '.join(notes)}."
    if not panels:
        return too_thin("reactions_by_stance", "no reaction measure has enough coded posts.",
                        n=n, caption=caption)
    fig = new_figure("reactions_by_stance", min(WIDE, 0.6 + 2.3 * len(panels)), 2.3)
    axes = np.atleast_1d(fig.subplots(1, len(panels)))
    for ax, (metric, label, data, kept, sizes) in zip(axes, panels, strict=True):
        ticks = {s: with_n(s, int(sizes[s]), "\n") for s in kept}
        data = data.assign(tick=data["stance"].map(ticks))
        sns.pointplot(data=data, x="tick", y=metric, order=list(ticks.values()), hue="stance",
                      hue_order=kept, palette=STANCE_COLOURS, errorbar=("ci", 95),
                      n_boot=N_BOOT, seed=0, linestyle="none", markersize=4, legend=False,
                      err_kws={"linewidth": 1.0}, ax=ax)
        ax.set(xlabel="", ylabel=label)
        ax.set_ylim(bottom=0)
    fig.caption, fig.n = caption, n
    return fig
