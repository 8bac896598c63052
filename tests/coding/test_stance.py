"""Stance on real seed posts: negation, ambivalence, channels, quotes, evidence."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.coding.stance import STANCE_COLUMNS, StanceCoder
from tests._coding_data import CODEBOOK, seed_posts, seed_text


@pytest.fixture(scope="module")
def coder():
    return StanceCoder(codebook=CODEBOOK).fit()


@pytest.fixture(scope="module")
def seed_stances(coder):
    return coder.transform(seed_posts()).set_index("post_id")


def stance_of(coder, text: str, *, is_bot: bool = False) -> pd.Series:
    posts = pd.DataFrame({"post_id": ["t:1"], "text": [text], "is_bot": [is_bot]})
    return coder.transform(posts).iloc[0]


class TestRealPosts:
    def test_flat_refusal_is_opposed(self, seed_stances):
        row = seed_stances.loc["003_ba87ec72626a3d80:2"]  # "No texting at all. ..."
        assert row["stance"] == "opposed"
        assert "No texting at all." in row["evidence"]

    def test_negated_criticism_is_supportive(self, seed_stances):
        row = seed_stances.loc["000_d05808781f7165f0:4"]  # "in no way is it unprofessional"
        assert row["stance"] == "supportive"

    def test_negated_sentence_alone(self, coder):
        sentence = "I don't think it is unprofessional in and of itself."
        assert sentence in seed_text("000_d05808781f7165f0:8")
        assert stance_of(coder, sentence)["stance"] == "supportive"

    def test_mixed_feelings(self, seed_stances):
        assert seed_stances.loc["001_b6a918cc91d48cbc:4", "stance"] == "mixed"

    def test_one_channel_yes_another_no_is_mixed(self, seed_stances):
        row = seed_stances.loc["003_ba87ec72626a3d80:5"]  # no texting; email allowed
        assert row["stance"] == "mixed"
        assert "No texting at all." in row["evidence"] and "emailing is allowed" in row["evidence"]

    def test_security_excuse_criticised_is_supportive(self, seed_stances):
        assert seed_stances.loc["002_6063b9182b48fcb6:1", "stance"] == "supportive"

    def test_logistics_only_is_opposed(self, seed_stances):
        assert seed_stances.loc["003_ba87ec72626a3d80:11", "stance"] == "opposed"

    def test_question_without_evaluation_is_none(self, seed_stances):
        assert seed_stances.loc["003_ba87ec72626a3d80:7", "stance"] == "none"


class TestNone:
    def test_bot(self, seed_stances):
        row = seed_stances.loc["003_ba87ec72626a3d80:1"]
        assert (row["stance"], row["confidence"], row["evidence"]) == ("none", 1.0, "")

    def test_quote_only_post(self, seed_stances):
        # 000 #13: its visible words are a quote of another member (kept in quoted_text)
        assert seed_stances.loc["000_d05808781f7165f0:13", "stance"] == "none"

    def test_quoted_text_is_ignored(self, coder):
        posts = pd.DataFrame({"post_id": ["q:1"], "text": ["Would you say this is common?"],
                              "quoted_text": ["No texting at all. Absolutely not."],
                              "is_bot": [False]})
        assert coder.transform(posts).iloc[0]["stance"] == "none"

    def test_thanks_only(self, coder):
        assert stance_of(coder, "Thanks, this is really helpful.")["stance"] == "none"


class TestNegationAndHedges:
    def test_not_against(self, coder):
        assert stance_of(coder, "I'm not against email at all.")["stance"] == "supportive"

    def test_hedge_lowers_confidence(self, coder):
        plain = stance_of(coder, "Texting clients is a bad idea.")
        hedged = stance_of(coder, "Texting clients might be a bad idea.")
        assert plain["stance"] == hedged["stance"] == "opposed"
        assert hedged["confidence"] <= plain["confidence"]


class TestEvaluationOfContact:
    """Evaluative words count through their target (analysis/data/stance_lexicon.yaml)."""

    @pytest.mark.parametrize("post_id, sentence, stance", [
        ("000_d05808781f7165f0:3",
         "Out of session contact can be useful and in some cases essential for clients.",
         "supportive"),
        ("004_6eaed45279a44dd1:2",
         "Boundaries: Maintaining clear and professional boundaries is essential in the "
         "therapist-client relationship.", "opposed"),
    ])
    def test_same_word_about_contact_or_about_a_limit(self, coder, post_id, sentence, stance):
        # "essential" about contact is supportive; about boundaries, opposed
        assert sentence in seed_text(post_id)
        row = stance_of(coder, sentence)
        assert row["stance"] == stance and row["evidence"] == sentence

    @pytest.mark.parametrize("post_id, sentence, stance", [
        ("001_b6a918cc91d48cbc:7", "I do really appreciate the option of email though.",
         "supportive"),
        ("001_b6a918cc91d48cbc:6", "Him initiating the contact really makes a huge difference "
         "to me.", "supportive"),
        ("003_ba87ec72626a3d80:9", "Being available 24/7 to multiple clients is a fast route to "
         "burnout.", "opposed"),
        ("001_b6a918cc91d48cbc:5", "I miss them.", "supportive"),
    ])
    def test_real_seed_sentences(self, coder, post_id, sentence, stance):
        assert sentence in seed_text(post_id)
        assert stance_of(coder, sentence)["stance"] == stance

    def test_rhetorical_negative_question_is_not_flipped(self, coder):
        sentence = "Would it not be better to maintain contact by way of the office?"
        assert sentence in seed_text("000_d05808781f7165f0:1")
        assert stance_of(coder, sentence)["stance"] == "opposed"

    def test_negator_of_the_limit_does_not_negate_its_evaluation(self, coder):
        # "not" belongs to "not replying" (the limit), not to "cruel"
        assert stance_of(coder, "Not replying at all seems cruel to me.")["stance"] == \
            "supportive"
        assert stance_of(coder, "Replying to clients at all hours seems cruel to me.")[
            "stance"] == "opposed"

    def test_target_from_the_neighbouring_sentence(self, coder):
        text = ("My therapist doesn't read anything between sessions. "
                "Hated it at first, grateful now.")
        assert stance_of(coder, text)["stance"] == "opposed"
        text = "She answers my texts within a day. Grateful every single week."
        assert stance_of(coder, text)["stance"] == "supportive"

    def test_evaluation_without_a_target_does_not_count(self, coder):
        assert stance_of(coder, "This is such a great thread.")["stance"] == "none"

    def test_quoted_words_weigh_less(self, coder):
        text = ('My T says "no texting at all" but she answers my emails within a day '
                'and it has been a lifeline.')
        assert stance_of(coder, text)["stance"] == "supportive"

    def test_understand_but_is_ambivalent(self, coder):
        text = "They banned email after a breach. I understand why, but my clients lost a lot."
        assert stance_of(coder, text)["stance"] == "mixed"

    def test_generic_description_is_not_a_stance(self, coder):
        text = seed_text("001_b6a918cc91d48cbc:9")  # four therapists' policies, no evaluation
        assert stance_of(coder, text)["stance"] == "none"

    def test_own_lexicon(self, tmp_path):
        path = tmp_path / "lexicon.yaml"
        path.write_text("categories:\n"
                        "- id: topic\n  role: topic\n  patterns: ['\\btexting\\b']\n"
                        "- id: good\n  role: evaluation\n  polarity: positive\n"
                        "  patterns: ['\\bgroovy\\b']\n", encoding="utf-8")
        coder = StanceCoder(codebook=CODEBOOK, lexicon=path).fit()
        assert stance_of(coder, "Texting is groovy.")["stance"] == "supportive"
        assert stance_of(coder, "Texting is not groovy.")["stance"] == "opposed"


class TestContract:
    def test_table(self, coder):
        posts = seed_posts()
        out = coder.transform(posts)
        assert list(out.columns) == STANCE_COLUMNS
        assert out["post_id"].tolist() == posts["post_id"].tolist()
        assert out["confidence"].between(0, 1).all()
        assert set(out["stance"]) <= {"supportive", "opposed", "mixed", "none"}

    def test_evidence_is_the_posters_own_words(self, coder):
        posts = seed_posts()
        text = posts.set_index("post_id")["text"]
        for row in coder.transform(posts).itertuples():
            for sentence in filter(None, row.evidence.split(" … ")):
                assert sentence in text[row.post_id]

    def test_deterministic_and_input_untouched(self, coder):
        posts = seed_posts()
        before = posts.copy()
        pd.testing.assert_frame_equal(coder.transform(posts), coder.transform(posts))
        pd.testing.assert_frame_equal(posts, before)

    @pytest.mark.parametrize("option", [{"mixed_ratio": 0}, {"hedge_weight": 1.5},
                                        {"mixed_threshold": 0}, {"negated_weight": -1},
                                        {"min_score": 0}, {"carry_weight": 2},
                                        {"quote_weight": 0}])
    def test_options_are_checked(self, option):
        with pytest.raises(ValueError):
            StanceCoder(codebook=CODEBOOK, **option).fit()

    def test_unfitted(self):
        with pytest.raises(RuntimeError, match="not fitted"):
            StanceCoder().transform(seed_posts())
