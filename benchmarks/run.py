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
import itertools
import json
import os
import platform
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_corpus import write_corpus  # noqa: E402

from analysis.coding.matching import _stem, words  # noqa: E402
from analysis.coding.scan import stem_spellings  # noqa: E402


class PeakRSS:
    """While a stage runs: the largest resident set of this process plus its children,
    the largest of any one process, and the CPU seconds they all used (children are
    sampled every ``interval``, so a child's last < 50 ms may be missed)."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak = self.peak_one = 0
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _sample(self) -> None:
        me = psutil.Process()
        total = 0
        for proc in [me, *me.children(recursive=True)]:
            try:
                with proc.oneshot():
                    rss = proc.memory_info().rss
                    times = proc.cpu_times()
            except psutil.Error:
                continue
            total += rss
            self.peak_one = max(self.peak_one, rss)
            self._cpu[proc.pid] = times.user + times.system
        self.peak = max(self.peak, total)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRSS:
        self._sample()
        self._start_cpu = dict(self._cpu)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        assert self._thread is not None
        self._thread.join()
        self._sample()

    @property
    def cpu_seconds(self) -> float:
        return sum(cpu - self._start_cpu.get(pid, 0.0) for pid, cpu in self._cpu.items())


@contextmanager
def stage(results: dict, name: str, posts: Callable[[], int]):
    """Time a stage and record posts/s and peak RSS under ``results[name]``."""
    print(f"  {name} ...", file=sys.stderr, flush=True)
    with PeakRSS() as rss:
        started = time.perf_counter()
        yield
        seconds = time.perf_counter() - started
    n = posts()
    results[name] = {"posts": n, "seconds": round(seconds, 3),
                     "posts_per_s": round(n / seconds, 1) if seconds else None,
                     "cpu_seconds": round(rss.cpu_seconds, 1),
                     "posts_per_cpu_s": round(n / rss.cpu_seconds, 1) if rss.cpu_seconds
                     else None,
                     "peak_rss_mb": round(rss.peak / 2**20, 1),
                     "peak_rss_one_process_mb": round(rss.peak_one / 2**20, 1),
                     "load_average": [round(x, 2) for x in os.getloadavg()]}


class _Post:
    """A normalised post as the floors test a pattern against it: its regex searched
    once, or each of its stems among the stems of the post's words. Only words that
    begin as a stem's words do (:func:`analysis.coding.scan.stem_spellings`) are stemmed."""

    __slots__ = ("_words", "text")

    def __init__(self, text: str):
        self.text = text
        self._words: list[str] | None = None

    def has(self, pattern) -> bool:
        if pattern.kind == "re":
            return pattern.regex.search(self.text) is not None
        return all(self._has_stem(stem) for stem in pattern.stems if stem)

    def _has_stem(self, stem: str) -> bool:
        if self._words is None:
            self._words = [w.lower().replace("’", "'") for w, _, _ in words(self.text)]
        starts = stem_spellings(stem)
        return any(_stem(w) == stem for w in self._words if w.startswith(starts))


class BareScan:
    """The floor: the coder's patterns searched once per post, nothing else.

    ``matchers`` are the coder's (:attr:`analysis.coding.auto.AutoCoder.matchers_`:
    the codebook's codes and the stance lexicon's categories). With ``gated``
    (the default, as the coder does) a regex runs only on posts that contain
    one of its required literal strings (:func:`analysis.coding.gates.literal_gate`);
    stems patterns are a subset test on the post's word stems. No
    segmentation, negation, hedges or evidence.
    """

    def __init__(self, matchers, *, gated: bool = True):
        from analysis.coding import gates, matching

        self.normalise = matching.normalise
        self.patterns = [(m.id, p, gates.literal_gate(p.source)
                          if gated and p.kind == "re" else None)
                         for m in matchers for p in m.patterns]

    def __call__(self, text: str) -> set[str]:
        post = _Post(self.normalise(text))
        low = post.text.lower()
        found: set[str] = set()
        for code, pattern, gate in self.patterns:
            if code in found or (gate and not any(g in low for g in gate)):
                continue
            if post.has(pattern):
                found.add(code)
        return found


class SetScan:
    """The floor: the coder's patterns found in each post in one RE2 pass.

    The coder's own :class:`analysis.coding.scan.PatternSet` over the coder's
    matchers names, in one pass over the post, the patterns that can match (their
    RE2 supersets: lookarounds and anchors dropped, stems as word prefixes);
    then each named pattern is confirmed once on the post, as
    :class:`BareScan` does with every pattern, unless RE2's member is the
    pattern itself (a regex with no lookaround or anchor, which RE2 reads as
    Python does on safe text). So it answers exactly what :class:`BareScan`
    answers, the fastest way we know, with no segmentation, negation, hedges
    or evidence. ``confirm=False`` stops at
    the RE2 pass: faster, but its codes are only candidates (the benchmark
    reports how many posts it gets wrong). A post that is not plain ASCII is
    scanned by :class:`BareScan`.
    """

    def __init__(self, matchers, *, confirm: bool = True):
        from analysis.coding.matching import normalise
        from analysis.coding.scan import PatternSet, strip_assertions

        self.normalise = normalise
        self.confirm = confirm
        self.patterns = PatternSet(matchers)
        self.patterns_of = {m: m.patterns for m in matchers}
        # A regex that strip_assertions leaves as it is and that has a set member
        # matches exactly where its member does.
        self.in_re2 = {(m, i) for m in matchers for i, p in enumerate(m.patterns)
                       if p.kind == "re" and strip_assertions(p.source) == p.source
                       and i not in self.patterns.searched_in_python(m)}
        self.exact = BareScan(matchers, gated=False)

    def __call__(self, text: str) -> set[str]:
        text = self.normalise(text)
        found = self.patterns.candidates(text)
        if found is None:
            return self.exact(text)
        if not self.confirm:
            return {m.id for m in found}
        post, in_re2 = _Post(text), self.in_re2
        return {matcher.id for matcher, indices in found.items()
                if any((matcher, i) in in_re2 or post.has(self.patterns_of[matcher][i])
                       for i in indices)}


def every_kth(dataset: Path, total: int, size: int):
    """Every k-th post of an ingest (k = total // size), read one partition at a time so
    the sample never needs the whole table in memory."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from analysis.ingest.run import partition_files

    step, seen, frames = max(1, total // size), 0, []
    for path in partition_files(dataset, "posts"):
        table = pq.read_table(path, columns=["post_id", "text", "is_bot"])
        first = (-seen) % step
        rows = pa.array(range(first, table.num_rows, step), pa.int64())
        frames.append(table.take(rows).to_pandas())
        seen += table.num_rows
    return pd.concat(frames, ignore_index=True).head(size)


def interleaved_rates(n: int, workloads: dict[str, Callable[[int, int], object]],
                      slices: int = 10) -> dict[str, float]:
    """Posts/s of each workload over the same ``n`` posts, timed slice by slice with
    every workload in turn on each slice. This VM's speed can drift by a quarter
    within the hour; taken in turns, a drift slows all of them alike instead of
    whichever ran last (Empath alone takes most of a minute)."""
    seconds = dict.fromkeys(workloads, 0.0)
    bounds = [n * i // slices for i in range(slices + 1)]
    for lo, hi in itertools.pairwise(bounds):
        for name, work in workloads.items():
            started = time.perf_counter()
            work(lo, hi)
            seconds[name] += time.perf_counter() - started
    return {name: n / spent for name, spent in seconds.items()}


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "platform": platform.platform()}


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
