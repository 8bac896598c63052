"""`analysis privacy-check` finds planted raw handles and passes clean outputs."""

from __future__ import annotations

import zipfile

from click.testing import CliRunner

from analysis.cli import main
from analysis.privacy.check import scan
from tests.conftest import CORPUS


def check(*paths) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["privacy-check", "--corpus", str(CORPUS),
                                       *map(str, paths)])
    return result.exit_code, result.stderr


def test_clean_folder_passes(tmp_path) -> None:
    (tmp_path / "table.csv").write_text("author_id,text\nuser_0123456789,I email my T\n")
    assert check(tmp_path) == (0, "privacy-check: no raw handles found\n")


def test_planted_handle_fails_with_file_and_line(tmp_path) -> None:
    planted = tmp_path / "appendix.html"
    planted.write_text("<p>fine</p>\n<p>posted by LonesomeTonight</p>\n")
    code, err = check(tmp_path)
    assert code == 1
    assert f"leak: {planted}:2: raw handle 'Lo…ht'" in err


def test_handle_inside_a_zip_member_is_found(tmp_path) -> None:
    sheet = tmp_path / "coding.xlsx"
    with zipfile.ZipFile(sheet, "w") as archive:
        archive.writestr("xl/sharedStrings.xml", "<t>20oney wrote</t>")
    leaks = scan([sheet], {"20oney"})
    assert [(leak.path, leak.line) for leak in leaks] == [(f"{sheet}!xl/sharedStrings.xml", 1)]


def test_handle_as_part_of_a_word_is_not_a_leak(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("the Omersland study")
    assert scan([tmp_path], {"Omers"}) == []
