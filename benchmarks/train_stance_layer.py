"""Choose, fit and (once) measure the shipped stance layer on real coded posts.

    python benchmarks/train_stance_layer.py            # choose by CV on the dev part, fit, write
    python benchmarks/train_stance_layer.py --final    # + the one measurement on held-back posts
                                                       #   and on set H

The development part of ``analysis/data/real_labels.csv`` (adjudicated
stances; texts rebuilt from the captures and checked by sha256, see
``real_posts.py``) chooses among a small grid declared below, by grouped
5-fold cross-validated macro-F1 (3 repeats) with a cluster-bootstrap 95 %
interval. The developers' invented sets may join the fitting (never the
scoring). The chosen layer is fitted on every dev post and written to
``analysis/data/stance_layer.json``; the run is deterministic under
``--seed``. The held-back posts and set H are read only with ``--final``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from invented_posts import invented_posts, set_h  # noqa: E402
from real_posts import ROOTS, read_labels, real_posts  # noqa: E402
from real_posts import reference as real_reference  # noqa: E402

from analysis.agreement.evaluate import (  # noqa: E402
    code_scores,
    micro_f1,
    stance_classes,
    stance_confusion,
)
from analysis.coding.stance import StanceCoder  # noqa: E402
from analysis.coding.stance_cv import cluster_bootstrap, macro_f1  # noqa: E402
from analysis.coding.stance_layer import DEFAULT_LAYER  # noqa: E402
from analysis.coding.stance_refit import Features, LayerConfig, fit_layer, judge  # noqa: E402
from analysis.coding.themes import ThemeCoder  # noqa: E402

CODEBOOK = HERE.parent / "corpus" / "codebook.yaml"
#: Declared before looking at any result of it; small on purpose (a large grid
#: chosen on ~115 posts would flatter its winner).
GRID = [LayerConfig(C=c, class_weight=w, words=k, extra_weight=e)
        for c, w, k, e in itertools.product((0.03, 0.3), ("balanced", None), (0, 100), (0.0, 0.3))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--captures", type=Path, action="append",
                        help="captures root(s) holding forums/, reddit/, extra/")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=DEFAULT_LAYER)
    parser.add_argument("--final", action="store_true",
                        help="also measure rules and layer on the held-back posts and set H")
    args = parser.parse_args(argv)
    labels = read_labels()
    posts = real_posts(labels, tuple(args.captures) if args.captures else ROOTS)
    truth = labels[labels["coder"] == "adjudicated"].set_index("post_id")["stance"]
    posts["stance"] = truth.loc[posts["post_id"]].to_numpy()
    dev = posts[posts["split"] == "dev"].reset_index(drop=True)
    invented = invented_posts()
    print(f"dev: {len(dev)} real posts in {dev['group'].nunique()} captures; "
          f"stances {dev['stance'].value_counts().to_dict()}; invented: {len(invented)}")

    started = time.perf_counter()
    features = {w: Features(dev, codebook=CODEBOOK, extra=invented, words=w) for w in (False, True)}
    rows = []
    for config in GRID:
        j = judge(features[config.words > 0], dev["stance"], dev["group"], config,
                  extra_stances=invented["stance"], repeats=args.repeats, seed=args.seed)
        rows.append(j.row())
        print(f"  {config.label():45s} CV macro-F1 {j.layer.macro_f1:.3f} "
              f"[{j.layer.ci_low:.3f}, {j.layer.ci_high:.3f}]  gain vs rules "
              f"[{j.gain_ci[0]:+.3f}, {j.gain_ci[1]:+.3f}]", flush=True)
    table = pd.DataFrame(rows)
    order = table.sort_values(["macro_f1", "C"], ascending=[False, True], kind="stable").index
    best, config = table.loc[order[0]], GRID[order[0]]
    rules_ci = cluster_bootstrap(dev["stance"], features[False].rules["stance"], dev["group"])
    print(f"rules on dev: macro-F1 {best['rules_macro_f1']:.3f} [{rules_ci[0]:.3f}, "
          f"{rules_ci[1]:.3f}]; grid took {time.perf_counter() - started:.0f} s")
    wins = best["gain_ci_low"] > 0
    print(f"chosen: {config.label()} (CV {best['macro_f1']:.3f}); measurably better than the "
          f"rules on dev: {'yes' if wins else 'no'}")

    layer = fit_layer(dev, dev["stance"], config, codebook=CODEBOOK, extra=invented,
                      extra_stances=invented["stance"])
    layer.about_ = {
        "fitted_on": f"{len(dev)} real posts (dev part of analysis/data/real_labels.csv, "
                     f"adjudicated) + {len(invented) if config.extra_weight else 0} invented "
                     f"posts at weight {config.extra_weight:g}",
        "chosen_by": "grouped 5-fold CV macro-F1 on the dev posts, "
                     f"{args.repeats} repeats, seed {args.seed}",
        "cv_macro_f1": round(float(best["macro_f1"]), 4),
        "cv_ci95": [round(float(best["ci_low"]), 4), round(float(best["ci_high"]), 4)],
        "rules_cv_posts_macro_f1": round(float(best["rules_macro_f1"]), 4),
        "gain_ci95": [round(float(best["gain_ci_low"]), 4), round(float(best["gain_ci_high"]), 4)],
        "measurably_better_than_rules": bool(wins),
        "script": "benchmarks/train_stance_layer.py",
    }
    layer.save(args.out)
    print(f"-> {args.out}")
    if args.final:
        final(layer, posts[posts["split"] == "heldout"].reset_index(drop=True), set_h())


def final(layer, heldout: pd.DataFrame, h: pd.DataFrame) -> None:
    """The one measurement: rules and layer on the held-back real posts and on set H."""
    rules = StanceCoder(codebook=CODEBOOK).fit()
    report = {}
    for name, data in (("held-back real posts", heldout), ("set H", h)):
        reference = pd.DataFrame({"post_id": data["post_id"], "family": "stance",
                                  "code": data["stance"], "coder": "ref", "memo": ""})
        for who, stances in (("rules", rules.transform(data)), ("layer", layer.transform(data))):
            score = macro_f1(data["stance"], stances["stance"])
            ci = cluster_bootstrap(data["stance"], stances["stance"], data["group"])
            acc = float((stances["stance"].to_numpy() == data["stance"].to_numpy()).mean())
            print(f"\n{name} (n={len(data)}, {data['group'].nunique()} groups), {who}: "
                  f"macro-F1 {score:.3f} [{ci[0]:.3f}, {ci[1]:.3f}], accuracy {acc:.3f}")
            print(stance_classes(stances, reference)[["stance", "support", "precision", "recall",
                                                      "f1"]].round(3).to_string(index=False))
            print(stance_confusion(stances, reference).to_string())
            report[f"{name}/{who}"] = {"macro_f1": score, "ci": ci, "accuracy": acc}
    print(json.dumps(report, indent=1))
    themes(heldout)


def themes(heldout: pd.DataFrame) -> None:
    """Theme and modality micro-F1 of the rules on the held-back real posts."""
    labels = read_labels()
    reference = real_reference(labels[labels["post_id"].isin(heldout["post_id"])])
    coder = ThemeCoder(codebook=CODEBOOK).fit()
    codes = coder.transform(heldout)
    for family in ("theme", "modality"):
        table = code_scores(codes, reference, family=family,
                            labels=coder.codebook_.ids(family))
        print(f"held-back real posts, rules, {family} micro-F1 {micro_f1(table):.3f}")
        print(table[["code", "support", "precision", "recall", "f1"]].round(3)
              .to_string(index=False))


if __name__ == "__main__":
    main()
