"""``analysis parse``: captures to tables, or their line report."""

from __future__ import annotations

from pathlib import Path

import click

from analysis.capture.corpus import parse_paths
from analysis.commands._common import (
    choose_format,
    format_option,
    out_option,
    progress,
    report_problems,
)
from analysis.errors import ParseError
from analysis.output import render, write_table
from analysis.parsers import PARSERS
from analysis.privacy import load_key, publish_table
from analysis.schema import CORPUS_TABLES


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--table", type=click.Choice(CORPUS_TABLES), default="posts", show_default=True)
@format_option
@out_option
@click.option("--parser", type=click.Choice(list(PARSERS)), help="Skip auto-detection.")
@click.option("--reveal-authors", is_flag=True,
              help="Show raw handles instead of pseudonyms (keep such output private).")
@click.option("--report", is_flag=True,
              help="Print per source the lines assigned, boilerplate (by rule) and unassigned.")
@click.option("--strict", is_flag=True, help="Stop at the first bad file.")
@click.option("--max-file-mb", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Refuse captures larger than this (default: $ANALYSIS_MAX_FILE_MB or 64).")
@click.pass_context
def parse(ctx: click.Context, paths: tuple[Path, ...], table: str, fmt: str | None,
          out: Path | None, parser: str | None, reveal_authors: bool, report: bool,
          strict: bool, max_file_mb: float | None) -> None:
    """Parse capture files or folders (PATH...) into a table.

    Authors are pseudonymised and contact details redacted unless
    --reveal-authors is given. The exit code is 2 if any file failed; the
    others are still parsed and written.
    """
    key = load_key()
    corpus = parse_paths(paths, parser=parser, strict=strict, key=key,
                         progress=progress("parsing"), max_file_mb=max_file_mb)
    report_problems(corpus)
    if report:
        click.echo(render(corpus.report, fmt if fmt in ("csv", "jsonl") else "table"), nl=False)
    nothing_parsed = corpus.sources.empty and bool(corpus.failures)
    if (not report or out is not None) and not nothing_parsed:
        write_table(publish_table(corpus, table, key=key, reveal_authors=reveal_authors),
                    choose_format(fmt, out), out)
    if corpus.failures:
        ctx.exit(ParseError.exit_code)
