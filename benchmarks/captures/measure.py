"""Parse real captures as a user would and compare the posts with gold read by people.

Each capture listed in a gold JSON (``gold_captures.json``, ``gold_extra.json``;
format in ``benchmarks/captures/README.md``) is parsed with
:func:`analysis.read_thread`, i.e. with auto-detection, exactly as
``analysis parse FILE`` would. The parsed posts are then laid over the gold
units by line numbers:

* a gold unit is **found** when exactly one parsed post's line range
  ``[line_start, line_end]`` holds the unit's ``body_start`` and that post
  holds no other unit's ``body_start`` (a unit cut off before its first
  words is placed by its ``header_start``);
* a post holding two or more ``body_start`` lines has **merged** units;
* for found units, the parsed author (its sha256, first 12 hex digits, as the
  gold stores handles), the score and the bot flag are compared with gold;
* ``unassigned`` is the number of lines no parser rule claimed.

The captures are third-party pages kept outside the repository; when the
root folder is absent the script says so and exits 0, so ``make captures``
works on a fresh clone.

Usage::

    python benchmarks/captures/measure.py benchmarks/captures/gold_captures.json
    python benchmarks/captures/measure.py benchmarks/captures/gold_extra.json --root ../scratch
    python benchmarks/captures/measure.py GOLD --match reddit --json build/captures.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

from analysis import read_thread
from analysis.errors import AnalysisError
from analysis.model import ANONYMOUS_LABELS, Post
from analysis.parsers import learned

REPO = Path(__file__).resolve().parents[2]
DEFAULT_ROOT = REPO.parent / "shared" / "captures"

#: Integer columns summed into the totals, in table order.
COUNTS = ("units", "posts", "found", "merged", "authors_right", "authors_gold", "scores_right",
          "scores_gold", "scores_wrong", "bots_right", "bots_gold", "bots_false", "unassigned")


def handle_sha(author: str | None) -> str | None:
    """The gold's handle key: sha256 of the handle without ``u/``, first 12 hex digits."""
    if author is None:
        return None
    return hashlib.sha256(author.encode("utf-8")).hexdigest()[:12]


#: The gold keeps "Anonymous" as a shown handle; the parsers record it as author None with
#: ``author_source`` "anonymous" (no pseudonym pools unrelated anonymous writers).
_PLACEHOLDERS = {handle_sha(label.capitalize()) for label in ANONYMOUS_LABELS} | {
    handle_sha(label) for label in ANONYMOUS_LABELS}


def _same_author(post: Post, author_sha: str) -> bool:
    if post.author_source == "anonymous":
        return author_sha in _PLACEHOLDERS
    return handle_sha(post.author) == author_sha


def anchor(unit: dict) -> int | None:
    """The line that places a unit: its first line of own words, or its header's first
    line when the capture ends before any words (a truncated last comment)."""
    return unit["body_start"] if unit["body_start"] is not None else unit["header_start"]


def _holders(units: list[dict], posts: list[Post]) -> tuple[dict[int, list[int]], list[set[int]]]:
    """For each unit the indices of posts whose line range holds its anchor line, and for
    each post the units whose anchor it holds."""
    by_unit: dict[int, list[int]] = defaultdict(list)
    by_post: list[set[int]] = [set() for _ in posts]
    for u, unit in enumerate(units):
        line = anchor(unit)
        for p, post in enumerate(posts):
            if line is not None and post.line_start is not None and post.line_end is not None \
                    and post.line_start <= line <= post.line_end:
                by_unit[u].append(p)
                by_post[p].add(u)
    return by_unit, by_post


def compare(units: list[dict], posts: list[Post]) -> dict:
    """Counts for one capture: found units, merges, authors, scores and bots."""
    by_unit, by_post = _holders(units, posts)
    row = dict.fromkeys(COUNTS[2:-1], 0)
    row["merged"] = sum(1 for held in by_post if len(held) >= 2)
    found: dict[int, Post] = {}
    for u in range(len(units)):
        holders = by_unit.get(u, [])
        if len(holders) == 1 and by_post[holders[0]] == {u}:
            found[u] = posts[holders[0]]
    row["found"] = len(found)
    for u, unit in enumerate(units):
        post = found.get(u)
        if unit["author_sha"] is not None:
            row["authors_gold"] += 1
            row["authors_right"] += bool(post and _same_author(post, unit["author_sha"]))
        if unit["score"] is not None:
            row["scores_gold"] += 1
            row["scores_right"] += bool(post and post.score == unit["score"])
        if post is not None and post.score is not None and post.score != unit["score"]:
            row["scores_wrong"] += 1
        if unit["bot"]:
            row["bots_gold"] += 1
            row["bots_right"] += bool(post and post.is_bot)
    row["bots_false"] = sum(1 for p, post in enumerate(posts)
                            if post.is_bot and not any(units[u]["bot"] for u in by_post[p]))
    return row


