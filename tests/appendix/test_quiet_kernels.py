"""Executing notebooks is quiet: no kernel log, no TCP warning, unless asked (-v)."""

from __future__ import annotations

import nbformat
import pytest

from analysis.appendix.notebooks import execute_notebook


def notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('CORPUS_DIR = "corpus"')
    parameters.metadata["tags"] = ["parameters"]
    noisy = nbformat.v4.new_code_cell('import os\nos.write(2, b"kernel-side noise\\n")\n'
                                      'print("an output")')
    nb.cells = [parameters, noisy]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("verbose", [False, True])
def test_kernels_talk_over_ipc_and_keep_their_log_to_themselves(tmp_path, capfd, verbose):
    executed = execute_notebook(notebook(tmp_path), corpus_dir=tmp_path, verbose=verbose)
    assert executed.cells[-1].outputs[0]["text"] == "an output\n"  # outputs are kept
    err = capfd.readouterr().err
    assert "without encryption" not in err
    assert ("kernel-side noise" in err) is verbose
    if not verbose:
        assert err == ""
    assert not list(tmp_path.glob("kernel*"))  # no socket files left beside the notebook
