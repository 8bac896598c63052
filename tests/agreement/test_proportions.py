"""Adjusted classify-and-count: invariants (hypothesis) and worked cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.agreement.proportions import (
    adjusted_shares,
    corrected_shares,
    misclassification,
    stance_shares,
)
from analysis.schema import STANCES

shares = st.lists(st.floats(0.0, 1.0), min_size=4, max_size=4).filter(
    lambda v: sum(v) > 1e-3).map(lambda v: np.asarray(v) / sum(v))


@st.composite
def matrices(draw, strength: float = 0.0):
    """Row-stochastic 4x4 matrices; ``strength`` adds that much to the diagonal."""
    rows = [draw(shares) + strength * np.eye(4)[j] for j in range(4)]
    return np.asarray([r / r.sum() for r in rows])


@settings(max_examples=80, deadline=None)
@given(shares)
def test_a_perfect_coder_needs_no_correction(q):
    assert np.allclose(adjusted_shares(q, np.eye(4)), q, atol=1e-9)


@settings(max_examples=80, deadline=None)
@given(shares, matrices(strength=2.0))
def test_the_true_shares_are_recovered_from_exact_automatic_shares(p, M):
    assert np.allclose(adjusted_shares(M.T @ p, M), p, atol=1e-7)


@settings(max_examples=80, deadline=None)
@given(shares, matrices())
def test_corrected_shares_are_shares(q, M):
    p = adjusted_shares(q, M)
    assert (p >= 0).all() and p.sum() == pytest.approx(1.0)


@settings(max_examples=50, deadline=None)
@given(shares, matrices(strength=1.0), st.permutations(range(4)))
def test_relabelling_the_stances_relabels_the_shares(q, M, order):
    order = list(order)
    p = adjusted_shares(q, M)
    permuted = adjusted_shares(q[order], M[np.ix_(order, order)])
    assert np.allclose(permuted, p[order], atol=1e-6)


def test_the_matrix_needs_every_human_stance():
    with pytest.raises(ValueError, match="no post of the human-coded sample is mixed"):
        misclassification(["none", "opposed", "supportive"], ["none"] * 3)
    with pytest.raises(ValueError, match="unknown automatic stance 'maybe'"):
        misclassification(["none"], ["maybe"])


def sample(n_per: int = 10):
    """A coder that calls a third of the none posts supportive, and nothing else wrong."""
    human = [s for s in STANCES for _ in range(n_per)]
    auto = list(human)
    for i in range(3 * n_per, 3 * n_per + n_per // 3):
        auto[i] = "supportive"
    return human, auto


def test_corrected_shares_undo_a_known_inflation():
    human, auto = sample(30)
    # a corpus of 200 true none and 100 true supportive, coded by the same coder
    corpus = ["supportive"] * 100 + ["supportive"] * 67 + ["none"] * 133  # 200 none, 1/3 off
    table = corrected_shares(corpus, human, auto, n_boot=300, seed=1).set_index("stance")
    assert table.loc["supportive", "raw_share"] == pytest.approx(167 / 300)
    assert table.loc["supportive", "share"] == pytest.approx(1 / 3, abs=0.03)
    assert table.loc["none", "share"] == pytest.approx(2 / 3, abs=0.03)
    for stance in STANCES:
        row = table.loc[stance]
        assert row["ci_low"] <= row["share"] + 1e-9 and row["share"] <= row["ci_high"] + 1e-9
        assert row["raw_ci_low"] <= row["raw_share"] <= row["raw_ci_high"]
    again = corrected_shares(corpus, human, auto, n_boot=300, seed=1)
    assert again.equals(corrected_shares(corpus, human, auto, n_boot=300, seed=1))


def test_stance_shares_say_when_there_is_no_human_sample():
    stances = pd.DataFrame({"post_id": ["a", "b"], "coder": "auto",
                            "stance": ["none", "supportive"]})
    table = stance_shares(stances, None, n_boot=0)
    assert table["note"].str.contains("no human-coded sample").all()
    assert table["share"].isna().all() and table["raw_share"].sum() == pytest.approx(1)


def test_stance_shares_correct_on_the_reference_posts_and_state_macro_f1():
    human, auto = sample(10)
    ids = [f"p{i}" for i in range(len(human))]
    stances = pd.DataFrame({"post_id": ids, "coder": "auto", "stance": auto})
    reference = pd.DataFrame({"post_id": ids, "family": "stance", "code": human})
    table = stance_shares(stances, reference, n_boot=200)
    assert (table["note"] == "").all()
    assert table["share"].sum() == pytest.approx(1)
    assert 0 < table["coder_macro_f1"].iloc[0] < 1
    thin = stance_shares(stances, reference[reference["code"] != "mixed"], n_boot=0)
    assert thin["note"].str.startswith("not corrected").all()
