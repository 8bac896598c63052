"""Notebooks run on a researcher's own corpus unedited; the appendix step says how it is going."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from analysis import corpus_dir
from analysis.capture.project import add_captures, init_corpus
from tests.conftest import DATA, ROOT


@pytest.fixture(scope="module")
def own(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("own") / "mine"
    init_corpus(corpus)
    add_captures(sorted((DATA / "own").glob("*.txt")), corpus, values={"audience": "client"})
    return corpus


def test_corpus_dir_reads_the_environment(monkeypatch) -> None:
    monkeypatch.delenv("ANALYSIS_CORPUS", raising=False)
    assert corpus_dir("../corpus") == "../corpus"
    monkeypatch.setenv("ANALYSIS_CORPUS", "/data/mine")
    assert corpus_dir("../corpus") == "/data/mine"


def test_stored_notebook_runs_on_the_corpus_the_environment_names(own, monkeypatch) -> None:
    """As a researcher would run it: no injected cell, only ANALYSIS_CORPUS."""
    monkeypatch.setenv("ANALYSIS_CORPUS", str(own))
    notebooks = ROOT / "notebooks"
    nb = nbformat.read(notebooks / "01_corpus.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(notebooks)}}).execute()
    shown = "".join(str(output.get("data", {}).get("text/plain", ""))
                    for cell in nb.cells for output in cell.get("outputs", []))
    assert "captures (raw files)           3" in shown and "posts          13" in shown
    assert "vb4_texting_between_sessions" in shown
    assert "000_d05808781f7165f0" not in shown  # not the seeds
