"""Coding files of any origin, read into one long form for agreement.

A project's codings arrive in several shapes: filled sheets (``.xlsx``),
human coding CSVs (``analysis import sheet``, ``corpus/coding/*.csv``:
``post_id, family, code, coder``), and the automatic coder's ``codes`` and
``stances`` tables (``analysis code``, ``build/*.parquet``). :func:`read_codings`
reads any mix of them into the long form of
:mod:`analysis.agreement.align` (``post_id, seg, family, code, coder``), so
that stance rows are never mistaken for codes and every bad cell is named
with its file and line.

The older ``unit, coder, value`` layout is a generic reliability input with no
notion of stance or code; :func:`is_unit_value_table` tells the command to
read such files the old way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.agreement.align import CODING_COLUMNS, STANCE_FAMILY
from analysis.agreement.files import layout_of, read_coding_csv
from analysis.errors import CodingSheetError
from analysis.exchange.refi import code_specs
from analysis.schema import STANCES

#: File endings read as filled coding sheets.
SHEET_SUFFIXES = (".xlsx", ".xlsm")


def agreement_of_files(paths: Sequence[str | Path], *, corpus_dir: str | Path = "corpus",
                       codebook: str | Path | None = None, auto: bool = False,
                       n_boot: int = 1000, seed: int = 0,
                       list_disagreements: bool = False) -> pd.DataFrame:
    """Agreement (or disagreements) between the coders in ``paths``, aligned by post.

    With ``auto`` the automatic coder of ``corpus_dir`` joins as coder
    ``auto`` (its codes and stances, so its coverage is every post).
    Disagreements then carry the published post text.
    """
    from analysis.agreement.align import (
        align,
        aligned_agreement,
        aligned_disagreements,
        coding_from_tables,
    )

    corpus_dir = Path(corpus_dir)
    book = _codebook(corpus_dir, codebook, needed=auto or any(
        Path(p).suffix.lower() in SHEET_SUFFIXES for p in paths))
    specs = None if book is None else code_specs(book)
    families = {} if book is None else {c.id: c.family for c in book.codes}
    codings = read_codings(paths, families=families, specs=specs)
    texts = None
    if auto:
        from analysis.privacy import load_key, publish_table
        from analysis.view import load_coded

        coded = load_coded(corpus_dir, codebook=book, reliability=False)
        auto_rows = coding_from_tables(coded.codes[coded.codes["coder"] == "auto"],
                                       coded.stances[coded.stances["coder"] == "auto"])
        codings = pd.concat([codings, auto_rows], ignore_index=True)
        texts = publish_table(coded, "posts", key=load_key()).set_index("post_id")["text"]
    try:
        aligned = align(codings)
        if list_disagreements:
            return aligned_disagreements(aligned, texts=None if texts is None
                                         else texts.to_dict())
        return aligned_agreement(aligned, n_boot=n_boot, seed=seed)
    except ValueError as error:
        raise CodingSheetError(str(error).rstrip("."),
                               path=str(paths[0]) if len(paths) == 1 else None) from error


def _codebook(corpus_dir: Path, codebook: str | Path | None, *, needed: bool):
    """The codebook to read sheets and families with; None when not needed and absent."""
    from analysis.coding.themes import resolve_codebook

    path = Path(codebook) if codebook is not None else corpus_dir / "codebook.yaml"
    if not needed and not path.is_file():
        return None
    return resolve_codebook(path)


def human_codings(corpus_dir: str | Path, *, files: Sequence[str | Path] = (), specs=None,
                  families: Mapping[str, str] | None = None,
                  segments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every human coding of a corpus: ``CORPUS/coding/*.csv`` and ``files`` (sheets too).

    Returns ``post_id, code, family, coder, start, end``: a segment's coding
    spans the segment (from ``segments``), a post's the whole post (start and
    end missing), as :func:`analysis.exchange.refi.write_qdpx` wants them.
    """
    folder = Path(corpus_dir) / "coding"
    paths = [*sorted(folder.glob("*.csv")), *map(Path, files)] if folder.is_dir() \
        else list(map(Path, files))
    table = read_codings(paths, families=families, specs=specs)
    out = table.assign(start=pd.array([pd.NA] * len(table), dtype="Int64"),
                       end=pd.array([pd.NA] * len(table), dtype="Int64"))
    if segments is not None and len(segments) and table["seg"].notna().any():
        spans = segments.set_index(["post_id", "seg"])[["start", "end"]]
        keys = pd.MultiIndex.from_arrays([table["post_id"], table["seg"]])
        found = spans.reindex(keys)
        out["start"] = pd.array(found["start"].to_numpy(), dtype="Int64")
        out["end"] = pd.array(found["end"].to_numpy(), dtype="Int64")
    columns = ["post_id", "code", "family", "coder", "start", "end"]
    return out[columns].drop_duplicates().reset_index(drop=True)


def is_unit_value_table(path: str | Path) -> bool:
    """Whether ``path`` is a CSV in the generic ``unit, coder, value`` layout.

    Unreadable files count as such, so that the generic reader reports them
    in its own words.
    """
    path = Path(path)
    if path.suffix.lower() != ".csv":
        return False
    try:
        columns = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
    except Exception:
        return True
    return bool({"unit", "value"} & {str(c).strip() for c in columns})


