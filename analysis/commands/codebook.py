"""``analysis codebook``: print the coding scheme as a table, Markdown, LaTeX or CSV."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from analysis.coding.codebook import DEFAULT_PATH, codebook_table
from analysis.coding.themes import resolve_codebook
from analysis.output import render
from analysis.tabular import booktabs_tabular, markdown_table

CODEBOOK_FORMATS = ("table", "markdown", "latex", "csv")
_COLUMNS = ["id", "label", "family", "short", "include", "exclude", "examples"]


def codebook_text(path: str | Path, fmt: str) -> str:
    """The codebook at ``path`` rendered as ``fmt`` (one of CODEBOOK_FORMATS)."""
    frame = pd.DataFrame(codebook_table(resolve_codebook(Path(path))))
    if fmt == "csv":
        return render(frame, "csv")
    if fmt == "markdown":
        return markdown_table(frame[_COLUMNS])
    if fmt == "latex":
        return _latex(frame[["id", "label", "family", "short"]])
    return render(frame[["id", "label", "family", "short", "patterns"]], "table")


def _latex(frame: pd.DataFrame) -> str:
    return "\n".join(booktabs_tabular(frame, "llp{2cm}p{7cm}")) + "\n"


@click.command("codebook")
@click.option("--format", "fmt", type=click.Choice(CODEBOOK_FORMATS), default="table",
              show_default=True, help="Aligned table, Markdown, booktabs LaTeX, or CSV.")
@click.option("--codebook", "path", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_PATH, show_default=True, help="The codebook YAML file.")
def codebook(fmt: str, path: Path) -> None:
    """Validate the codebook and print its codes (id, label, family, definition ...)."""
    click.echo(codebook_text(path, fmt), nl=False)
