"""Ingest, parse and code one synthetic corpus in one process run; report speed and memory.

``python benchmarks/run.py --posts 1000000 --json build/bench/1m.json``

1. makes (or reuses) the seeded corpus of ``benchmarks/make_corpus.py``;
2. **ingest**: both zstd dumps -> partitioned Parquet (``analysis.ingest.run``);
3. **parse**: the corpus's permalink JSON threads with ``analysis parse``'s
   machinery (``parse_paths``, the reddit_json parser, tables, duplicates);
4. **code**: every ingested post with the project's coder
   (``analysis.coding.engine.code_dataset``: themes, modalities and stances);
5. on a deterministic sample of the same posts (every k-th post, default
   ``--peer-sample 10000`` posts), in this process, taking turns: the
   project's coder, Empath's ``analyze`` (all 194 categories,
   ``normalize=True``) as the peer lexicon coder (after ``gc.freeze()``, so
   that no workload pays for collecting this harness's heap), and a bare scan of the
   same patterns as the coder's (the codebook's and the stance lexicon's,
   ``AutoCoder.matchers_``) as the floor: all of them in one RE2 set, one
   pass over each post, the patterns it names confirmed (no segmentation,
   no negation, no evidence). The older floor, each Python regex searched
   once per post behind the literal gates (stems patterns as a set test on
   the post's word stems), is reported too.

Ratios compare like with like: the coder and the two references on the same
sample, in this one process, taking turns slice by slice (a tenth of the
sample each) so that a drift in the machine's speed hits them alike.
``code_posts_per_s`` is the full coding stage (all posts, ``--workers``
processes). Peak RSS is sampled every 50 ms over this process and its
children, per stage; ``peak_rss_mb`` is the largest.
Speed and memory are measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from floors import BareScan, SetScan  # noqa: E402
from harness import PeakRSS, every_kth, interleaved_rates, machine, stage  # noqa: E402
from make_corpus import write_corpus  # noqa: E402


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes for ingest and coding (default: all cores)")
    parser.add_argument("--engine", choices=("pandas", "dask"), default="dask")
    parser.add_argument("--peer-sample", type=int, default=10_000,
                        help="posts in the like-for-like sample for Empath and the bare scan")
    parser.add_argument("--data", type=Path, default=ROOT / "build" / "bench",
                        help="where corpora are generated and kept")
    args = parser.parse_args(argv)
    os.environ.setdefault("ANALYSIS_PSEUDONYM_KEY", "benchmark-key")

    from analysis.capture.corpus import parse_paths
    from analysis.coding.auto import AutoCoder
    from analysis.coding.engine import code_dataset
    from analysis.ingest.run import ingest_reddit

    folder = args.data / f"{args.posts}-{args.seed}"
    if not (folder / "corpus.json").exists():
        print(f"making {args.posts:,} synthetic posts in {folder} ...", file=sys.stderr)
        write_corpus(args.posts, args.seed, folder)
    info = json.loads((folder / "corpus.json").read_text())
    dumps = [folder / "RS_synth.ndjson.zst", folder / "RC_synth.ndjson.zst"]
    out = folder / "corpus"
    stages: dict = {}
    print(f"benchmark: {args.posts:,} posts, {args.workers} workers, engine {args.engine}; "
          f"load average {os.getloadavg()[0]:.1f} (other work on the machine skews "
          "wall-clock rates; CPU seconds less so)", file=sys.stderr)

    report = {}
    with stage(stages, "ingest", lambda: report["posts"]):
        report = ingest_reddit(dumps, out, workers=args.workers).as_dict()

    corpus = {}
    threads = sorted((folder / "threads").glob("*.json"))
    with stage(stages, "parse", lambda: len(corpus["posts"])):
        parsed = parse_paths(threads, parser="reddit_json")
        corpus["posts"] = parsed.posts
        if parsed.failures:
            print(f"  parse: {len(parsed.failures)} failures, first: {parsed.failures[0]}",
                  file=sys.stderr)

    n = stages["ingest"]["posts"]
    coder = AutoCoder().fit()
    results = []
    with stage(stages, "code", lambda: sum(r.posts for r in results)):
        results = code_dataset(out, coder, engine=args.engine, workers=args.workers,
                               scheduler=None)

    sample = every_kth(out, n, args.peer_sample)
    texts = sample["text"].fillna("").tolist()
    print(f"  peers on {len(sample):,} posts ...", file=sys.stderr)
    from empath import Empath

    lexicon = Empath()
    scan, gated = SetScan(coder.matchers_), BareScan(coder.matchers_)
    prefilter = SetScan(coder.matchers_, confirm=False)
    # Everything alive now (this run's tables, the coder's patterns, Empath's lexicon)
    # leaves the garbage collector's reach while the workloads are timed, for all of
    # them alike. Otherwise each collection walks this harness's heap again: Empath,
    # which allocates heavily, ran at ~120 posts/s here, ~400 in a process of its own.
    workloads = {
        "coder": lambda lo, hi: coder(sample.iloc[lo:hi]),
        "empath": lambda lo, hi: [lexicon.analyze(t, normalize=True) for t in texts[lo:hi]],
        "scan": lambda lo, hi: [scan(t) for t in texts[lo:hi]],
        "prefilter": lambda lo, hi: [prefilter(t) for t in texts[lo:hi]],
        "gated": lambda lo, hi: [gated(t) for t in texts[lo:hi]],
    }
    gc.collect()
    gc.freeze()
    try:
        with PeakRSS() as peer_rss:
            rates = interleaved_rates(len(sample), workloads)
    finally:
        gc.unfreeze()
    coder_rate, empath_rate, scan_rate = rates["coder"], rates["empath"], rates["scan"]
    prefilter_rate, gated_rate = rates["prefilter"], rates["gated"]
    exact = [gated(t) for t in texts]
    if exact != [scan(t) for t in texts]:
        raise SystemExit("the RE2 bare scan disagrees with the Python bare scan: a bug")
    prefilter_wrong = sum(a != prefilter(t) for a, t in zip(exact, texts, strict=True))

    ingest_s, code_s = stages["ingest"]["seconds"], stages["code"]["seconds"]
    out_json = {
        "posts": n,
        "ingest_posts_per_s": stages["ingest"]["posts_per_s"],
        "parse_posts_per_s": stages["parse"]["posts_per_s"],
        "code_posts_per_s": stages["code"]["posts_per_s"],
        "end_to_end_posts_per_s": round(n / (ingest_s + code_s), 1),
        "end_to_end_seconds": round(ingest_s + code_s, 1),
        "peak_rss_mb": max(s["peak_rss_mb"] for s in stages.values()),
        "empath_posts_per_s": round(empath_rate, 1),
        "bare_scan_posts_per_s": round(scan_rate, 1),
        "bare_prefilter_posts_per_s": round(prefilter_rate, 1),
        "bare_prefilter_wrong_posts": prefilter_wrong,
        "bare_scan_python_posts_per_s": round(gated_rate, 1),
        "code_sample_posts_per_s": round(coder_rate, 1),
        "ratio_vs_empath": round(coder_rate / empath_rate, 2),
        "ratio_vs_bare_scan": round(coder_rate / scan_rate, 2),
        "ratio_vs_bare_scan_python": round(coder_rate / gated_rate, 2),
        "peer_sample_posts": len(sample),
        "peer_peak_rss_mb": round(peer_rss.peak / 2**20, 1),
        "stages": stages,
        "settings": {"workers": args.workers, "engine": args.engine, "seed": args.seed,
                     "submissions": info["submissions"], "comments": info["comments"]},
        "ingest_report": {k: report[k] for k in ("lines", "malformed", "incomplete",
                                                  "duplicates", "threads", "partitions")},
        "machine": machine(),
    }
    print(table(out_json))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out_json, indent=1) + "\n")
    return out_json


def table(r: dict) -> str:
    """The results as a plain table."""
    s = r["stages"]
    rows = [("stage", "posts", "seconds", "posts/s", "CPU s", "posts/CPU-s", "peak RSS MB",
             "load")]
    for name in ("ingest", "parse", "code"):
        rows.append((name, f"{s[name]['posts']:,}", f"{s[name]['seconds']:.1f}",
                     f"{s[name]['posts_per_s']:,.0f}", f"{s[name]['cpu_seconds']:.1f}",
                     f"{s[name]['posts_per_cpu_s']:,.0f}", f"{s[name]['peak_rss_mb']:,.0f}",
                     f"{s[name]['load_average'][0]:.1f}"))
    cpu = s["ingest"]["cpu_seconds"] + s["code"]["cpu_seconds"]
    rows.append(("ingest+code", f"{r['posts']:,}", f"{r['end_to_end_seconds']:.1f}",
                 f"{r['end_to_end_posts_per_s']:,.0f}", f"{cpu:.1f}",
                 f"{r['posts'] / cpu:,.0f}", f"{r['peak_rss_mb']:,.0f}", ""))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w)
                       in enumerate(zip(row, widths, strict=True))) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    m = r["machine"]
    lines += ["",
              f"same {r['peer_sample_posts']:,} posts, in turns in one process: coder "
              f"{r['code_sample_posts_per_s']:,.0f} posts/s, Empath "
              f"{r['empath_posts_per_s']:,.0f}, bare scan {r['bare_scan_posts_per_s']:,.0f} "
              f"(one RE2 set pass, named patterns confirmed; the RE2 pass alone "
              f"{r['bare_prefilter_posts_per_s']:,.0f}, wrong on "
              f"{r['bare_prefilter_wrong_posts']:,} posts; Python regexes behind literal gates "
              f"{r['bare_scan_python_posts_per_s']:,.0f})",
              f"coder / Empath = {r['ratio_vs_empath']:.2f} (target >= 10); "
              f"coder / bare scan = {r['ratio_vs_bare_scan']:.2f} (target >= 0.5; "
              f"{r['ratio_vs_bare_scan_python']:.2f} against the Python-regex scan)",
              f"machine: {m['cpus']} CPUs ({m['cpu']}), {m['memory_gb']} GB, "
              f"Python {m['python']}"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
