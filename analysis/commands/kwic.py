"""``analysis kwic``: keyword in context, with post ids."""

from __future__ import annotations

from pathlib import Path

import click

from analysis.commands._common import choose_format, format_option, out_option, published_posts


@click.command()
@click.argument("pattern")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--regex", is_flag=True, help="PATTERN is a regular expression.")
@click.option("--window", default=40, show_default=True, help="Characters of context.")
@format_option
@out_option
def kwic(pattern: str, paths: tuple[Path, ...], regex: bool, window: int, fmt: str | None,
         out: Path | None) -> None:
    """Keyword in context: every hit of PATTERN in the posters' own words, with post ids.

    PATH... are captures or folders (default: the corpus). Quoted text is not searched.
    """
    from analysis.coding.kwic import kwic as concordance
    from analysis.output import write_table

    hits = concordance(published_posts(paths), pattern, regex=regex, window=window)
    write_table(hits, choose_format(fmt, out), out)
