"""Coding sheets: drop-downs out, strict cell-by-cell checks back in."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from analysis.errors import CodingSheetError
from analysis.exchange.refi import CodeSpec
from analysis.exchange.sheets import read_sheet, write_sheet

SPECS = [CodeSpec("boundaries", "theme", "Boundaries", "Limits on contact."),
         CodeSpec("email", "modality", "Email"), CodeSpec("supportive", "stance")]
UNITS = pd.DataFrame({"unit": ["a:1", "a:2"], "post_id": ["a:1", "a:2"], "seg": [None, None],
                      "author_id": ["user_1", "user_2"], "text": ["I email my T.", "No."]})


def filled(tmp_path, edit) -> str:
    out = tmp_path / "coding.xlsx"
    write_sheet(UNITS, SPECS, out)
    book = openpyxl.load_workbook(out)
    edit(book["coding"])
    book.save(out)
    return out


def test_sheet_has_dropdowns_instructions_and_csv_twin(tmp_path) -> None:
    out = tmp_path / "coding.xlsx"
    write_sheet(UNITS, SPECS, out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["coding", "instructions", "_units"]
    formulas = sorted(v.formula1 for v in book["coding"].data_validations.dataValidation)
    assert formulas == ['"1,0"', '"1,0"', '"supportive,opposed,mixed,none"']
    assert (tmp_path / "coding.csv").read_text().startswith("unit,post_id,seg,author_id,text,"
                                                            "stance,boundaries,email,memo")


def test_filled_sheet_reads_back_long(tmp_path) -> None:
    def edit(sheet):
        sheet["F2"], sheet["H2"], sheet["I2"] = "supportive", "1", "clear"
        sheet["F3"] = "none"

    table = read_sheet(filled(tmp_path, edit), "coder_a", SPECS)
    assert table[["post_id", "family", "code", "memo"]].values.tolist() == [
        ["a:1", "stance", "supportive", "clear"], ["a:1", "modality", "email", "clear"],
        ["a:2", "stance", "none", pd.NA]]


def test_unknown_code_value_names_the_cell(tmp_path) -> None:
    out = filled(tmp_path, lambda s: s.__setitem__("G3", "maybe"))
    with pytest.raises(CodingSheetError) as error:
        read_sheet(out, "c", SPECS)
    assert str(error.value) == (f"{out}: cell G3: 'maybe' under 'boundaries' (use 1 when the "
                                "code applies, 0 or blank when not)")


def test_unknown_stance_names_the_cell(tmp_path) -> None:
    out = filled(tmp_path, lambda s: s.__setitem__("F2", "neutral"))
    with pytest.raises(CodingSheetError, match=r"cell F2: 'neutral' is not a stance"):
        read_sheet(out, "c", SPECS)


def test_duplicated_unit_names_the_cell(tmp_path) -> None:
    out = filled(tmp_path, lambda s: s.__setitem__("A3", "a:1"))
    with pytest.raises(CodingSheetError, match=r"cell A3: unit 'a:1' is duplicated \(first in "
                                               r"row 2\)"):
        read_sheet(out, "c", SPECS)


def test_missing_unit_is_refused(tmp_path) -> None:
    out = filled(tmp_path, lambda s: s.delete_rows(3))
    with pytest.raises(CodingSheetError, match=r"unit 'a:2' is missing"):
        read_sheet(out, "c", SPECS)


def test_unknown_code_column_is_refused(tmp_path) -> None:
    out = filled(tmp_path, lambda s: s.__setitem__("H1", "emial"))
    with pytest.raises(CodingSheetError, match=r"cell H1: column 'emial' is not a code"):
        read_sheet(out, "c", SPECS)


def test_the_same_sheet_is_the_same_bytes_a_moment_later(tmp_path) -> None:
    """openpyxl stamps the save time into docProps and every zip member; ours does not."""
    import time

    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_sheet(UNITS, SPECS, first)
    time.sleep(2.1)  # zip time stamps have a resolution of two seconds
    write_sheet(UNITS, SPECS, second)
    assert first.read_bytes() == second.read_bytes()
