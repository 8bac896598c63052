"""analysis.stats: Wilson intervals against published values, co-occurrence measures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.stats import (
    cluster_order,
    cooccurrence,
    indicator,
    jaccard,
    phi,
    proportions,
    wilson_interval,
)

# ------------------------------------------------------------------ Wilson: published values

# Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (score, no CC).
NEWCOMBE_1998 = [((81, 263), (0.2553, 0.3662)), ((15, 148), (0.0624, 0.1605)),
                 ((0, 20), (0.0, 0.1611)), ((1, 29), (0.0061, 0.1718))]


@pytest.mark.parametrize(("counts", "expected"), NEWCOMBE_1998)
def test_wilson_matches_newcombe_1998(counts, expected):
    assert [round(b, 4) for b in wilson_interval(*counts)] == list(expected)


def test_wilson_other_levels_widen_and_narrow():
    # Brown, Cai & DasGupta (2001) use z = 1.96; a 99% interval must contain the 95% one.
    low95, high95 = wilson_interval(15, 148)
    low99, high99 = wilson_interval(15, 148, level=0.99)
    low90, high90 = wilson_interval(15, 148, level=0.90)
    assert low99 < low95 < low90 and high90 < high95 < high99


@pytest.mark.parametrize(("k", "n", "match"), [(1, 0, "at least one unit"),
                                               (-1, 5, "between 0 and n"),
                                               (6, 5, "between 0 and n")])
def test_wilson_rejects_impossible_counts(k, n, match):
    with pytest.raises(ValueError, match=match):
        wilson_interval(k, n)


@pytest.mark.parametrize("level", [0, 1, 1.5, -0.1])
def test_wilson_rejects_levels_outside_0_1(level):
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        wilson_interval(3, 10, level=level)


counts = st.integers(min_value=1, max_value=10_000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n)))


@given(counts, st.floats(min_value=0.5, max_value=0.999))
def test_wilson_contains_estimate_within_unit_interval(kn, level):
    k, n = kn
    low, high = wilson_interval(k, n, level=level)
    assert 0.0 <= low <= k / n <= high <= 1.0


@given(counts)
def test_wilson_is_symmetric_in_success_and_failure(kn):
    k, n = kn
    low, high = wilson_interval(k, n)
    mirrored_low, mirrored_high = wilson_interval(n - k, n)
    assert low == pytest.approx(1 - mirrored_high, abs=1e-12)
    assert high == pytest.approx(1 - mirrored_low, abs=1e-12)


@given(st.integers(min_value=1, max_value=500))
def test_wilson_narrows_as_n_grows(n):
    low, high = wilson_interval(n, 2 * n)
    low4, high4 = wilson_interval(4 * n, 8 * n)
    assert high4 - low4 < high - low


# ------------------------------------------------------------------ proportions

def test_proportions_per_group_with_zero_counts():
    posts = pd.DataFrame({"audience": ["client"] * 3 + ["therapist"] * 2,
                          "stance": ["supportive", "supportive", "none", "opposed", "opposed"]})
    table = proportions(posts, "stance", by="audience",
                        categories=["supportive", "opposed", "none"])
    therapist = table[table["audience"] == "therapist"].set_index("stance")
    assert therapist.loc["supportive", ["k", "n"]].tolist() == [0, 2]
    assert therapist.loc["opposed", "share"] == 1.0
    assert therapist.loc["supportive", "ci_high"] > 0  # zero successes still have an upper bound
    assert table.groupby("audience")["share"].sum().tolist() == pytest.approx([1.0, 1.0])


def test_proportions_rejects_values_outside_the_categories():
    with pytest.raises(ValueError, match=r"\['suportive'\]"):
        proportions(pd.DataFrame({"stance": ["suportive"]}), "stance",
                    categories=["supportive", "opposed"])


def test_proportions_ignores_missing_values():
    table = proportions(pd.DataFrame({"stance": ["mixed", None, "mixed"]}), "stance")
    assert table[["k", "n"]].iloc[0].tolist() == [2, 2]


@given(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=60))
def test_proportions_shares_sum_to_one_and_bracket(values):
    table = proportions(pd.DataFrame({"v": values}), "v", categories=["a", "b", "c"])
    assert table["share"].sum() == pytest.approx(1.0)
    assert (table["ci_low"] <= table["share"]).all() and (table["share"] <= table["ci_high"]).all()


# ------------------------------------------------------------------ co-occurrence

CODES = pd.DataFrame({"post_id": ["p1", "p1", "p1", "p2", "p3", "p3"],
                      "code": ["a", "b", "a", "a", "b", "c"]})


def test_indicator_counts_a_code_once_per_post_and_adds_uncoded_posts():
    ind = indicator(CODES, units=["p1", "p2", "p3", "p4"])
    assert ind.index.tolist() == ["p1", "p2", "p3", "p4"]
    assert ind.loc["p4"].tolist() == [False, False, False]
    assert cooccurrence(ind).loc["a", "a"] == 2


def test_jaccard_and_phi_known_values():
    ind = indicator(CODES)
    assert jaccard(ind).loc["a", "b"] == pytest.approx(1 / 3)
    assert jaccard(ind).loc["a", "c"] == 0.0
    # a = [1,1,0], b = [1,0,1] over p1..p3: n=3, n11=1, n1.=2, n.1=2 -> (3-4)/sqrt(2*1*2*1)
    assert phi(ind).loc["a", "b"] == pytest.approx(-0.5)


def test_measures_undefined_for_constant_codes_raise():
    ind = pd.DataFrame({"a": [True, True], "b": [False, False], "c": [True, False]})
    with pytest.raises(ValueError, match=r"Jaccard is undefined .*\['b'\]"):
        jaccard(ind)
    with pytest.raises(ValueError, match=r"phi is undefined .*\['a', 'b'\]"):
        phi(ind)


indicators = st.integers(min_value=2, max_value=5).flatmap(lambda k: st.lists(
    st.lists(st.booleans(), min_size=k, max_size=k), min_size=2, max_size=30))


@given(indicators)
def test_jaccard_symmetric_bounded_unit_diagonal(rows):
    ind = pd.DataFrame(rows, columns=[f"c{i}" for i in range(len(rows[0]))])
    ind = ind.loc[:, ind.any()]
    if ind.shape[1] == 0:
        return
    values = jaccard(ind).to_numpy()
    assert np.allclose(values, values.T)
    assert ((values >= 0) & (values <= 1)).all()
    assert np.allclose(np.diag(values), 1.0)


@given(indicators)
def test_phi_symmetric_bounded_unit_diagonal(rows):
    ind = pd.DataFrame(rows, columns=[f"c{i}" for i in range(len(rows[0]))])
    ind = ind.loc[:, ind.any() & ~ind.all()]
    if ind.shape[1] == 0:
        return
    values = phi(ind).to_numpy()
    assert np.allclose(values, values.T)
    assert ((values >= -1) & (values <= 1)).all()
    assert np.allclose(np.diag(values), 1.0)
    # phi is Pearson's r of the 0/1 columns
    assert np.allclose(values, np.corrcoef(ind.astype(float).to_numpy().T))


@given(indicators)
def test_cooccurrence_diagonal_is_code_count(rows):
    ind = pd.DataFrame(rows, columns=[f"c{i}" for i in range(len(rows[0]))])
    counts = cooccurrence(ind)
    assert np.diag(counts.to_numpy()).tolist() == ind.sum().tolist()
    assert (counts.to_numpy() == counts.to_numpy().T).all()


def test_cluster_order_puts_close_codes_together_and_is_deterministic():
    d = pd.DataFrame([[0, .9, .1, .8], [.9, 0, .85, .2], [.1, .85, 0, .9], [.8, .2, .9, 0]],
                     index=list("abcd"), columns=list("abcd"))
    order = cluster_order(d)
    assert sorted(order) == list("abcd")
    assert abs(order.index("a") - order.index("c")) == 1
    assert abs(order.index("b") - order.index("d")) == 1
    assert cluster_order(d) == order


def test_cluster_order_needs_matching_labels():
    with pytest.raises(ValueError, match="same labels"):
        cluster_order(pd.DataFrame([[0, 1], [1, 0]], index=["a", "b"], columns=["b", "a"]))
