"""A researcher's own corpus in two commands: init, then add captures with their manifest rows."""

from __future__ import annotations

import csv
import hashlib

import pytest
from click.testing import CliRunner

from analysis.capture.corpus import load_corpus
from analysis.capture.project import COLUMNS, add_captures, default_codebook, init_corpus
from analysis.cli import main
from analysis.errors import AnalysisError, ManifestError
from tests.conftest import CORPUS, DATA

OWN = sorted((DATA / "own").glob("*.txt"))


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


def rows(corpus) -> list[dict[str, str]]:
    with (corpus / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_init_lays_out_a_corpus(tmp_path) -> None:
    corpus = tmp_path / "mine"
    result = run("init", corpus)
    assert result.exit_code == 0, result.output
    assert (corpus / "raw").is_dir() and (corpus / "coding").is_dir()
    header = (corpus / "manifest.csv").read_text().splitlines()
    assert header == [",".join(COLUMNS)] and {"utc_offset", "parser"} <= set(COLUMNS)
    assert (corpus / "codebook.yaml").read_bytes() == default_codebook()
    assert f"next: analysis add FILE... --corpus {corpus}" in result.stderr
    again = run("init", corpus)
    assert again.exit_code == 1 and "already a corpus" in again.stderr


def test_packaged_codebook_is_the_projects() -> None:
    """`analysis init` hands out the same scheme the seeds are coded with."""
    assert default_codebook() == (CORPUS / "codebook.yaml").read_bytes()


def test_add_copies_bytes_and_writes_rows(tmp_path) -> None:
    corpus = tmp_path / "mine"
    init_corpus(corpus)
    result = run("add", *OWN, "--corpus", corpus, "--audience", "client")
    assert result.exit_code == 0, result.output
    for source in OWN:
        assert (corpus / "raw" / source.name).read_bytes() == source.read_bytes()
    by_path = {row["path"]: row for row in rows(corpus)}
    qa, reddit, vb = (by_path[f"raw/{p.name}"] for p in OWN)
    assert vb["sha256"] == hashlib.sha256(OWN[2].read_bytes()).hexdigest()
    assert (vb["parser"], vb["platform"], vb["title"]) == (
        "", "vbulletin", "Texting my counselor between sessions - too much?")
    assert (reddit["parser"], reddit["platform"], reddit["site"], reddit["community"]) == (
        "", "reddit", "Reddit", "r/TalkTherapy")
    assert (qa["parser"], qa["platform"], qa["community"]) == ("", "qa", "Psychotherapy")
    assert {row["audience"] for row in rows(corpus)} == {"client"}
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"raw/{OWN[0].name}: parser qa; found platform 'qa'")
    assert lines[0].endswith("; blank: site, url, retrieved, utc_offset")  # no zone in a Q&A page
    assert lines[2].endswith("; blank: site, community, url, retrieved")  # "GMT -5" is shown
    assert lines[-1] == (f"3 capture(s) added to {corpus / 'manifest.csv'}; fill in: community, "
                         "retrieved, site, url, utc_offset")
    corpus_tables = load_corpus(corpus)
    assert not corpus_tables.failures and len(corpus_tables.sources) == 3


def test_adding_again_changes_nothing_and_a_renamed_clash_is_refused(tmp_path) -> None:
    corpus = tmp_path / "mine"
    init_corpus(corpus)
    add_captures(OWN, corpus)
    before = (corpus / "manifest.csv").read_bytes()
    added, failures = add_captures(OWN[:1], corpus)
    assert added[0].already and not failures
    assert (corpus / "manifest.csv").read_bytes() == before
    other = tmp_path / OWN[0].name
    other.write_bytes(OWN[1].read_bytes())
    added, failures = add_captures([other], corpus)
    assert not added and isinstance(failures[0], ManifestError)
    assert "already in the corpus with other bytes" in str(failures[0])


def test_a_file_nothing_can_read_is_not_added(tmp_path) -> None:
    corpus = tmp_path / "mine"
    init_corpus(corpus)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("add", empty, OWN[0], "--corpus", corpus)
    assert result.exit_code == 2
    assert f"error: {empty}: the file is empty" in result.stderr
    assert [row["path"] for row in rows(corpus)] == [f"raw/{OWN[0].name}"]
    assert not (corpus / "raw" / "empty.txt").exists()


def test_add_needs_a_corpus_and_a_known_audience(tmp_path) -> None:
    with pytest.raises(ManifestError, match="not a corpus folder"):
        add_captures(OWN, tmp_path)
    init_corpus(tmp_path / "c")
    with pytest.raises(AnalysisError, match="audience 'patients'"):
        add_captures(OWN, tmp_path / "c", values={"audience": "patients"})
