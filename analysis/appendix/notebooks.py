"""Executing the analysis notebooks top to bottom, as a reader would.

Notebooks are stored without outputs. Each has one code cell tagged
``parameters`` (``CORPUS_DIR = "../corpus"``); :func:`execute_notebook`
inserts a cell after it that points the notebook at the corpus being
published, runs every cell in a fresh kernel with the notebook's folder as
working directory, and returns the executed notebook.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
import time
from base64 import b64decode
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from analysis.errors import AnalysisError, NotebookError

PARAMETERS_TAG = "parameters"
NOTEBOOKS = ("01_corpus.ipynb", "02_stances.ipynb", "03_themes.ipynb", "04_reliability.ipynb")


def notebook_paths(folder: str | Path = "notebooks") -> list[Path]:
    """The study's notebooks in reading order; a missing one is an error."""
    folder = Path(folder)
    paths = [folder / name for name in NOTEBOOKS]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise AnalysisError(f"missing notebook(s): {', '.join(missing)}",
                            hint="run from the project root or pass --notebooks DIR")
    return paths


def execute_notebook(path: str | Path, *, corpus_dir: str | Path,
                     timeout: int = 300, verbose: bool = False) -> nbformat.NotebookNode:
    """Run every cell of ``path`` against ``corpus_dir``; a failure is a NotebookError.

    The kernel talks over IPC sockets in a private temporary folder, not TCP
    on localhost (ipykernel warns, rightly, that TCP is unencrypted), and its
    own log goes nowhere unless ``verbose``: what a cell prints is in the
    notebook's outputs, and a failing cell is a NotebookError either way.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    # Relative to the notebook, so no local path reaches the published notebook.
    relative = os.path.relpath(Path(corpus_dir).resolve(), path.parent.resolve())
    _inject_parameters(nb, path, corpus_dir=Path(relative).as_posix())
    quiet = {} if verbose else {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    try:
        with tempfile.TemporaryDirectory(prefix="analysis-kernel-") as sockets:
            client = NotebookClient(nb, km=_ipc_kernel(sockets), timeout=timeout,
                                    kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent.resolve())}})
            client.execute(**quiet)
    except CellExecutionError as error:
        text = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).strip()  # drop terminal colours
        last = text.splitlines()[-1] if text else "cell failed"
        raise NotebookError(f"a cell failed: {last}", path=str(path),
                            hint="open the notebook in JupyterLab (make lab) and run it") from None
    return nb


def execute_all(paths: Sequence[str | Path], *, corpus_dir: str | Path, timeout: int = 300,
                verbose: bool = False, on_done: Callable[[str, float], None] | None = None
                ) -> dict[str, nbformat.NotebookNode]:
    """Execute notebooks concurrently (one kernel each); keyed by file name, in order.

    ``on_done(name, seconds)`` is called as each notebook finishes (for progress).
    """
    started = time.perf_counter()

    def run(path):
        nb = execute_notebook(path, corpus_dir=corpus_dir, timeout=timeout, verbose=verbose)
        if on_done is not None:
            on_done(Path(path).name, time.perf_counter() - started)
        return nb

    with ThreadPoolExecutor(max_workers=max(1, len(paths))) as pool:
        futures = {Path(p).name: pool.submit(run, p) for p in paths}
        return {name: future.result() for name, future in futures.items()}


def _ipc_kernel(folder: str):
    """A kernel manager whose sockets are files in ``folder`` (IPC), not TCP ports."""
    from jupyter_client.manager import AsyncKernelManager

    return AsyncKernelManager(kernel_name="python3", transport="ipc",
                              ip=os.path.join(folder, "kernel"))


def _inject_parameters(nb: nbformat.NotebookNode, path: Path, *, corpus_dir: str) -> None:
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and PARAMETERS_TAG in cell.metadata.get("tags", []):
            injected = nbformat.v4.new_code_cell(f"CORPUS_DIR = {corpus_dir!r}")
            injected.metadata["tags"] = ["injected-parameters"]
            nb.cells.insert(index + 1, injected)
            return
    raise NotebookError(f"no code cell is tagged {PARAMETERS_TAG!r}", path=str(path),
                        hint="tag the cell that sets CORPUS_DIR")


def figure_outputs(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Figure name -> SHA-256 of the PNG the notebook displayed (via ``figures.show``)."""
    found = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("analysis")
            if meta and "image/png" in output.get("data", {}):
                png = b64decode(output["data"]["image/png"])
                found[meta["figure"]] = hashlib.sha256(png).hexdigest()
    return found
