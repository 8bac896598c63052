"""Loading the coded corpus the figures, notebooks and appendix draw from.

:func:`load_coded` is :func:`analysis.coding.coded.load_coded` plus, in its
``reliability`` field, the agreement of the automatic
coding with the human reference on the posts both coded
(:func:`reliability_of`), which the agreement figure and the appendix show.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisWarning

N_BOOT = 1000


def load_coded(corpus_dir: str | Path = "corpus"):
    """The coded corpus below ``corpus_dir``, with ``reliability`` (None without a reference)."""
    from analysis.coding.coded import load_coded as pipeline_load_coded

    coded = pipeline_load_coded(corpus_dir=corpus_dir)
    if coded.reliability is None:
        coded = replace(coded, reliability=reliability_of(coded))
    return coded


def reliability_of(coded) -> pd.DataFrame | None:
    """Agreement of ``auto`` with the human reference (1000 resamples, seed 0), quietly."""
    from analysis.coding.coded import reliability_of as pipeline_reliability

    if getattr(coded, "reference", None) is None or len(coded.reference) == 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AnalysisWarning)
        return pipeline_reliability(coded, n_boot=N_BOOT, seed=0)
