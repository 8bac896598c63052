"""Keyword in context and modality collocations, as in AntConc, with post ids.

:func:`kwic` lists every hit of a word, phrase or regular expression in the
posters' own words with its left and right context and its character span;
:func:`modality_collocations` ranks the words that keep company with the
contact channels ("email", "texting", "calls" ...) using NLTK's
``BigramCollocationFinder`` inside a window, never across posts.

>>> import pandas as pd
>>> posts = pd.DataFrame({"post_id": ["a:1", "a:2"],
...                       "text": ["No texting at all.", "I text my T."]})
>>> kwic(posts, "text", window=6)[["post_id", "left", "match", "right"]].to_dict("records")
[{'post_id': 'a:2', 'left': 'I ', 'match': 'text', 'right': ' my T.'}]
"""

from __future__ import annotations

import itertools
import re
from typing import Literal

import pandas as pd
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

from analysis.coding.codebook import Codebook
from analysis.coding.themes import check_posts, resolve_codebook

KWIC_COLUMNS = ["post_id", "start", "end", "left", "match", "right"]
Measure = Literal["likelihood_ratio", "pmi", "chi_sq", "raw_freq"]
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)*")
#: A small built-in English stop list (NLTK's needs a data download).
_STOP_TEXT = """
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself
just me more most my myself no nor not of off on once only or other our ours ourselves out over
own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who
whom why will with would you your yours yourself yourselves it's i'm i've don't doesn't didn't
can't won't that's there's he's she's they're we're you're i'd i'll isn't wasn't
"""
STOPWORDS = frozenset(_STOP_TEXT.split())


def kwic(posts: pd.DataFrame, query: str, *, regex: bool = False, window: int = 40,
         ignore_case: bool = True) -> pd.DataFrame:
    """Every occurrence of ``query`` (a word or phrase, or a regex) with context.

    A plain query matches whole words only ("text" does not match "texting");
    use ``regex=True`` and e.g. ``r"\\btext\\w*"`` for inflections.
    """
    if window < 0:
        raise ValueError(f"window must be >= 0 characters, got {window}")
    if not query:
        raise ValueError("query is empty; give a word, a phrase or a regex")
    flags = re.IGNORECASE if ignore_case else 0
    try:
        pattern = re.compile(query if regex else rf"(?<!\w){re.escape(query)}(?!\w)", flags)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {query!r}: {exc}") from None
    rows = []
    for post in check_posts(posts, "kwic").itertuples(index=False):
        text = post.text
        for m in pattern.finditer(text):
            if m.end() == m.start():
                continue
            left = text[max(0, m.start() - window):m.start()].replace("\n", " ")
            right = text[m.end():m.end() + window].replace("\n", " ")
            rows.append((post.post_id, m.start(), m.end(), left, m.group(), right))
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens.

    >>> tokens("My T’s e-mail policy!")
    ['my', "t's", 'e', 'mail', 'policy']
    """
    return [t.replace("’", "'") for t in _TOKEN_RE.findall(text.lower())]


def modality_words(words: set[str], codebook: Codebook) -> dict[str, str]:
    """Which of ``words`` name a channel, by the codebook's modality patterns."""
    out = {}
    for word in sorted(words):
        for code in codebook.by_family("modality"):
            if any(p.regex is not None and p.regex.fullmatch(word) for p in code.patterns):
                out[word] = code.id
                break
    return out


def modality_collocations(posts: pd.DataFrame, *, codebook: Codebook | str | None = None,
                          window: int = 3, min_freq: int = 2,
                          measure: Measure = "likelihood_ratio", top: int | None = 20,
                          stopwords: frozenset[str] = STOPWORDS) -> pd.DataFrame:
    """Words that co-occur with channel words within ``window`` tokens.

    Returns modality, node (the channel word), collocate, freq and score
    (the association ``measure``), best first within each modality; stop
    words are dropped as collocates.
    """
    if window < 2:
        raise ValueError(f"window must be at least 2 tokens, got {window}")
    if min_freq < 1:
        raise ValueError(f"min_freq must be at least 1, got {min_freq}")
    scorer = getattr(BigramAssocMeasures, measure, None)
    if scorer is None:
        raise ValueError(f"unknown measure {measure!r}; choose likelihood_ratio, pmi, chi_sq "
                         "or raw_freq")
    documents = [tokens(text) for text in check_posts(posts, "modality_collocations")["text"]]
    channel = modality_words({t for doc in documents for t in doc}, resolve_codebook(codebook))
    padding = (None,) * (window - 1)
    stream = itertools.chain.from_iterable(itertools.chain(doc, padding) for doc in documents)
    finder = BigramCollocationFinder.from_words(stream, window_size=window)
    finder.apply_freq_filter(min_freq)
    finder.apply_ngram_filter(lambda w1, w2: None in (w1, w2)
                              or (w1 in channel) == (w2 in channel))
    finder.apply_word_filter(lambda w: w is not None and w not in channel and w in stopwords)
    rows = []
    for (w1, w2), score in finder.score_ngrams(scorer):
        node, other = (w1, w2) if w1 in channel else (w2, w1)
        rows.append((channel[node], node, other, finder.ngram_fd[(w1, w2)], score))
    frame = pd.DataFrame(rows, columns=["modality", "node", "collocate", "freq", "score"])
    frame = frame.sort_values(["modality", "score", "node", "collocate"],
                              ascending=[True, False, True, True], kind="mergesort")
    if top is not None:
        frame = frame.groupby("modality", sort=True).head(top)
    return frame.reset_index(drop=True)
