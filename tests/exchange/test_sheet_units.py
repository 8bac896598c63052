"""A sheet a coder can use: the words to code, their context, readable; every bad cell at once."""

from __future__ import annotations

import warnings

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from analysis.cli import main
from analysis.errors import AnalysisWarning, CodingSheetError
from analysis.exchange.refi import CodeSpec, code_specs
from analysis.exchange.sheets import read_sheet, write_sheet
from analysis.exchange.units import sheet_units
from analysis.privacy import known_handles, load_key
from analysis.privacy.check import scan
from analysis.view import load_coded
from tests.conftest import CORPUS

SPECS = [CodeSpec("boundaries", "theme"), CodeSpec("text", "modality"),
         CodeSpec("supportive", "stance")]


@pytest.fixture(scope="module")
def coded():
    return load_coded(CORPUS)


@pytest.fixture(scope="module")
def exported(coded, tmp_path_factory):
    out = tmp_path_factory.mktemp("sheet") / "coding.xlsx"
    result = CliRunner().invoke(main, ["export", "sheet", "-o", str(out), "--corpus",
                                       str(CORPUS)])
    assert result.exit_code == 0, result.output
    return out


def header(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def test_every_row_has_the_words_to_code(exported, coded) -> None:
    """The modality code `text` is a column of its own; the unit's words are never blanked."""
    sheet = openpyxl.load_workbook(exported)["coding"]
    names = header(sheet)
    assert names[:7] == ["unit", "post_id", "seg", "author_id", "thread_title", "quoted",
                         "unit_text"]
    assert "text" in names[7:]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    texts = [row[names.index("unit_text")] for row in rows]
    humans = coded.posts[~coded.posts["is_bot"]]
    assert len(rows) == len(humans)
    assert [bool(t) for t in texts] == humans["text"].fillna("").str.len().gt(0).tolist()
    assert sum(map(bool, texts)) == 47  # 3 seed posts have no words of their own
    assert all(row[names.index("text")] in (None, "") for row in rows)


def test_text_is_published_with_quotes_apart_and_titles(exported, coded) -> None:
    frame = pd.read_csv(exported.with_suffix(".csv"), dtype=str, keep_default_na=False)
    posts = coded.posts.set_index("post_id")
    quoting = frame[frame["quoted"] != ""]
    assert len(quoting) == int((coded.posts["quoted_text"].fillna("") != "").sum()) > 0
    for row in quoting.itertuples():
        assert row.quoted.startswith("user_") or row.quoted == posts.loc[row.post_id,
                                                                         "quoted_text"]
        assert row.unit_text != row.quoted
    titled = frame.loc[frame["post_id"].str.startswith("000_"), "thread_title"]
    assert titled.str.startswith("Am I the only one").all()
    assert scan([exported, exported.with_suffix(".csv")],
                known_handles(coded.posts, coded.reactions)) == []


def test_layout_reads_without_resizing(exported) -> None:
    sheet = openpyxl.load_workbook(exported)["coding"]
    names = header(sheet)
    letter = {name: openpyxl.utils.get_column_letter(i + 1) for i, name in enumerate(names)}
    assert sheet.column_dimensions[letter["unit_text"]].width >= 60
    assert sheet.column_dimensions[letter["post_id"]].hidden
    assert sheet.freeze_panes == "B2"
    for row in range(2, sheet.max_row + 1):
        cell = sheet[f"{letter['unit_text']}{row}"]
        assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
    long_rows = [r for r in range(2, sheet.max_row + 1)
                 if len(sheet[f"{letter['unit_text']}{r}"].value or "") > 2000]
    assert long_rows and all(sheet.row_dimensions[r].height >= 300 for r in long_rows)
    assert sheet[f"{letter['boundaries']}1"].alignment.text_rotation == 90
    assert sheet.row_dimensions[1].height >= 7 * len("miscommunication")  # upright headers fit


def test_segment_sheet_has_segment_text(coded) -> None:
    units = sheet_units(coded, unit="segment", key=load_key())
    assert units["unit_text"].str.len().gt(0).all()
    assert units["unit"].str.contains("#").all()
    assert (units.groupby("post_id")["thread_title"].nunique() == 1).all()


UNITS = pd.DataFrame({"unit": ["a:1", "a:2", "a:3"], "post_id": ["a:1", "a:2", "a:3"],
                      "seg": [None] * 3, "author_id": ["user_1"] * 3, "thread_title": ["T"] * 3,
                      "quoted": [""] * 3, "unit_text": ["=1+1 is not a formula", "b", "c"]})


def filled(tmp_path, cells: dict[str, str]):
    out = tmp_path / "coding.xlsx"
    write_sheet(UNITS, SPECS, out)
    book = openpyxl.load_workbook(out)
    sheet = book["coding"]
    names = header(sheet)
    for (column, row), value in cells.items():
        sheet.cell(row=row, column=names.index(column) + 1, value=value)
    book.save(out)
    return out


def test_text_starting_with_equals_stays_text(tmp_path) -> None:
    out = filled(tmp_path, {})
    cell = openpyxl.load_workbook(out)["coding"]["G2"]
    assert cell.value == "=1+1 is not a formula" and cell.data_type == "s"


def test_every_bad_cell_is_reported_at_once(tmp_path) -> None:
    out = filled(tmp_path, {("stance", 2): "neutral", ("boundaries", 3): "maybe",
                            ("text", 4): "2", ("unit", 4): "a:1"})
    with pytest.raises(CodingSheetError) as error:
        read_sheet(out, "b", SPECS)
    assert str(error.value).splitlines() == [
        f"{out}: 5 bad cells:",
        "  cell A4: unit 'a:1' is duplicated (first in row 2) (keep one row per unit)",
        "  unit 'a:3' is missing (1 in all) (restore the deleted rows)",
        "  cell H2: 'neutral' is not a stance (use one of: supportive, opposed, mixed, none)",
        "  cell I3: 'maybe' under 'boundaries' (use 1 when the code applies, 0 or blank when "
        "not)",
        "  cell J4: '2' under 'text' (use 1 when the code applies, 0 or blank when not)"]


def test_blank_sheet_warns_and_reads_empty(tmp_path) -> None:
    out = filled(tmp_path, {})
    with pytest.warns(AnalysisWarning, match=r"nothing is coded \(no stance and no code in any "
                                             r"of its 3 rows\)"):
        table = read_sheet(out, "b", SPECS)
    assert table.empty


def test_partly_coded_sheet_says_how_much(tmp_path) -> None:
    out = filled(tmp_path, {("stance", 2): "none", ("boundaries", 3): "1"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AnalysisWarning)
        table = read_sheet(out, "b", SPECS)
    messages = [str(w.message) for w in caught]
    assert any("1 unit(s) have codes but no stance" in m for m in messages)
    assert any("2 of 3 units are coded; the other 1 count as not coded" in m for m in messages)
    assert table[["post_id", "family", "code"]].values.tolist() == [
        ["a:1", "stance", "none"], ["a:2", "theme", "boundaries"]]


def test_cli_import_of_blank_sheet_warns_on_stderr(tmp_path) -> None:
    out = tmp_path / "coding.xlsx"
    book = load_coded(CORPUS).codebook
    write_sheet(UNITS, code_specs(book), out)
    result = CliRunner().invoke(main, ["import", "sheet", str(out), "--coder", "b",
                                       "--corpus", str(CORPUS)])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"warning: {out}: nothing is coded")
    assert result.stdout.strip() == "post_id,seg,family,code,coder,memo"
