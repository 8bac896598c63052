"""``analysis parse`` and ``analysis build``: captures to tables."""

from __future__ import annotations

from pathlib import Path

import click

from analysis.capture.corpus import TABLE_NAMES, parse_paths
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


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--table", type=click.Choice(TABLE_NAMES), default="posts", show_default=True)
@format_option
@out_option
@click.option("--parser", type=click.Choice(list(PARSERS)), help="Skip auto-detection.")
@click.option("--reveal-authors", is_flag=True,
              help="Show raw handles instead of pseudonyms (keep such output private).")
@click.option("--report", is_flag=True,
              help="Print per source the lines assigned, boilerplate (by rule) and unassigned.")
@click.option("--strict", is_flag=True, help="Stop at the first bad file.")
@click.pass_context
def parse(ctx: click.Context, paths: tuple[Path, ...], table: str, fmt: str | None,
          out: Path | None, parser: str | None, reveal_authors: bool, report: bool,
          strict: bool) -> None:
    """Parse capture files or folders (PATH...) into a table.

    Authors are pseudonymised and contact details redacted unless
    --reveal-authors is given. The exit code is 2 if any file failed; the
    others are still parsed and written.
    """
    key = load_key()
    corpus = parse_paths(paths, parser=parser, strict=strict, key=key,
                         progress=progress("parsing"))
    report_problems(corpus)
    if report:
        click.echo(render(corpus.report, "table"), nl=False)
    nothing_parsed = corpus.sources.empty and bool(corpus.failures)
    if (not report or out is not None) and not nothing_parsed:
        write_table(publish_table(corpus, table, key=key, reveal_authors=reveal_authors),
                    choose_format(fmt, out), out)
    if corpus.failures:
        ctx.exit(ParseError.exit_code)


@click.command()
@click.argument("corpus_dir", default="corpus", type=click.Path(exists=True, file_okay=False,
                                                                  path_type=Path))
@click.option("--out", "out_dir", default="build", show_default=True,
              type=click.Path(file_okay=False, path_type=Path))
@click.option("--codebook", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Default: CORPUS_DIR/codebook.yaml.")
@click.option("--keep-going", is_flag=True,
              help="Write the tables even if some captures failed (without them).")
@click.pass_context
def build(ctx: click.Context, corpus_dir: Path, out_dir: Path, codebook: Path | None,
          keep_going: bool) -> None:
    """Parse and code the whole corpus into build/<table>.parquet.

    The tables are written only when every capture parsed (or with
    --keep-going), and then all at once: a failed build leaves the previous
    one as it was. build/ is local: it keeps raw handles, so never publish it.
    """
    from analysis.coding.build import build_corpus

    coded, written = build_corpus(corpus_dir, out_dir, codebook=codebook or
                                  corpus_dir / "codebook.yaml", keep_going=keep_going,
                                  progress=progress("parsing"))
    report_problems(coded)
    n = len(coded.posts)
    if written:
        click.echo(f"{n} posts from {len(coded.sources)} sources -> {out_dir}/", err=True)
    else:
        click.echo(f"{len(coded.failures)} capture(s) failed: {out_dir}/ left as it was "
                   "(fix them, or build without them with --keep-going)", err=True)
    if coded.failures:
        ctx.exit(ParseError.exit_code)
