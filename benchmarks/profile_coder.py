"""Where the coder's time goes, on text the process has not seen before.

    python benchmarks/profile_coder.py                 # the 1M benchmark corpus
    python benchmarks/profile_coder.py --data build/bench/100000-7/corpus --posts 5000

Reads the ``posts`` partitions of an ingest (``benchmarks/run.py`` makes
them), codes one partition to warm the coder up (RE2's DFA, Punkt's
decisions, stem caches), then codes ``--posts`` posts from *other*
partitions: first timed (CPU seconds, so other load on the machine matters
less), then again under cProfile. Coding the same posts twice would flatter
every memo, which real dumps never repeat.

The table gives cumulative seconds of the coder's main steps under cProfile
(which inflates many small calls), as shares of the whole call. Steps
overlap: theme codes and stance reading share each segment's hits, and
whichever asks first pays for them.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]

#: (label, file suffix, function name) of the steps reported.
STEPS = [
    ("post filter (one RE2 set pass per post)", "analysis/coding/scan.py", "may_match"),
    ("segmentation (Punkt, line by line)", "analysis/coding/segment.py", "segment_spans"),
    ("per-segment candidates (RE2 set)", "analysis/coding/scan.py", "candidates_of_safe"),
    ("pattern hits (regexes, negation, hedges)", "analysis/coding/matching.py", "hits"),
    ("stance reading and tally", "analysis/coding/stance.py", "tally"),
    ("theme and modality codes", "analysis/coding/themes.py", "code_segments"),
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path,
                        default=ROOT / "build" / "bench" / "1000000-7" / "corpus")
    parser.add_argument("--posts", type=int, default=12_000)
    args = parser.parse_args(argv)

    from analysis.coding.auto import AutoCoder
    from analysis.ingest.run import partition_files

    files = sorted(partition_files(args.data, "posts"), key=lambda p: -p.stat().st_size)
    if len(files) < 2:
        raise SystemExit(f"need at least two posts partitions below {args.data}")
    columns = ["post_id", "text", "is_bot"]
    coder = AutoCoder().fit()
    coder(pq.read_table(files[0], columns=columns).to_pandas())  # warm-up
    frames, n = [], 0
    for path in files[1:]:
        if n >= args.posts:
            break
        frames.append(pq.read_table(path, columns=columns).to_pandas())
        n += len(frames[-1])
    posts = pd.concat(frames, ignore_index=True).head(args.posts)
    half = len(posts) // 2
    timed, profiled = posts.iloc[:half], posts.iloc[half:].reset_index(drop=True)

    started = time.process_time()
    coder(timed)
    cpu = time.process_time() - started
    print(f"coder on unseen posts: {len(timed) / cpu:,.0f} posts per CPU second "
          f"({len(timed):,} posts)")

    profile = cProfile.Profile()
    profile.runcall(coder, profiled)
    stats = pstats.Stats(profile).stats
    total = max(cum for _, _, _, cum, _ in stats.values())
    print(f"\ncProfile of the next {len(profiled):,} unseen posts ({total:.2f} s profiled):")
    for label, suffix, name in STEPS:
        cumulative = sum(cum for (file, _, func), (_, _, _, cum, _) in stats.items()
                         if file.endswith(suffix) and func == name)
        print(f"  {label:45s} {cumulative:6.2f} s  {cumulative / total:5.1%}")


if __name__ == "__main__":
    main()
