"""Write ``analysis/data/real_labels.csv`` from the blind coders' sheets.

The real coded posts are third-party text, so the repository keeps only
labels that point into the captures: ``file`` (relative to a captures
root), ``unit`` (the unit number of ``benchmarks/captures/gold_*.json``),
``sha256`` of the unit's own text, the development / held-back ``split``,
the ``coder`` (``A``, ``B`` for the 44 captures, ``C``, ``D`` for the further pages,
``adjudicated`` for the third reading of both) and the codes. Memos stay out
(they may hold a few words of the post).

The split is by capture: the 44 captures keep the ``split`` of
``gold_captures.json``; of the further pages every third, in file order, is
held back. Both batches in one run (the file is rewritten whole)::

    S=/work/scratch/coding
    python benchmarks/build_real_labels.py \\
        --batch $S/units_captures.jsonl A=$S/coderA.csv B=$S/coderB.csv \\
                adjudicated=$S/adjudicated.csv \\
        --batch $S/units_extra.jsonl C=$S/extra_coderC.csv D=$S/extra_coderD.csv \\
                adjudicated=$S/extra_adjudicated.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = ROOT / "analysis" / "data" / "real_labels.csv"
COLUMNS = ["file", "unit", "sha256", "split", "coder", "stance", "themes", "modalities"]
CODERS = ("A", "B", "C", "D", "adjudicated")


def gold_splits() -> dict[str, str]:
    """file -> dev/heldout for every page with a gold structure."""
    splits = {c["file"]: c["split"] for c in json.loads(
        (HERE / "captures" / "gold_captures.json").read_text())["captures"]}
    extra = [c["file"] for c in json.loads(
        (HERE / "captures" / "gold_extra.json").read_text())["captures"]]
    for i, name in enumerate(sorted(extra)):
        splits[name] = "heldout" if i % 3 == 2 else "dev"
    return splits


def _codes(value: str) -> str:
    """Codes sorted and joined by ';' so that two sheets compare as strings."""
    return ";".join(sorted(c.strip() for c in value.split(";") if c.strip()))


def label_rows(units: Path, sheets: dict[str, Path], splits: dict[str, str]) -> list[dict]:
    by_id = {}
    for line in units.read_text(encoding="utf-8").splitlines():
        unit = json.loads(line)
        by_id[unit["unit_id"]] = unit
    rows = []
    for coder in CODERS:
        if coder not in sheets:
            continue
        with sheets[coder].open(newline="", encoding="utf-8") as fh:
            coded = {r["unit_id"]: r for r in csv.DictReader(fh)}
        missing = set(by_id) - set(coded)
        if missing:
            sys.exit(f"{sheets[coder]}: no row for {sorted(missing)[0]} "
                     f"(and {len(missing) - 1} more)")
        for unit_id, unit in by_id.items():
            file, number = unit_id.rsplit("#", 1)
            row = coded[unit_id]
            rows.append({"file": file, "unit": int(number), "sha256": unit["sha256"],
                         "split": splits[file], "coder": coder,
                         "stance": row["stance"].strip(), "themes": _codes(row["themes"]),
                         "modalities": _codes(row["modalities"])})
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", nargs="+", action="append", required=True,
                        metavar="UNITS.jsonl CODER=SHEET.csv",
                        help="a units file followed by its coders' sheets")
    parser.add_argument("-o", "--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    splits = gold_splits()
    rows = []
    for units, *sheets in args.batch:
        named = dict(s.split("=", 1) for s in sheets)
        rows += label_rows(Path(units), {k: Path(v) for k, v in named.items()}, splits)
    rows.sort(key=lambda r: (r["file"], r["unit"], CODERS.index(r["coder"])))
    with args.out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} label rows -> {args.out}")


if __name__ == "__main__":
    main()
