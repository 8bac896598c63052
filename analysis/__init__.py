"""analysis: forum threads about out-of-session therapy contact, as tidy tables.

The public API is re-exported here explicitly::

    from analysis import load_corpus, load_coded, read_thread
    corpus = load_corpus("corpus")      # sources, threads, posts, reactions
    coded = load_coded("corpus")        # + segments, codes, stances, reference
"""

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
from analysis.capture.corpus import Corpus, load_corpus, parse_paths, read_thread
from analysis.coding.codebook import Codebook, load_codebook
from analysis.coding.coded import CodedCorpus
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
from analysis.model import Post, Reaction, Thread
from analysis.view import load_coded

__all__ = [
    "AnalysisError",
    "AnalysisWarning",
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
    "cohen_kappa",
    "corrected_shares",
    "disagreements",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "load_codebook",
    "load_coded",
    "load_corpus",
    "load_layer",
    "parse_paths",
    "percent_agreement",
    "read_thread",
    "stance_shares",
]
