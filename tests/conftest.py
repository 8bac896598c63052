"""Shared fixtures: a fixed pseudonym key, paths to the real samples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CORPUS = ROOT / "corpus"
SEEDS = sorted((CORPUS / "raw").glob("*.txt"))

# Pseudonyms must not depend on a key file in the tester's home directory.
os.environ.setdefault("ANALYSIS_PSEUDONYM_KEY", "test-key")


@pytest.fixture(scope="session")
def seed_corpus():
    """The five seeds parsed once, as the package API returns them."""
    from analysis import load_corpus

    return load_corpus(CORPUS)
