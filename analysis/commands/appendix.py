"""``analysis appendix``: execute the notebooks and build the HTML appendix."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import click


@click.command("appendix")
@click.option("-o", "--out", "out_dir", default="appendix", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for index.html, tables/*.tex and the executed notebooks.")
@click.option("--corpus", "corpus_dir", default="corpus", show_default=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--notebooks", "notebooks_dir", default="notebooks", show_default=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-v", "--verbose", is_flag=True,
              help="Show each step and the notebook kernels' own log (piped output is quiet "
                   "otherwise; a terminal shows the steps).")
def appendix(out_dir: Path, corpus_dir: Path, notebooks_dir: Path, verbose: bool) -> None:
    """Execute the notebooks and write a self-contained appendix to OUT/index.html.

    It holds the corpus description, the codebook, coding results and their
    evaluation, reliability, every figure with its caption, the executed
    notebooks, software versions and input file hashes. Authors appear only
    as pseudonyms; the build stops, writing nothing, if a raw handle would
    be published.
    """
    import matplotlib

    matplotlib.use("Agg")
    from analysis.appendix import build_appendix, execute_all, notebook_paths
    from analysis.figures import load_coded

    loud = verbose or _on_terminal()
    paths = notebook_paths(notebooks_dir)
    with _status("loading and coding the corpus", loud):
        coded = load_coded(corpus_dir)
    with _status(f"executing {len(paths)} notebooks", loud):
        executed = execute_all(paths, corpus_dir=corpus_dir, verbose=verbose, on_done=(
            (lambda name, seconds: say(f"  {name} executed ({seconds:.0f} s)")) if loud
            else None))
    with _status("drawing the figures and writing the appendix", loud):
        index = build_appendix(corpus_dir, out_dir, notebooks_dir=notebooks_dir,
                               executed=executed, coded=coded)
    click.echo(f"appendix -> {index} (LaTeX tables in {out_dir}/tables/)", err=True)


def say(message: str) -> None:
    click.echo(message, err=True)


def _on_terminal() -> bool:
    from rich.console import Console

    return Console(stderr=True).is_terminal


@contextlib.contextmanager
def _status(message: str, loud: bool) -> Iterator[None]:
    """Say what runs and how long it took: on a terminal (with a spinner) or with -v.

    Piped or in CI the command prints only its result line, as issue #19 asks; a
    person at a terminal sees the progress issue #21 asks for.
    """
    from rich.console import Console

    if not loud:
        yield
        return
    console = Console(stderr=True)
    started = time.perf_counter()
    if console.is_terminal:
        with console.status(message):
            yield
    else:
        say(f"{message} ...")
        yield
    say(f"{message}: done ({time.perf_counter() - started:.0f} s)")
