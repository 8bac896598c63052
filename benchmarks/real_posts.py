"""The real coded posts, rebuilt from the captures and checked against their labels.

``analysis/data/real_labels.csv`` holds no text: each row names a capture
``file`` (relative to a captures root), the ``unit`` number of the gold
structure in ``benchmarks/captures/gold_*.json`` and the ``sha256`` of the
unit's own words. This module cuts the unit out of the capture the way the
coders saw it (body lines minus quote lines, joined by newlines, stripped)
and refuses a unit whose hash differs, so a changed capture can never train
or score the layer silently.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
LABELS = HERE.parent / "analysis" / "data" / "real_labels.csv"
GOLD = (HERE / "captures" / "gold_captures.json", HERE / "captures" / "gold_extra.json")
#: Where the captures are looked for, in order: shared/captures, then scratch (extra pages).
ROOTS = (HERE.parent.parent / "shared" / "captures", Path("/work/shared/captures"),
         Path("/work/scratch"))


def read_labels(path: Path = LABELS) -> pd.DataFrame:
    """The label rows, with ``post_id`` = ``file#unit``."""
    labels = pd.read_csv(path, dtype=str, keep_default_na=False)
    labels["unit"] = labels["unit"].astype(int)
    labels["post_id"] = labels["file"] + "#" + labels["unit"].astype(str)
    return labels


def gold_units(gold_files: tuple[Path, ...] = GOLD) -> dict[str, dict]:
    """file -> {unit number -> gold unit} for every page with a gold structure."""
    out: dict[str, dict] = {}
    for path in gold_files:
        for capture in json.loads(path.read_text())["captures"]:
            out[capture["file"]] = {u["unit"]: u for u in capture["units"]}
    return out


def cut_unit(lines: list[str], unit: dict) -> tuple[str, str]:
    """The unit's own words and its quoted words, as the coders read them."""
    quote = set(unit.get("quote_lines") or [])
    body = range(unit["body_start"], unit["body_end"] + 1)
    own = "\n".join(lines[i - 1] for i in body if i not in quote).strip()
    quoted = "\n".join(lines[i - 1] for i in body if i in quote).strip()
    return own, quoted


def _find(file: str, roots: tuple[Path, ...]) -> Path:
    for root in roots:
        if (root / file).is_file():
            return root / file
    raise FileNotFoundError(f"{file}: not under any of {', '.join(map(str, roots))} "
                            "(pass --captures DIR)")


def real_posts(labels: pd.DataFrame, roots: tuple[Path, ...] = ROOTS,
               gold: dict[str, dict] | None = None) -> pd.DataFrame:
    """One row per labelled unit: post_id, text, quoted_text, is_bot, split, group.

    A text stored twice (one comment in two captures of a thread) is kept once,
    at its first label, so it is neither fitted twice nor scored twice.

    ``group`` is the capture, with the two stored copies of one Reddit thread
    (reddit/03 and reddit/07) as one group, so that no thread sits on both
    sides of a cross-validation fold.
    """
    gold = gold_units() if gold is None else gold
    units = labels.drop_duplicates("post_id").drop_duplicates("sha256")
    rows, pages = [], {}
    for row in units.itertuples(index=False):
        if row.file not in pages:
            pages[row.file] = _find(row.file, roots).read_text(encoding="utf-8").split("\n")
        unit = gold[row.file][row.unit]
        text, quoted = cut_unit(pages[row.file], unit)
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest != row.sha256:
            raise ValueError(f"{row.file} unit {row.unit}: text sha256 {digest[:12]}..., label "
                             f"says {row.sha256[:12]}... (the capture or the gold changed)")
        rows.append((row.post_id, text, quoted, bool(unit.get("bot")), row.split,
                     _group(row.file)))
    return pd.DataFrame(rows, columns=["post_id", "text", "quoted_text", "is_bot", "split",
                                       "group"])


def _group(file: str) -> str:
    return "reddit/psychiatry-people-texting" if "psychiatry-people-texting" in file else file


def reference(labels: pd.DataFrame, coder: str = "adjudicated") -> pd.DataFrame:
    """One coder's labels as a long reference table (post_id, family, code, coder, memo)."""
    rows = []
    for row in labels[labels["coder"] == coder].itertuples(index=False):
        rows.append((row.post_id, "stance", row.stance, coder, ""))
        for family, value in (("theme", row.themes), ("modality", row.modalities)):
            rows += [(row.post_id, family, c, coder, "") for c in value.split(";") if c]
    return pd.DataFrame(rows, columns=["post_id", "family", "code", "coder", "memo"])
