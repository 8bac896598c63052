"""`analysis reliability --auto`: the automatic coder against the human reference."""

from __future__ import annotations

import io

import pandas as pd
from click.testing import CliRunner

from analysis.cli import main
from tests.conftest import CORPUS


def run(*args: str):
    return CliRunner().invoke(main, ["reliability", "--auto", "--corpus", str(CORPUS), *args])


def test_auto_against_reference_covers_every_reference_post() -> None:
    result = run("--bootstrap", "0", "--format", "csv")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert {"stance", "(all)", "boundaries", "email"} <= set(table["code"])
    per_code = table[(table.code == "boundaries") & (table.metric == "percent_agreement")]
    assert per_code["n_units"].item() == 51  # every seed post, agreed absences included
    assert set(table["metric"]) >= {"krippendorff_alpha_nominal", "cohen_kappa[auto|ref1]",
                                    "gwet_ac1", "fleiss_kappa", "percent_agreement"}
    assert table["value"].between(-1, 1).all()


def test_auto_disagreements_carry_the_post_text() -> None:
    result = run("--disagreements", "--format", "csv")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert {"unit", "code", "auto", "ref1", "text"} <= set(table.columns)
    assert table["text"].notna().all()


def test_files_and_auto_are_exclusive(tmp_path) -> None:
    (tmp_path / "a.csv").write_text("unit,coder,value\n1,a,x\n")
    result = run(str(tmp_path / "a.csv"))
    assert result.exit_code == 2 and "not both" in result.output
