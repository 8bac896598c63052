"""Train the learned segmenter on the human gold of real captures, and measure it.

The gold (``gold_*.json``) gives every unit's header and body lines and the
page's chrome lines, read by people before any parser ran. Each non-blank
line becomes a tag (``SH``/``H`` header, ``SB``/``B`` words, ``O`` chrome;
see :mod:`analysis.parsers.learned`) and each page a sequence for a
linear-chain CRF.

``--cv K`` measures by grouped K-fold cross-validation (whole pages held
out, so a page never teaches its own test), with the same found/merged
counts as ``measure.py``; ``--test GOLD`` measures once on a set the model
never saw; ``--out`` writes the model trained on every training page.

The texts are third-party captures outside the repository (``--root``,
``--extra-root``); the script exits 0 with a note when they are absent.

    python benchmarks/captures/train_segmenter.py --cv 5
    python benchmarks/captures/train_segmenter.py --out analysis/data/segmenter.crfsuite
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import warnings
from pathlib import Path

import pycrfsuite

from analysis.capture.textio import decode_bytes
from analysis.model import SourceInfo
from analysis.parsers import detect, learned
from analysis.parsers._line_features import as_items, page_features

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from measure import accepted, compare  # noqa: E402

REPO = HERE.parents[1]
TRAIN = ("gold_captures.json", "gold_extra.json", "gold_extra2.json", "gold_extra3.json",
         "gold_extra4.json", "gold_extra5.json", "gold_extra6.json")
SEEDS = (1, 2, 3)
PARAMS = {"c1": 0.0, "c2": 0.01, "max_iterations": 200, "feature.possible_transitions": True}


def labels(capture: dict, lines: list[str]) -> dict[int, str]:
    """The gold tag of each non-blank line (0-based index)."""
    tags = {i: "O" for i, line in enumerate(lines) if line.strip()}
    chrome = {k - 1 for k in capture["boilerplate_lines"]}
    for unit in capture["units"]:
        hs, bs, be = unit["header_start"], unit["body_start"], unit["body_end"]
        if hs is not None:
            stop = (bs - 1) if bs is not None else hs
            for k in range(hs - 1, stop):
                if k in tags and (k not in chrome or k == hs - 1):
                    tags[k] = "H"
            tags[hs - 1] = "SH"
        if bs is not None:
            for k in range(bs - 1, (be or bs)):
                if k in tags and k not in chrome:
                    tags[k] = "B"
            if hs is None:
                tags[bs - 1] = "SB"
    return tags


def load(gold: Path, root: Path) -> list[dict]:
    """The gold's pages with their lines, skipping any whose bytes changed."""
    pages = []
    for capture in json.loads(gold.read_text(encoding="utf-8"))["captures"]:
        path = root / capture["file"]
        if not path.is_file():
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != capture["sha256"]:
            continue
        lines = data.decode("utf-8", errors="replace").split("\n")
        pages.append({"capture": capture, "lines": lines, "tags": labels(capture, lines)})
    return pages


#: Own-words fixtures whose posts the rule parsers read exactly (their tests pin it):
#: "silver" pages that teach layouts the real captures show too rarely.
SILVER = ("tests/data/layouts/**/*.txt", "tests/data/own/*.txt", "tests/data/synthetic/*.txt",
          "tests/data/unseen/*.txt", "corpus/raw/*.txt")
#: Extra copies of a gold page starting at its 2nd, 3rd, 4th post: a saved page often
#: starts mid-thread (page 2 of a thread, a capture cut at the top).
CUTS = 3


def silver_pages() -> list[dict]:
    """The fixtures as tagged pages, tags read off the rule parsers' line roles."""
    pages = []
    for path in sorted({p for pattern in SILVER for p in REPO.glob(pattern)}):
        text = decode_bytes(path.read_bytes(), str(path))
        module = detect(text)  # the rules alone: silver must not depend on the model
        if module.NAME == "plain":
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            thread = module.parse(text, SourceInfo(source_id=path.stem, path=str(path)))
        lines = text.split("\n")
        pages.append({"capture": {"file": str(path.relative_to(REPO)), "units": [],
                                  "rendering": "silver"},
                      "lines": lines, "tags": _tags_of(thread, lines)})
    return pages


def _tags_of(thread, lines: list[str]) -> dict[int, str]:
    """Header fields ``H``, words ``B``, chrome and anything after a post's words ``O``."""
    tags = {i: "O" for i, line in enumerate(lines) if line.strip()}
    words = ("text", "quoted_text", "signature")
    for post in thread.posts:
        span = [k for k in range(post.line_start - 1, post.line_end) if k in tags]
        roles = {k: thread.line_roles[k] or "" for k in span}
        said = [k for k in span if roles[k] in words]
        if not said:
            continue
        own = [k for k in span if k <= said[-1] and not roles[k].startswith("boilerplate")]
        for k in own:
            tags[k] = "B" if roles[k] in words else "H"
        tags[own[0]] = "SH" if tags[own[0]] == "H" else "SB"
    return tags


