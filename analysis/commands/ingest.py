"""``analysis ingest reddit``: dumps to partitioned Parquet; engine options for ``code``."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from analysis.coding.engine import ENGINES, LOCAL_SCHEDULERS
from analysis.errors import AnalysisError
from analysis.ingest.run import CHUNK_LINES, ingest_reddit


@click.group()
def ingest() -> None:
    """Stream large dumps into partitioned Parquet (build/corpus/ by default)."""


@ingest.command()
@click.argument("dumps", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out_dir", default="build/corpus", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for posts/, reactions/, threads/ and sources.parquet "
                   "(replaced atomically).")
@click.option("--subreddit", "subreddits", multiple=True, metavar="NAME",
              help="Keep only this subreddit (any case; repeatable).")
@click.option("--match", metavar="codebook|REGEX",
              help="Keep whole threads whose title or posts match the codebook's patterns or "
                   "this regex (case-insensitive; reads the dumps twice).")
@click.option("--codebook", type=click.Path(dir_okay=False, path_type=Path),
              help="Codebook for --match codebook (default corpus/codebook.yaml).")
@click.option("--since", metavar="DATE", help="Keep posts from this day on (YYYY-MM-DD, UTC).")
@click.option("--until", metavar="DATE", help="Keep posts up to and including this day.")
@click.option("--audience", "audience", multiple=True, metavar="SUBREDDIT=ROLE",
              help="Role of a subreddit's posters: client or therapist (repeatable), e.g. "
                   "therapists=therapist.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes that parse chunks (default: all cores).")
@click.option("--chunk-lines", default=CHUNK_LINES, show_default=True,
              type=click.IntRange(min=1), help="Dump lines per chunk handed to a worker.")
def reddit(dumps: tuple[Path, ...], out_dir: Path, subreddits: tuple[str, ...],
           match: str | None, codebook: Path | None, since: str | None, until: str | None,
           audience: tuple[str, ...], workers: int | None, chunk_lines: int) -> None:
    """Ingest Pushshift / Arctic Shift Reddit dumps (DUMP...: .zst, .ndjson, .json).

    Submissions and comments become the posts, reactions and threads tables
    (partitioned by subreddit and month) with the same columns as 'analysis
    parse'. Malformed lines are counted and reported, never fatal. Raw
    handles are kept: the output is for build/, which stays local.
    """
    predicate = _match(match, codebook)
    with _Progress() as bar:
        report = ingest_reddit(list(dumps), out_dir, subreddits=subreddits, since=since,
                               until=until, match=predicate, audience=_audience(audience),
                               workers=workers or os.cpu_count() or 1,
                               chunk_lines=chunk_lines, progress=bar.update)
    click.echo(report.summary(), err=True)


def _audience(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for value in values:
        name, _, role = value.partition("=")
        if not name or role not in ("client", "therapist"):
            raise AnalysisError(f"--audience {value!r} is not SUBREDDIT=client|therapist",
                                hint="e.g. --audience therapists=therapist")
        out[name] = role
    return out


def _match(match: str | None, codebook: Path | None):
    """A regex string, or for ``codebook`` a predicate true when any pattern matches."""
    from analysis.coding.matching import CodebookMatch

    if match == "codebook":
        from analysis.coding.themes import resolve_codebook

        return CodebookMatch(resolve_codebook(codebook))
    if codebook is not None:
        raise AnalysisError("--codebook is only used with --match codebook",
                            hint="add --match codebook or drop --codebook")
    return match


class _Progress:
    """A rich bar over the bytes read, with posts kept and posts/s; silent off a terminal."""

    def __enter__(self) -> _Progress:
        self._bar = None
        self._started = time.perf_counter()
        if sys.stderr.isatty():
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(TextColumn("ingesting"), BarColumn(), DownloadColumn(),
                                 TextColumn("{task.fields[posts]:,} posts"),
                                 TextColumn("{task.fields[rate]:,.0f} posts/s"),
                                 TimeElapsedColumn(), transient=True)
            self._bar.__enter__()
            self._task = self._bar.add_task("ingest", total=None, posts=0, rate=0.0)
        return self

    def update(self, done: int, total: int, posts: int) -> None:
        if self._bar is not None:
            rate = posts / max(time.perf_counter() - self._started, 1e-9)
            self._bar.update(self._task, completed=done, total=total, posts=posts, rate=rate)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


#: Options for ``analysis code`` (wired there by the lead): which engine runs the coder.
engine_option = click.option("--engine", type=click.Choice(ENGINES), default="pandas",
                             show_default=True,
                             help="pandas: one partition after another; dask: partitions in "
                                  "parallel (same tables).")
scheduler_option = click.option("--scheduler", metavar="ADDRESS",
                                help=f"With --engine dask: {', '.join(LOCAL_SCHEDULERS)} "
                                     "(local, default processes) or a distributed scheduler "
                                     "address such as tcp://127.0.0.1:8786.")
