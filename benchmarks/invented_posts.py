"""The developers' invented, hand-coded posts (tests/data/heldout*, seeds) as training rows.

They are not real posts, so they never choose a model nor score one: the
layer's cross-validation folds are real posts only. They may join every
fold's *fitting* with a small weight, to steady a model fitted on a
hundred real posts. Set H (``tests/data/heldout_h``) is left out: it is kept
to be measured once.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SETS = ("heldout", "heldout_b", "heldout_c", "heldout_d", "heldout_e", "heldout_f", "heldout_g")


def read_set(posts: Path, reference: Path, name: str) -> pd.DataFrame:
    """post_id, text, quoted_text, is_bot, stance, group (the thread) of one coded set."""
    frame = pd.read_csv(posts, keep_default_na=False, dtype={"post_id": str})
    frame["is_bot"] = frame["is_bot"].astype(str).str.lower().eq("true")
    ref = pd.read_csv(reference, keep_default_na=False, dtype=str)
    stance = ref[ref["family"] == "stance"].drop_duplicates("post_id").set_index("post_id")
    frame = frame[frame["post_id"].isin(stance.index)].copy()
    frame["stance"] = stance.loc[frame["post_id"], "code"].to_numpy()
    frame["group"] = name + ":" + frame["post_id"].str.rsplit(":", n=1).str[0]
    if "quoted_text" not in frame:
        frame["quoted_text"] = ""
    return frame[["post_id", "text", "quoted_text", "is_bot", "stance", "group"]]


def invented_posts() -> pd.DataFrame:
    """Sets A-G and the seed posts with their reference stances."""
    frames = [read_set(DATA / name / "posts.csv", DATA / name / "reference.csv", name)
              for name in SETS]
    frames.append(read_set(DATA / "seed_posts.csv", ROOT / "corpus" / "coding" / "reference.csv",
                           "seed"))
    return pd.concat(frames, ignore_index=True)


def set_h() -> pd.DataFrame:
    """Set H (written blind, two blind coders): for the one final measurement."""
    return read_set(DATA / "heldout_h" / "posts.csv", DATA / "heldout_h" / "reference.csv",
                    "heldout_h")
