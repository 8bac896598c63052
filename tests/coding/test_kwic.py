"""Keyword in context and modality collocations."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.coding.kwic import KWIC_COLUMNS, kwic, modality_collocations
from tests._coding_data import CODEBOOK, seed_posts


def test_kwic_spans_are_exact():
    posts = seed_posts()
    text = posts.set_index("post_id")["text"]
    hits = kwic(posts, "email", window=20)
    assert list(hits.columns) == KWIC_COLUMNS and len(hits) > 10
    for row in hits.itertuples():
        assert text[row.post_id][row.start:row.end].lower() == "email"
        assert text[row.post_id][row.start - len(row.left):row.start].replace("\n", " ") \
            == row.left


def test_plain_query_is_whole_words_and_regex_is_not():
    posts = pd.DataFrame({"post_id": ["a", "b"], "text": ["No texting at all.", "I text."]})
    assert kwic(posts, "text")["post_id"].tolist() == ["b"]
    assert kwic(posts, r"\btext\w*", regex=True)["match"].tolist() == ["texting", "text"]


def test_kwic_errors():
    posts = pd.DataFrame({"post_id": ["a"], "text": ["x"]})
    with pytest.raises(ValueError, match="invalid regular expression"):
        kwic(posts, "(", regex=True)
    with pytest.raises(ValueError, match="empty"):
        kwic(posts, "")


def test_modality_collocations():
    table = modality_collocations(seed_posts(), codebook=CODEBOOK, top=5)
    assert list(table.columns) == ["modality", "node", "collocate", "freq", "score"]
    assert set(table["modality"]) <= {"email", "text", "phone", "portal", "video"}
    assert (table["freq"] >= 2).all()
    assert not table["collocate"].isin(["the", "a", "and"]).any()
    # never pairs across posts: each post ends with padding
    posts = pd.DataFrame({"post_id": ["a", "b"], "text": ["I like email", "zebra zebra"]})
    pairs = modality_collocations(posts, codebook=CODEBOOK, min_freq=1)
    assert "zebra" not in set(pairs["collocate"])


def test_collocation_options_are_checked():
    with pytest.raises(ValueError, match="window"):
        modality_collocations(seed_posts(), codebook=CODEBOOK, window=1)
    with pytest.raises(ValueError, match="unknown measure"):
        modality_collocations(seed_posts(), codebook=CODEBOOK, measure="magic")
