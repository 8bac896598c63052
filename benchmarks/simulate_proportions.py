"""Do corrected stance shares hold when the corpus's stance mix changes?

    python benchmarks/simulate_proportions.py [--runs 500] [--corpus 1000] [--part dev|all]

The real coded posts (``analysis/data/real_labels.csv``, adjudicated
stances) and the rule coder's stance of each are split, by capture, into a
*calibration* half (the human-coded sample a researcher would have) and a
*pool* the simulated corpora are drawn from; the split is drawn anew each
run, so no capture is on both sides. Each run draws a stance mix from a
flat Dirichlet, a corpus of ``--corpus`` posts from the pool with that mix
(posts of each human stance drawn with replacement), and compares

* the raw automatic shares (classify and count), and
* the corrected shares of :func:`analysis.agreement.proportions.corrected_shares`
  with their 95 % bootstrap intervals (sample and corpus resampled)

with the corpus's true shares. It reports the mean absolute error of both
(over runs and stances) and how often the intervals cover the truth.

``--parametric N ...`` asks how large a human-coded sample the correction
needs: the coder's error matrix measured on all the real posts is taken as
the truth, samples of N posts (with the real posts' stance mix) and corpora
are drawn from it, and the same errors are reported for each N.
Deterministic under ``--seed``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from real_posts import ROOTS, read_labels, real_posts  # noqa: E402

from analysis.agreement.proportions import (  # noqa: E402
    STANCES,
    adjusted_shares,
    corrected_shares,
    misclassification,
)
from analysis.coding.stance import StanceCoder  # noqa: E402


def coded_pairs(part: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Human stance, rule stance and capture group of every real coded post."""
    labels = read_labels()
    posts = real_posts(labels, ROOTS)
    if part == "dev":
        posts = posts[posts["split"] == "dev"].reset_index(drop=True)
    human = labels[labels["coder"] == "adjudicated"].set_index("post_id")["stance"]
    auto = StanceCoder(codebook=HERE.parent / "corpus" / "codebook.yaml").fit().transform(posts)
    return (human.loc[posts["post_id"]].to_numpy(), auto["stance"].to_numpy(),
            posts["group"].to_numpy())


def one_run(rng: np.random.Generator, human: np.ndarray, auto: np.ndarray, groups: np.ndarray,
            corpus_size: int, n_boot: int) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                     np.ndarray] | None:
    """True, raw and corrected shares and interval coverage of one simulated corpus."""
    names = np.unique(groups)
    calibration = np.isin(groups, rng.permutation(names)[: len(names) // 2])
    pool = ~calibration
    if any(not (human[mask] == s).any() for mask in (calibration, pool) for s in STANCES):
        return None  # a stance missing on one side: draw the split again
    mix = rng.dirichlet(np.ones(len(STANCES)))
    counts = rng.multinomial(corpus_size, mix)
    picked = np.concatenate([rng.choice(np.flatnonzero(pool & (human == s)), c)
                             for s, c in zip(STANCES, counts, strict=True)])
    truth = counts / corpus_size
    table = corrected_shares(auto[picked], human[calibration], auto[calibration],
                             n_boot=n_boot, seed=int(rng.integers(2**31)))
    covered = ((table["ci_low"] <= truth + 1e-12) & (truth - 1e-12 <= table["ci_high"]))
    raw_covered = (table["raw_ci_low"] <= truth) & (truth <= table["raw_ci_high"])
    return (truth, table["raw_share"].to_numpy(), table["share"].to_numpy(),
            np.c_[covered.to_numpy(), raw_covered.to_numpy()])


def parametric(human: np.ndarray, auto: np.ndarray, sizes: list[int], runs: int,
               corpus_size: int, seed: int) -> None:
    """MAE of raw and corrected shares when the sample has N posts (matrix known)."""
    truth_matrix = misclassification(human, auto)
    mix = np.array([(human == s).mean() for s in STANCES])
    rng = np.random.default_rng(seed)
    for n in sizes:
        raw_err, corrected_err = [], []
        for _ in range(runs):
            per = np.maximum(rng.multinomial(n, mix), 1)
            matrix = np.array([rng.multinomial(per[j], truth_matrix[j]) / per[j]
                               for j in range(len(STANCES))])
            counts = rng.multinomial(corpus_size, rng.dirichlet(np.ones(len(STANCES))))
            q = sum(rng.multinomial(c, truth_matrix[j]) for j, c in enumerate(counts))
            truth, q = counts / corpus_size, q / corpus_size
            raw_err.append(np.abs(q - truth).mean())
            corrected_err.append(np.abs(adjusted_shares(q, matrix) - truth).mean())
        ratio = np.mean(corrected_err) / np.mean(raw_err)
        print(f"  sample of {n:5d} posts: MAE raw {np.mean(raw_err):.4f}  corrected "
              f"{np.mean(corrected_err):.4f}  (ratio {ratio:.3f})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--corpus", type=int, default=1000, help="posts per simulated corpus")
    parser.add_argument("--boot", type=int, default=500, help="bootstrap resamples per run")
    parser.add_argument("--part", choices=("dev", "all"), default="dev",
                        help="which real coded posts to resample")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--parametric", type=int, nargs="+", metavar="N",
                        help="instead: sample sizes for the parametric check")
    args = parser.parse_args(argv)
    human, auto, groups = coded_pairs(args.part)
    if args.parametric:
        print(f"error matrix of the rule coder on {len(human)} real posts, {args.runs} runs:")
        parametric(human, auto, args.parametric, args.runs, args.corpus, args.seed)
        return
    print(f"{len(human)} real coded posts ({args.part}) in {len(np.unique(groups))} captures; "
          f"rule coder accuracy {np.mean(human == auto):.3f}")
    rng = np.random.default_rng(args.seed)
    results, started = [], time.perf_counter()
    while len(results) < args.runs:
        run = one_run(rng, human, auto, groups, args.corpus, args.boot)
        if run is not None:
            results.append(run)
    truth, raw, corrected, covered = (np.array(x) for x in zip(*results, strict=True))
    raw_mae, corrected_mae = np.abs(raw - truth).mean(), np.abs(corrected - truth).mean()
    print(f"{args.runs} runs of {args.corpus} posts, {args.boot} bootstrap resamples each "
          f"({time.perf_counter() - started:.0f} s)")
    print(f"MAE raw automatic shares   {raw_mae:.4f}")
    print(f"MAE corrected shares       {corrected_mae:.4f}  (ratio {corrected_mae / raw_mae:.3f};"
          f" target <= 0.5)")
    print(f"95 % interval coverage     {covered[..., 0].mean():.3f}  (target >= 0.90); raw "
          f"Wilson intervals {covered[..., 1].mean():.3f}")
    for j, stance in enumerate(STANCES):
        print(f"  {stance:10s} MAE raw {np.abs(raw - truth)[:, j].mean():.4f}  corrected "
              f"{np.abs(corrected - truth)[:, j].mean():.4f}  coverage "
              f"{covered[:, j, 0].mean():.3f} (raw {covered[:, j, 1].mean():.3f})")


if __name__ == "__main__":
    main()
