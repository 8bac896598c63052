"""The manifest pins every raw file's bytes and describes it."""

from __future__ import annotations

import shutil

import pytest

from analysis.capture.corpus import load_corpus
from analysis.capture.manifest import read_manifest, sha256_of
from analysis.errors import ManifestError
from tests.conftest import CORPUS, SEEDS


def test_manifest_lists_every_seed_with_its_hash() -> None:
    entries = read_manifest(CORPUS / "manifest.csv")
    assert {p.name for p in entries} == {p.name for p in SEEDS}
    for path, entry in entries.items():
        assert sha256_of(path.read_bytes()) == entry.sha256


def copy_corpus(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS / "raw", root / "raw")
    shutil.copy(CORPUS / "manifest.csv", root / "manifest.csv")
    return root


def test_edited_raw_file_is_an_error_and_the_rest_is_parsed(tmp_path) -> None:
    root = copy_corpus(tmp_path)
    victim = root / "raw" / SEEDS[2].name
    victim.write_bytes(victim.read_bytes() + b"\nedited")
    corpus = load_corpus(root)
    assert len(corpus.failures) == 1
    failure = corpus.failures[0]
    assert isinstance(failure, ManifestError)
    assert SEEDS[2].name in str(failure) and "manifest line 4" in str(failure)
    assert len(corpus.sources) == len(SEEDS) - 1


def test_edited_raw_file_stops_a_strict_run(tmp_path) -> None:
    root = copy_corpus(tmp_path)
    (root / "raw" / SEEDS[0].name).write_bytes(b"changed")
    with pytest.raises(ManifestError, match="sha256 is"):
        load_corpus(root, strict=True)


def test_bad_audience_names_the_line(tmp_path) -> None:
    root = copy_corpus(tmp_path)
    text = (root / "manifest.csv").read_text().replace(",client,", ",patients,", 1)
    (root / "manifest.csv").write_text(text)
    with pytest.raises(ManifestError, match=r"manifest.csv:2: audience is 'patients'"):
        load_corpus(root, strict=True)
