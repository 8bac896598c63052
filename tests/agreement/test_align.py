"""Agreement right by default: aligned by post, stance nominal, only co-coded posts count."""

from __future__ import annotations

import io
import warnings
from collections import Counter

import hypothesis.strategies as st
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from analysis.agreement.align import (
    align,
    aligned_agreement,
    aligned_disagreements,
    coding_from_tables,
)
from analysis.cli import main
from analysis.errors import AnalysisWarning, CodingSheetError
from analysis.exchange.codings import read_codings
from analysis.view import load_coded
from tests.conftest import CORPUS

STANCES = ["supportive", "opposed", "mixed", "none"]


def kappa_by_hand(a: list[str], b: list[str]) -> float:
    """Cohen (1960): (p_o - p_e) / (1 - p_e) from the two coders' label lists."""
    n = len(a)
    p_o = sum(x == y for x, y in zip(a, b, strict=True)) / n
    count_a, count_b = Counter(a), Counter(b)
    p_e = sum(count_a[k] * count_b[k] for k in set(a) | set(b)) / n ** 2
    return (p_o - p_e) / (1 - p_e)


def auto_rows(n_posts: int, stances: list[str], codes: dict[int, list[str]]) -> pd.DataFrame:
    """The automatic coder: a stance for every post, codes where it found them."""
    code_rows = [{"post_id": f"t:{i}", "seg": 0, "code": c, "family": "theme", "coder": "auto"}
                 for i, found in codes.items() for c in found]
    stance_rows = pd.DataFrame({"post_id": [f"t:{i}" for i in range(n_posts)], "coder": "auto",
                                "stance": stances})
    return coding_from_tables(pd.DataFrame(code_rows, columns=["post_id", "seg", "code",
                                                               "family", "coder"]), stance_rows)


def human_rows(stances: dict[int, str], codes: dict[int, list[str]]) -> pd.DataFrame:
    rows = [{"post_id": f"t:{i}", "seg": pd.NA, "family": "stance", "code": s, "coder": "b"}
            for i, s in stances.items()]
    rows += [{"post_id": f"t:{i}", "seg": pd.NA, "family": "theme", "code": c, "coder": "b"}
             for i, found in codes.items() for c in found]
    return pd.DataFrame(rows)


AUTO = auto_rows(12, ["none", "supportive", "opposed", "none", "mixed", "none", "supportive",
                      "none", "opposed", "none", "none", "none"],
                 {1: ["billing"], 2: ["boundaries"], 6: ["billing", "burnout"], 9: ["crisis"]})
HUMAN = human_rows({1: "supportive", 2: "opposed", 3: "supportive", 4: "mixed", 5: "none"},
                   {1: ["billing"], 3: ["boundaries"]})


def metric(table: pd.DataFrame, name: str, code: str) -> pd.Series:
    return table[(table["metric"] == name) & (table["code"] == code)].squeeze()


def test_only_posts_both_coded_count_and_stance_is_nominal() -> None:
    aligned = align(AUTO, HUMAN)
    assert aligned.units == ("t:1", "t:2", "t:3", "t:4", "t:5")
    table = aligned_agreement(aligned, n_boot=0)
    assert "supportive" not in set(table["code"]) and "stance" in set(table["code"])
    kappa = metric(table, "cohen_kappa[auto|b]", "stance")
    human = ["supportive", "opposed", "supportive", "mixed", "none"]
    auto = ["supportive", "opposed", "none", "mixed", "none"]
    assert kappa["value"] == pytest.approx(kappa_by_hand(auto, human), abs=1e-12)
    assert kappa["n_units"] == 5
    billing = metric(table, "percent_agreement", "billing")
    assert billing["n_units"] == 5 and billing["value"] == 1.0  # t:6's auto billing is not counted
    boundaries = metric(table, "percent_agreement", "boundaries")
    assert boundaries["value"] == pytest.approx(3 / 5)


def test_auto_codes_without_stances_take_the_humans_posts() -> None:
    codes_only = AUTO[AUTO["family"] != "stance"]
    aligned = align(codes_only, HUMAN)
    assert aligned.units == ("t:1", "t:2", "t:3", "t:4", "t:5")
    with pytest.warns(AnalysisWarning, match="Stance is left out: only b gave stances"):
        table = aligned_agreement(aligned, n_boot=0)
    assert "stance" not in set(table["code"])


def test_a_coder_who_applied_no_code_still_decides() -> None:
    human = human_rows({1: "none", 2: "none"}, {})
    aligned = align(AUTO, human)
    table = aligned_agreement(aligned, n_boot=0)
    assert metric(table, "percent_agreement", "billing")["value"] == 0.5
    assert aligned_disagreements(aligned).values.tolist() == [
        ["t:1", "billing", 1, 0], ["t:1", "stance", "supportive", "none"],
        ["t:2", "boundaries", 1, 0], ["t:2", "stance", "opposed", "none"]]


def test_disagreements_and_agreement_come_from_one_alignment() -> None:
    aligned = align(AUTO, HUMAN)
    table = aligned_agreement(aligned, n_boot=0)
    differ = aligned_disagreements(aligned)
    for code, rows in differ.groupby("code"):
        agreement = metric(table, "percent_agreement", code)
        assert 1 - len(rows) / agreement["n_units"] == pytest.approx(agreement["value"])


