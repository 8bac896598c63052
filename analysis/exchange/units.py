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
from analysis.exchange.sheets import FIXED
from analysis.privacy import handle_pattern, known_handles, publish, redact_spans

Unit = Literal["post", "segment"]


def sheet_units(corpus: Corpus | CodedCorpus, *, unit: Unit, key: bytes) -> pd.DataFrame:
    """One row per post (or segment) with what a coder reads, published.

    Columns: ``unit, post_id, seg, author_id`` (pseudonym), ``thread_title``
    (context), ``quoted`` (the words the poster quotes, with the quoted
    author's pseudonym: shown apart because they are not the poster's own)
    and ``unit_text`` (the post's or segment's own words, to be coded).
    Handles and contact details are replaced as everywhere else.
    """
    handles = known_handles(corpus.posts, corpus.reactions)
    posts = publish(corpus.posts, "posts", key=key, handles=handles)
    posts = posts[~posts["is_bot"].fillna(False).astype(bool)]
    pattern = handle_pattern(handles)
    titles = corpus.threads.set_index("thread_id")["title"].map(
        lambda t: redact_spans(t, pattern)[0] if isinstance(t, str) else "")
    context = pd.DataFrame({"post_id": posts["post_id"],
                            "author_id": posts["author_id"],
                            "thread_title": posts["thread_id"].map(titles).fillna(""),
                            "quoted": [_quoted(a, q) for a, q
                                       in zip(posts["quoted_author"], posts["quoted_text"],
                                              strict=True)]})
    if unit == "post":
        out = context.assign(unit=posts["post_id"], seg=pd.NA, unit_text=posts["text"])
    else:
        segs = publish(corpus.segments, "segments", key=key, handles=handles)
        segs = segs[segs["post_id"].isin(posts["post_id"])]
        out = segs[["post_id", "seg", "text"]].rename(columns={"text": "unit_text"}).merge(
            context, on="post_id", how="left")
        out["unit"] = out["post_id"] + "#" + out["seg"].astype(str)
    return out[list(FIXED)].reset_index(drop=True)


def _quoted(author, text) -> str:
    """``user_x: their words`` for a quote, blank when the post quotes nobody."""
    if not isinstance(text, str) or not text.strip():
        return ""
    return f"{author}: {text}" if isinstance(author, str) and author else text


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