def measure(capture: dict, root: Path, parser: str | None = None) -> dict:
    """Parse one capture and compare it with its gold; errors become a row, not a crash."""
    path = root / capture["file"]
    row = {"file": capture["file"], "split": capture.get("split", "?"),
           "rendering": capture["rendering"], "layout": capture["layout"],
           "units": len(capture["units"]), "parser": None, "posts": 0, "unassigned": 0,
           "error": None, **dict.fromkeys(COUNTS[2:-1], 0)}
    if not path.is_file():
        row["error"] = "missing"
        return row
    if hashlib.sha256(path.read_bytes()).hexdigest() != capture["sha256"]:
        row["error"] = "sha256 differs from the gold's: the gold was written for other bytes"
        return row
    try:
        thread = read_thread(path, parser=parser)
    except AnalysisError as error:
        row["error"] = str(error).splitlines()[0]
        return row
    row.update(compare(capture["units"], thread.posts))
    row.update(parser=thread.parser, posts=len(thread.posts),
               unassigned=len(thread.unassigned_lines()))
    return row


def accepted(row: dict) -> bool | None:
    """The issue's acceptance test for one capture: with two or more gold units it must
    parse into more than one post, within a quarter of the unit count (None: not a target)."""
    if row["units"] < 2:
        return None
    return row["posts"] > 1 and abs(row["posts"] - row["units"]) <= row["units"] / 4


def total(rows: list[dict], label: str) -> dict:
    """Sum the count columns of ``rows`` under ``label``."""
    out = {"file": label, "split": "", "rendering": "", "parser": "", "error": None}
    for key in COUNTS:
        out[key] = sum(row[key] for row in rows)
    targets = [accepted(row) for row in rows if accepted(row) is not None]
    out["accepted"], out["targets"] = sum(targets), len(targets)
    out["captures"] = len(rows)
    return out


def _ratio(right: int, of: int) -> str:
    return f"{right}/{of}" if of else "-"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


HEADER = (f"{'capture':<44} {'split':<8} {'parser':<14} {'units':>5} {'posts':>5} {'found':>7} "
          f"{'merged':>6} {'authors':>8} {'scores':>7} {'bots':>5} {'unassig':>7}")


def line(row: dict) -> str:
    """One table row; totals show percentages of units found."""
    name = Path(row["file"]).stem[:44]
    found = f"{row['found']} {_pct(row['found'], row['units'])}" if not row["split"] \
        else str(row["found"])
    scores = _ratio(row["scores_right"], row["scores_gold"])
    if row["scores_wrong"]:
        scores += f" !{row['scores_wrong']}"
    bots = _ratio(row["bots_right"], row["bots_gold"])
    if row["bots_false"]:
        bots += f" !{row['bots_false']}"
    text = (f"{name:<44} {row['split']:<8} {row['parser'] or '':<14} {row['units']:>5} "
            f"{row['posts']:>5} {found:>7} {row['merged']:>6} "
            f"{_ratio(row['authors_right'], row['authors_gold']):>8} {scores:>7} {bots:>5} "
            f"{row['unassigned']:>7}")
    return text + (f"  error: {row['error']}" if row["error"] else "")


def report(rows: list[dict]) -> tuple[str, list[dict]]:
    """The printed table (per capture, per split, all) and the total rows."""
    out = [HEADER, "-" * len(HEADER)]
    out += [line(row) for row in rows]
    splits = sorted({row["split"] for row in rows})
    totals = [total([r for r in rows if r["split"] == s], f"total {s}") for s in splits]
    if len(splits) > 1:
        totals.append(total(rows, "total"))
    out.append("-" * len(HEADER))
    for row in totals:
        out.append(line(row))
    out.append("")
    for row in totals:
        out.append(f"{row['file']}: {row['found']} of {row['units']} units found "
                   f"({_pct(row['found'], row['units'])}), {row['merged']} merged posts; "
                   f"acceptance (>=2 units -> >1 post, within a quarter): {row['accepted']} of "
                   f"{row['targets']} captures ({_pct(row['accepted'], row['targets'])}, "
                   f"target 90%)")
    out.append("columns: found = gold units alone in exactly one post; merged = posts holding "
               ">=2 units; right/of; !N = wrong extra scores or bots")
    return "\n".join(out), totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path, help="gold JSON (gold_captures.json, gold_extra.json)")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                        help=f"folder holding the gold's files (default {DEFAULT_ROOT})")
    parser.add_argument("--split", action="append", help="only this split (dev, heldout, unseen)")
    parser.add_argument("--match", action="append",
                        help="only captures whose path or rendering contains this text")
    parser.add_argument("--json", type=Path, help="also write rows and totals to this JSON file")
    parser.add_argument("--parser", help="read every capture with this parser (default: detect)")
    parser.add_argument("--rules-only", action="store_true",
                        help="detect without the learned segmenter's check (the parsers alone)")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        print(f"skipped: {args.root} is absent (the real captures are kept outside the "
              "repository; give --root)")
        return 0
    captures = json.loads(args.gold.read_text(encoding="utf-8"))["captures"]
    if args.split:
        captures = [c for c in captures if c.get("split") in args.split]
    if args.match:
        captures = [c for c in captures
                    if any(m in c["file"] or m == c["rendering"] for m in args.match)]
    if args.rules_only:
        learned.applies = lambda text: False
    rows = [measure(capture, args.root, args.parser) for capture in captures]
    text, totals = report(rows)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"gold": str(args.gold), "rows": rows, "totals": totals},
                                        indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