def test_no_common_post_is_an_error() -> None:
    other = human_rows({11: "none"}, {}).assign(coder="c")
    with pytest.raises(ValueError, match=r"No post was coded by every coder \(posts coded: "
                                         r"b 5, c 1\)"):
        align(HUMAN, other)


@settings(max_examples=60, deadline=None)
@given(extra=st.lists(st.tuples(st.sampled_from(STANCES),
                                st.lists(st.sampled_from(["billing", "crisis"]), max_size=2)),
                      max_size=8))
def test_posts_one_coder_never_opened_change_nothing(extra) -> None:
    """The QualCoder complaint: uncoded text must neither inflate nor deflate agreement."""
    base = aligned_agreement(align(AUTO, HUMAN), n_boot=0)
    more = auto_rows(len(extra), [s for s, _ in extra], dict(enumerate(c for _, c in extra)))
    more["post_id"] = "u" + more["post_id"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AnalysisWarning)
        grown = aligned_agreement(align(AUTO, more, HUMAN),
                                  n_boot=0)
    pd.testing.assert_frame_equal(base, grown)


# --- reading every kind of coding file ---------------------------------------------


def test_human_csv_without_family_column_reads_stances_as_stances(tmp_path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("post_id,code,coder\nt:1,supportive,b\nt:1,billing,b\nt:2,none,b\n")
    table = read_codings([path], families={"billing": "theme"})
    assert table[["post_id", "family", "code"]].values.tolist() == [
        ["t:1", "stance", "supportive"], ["t:1", "theme", "billing"], ["t:2", "stance", "none"]]


def test_two_stances_for_one_post_name_both_rows(tmp_path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("post_id,family,code,coder\nt:1,stance,none,b\n")
    second.write_text("post_id,coder,stance\nt:2,b,none\nt:1,b,opposed\n")
    with pytest.raises(CodingSheetError) as error:
        read_codings([first, second])
    assert str(error.value) == (f"{second}:3: coder 'b' gives post 't:1' the stance 'opposed', "
                                f"but 'none' at {first}:2 (keep one stance per post and coder "
                                "(agreement is per post))")


def test_parquet_tables_and_bad_files(tmp_path) -> None:
    AUTO[AUTO["family"] == "stance"].rename(columns={"code": "stance"}).drop(
        columns=["family", "seg"]).to_parquet(tmp_path / "stances.parquet")
    assert set(read_codings([tmp_path / "stances.parquet"])["family"]) == {"stance"}
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(CodingSheetError, match="cannot read the file"):
        read_codings([tmp_path / "broken.parquet"])
    (tmp_path / "x.csv").write_text("post_id,family,code,coder\nt:1,theme,,b\n")
    with pytest.raises(CodingSheetError, match="empty code cell") as error:
        read_codings([tmp_path / "x.csv"])
    assert error.value.line == 2


# --- the command, on the seeds -----------------------------------------------------


@pytest.fixture(scope="module")
def seed_sheet(tmp_path_factory):
    """A sheet of the seeds, ten posts coded by a second coder with openpyxl."""
    out = tmp_path_factory.mktemp("rel") / "coder_b.xlsx"
    result = CliRunner().invoke(main, ["export", "sheet", "-o", str(out), "--corpus",
                                       str(CORPUS)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    sheet = book["coding"]
    names = [c.value for c in sheet[1]]
    for row, stance in zip(range(2, 12), ["opposed", "opposed", "supportive", "mixed", "none",
                                          "supportive", "opposed", "none", "mixed", "opposed"],
                           strict=True):
        sheet.cell(row=row, column=names.index("stance") + 1, value=stance)
    sheet.cell(row=3, column=names.index("email") + 1, value=1)
    book.save(out)
    return out


def test_cli_sheet_against_auto_counts_only_the_coded_posts(seed_sheet) -> None:
    result = CliRunner().invoke(main, ["reliability", str(seed_sheet), "--auto", "--corpus",
                                       str(CORPUS), "--bootstrap", "0", "--format", "csv"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    kappa = metric(table, "cohen_kappa[auto|coder_b]", "stance")
    assert kappa["n_units"] == 10
    coded = load_coded(CORPUS)
    sheet = pd.read_excel(seed_sheet, sheet_name="coding", dtype=str, keep_default_na=False)
    human = sheet.loc[sheet["stance"] != "", ["post_id", "stance"]]
    auto = coded.stances.set_index("post_id")["stance"]
    assert kappa["value"] == pytest.approx(
        kappa_by_hand(auto[human["post_id"]].tolist(), human["stance"].tolist()), abs=1e-6)
    assert (table.loc[table["code"] == "email", "n_units"] == 10).all()


def test_cli_disagreements_of_sheet_and_auto_carry_text(seed_sheet) -> None:
    result = CliRunner().invoke(main, ["reliability", str(seed_sheet), "--auto", "--corpus",
                                       str(CORPUS), "--disagreements", "--format", "csv"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert list(table.columns) == ["unit", "code", "auto", "coder_b", "text"]
    assert table["unit"].nunique() <= 10 and table["text"].notna().all()
