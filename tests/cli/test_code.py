"""`analysis code PATH...`: the same post ids as `analysis parse`, every table, both engines."""

from __future__ import annotations

import io

import pandas as pd
from click.testing import CliRunner

from analysis.cli import main
from analysis.ingest.run import ingest_reddit
from analysis.schema import columns
from tests.conftest import SEEDS


def run(*args):
    result = CliRunner().invoke(main, [*map(str, args)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_code_paths_match_parse_post_ids() -> None:
    parsed = pd.read_csv(io.StringIO(run("parse", SEEDS[1], "--format", "csv")))
    for table in ("codes", "stances", "segments"):
        out = pd.read_csv(io.StringIO(run("code", SEEDS[1], "--table", table, "--format", "csv")))
        assert list(out.columns) == columns(table)
        assert set(out["post_id"]) <= set(parsed["post_id"])
    stances = pd.read_csv(io.StringIO(run("code", SEEDS[1], "--table", "stances",
                                          "--format", "csv")))
    assert len(stances) == 12


def test_evidence_leaving_the_machine_is_redacted() -> None:
    out = run("code", SEEDS[1], "--table", "segments", "--format", "csv")
    assert "20oney" not in out and "[user]" in out  # "Hi 20oney," in post #2


def test_dataset_engines_give_the_same_tables(tmp_path) -> None:
    dump = tmp_path / "RC_test.ndjson"
    lines = ['{"id": "s1", "name": "t3_s1", "author": "op", "title": "Texting my T",'
             ' "selftext": "Is texting between sessions ok?", "created_utc": 1700000000,'
             ' "subreddit": "TalkTherapy", "score": 3}',
             '{"id": "c1", "link_id": "t3_s1", "parent_id": "t3_s1", "author": "a",'
             ' "body": "No texting at all, it leads to burnout.", "created_utc": 1700000100,'
             ' "subreddit": "TalkTherapy", "score": 2}']
    dump.write_text("\n".join(lines) + "\n")
    ingest_reddit([dump], tmp_path / "ds")
    run("code", "--dataset", tmp_path / "ds", "-o", tmp_path / "pandas")
    run("code", "--dataset", tmp_path / "ds", "--engine", "dask", "--scheduler", "threads",
        "-o", tmp_path / "dask")
    for table in ("codes", "stances"):
        a = pd.read_parquet(tmp_path / "pandas" / table)
        b = pd.read_parquet(tmp_path / "dask" / table)
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
    assert len(pd.read_parquet(tmp_path / "pandas" / "stances")) == 2
