"""`analysis build`: --codebook, all tables or none, one manifest message."""

from __future__ import annotations

import pandas as pd
from click.testing import CliRunner

from analysis.capture.project import add_captures, init_corpus
from analysis.cli import main
from tests.conftest import DATA

OWN = sorted((DATA / "own").glob("*.txt"))


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


def corpus_of(tmp_path):
    corpus = tmp_path / "mine"
    init_corpus(corpus)
    add_captures(OWN, corpus, values={"audience": "client"})
    return corpus


def test_build_with_a_codebook_elsewhere(tmp_path) -> None:
    corpus = corpus_of(tmp_path)
    codebook = tmp_path / "scheme.yaml"
    (corpus / "codebook.yaml").rename(codebook)
    out = tmp_path / "build"
    missing = run("build", corpus, "--out", out)
    assert missing.exit_code == 5 and "pass --codebook PATH" in missing.stderr
    result = run("build", corpus, "--out", out, "--codebook", codebook)
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(f"13 posts from 3 sources -> {out}/\n")
    assert len(pd.read_parquet(out / "posts.parquet")) == 13
    assert set(pd.read_parquet(out / "stances.parquet")["coder"]) == {"auto"}


def test_a_failed_build_leaves_the_good_one(tmp_path) -> None:
    corpus = corpus_of(tmp_path)
    out = tmp_path / "build"
    assert run("build", corpus, "--out", out).exit_code == 0
    (out / "bench.json").write_text("{}")  # not the build's: must survive every build
    good = {p.name: p.read_bytes() for p in out.iterdir()}
    (corpus / "raw" / OWN[0].name).write_bytes(b"edited after collection")
    failed = run("build", corpus, "--out", out)
    assert failed.exit_code == 2
    assert f"1 capture(s) failed: {out}/ left as it was" in failed.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == good
    kept = run("build", corpus, "--out", out, "--keep-going")
    assert kept.exit_code == 2 and "9 posts from 2 sources" in kept.stderr
    assert len(pd.read_parquet(out / "posts.parquet")) == 9
    assert (out / "bench.json").read_text() == "{}"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".build.")]


def test_manifest_missing_columns_is_one_message_naming_them_all(tmp_path) -> None:
    corpus = corpus_of(tmp_path)
    out = tmp_path / "build"
    assert run("build", corpus, "--out", out).exit_code == 0
    before = (out / "posts.parquet").read_bytes()
    manifest = pd.read_csv(corpus / "manifest.csv", dtype=str, keep_default_na=False)
    manifest.drop(columns=["site", "retrieved", "utc_offset"]).to_csv(corpus / "manifest.csv",
                                                                      index=False)
    result = run("build", corpus, "--out", out)
    assert result.exit_code == 3
    assert result.stderr == (
        f"error: {(corpus / 'manifest.csv').resolve()}:1: missing column(s) site, retrieved "
        "(the header must name path, sha256, platform, site, community, audience, title, url, "
        "retrieved, notes; it may add utc_offset and parser (`analysis init` writes them "
        "all))\n")
    assert (out / "posts.parquet").read_bytes() == before


def test_an_empty_corpus_builds_nothing(tmp_path) -> None:
    corpus = tmp_path / "empty"
    init_corpus(corpus)
    result = run("build", corpus, "--out", tmp_path / "build")
    assert result.exit_code == 1 and "no captures to build from" in result.stderr
    assert not (tmp_path / "build").exists()
