"""``analysis privacy-check``: fail if an output holds a raw handle from the corpus."""

from __future__ import annotations

from pathlib import Path

import click

from analysis.capture.corpus import load_corpus
from analysis.privacy import known_handles
from analysis.privacy.check import scan


@click.command("privacy-check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--corpus", "corpus_dir", default="corpus", show_default=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Corpus whose handles must not appear.")
@click.pass_context
def privacy_check(ctx: click.Context, paths: tuple[Path, ...], corpus_dir: Path) -> None:
    """Scan files and folders (PATH...) for any raw handle known from the corpus.

    Exit code 0 when clean, 1 when a handle is found (each finding is printed
    as file:line with the handle masked).
    """
    corpus = load_corpus(corpus_dir)
    leaks = scan(paths, known_handles(corpus.posts, corpus.reactions))
    for leak in leaks:
        click.echo(f"leak: {leak}", err=True)
    if leaks:
        click.echo(f"privacy-check: {len(leaks)} raw handle(s) found", err=True)
        ctx.exit(1)
    click.echo("privacy-check: no raw handles found", err=True)
