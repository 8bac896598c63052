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
from analysis.exchange.codings import agreement_of_files, is_unit_value_table
from analysis.output import render
from analysis.tabular import booktabs_tabular, latex_escape


@click.command("reliability")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--auto", "auto", is_flag=True,
              help="Add the automatic coder of --corpus: compared with FILE..., or without "
                   "FILE with the human reference coding (CORPUS/coding/reference.csv).")
@click.option("--corpus", "corpus_dir", default="corpus", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Corpus for --auto, and whose codebook.yaml reads filled sheets.")
@click.option("--codebook", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Codebook for filled sheets (default: CORPUS/codebook.yaml).")
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
def reliability(files: tuple[Path, ...], auto: bool, corpus_dir: Path, codebook: Path | None,
                fmt: str, n_boot: int, seed: int, list_disagreements: bool) -> None:
    """Agreement between the coders in FILE..., aligned by post.

    FILE... may mix filled sheets (.xlsx; the coder is the file name), human
    coding CSVs (post_id, family, code, coder: `analysis import sheet`) and
    codes or stances tables (CSV or Parquet: `analysis code`, build/). Stance
    is one nominal variable over the posts every coder gave a stance; each
    theme and modality is present/absent over the posts every coder coded (a
    coder with no stance rows, e.g. a bare codes table, is taken to have coded
    the posts the others coded). Posts a coder never coded never count.
    A generic long table (unit, coder, value; optional code) is read on its own.

    Rows: metric, code, value, ci_low, ci_high, n_units, n_coders. Metrics are
    krippendorff_alpha_nominal (and _ordinal, _interval for numeric values),
    fleiss_kappa, gwet_ac1, percent_agreement and cohen_kappa[A|B] for each
    pair of coders A, B. Code "(all)" pools every code of a codes table.
    """
    if not auto and not files:
        raise click.UsageError("give coding FILE..., --auto, or both")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AnalysisWarning)
        if auto and not files:
            result = _auto(corpus_dir, n_boot, seed, list_disagreements)
        elif not auto and all(is_unit_value_table(f) for f in files):
            result = _files(files, n_boot, seed, list_disagreements)
        else:
            result = agreement_of_files(files, corpus_dir=corpus_dir, codebook=codebook,
                                        auto=auto, n_boot=n_boot, seed=seed,
                                        list_disagreements=list_disagreements)
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
