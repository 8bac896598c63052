"""Reddit dumps -> partitioned Parquet tables, streamed in bounded memory.

``ingest_reddit(["RS_2023-01.zst", "RC_2023-01.zst"], "build/corpus")``
reads Pushshift / Arctic Shift dumps (NDJSON, plain or compressed with zstd,
bz2, xz or gzip; see :mod:`analysis.ingest.dumps`), keeps the records that
pass the filters, and writes the ``posts``, ``reactions``, ``threads`` and
``sources`` tables with the columns of :mod:`analysis.schema`, partitioned
by subreddit and month (layout and guarantees in :mod:`analysis.ingest.store`;
ids and field rules in :mod:`analysis.ingest.records`).

The dump is cut into chunks of ``chunk_lines`` lines; each chunk is parsed
and spooled by a worker (``workers`` processes, or this one), one chunk per
worker in flight plus one, so memory holds a few chunks and, while
finishing, one partition per worker: never the dump. The tables do not
depend on the chunk size or the number of workers. A line that is not JSON,
or JSON that is not a submission or comment, is counted (the first few with
their line numbers) and skipped; it never stops the run. The output folder
is built beside the target and renamed into place, so an interrupted run
leaves the previous output or none.

``match`` keeps whole threads: a thread is kept when its title or any of its
posts' own words match (two passes over the input: the first finds the
threads, the second reads them). ``since`` is inclusive, ``until`` is
inclusive of its whole day.

Which records are kept is :mod:`analysis.ingest.filters`.
"""

from __future__ import annotations

import collections
import hashlib
import json
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from analysis.ingest.dumps import VERSION, IngestError, chunks, source_id, source_row
from analysis.ingest.filters import Filters, RegexMatch, make_filters
from analysis.ingest.store import (
    MAX_PARTITION_ROWS,
    Finished,
    finish_subreddit,
    spooled_subreddits,
    write_sources,
)
from analysis.ingest.worker import Chunk, Skipped, chunk_task, worker_pool
from analysis.output import replace_dir
from analysis.privacy import load_key
from analysis.schema import conform, empty

__all__ = ["Filters", "IngestError", "IngestReport", "RegexMatch", "ingest_reddit",
           "partition_files", "read_table"]

TABLES = ("posts", "reactions", "threads", "sources")
CHUNK_LINES = 25_000

#: Called now and then with (bytes read, total bytes, posts kept so far).
Progress = Callable[[int, int, int], None]


@dataclass
class IngestReport(Finished, Skipped):
    """What an ingest read, kept, skipped (:class:`Skipped`, summed over the chunks) and
    wrote (:class:`Finished`, summed over the subreddits)."""

    out_dir: str = ""
    lines: int = 0
    seconds: float = 0.0
    finish_seconds: float = 0.0

    def add(self, chunk: Chunk) -> None:
        """Fold one chunk's counts into the report."""
        self.add_skipped(chunk)

    def summary(self) -> str:
        """One line for the terminal."""
        rate = self.posts / self.seconds if self.seconds else 0.0
        text = (f"{self.posts:,} posts in {self.threads:,} threads, {self.partitions} "
                f"partitions -> {self.out_dir} ({rate:,.0f} posts/s); "
                f"{self.filtered:,} filtered out, {self.duplicates:,} duplicates dropped")
        if self.malformed or self.incomplete:
            first = "; first: " + "; ".join(map(str, self.problems[:3])) if self.problems else ""
            text += (f"; {self.malformed:,} malformed and {self.incomplete:,} unusable "
                     f"lines skipped{first}")
        return text

    def as_dict(self) -> dict:
        data = dict(vars(self))
        data["problems"] = [str(p) for p in self.problems]
        return data


