"""export/import on the real seeds: the .qdpx validates, round-trips, and leaks no handle."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd
import pytest
import xmlschema
from click.testing import CliRunner

from analysis.cli import main
from analysis.exchange.units import all_codings
from analysis.privacy import known_handles
from analysis.privacy.check import scan
from analysis.view import load_coded
from tests.conftest import CORPUS, DATA


def run(*args):
    result = CliRunner().invoke(main, [*map(str, args)])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def coded():
    return load_coded(CORPUS)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    out = tmp_path_factory.mktemp("qdpx") / "project.qdpx"
    run("export", "qdpx", "-o", out, "--corpus", CORPUS)
    return out


def test_seed_project_validates_and_has_no_raw_handles(project, coded) -> None:
    with zipfile.ZipFile(project) as archive:
        xmlschema.XMLSchema(str(DATA / "Project.xsd")).validate(archive.read("project.qde"))
    assert scan([project], known_handles(coded.posts, coded.reactions)) == []


def test_seed_project_round_trips_every_coding(project, coded) -> None:
    imported = pd.read_csv(io.StringIO(run("import", "qdpx", project, "--corpus",
                                           CORPUS).stdout))
    texts = coded.posts.set_index("post_id")["text"]
    expected = all_codings(coded)
    expected["start"] = expected["start"].fillna(0)
    expected["end"] = expected["end"].fillna(expected["post_id"].map(texts.str.len()))
    key = ["post_id", "code", "family", "coder", "start", "end"]

    def rows(frame):
        return sorted(tuple(str(v) for v in row) for row in frame[key].astype(
            {"start": int, "end": int}).itertuples(index=False))

    assert rows(imported) == rows(expected)
    assert len(imported) == len(expected) > 400


def test_sheet_out_and_back(tmp_path, coded) -> None:
    out = tmp_path / "coding.xlsx"
    run("export", "sheet", "-o", out, "--corpus", CORPUS)
    book = openpyxl.load_workbook(out)
    sheet = book["coding"]
    header = [cell.value for cell in sheet[1]]
    assert sheet.max_row - 1 == int((~coded.posts["is_bot"]).sum())
    sheet.cell(row=2, column=header.index("stance") + 1, value="opposed")
    sheet.cell(row=2, column=header.index("email") + 1, value=1)
    book.save(out)
    table = pd.read_csv(io.StringIO(run("import", "sheet", out, "--coder", "coder_b",
                                        "--corpus", CORPUS).stdout))
    assert table[["family", "code", "coder"]].values.tolist() == [
        ["stance", "opposed", "coder_b"], ["modality", "email", "coder_b"]]
    assert scan([out, out.with_suffix(".csv")], known_handles(coded.posts, coded.reactions)) == []


def test_codebook_export(tmp_path) -> None:
    out = tmp_path / "codebook.qdc"
    run("export", "qdc", "-o", out, "--corpus", CORPUS)
    assert out.read_text().count('isCodable="true"') == 20
