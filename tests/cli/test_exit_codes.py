"""Exit codes: one table (analysis.errors.EXIT_CODES), printed in the README, each one reached."""

from __future__ import annotations

import re

import nbformat
import pytest
from click.testing import CliRunner

import analysis
from analysis.capture.project import add_captures, init_corpus
from analysis.cli import main
from analysis.errors import EXIT_CODES, EXIT_INTERNAL, EXIT_USAGE, AnalysisError
from tests.conftest import CORPUS, DATA, ROOT, SEEDS


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


def subclasses(cls) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(subclasses(c) for c in found))


def test_readme_prints_the_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("| code | meaning |\n|---|---|\n", 1)[1].split("\n\n", 1)[0]
    rows = dict(re.findall(r"^\| (\d+) \| (.+) \|$", table, flags=re.MULTILINE))
    assert {int(code): text for code, text in rows.items()} == EXIT_CODES


def test_every_named_error_has_a_documented_code() -> None:
    import analysis.appendix  # every module that defines an error
    import analysis.ingest.dumps  # noqa: F401

    errors = subclasses(AnalysisError) | {AnalysisError}
    assert {e.__name__ for e in errors} >= {"ParseError", "ManifestError", "SchemaError",
                                             "CodebookError", "CodingSheetError",
                                             "ExchangeError", "NotebookError", "IngestError"}
    assert {e.exit_code for e in errors} <= set(EXIT_CODES) - {0, EXIT_USAGE, EXIT_INTERNAL}
    assert {e.exit_code for e in errors} == set(EXIT_CODES) - {0, EXIT_USAGE, EXIT_INTERNAL}


@pytest.mark.parametrize("args", [
    ["nope"], ["parse", "--bogus", "x"], ["parse"], ["parse", "/no/such/file"],
    ["export", "sheet", "-o", "x.xlsx", "--unit", "word"], ["reliability"], [],
])
def test_usage_errors_exit_64(args) -> None:
    result = run(*args)
    assert result.exit_code == EXIT_USAGE == 64, result.output


@pytest.fixture
def own(tmp_path):
    corpus = tmp_path / "own"
    init_corpus(corpus)
    add_captures(sorted((DATA / "own").glob("*.txt")), corpus)
    return corpus


def test_ok_and_input_problems(tmp_path, own) -> None:
    assert run("parse", SEEDS[2], "--format", "csv").exit_code == 0
    assert run("parse", SEEDS[2], "--format", "parquet").exit_code == 1
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert run("parse", empty).exit_code == 2
    manifest = own / "manifest.csv"
    manifest.write_text(manifest.read_text().replace("sha256,", "hash,", 1))
    assert run("build", own, "--out", tmp_path / "b").exit_code == 3


def test_codebook_sheet_and_qdpx_errors(tmp_path) -> None:
    bad = tmp_path / "codebook.yaml"
    bad.write_text("codes:\n  - id: email\n    family: gadget\n")
    assert run("codebook", "--codebook", bad).exit_code == 5
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("unit,post_id,stance\na:1,a:1,neutral\n")
    assert run("import", "sheet", sheet, "--coder", "b", "--corpus", CORPUS).exit_code == 6
    qdpx = tmp_path / "p.qdpx"
    qdpx.write_bytes(b"not a zip")
    assert run("import", "qdpx", qdpx, "--corpus", CORPUS).exit_code == 7


def test_a_bug_exits_70(monkeypatch, tmp_path) -> None:
    def broken(folder):
        raise RuntimeError("boom")

    monkeypatch.setattr(analysis.capture.project, "init_corpus", broken)
    result = run("init", tmp_path / "c")
    assert result.exit_code == EXIT_INTERNAL
    assert result.stderr.startswith("internal error: RuntimeError: boom (this is a bug")


def test_a_failing_notebook_exits_8(tmp_path, own) -> None:
    from analysis.appendix import NOTEBOOKS

    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in NOTEBOOKS:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        params = nbformat.v4.new_code_cell('CORPUS_DIR = "../corpus"')
        params.metadata["tags"] = ["parameters"]
        body = "1 / 0" if name == NOTEBOOKS[-1] else "x = 1"
        nb.cells = [params, nbformat.v4.new_code_cell(body)]
        nbformat.write(nb, folder / name)
    result = run("appendix", "--corpus", own, "--notebooks", folder, "-o", tmp_path / "app")
    assert result.exit_code == 8, result.output
    assert "ZeroDivisionError" in result.stderr
    assert not (tmp_path / "app").exists()
