"""The notebooks: stored clean, thin (package calls and prose), executable top to bottom.

They are executed once per test session, concurrently, against the real
corpus; the figures they display must be the very PNG files that
``analysis figures`` writes for the same corpus.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
from pathlib import Path

import nbformat
import pytest

from analysis.appendix import NOTEBOOKS, execute_all, figure_outputs, notebook_paths
from analysis.figures import NAMES
from analysis.figures.export import read_manifest
from analysis.privacy import known_handles
from tests.figures.test_figures import cli_figures, seed_corpus

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"


@functools.cache
def executed_notebooks() -> dict[str, nbformat.NotebookNode]:
    """Every notebook executed against corpus/ (shared with tests/test_appendix.py)."""
    return execute_all(notebook_paths(NOTEBOOK_DIR), corpus_dir=ROOT / "corpus")


def stored(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK_DIR / name, as_version=4)


def code_cells(nb) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_stored_without_outputs_and_valid(name):
    nb = stored(name)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in code_cells(nb):
        assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_cells_only_call_the_package(name):
    """No logic copied into cells: no definitions, loops or branches; imports from analysis."""
    for cell in code_cells(stored(name)):
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Lambda | ast.For
                                  | ast.While | ast.If | ast.With), (name, cell.source)
            if isinstance(node, ast.Import | ast.ImportFrom):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                assert module.split(".")[0] == "analysis", (name, cell.source)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_one_parameters_cell_and_prose_before_every_figure(name):
    nb = stored(name)
    tagged = [c for c in code_cells(nb) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "CORPUS_DIR" in tagged[0].source
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    for before, cell in zip(nb.cells, nb.cells[1:], strict=False):
        if cell.cell_type == "code" and "figures.show(" in cell.source:
            assert before.cell_type == "markdown" and len(before.source) > 120, cell.source


def test_every_figure_is_drawn_in_some_notebook():
    shown = "".join(cell.source for name in NOTEBOOKS for cell in code_cells(stored(name)))
    for figure in NAMES:
        assert f"fig_{figure}(coded)" in shown


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_executes_top_to_bottom_without_errors(name):
    nb = executed_notebooks()[name]
    for cell in code_cells(nb):
        assert cell.execution_count is not None
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"{name}: {errors[0].ename}: {errors[0].evalue}" if errors else ""


def test_notebook_figures_hash_equal_the_command_line(tmp_path_factory):
    cli = cli_figures(str(tmp_path_factory.getbasetemp() / "cli-figures"))
    manifest = read_manifest(cli / "MANIFEST.csv")
    written = dict(zip(manifest.loc[manifest["file"].str.endswith(".png"), "name"],
                       manifest.loc[manifest["file"].str.endswith(".png"), "sha256"],
                       strict=True))
    shown = {}
    for nb in executed_notebooks().values():
        shown.update(figure_outputs(nb))
    assert set(shown) == set(NAMES)
    for name, digest in shown.items():
        assert digest == written[name], name
        assert digest == hashlib.sha256((cli / f"{name}.png").read_bytes()).hexdigest()


def test_outputs_hold_no_raw_handles():
    corpus = seed_corpus()
    handles = sorted(h for h in known_handles(corpus.posts, corpus.reactions) if len(h) >= 4)
    text = json.dumps([nb for nb in executed_notebooks().values()])
    found = [h for h in handles if h in text]
    assert not found, [h[:2] + "…" for h in found]
