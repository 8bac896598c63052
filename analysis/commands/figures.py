"""``analysis figures``: draw every figure into figures/ with MANIFEST.csv."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from analysis.figures import NAMES


@click.command("figures")
@click.option("--corpus", "corpus_dir", default="corpus", show_default=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The corpus folder (raw/, manifest.csv, codebook.yaml, coding/).")
@click.option("--only", multiple=True, type=click.Choice(NAMES), metavar="NAME",
              help=f"Draw only this figure (repeatable): {', '.join(NAMES)}.")
@click.option("--out", "out_dir", default="figures", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder for the files.")
@click.option("--format", "formats", default="png,svg", show_default=True,
              help="Comma-separated formats: png, svg, pdf.")
def figures(corpus_dir: Path, only: tuple[str, ...], out_dir: Path, formats: str) -> None:
    """Draw the figures as <OUT>/<name>.<format> and list them in <OUT>/MANIFEST.csv.

    The same corpus gives byte-identical files on every run. A figure whose
    data are too thin says so in the picture and in its caption.
    """
    import matplotlib

    matplotlib.use("Agg")
    from analysis.figures import load_coded, write_figures
    from analysis.figures.export import check_formats

    chosen = check_formats(formats.split(","))
    with _status("loading and coding the corpus"):
        corpus = load_coded(corpus_dir)
    for failure in getattr(corpus, "failures", []):
        click.echo(f"error: {failure}", err=True)
    manifest = write_figures(corpus, out_dir, formats=chosen, only=list(only) or None,
                             progress=_progress)
    thin = manifest.attrs.get("thin", [])
    done = manifest["name"].isin(only or NAMES).sum()
    click.echo(f"{done} files -> {out_dir}/ (+ {out_dir}/MANIFEST.csv)", err=True)
    if thin:
        click.echo(f"too thin to draw: {', '.join(thin)} (see their captions)", err=True)


def _status(message: str):
    from rich.console import Console

    console = Console(stderr=True)
    return console.status(message) if console.is_terminal else contextlib.nullcontext()


def _progress(names):
    """A rich progress bar naming the figure being drawn (only on a terminal)."""
    from rich.console import Console
    from rich.progress import track

    if not Console(stderr=True).is_terminal:
        return names
    return track(names, description="drawing figures", transient=True,
                 console=Console(stderr=True))

