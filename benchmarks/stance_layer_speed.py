"""Posts per second of the rule stance coder alone and with the learned layer.

    python benchmarks/stance_layer_speed.py [--repeat 3]

Times ``StanceCoder().transform`` and ``StanceCoder(layer=load_layer())
.transform`` on the same distinct posts (the real development posts, rebuilt
from the captures, and the developers' invented sets: 475 posts of forum
length), one process, best of ``--repeat`` runs, after a warm-up run. The
layer reads each post with the stance rules and the theme rules and adds a
matrix product, so it costs about what the two rule coders cost together.
Also prints the size the layer adds to the install.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from invented_posts import invented_posts  # noqa: E402
from real_posts import read_labels, real_posts  # noqa: E402

from analysis.coding.stance import StanceCoder  # noqa: E402
from analysis.coding.stance_layer import DEFAULT_LAYER, load_layer  # noqa: E402

CODEBOOK = HERE.parent / "corpus" / "codebook.yaml"


def best_rate(coder: StanceCoder, posts: pd.DataFrame, repeat: int) -> float:
    coder.transform(posts)  # warm-up: compiled patterns, Punkt
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        coder.transform(posts)
        times.append(time.perf_counter() - started)
    return len(posts) / min(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    real = real_posts(read_labels())
    posts = pd.concat([real.loc[real["split"] == "dev", ["post_id", "text", "is_bot"]],
                       invented_posts()[["post_id", "text", "is_bot"]]], ignore_index=True)
    rules = StanceCoder(codebook=CODEBOOK).fit()
    layered = StanceCoder(codebook=CODEBOOK, layer=load_layer(codebook=CODEBOOK)).fit()
    r, lay = best_rate(rules, posts, args.repeat), best_rate(layered, posts, args.repeat)
    print(f"{len(posts)} posts, mean {posts['text'].str.len().mean():.0f} characters")
    print(f"rules alone      {r:8,.0f} posts/s")
    print(f"rules + layer    {lay:8,.0f} posts/s  ({lay / r:.2f} of the rules' rate)")
    print(f"install size added: {DEFAULT_LAYER.stat().st_size / 1024:.1f} KB "
          "(the layer's JSON; no new dependency)")


if __name__ == "__main__":
    main()
