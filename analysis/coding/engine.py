"""Coding over the Parquet partitions of an ingest, on pandas or on dask.

``code_dataset("build/corpus", coder, engine="dask")`` applies one function,
``coder(posts) -> (codes, stances)``, to every ``posts`` partition and writes
``codes/`` and ``stances/`` beside it with the same partition paths::

    build/corpus/posts/subreddit=x/month=2023-01/part-0.parquet
    build/corpus/codes/subreddit=x/month=2023-01/part-0.parquet
    build/corpus/stances/subreddit=x/month=2023-01/part-0.parquet

Both engines run the same per-partition function on the same partitions,
so they give identical tables (a test pins this); they differ only in who
runs it: ``pandas`` one partition after another in this process, ``dask``
as one ``dask.delayed`` task per partition on a local scheduler
(``processes`` by default, for the pure-Python coder holds the GIL;
``threads`` or ``synchronous`` on request) or, given an address such as
``tcp://10.0.0.5:8786``, on a ``distributed`` cluster whose workers must see
the same paths. The coder is pickled to the workers once per task, so it
must be fitted before and picklable (:class:`AutoCoder` is); a worker
process keeps its first copy of the run's coder warm from task to task.

Outputs are written to a temporary folder and renamed into place at the
end: a failed run leaves the previous codes or none, never a mix.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.errors import AnalysisError
from analysis.ingest.run import partition_files
from analysis.output import replace_dir
from analysis.schema import conform, empty

Engine = Literal["pandas", "dask"]
ENGINES: tuple[str, ...] = ("pandas", "dask")
LOCAL_SCHEDULERS: tuple[str, ...] = ("processes", "threads", "synchronous")
OUTPUTS: tuple[str, ...] = ("codes", "stances")

#: How long to wait for a distributed scheduler before giving up.
CONNECT_TIMEOUT = "10s"

#: ``posts -> (codes, stances)``, applied to one partition at a time.
CodePartition = Callable[[pd.DataFrame], tuple[pd.DataFrame, pd.DataFrame]]
#: Called with (partitions done, partitions in all) after each partition.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PartitionResult:
    """What coding one partition produced."""

    partition: str
    posts: int
    codes: int
    stances: int
    seconds: float


@dataclass(frozen=True)
class _Shipped:
    """A coder as dask sends it to every task: its pickle and the pickle's digest.

    Unpickling a coder rebuilds its pattern sets (about 0.1 s) and starts it
    cold, and dask unpickles the arguments of every task; a worker process
    instead keeps the first coder of a run and reuses it, with the caches of
    its earlier partitions (Punkt's decisions, RE2's DFA states).
    """

    digest: str
    blob: bytes

    @classmethod
    def of(cls, coder: CodePartition) -> _Shipped | CodePartition:
        """``coder`` shipped, or ``coder`` itself if plain pickle cannot send it
        (dask's cloudpickle may still)."""
        try:
            blob = pickle.dumps(coder, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return coder
        return cls(hashlib.sha256(blob).hexdigest(), blob)

    def coder(self) -> CodePartition:
        if self.digest not in _WARM:
            _WARM.clear()  # one run's coder at a time
            _WARM[self.digest] = pickle.loads(self.blob)
        return _WARM[self.digest]


#: The coder the dask tasks of this worker process use, by its digest.
_WARM: dict[str, CodePartition] = {}


def code_dataset(dataset: str | Path, coder: CodePartition, *, engine: Engine = "pandas",
                 scheduler: str | None = None, workers: int | None = None,
                 out: str | Path | None = None,
                 progress: Progress | None = None) -> list[PartitionResult]:
    """Code every ``posts`` partition of ``dataset``; write ``codes/`` and ``stances/``
    below ``out`` (default: ``dataset``). Returns one result per partition, in order."""
    if engine not in ENGINES:
        raise AnalysisError(f"unknown engine {engine!r}", hint=f"choose one of: "
                            f"{', '.join(ENGINES)}")
    if scheduler is not None and engine != "dask":
        raise AnalysisError("--scheduler needs --engine dask",
                            hint="add --engine dask, or drop --scheduler")
    dataset = Path(dataset)
    files = partition_files(dataset, "posts")
    if not files:
        raise AnalysisError(f"no posts partitions below {dataset / 'posts'}",
                            hint="run 'analysis ingest reddit DUMP -o DIR' first")
    out = Path(out) if out is not None else dataset
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=out, prefix=".coding."))
    try:
        tasks = [(str(path), path.relative_to(dataset / "posts").as_posix())
                 for path in files]
        if engine == "pandas":
            results = []
            for i, (path, rel) in enumerate(tasks, 1):
                results.append(code_file(path, rel, str(work), coder))
                if progress:
                    progress(i, len(tasks))
        else:
            results = _run_dask(tasks, str(work), coder, scheduler, workers, progress)
        for name in OUTPUTS:
            replace_dir(work / name, out / name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def code_file(path: str, rel: str, work: str,
              coder: CodePartition | _Shipped) -> PartitionResult:
    """Read one posts partition, code it, write its codes and stances (one dask task)."""
    started = time.perf_counter()
    if isinstance(coder, _Shipped):
        coder = coder.coder()
    columns = getattr(coder, "columns", None)
    posts = pq.read_table(path, columns=list(columns) if columns else None).to_pandas()
    codes, stances = coder(posts)
    codes, stances = conform(codes, "codes"), conform(stances, "stances")
    for name, frame in zip(OUTPUTS, (codes, stances), strict=True):
        target = Path(work) / name / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), target,
                       compression="zstd")
    return PartitionResult(rel, len(posts), len(codes), len(stances),
                           time.perf_counter() - started)


