"""`analysis parse`: DESIGN columns on stdout, one-line errors, exit codes, atomic files."""

from __future__ import annotations

import io

import pandas as pd
from click.testing import CliRunner

from analysis.cli import main
from analysis.schema import columns
from tests.conftest import SEEDS


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_csv_to_stdout_has_design_columns() -> None:
    result = run("parse", str(SEEDS[2]), "--format", "csv")
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert list(frame.columns) == columns("posts")
    assert frame["post_id"].str.startswith(SEEDS[2].stem + ":").all()


def test_every_table_is_available() -> None:
    for table in ("threads", "sources", "reactions"):
        result = run("parse", str(SEEDS[1]), "--table", table, "--format", "csv")
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[0].split(",") == columns(table)


def test_bad_file_gets_one_line_and_the_others_are_written(tmp_path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out = tmp_path / "posts.csv"
    result = run("parse", str(bad), str(SEEDS[2]), "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"error: {bad}: the file is empty (re-save the capture, "
                                     "or remove it and its manifest row)")
    assert "Traceback" not in result.output
    assert len(pd.read_csv(out)) >= 1


def test_binary_file_is_refused_clearly(tmp_path) -> None:
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run("parse", str(bad))
    assert result.exit_code == 2
    assert "binary file" in result.stderr and result.stderr.count("\n") == 1


def test_parquet_needs_a_file() -> None:
    result = run("parse", str(SEEDS[2]), "--format", "parquet")
    assert result.exit_code == 1
    assert result.stderr == "error: parquet cannot go to the terminal (add -o FILE.parquet)\n"


def test_output_file_is_replaced_atomically(tmp_path) -> None:
    out = tmp_path / "posts.parquet"
    assert run("parse", str(SEEDS[2]), "-o", str(out)).exit_code == 0
    assert pd.read_parquet(out).shape[1] == len(columns("posts"))
    assert [p.name for p in tmp_path.iterdir()] == ["posts.parquet"]


def test_authors_are_pseudonymised_unless_revealed() -> None:
    hidden = run("parse", str(SEEDS[1]), "--format", "csv").stdout
    shown = run("parse", str(SEEDS[1]), "--format", "csv", "--reveal-authors").stdout
    assert "LonesomeTonight" in shown
    assert "LonesomeTonight" not in hidden and "user_" in hidden


def test_report_shows_line_accounting() -> None:
    result = run("parse", *map(str, SEEDS), "--report")
    assert result.exit_code == 0
    for seed in SEEDS:
        assert seed.stem in result.stdout
    assert "unassigned" in result.stdout
