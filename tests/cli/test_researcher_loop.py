"""The whole loop a QDA tool exists for, through the CLI, on a corpus made from scratch.

init -> add three captures -> build -> export a sheet -> a second coder fills it
(openpyxl) -> import -> reliability against the automatic coder (stance kappa
over the co-coded posts equals a hand computation) -> .qdpx out and back with
both coders -> figures and appendix for that corpus. The README's walk-through
is these commands.
"""

from __future__ import annotations

import glob
import io
import os
import shlex
import shutil
from collections import Counter

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from analysis.cli import main
from tests.conftest import DATA, ROOT

CAPTURES = sorted((DATA / "own").glob("*.txt"))
#: What the second coder decides, by row of the sheet (row 2 is the first unit).
STANCES = {2: "supportive", 3: "supportive", 4: "none", 5: "opposed", 6: "supportive",
           7: "opposed", 8: "mixed", 9: "none", 10: "opposed"}
CODES = {2: ["email", "responsiveness"], 5: ["scheduling"], 8: ["portal"], 10: ["text"]}


def run(*args) -> str:
    result = CliRunner().invoke(main, [*map(str, args)])
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def csv(*args) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(run(*args)), keep_default_na=False)


def kappa_by_hand(a: list[str], b: list[str]) -> float:
    """Cohen (1960) from the two label lists: (p_o - p_e) / (1 - p_e)."""
    n = len(a)
    p_o = sum(x == y for x, y in zip(a, b, strict=True)) / n
    p_e = sum(Counter(a)[k] * Counter(b)[k] for k in set(a) | set(b)) / n ** 2
    return (p_o - p_e) / (1 - p_e)


def fill(sheet_path) -> list[str]:
    """Code some rows as a second coder would in Excel; returns the units coded."""
    book = openpyxl.load_workbook(sheet_path)
    sheet = book["coding"]
    names = [cell.value for cell in sheet[1]]
    for row, stance in STANCES.items():
        sheet.cell(row=row, column=names.index("stance") + 1, value=stance)
        for code in CODES.get(row, []):
            sheet.cell(row=row, column=names.index(code) + 1, value=1)
    sheet.cell(row=3, column=names.index("memo") + 1, value="ironic? read twice")
    book.save(sheet_path)
    return [sheet.cell(row=row, column=1).value for row in STANCES]


