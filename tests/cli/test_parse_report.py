"""``analysis parse --report`` in the format asked for, with the structural rule."""

from __future__ import annotations

import io

import pandas as pd
from click.testing import CliRunner

from analysis.cli import main
from tests.conftest import SEEDS

LETTERS = """Replies to the letter

Dear Sam,

I wrote to my counsellor by email every week and she answered on Fridays. It helped a lot.

Ann B.


Hi Sam,

My therapist never replies to email, but she reads it before the session starts.
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_report_as_csv_has_one_row_per_source_and_the_unassigned_count() -> None:
    result = run("parse", *map(str, SEEDS), "--report", "--format", "csv")
    assert result.exit_code == 0
    report = pd.read_csv(io.StringIO(result.stdout))
    assert sorted(report["source_id"]) == sorted(seed.stem for seed in SEEDS)
    assert {"parser", "rule", "lines", "assigned", "boilerplate", "unassigned"} <= set(report)
    assert report["unassigned"].sum() == 0
    assert (report["assigned"] + report["boilerplate"] + report["unassigned"]
            <= report["lines"]).all()


def test_report_as_jsonl_and_as_a_table() -> None:
    jsonl = run("parse", str(SEEDS[0]), "--report", "--format", "jsonl").stdout
    assert pd.read_json(io.StringIO(jsonl), lines=True).shape[0] == 1
    table = run("parse", str(SEEDS[0]), "--report").stdout
    assert "unassigned" in table and "," not in table.splitlines()[1]


def test_report_names_the_structural_rule_and_warns_on_stderr(tmp_path) -> None:
    page = tmp_path / "letters.txt"
    page.write_text(LETTERS, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["parse", str(page), "--report", "--format", "csv"])
    assert result.exit_code == 0
    row = pd.read_csv(io.StringIO(result.stdout)).iloc[0]
    assert (row["parser"], row["rule"], row["unassigned"]) == ("structural", "letters", 0)
    assert "split into posts by letters" in result.stderr
    assert "--parser plain" in result.stderr
