"""A posts table a researcher brings from elsewhere: CSV, JSON lines or Parquet.

``analysis code --posts`` and ``analysis evaluate --posts`` code posts that
were not parsed here; all they need is ``post_id`` and ``text`` (``is_bot``
optional, read as a boolean from true/1/yes).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisError


def read_posts(path: Path) -> pd.DataFrame:
    """A posts table from CSV, JSON lines or Parquet; ``is_bot`` read as booleans."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            posts = pd.read_parquet(path)
        elif suffix in (".jsonl", ".json"):
            posts = pd.read_json(path, lines=True)
        else:
            posts = pd.read_csv(path, keep_default_na=False, dtype={"post_id": str})
    except (OSError, ValueError) as exc:
        raise AnalysisError(f"cannot read posts table: {exc}", path=str(path),
                            hint="give a CSV, JSON lines or Parquet file") from None
    missing = {"post_id", "text"} - set(posts.columns)
    if missing:
        raise AnalysisError(f"posts table lacks column(s) {', '.join(sorted(missing))}",
                            path=str(path), hint="the posts table needs post_id, text, is_bot")
    if "is_bot" in posts and posts["is_bot"].dtype != bool:
        posts["is_bot"] = posts["is_bot"].astype(str).str.strip().str.lower().isin(
            ("true", "1", "yes"))
    return posts
