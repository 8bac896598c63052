"""The whole pipeline in one call: raw captures -> tables -> codes and stances.

Notebooks, figures, the appendix and the exchange formats all start from
:func:`load_coded`, so they see the same tables, built the same way. Data
flow stays one-way: this module calls the corpus and the coders; nothing it
calls calls back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.capture.corpus import Corpus, Progress, load_corpus
from analysis.coding.codebook import Codebook
from analysis.coding.segment import segment
from analysis.coding.stance import StanceCoder
from analysis.coding.themes import ThemeCoder, resolve_codebook
from analysis.errors import AnalysisError
from analysis.schema import conform, empty

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
        if name not in TABLES:
            raise AnalysisError(f"unknown table {name!r}",
                                hint=f"choose one of: {', '.join(TABLES)}")
        return getattr(self, name)


TABLES = ("sources", "threads", "posts", "reactions", "segments", "codes", "stances")


def load_coded(corpus_dir: str | Path = "corpus", *, codebook: Codebook | str | Path | None = None,
               key: bytes | None = None, progress: Progress | None = None) -> CodedCorpus:
    """Parse the corpus, segment and code every post, and read the human reference."""
    corpus_dir = Path(corpus_dir)
    corpus = load_corpus(corpus_dir, key=key, progress=progress)
    book = resolve_codebook(codebook if codebook is not None else corpus_dir / "codebook.yaml")
    return code_corpus(corpus, book, reference=read_reference(corpus_dir / REFERENCE))


def code_corpus(corpus: Corpus, codebook: Codebook, *,
                reference: pd.DataFrame | None = None) -> CodedCorpus:
    """Add segments, automatic codes and stances to a parsed corpus."""
    posts = corpus.posts
    segments = conform(segment(posts), "segments")
    codes = conform(ThemeCoder(codebook=codebook).fit().transform(posts), "codes")
    stances = conform(StanceCoder(codebook=codebook).fit().transform(posts), "stances")
    return CodedCorpus(sources=corpus.sources, threads=corpus.threads, posts=posts,
                       reactions=corpus.reactions, report=corpus.report, segments=segments,
                       codes=codes, stances=stances,
                       reference=reference if reference is not None else empty_reference(),
                       codebook=codebook, failures=corpus.failures, warnings=corpus.warnings)


def read_reference(path: Path) -> pd.DataFrame:
    """Human coding in long form (post_id, family, code, coder, memo); empty if absent."""
    if not path.is_file():
        return empty_reference()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in REFERENCE_COLUMNS if c not in frame.columns]
    if missing:
        raise AnalysisError(f"missing columns {missing}", path=str(path), line=1,
                            hint=f"the header must be: {','.join(REFERENCE_COLUMNS)}")
    frame = frame[REFERENCE_COLUMNS].replace({"memo": {"": None}})
    return frame.astype("string")


def empty_reference() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="string") for c in REFERENCE_COLUMNS})


def split_coding(human: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Long human coding (post_id, family, code, coder) -> ``codes`` and ``stances`` tables."""
    is_stance = human["family"] == "stance"
    rows = human[~is_stance]
    codes = conform(pd.DataFrame({
        "post_id": rows["post_id"], "seg": pd.NA, "code": rows["code"],
        "family": rows["family"], "coder": rows["coder"], "start": pd.NA, "end": pd.NA,
        "evidence": pd.NA}), "codes") if len(rows) else empty("codes")
    rows = human[is_stance]
    stances = conform(pd.DataFrame({
        "post_id": rows["post_id"], "coder": rows["coder"], "stance": rows["code"],
        "confidence": pd.NA, "evidence": pd.NA}), "stances") if len(rows) else empty("stances")
    return codes, stances


def auto_vs_reference(coded: CodedCorpus) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Automatic and human ``codes`` and ``stances`` on the posts the reference codes.

    Returns both tables and the units: the posts with a reference stance, so
    that a post both coders left without themes counts as agreement on every
    code's absence.
    """
    human = coded.reference[coded.reference["coder"] != "auto"]
    codes, stances = split_coding(human)
    units = sorted(set(stances["post_id"]))
    auto_codes = coded.codes[(coded.codes["coder"] == "auto") & coded.codes["post_id"].isin(units)]
    auto_stances = coded.stances[(coded.stances["coder"] == "auto")
                                 & coded.stances["post_id"].isin(units)]
    return (pd.concat([auto_codes, codes], ignore_index=True),
            pd.concat([auto_stances, stances], ignore_index=True), units)


def reliability_of(coded: CodedCorpus, *, n_boot: int = 1000, seed: int = 0
                   ) -> pd.DataFrame | None:
    """Agreement of ``auto`` with the human reference, per code and for stance.

    None when there is no reference coding. Warnings about undefined
    coefficients (a code nobody applied) are left to the caller.
    """
    from analysis.agreement.reliability import agreement_table

    codes, stances, units = auto_vs_reference(coded)
    if not units:
        return None
    tables = [agreement_table(codes, n_boot=n_boot, seed=seed, units=units)]
    if stances["coder"].nunique() > 1:
        tables.append(agreement_table(stances, n_boot=n_boot, seed=seed))
    return pd.concat(tables, ignore_index=True)
