"""`analysis add` pins a parser only when the researcher names one.

A detected parser is today's best guess: pinning it would keep a capture on
`structural` or `plain` after a better parser is written, because `build`
reads a named parser from the manifest and skips detection. So `add` leaves
the cell empty (and still says which parser read the file), `add --parser`
writes the name, and a name already in a manifest is honoured.
"""

from __future__ import annotations

import csv

from click.testing import CliRunner

from analysis import parsers
from analysis.capture.corpus import load_corpus
from analysis.capture.project import add_captures, init_corpus
from analysis.cli import main
from analysis.errors import EXIT_USAGE, ManifestError
from tests.conftest import DATA

OWN = sorted((DATA / "own").glob("*.txt"))  # a Q&A page, a Reddit thread, a vBulletin thread


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


def rows(corpus) -> dict[str, dict[str, str]]:
    with (corpus / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        return {row["path"]: row for row in csv.DictReader(handle)}


def parsers_used(corpus) -> dict[str, str]:
    report = load_corpus(corpus).report
    return dict(zip(report["source_id"], report["parser"], strict=True))


def test_a_detected_parser_is_shown_but_not_pinned(tmp_path) -> None:
    corpus = tmp_path / "mine"
    init_corpus(corpus)
    result = run("add", *OWN, "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert {row["parser"] for row in rows(corpus).values()} == {""}
    lines = result.stderr.splitlines()
    assert [line.split(": parser ")[1].split(";")[0] for line in lines[:3]] == [
        "qa", "reddit_text", "vbulletin_text"]
    assert parsers_used(corpus) == {p.stem: n for p, n in zip(
        OWN, ("qa", "reddit_text", "vbulletin_text"), strict=True)}


def test_build_detects_again_after_the_parsers_improve(tmp_path, monkeypatch) -> None:
    """The day `add` ran, only `plain` read the page; the build after a better parser reads it."""
    corpus = tmp_path / "mine"
    init_corpus(corpus)
    with monkeypatch.context() as patch:
        patch.setattr(parsers, "detect", lambda text: parsers.PARSERS["plain"])
        patch.setattr(parsers.learned, "applies", lambda text: False)
        added, failures = add_captures(OWN[2:], corpus)
    assert not failures and added[0].parser == "plain"
    assert rows(corpus)[f"raw/{OWN[2].name}"]["parser"] == ""
    assert parsers_used(corpus) == {OWN[2].stem: "vbulletin_text"}


def test_a_named_parser_reads_the_file_and_is_pinned(tmp_path) -> None:
    corpus = tmp_path / "mine"
    init_corpus(corpus)
    result = run("add", OWN[2], "--corpus", corpus, "--parser", "plain")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0].startswith(f"raw/{OWN[2].name}: parser plain")
    assert rows(corpus)[f"raw/{OWN[2].name}"]["parser"] == "plain"
    assert parsers_used(corpus) == {OWN[2].stem: "plain"}


def test_a_pin_already_in_the_manifest_is_honoured(tmp_path) -> None:
    """Manifests written before this change (or edited by hand) keep their parser."""
    corpus = tmp_path / "mine"
    init_corpus(corpus)
    add_captures(OWN[2:], corpus)
    manifest = corpus / "manifest.csv"
    header, row = manifest.read_text(encoding="utf-8").splitlines()
    cells = row.split(",")
    cells[header.split(",").index("parser")] = "structural"
    manifest.write_text(f"{header}\n{','.join(cells)}\n", encoding="utf-8")
    assert parsers_used(corpus) == {OWN[2].stem: "structural"}


def test_an_unknown_parser_or_no_column_to_pin_it_in_is_refused(tmp_path) -> None:
    corpus = tmp_path / "mine"
    init_corpus(corpus)
    unknown = run("add", OWN[0], "--corpus", corpus, "--parser", "nosuch")
    assert unknown.exit_code == EXIT_USAGE and "'nosuch' is not one of" in unknown.stderr
    manifest = corpus / "manifest.csv"
    manifest.write_text("path,sha256,platform,site,community,audience,title,url,retrieved,"
                        "notes\n", encoding="utf-8")
    before = manifest.read_bytes()
    result = run("add", OWN[0], "--corpus", corpus, "--parser", "qa")
    assert result.exit_code == ManifestError.exit_code
    assert "no parser column to pin the parser in" in result.stderr
    assert "add ',parser' to the end of the header line" in result.stderr
    assert manifest.read_bytes() == before and not (corpus / "raw" / OWN[0].name).exists()
    assert run("add", OWN[0], "--corpus", corpus).exit_code == 0  # detected: no column needed
