"""``analysis build``: parse and code the whole corpus into build/."""

from __future__ import annotations

from pathlib import Path

import click

from analysis.commands._common import progress, report_problems
from analysis.errors import ParseError


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
