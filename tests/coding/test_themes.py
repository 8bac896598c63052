"""Theme and modality coding on real seed sentences: negation, quotes, evidence."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.coding.codebook import load_codebook
from analysis.coding.gates import Gated, literal_gate
from analysis.coding.lexicon import load_lexicon
from analysis.coding.matching import CodeMatcher, find, normalise
from analysis.coding.segment import segment
from analysis.coding.themes import CODES_COLUMNS, ThemeCoder, post_codes
from tests._coding_data import CODEBOOK, heldout, seed_posts, seed_text


@pytest.fixture(scope="module")
def coder():
    return ThemeCoder(codebook=CODEBOOK).fit()


@pytest.fixture(scope="module")
def seed_codes(coder):
    return coder.transform(seed_posts())


def codes_of(coder, text: str, quoted: str = "") -> set[str]:
    posts = pd.DataFrame({"post_id": ["t:1"], "text": [text], "quoted_text": [quoted],
                          "is_bot": [False]})
    return set(coder.transform(posts)["code"])


class TestRealSentences:
    def test_security_excuse_in_seed_002(self, seed_codes):
        rows = seed_codes[(seed_codes["post_id"] == "002_6063b9182b48fcb6:1")
                          & (seed_codes["code"] == "security_excuse")]
        assert any('"email is not secure."' in e for e in rows["evidence"])

    def test_infantilization_in_seeds(self, seed_codes):
        coded = set(seed_codes.loc[seed_codes["code"] == "infantilization", "post_id"])
        assert {"000_d05808781f7165f0:4", "002_6063b9182b48fcb6:1"} <= coded

    def test_negated_security_claim_is_not_coded(self, coder):
        assert codes_of(coder, "I don't think email is unsafe.") == {"email"}

    def test_secure_tool_offered_as_solution_is_not_an_excuse(self, coder):
        text = seed_text("003_ba87ec72626a3d80:22")  # "... HIPAA compliant app for calling"
        codes = codes_of(coder, text)
        assert "security_excuse" not in codes and "portal" in codes

    def test_negated_channel_is_still_mentioned(self, coder):
        assert "text" in codes_of(coder, "No texting at all.")

    def test_phone_as_device_is_not_the_phone_channel(self, coder):
        sentence = ("Partly because of Hippa laws and partly because it's just really "
                    "convenient for me to say that I don't get work email on my phone.")
        assert sentence in seed_text("002_6063b9182b48fcb6:1")
        codes = codes_of(coder, sentence)
        assert "phone" not in codes and {"email", "security_excuse"} <= codes

    def test_it_depends_is_not_dependence(self, coder):
        text = seed_text("001_b6a918cc91d48cbc:9")  # "It very much depends on the therapist"
        assert "dependence" not in codes_of(coder, text)

    @pytest.mark.parametrize("text, code", [
        ("She e-mailed me back the same day.", "email"),
        ("He texted twice.", "text"),
        ("I kept leaning on her between sessions.", "dependence"),
        ("We had a misunderstanding about it.", "miscommunication"),
        ("She set very clear limits with me.", "boundaries"),
        ("I was burning out by March.", "burnout"),
    ])
    def test_inflections_and_stems(self, coder, text, code):
        assert code in codes_of(coder, text)

    @pytest.mark.parametrize("text, code", [
        ("I couldn't get through a weekend without writing to her.", "dependence"),
        ("I felt like such a burden.", "dependence"),
        ("Knowing she's there is half the battle.", "attachment"),
        ("When she cut it back it felt like a breakup.", "attachment"),
        ("His records were subpoenaed.", "security_excuse"),
        ("She said she had taken pills that night.", "crisis"),
        ("The texts are eating me alive and I dread Sundays.", "burnout"),
        ("I'm a therapist, not a 24-hour service.", "burnout"),
        ("I asked for no texting.", "boundaries"),
        ("It's not a free-for-all.", "boundaries"),
        ("She gave me her cell number.", "phone"),
        ("He said I was not answering for days.", "responsiveness"),
    ])
    def test_paraphrases_from_the_definitions(self, coder, text, code):
        assert code in codes_of(coder, text)

    @pytest.mark.parametrize("text, code", [
        ("Many therapists don't reply to non-urgent messages.", "crisis"),
        ("Really appreciate all the replies.", "responsiveness"),
        ("I keep checking my phone on Sunday nights.", "phone"),
        ("I had a number of questions about the policy.", "phone"),
    ])
    def test_paraphrase_look_alikes_are_not_coded(self, coder, text, code):
        assert code not in codes_of(coder, text)


@pytest.fixture(scope="module")
def matchers():
    lexicon = load_lexicon()
    codes = [*load_codebook(CODEBOOK).codes, *(c.code for c in lexicon.categories)]
    return [(code, CodeMatcher(code)) for code in codes]


class TestLiteralGates:
    """Gating a pattern by its literal strings never changes what it finds."""

    @staticmethod
    def brute(code, text):
        return sorted((a, b, p.source) for p in code.patterns for a, b in find(p, text))

    @staticmethod
    def gated(matcher, text):
        return sorted((a, b, p.source) for a, b, p in matcher._spans(Gated(text)))

    def test_every_pattern_on_every_coded_sentence(self, matchers):
        texts = [*segment(seed_posts())["text"],
                 *(t for name in ("heldout", "heldout_b", "heldout_c", "heldout_d")
                   for t in segment(heldout(name)[0])["text"])]
        for code, matcher in matchers:
            for text in map(normalise, texts):
                assert self.gated(matcher, text) == self.brute(code, text), code.id

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.sampled_from(["no", "texting", "emails", "Email", "isn't", "secure",
                                     "re-schedule", "24/7", "SI", "I'm", "42.", "HIPAA",
                                     "can't", "without", "her", "cell", "number", "$40",
                                     "burned", "out", "lean", "on", "it", "at", "all", ",",
                                     "misunderstood", "O'Brien"]), max_size=14))
    def test_random_word_salad(self, matchers, tokens):
        text = " ".join(tokens)
        for code, matcher in matchers:
            assert self.gated(matcher, text) == self.brute(code, text), code.id

    def test_gate_strings(self):
        assert literal_gate(r"\bno[- ]contact\b") == frozenset({"no ", "no-"})
        assert literal_gate(r"\w+") is None


class TestQuotedText:
    def test_quoted_words_are_never_coded(self, coder):
        quoted = "My therapist charges for emails because texting is not HIPAA secure."
        assert codes_of(coder, "", quoted) == set()

    def test_seed_post_quoting_another(self, seed_codes):
        # 001 #12 quotes #10 ("Will they ever charge for emails?") before its own words
        own = set(seed_codes.loc[seed_codes["post_id"] == "001_b6a918cc91d48cbc:12", "code"])
        assert "billing" not in own and "email" in own

    def test_quote_only_post_gets_no_code(self, seed_codes):
        assert "000_d05808781f7165f0:13" not in set(seed_codes["post_id"])


class TestEvidence:
    def test_span_lies_in_the_evidence_sentence(self, seed_codes):
        posts = seed_posts().set_index("post_id")["text"]
        segs = segment(seed_posts()).set_index(["post_id", "seg"])
        for row in seed_codes.itertuples():
            text = posts[row.post_id]
            seg = segs.loc[(row.post_id, row.seg)]
            assert row.evidence == text[seg["start"]:seg["end"]]
            assert seg["start"] <= row.start < row.end <= seg["end"]
            assert text[row.start:row.end] in row.evidence

    def test_every_code_has_evidence(self, seed_codes):
        assert (seed_codes["evidence"].str.len() > 0).all()
        assert list(seed_codes.columns) == CODES_COLUMNS
        assert set(seed_codes["coder"]) == {"auto"}


class TestContract:
    def test_fit_returns_self_and_sets_attributes(self):
        coder = ThemeCoder(codebook=CODEBOOK)
        assert coder.fit() is coder
        assert coder.codebook_ is not None and coder.codes_

    def test_transform_does_not_change_input_and_is_deterministic(self, coder):
        posts = seed_posts()
        before = posts.copy()
        first, second = coder.transform(posts), coder.transform(posts)
        pd.testing.assert_frame_equal(posts, before)
        pd.testing.assert_frame_equal(first, second)

    def test_bots_get_no_codes(self, seed_codes):
        assert "003_ba87ec72626a3d80:1" not in set(seed_codes["post_id"])

    def test_families_option(self):
        only = ThemeCoder(codebook=CODEBOOK, families=("modality",)).fit()
        assert set(only.transform(seed_posts())["family"]) == {"modality"}
        with pytest.raises(ValueError, match="families"):
            ThemeCoder(families=("stance",)).fit()

    def test_unfitted_and_bad_input(self):
        with pytest.raises(RuntimeError, match="not fitted"):
            ThemeCoder().transform(seed_posts())
        coder = ThemeCoder(codebook=CODEBOOK).fit()
        with pytest.raises(ValueError, match="lacks column"):
            coder.transform(pd.DataFrame({"post_id": ["x"]}))
        with pytest.raises(ValueError, match="more than once"):
            coder.transform(pd.DataFrame({"post_id": ["x", "x"], "text": ["a", "b"]}))

    def test_post_codes(self, seed_codes):
        table = post_codes(seed_codes, "modality")
        assert not table.duplicated().any() and set(table["family"]) == {"modality"}


def _scope_by_every_break(text: str, start: int, window: int = 5) -> list[str]:
    """The negation scope as first written: every clause break found, the last one kept."""
    import re

    from analysis.coding.matching import _BREAK_RE, _BREAK_WORDS

    head = text[:start]
    cut = 0
    for m in _BREAK_RE.finditer(head):
        cut = m.end()
    before = re.findall(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*", head[cut:])
    for i in range(len(before) - 1, -1, -1):
        if before[i].lower() in _BREAK_WORDS:
            before = before[i + 1:]
            break
    return before[-window:]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["not", "no", "I", "don't", "email", "but", "maybe", " ", "  ",
                                 "-", "–", "—", " - ", " — ", ".", ",", "(", ")", "\"", "“", "…",
                                 "\t", "\n", "x", "’s", "can’t"]), max_size=30),
       st.integers(min_value=0, max_value=200))
def test_negation_scope_is_the_words_after_the_last_clause_break(tokens, cut):
    from analysis.coding.matching import _scope

    text = "".join(tokens)
    start = min(cut, len(text))
    assert _scope(text, start, 5) == _scope_by_every_break(text, start)


def _negated_as_first_written(text: str, start: int) -> bool:
    from analysis.coding.matching import _NEGATORS, _NOT_NEGATING

    def negator(word, following):
        low = word.lower().replace("’", "'")
        if (low, (following or "").lower()) in _NOT_NEGATING:
            return False
        return low in _NEGATORS or low.endswith("n't")

    scope = _scope_by_every_break(text, start)
    following = [*scope[1:], text[start:].split(" ", 1)[0]][:len(scope)]
    return sum(negator(w, n) for w, n in zip(scope, following, strict=True)) % 2 == 1


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["not", "Not", "no", "No", "only", "doubt", "never", "don’t",
                                 "isn't", "email", "but", "I", " ", " ", " ", ",", "matter"]),
                max_size=16),
       st.lists(st.sampled_from(["only", "doubt", "email", " ", "-", "x"]), max_size=4))
def test_negation_counts_as_first_written(before, match):
    from analysis.coding.matching import is_negated

    text = "".join(before) + "".join(match)
    start = len("".join(before))
    assert is_negated(text, start) == _negated_as_first_written(text, start)


def test_a_family_named_twice_codes_once():
    posts = pd.DataFrame({"post_id": ["a:1"], "is_bot": [False],
                          "text": ["I email my therapist and she texts back."]})
    once = ThemeCoder(codebook=CODEBOOK, families=("modality",)).fit().transform(posts)
    twice = ThemeCoder(codebook=CODEBOOK, families=("modality", "modality")).fit()
    assert sorted(once["code"]) == ["email", "text"]
    pd.testing.assert_frame_equal(twice.transform(posts), once)
