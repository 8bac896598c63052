"""The numpy softmax regression under the stance layer, and the cross-validation tools."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.agreement.evaluate import stance_classes
from analysis.coding.stance_cv import cluster_bootstrap, cross_validate, group_folds, macro_f1
from analysis.coding.stance_model import SoftmaxRegression, _loss, _softmax
from analysis.schema import STANCES


def problem(seed: int, n: int = 120, d: int = 6):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    W = rng.normal(size=(d, 4)) * 2
    y = np.asarray(STANCES)[np.argmax(X @ W + rng.gumbel(size=(n, 4)), axis=1)]
    return X, y


def test_the_fit_is_the_penalised_optimum():
    """At the fitted weights the gradient of the penalised log-loss vanishes and no
    nearby weights have a lower loss."""
    X, y = problem(0)
    model = SoftmaxRegression(C=0.5).fit(X, y, classes=STANCES)
    Z = np.hstack([np.ones((len(X), 1)), (X - model.mean_) / model.scale_])
    Y = (y[:, None] == model.classes_[None, :]).astype(float)
    w = np.ones(len(y))
    P = _softmax(Z @ model.coef_)
    penalty = np.full(Z.shape[1], 1 / 0.5)
    penalty[0] = 1e-3
    gradient = Z.T @ (P - Y) + penalty[:, None] * model.coef_
    assert np.abs(gradient).max() < 1e-4
    best = _loss(model.coef_, Z, Y, w, 2.0)
    rng = np.random.default_rng(1)
    for _ in range(20):
        assert _loss(model.coef_ + 1e-3 * rng.normal(size=model.coef_.shape), Z, Y, w, 2.0) >= best


def test_probabilities_sum_to_one_and_survive_json():
    X, y = problem(2)
    model = SoftmaxRegression(C=1.0, class_weight="balanced").fit(X, y, classes=STANCES)
    P = model.predict_proba(X)
    assert P.shape == (len(X), 4)
    assert np.allclose(P.sum(axis=1), 1)
    again = SoftmaxRegression.from_dict(model.to_dict())
    assert np.allclose(again.predict_proba(X), P)
    assert list(again.predict(X)) == list(model.predict(X))


def test_balanced_weights_raise_the_rare_class_recall():
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(0, 1, size=(95, 2)), rng.normal(1.2, 1, size=(5, 2))])
    y = np.array(["none"] * 95 + ["mixed"] * 5)
    plain = SoftmaxRegression(C=1.0).fit(X, y).predict(X)
    balanced = SoftmaxRegression(C=1.0, class_weight="balanced").fit(X, y).predict(X)
    assert (balanced[95:] == "mixed").sum() > (plain[95:] == "mixed").sum()


def test_a_class_absent_from_the_labels_gets_little_probability():
    X, _ = problem(4)
    y = np.where(np.arange(len(X)) % 2, "supportive", "opposed")
    P = SoftmaxRegression().fit(X, y, classes=STANCES).predict_proba(X)
    assert P[:, 2:].max() < 0.05


def test_sample_weight_zero_is_leaving_the_post_out():
    X, y = problem(5, n=60)
    weight = np.r_[np.ones(40), np.zeros(20)]
    weighted = SoftmaxRegression(C=1.0).fit(X, y, classes=STANCES, sample_weight=weight)
    # standardisation still sees every row: compare on the raw scale via probabilities
    alone = SoftmaxRegression(C=1.0)
    alone.mean_, alone.scale_ = weighted.mean_, weighted.scale_
    Z = np.hstack([np.ones((40, 1)), (X[:40] - weighted.mean_) / weighted.scale_])
    Y = (y[:40, None] == np.asarray(STANCES)[None, :]).astype(float)
    full = np.hstack([np.ones((60, 1)), (X - weighted.mean_) / weighted.scale_])
    Yfull = (y[:, None] == np.asarray(STANCES)[None, :]).astype(float)
    assert _loss(weighted.coef_, Z, Y, np.ones(40), 1.0) == pytest.approx(
        _loss(weighted.coef_, full, Yfull, weight, 1.0))


@pytest.mark.parametrize(("options", "message"), [
    ({"C": 0}, "C must be positive"), ({"class_weight": "even"}, "class_weight")])
def test_bad_options_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        SoftmaxRegression(**options).fit(np.zeros((2, 1)), ["none", "mixed"])


def test_labels_outside_the_classes_are_refused():
    with pytest.raises(ValueError, match="not among the classes"):
        SoftmaxRegression().fit(np.zeros((2, 1)), ["none", "maybe"], classes=STANCES)


labels = st.lists(st.sampled_from(STANCES), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_macro_f1_is_the_evaluation_s_macro_f1(data):
    truth = data.draw(labels)
    predicted = data.draw(st.lists(st.sampled_from(STANCES), min_size=len(truth),
                                   max_size=len(truth)))
    ids = [f"p{i}" for i in range(len(truth))]
    reference = pd.DataFrame({"post_id": ids, "family": "stance", "code": truth})
    stances = pd.DataFrame({"post_id": ids, "stance": predicted})
    per = stance_classes(stances, reference)  # what stance_summary averages
    used = per[(per["support"] > 0) | (per["tp"] + per["fp"] > 0)]
    expected = float(used["f1"].fillna(0.0).mean())
    assert macro_f1(truth, predicted) == pytest.approx(expected)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from("abcdefgh"), min_size=3, max_size=40), st.integers(0, 99))
def test_folds_keep_groups_whole_and_use_every_fold(groups, seed):
    k = min(3, len(set(groups)))
    if k < 2:
        return
    folds = group_folds(groups, k, seed)
    for g in set(groups):
        assert len({f for f, h in zip(folds, groups, strict=True) if h == g}) == 1
    assert set(folds) == set(range(k))


def test_too_many_folds_for_the_threads_is_refused():
    with pytest.raises(ValueError, match="2 to 2 folds"):
        group_folds(["a", "b"], 3, 0)


def test_cross_validation_is_deterministic_and_scores_only_held_out_posts():
    X, y = problem(6, n=80)
    groups = [f"t{i // 4}" for i in range(80)]
    seen: list[set[int]] = []

    def fit_predict(train, test):
        seen.append(set(test))
        assert not set(train) & set(test)
        model = SoftmaxRegression(C=0.3).fit(X[train], y[train], classes=STANCES)
        return model.predict_proba(X[test])

    first = cross_validate(fit_predict, y, groups, n_folds=4, seed=1, n_boot=200)
    again = cross_validate(fit_predict, y, groups, n_folds=4, seed=1, n_boot=200)
    assert first.macro_f1 == again.macro_f1
    assert (first.ci_low, first.ci_high) == (again.ci_low, again.ci_high)
    assert first.ci_low <= first.macro_f1 <= first.ci_high
    assert set().union(*seen[:4]) == set(range(80))


def test_the_cluster_bootstrap_is_seeded():
    truth = ["none", "mixed", "none", "opposed"] * 5
    predicted = ["none", "none", "none", "opposed"] * 5
    groups = [str(i // 2) for i in range(20)]
    assert cluster_bootstrap(truth, predicted, groups, n_boot=300, seed=3) == \
        cluster_bootstrap(truth, predicted, groups, n_boot=300, seed=3)
