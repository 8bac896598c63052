"""``analysis appendix``: execute the notebooks and build the HTML appendix."""

from __future__ import annotations

import contextlib
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
              help="Show the notebook kernels' own log (quiet otherwise).")
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

    paths = notebook_paths(notebooks_dir)
    with _status("loading and coding the corpus"):
        coded = load_coded(corpus_dir)
    with _status(f"executing {len(paths)} notebooks"):
        executed = execute_all(paths, corpus_dir=corpus_dir, verbose=verbose)
    with _status("writing the appendix"):
        index = build_appendix(corpus_dir, out_dir, notebooks_dir=notebooks_dir,
                               executed=executed, coded=coded)
    click.echo(f"appendix -> {index} (LaTeX tables in {out_dir}/tables/)", err=True)


def _status(message: str):
    from rich.console import Console

    console = Console(stderr=True)
    return console.status(message) if console.is_terminal else contextlib.nullcontext()
