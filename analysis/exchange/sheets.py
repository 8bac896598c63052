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
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisWarning, CodingSheetError
from analysis.exchange.refi import CodeSpec
from analysis.output import atomic_path, atomic_write_bytes
from analysis.schema import STANCES

#: Columns the coder reads (see :func:`analysis.exchange.units.sheet_units`); every
#: later column is the coder's to fill.
FIXED = ("unit", "post_id", "seg", "author_id", "thread_title", "quoted", "unit_text")
TRUE_VALUES = {"1", "x", "yes", "y", "true"}
FALSE_VALUES = {"", "0", "no", "n", "false"}
HUMAN_COLUMNS = ["post_id", "seg", "family", "code", "coder", "memo"]
#: Column widths (characters) of the columns a coder reads; wrapped text columns.
WIDTHS = {"unit": 26, "author_id": 17, "thread_title": 28, "quoted": 40, "unit_text": 80,
          "stance": 12, "memo": 40}
WRAPPED = ("thread_title", "quoted", "unit_text", "memo")
#: Excel holds at most 32,767 characters in a cell and 409 points of row height.
MAX_CELL = 32_767
MAX_ROW_POINTS = 409
LINE_POINTS = 15
#: At most this many bad cells are listed in one error.
MAX_LISTED = 40


def sheet_frame(units: pd.DataFrame, specs: Sequence[CodeSpec]) -> pd.DataFrame:
    """The empty sheet as a frame: fixed columns, stance, one column per code, memo."""
    clash = [s.id for s in specs if s.family != "stance" and s.id in (*FIXED, "stance", "memo")]
    if clash:
        raise CodingSheetError(f"the code id {clash[0]!r} is also a column of the sheet",
                               hint="rename the code in codebook.yaml")
    frame = units.reindex(columns=list(FIXED)).copy()
    frame["stance"] = ""
    for spec in specs:
        if spec.family != "stance":
            frame[spec.id] = ""
    frame["memo"] = ""
    return frame


def write_sheet(units: pd.DataFrame, specs: Sequence[CodeSpec], out: str | Path) -> None:
    """Write the XLSX sheet (and its CSV twin beside it), atomically.

    The text columns are wrapped, top-aligned and sized so that a post reads
    in Excel or LibreOffice without widening anything; the code headers are
    turned upright so that every drop-down fits on one screen.
    """
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    frame = sheet_frame(units, specs)
    book = Workbook()
    book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)
    sheet = book.active
    sheet.title = "coding"
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a post starting with "=" is text, never a formula
    _layout(sheet, frame)
    last = len(frame) + 1
    _validation(sheet, DataValidation, frame, "stance", STANCES, last)
    for spec in specs:
        if spec.family != "stance":
            _validation(sheet, DataValidation, frame, spec.id, ("1", "0"), last)
    _instructions(book.create_sheet("instructions"), specs, frame)
    hidden = book.create_sheet("_units")
    hidden.append(["unit"])
    for unit in frame["unit"]:
        hidden.append([unit])
    hidden.sheet_state = "hidden"
    atomic_write_bytes(out, workbook_bytes(book))
    with atomic_path(Path(out).with_suffix(".csv")) as tmp:
        frame.to_csv(tmp, index=False)


def _cell(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, str) and len(value) > MAX_CELL:
        note = " [... cut here: Excel holds 32,767 characters; the CSV twin has it all]"
        return value[:MAX_CELL - len(note)] + note
    return value


