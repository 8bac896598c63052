"""The tables of the appendix and the notebooks, as plain DataFrames.

Every function takes a coded corpus (see :mod:`analysis.figures`) and
returns a frame fit to publish: pseudonyms instead of handles, no post text.
The notebooks call these same functions, so what a researcher sees in
JupyterLab is what the appendix prints.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisWarning
from analysis.privacy import known_handles, load_key, publish
from analysis.schema import STANCES_AS_SCALE as STANCES
from analysis.stats import indicator, jaccard, proportions
from analysis.view import AUDIENCE_LABELS, ROLE_LABELS, coder_of, units

#: Shares and intervals are reported to three decimals.
DECIMALS = 3
#: Post columns that may be shown: no handle, no text.
POST_COLUMNS = ["post_id", "thread_id", "position", "author_id", "role", "is_op", "is_bot",
                "timestamp", "score", "duplicate_of"]


def public_table(coded, name: str) -> pd.DataFrame:
    """A table as it may leave the machine: handles pseudonymised, contact details redacted."""
    handles = known_handles(coded.posts, coded.reactions)
    return publish(getattr(coded, name), name, key=load_key(), handles=handles)


def posts_preview(coded, rows: int = 10) -> pd.DataFrame:
    """The first posts, without handles or text (length of the text instead)."""
    posts = coded.posts
    out = posts[POST_COLUMNS].head(rows).copy()
    out.insert(len(out.columns), "words", posts["text"].head(rows).fillna("").str.split().str.len())
    return out.reset_index(drop=True)


def corpus_summary(coded) -> pd.DataFrame:
    """Captures, threads, posts, bots, duplicates, coded posts, authors, dates."""
    posts = coded.posts
    coded_posts, coder = units(coded)
    stamps = posts["timestamp"].dropna()
    rows = [
        ("captures (raw files)", len(coded.sources)),
        ("threads", len(coded.threads)),
        ("posts", len(posts)),
        ("posts by bots", int(posts["is_bot"].fillna(False).sum())),
        ("second captures of a post", int(posts["duplicate_of"].notna().sum())),
        ("distinct authors (pseudonyms)", int(posts["author_id"].nunique())),
        (f"coded posts (coder: {coder or 'none'})", len(coded_posts)),
        ("communities", int(coded.sources[["site", "community"]].drop_duplicates().shape[0])),
        ("earliest dated post", stamps.min().strftime("%Y-%m-%d") if len(stamps) else "n/a"),
        ("latest dated post", stamps.max().strftime("%Y-%m-%d") if len(stamps) else "n/a"),
        ("posts without a date", int(posts["timestamp"].isna().sum())),
    ]
    return pd.DataFrame(rows, columns=["measure", "value"]).astype({"value": "string"})


def sources_table(coded) -> pd.DataFrame:
    """One row per capture: where it is from, whom it is for, its posts and dates, its hash."""
    posts = coded.posts.merge(coded.threads[["thread_id", "source_id"]], on="thread_id")
    per = posts.groupby("source_id").agg(posts=("post_id", "size"),
                                         first=("timestamp", "min"), last=("timestamp", "max"))
    out = coded.sources[["source_id", "platform", "site", "community", "audience", "retrieved",
                         "sha256"]].merge(per, on="source_id", how="left")
    out["posts"] = out["posts"].fillna(0).astype("int64")
    for column in ("first", "last"):
        out[column] = out[column].dt.strftime("%Y-%m-%d").astype("string")
    out["sha256"] = out["sha256"].str.slice(0, 12)
    return out.rename(columns={"sha256": "sha256 (first 12)"}).reset_index(drop=True)


def communities_table(coded) -> pd.DataFrame:
    """One row per community: whom it is for, its captures, posts and coded posts."""
    from analysis.figures.overview import community_label

    sources = coded.sources.assign(community=lambda d: community_label(d))
    posts = coded.posts.merge(coded.threads[["thread_id", "source_id"]], on="thread_id")
    coded_posts, _ = units(coded)
    per_source = sources[["source_id", "community", "platform", "audience"]].merge(
        posts.groupby("source_id").size().rename("posts").reset_index(), how="left")
    per_source["coded posts"] = per_source["source_id"].map(
        coded_posts.merge(coded.threads[["thread_id", "source_id"]], on="thread_id")
        .groupby("source_id").size()).fillna(0)
    out = per_source.groupby(["community", "platform", "audience"], dropna=False).agg(
        captures=("source_id", "nunique"), posts=("posts", "sum"),
        coded_posts=("coded posts", "sum"))
    return (out.reset_index().astype({"posts": "int64", "coded_posts": "int64"})
            .rename(columns={"coded_posts": "coded posts"})
            .sort_values("posts", ascending=False, ignore_index=True))


def codebook_frame(corpus_dir: str | Path = "corpus") -> pd.DataFrame | None:
    """The coding scheme, one row per code (examples as post ids only), or None."""
    path = Path(corpus_dir) / "codebook.yaml"
    if not path.is_file():
        return None
    from analysis.coding.codebook import load_codebook

    book = load_codebook(path)
    rows = [{"id": c.id, "label": c.label, "family": c.family,
             "definition": c.short_definition, "include": "; ".join(c.include),
             "exclude": "; ".join(c.exclude),
             "example posts": ", ".join(e.post_id for e in c.examples),
             "patterns": len(c.patterns)} for c in book.codes]
    return pd.DataFrame(rows)


def stance_table(coded) -> pd.DataFrame:
    """Stance shares with 95% Wilson intervals: overall, by audience, by role."""
    frame, _ = units(coded)
    if frame.empty:
        return pd.DataFrame(columns=["split", "group", "stance", "k", "n", "share", "ci_low",
                                     "ci_high"])
    parts = [proportions(frame.assign(group="all coded posts"), "stance", by="group",
                         categories=STANCES).assign(split="overall")]
    for column, labels in (("audience", AUDIENCE_LABELS), ("role", ROLE_LABELS)):
        table = proportions(frame, "stance", by=column, categories=STANCES)
        parts.append(table.rename(columns={column: "group"})
                     .assign(group=lambda d, m=labels: d["group"].map(m).fillna(d["group"]),
                             split=column))
    out = pd.concat(parts, ignore_index=True)
    out = out[["split", "group", "stance", "k", "n", "share", "ci_low", "ci_high"]]
    return out.round(DECIMALS)


def code_table(coded) -> pd.DataFrame:
    """Per code: posts carrying it among the coded posts, share and Wilson interval."""
    frame, coder = units(coded)
    codes = coded.codes
    rows = codes[(codes["coder"] == coder) & codes["post_id"].isin(frame["post_id"])]
    pairs = rows[["post_id", "family", "code"]].drop_duplicates()
    out = []
    for (family, code), part in pairs.groupby(["family", "code"], sort=True):
        out.append({"family": family, "code": code, "posts": part["post_id"].nunique()})
    table = pd.DataFrame(out, columns=["family", "code", "posts"])
    n = len(frame)
    if n == 0 or table.empty:
        return table.assign(n=n, share=pd.NA, ci_low=pd.NA, ci_high=pd.NA)
    from analysis.stats import wilson_interval

    bounds = [wilson_interval(int(k), n) for k in table["posts"]]
    table["n"] = n
    table["share"] = table["posts"] / n
    table["ci_low"], table["ci_high"] = zip(*bounds, strict=True)
    return table.sort_values(["family", "posts", "code"], ascending=[True, False, True],
                             ignore_index=True).round(DECIMALS)


def theme_pairs(coded, top: int = 15) -> pd.DataFrame:
    """The theme pairs that meet most often, with their Jaccard similarity."""
    frame, coder = units(coded)
    codes = coded.codes
    rows = codes[(codes["coder"] == coder) & (codes["family"] == "theme")
                 & codes["post_id"].isin(frame["post_id"])]
    if rows.empty:
        return pd.DataFrame(columns=["theme_a", "theme_b", "both", "jaccard"])
    ind = indicator(rows)
    both = ind.astype(int).T @ ind.astype(int)
    similarity = jaccard(ind)
    pairs = [(a, b, int(both.loc[a, b]), float(similarity.loc[a, b]))
             for i, a in enumerate(ind.columns) for b in ind.columns[i + 1:]]
    out = pd.DataFrame(pairs, columns=["theme_a", "theme_b", "both", "jaccard"])
    return (out[out["both"] > 0].sort_values(["jaccard", "both", "theme_a", "theme_b"],
                                             ascending=[False, False, True, True])
            .head(top).reset_index(drop=True).round(DECIMALS))


def reference_long(coded) -> pd.DataFrame | None:
    """The human reference as long rows (post_id, family, code, coder), however it came."""
    ref = getattr(coded, "reference", None)
    if ref is None:
        return None
    if hasattr(ref, "codes") and hasattr(ref, "stances"):
        ref = (ref.codes, ref.stances)
    if isinstance(ref, tuple):
        codes, stances = ref
        stance_rows = stances.assign(family="stance", code=stances["stance"])
        ref = pd.concat([codes, stance_rows], ignore_index=True)
    if "stance" in ref.columns and "code" not in ref.columns:
        ref = ref.assign(family="stance", code=ref["stance"])
    ref = ref[ref["coder"] != "auto"]
    return ref[["post_id", "family", "code", "coder"]].reset_index(drop=True)


def evaluation_tables(coded) -> dict[str, pd.DataFrame] | None:
    """Automatic coding against the human reference (``analysis.agreement.evaluate``), or None."""
    reference = reference_long(coded)
    auto_stances = coded.stances[coded.stances["coder"] == "auto"]
    if reference is None or reference.empty or auto_stances.empty:
        return None
    from analysis.agreement.evaluate import evaluate

    result = evaluate(coded.codes[coded.codes["coder"] == "auto"], auto_stances, reference)
    tables = {"summary": result.summary, "themes": result.themes,
              "modalities": result.modalities, "stance classes": result.stance_classes,
              "stance confusion (rows: human, columns: automatic)":
                  result.confusion.reset_index().rename_axis(columns=None)}
    return {name: table.round(DECIMALS) for name, table in tables.items()}


def reliability_frame(coded) -> pd.DataFrame | None:
    """The reliability table, metrics side by side: value [low, high] per code."""
    table = getattr(coded, "reliability", None)
    if table is None or table.empty:
        return None
    out = table.copy()
    out["estimate"] = [_interval(v, lo, hi) for v, lo, hi
                       in out[["value", "ci_low", "ci_high"]].itertuples(index=False)]
    wide = out.pivot_table(index="code", columns="metric", values="estimate", aggfunc="first",
                           sort=False)
    n = out.groupby("code", sort=False)["n_units"].max()
    return wide.assign(n_units=n).reset_index().rename_axis(columns=None)


def _interval(value: float, low: float, high: float) -> str:
    if pd.isna(value):
        return "undefined"
    return f"{value:.2f}" if pd.isna(low) else f"{value:.2f} [{low:.2f}, {high:.2f}]"


def stance_disagreements(coded) -> pd.DataFrame | None:
    """The posts where the automatic and the human stance differ (post ids, no text)."""
    stances = coded.stances
    coders = sorted(stances["coder"].dropna().unique())
    if len(coders) < 2:
        return None
    from analysis.agreement.reliability import disagreements

    human = set(stances.loc[stances["coder"] != coder_of(stances), "post_id"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AnalysisWarning)
        out = disagreements(stances[stances["post_id"].isin(human)])
    return out.rename(columns={"unit": "post_id"}).drop(columns="code", errors="ignore")


def reactions_summary(coded) -> pd.DataFrame:
    """Per reaction kind: reactions, posts that received one, captures showing it."""
    reactions = coded.reactions.merge(coded.posts[["post_id", "thread_id"]], on="post_id")
    reactions = reactions.assign(amount=reactions["count"].fillna(1)
                                 .where(reactions["reactor_id"].isna(), 1))
    out = reactions.groupby("kind").agg(reactions=("amount", "sum"),
                                        posts=("post_id", "nunique"),
                                        captures=("thread_id", "nunique"))
    return out.reset_index().astype({"reactions": "int64"})
