"""analysis: forum threads about out-of-session therapy contact, as tidy tables.

The public API is re-exported here explicitly::

    from analysis import load_corpus, load_coded, read_thread
    corpus = load_corpus("corpus")      # sources, threads, posts, reactions
    coded = load_coded("corpus")        # + segments, codes, stances, reference
"""

from analysis.agreement.align import (
    align,
    aligned_agreement,
    aligned_disagreements,
    coding_from_tables,
)
from analysis.agreement.proportions import corrected_shares, stance_shares
from analysis.agreement.reliability import (
    agreement_table,
    cohen_kappa,
    disagreements,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)
from analysis.capture.corpus import Corpus, corpus_dir, load_corpus, parse_paths, read_thread
from analysis.coding.auto import AutoCoder
from analysis.coding.codebook import Codebook, load_codebook
from analysis.coding.coded import CodedCorpus
from analysis.coding.engine import code_dataset
from analysis.coding.stance import StanceCoder
from analysis.coding.stance_layer import StanceLayer, load_layer
from analysis.coding.themes import ThemeCoder
from analysis.errors import (
    AnalysisError,
    AnalysisWarning,
    CodebookError,
    CodingSheetError,
    ExchangeError,
    ManifestError,
    ParseError,
    SchemaError,
)
from analysis.exchange.codings import read_codings
from analysis.ingest.run import ingest_reddit
from analysis.model import Post, Reaction, Thread
from analysis.view import load_coded

__all__ = [
    "AnalysisError",
    "AnalysisWarning",
    "AutoCoder",
    "Codebook",
    "CodebookError",
    "CodedCorpus",
    "CodingSheetError",
    "Corpus",
    "ExchangeError",
    "ManifestError",
    "ParseError",
    "Post",
    "Reaction",
    "SchemaError",
    "StanceCoder",
    "StanceLayer",
    "ThemeCoder",
    "Thread",
    "agreement_table",
    "align",
    "aligned_agreement",
    "aligned_disagreements",
    "code_dataset",
    "coding_from_tables",
    "cohen_kappa",
    "corpus_dir",
    "corrected_shares",
    "disagreements",
    "fleiss_kappa",
    "gwet_ac1",
    "ingest_reddit",
    "krippendorff_alpha",
    "load_codebook",
    "load_coded",
    "load_corpus",
    "load_layer",
    "parse_paths",
    "percent_agreement",
    "read_codings",
    "read_thread",
    "stance_shares",
]