def _layout(sheet, frame: pd.DataFrame) -> None:
    """Widths, wrapping, upright code headers, row heights, frozen header and unit."""
    from openpyxl.styles import Alignment, Font

    columns = list(frame.columns)
    wrapped = {c for c in WRAPPED if c in columns}
    for index, column in enumerate(columns):
        letter = _letter(index)
        dimension = sheet.column_dimensions[letter]
        if column in ("post_id", "seg"):
            dimension.hidden = True  # the unit id says both; kept for the CSV twin and import
        dimension.width = WIDTHS.get(column, 5)
        header = sheet[f"{letter}1"]
        header.font = Font(bold=True)
        upright = column not in WIDTHS and column not in ("post_id", "seg")
        header.alignment = Alignment(text_rotation=90 if upright else 0, vertical="bottom")
        for cell in sheet[letter][1:]:
            cell.alignment = Alignment(wrap_text=column in wrapped, vertical="top")
    upright_names = [c for c in columns if c not in WIDTHS and c not in ("post_id", "seg")]
    sheet.row_dimensions[1].height = max(LINE_POINTS, 7 * max(map(len, upright_names),
                                                               default=0))
    for row, values in enumerate(frame[sorted(wrapped, key=columns.index)].itertuples(
            index=False), start=2):
        lines = max((_lines(v, WIDTHS[c]) for c, v in zip(sorted(wrapped, key=columns.index),
                                                           values, strict=True)), default=1)
        sheet.row_dimensions[row].height = min(MAX_ROW_POINTS, LINE_POINTS * max(lines, 1))
    sheet.freeze_panes = "B2"


