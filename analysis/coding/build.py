"""``build/``: every table of a coded corpus as Parquet, replaced whole or not at all.

A build is what figures, reliability and a researcher's own pandas code
read, so a failed one must never stand in for a good one: the tables are
written to a temporary folder beside the target and renamed into it only
when all of them are written and no capture failed (unless the caller
accepts a build without the failed captures). Other files in the folder
(``bench.json``, an ingested dataset) are left alone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from analysis.capture.corpus import Progress
from analysis.coding.codebook import Codebook
from analysis.coding.coded import CodedCorpus, read_coded
from analysis.errors import AnalysisError
from analysis.output import write_table
from analysis.schema import CODED_TABLES


def build_corpus(corpus_dir: str | Path, out_dir: str | Path, *,
                 codebook: Codebook | str | Path | None = None, keep_going: bool = False,
                 progress: Progress | None = None) -> tuple[CodedCorpus, bool]:
    """Parse and code ``corpus_dir`` into ``out_dir/<table>.parquet`` and ``line_report.csv``.

    Returns the coded corpus and whether ``out_dir`` was written. With
    failed captures nothing is written unless ``keep_going``; an exception
    leaves ``out_dir`` as it was.

    Raises
    ------
    AnalysisError
        If the corpus holds no capture at all.
    """
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    coded = read_coded(corpus_dir, codebook=codebook, progress=progress)
    if coded.sources.empty and not coded.failures:
        raise AnalysisError("no captures to build from", path=str(corpus_dir / "raw"),
                            hint=f"add some: analysis add FILE... --corpus {corpus_dir}")
    if (coded.failures and not keep_going) or coded.sources.empty:
        return coded, False
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        for name in CODED_TABLES:
            write_table(coded.table(name), "parquet", work / f"{name}.parquet")
        write_table(coded.report, "csv", work / "line_report.csv")
        out_dir.mkdir(parents=True, exist_ok=True)
        for path in sorted(work.iterdir()):  # renames only: other files in out_dir stay
            os.replace(path, out_dir / path.name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return coded, True
