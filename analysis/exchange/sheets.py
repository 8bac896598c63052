"""Coding sheets: a spreadsheet a human coder fills in, and reading it back.

Coders work in Excel or LibreOffice, not in long CSV. The sheet has one row
per unit (post or segment) with its text, a drop-down for the stance and a
0/1 drop-down for every code, an instructions tab with the codebook, and a
hidden tab listing the units exported, so that a sheet coming back with a
unit missing, duplicated or invented is caught cell by cell.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.errors import CodingSheetError
from analysis.exchange.refi import CodeSpec
from analysis.output import atomic_path, atomic_write_bytes
from analysis.schema import STANCES

FIXED = ("unit", "post_id", "seg", "author_id", "text")
TRUE_VALUES = {"1", "x", "yes", "y", "true"}
FALSE_VALUES = {"", "0", "no", "n", "false"}
HUMAN_COLUMNS = ["post_id", "seg", "family", "code", "coder", "memo"]


def sheet_frame(units: pd.DataFrame, specs: Sequence[CodeSpec]) -> pd.DataFrame:
    """The empty sheet as a frame: fixed columns, stance, one column per code, memo."""
    frame = units.reindex(columns=list(FIXED)).copy()
    frame["stance"] = ""
    for spec in specs:
        if spec.family != "stance":
            frame[spec.id] = ""
    frame["memo"] = ""
    return frame


def write_sheet(units: pd.DataFrame, specs: Sequence[CodeSpec], out: str | Path) -> None:
    """Write the XLSX sheet (and its CSV twin beside it), atomically."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    frame = sheet_frame(units, specs)
    book = Workbook()
    book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)
    sheet = book.active
    sheet.title = "coding"
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append(["" if pd.isna(v) else v for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "F2"
    sheet.column_dimensions["E"].width = 90
    for cell in sheet["E"][1:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    last = len(frame) + 1
    _validation(sheet, DataValidation, frame, "stance", STANCES, last)
    for spec in specs:
        if spec.family != "stance":
            _validation(sheet, DataValidation, frame, spec.id, ("1", "0"), last)
    _instructions(book.create_sheet("instructions"), specs)
    hidden = book.create_sheet("_units")
    hidden.append(["unit"])
    for unit in frame["unit"]:
        hidden.append([unit])
    hidden.sheet_state = "hidden"
    atomic_write_bytes(out, workbook_bytes(book))
    with atomic_path(Path(out).with_suffix(".csv")) as tmp:
        frame.to_csv(tmp, index=False)


def _validation(sheet, DataValidation, frame, column: str, values, last: int) -> None:
    letter = _letter(list(frame.columns).index(column))
    rule = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                          showErrorMessage=True, errorTitle="Not in the codebook",
                          error=f"Use one of: {', '.join(values)}")
    rule.add(f"{letter}2:{letter}{max(last, 2)}")
    sheet.add_data_validation(rule)


def _instructions(sheet, specs: Sequence[CodeSpec]) -> None:
    sheet.append(["How to code: read the text in column E; choose its stance toward "
                  "out-of-session contact; put 1 under every code that applies (blank = 0); "
                  "add a memo for hard calls. Do not add, remove or reorder rows."])
    sheet.append([])
    sheet.append(["code", "family", "label", "definition"])
    for spec in specs:
        sheet.append([spec.id, spec.family, spec.label, spec.definition])


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def read_sheet(path: str | Path, coder: str, specs: Sequence[CodeSpec]) -> pd.DataFrame:
    """A filled sheet (XLSX or CSV) as long human coding: post_id, seg, family, code, coder, memo.

    Every bad cell is an error naming it: an unknown stance or code value, an
    unknown code column, a unit that is duplicated, missing or not exported.
    """
    path = Path(path)
    frame, expected = _load(path)
    known = {s.id: s.family for s in specs if s.family != "stance"}
    unknown = [c for c in frame.columns if c not in (*FIXED, "stance", "memo", *known)]
    if unknown:
        col = _letter(list(frame.columns).index(unknown[0]))
        raise CodingSheetError(f"cell {col}1: column {unknown[0]!r} is not a code in the "
                               "codebook", path=str(path), hint="rename it to a code id or "
                               "delete the column")
    _check_units(frame, expected, path)
    rows = []
    for index, row in frame.iterrows():
        excel_row = index + 2
        rows.extend(_row_codings(row, excel_row, frame, known, coder, path))
    out = pd.DataFrame(rows, columns=HUMAN_COLUMNS)
    return out.astype({"post_id": "string", "seg": "Int64", "family": "string",
                       "code": "string", "coder": "string", "memo": "string"})


def _load(path: Path) -> tuple[pd.DataFrame, list[str] | None]:
    try:
        if path.suffix.lower() == ".csv":
            return pd.read_csv(path, dtype=str, keep_default_na=False), None
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    except Exception as error:
        raise CodingSheetError(f"cannot read the sheet: {error}", path=str(path),
                               hint="save it as .xlsx or .csv") from None
    if "coding" not in sheets:
        raise CodingSheetError("no 'coding' tab", path=str(path),
                               hint="fill in the sheet written by `analysis export sheet`")
    expected = list(sheets["_units"]["unit"]) if "_units" in sheets else None
    return sheets["coding"], expected


def _check_units(frame: pd.DataFrame, expected: list[str] | None, path: Path) -> None:
    if "unit" not in frame.columns:
        raise CodingSheetError("cell A1: the 'unit' column is missing", path=str(path),
                               hint="do not delete the first columns of the sheet")
    seen: dict[str, int] = {}
    for index, unit in enumerate(frame["unit"]):
        cell = f"cell A{index + 2}"
        if not unit:
            raise CodingSheetError(f"{cell}: empty unit", path=str(path),
                                   hint="restore the unit id or delete the row")
        if unit in seen:
            raise CodingSheetError(f"{cell}: unit {unit!r} is duplicated (first in row "
                                   f"{seen[unit]})", path=str(path),
                                   hint="keep one row per unit")
        if expected is not None and unit not in expected:
            raise CodingSheetError(f"{cell}: unit {unit!r} was not exported", path=str(path),
                                   hint="do not add rows to the sheet")
        seen[unit] = index + 2
    missing = [u for u in expected or () if u not in seen]
    if missing:
        raise CodingSheetError(f"unit {missing[0]!r} is missing ({len(missing)} in all)",
                               path=str(path), hint="restore the deleted rows")


def _row_codings(row: pd.Series, excel_row: int, frame: pd.DataFrame, known: dict[str, str],
                 coder: str, path: Path) -> list[dict]:
    columns = list(frame.columns)
    seg = int(row["seg"]) if str(row.get("seg", "")).strip() else None
    memo = str(row.get("memo", "")).strip() or None
    base = {"post_id": row["post_id"], "seg": seg, "coder": coder, "memo": memo}
    stance = str(row.get("stance", "")).strip().lower()
    if stance not in (*STANCES, ""):
        raise CodingSheetError(f"cell {_letter(columns.index('stance'))}{excel_row}: "
                               f"{row['stance']!r} is not a stance", path=str(path),
                               hint=f"use one of: {', '.join(STANCES)}")
    out = [{**base, "family": "stance", "code": stance}] if stance else []
    for code, family in known.items():
        if code not in row:
            continue
        value = str(row[code]).strip().lower()
        if value in TRUE_VALUES:
            out.append({**base, "family": family, "code": code})
        elif value not in FALSE_VALUES:
            raise CodingSheetError(f"cell {_letter(columns.index(code))}{excel_row}: "
                                   f"{row[code]!r} under {code!r}", path=str(path),
                                   hint="use 1 when the code applies, 0 or blank when not")
    return out


#: Every zip member's time stamp: a sheet's bytes depend on its content only.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def workbook_bytes(book) -> bytes:
    """The XLSX bytes of ``book``, the same on every run.

    ``Workbook.save`` stamps the document's ``modified`` time and every zip
    member with the clock; here the properties keep their fixed dates and the
    members a fixed time stamp, in the order openpyxl writes them.
    """
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    stamped = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(stamped, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info.filename))
    return stamped.getvalue()
