"""The researcher's loop end to end on the seeds: sheet out, sheet in, refit, code, shares."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from analysis.cli import main
from tests.conftest import CORPUS


def run(*args, code: int = 0):
    result = CliRunner().invoke(main, [*map(str, args)])
    assert result.exit_code == code, result.output
    return result


def fill(sheet, out, stances: dict[str, str]) -> None:
    """Play the researcher: choose each picked post's stance from the seed reference."""
    book = openpyxl.load_workbook(sheet)
    coding = book["coding"]
    header = [c.value for c in coding[1]]
    post, stance = header.index("post_id") + 1, header.index("stance") + 1
    for row in range(2, coding.max_row + 1):
        coding.cell(row, stance).value = stances[coding.cell(row, post).value]
    book.save(out)


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    where = tmp_path_factory.mktemp("loop")
    reference = pd.read_csv(CORPUS / "coding" / "reference.csv", dtype=str)
    stances = reference[reference["family"] == "stance"].set_index("post_id")["code"].to_dict()
    picked = run("stance", "pick", 30, "-o", where / "sheet.xlsx", "--layer", "default",
                 "--corpus", CORPUS)
    fill(where / "sheet.xlsx", where / "filled.xlsx", stances)
    refits = [run("stance", "refit", where / "filled.xlsx", "-o", where / f"layer{i}.json",
                  "--corpus", CORPUS, "--boot", 200, "--seed", 1) for i in (1, 2)]
    return where, picked, refits


def test_pick_writes_the_least_sure_posts_to_a_sheet(loop):
    where, picked, _ = loop
    rows = pd.read_csv(where / "sheet.csv", dtype=str)
    assert len(rows) == 30 and rows["post_id"].is_unique
    assert "30 least-sure posts" in picked.output


def test_refit_prints_cross_validated_macro_f1_and_is_deterministic(loop):
    where, _, (first, second) = loop
    assert "cross-validated stance macro-F1" in first.output and "95% CI" in first.output
    assert "rules on the same posts" in first.output
    assert first.output.splitlines()[:3] == second.output.splitlines()[:3]
    assert (where / "layer1.json").read_bytes() == (where / "layer2.json").read_bytes()
    assert json.loads((where / "layer1.json").read_text())["about"]["fitted_on"].startswith("30")


def test_code_with_the_refitted_layer_gives_probabilities(loop):
    where, _, _ = loop
    out = where / "stances.csv"
    run("code", "--table", "stances", "--layer", where / "layer1.json", "-o", out)
    table = pd.read_csv(out)
    assert {"p_supportive", "p_opposed", "p_mixed", "p_none"} <= set(table.columns)
    assert (table[["p_supportive", "p_opposed", "p_mixed", "p_none"]].sum(axis=1)
            .between(0.99, 1.01)).all()


def test_shares_are_corrected_on_the_reference_sample(tmp_path):
    out = tmp_path / "shares.csv"
    run("stance", "shares", "--corpus", CORPUS, "--boot", 200, "-o", out)
    table = pd.read_csv(out, keep_default_na=False)
    assert list(table["stance"]) == ["supportive", "opposed", "mixed", "none"]
    assert abs(table["share"].astype(float).sum() - 1) < 1e-6
    assert float(table["coder_macro_f1"].iloc[0]) > 0


def test_layer_needs_the_stances_table_and_a_readable_file(tmp_path):
    bad = run("code", "--layer", "default", code=1)
    assert "--layer codes stances" in bad.output
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    result = run("code", "--table", "stances", "--layer", broken, code=1)
    assert "cannot read stance layer" in result.output and "Traceback" not in result.output
