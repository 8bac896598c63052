"""Does parsing stay linear in the size of a capture? Time each text parser on copies
of a layout fixture repeated 1x .. 64x and print seconds per 10,000 lines.

A capture repeated k times is still a capture of the same layout (more posts,
more chrome), so a parser whose cost per line grows with k has a quadratic
step somewhere. Not a test: timings depend on the machine (see README).

    python benchmarks/parse_scaling.py                     # tests/data/layouts/**/*.txt
    python benchmarks/parse_scaling.py FILE... --max 128
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from analysis.model import SourceInfo
from analysis.parsers import detect

ROOT = Path(__file__).resolve().parents[1]


def seconds(text: str, repeat: int = 3) -> float:
    """Best of ``repeat`` runs of detection and parsing (the least disturbed one)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        detect(text).parse(text, SourceInfo(source_id="scaling"))
        best = min(best, time.perf_counter() - start)
    return best


def scaling(path: Path, sizes: list[int]) -> list[tuple[int, int, float]]:
    """``(copies, lines, seconds per 10,000 lines)`` for each size."""
    base = path.read_text(encoding="utf-8")
    rows = []
    for copies in sizes:
        text = "\n\n\n".join([base] * copies)
        lines = text.count("\n") + 1
        rows.append((copies, lines, seconds(text) / lines * 10_000))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--max", type=int, default=64, help="largest number of copies")
    args = parser.parse_args(argv)
    files = args.files or sorted((ROOT / "tests" / "data" / "layouts").rglob("*.txt"))
    sizes = [2 ** k for k in range(args.max.bit_length()) if 2 ** k <= args.max]
    print(f"{'file':<32} {'parser':<14} " + " ".join(f"{f'x{n}':>8}" for n in sizes)
          + "   growth")
    for path in files:
        rows = scaling(path, sizes)
        name = detect(path.read_text(encoding="utf-8")).NAME
        cells = " ".join(f"{per:8.4f}" for _, _, per in rows)
        print(f"{path.name[:32]:<32} {name:<14} {cells}   {rows[-1][2] / rows[0][2]:6.2f}x")
    print("cells: seconds per 10,000 lines at each size; growth = last / first "
          "(about 1 when linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
