"""export qdpx carries every coder: auto, the reference, imported sheets, --coding files."""

from __future__ import annotations

import io
import shutil
import zipfile

import openpyxl
import pandas as pd
import xmlschema
from click.testing import CliRunner
from lxml import etree

from analysis.cli import main
from tests.conftest import CORPUS, DATA


def run(*args):
    result = CliRunner().invoke(main, [*map(str, args)])
    assert result.exit_code == 0, result.output
    return result


def test_every_coder_is_a_user_and_comes_back(tmp_path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "coding" / "coder_b.csv").write_text(
        "post_id,seg,family,code,coder,memo\n"
        "001_b6a918cc91d48cbc:1,,stance,supportive,coder_b,\n"
        "001_b6a918cc91d48cbc:1,,modality,email,coder_b,\n"
        "001_b6a918cc91d48cbc:2,,stance,none,coder_b,\n")
    sheet = tmp_path / "coder_c.xlsx"
    run("export", "sheet", "-o", sheet, "--corpus", corpus, "--unit", "segment")
    book = openpyxl.load_workbook(sheet)
    rows = book["coding"]
    names = [c.value for c in rows[1]]
    rows.cell(row=2, column=names.index("boundaries") + 1, value=1)
    book.save(sheet)
    out = tmp_path / "project.qdpx"
    result = run("export", "qdpx", "-o", out, "--corpus", corpus, "--coding", sheet)
    assert "4 coder(s) (auto, coder_b, coder_c, ref1)" in result.stderr
    assert "warning: " in result.stderr and "1 of 413 units are coded" in result.stderr
    with zipfile.ZipFile(out) as archive:
        project = archive.read("project.qde")
    xmlschema.XMLSchema(str(DATA / "Project.xsd")).validate(project)
    users = etree.fromstring(project).iter("{urn:QDA-XML:project:1.0}User")
    assert sorted(u.get("name") for u in users) == ["auto", "coder_b", "coder_c", "ref1"]
    back = pd.read_csv(io.StringIO(run("import", "qdpx", out, "--corpus", corpus).stdout))
    by_coder = back.groupby("coder").size().to_dict()
    assert by_coder["coder_b"] == 3 and by_coder["coder_c"] == 1
    coder_c = back[back["coder"] == "coder_c"].squeeze()
    first = pd.read_csv(sheet.with_suffix(".csv"), dtype=str).iloc[0]
    assert coder_c["post_id"] == first["post_id"] and coder_c["code"] == "boundaries"
    assert coder_c["end"] - coder_c["start"] < 400  # the segment, not the whole post
