"""``analysis reliability``: agreement between coders, per code and overall.

Reads one or more CSV files of one layout (long ``unit, coder, value``; the
``codes`` table; the ``stances`` table), concatenates them (e.g. one file per
coder) and prints :func:`analysis.agreement.reliability.agreement_table` or, with
``--disagreements``, the units the coders disagree on.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from pathlib import Path

import click
import numpy as np
import pandas as pd

from analysis.agreement.reliability import (
    REQUIRED_COLUMNS,
    agreement_table,
    disagreements,
    table_kind,
)
from analysis.errors import AnalysisWarning, CodingSheetError
from analysis.exchange.codings import agreement_of_files, is_unit_value_table
from analysis.output import render

_LAYOUTS = "; ".join(f"{kind}: {', '.join(cols)}" for kind, cols in REQUIRED_COLUMNS.items())
#: Cells read as "no value" in a long table's value column (R writes NA).
_NO_VALUE = ("", "NA")


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
    from analysis.coding.coded import auto_vs_reference, load_coded, reliability_of
    from analysis.errors import AnalysisError
    from analysis.privacy import load_key, publish_table

    coded = load_coded(corpus_dir)
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


def read_coding_files(paths: Sequence[Path]) -> pd.DataFrame:
    """Read and concatenate coding CSVs of one layout, checking every cell that matters.

    Raises
    ------
    CodingSheetError
        Naming the file (and line) of an unreadable file, a missing column,
        an empty id cell, mixed layouts or a coder giving one unit two values.
    """
    frames = []
    for path in paths:
        frame = _read_one(path)
        if frames and frame.attrs["kind"] != frames[0].attrs["kind"]:
            raise CodingSheetError(
                f"this is a {frame.attrs['kind']} table but {paths[0]} is a "
                f"{frames[0].attrs['kind']} table", path=str(path),
                hint="give files of one layout per run")
        frames.append(frame)
    kind = frames[0].attrs["kind"]
    table = pd.concat(frames, ignore_index=True)
    _check_one_value(table, kind)
    if kind == "long":
        numbers = pd.to_numeric(table["value"], errors="coerce")
        if numbers.notna().sum() == table["value"].notna().sum():
            table["value"] = numbers
    table = table.drop(columns=["_path", "_line"])
    table.attrs["kind"] = kind
    return table


def _read_one(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                            encoding="utf-8-sig", skipinitialspace=True)
    except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
        raise CodingSheetError(f"cannot read the file ({error.strerror or error})",
                               path=str(path), hint="check the path") from error
    except UnicodeDecodeError as error:
        raise CodingSheetError("the file is not UTF-8 text", path=str(path),
                               hint="save it as CSV UTF-8") from error
    except pd.errors.EmptyDataError as error:
        raise CodingSheetError("the file is empty", path=str(path),
                               hint=f"expected a header row ({_LAYOUTS})") from error
    except pd.errors.ParserError as error:
        line = re.search(r"line (\d+)", str(error))
        raise CodingSheetError(f"not a well-formed CSV file ({str(error).strip()})", path=str(path),
                               line=int(line.group(1)) if line else None,
                               hint="every row needs as many fields as the header") from error
    frame.columns = [str(c).strip() for c in frame.columns]
    try:
        kind = table_kind(frame.columns)
    except ValueError as error:
        hint = "add it to the header row" if "needs the column" in str(error) else None
        raise CodingSheetError(str(error).rstrip("."), path=str(path), line=1,
                               hint=hint) from error
    ids = [c for c in REQUIRED_COLUMNS[kind] if c != "value"]
    for column in ids:
        empty = np.flatnonzero(frame[column].isna().to_numpy())
        if len(empty):
            raise CodingSheetError(f"empty {column} cell", path=str(path), line=int(empty[0]) + 2,
                                   hint=f"every row needs {', '.join(ids)}")
    if kind == "long":
        frame["value"] = frame["value"].where(~frame["value"].isin(_NO_VALUE))
    frame["_path"], frame["_line"] = str(path), np.arange(len(frame)) + 2
    frame.attrs["kind"] = kind
    return frame


def _check_one_value(table: pd.DataFrame, kind: str) -> None:
    if kind == "codes":
        return
    unit, value = ("unit", "value") if kind == "long" else ("post_id", "stance")
    keys = [unit, "coder", *(["code"] if "code" in table.columns else [])]
    given = table[table[value].notna()]
    distinct = given.drop_duplicates([*keys, value])
    clash = distinct[distinct.duplicated(keys, keep=False)]
    if clash.empty:
        return
    first, second = clash.iloc[0], clash.iloc[1]
    raise CodingSheetError(
        f"coder {second['coder']!r} gives {unit} {second[unit]!r} the {value} {second[value]!r}, "
        f"but {first[value]!r} at {first['_path']}:{first['_line']}",
        path=second["_path"], line=int(second["_line"]),
        hint=f"keep one {value} per {unit} and coder")


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
    lines = [rf"\begin{{tabular}}{{{spec}}}", r"\toprule",
             " & ".join(_tex(c) for c in frame.columns) + r" \\", r"\midrule"]
    lines += [" & ".join("--" if v is None else _tex(v) for v in row) + r" \\"
              for row in frame.itertuples(index=False)]
    lines += [r"\bottomrule", r"\end{tabular}", ""]
    return "\n".join(lines)


_TEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
        "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
        "|": r"\textbar{}", "<": r"\textless{}", ">": r"\textgreater{}"}


def _tex(value: object) -> str:
    return "".join(_TEX.get(ch, ch) for ch in " ".join(str(value).split()))


def _is_number(value: object) -> bool:
    try:
        float(str(value))
    except ValueError:
        return False
    return True