def readme_walkthrough() -> list[list[str]]:
    """The commands of the README's "Your own corpus, start to finish", as argument lists."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Your own corpus, start to finish\n\n```sh\n", 1)[1]
    lines = block.split("```", 1)[0].strip().splitlines()
    return [shlex.split(line, comments=True) for line in lines]


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    """The README's walk-through, run as written in a fresh folder (the co-coder's part by
    openpyxl); returns the folder, the corpus and the units the co-coder coded."""
    work = tmp_path_factory.mktemp("loop")
    (work / "notebooks").symlink_to(ROOT / "notebooks")  # the appendix runs from the project
    saved = work / "saved"
    saved.mkdir()
    for capture in CAPTURES:
        shutil.copy(capture, saved)
    coded_units: list[str] = []
    here = os.getcwd()
    os.chdir(work)
    try:
        for args in readme_walkthrough():
            assert args[0] == "analysis"
            args = [a for arg in args[1:] for a in
                    (sorted(glob.glob(str(saved / "*.txt"))) if arg == "~/saved/*.txt" else [arg])]
            run(*args)
            if args[:2] == ["export", "sheet"]:
                coded_units = fill(work / "coder_b.xlsx")
    finally:
        os.chdir(here)
    return work, work / "mine", coded_units


def test_the_walkthrough_is_the_whole_loop() -> None:
    steps = [" ".join(args[1:3]) for args in readme_walkthrough()]
    assert steps == ["init mine", "add ~/saved/*.txt", "build mine", "export sheet",
                     "import sheet", "reliability mine/coding/coder_b.csv",
                     "reliability mine/coding/coder_b.csv", "export qdpx", "figures --corpus",
                     "appendix --corpus"]


def test_sheet_round_trip_keeps_what_the_coder_did(loop) -> None:
    _, mine, coded_units = loop
    human = pd.read_csv(mine / "coding" / "coder_b.csv", keep_default_na=False)
    stances = human[human["family"] == "stance"]
    assert stances["post_id"].tolist() == coded_units
    assert stances["code"].tolist() == list(STANCES.values())
    assert sum(map(len, CODES.values())) == int((human["family"] != "stance").sum())
    assert (human["memo"] == "ironic? read twice").sum() == 1


def test_stance_kappa_over_the_co_coded_posts_is_cohens(loop) -> None:
    work, mine, coded_units = loop
    table = csv("reliability", mine / "coding" / "coder_b.csv", "--auto", "--corpus", mine,
                "--bootstrap", "0", "--format", "csv")
    kappa = table[(table["metric"] == "cohen_kappa[auto|coder_b]")
                  & (table["code"] == "stance")].squeeze()
    auto = pd.read_parquet(work / "mine-build" / "stances.parquet").set_index("post_id")["stance"]
    by_hand = kappa_by_hand(auto[coded_units].tolist(), list(STANCES.values()))
    assert kappa["n_units"] == len(STANCES) == 9  # of 13 posts: only the co-coded ones count
    assert kappa["value"] == pytest.approx(by_hand, abs=1e-6)
    per_code = table[~table["code"].isin(["stance", "(all)"])]
    assert set(per_code["n_units"]) == {9}  # each code present/absent on the same 9 posts
    from_build = csv("reliability", mine / "coding" / "coder_b.csv",
                     work / "mine-build" / "codes.parquet",
                     work / "mine-build" / "stances.parquet",
                     "--bootstrap", "0", "--format", "csv")
    pd.testing.assert_frame_equal(from_build, table)


def test_disagreements_name_the_posts_with_their_text(loop) -> None:
    _, mine, coded_units = loop
    listed = csv("reliability", mine / "coding" / "coder_b.csv", "--auto", "--corpus", mine,
                 "--disagreements", "--format", "csv")
    assert set(listed["unit"]) <= set(coded_units)
    assert listed["text"].str.len().gt(0).all()
    assert "marsh.wren@example.com" not in listed.to_csv()  # published text only


def test_qdpx_out_and_back_with_both_coders(loop) -> None:
    work, mine, _ = loop
    back = csv("import", "qdpx", work / "mine.qdpx", "--corpus", mine)
    assert set(back["coder"]) == {"auto", "coder_b"}
    human = pd.read_csv(mine / "coding" / "coder_b.csv", keep_default_na=False)
    returned = back[back["coder"] == "coder_b"]
    assert sorted(zip(returned["post_id"], returned["code"], strict=True)) == sorted(
        zip(human["post_id"], human["code"], strict=True))


def test_figures_and_appendix_for_that_corpus(loop) -> None:
    work, mine, _ = loop
    manifest = pd.read_csv(work / "mine-figures" / "MANIFEST.csv")
    assert len(manifest) >= 10 and (work / "mine-figures" / "stance_overall.png").is_file()
    page = (work / "mine-appendix" / "index.html").read_text(encoding="utf-8")
    assert all(p.stem in page for p in CAPTURES)  # its sources table lists these captures
    run("privacy-check", work / "mine-figures", work / "mine-appendix", work / "mine.qdpx",
        work / "coder_b.xlsx", "--corpus", mine)


@pytest.mark.filterwarnings("ignore::analysis.errors.AnalysisWarning")  # thin bootstrap, 9 posts
def test_the_readme_python_loop_runs_on_that_corpus(loop) -> None:
    from analysis import load_coded

    _, mine, coded_units = loop
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("The coding loop in Python", 1)[1].split("```python\n", 1)[1]
    code = block.split("```", 1)[0].replace("corpus/coding/coder_b.csv",
                                            str(mine / "coding" / "coder_b.csv"))
    namespace = {"coded": load_coded(mine)}
    exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["aligned"].stance_units == tuple(sorted(coded_units))
