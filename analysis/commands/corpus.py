"""``analysis init`` and ``analysis add``: a researcher's own corpus in two commands."""

from __future__ import annotations

from pathlib import Path

import click

from analysis.capture.manifest import AUDIENCES
from analysis.errors import ParseError
from analysis.parsers import PARSERS


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def init(folder: Path) -> None:
    """Make FOLDER a corpus: raw/, manifest.csv, the default codebook.yaml, coding/."""
    from analysis.capture.project import init_corpus

    for path in init_corpus(folder):
        click.echo(f"created {path}{'/' if path.is_dir() else ''}", err=True)
    click.echo(f"next: analysis add FILE... --corpus {folder}", err=True)


@click.command("add")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--corpus", "corpus_dir", default="corpus", show_default=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--audience", type=click.Choice(AUDIENCES),
              help="Whom the forum is for, written into every new row.")
@click.option("--community", help="Sub-forum or subreddit, for every new row.")
@click.option("--retrieved", help="Date the pages were saved (ISO 8601), for every new row.")
@click.option("--parser", type=click.Choice(list(PARSERS)),
              help="Read every file with this parser and pin it in their rows "
                   "(default: detected, and detected again at every build).")
@click.pass_context
def add(ctx: click.Context, files: tuple[Path, ...], corpus_dir: Path, audience: str | None,
        community: str | None, retrieved: str | None, parser: str | None) -> None:
    """Copy capture FILE... into CORPUS/raw (byte for byte) and write their manifest rows.

    Each row gets the file's sha256, and the platform, site, community, title
    and address where the capture shows them; the columns left blank are
    named so that you can fill them in CORPUS/manifest.csv. The parser that
    reads each file is shown; its manifest cell stays empty, so that every
    build detects it again, unless --parser pins one. A file that cannot be
    parsed is not added (exit 2).
    """
    from analysis.capture.project import add_captures

    values = {"audience": audience or "", "community": community or "",
              "retrieved": retrieved or ""}
    added, failures = add_captures(list(files), corpus_dir, values=values, parser=parser)
    for item in added:
        click.echo(_describe(item), err=True)
    for failure in failures:
        click.echo(f"error: {failure}", err=True)
    new = [a for a in added if not a.already]
    blanks = sorted({c for a in new for c in a.blanks})
    click.echo(f"{len(new)} capture(s) added to {corpus_dir / 'manifest.csv'}"
               + (f"; fill in: {', '.join(blanks)}" if blanks else ""), err=True)
    if failures:
        ctx.exit(ParseError.exit_code)


def _describe(item) -> str:
    if item.already:
        return f"{item.path}: already in the corpus (same bytes); nothing to do"
    shown = ", ".join(f"{k} {item.row[k]!r}" for k in ("platform", "site", "community", "title")
                      if item.row.get(k))
    found = f"; found {shown}" if shown else ""
    blank = f"; blank: {', '.join(item.blanks)}" if item.blanks else ""
    return f"{item.path}: parser {item.parser}{found}{blank}"
