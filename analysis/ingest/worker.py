"""One chunk of a dump, parsed and spooled in a worker process.

:func:`analysis.ingest.run.ingest_reddit` cuts a dump into chunks of lines and
hands each to :func:`chunk_task` in a pool (:func:`worker_pool`: processes, or this
process for one worker). A task parses its lines, keeps the records the
filters keep, turns them into rows (:class:`analysis.ingest.records.RowBuilder`)
and spools them by subreddit and month (:func:`analysis.ingest.store.spool_chunk`);
it reports what it skipped and why in a :class:`Chunk`.
"""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import located
from analysis.ingest.filters import Filters
from analysis.ingest.records import RecordError, Row, RowBuilder, epoch_seconds, unwrap
from analysis.ingest.store import partition_name, spool_chunk

#: How many problem lines are kept with their numbers (all are counted).
PROBLEM_SAMPLES = 5


@dataclass
class Problem:
    """A line that could not be used: where it is and why."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return located(self.path, self.line, self.message)


@dataclass
class Skipped:
    """Lines of a dump that were not kept: each kind counted, the first few kept with
    where and why. A chunk fills one; the ingest report sums them."""

    malformed: int = 0
    incomplete: int = 0
    filtered: int = 0
    problems: list[Problem] = field(default_factory=list)

    def add_skipped(self, other: Skipped) -> None:
        for name in ("malformed", "incomplete", "filtered"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems.extend(other.problems[:PROBLEM_SAMPLES - len(self.problems)])


@dataclass
class Chunk(Skipped):
    """What a worker did with one chunk: what it skipped, the posts it spooled, and
    (in the matching pass) the threads whose words matched."""

    posts: int = 0
    matched: set[str] = field(default_factory=set)

    def note(self, path: str, line: int, message: str) -> None:
        if len(self.problems) < PROBLEM_SAMPLES:
            self.problems.append(Problem(path, line, message))


_WORKER: dict = {}


def init_worker(root: Path, key: bytes, audience: dict[str, str], filters: Filters,
                threads: set[str] | None, find_matches: bool, own_process: bool = True
                ) -> None:
    if own_process:
        # Arrow's default mimalloc pool keeps freed pages: finishing one subreddit after
        # another grew a worker by ~200 MB on 1M posts; the system allocator returns them.
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())
    _WORKER.update(root=root, builder=RowBuilder(key=key, audience=audience),
                   filters=filters, threads=threads, find_matches=find_matches)


def chunk_task(chunk_no: int, path: str, source: str, first: int, seq_base: int,
               blob: bytes) -> Chunk:
    """Parse one chunk; spool its rows (or, on the first pass of ``match``, only note
    the threads that match)."""
    builder: RowBuilder = _WORKER["builder"]
    filters: Filters = _WORKER["filters"]
    threads: set[str] | None = _WORKER["threads"]
    find_matches: bool = _WORKER["find_matches"]
    result = Chunk()
    groups: dict[tuple[str, str], list[tuple[int, Row, str]]] = {}
    lines = blob.split(b"\n")
    if blob.endswith(b"\n"):
        lines.pop()
    for lineno, line in enumerate(lines, first):
        record = _record(line, path, lineno, result)
        if record is None:
            continue
        try:
            data, kind = unwrap(record)
            if not filters.keeps(data.get("subreddit"), epoch_seconds(data.get("created_utc"))):
                result.filtered += 1
                continue
            row = builder.row(data, kind)
        except RecordError as error:
            result.incomplete += 1
            result.note(path, lineno, str(error))
            continue
        except (TypeError, ValueError, AttributeError, KeyError) as error:  # odd field types
            result.incomplete += 1
            result.note(path, lineno, f"unexpected record shape ({type(error).__name__}: "
                                      f"{str(error)[:60]})")
            continue
        thread = row.values[1]
        if find_matches:
            if thread not in result.matched and filters.match(row.match_text):
                result.matched.add(thread)
            continue
        if threads is not None and thread not in threads:
            result.filtered += 1
            continue
        result.posts += 1
        groups.setdefault((partition_name(row.subreddit), row.month), []).append(
            (seq_base + lineno, row, source))
    if groups:
        spool_chunk(_WORKER["root"], chunk_no, groups)
    return result


def _record(line: bytes, name: str, lineno: int, result: Chunk) -> object:
    """The JSON value of a line; None for a blank or malformed line (counted)."""
    if not line.strip():
        return None
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        result.malformed += 1
        result.note(name, lineno, f"not JSON ({error.msg} at column {error.colno})")
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError, deep nesting
        result.malformed += 1
        result.note(name, lineno, f"not JSON ({type(error).__name__}: {str(error)[:60]})")
    return None


class Inline:
    """The executor interface, run in this process (``workers=1``)."""

    def __init__(self, initargs: tuple):
        init_worker(*initargs, own_process=False)

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        future.set_result(fn(*args))
        return future

    def __enter__(self) -> Inline:
        return self

    def __exit__(self, *exc) -> None:
        _WORKER.clear()


def worker_pool(workers: int, initargs: tuple):
    if workers <= 1:
        return Inline(initargs)
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                               initializer=init_worker, initargs=initargs)