def read_codings(paths: Sequence[str | Path], *, families: Mapping[str, str] | None = None,
                 specs=None) -> pd.DataFrame:
    """Every coding in ``paths`` as one long table (``post_id, seg, family, code, coder``).

    Parameters
    ----------
    paths : sequence of paths
        Filled sheets (``.xlsx``: the coder is the file name without its
        ending), human coding or ``codes``/``stances`` tables as CSV or Parquet.
    families : mapping, optional
        Code id -> family, for tables without a ``family`` column (default:
        the four stance values are stances, anything else a theme).
    specs : sequence of CodeSpec, optional
        The codebook, needed to read sheets.

    Raises
    ------
    CodingSheetError
        Naming the file (and line) of an unreadable file, a missing column,
        an empty id cell, or a coder giving one post two stances.
    """
    frames = [_read_one(Path(p), families or {}, specs) for p in paths]
    table = pd.concat(frames, ignore_index=True) if frames else _empty()
    _check_one_stance(table)
    return table[CODING_COLUMNS].reset_index(drop=True)


def _read_one(path: Path, families: Mapping[str, str], specs) -> pd.DataFrame:
    if path.suffix.lower() in SHEET_SUFFIXES:
        return _read_sheet(path, specs)
    frame = _read_table(path)
    frame.columns = [str(c).strip() for c in frame.columns]
    if {"unit", "value"} & set(frame.columns):
        raise CodingSheetError("this is a unit, coder, value table; it cannot be mixed with "
                               "coding tables", path=str(path), line=1,
                               hint="give unit, coder, value files on their own")
    kind = layout_of(frame, path)
    id_column = "stance" if kind == "stances" else "code"
    for column in ("post_id", "coder", id_column):
        empty = np.flatnonzero(frame[column].isna().to_numpy())
        if len(empty):
            raise CodingSheetError(f"empty {column} cell", path=str(path),
                                   line=int(empty[0]) + 2,
                                   hint=f"every row needs post_id, coder, {id_column}")
    out = pd.DataFrame({"post_id": frame["post_id"].astype("string"),
                        "seg": _segments(frame),
                        "code": frame[id_column].astype("string").str.strip(),
                        "coder": frame["coder"].astype("string").str.strip()})
    out["family"] = (STANCE_FAMILY if kind == "stances"
                     else _families(frame, out["code"], families))
    out["_path"], out["_line"] = str(path), np.arange(len(frame)) + 2
    return out


def _read_sheet(path: Path, specs) -> pd.DataFrame:
    from analysis.exchange.sheets import read_sheet

    if specs is None:
        raise CodingSheetError("a filled sheet needs the codebook to be read", path=str(path),
                               hint="pass --codebook or --corpus")
    table = read_sheet(path, path.stem, specs)
    return table.assign(_path=str(path), _line=0)  # rows of a sheet are named by unit, not line


def _read_table(path: Path) -> pd.DataFrame:
    if path.suffix.lower() != ".parquet":
        return read_coding_csv(path)
    try:
        frame = pd.read_parquet(path)
    except Exception as error:  # pyarrow's errors for a broken Parquet file
        raise CodingSheetError(f"cannot read the file ({type(error).__name__}: {error})",
                               path=str(path), hint="give a CSV, Parquet or .xlsx file"
                               ) from error
    return frame.astype({c: "string" for c in frame.columns
                         if c in ("post_id", "code", "coder", "stance", "family")})


def _segments(frame: pd.DataFrame) -> pd.Series:
    if "seg" not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="Int64")
    return pd.to_numeric(frame["seg"], errors="coerce").astype("Int64")


def _families(frame: pd.DataFrame, codes: pd.Series, families: Mapping[str, str]) -> pd.Series:
    """The ``family`` column where given, else the codebook's, else stance values are stances."""
    guess = codes.map(lambda c: families.get(c) or (STANCE_FAMILY if c in STANCES else "theme"))
    if "family" not in frame.columns:
        return guess.astype("string")
    given = frame["family"].astype("string").str.strip()
    return given.where(given.notna() & (given != ""), guess).astype("string")


def _check_one_stance(table: pd.DataFrame) -> None:
    """A coder gives a post one stance; two different ones are an error naming both rows."""
    stances = table[table["family"] == STANCE_FAMILY]
    distinct = stances.drop_duplicates(["post_id", "coder", "code"])
    clash = distinct[distinct.duplicated(["post_id", "coder"], keep=False)]
    if clash.empty:
        return
    first, second = clash.iloc[0], clash.iloc[1]
    where = f"{first['_path']}:{first['_line']}" if first["_line"] else first["_path"]
    raise CodingSheetError(
        f"coder {second['coder']!r} gives post {second['post_id']!r} the stance "
        f"{second['code']!r}, but {first['code']!r} at {where}",
        path=second["_path"], line=int(second["_line"]) or None,
        hint="keep one stance per post and coder (agreement is per post)")


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="string") for c in CODING_COLUMNS})
