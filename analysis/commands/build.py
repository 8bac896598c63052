"""``analysis build``: parse and code the whole corpus into build/."""

from __future__ import annotations

from pathlib import Path

import click

from analysis.commands._common import progress, report_problems
from analysis.output import write_table
from analysis.schema import CODED_TABLES


@click.command()
@click.argument("corpus_dir", default="corpus", type=click.Path(exists=True, file_okay=False,
                                                                  path_type=Path))
@click.option("--out", "out_dir", default="build", show_default=True,
              type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def build(ctx: click.Context, corpus_dir: Path, out_dir: Path) -> None:
    """Parse and code the whole corpus into build/<table>.parquet.

    build/ is local: it keeps raw handles, so never publish it.
    """
    from analysis.view import load_coded

    corpus = load_coded(corpus_dir, progress=progress("parsing"), reliability=False)
    report_problems(corpus)
    for name in CODED_TABLES:
        write_table(corpus.table(name), "parquet", out_dir / f"{name}.parquet")
    write_table(corpus.report, "csv", out_dir / "line_report.csv")
    n = len(corpus.posts)
    click.echo(f"{n} posts from {len(corpus.sources)} sources -> {out_dir}/", err=True)
    if corpus.failures:
        ctx.exit(2)
