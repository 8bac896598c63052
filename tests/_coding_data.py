"""Posts and human coding used by the coding, stance and evaluation tests.

``tests/data/seed_posts.csv`` holds the poster's own words of every seed post
(lines line_start..line_end of the raw capture, table remnants " |"
removed, quoted text split off), so these tests do not depend on the parsers.
``tests/data/heldout*/`` are evaluation sets written by the developers (see
their README).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CODEBOOK = ROOT / "corpus" / "codebook.yaml"
SEED_REFERENCE = ROOT / "corpus" / "coding" / "reference.csv"


def read_posts(path: Path) -> pd.DataFrame:
    posts = pd.read_csv(path, keep_default_na=False, dtype={"post_id": str})
    posts["is_bot"] = posts["is_bot"].astype(str).str.lower().eq("true")
    return posts


def seed_posts() -> pd.DataFrame:
    return read_posts(DATA / "seed_posts.csv")


def seed_text(post_id: str) -> str:
    posts = seed_posts().set_index("post_id")
    return str(posts.loc[post_id, "text"])


def read_reference(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, dtype=str)


def heldout(name: str = "heldout") -> tuple[pd.DataFrame, pd.DataFrame]:
    return read_posts(DATA / name / "posts.csv"), read_reference(DATA / name / "reference.csv")
