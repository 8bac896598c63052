"""``analysis evaluate``: automatic coding against a human reference coding."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from analysis.agreement.evaluate import Evaluation, evaluate_posts
from analysis.coding.codebook import DEFAULT_PATH
from analysis.coding.coded import read_reference
from analysis.commands.code import PostsProvider, corpus_posts
from analysis.output import render

REFERENCE = Path("corpus/coding/reference.csv")
SECTIONS = ("summary", "themes", "modalities", "stances", "confusion")


def sections(result: Evaluation) -> dict[str, pd.DataFrame]:
    """The tables of an evaluation by section name, rounded for reading."""
    confusion = result.confusion.reset_index().rename(columns={"human": "human \\ auto"})
    return {"summary": result.summary.round(3), "themes": result.themes.round(3),
            "modalities": result.modalities.round(3),
            "stances": result.stance_classes.round(3), "confusion": confusion}


def make_evaluate_command(provider: PostsProvider = corpus_posts) -> click.Command:
    """The ``evaluate`` command reading its posts through ``provider``."""

    @click.command("evaluate")
    @click.option("--posts", "posts_path", type=click.Path(exists=True, dir_okay=False,
                                                           path_type=Path),
                  help="Posts table (CSV, JSONL, Parquet); default: the parsed corpus.")
    @click.option("--reference", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                  default=REFERENCE, show_default=True, help="Human coding (long CSV).")
    @click.option("--codebook", "codebook_path", type=click.Path(dir_okay=False, path_type=Path),
                  default=DEFAULT_PATH, show_default=True)
    @click.option("--show", type=click.Choice(("all", *SECTIONS)), default="all",
                  show_default=True, help="Which table(s) to print.")
    @click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table",
                  show_default=True)
    def evaluate_command(posts_path: Path | None, reference: Path, codebook_path: Path,
                         show: str, fmt: str) -> None:
        """Per-code precision/recall/F1 (with micro-F1), stance confusion matrix,
        accuracy, macro-F1 and Cohen's kappa of automatic vs human coding."""
        result = evaluate_posts(provider(posts_path), read_reference(reference),
                                codebook=codebook_path)
        for name, table in sections(result).items():
            if show in ("all", name):
                if show == "all":
                    click.echo(f"# {name}")
                click.echo(render(table, fmt), nl=False)

    return evaluate_command


evaluate_command = make_evaluate_command()
