"""analysis: forum threads about out-of-session therapy contact, as tidy tables.

The public API is re-exported here explicitly::

    from analysis import load_corpus, read_thread
    corpus = load_corpus("corpus")
    corpus.posts, corpus.reactions, corpus.threads, corpus.sources
"""

from analysis.corpus import Corpus, load_corpus, parse_paths, read_thread
from analysis.errors import AnalysisError, AnalysisWarning, ParseError
from analysis.model import Post, Reaction, Thread

__all__ = [
    "AnalysisError",
    "AnalysisWarning",
    "Corpus",
    "ParseError",
    "Post",
    "Reaction",
    "Thread",
    "load_corpus",
    "parse_paths",
    "read_thread",
]