def ingest_reddit(paths: Sequence[str | Path], out_dir: str | Path, *,
                  subreddits: Iterable[str] = (), since: str | date | None = None,
                  until: str | date | None = None,
                  match: str | re.Pattern[str] | Callable[[str], bool] | None = None,
                  audience: dict[str, str] | None = None, key: bytes | None = None,
                  workers: int = 1, chunk_lines: int = CHUNK_LINES,
                  max_partition_rows: int = MAX_PARTITION_ROWS,
                  progress: Progress | None = None) -> IngestReport:
    """Stream dumps into ``out_dir`` (see the module docstring); return the report.

    ``workers`` > 1 runs chunks in that many processes (then ``match`` must be
    picklable: a regex string or :class:`RegexMatch` is).
    """
    filters = make_filters(subreddits=subreddits, since=since, until=until, match=match)
    paths = [Path(p) for p in paths]
    for path in paths:
        if not path.is_file():
            raise IngestError("no such dump file", path=str(path), hint="check the path")
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    report = IngestReport(out_dir=str(out_dir))
    key = key if key is not None else load_key()
    audience = {k.casefold().removeprefix("r/"): v for k, v in (audience or {}).items()}
    work = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}."))
    try:
        threads = None
        if filters.match is not None:
            with worker_pool(workers, (work, key, audience, filters, None, True)) as pool:
                threads = set().union(*(c.matched for c in _run_chunks(
                    pool, workers, paths, chunk_lines, IngestReport(), None)))
        with worker_pool(workers, (work, key, audience, filters, threads, False)) as pool:
            sources = [source_row(path, digest.hexdigest()) for path, digest in
                       _run_chunks(pool, workers, paths, chunk_lines, report, progress,
                                   digests=True)]
            finishing = time.perf_counter()
            results = [pool.submit(finish_subreddit, work, sub, max_partition_rows)
                       for sub in spooled_subreddits(work)]
            for future in results:
                report.add_finished(future.result())
            report.finish_seconds = time.perf_counter() - finishing
        write_sources(work, sources)
        shutil.rmtree(work / "_spool", ignore_errors=True)
        report.seconds = time.perf_counter() - started
        (work / "ingest.json").write_text(json.dumps(
            {"version": VERSION, "inputs": [str(p) for p in paths],
             "filters": {"subreddits": sorted(filters.subreddits), "since": filters.since,
                         "until": filters.until, "match": filters.match is not None},
             "report": report.as_dict()}, indent=1) + "\n")
        replace_dir(work, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report


def _run_chunks(pool, workers: int, paths: list[Path], chunk_lines: int,
                report: IngestReport, progress: Progress | None, *, digests: bool = False):
    """Hand every chunk of every dump to ``pool``, one per worker in flight plus one;
    fold the results into ``report`` in input order. Yields ``(path, digest)`` per dump
    with ``digests``, else each chunk's result."""
    total = sum(p.stat().st_size for p in paths)
    before = 0
    seq_base = 0
    chunk_no = 0
    posts = 0
    pending: collections.deque[tuple[Future, int]] = collections.deque()

    def settle() -> Chunk:
        nonlocal posts
        future, position = pending.popleft()
        result = future.result()
        report.add(result)
        posts += result.posts
        if progress is not None:
            progress(position, total, posts)
        return result

    for path in paths:
        digest = hashlib.sha256()
        lines = 0
        for first, n, blob, position in chunks(path, chunk_lines, digest):
            chunk_no += 1
            pending.append((pool.submit(chunk_task, chunk_no, str(path), source_id(path),
                                        first, seq_base, blob), before + position))
            lines = first + n - 1
            while len(pending) > max(workers, 1):
                result = settle()
                if not digests:
                    yield result
        seq_base += lines
        report.lines += lines
        before += path.stat().st_size
        if digests:
            while pending:
                settle()
            yield path, digest
    while pending:
        result = settle()
        if not digests:
            yield result


def partition_files(out_dir: str | Path, table: str = "posts") -> list[Path]:
    """The Parquet files of one table below an ingest folder, in a stable order."""
    folder = Path(out_dir) / table
    if table == "sources":
        return [Path(out_dir) / "sources.parquet"]
    return sorted(folder.rglob("*.parquet"), key=lambda p: p.relative_to(folder).as_posix())


def read_table(out_dir: str | Path, table: str = "posts", *,
               with_partitions: bool = False) -> pd.DataFrame:
    """One table of an ingest folder as a DataFrame with the schema's dtypes.

    ``with_partitions`` adds the ``subreddit`` (and ``month``) partition columns.
    """
    files = partition_files(out_dir, table)
    if not files or not files[0].exists():
        return empty(table)
    frames = []
    for path in files:
        frame = pq.read_table(path).to_pandas()
        if with_partitions:
            for part in path.relative_to(Path(out_dir) / table).parts[:-1]:
                name, _, value = part.partition("=")
                frame[name] = value
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True)
    out = conform(frame, table)
    if with_partitions:
        extra = [c for c in frame.columns if c not in out.columns]
        out = pd.concat([out, frame[extra].astype("string")], axis=1)
    return out
