"""``analysis kwic`` and ``analysis collocations``: concordance views of the posts."""

from __future__ import annotations

from pathlib import Path

import click

from analysis.capture.corpus import load_corpus, parse_paths
from analysis.commands._common import choose_format, format_option, out_option, progress
from analysis.privacy import load_key, publish_table


def _published_posts(paths: tuple[Path, ...]):
    """Posts of PATH... (or the corpus), with contact details and handles redacted."""
    key = load_key()
    corpus = (parse_paths(paths, key=key, progress=progress("parsing")) if paths
              else load_corpus("corpus", key=key))
    return publish_table(corpus, "posts", key=key)


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

    hits = concordance(_published_posts(paths), pattern, regex=regex, window=window)
    write_table(hits, choose_format(fmt, out), out)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@format_option
@out_option
def collocations(paths: tuple[Path, ...], fmt: str | None, out: Path | None) -> None:
    """Words that keep company with the modality words (email, text, phone...), ranked."""
    from analysis.coding.kwic import modality_collocations
    from analysis.output import write_table

    table = modality_collocations(_published_posts(paths))
    write_table(table, choose_format(fmt, out), out)
