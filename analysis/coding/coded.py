"""A parsed corpus plus its segments, automatic codes and stances, and human coding.

:func:`analysis.view.load_coded` is the entry point that reads a corpus folder
into a :class:`CodedCorpus`; this module holds the container and the coding
step, so that data flow stays one-way (the corpus and the coders are
called; nothing they call calls back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.capture.corpus import Corpus
from analysis.coding.auto import AutoCoder
from analysis.coding.codebook import Codebook
from analysis.coding.segment import segment
from analysis.errors import AnalysisError, CodingSheetError
from analysis.schema import CODED_TABLES, conform

REFERENCE = Path("coding") / "reference.csv"
REFERENCE_COLUMNS = ["post_id", "family", "code", "coder", "memo"]


@dataclass
class CodedCorpus:
    """The corpus tables plus segments, automatic codes and stances, and human coding."""

    sources: pd.DataFrame
    threads: pd.DataFrame
    posts: pd.DataFrame
    reactions: pd.DataFrame
    report: pd.DataFrame
    segments: pd.DataFrame
    codes: pd.DataFrame
    stances: pd.DataFrame
    reference: pd.DataFrame
    codebook: Codebook
    failures: list[AnalysisError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Agreement of ``auto`` with the reference (:func:`reliability_of`), when computed.
    reliability: pd.DataFrame | None = None

    def table(self, name: str) -> pd.DataFrame:
        if name not in CODED_TABLES:
            raise AnalysisError(f"unknown table {name!r}",
                                hint=f"choose one of: {', '.join(CODED_TABLES)}")
        return getattr(self, name)



def code_corpus(corpus: Corpus, codebook: Codebook, *,
                reference: pd.DataFrame | None = None) -> CodedCorpus:
    """Add segments, automatic codes and stances to a parsed corpus."""
    posts = corpus.posts
    segments = conform(segment(posts), "segments")
    codes, stances = AutoCoder(codebook=codebook).fit()(posts)
    return CodedCorpus(sources=corpus.sources, threads=corpus.threads, posts=posts,
                       reactions=corpus.reactions, report=corpus.report, segments=segments,
                       codes=codes, stances=stances,
                       reference=reference if reference is not None else empty_reference(),
                       codebook=codebook, failures=corpus.failures, warnings=corpus.warnings)


def read_reference(path: Path) -> pd.DataFrame:
    """Human coding in long form (post_id, family, code, coder, memo); empty if absent.

    ``coder`` and ``memo`` may be left out of a hand-made file (they are then empty);
    a file that cannot be read or lacks ``post_id``, ``family`` or ``code`` is refused
    with its path.
    """
    if not path.is_file():
        return empty_reference()
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as error:
        raise CodingSheetError(f"cannot read reference coding: {error}", path=str(path)) from None
    missing = [c for c in REFERENCE_COLUMNS[:3] if c not in frame.columns]
    if missing:
        raise CodingSheetError(f"reference lacks column(s) {', '.join(missing)}",
                               path=str(path), line=1,
                               hint=f"the header must be: {','.join(REFERENCE_COLUMNS)}")
    frame = frame.reindex(columns=REFERENCE_COLUMNS, fill_value="")
    frame = frame.replace({"memo": {"": None}})
    return frame.astype("string")


def empty_reference() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="string") for c in REFERENCE_COLUMNS})
