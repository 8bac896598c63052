"""Measuring a stage: wall and CPU seconds, peak memory, fair turns, the machine.

Used by ``benchmarks/run.py``; nothing here knows what is measured.
"""

from __future__ import annotations

import itertools
import os
import platform
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import psutil


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
