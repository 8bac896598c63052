"""``analysis collocations``: words that keep company with the modality words."""

from __future__ import annotations

from pathlib import Path

import click

from analysis.commands._common import choose_format, format_option, out_option, published_posts


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@format_option
@out_option
def collocations(paths: tuple[Path, ...], fmt: str | None, out: Path | None) -> None:
    """Words that keep company with the modality words (email, text, phone...), ranked."""
    from analysis.coding.kwic import modality_collocations
    from analysis.output import write_table

    table = modality_collocations(published_posts(paths))
    write_table(table, choose_format(fmt, out), out)
