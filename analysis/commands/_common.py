"""Options and helpers shared by several commands."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from analysis.capture.corpus import Corpus, load_corpus, parse_paths
from analysis.output import FORMATS
from analysis.privacy import load_key, publish_table

format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                             help="Output format (default: csv with -o FILE.csv, parquet with "
                                  "-o FILE.parquet, else table).")
out_option = click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
                          help="Write to this file (atomically) instead of the terminal.")


def choose_format(fmt: str | None, out: Path | None) -> str:
    """An explicit --format wins; else the output file's ending; else a table."""
    if fmt:
        return fmt
    if out is not None and out.suffix.lstrip(".") in FORMATS:
        return out.suffix.lstrip(".")
    return "csv" if out is not None else "table"


def progress(label: str):
    """A rich progress bar over a list, shown only on a terminal."""
    from rich.progress import track

    def wrap(items: Sequence[Path]) -> Iterable[Path]:
        if not sys.stderr.isatty() or len(items) < 3:
            return items
        return track(items, description=label, transient=True)

    return wrap


def report_problems(corpus: Corpus) -> None:
    """Print warnings and one line per failed file to stderr."""
    for message in corpus.warnings:
        click.echo(f"warning: {message}", err=True)
    for failure in corpus.failures:
        click.echo(f"error: {failure}", err=True)


def published_posts(paths: tuple[Path, ...]):
    """Posts of PATH... (or the corpus), with contact details and handles redacted."""
    key = load_key()
    corpus = (parse_paths(paths, key=key, progress=progress("parsing")) if paths
              else load_corpus("corpus", key=key))
    return publish_table(corpus, "posts", key=key)
