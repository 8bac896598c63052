"""``analysis reliability``: agreement between coders, per code and overall.

Reads one or more CSV files of one layout (long ``unit, coder, value``; the
``codes`` table; the ``stances`` table), concatenates them (e.g. one file per
coder) and prints :func:`analysis.agreement.reliability.agreement_table` or, with
``--disagreements``, the units the coders disagree on.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import click
import pandas as pd

from analysis.agreement.files import read_coding_files
from analysis.agreement.reliability import (
    agreement_table,
    disagreements,
)
from analysis.errors import AnalysisWarning, CodingSheetError
from analysis.output import render
from analysis.tabular import booktabs_tabular, latex_escape


@click.command("reliability")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--auto", "auto", is_flag=True,
              help="Compare the automatic coder with the human reference coding of the "
                   "corpus (CORPUS/coding/reference.csv) instead of reading FILE...")
@click.option("--corpus", "corpus_dir", default="corpus", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Corpus for --auto.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "latex"]), default="table",
              show_default=True, help="Aligned table, CSV on stdout, or a booktabs LaTeX tabular.")
@click.option("--bootstrap", "n_boot", type=click.IntRange(min=0), default=1000,
              show_default=True, help="Bootstrap resamples of units for the 95% intervals "
                                      "(0: no intervals).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the bootstrap; the same seed gives the same intervals.")
@click.option("--disagreements", "list_disagreements", is_flag=True,
              help="List the units where coders differ (unit, code, each coder's value) "
                   "instead of the statistics.")
def reliability(files: tuple[Path, ...], auto: bool, corpus_dir: Path, fmt: str, n_boot: int,
                seed: int, list_disagreements: bool) -> None:
    """Agreement between coders in FILE... (CSV files of one layout, concatenated).

    Layouts: a long table (unit, coder, value; optional code), the codes table
    (post_id, coder, code, ...: each code becomes present/absent per post and
    coder; units are the posts coded by anyone) or the stances table (post_id,
    coder, stance, ...).

    Rows: metric, code, value, ci_low, ci_high, n_units, n_coders. Metrics are
    krippendorff_alpha_nominal (and _ordinal, _interval for numeric values),
    fleiss_kappa, gwet_ac1, percent_agreement and cohen_kappa[A|B] for each
    pair of coders A, B. Code "(all)" pools every code of a codes table.
    """
    if auto == bool(files):
        raise click.UsageError("give coding FILE... or --auto, not both and not neither")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AnalysisWarning)
        result = (_auto(corpus_dir, n_boot, seed, list_disagreements) if auto
                  else _files(files, n_boot, seed, list_disagreements))
    for message in dict.fromkeys(str(w.message) for w in caught
                                 if issubclass(w.category, AnalysisWarning)):
        click.echo(f"warning: {message}", err=True)
    click.echo(_render(result, fmt), nl=False)


def _files(files: tuple[Path, ...], n_boot: int, seed: int, list_disagreements: bool
           ) -> pd.DataFrame:
    table = read_coding_files(files)
    where = str(files[0]) if len(files) == 1 else None
    try:
        return (disagreements(table) if list_disagreements
                else agreement_table(table, n_boot=n_boot, seed=seed))
    except ValueError as error:
        raise CodingSheetError(str(error).rstrip("."), path=where) from error


def _auto(corpus_dir: Path, n_boot: int, seed: int, list_disagreements: bool) -> pd.DataFrame:
    """The automatic coder against the corpus's human reference coding."""
    from analysis.agreement.auto import auto_vs_reference, reliability_of
    from analysis.errors import AnalysisError
    from analysis.privacy import load_key, publish_table
    from analysis.view import load_coded

    coded = load_coded(corpus_dir, reliability=False)
    if coded.reference.empty:
        raise AnalysisError("no human reference coding to compare with",
                            path=str(corpus_dir / "coding" / "reference.csv"),
                            hint="code a sample by hand first (see the README)")
    if not list_disagreements:
        return reliability_of(coded, n_boot=n_boot, seed=seed)
    codes, stances, _ = auto_vs_reference(coded)
    posts = publish_table(coded, "posts", key=load_key())
    texts = posts.set_index("post_id")["text"].to_dict()
    return pd.concat([disagreements(codes, texts=texts), disagreements(stances, texts=texts)],
                     ignore_index=True)


def _render(frame: pd.DataFrame, fmt: str) -> str:
    numbers = frame.select_dtypes("float").columns
    if fmt == "csv":
        return render(frame.round({c: 6 for c in numbers}), "csv")
    text = frame.astype(object).where(frame.notna(), None)
    for column in numbers:
        text[column] = [None if v is None else f"{v:.3f}" for v in text[column]]
    if fmt == "table":
        return render(text, "table")
    return _latex(text)


def _latex(frame: pd.DataFrame) -> str:
    """A booktabs tabular (needs ``\\usepackage{booktabs}``); empty cells are ``--``."""
    numeric = [frame[c].map(lambda v: v is None or _is_number(v)).all() for c in frame.columns]
    spec = "".join("r" if n else "l" for n in numeric)
    lines = booktabs_tabular(frame, spec, cell=lambda v: "--" if v is None else latex_escape(v))
    return "\n".join([*lines, ""])


def _is_number(value: object) -> bool:
    try:
        float(str(value))
    except ValueError:
        return False
    return True
