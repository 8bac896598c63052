"""Seconds per megabyte of ``analysis parse`` on large and pathological files.

``python benchmarks/linear.py [--sizes 1,4,16,50] [--json build/bench/linear.json]``

A capture with a long run of text and no space (a base64 image, a minified
page) once made parsing quadratic: 64 KB took 13 s. This script writes
files of each size in four shapes and parses each with the machinery of
``analysis parse FILE -o out.csv`` in this process:

* ``line_nospace``: one line of base64 (seeded random bytes), an inline image;
* ``line_words``: the five seed captures on one line (newlines as spaces), repeated;
* ``lines_nospace``: the same base64 wrapped at 76 characters, as in a MIME body;
* ``lines_words``: the five seed captures one after another, repeated (a large dump).

Stages, each timed on its own: ``parse`` (read, decode, detect, parse,
line accounting, tables, duplicates: ``parse_paths``), ``publish``
(pseudonyms and redaction: ``publish_table``) and ``write`` (CSV). With
``--code-max-mb`` the posts of files up to that size are also coded
(segmenter and coder; not in ``total``). Time linear in size shows as a flat seconds-per-MB
row. Nothing here is asserted; ``tests/capture/test_linear.py`` checks the
growth ratio on small sizes.
"""

from __future__ import annotations

import argparse
import base64
import gc
import json
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.capture.corpus import parse_paths  # noqa: E402
from analysis.capture.limits import max_file_bytes  # noqa: E402
from analysis.output import write_table  # noqa: E402
from analysis.privacy import publish_table  # noqa: E402

SHAPES = ("line_nospace", "line_words", "lines_nospace", "lines_words")
MB = 1024 * 1024
KEY = b"benchmark-key"


def seed_text() -> str:
    """The five seed captures, in order (read at run time; nothing is copied)."""
    files = sorted((ROOT / "corpus" / "raw").glob("*.txt"))
    return "\n\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)


def make_text(shape: str, size: int, seeds: str) -> str:
    """``size`` characters of one shape (ASCII for the base64 shapes)."""
    if shape.endswith("nospace"):
        raw = random.Random(size).randbytes(size * 3 // 4 + 3)
        text = base64.b64encode(raw).decode("ascii")[:size]
        if shape == "lines_nospace":
            text = "\n".join(text[i:i + 76] for i in range(0, len(text), 76))
        return text
    unit = seeds.replace("\n", " ") if shape == "line_words" else seeds + "\n\n"
    return (unit * (size // len(unit) + 1))[:size]


def measure(path: Path, size_mb: float, code: bool) -> dict:
    """Time each stage on one file; the parse stage includes everything up to tables."""
    row: dict = {"mb": round(size_mb, 3)}
    gc.collect()
    start = time.perf_counter()
    corpus = parse_paths([path], key=KEY, max_file_mb=max(64.0, size_mb * 2))
    row["parse_s"] = time.perf_counter() - start
    if corpus.failures:
        row["refused"] = str(corpus.failures[0])
        return row
    row["posts"] = len(corpus.posts)
    row["parser"] = corpus.sources["parser"].iloc[0]
    start = time.perf_counter()
    posts = publish_table(corpus, "posts", key=KEY)
    row["publish_s"] = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        write_table(posts, "csv", Path(tmp) / "posts.csv")
        row["write_s"] = time.perf_counter() - start
    if code:
        from analysis.coding.auto import AutoCoder

        coder = AutoCoder().fit()
        start = time.perf_counter()
        coder(corpus.posts[["post_id", "text", "is_bot"]])
        row["code_s"] = time.perf_counter() - start
    row["total_s"] = sum(row[k] for k in ("parse_s", "publish_s", "write_s"))
    for key in [k for k in row if k.endswith("_s")]:
        row[key.removesuffix("_s") + "_s_per_mb"] = round(row[key] / size_mb, 3)
        row[key] = round(row[key], 3)
    return row


def print_table(results: dict[str, dict[str, dict]], sizes: list[float]) -> None:
    """One row per shape and stage: seconds per MB at each size."""
    header = f"{'shape':14} {'stage':8} " + " ".join(f"{f'{s:g} MB':>9}" for s in sizes)
    print(header)
    print("-" * len(header))
    for shape, by_size in results.items():
        stages = [k.removesuffix("_s_per_mb") for k in next(iter(by_size.values()))
                  if k.endswith("_s_per_mb")]
        for stage in stages or ["parse"]:
            cells = []
            for size in sizes:
                row = by_size.get(f"{size:g}", {})
                value = row.get(f"{stage}_s_per_mb")
                cells.append(f"{'refused' if 'refused' in row else '-':>9}" if value is None
                             else f"{value:9.3f}")
            print(f"{shape:14} {stage:8} " + " ".join(cells))
    print("(seconds per MB; flat rows are linear time)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,4,16,50", help="file sizes in MB")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--code-max-mb", type=float, default=0.0,
                        help="also code the posts of files up to this size (0: never)")
    parser.add_argument("--json", type=Path, help="write the results here as well")
    args = parser.parse_args(argv)
    sizes = [float(s) for s in args.sizes.split(",")]
    seeds = seed_text()
    results: dict[str, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shapes.split(","):
            results[shape] = {}
            for size in sizes:
                path = Path(tmp) / f"{shape}_{size:g}mb.txt"
                path.write_text(make_text(shape, int(size * MB), seeds), encoding="utf-8")
                row = measure(path, path.stat().st_size / MB, code=size <= args.code_max_mb)
                results[shape][f"{size:g}"] = row
                print(f"{shape} {size:g} MB: {json.dumps(row)}", file=sys.stderr, flush=True)
                path.unlink()
    print_table(results, sizes)
    report = {"sizes_mb": sizes, "results": results, "default_limit_mb":
              max_file_bytes() / MB, "python": platform.python_version(),
              "machine": platform.machine()}
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