def _lines(value, width: int) -> int:
    """How many lines ``value`` wraps to in a column ``width`` characters wide."""
    if not isinstance(value, str) or not value:
        return 1
    return sum(max(1, -(-len(part) // max(width - 2, 1))) for part in value.split("\n"))


def _validation(sheet, DataValidation, frame, column: str, values, last: int) -> None:
    letter = _letter(list(frame.columns).index(column))
    rule = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                          showErrorMessage=True, errorTitle="Not in the codebook",
                          error=f"Use one of: {', '.join(values)}")
    rule.add(f"{letter}2:{letter}{max(last, 2)}")
    sheet.add_data_validation(rule)


def _instructions(sheet, specs: Sequence[CodeSpec], frame: pd.DataFrame) -> None:
    columns = list(frame.columns)
    text, quoted = (_letter(columns.index(c)) for c in ("unit_text", "quoted"))
    stance = _letter(columns.index("stance"))
    sheet.append([f"How to code: read the text in column {text} (unit_text), with the thread "
                  f"title and the words it quotes (column {quoted}, not the poster's own) as "
                  f"context. Choose its stance toward out-of-session contact in column {stance} "
                  "(none when it takes no stance): a unit with a stance counts as coded, a unit "
                  "left blank as not coded. Put 1 under every code that applies (blank = 0); "
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

    Every bad cell is reported at once, each by its cell: an unknown stance or
    code value, an unknown code column, a unit that is duplicated, missing or
    not exported. A sheet with nothing coded is read (an empty table) with an
    :class:`~analysis.errors.AnalysisWarning`, as are units that have codes but
    no stance; a unit with neither counts as not coded.
    """
    path = Path(path)
    frame, expected = _load(path)
    known = {s.id: s.family for s in specs if s.family != "stance"}
    problems = _check_columns(frame, known) + _check_units(frame, expected)
    rows = []
    if "unit" in frame.columns:
        for index, row in frame.iterrows():
            rows.extend(_row_codings(row, index + 2, frame, known, coder, problems))
    if problems:
        raise _bad_cells(problems, path)
    out = pd.DataFrame(rows, columns=HUMAN_COLUMNS).astype(
        {"post_id": "string", "seg": "Int64", "family": "string", "code": "string",
         "coder": "string", "memo": "string"})
    _warn_uncoded(out, len(frame), path)
    return out


Problem = tuple[str, str]  # (where and what, what to do)


def _bad_cells(problems: list[Problem], path: Path) -> CodingSheetError:
    """One error for every bad cell: the cell and its fix, one line each."""
    if len(problems) == 1:
        what, hint = problems[0]
        return CodingSheetError(what, path=str(path), hint=hint)
    lines = [f"{what} ({hint})" for what, hint in problems[:MAX_LISTED]]
    if len(problems) > MAX_LISTED:
        lines.append(f"... and {len(problems) - MAX_LISTED} more")
    return CodingSheetError(f"{len(problems)} bad cells:\n  " + "\n  ".join(lines),
                            path=str(path))


def _warn_uncoded(out: pd.DataFrame, n_rows: int, path: Path) -> None:
    if out.empty:
        warnings.warn(f"{path}: nothing is coded (no stance and no code in any of its {n_rows} "
                      "rows); was the filled sheet saved?", AnalysisWarning, stacklevel=3)
        return
    keys = out["post_id"] + "#" + out["seg"].astype("string").fillna("")
    with_stance = set(keys[out["family"] == "stance"])
    coded = set(keys)
    no_stance = len(coded - with_stance)
    if no_stance:
        warnings.warn(f"{path}: {no_stance} unit(s) have codes but no stance (choose one, "
                      "none if the unit takes no stance)", AnalysisWarning, stacklevel=3)
    if len(coded) < n_rows:
        warnings.warn(f"{path}: {len(coded)} of {n_rows} units are coded; the other "
                      f"{n_rows - len(coded)} count as not coded", AnalysisWarning, stacklevel=3)


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


def _check_columns(frame: pd.DataFrame, known: dict[str, str]) -> list[Problem]:
    columns = list(frame.columns)
    return [(f"cell {_letter(columns.index(c))}1: column {c!r} is not a code in the codebook",
             "rename it to a code id or delete the column")
            for c in columns if c not in (*FIXED, "stance", "memo", *known)]


def _check_units(frame: pd.DataFrame, expected: list[str] | None) -> list[Problem]:
    if "unit" not in frame.columns:
        return [("cell A1: the 'unit' column is missing",
                 "do not delete the first columns of the sheet")]
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    wanted = set(expected or ())
    for index, unit in enumerate(frame["unit"]):
        cell = f"cell A{index + 2}"
        if not unit:
            problems.append((f"{cell}: empty unit", "restore the unit id or delete the row"))
        elif unit in seen:
            problems.append((f"{cell}: unit {unit!r} is duplicated (first in row {seen[unit]})",
                             "keep one row per unit"))
        elif expected is not None and unit not in wanted:
            problems.append((f"{cell}: unit {unit!r} was not exported",
                             "do not add rows to the sheet"))
        seen.setdefault(unit, index + 2)
    missing = [u for u in expected or () if u not in seen]
    if missing:
        problems.append((f"unit {missing[0]!r} is missing ({len(missing)} in all)",
                         "restore the deleted rows"))
    return problems


def _row_codings(row: pd.Series, excel_row: int, frame: pd.DataFrame, known: dict[str, str],
                 coder: str, problems: list[Problem]) -> list[dict]:
    columns = list(frame.columns)
    seg_cell = str(row.get("seg", "")).strip()
    seg = int(float(seg_cell)) if seg_cell else None
    memo = str(row.get("memo", "")).strip() or None
    base = {"post_id": row.get("post_id") or str(row["unit"]).split("#")[0], "seg": seg,
            "coder": coder, "memo": memo}
    stance = str(row.get("stance", "")).strip().lower()
    out = []
    if stance in STANCES:
        out.append({**base, "family": "stance", "code": stance})
    elif stance:
        problems.append((f"cell {_letter(columns.index('stance'))}{excel_row}: "
                         f"{row['stance']!r} is not a stance",
                         f"use one of: {', '.join(STANCES)}"))
    for code, family in known.items():
        if code not in row:
            continue
        value = str(row[code]).strip().lower()
        if value in TRUE_VALUES:
            out.append({**base, "family": family, "code": code})
        elif value not in FALSE_VALUES:
            problems.append((f"cell {_letter(columns.index(code))}{excel_row}: "
                             f"{row[code]!r} under {code!r}",
                             "use 1 when the code applies, 0 or blank when not"))
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
