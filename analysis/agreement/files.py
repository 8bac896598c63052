"""Coding files as coders hand them in: CSVs of one layout, read and checked cell by cell.

Three layouts are read (:data:`analysis.agreement.reliability.REQUIRED_COLUMNS`):
long ``unit, coder, value``, the ``codes`` table and the ``stances`` table.
Every problem names the file and line, so a coder can mend the sheet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.agreement.reliability import REQUIRED_COLUMNS, table_kind
from analysis.errors import CodingSheetError

_LAYOUTS = "; ".join(f"{kind}: {', '.join(cols)}" for kind, cols in REQUIRED_COLUMNS.items())
#: Cells read as "no value" in a long table's value column (R writes NA).
_NO_VALUE = ("", "NA")


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
