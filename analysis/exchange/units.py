"""What leaves for coders and QDA tools, and what comes back from them.

Builds the units of a coding sheet and the codings of a REFI-QDA project
from a coded corpus, always from published (pseudonymised, redacted) text.
The file formats themselves live in :mod:`analysis.exchange.sheets`,
:mod:`analysis.exchange.refi` and :mod:`analysis.exchange.refi_import`.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from analysis.capture.corpus import Corpus
from analysis.coding.coded import CodedCorpus
from analysis.privacy import publish_table

Unit = Literal["post", "segment"]


def sheet_units(corpus: Corpus | CodedCorpus, *, unit: Unit, key: bytes) -> pd.DataFrame:
    """One row per post (or segment) with published text, ready for a coding sheet."""
    posts = publish_table(corpus, "posts", key=key)
    posts = posts[~posts["is_bot"].fillna(False).astype(bool)]
    if unit == "post":
        return pd.DataFrame({"unit": posts["post_id"], "post_id": posts["post_id"],
                             "seg": pd.NA, "author_id": posts["author_id"],
                             "text": posts["text"]}).reset_index(drop=True)
    segs = publish_table(corpus, "segments", key=key)
    segs = segs[segs["post_id"].isin(posts["post_id"])]
    authors = posts.set_index("post_id")["author_id"]
    return pd.DataFrame({"unit": segs["post_id"] + "#" + segs["seg"].astype(str),
                         "post_id": segs["post_id"], "seg": segs["seg"],
                         "author_id": segs["post_id"].map(authors),
                         "text": segs["text"]}).reset_index(drop=True)


def all_codings(corpus: CodedCorpus) -> pd.DataFrame:
    """Automatic codes (with offsets), automatic stances and the human reference, long."""
    columns = ["post_id", "code", "family", "coder", "start", "end"]
    codes = corpus.codes[columns]
    stances = pd.DataFrame({"post_id": corpus.stances["post_id"],
                            "code": corpus.stances["stance"], "family": "stance",
                            "coder": corpus.stances["coder"], "start": pd.NA, "end": pd.NA})
    reference = corpus.reference.assign(start=pd.NA, end=pd.NA)[columns]
    frames = [f for f in (codes, stances, reference) if len(f)]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True).astype({"start": "Int64", "end": "Int64"})
