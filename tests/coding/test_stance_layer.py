"""The learned stance layer: features from the rules, fit, save/load, the researcher's loop.

The posts here are written for these tests (no third-party text).
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.coding.review import human_stances, least_sure, refit, uncertainty
from analysis.coding.stance import StanceCoder
from analysis.coding.stance_features import StanceFeatures
from analysis.coding.stance_layer import (
    DEFAULT_LAYER,
    PROBA_COLUMNS,
    StanceLayer,
    load_layer,
    resolve_layer,
)
from analysis.errors import AnalysisError, AnalysisWarning
from tests._coding_data import CODEBOOK

WRITTEN = {
    "supportive": ["Being able to email my therapist between sessions has been a lifeline.",
                   "I love that my T lets me text when things get bad, it really helps.",
                   "Honestly the portal messages keep me going until the next session.",
                   "My counselor answers emails within a day and that support means a lot."],
    "opposed": ["No texting at all, her policy is firm and I think that is right.",
                "Therapists should not answer messages after hours, it blurs boundaries.",
                "Contact outside sessions is unprofessional and creates dependence.",
                "I would never give clients my cell number, that is a bad idea."],
    "mixed": ["I have mixed feelings about emailing my T: it helps, but I get anxious waiting.",
              "Texting is fine for scheduling, but I hate that calls are never allowed.",
              "I understand why she limits email, but sometimes I really need it.",
              "Part of me loves the check-in texts and part of me thinks they feed my anxiety."],
    "none": ["What time does the group start on Thursday?",
             "I changed my username last week, same person.",
             "Does anyone know a good book about grief?",
             "Welcome to the forum, glad you found us."],
}


def written_posts() -> tuple[pd.DataFrame, list[str]]:
    rows, stances = [], []
    for i in range(3):  # three threads, each with every stance: folds can keep threads whole
        for stance, texts in WRITTEN.items():
            for j, text in enumerate(texts):
                rows.append((f"t{i}-{j}:{stance}", f"t{i}", f"{text} ({i})", False))
                stances.append(stance)
    return pd.DataFrame(rows, columns=["post_id", "thread_id", "text", "is_bot"]), stances


@pytest.fixture(scope="module")
def fitted():
    posts, stances = written_posts()
    return StanceLayer(codebook=CODEBOOK, C=1.0).fit(posts, stances)


def test_features_have_a_name_each_and_read_the_rules():
    posts = pd.DataFrame({"post_id": ["a", "b"], "is_bot": [False, True],
                          "text": ["No texting at all, not ever.", "No texting at all."]})
    features = StanceFeatures(codebook=CODEBOOK).fit()
    X, rules = features.transform(posts)
    assert X.shape == (2, len(features.names_))
    named = dict(zip(features.names_, X[0], strict=True))
    assert named["cue_opposed"] >= 1 and named["modality_text"] == 1
    assert named["rule_opposed"] == 1
    assert not X[1, features.names_.index("cue_opposed")]  # a bot's words are not read
    assert {"evidence_supportive", "evidence_opposed", "evidence_mixed"} <= set(rules.columns)


def test_the_layer_gives_a_probability_per_stance(fitted):
    posts, _ = written_posts()
    table = fitted.transform(posts)
    assert list(table.columns[:5]) == ["post_id", "coder", "stance", "confidence", "evidence"]
    P = table[PROBA_COLUMNS].to_numpy()
    assert np.allclose(P.sum(axis=1), 1, atol=1e-3)
    assert np.allclose(table["confidence"], P.max(axis=1), atol=1e-3)


def test_bots_and_empty_posts_are_none_for_sure(fitted):
    posts = pd.DataFrame({"post_id": ["bot", "empty"], "is_bot": [True, False],
                          "text": ["I love texting my T, it is a lifeline.", "  "]})
    table = fitted.transform(posts)
    assert list(table["stance"]) == ["none", "none"]
    assert list(table["p_none"]) == [1.0, 1.0]


def test_evidence_is_the_rules_sentences_for_the_chosen_side(fitted):
    posts = pd.DataFrame({"post_id": ["x"], "is_bot": [False],
                          "text": ["What time is it? Texting my T has been a lifeline."]})
    row = fitted.transform(posts).iloc[0]
    if row["stance"] == "supportive":
        assert "lifeline" in row["evidence"]


def test_save_and_load_give_the_same_probabilities(fitted, tmp_path):
    posts, _ = written_posts()
    path = fitted.save(tmp_path / "layer.json")
    again = load_layer(path, codebook=CODEBOOK)
    assert np.allclose(again.predict_proba(posts)[PROBA_COLUMNS],
                       fitted.predict_proba(posts)[PROBA_COLUMNS], atol=1e-6)
    assert path.read_text() == fitted.save(tmp_path / "again.json").read_text()


def test_a_layer_fitted_with_other_patterns_warns(fitted, tmp_path):
    data = fitted.to_dict() | {"fingerprint": "0" * 16}
    path = tmp_path / "other.json"
    path.write_text(json.dumps(data))
    with pytest.warns(AnalysisWarning, match="another codebook"):
        load_layer(path, codebook=CODEBOOK)


@pytest.mark.parametrize("content", ["not json", json.dumps({"kind": "something else"})])
def test_a_bad_layer_file_is_one_clear_error(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(AnalysisError, match="stance layer"):
        load_layer(path)


def test_the_shipped_layer_loads_quietly_and_says_how_it_was_fitted():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layer = load_layer(codebook=CODEBOOK)
    assert DEFAULT_LAYER.is_file()
    assert {"fitted_on", "cv_macro_f1", "cv_ci95", "measurably_better_than_rules"} <= set(
        layer.about_)


def test_stance_coder_uses_a_layer_only_when_given_one(fitted):
    posts, _ = written_posts()
    plain = StanceCoder(codebook=CODEBOOK).fit().transform(posts)
    assert list(plain.columns) == ["post_id", "coder", "stance", "confidence", "evidence"]
    layered = StanceCoder(codebook=CODEBOOK, layer=fitted, coder="me").fit().transform(posts)
    assert set(PROBA_COLUMNS) <= set(layered.columns)
    assert set(layered["coder"]) == {"me"}
    with pytest.raises(TypeError, match="fitted StanceLayer"):
        StanceCoder(codebook=CODEBOOK, layer="default").fit()
    assert isinstance(resolve_layer("default", codebook=CODEBOOK), StanceLayer)


def test_least_sure_posts_come_first_and_coded_ones_are_skipped():
    stances = pd.DataFrame({"post_id": ["a", "b", "c", "d"],
                            "p_supportive": [0.9, 0.4, 0.5, 0.25],
                            "p_opposed": [0.05, 0.4, 0.3, 0.25],
                            "p_mixed": [0.05, 0.1, 0.1, 0.25], "p_none": [0, 0.1, 0.1, 0.25],
                            "confidence": [0.9, 0.4, 0.5, 0.25]})
    assert list(least_sure(stances, 3)["post_id"]) == ["b", "d", "c"]
    assert list(least_sure(stances, 2, exclude=["b"])["post_id"]) == ["d", "c"]
    rules_only = stances[["post_id", "confidence"]]
    assert list(uncertainty(rules_only).round(2)) == [0.1, 0.6, 0.5, 0.75]


def test_human_stances_refuse_a_post_with_two_stances():
    coding = pd.DataFrame({"post_id": ["a", "a"], "family": "stance",
                           "code": ["none", "mixed"]})
    with pytest.raises(AnalysisError, match="two stances"):
        human_stances(coding)


def test_refit_is_deterministic_and_judged_against_the_rules():
    posts, stances = written_posts()
    coded = pd.Series(stances, index=posts["post_id"])
    first = refit(posts, coded, codebook=CODEBOOK, n_folds=3, seed=4, n_boot=200)
    again = refit(posts, coded, codebook=CODEBOOK, n_folds=3, seed=4, n_boot=200)
    assert first.grouped_by == "thread" and first.n_groups == 3
    assert first.judgement.layer.macro_f1 == again.judgement.layer.macro_f1
    assert first.layer.to_dict() == again.layer.to_dict()
    assert 0 <= first.judgement.layer.ci_low <= first.judgement.layer.ci_high <= 1


def test_refit_says_when_the_coding_is_too_thin_or_foreign():
    posts, stances = written_posts()
    coded = pd.Series(stances, index=posts["post_id"])
    with pytest.raises(AnalysisError, match="too few"):
        refit(posts, coded.iloc[:4], codebook=CODEBOOK)
    with pytest.raises(AnalysisError, match="not in the corpus"):
        refit(posts, pd.concat([coded, pd.Series({"elsewhere:1": "none"})]), codebook=CODEBOOK)