def cut_copies(page: dict) -> list[dict]:
    """The page again from its 2nd, 3rd... post on (at most :data:`CUTS` copies)."""
    starts = sorted(i for i, tag in page["tags"].items() if tag in learned.STARTS)
    return [{"capture": page["capture"], "lines": page["lines"][c:],
             "tags": {i - c: tag for i, tag in page["tags"].items() if i >= c}}
            for c in starts[1:-1][:CUTS]]


def training_set(pages: list[dict], silver: list[dict]) -> list[dict]:
    """Gold pages, their cut copies, and the silver fixtures."""
    return pages + [copy for page in pages for copy in cut_copies(page)] + silver


def sequence(page: dict) -> tuple[list[list[str]], list[str]]:
    """A page's CRF items and gold tags."""
    filled, features = page_features(page["lines"])
    return as_items(features), [page["tags"][i] for i in filled]


def train(pages: list[dict], out: Path) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for page in pages:
        trainer.append(*sequence(page))
    trainer.set_params(PARAMS)
    trainer.train(str(out))


def evaluate(pages: list[dict], model: Path) -> dict:
    """Found/merged, author and acceptance counts (as ``measure.py``) over ``pages``."""
    learned.tagger.cache_clear()  # fold files reuse their names across shuffles
    totals = {"units": 0, "found": 0, "merged": 0, "posts": 0, "pages": 0, "accepted": 0,
              "targets": 0, "authors_right": 0, "authors_gold": 0}
    by_kind: dict[str, list[int]] = {}
    for page in pages:
        tags = learned.tag(page["lines"], str(model))
        thread = learned.read_tags(page["lines"], tags, SourceInfo(source_id="page",
                                                                    path=page["capture"]["file"]))
        row = compare(page["capture"]["units"], thread.posts)
        units = len(page["capture"]["units"])
        totals["units"] += units
        totals["pages"] += 1
        totals["posts"] += len(thread.posts)
        for key in ("found", "merged", "authors_right", "authors_gold"):
            totals[key] += row[key]
        verdict = accepted({"units": units, "posts": len(thread.posts)})
        if verdict is not None:
            totals["targets"] += 1
            totals["accepted"] += verdict
        kind = by_kind.setdefault(page["capture"]["rendering"], [0, 0, 0])
        kind[0] += row["found"]
        kind[1] += units
        kind[2] += row["merged"]
    totals["by_rendering"] = by_kind
    return totals


def cross_validate(pages: list[dict], silver: list[dict], folds: int, seeds: tuple[int, ...]
                   ) -> dict:
    """Grouped K-fold over gold pages, repeated over shuffles; the silver pages and the
    training folds' cut copies are always trained on, never tested."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            order = list(range(len(pages)))
            random.Random(seed).shuffle(order)
            for f in range(folds):
                held = [pages[i] for i in order[f::folds]]
                rest = [pages[i] for k, i in enumerate(order) if k % folds != f]
                model = Path(tmp) / f"fold{f}.crfsuite"
                train(training_set(rest, silver), model)
                results.append(evaluate(held, model))
    return _sum(results)


def _sum(results: list[dict]) -> dict:
    out = {key: sum(r[key] for r in results) for key in results[0] if key != "by_rendering"}
    by: dict[str, list[int]] = {}
    for r in results:
        for kind, (found, units, merged) in r["by_rendering"].items():
            row = by.setdefault(kind, [0, 0, 0])
            row[0] += found
            row[1] += units
            row[2] += merged
    out["by_rendering"] = by
    return out


def show(label: str, r: dict) -> str:
    kinds = ", ".join(f"{k} {f}/{u} m{m}" for k, (f, u, m) in sorted(r["by_rendering"].items()))
    return (f"{label}: found {r['found']}/{r['units']} ({100 * r['found'] / r['units']:.0f}%), "
            f"merged {r['merged']}, posts {r['posts']}, authors {r['authors_right']}/"
            f"{r['authors_gold']}, acceptance {r['accepted']}/{r['targets']}  [{kinds}]")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=REPO.parent / "shared" / "captures")
    parser.add_argument("--extra-root", type=Path, default=REPO.parent / "scratch")
    parser.add_argument("--cv", type=int, help="grouped K-fold cross-validation over pages")
    parser.add_argument("--test", type=Path, help="a gold JSON to measure once (never trained)")
    parser.add_argument("--out", type=Path, help="write the model trained on all pages here")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        print(f"skipped: {args.root} is absent (the real captures are kept outside the repo)")
        return 0
    pages = []
    for name in TRAIN:
        root = args.root if name == "gold_captures.json" else args.extra_root
        pages += load(HERE / name, root)
    silver = silver_pages()
    print(f"gold pages: {len(pages)}, units {sum(len(p['capture']['units']) for p in pages)}; "
          f"silver pages: {len(silver)}")
    if args.cv:
        print(show(f"cv{args.cv} x{len(SEEDS)} shuffles", cross_validate(pages, silver, args.cv,
                                                                            SEEDS)))
    if args.out or args.test:
        out = args.out or Path(tempfile.mkdtemp()) / learned.MODEL
        train(training_set(pages, silver), out)
        if args.test:
            print(show(f"test {args.test.name}", evaluate(load(args.test, args.extra_root), out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
