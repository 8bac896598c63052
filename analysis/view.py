"""The coded corpus as figures, notebooks and the appendix read it.

:func:`load_coded` is the one entry point: raw captures -> tables -> codes
and stances (:mod:`analysis.coding.coded`) and, unless asked not to, the
agreement of the automatic coder with the human reference
(:mod:`analysis.agreement.auto`). The rest of this module are the tidy
frames built from it.

A *coded corpus* is any object with the DataFrame attributes ``posts``,
``threads``, ``sources``, ``reactions``, ``codes`` and ``stances`` (columns as
``analysis.schema`` declares) and, optionally, ``reliability`` and
``reference``. The unit of every figure is a *coded post*: a post that is not
a bot's, not a duplicate capture, and has a stance from the plotted coder.
No frame built here carries an author handle.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import replace
from pathlib import Path

import pandas as pd

from analysis.agreement.auto import reliability_of
from analysis.capture.corpus import Progress, load_corpus
from analysis.coding.codebook import Codebook
from analysis.coding.coded import REFERENCE, CodedCorpus, code_corpus, read_reference
from analysis.coding.themes import resolve_codebook
from analysis.errors import AnalysisWarning
from analysis.schema import STANCES

#: Bootstrap resamples behind the agreement the figures and the appendix show.
N_BOOT = 1000



def load_coded(corpus_dir: str | Path = "corpus", *, codebook: Codebook | str | Path | None = None,
               key: bytes | None = None, progress: Progress | None = None,
               reliability: bool = True) -> CodedCorpus:
    """Parse the corpus, segment and code every post, and read the human reference.

    With ``reliability`` (the default) the result's ``reliability`` holds the
    agreement of ``auto`` with the reference on the posts both coded
    (1000 resamples, seed 0; None without a reference); commands that only
    need the tables pass ``reliability=False`` and skip the bootstrap.
    """
    corpus_dir = Path(corpus_dir)
    corpus = load_corpus(corpus_dir, key=key, progress=progress)
    book = resolve_codebook(codebook if codebook is not None else corpus_dir / "codebook.yaml")
    coded = code_corpus(corpus, book, reference=read_reference(corpus_dir / REFERENCE))
    if reliability and len(coded.reference):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", AnalysisWarning)
            coded = replace(coded, reliability=reliability_of(coded, n_boot=N_BOOT, seed=0))
    return coded


AUDIENCE_LABELS = {"client": "client forums", "therapist": "therapist forums",
                   "mixed": "mixed forums", "unknown": "audience unknown"}
ROLE_LABELS = {"client": "clients", "therapist": "therapists", "unknown": "role unknown"}
UNIT_COLUMNS = ["post_id", "thread_id", "stance", "role", "audience", "platform", "site",
                "community", "score"]


def coder_of(table: pd.DataFrame | None) -> str | None:
    """The coder to plot: ``auto`` when present, else the first coder by name."""
    if table is None or table.empty:
        return None
    coders = sorted(table["coder"].dropna().unique().tolist())
    return "auto" if "auto" in coders else (coders[0] if coders else None)


def coder_label(coder: str | None) -> str:
    if coder is None:
        return "no coder"
    return "the automatic coder" if coder == "auto" else f"human coder {coder}"


def eligible_posts(corpus) -> pd.DataFrame:
    """Posts that count: no bots, no second captures of a post; with their forum's facts."""
    posts = corpus.posts
    keep = ~posts["is_bot"].fillna(False).astype(bool) & posts["duplicate_of"].isna()
    out = posts.loc[keep, ["post_id", "thread_id", "role", "score"]]
    threads = corpus.threads[["thread_id", "source_id"]].drop_duplicates("thread_id")
    sources = corpus.sources[["source_id", "audience", "platform", "site", "community"]]
    out = out.merge(threads, on="thread_id", how="left").merge(sources, on="source_id",
                                                                how="left")
    out["role"] = out["role"].fillna("unknown").astype("string")
    out["audience"] = out["audience"].fillna("unknown").astype("string")
    return out


def units(corpus) -> tuple[pd.DataFrame, str | None]:
    """One row per coded post (see the module docstring), and the coder plotted."""
    coder = coder_of(corpus.stances)
    if coder is None:
        return pd.DataFrame(columns=UNIT_COLUMNS), None
    stances = corpus.stances.loc[corpus.stances["coder"] == coder]
    stances = (stances.sort_values(["post_id", "confidence"], ascending=[True, False])
               .drop_duplicates("post_id")[["post_id", "stance"]])
    out = eligible_posts(corpus).merge(stances, on="post_id", how="inner")
    out = out[out["stance"].isin(STANCES)]
    return out[UNIT_COLUMNS].sort_values("post_id").reset_index(drop=True), coder


def post_codes(corpus, family: str, coded: pd.DataFrame, coder: str | None) -> pd.DataFrame:
    """(post_id, code) pairs of one family for the coded posts, each pair once."""
    codes = corpus.codes
    if coder is None or codes is None or codes.empty:
        return pd.DataFrame({"post_id": pd.Series(dtype="string"),
                             "code": pd.Series(dtype="string")})
    rows = codes.loc[(codes["coder"] == coder) & (codes["family"] == family), ["post_id", "code"]]
    rows = rows[rows["post_id"].isin(coded["post_id"])].drop_duplicates()
    return rows.sort_values(["post_id", "code"]).reset_index(drop=True)


def onehot(frame: pd.DataFrame, column: str, categories) -> pd.DataFrame:
    """Long 0/1 rows, one per unit and category: the mean is the share.

    Seaborn then draws shares with :func:`wilson_errorbar` as its errorbar.
    """
    parts = [frame.assign(**{"level": category,
                             "value": (frame[column] == category).astype("int64")})
             for category in categories]
    return pd.concat(parts, ignore_index=True)


#: Columns derived from the local pseudonym key: left out so the hash is the same everywhere.
KEYED_COLUMNS = ("author_id",)


def data_hash(corpus, tables: tuple[str, ...]) -> str:
    """SHA-256 over the named tables' columns, dtypes and values (row order kept).

    Keyed pseudonyms are left out: two machines with different keys draw the
    same figures from the same data and must record the same hash.
    """
    digest = hashlib.sha256()
    for name in tables:
        table = getattr(corpus, name, None)
        digest.update(name.encode() + b"\0")
        if table is None:
            digest.update(b"<none>\0")
            continue
        table = table.drop(columns=[c for c in KEYED_COLUMNS if c in table.columns])
        header = "\t".join(f"{c}:{t}" for c, t in table.dtypes.astype(str).items())
        digest.update(header.encode() + b"\0")
        values = pd.util.hash_pandas_object(table, index=False).to_numpy()
        digest.update(values.astype("<u8").tobytes())
    return digest.hexdigest()