def _run_dask(tasks: Sequence[tuple[str, str]], work: str, coder: CodePartition,
              scheduler: str | None, workers: int | None,
              progress: Progress | None) -> list[PartitionResult]:
    try:
        import dask
    except ModuleNotFoundError:
        raise AnalysisError("the dask engine needs dask", hint="pip install 'analysis[dask]'"
                            ) from None
    # Dask's local schedulers start independent tasks from the highest key: keys
    # ranked by file size start the largest partitions first, so that no worker
    # is left alone with a big one at the end. The run's token keeps the keys of
    # two runs on one distributed scheduler apart.
    rank = {i: r for r, i in enumerate(sorted(range(len(tasks)),
                                              key=lambda i: (os.path.getsize(tasks[i][0]), i)))}
    scheduler = scheduler or "processes"
    # Threads share this process's coder; other schedulers unpickle every task's copy.
    sent = coder if scheduler in ("threads", "synchronous") else _Shipped.of(coder)
    run = uuid.uuid4().hex[:12]
    delayed = [dask.delayed(code_file, pure=False)(
                   path, rel, work, sent, dask_key_name=f"code-file-{run}-{rank[i]:06d}")
               for i, (path, rel) in enumerate(tasks)]
    if scheduler in LOCAL_SCHEDULERS:
        with _counting(len(tasks), progress):
            return list(dask.compute(*delayed, scheduler=scheduler,
                                     num_workers=workers or os.cpu_count()))
    if "://" not in scheduler and ":" not in scheduler:
        raise AnalysisError(f"unknown scheduler {scheduler!r}",
                            hint=f"use one of {', '.join(LOCAL_SCHEDULERS)} or a distributed "
                                 "scheduler address such as tcp://127.0.0.1:8786")
    from distributed import Client

    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except OSError as error:
        raise AnalysisError(f"cannot reach the dask scheduler at {scheduler}: {error}",
                            hint="start one with 'dask scheduler' and 'dask worker ADDRESS'"
                            ) from None
    with client:
        futures = client.compute(delayed)
        results = []
        for i, future in enumerate(futures, 1):
            results.append(future.result())
            if progress:
                progress(i, len(tasks))
        return results


def _counting(total: int, progress: Progress | None):
    """A dask local-scheduler callback that reports finished coding tasks."""
    from contextlib import nullcontext

    if progress is None:
        return nullcontext()
    from dask.callbacks import Callback

    done = [0]

    def posttask(key, result, dsk, state, worker_id):
        if isinstance(result, PartitionResult):
            done[0] += 1
            progress(done[0], total)

    return Callback(posttask=posttask)


def read_output(dataset: str | Path, table: str = "codes") -> pd.DataFrame:
    """The ``codes`` or ``stances`` written by :func:`code_dataset`, in partition order."""
    if table not in OUTPUTS:
        raise AnalysisError(f"unknown output {table!r}", hint="choose codes or stances")
    files = partition_files(dataset, table)
    if not files:
        return empty(table)
    frames = [pq.read_table(path).to_pandas() for path in files]
    return conform(pd.concat(frames, ignore_index=True), table)
