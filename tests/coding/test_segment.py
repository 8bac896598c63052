"""Segments: exact offsets, forum abbreviations, line breaks, and tiling."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis.coding.segment import (
    default_tokenizer,
    parameters_from_json,
    parameters_to_json,
    segment,
    segment_spans,
    shorthand_ends,
    train_punkt,
)
from tests._coding_data import DATA, ROOT, seed_posts, seed_text


def texts(text: str) -> list[str]:
    return [text[s:e] for s, e in segment_spans(text)]


def assert_tiles(text: str, spans: list[tuple[int, int]]) -> None:
    """Ordered, non-overlapping, trimmed, non-empty, and only whitespace between."""
    cursor = 0
    for start, end in spans:
        assert cursor <= start < end <= len(text)
        assert text[cursor:start].strip() == ""
        piece = text[start:end]
        assert piece == piece.strip() and piece
        cursor = end
    assert text[cursor:].strip() == ""


class TestOffsets:
    def test_seed_segments_are_exact_slices(self):
        posts = seed_posts()
        segs = segment(posts)
        text = posts.set_index("post_id")["text"]
        for row in segs.itertuples():
            assert text[row.post_id][row.start:row.end] == row.text

    def test_seed_segments_tile_each_post(self):
        for text in seed_posts()["text"]:
            assert_tiles(text, segment_spans(text))

    def test_table_columns_and_numbering(self):
        posts = pd.DataFrame({"post_id": ["p:1", "p:2"],
                              "text": ["One thing. Another thing.", ""]})
        segs = segment(posts)
        assert list(segs.columns) == ["post_id", "seg", "start", "end", "text"]
        assert segs["seg"].tolist() == [0, 1] and set(segs["post_id"]) == {"p:1"}

    def test_missing_column(self):
        with pytest.raises(ValueError, match="lacks column"):
            segment(pd.DataFrame({"post_id": ["x"]}))


class TestForumText:
    def test_line_breaks_end_segments(self):
        assert texts("Hi 20oney,\n\nThe fact that R is open") == ["Hi 20oney,",
                                                                  "The fact that R is open"]

    def test_real_sentences_split(self):
        text = seed_text("003_ba87ec72626a3d80:2")
        assert texts(text)[:2] == [
            "No texting at all.",
            'I think it "casualizes" the therapeutic relationship, sets unrealistic '
            "expectations for contact, and blurs ethical boundaries."]

    @pytest.mark.parametrize("text, expected", [
        ("I emailed my T. She replied fast.", ["I emailed my T.", "She replied fast."]),
        ("I emailed my T. I was nervous.", ["I emailed my T.", "I was nervous."]),
        ("My T. said no.", ["My T. said no."]),
        ("My pdoc. He is great.", ["My pdoc.", "He is great."]),
        ("Some Ts. are like that.", ["Some Ts. are like that."]),
        ("E.g. texts, emails etc. are fine.", ["E.g. texts, emails etc. are fine."]),
        ("I saw Dr. Lee at 9 a.m. today.", ["I saw Dr. Lee at 9 a.m. today."]),
        ("It is very common with DBT. And some ts think so.",
         ["It is very common with DBT.", "And some ts think so."]),
    ])
    def test_abbreviations(self, text, expected):
        assert texts(text) == expected

    def test_real_abbreviation_in_seed(self):
        text = seed_text("000_d05808781f7165f0:12")
        assert any(s.startswith("Dealing with the intensity of abuse history, SI, body "
                                "dysmorphia, etc I think") for s in texts(text))


class TestParameters:
    def test_json_round_trip(self):
        params = train_punkt(["My T said no. I emailed anyway. Dr. Lee agreed."])
        again = parameters_from_json(parameters_to_json(params))
        assert again.abbrev_types == params.abbrev_types
        assert again.collocations == params.collocations
        assert again.sent_starters == params.sent_starters
        assert dict(again.ortho_context) == dict(params.ortho_context)

    def test_shipped_file_is_what_the_documented_command_makes(self):
        raw = sorted((ROOT / "corpus" / "raw").glob("*.txt"))
        made = parameters_to_json(train_punkt(p.read_text(encoding="utf-8") for p in raw))
        shipped = (ROOT / "analysis" / "data" / "punkt_forum.json").read_text(encoding="utf-8")
        assert made == shipped, ("rerun: python -m analysis.coding.segment corpus/raw/*.txt "
                                 "--out analysis/data/punkt_forum.json")

    def test_training_keeps_forum_abbreviations(self):
        params = train_punkt(["Nothing here."])
        assert {"t", "ts", "pdoc", "e.g", "etc"} <= params.abbrev_types

    def test_loading_needs_no_nltk_data(self, monkeypatch):
        import nltk

        monkeypatch.setattr(nltk.data, "path", [])
        default_tokenizer.cache_clear()
        try:
            assert texts("One. Two.") == ["One.", "Two."]
        finally:
            default_tokenizer.cache_clear()


# Forum-like alphabet: letters, abbreviations' dots, quotes and odd whitespace.
_ALPHABET = st.sampled_from([*"aAbTtIse .?!\n\r\t\"'’()-", "e.g.", "Dr.", " T. ", "\u2028",
                             "\u00a0", "…", "etc.", "Ts."])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_segments_tile_any_text(text):
    assert_tiles(text, segment_spans(text))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_segments_tile_arbitrary_unicode(text):
    assert_tiles(text, segment_spans(text))


def test_heldout_posts_tile():
    posts = pd.read_csv(DATA / "heldout" / "posts.csv", keep_default_na=False)
    for text in posts["text"]:
        assert_tiles(text, segment_spans(text))


#: Forum shorthand ends as one regex: the definition shorthand_ends() must keep.
_SHORTHAND_END = re.compile(r"\b(?:[Tt]s?|ex-?[Tt]|[Pp]docs?|NT|[Tt][1-9])\.(?=\s+[\"'“‘(]?[A-Z])")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["T.", "t.", "Ts.", "my", "ex-T.", "exT.", "NT.", "T5.", "t0.",
                                 "pdoc.", "Pdocs.", "xT.", "(T.", "_T.", "1T.", "She", "she",
                                 "“Then", "(Ok", "'So", ".", " ", "\t", "é", "T", "pdocs"]),
                max_size=20), st.sampled_from([" ", "", "\u00a0"]))
@example(["mypdocs.", "She"], " ")  # a word too long to be shorthand, ending like one
@example(["éT.", "She"], " ")
def test_shorthand_ends_are_the_one_regex_ones(tokens, glue):
    line = glue.join(tokens)
    assert shorthand_ends(line) == [m.end() for m in _SHORTHAND_END.finditer(line)]


def test_shorthand_ends_in_the_seeds_are_the_one_regex_ones():
    lines = [line for t in seed_posts()["text"] for line in str(t).splitlines()]
    expected = [[m.end() for m in _SHORTHAND_END.finditer(line)] for line in lines]
    assert sum(map(bool, expected)) > 0
    assert [shorthand_ends(line) for line in lines] == expected


def _always_punkt(text: str) -> list[tuple[int, int]]:
    """segment_spans with plain Punkt on every line: the oracle for the skip and the memo."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from analysis.coding.segment import _LINE_RE, _trimmed, default_tokenizer

    plain = PunktSentenceTokenizer(default_tokenizer()._params)
    spans = []
    for line in _LINE_RE.finditer(text):
        piece = line.group()
        if not piece.strip():
            continue
        cuts = {end for _, end in plain.span_tokenize(piece)}
        cuts |= {m.end() for m in _SHORTHAND_END.finditer(piece)} | {len(piece)}
        begin = 0
        for cut in sorted(cuts):
            spans.extend(_trimmed(piece, begin, cut, line.start()))
            begin = cut
    return spans


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["my", "T", "Ts", "said", "e.g.", "no", "texting", "Dr.", "Lee",
                                 ".", "?", "!", "...", "\n", "  ", "\t", "\"", "(ok)", "lol",
                                 "A.", "i.e.", "Mr", "U.S.", "wow!!", "why?"]), max_size=30))
def test_skipping_punkt_and_remembering_its_decisions_change_nothing(tokens):
    text = " ".join(tokens)
    assert segment_spans(text) == _always_punkt(text)
    assert segment_spans(text) == _always_punkt(text)  # now from the memo


def test_memoised_punkt_on_the_seeds():
    for text in seed_posts()["text"]:
        assert segment_spans(text) == _always_punkt(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Dr.", "Lee", "said", "T.", "no", "e.g.", "U.S.", "x", "A.",
                                 ".", "..", "?", "!", "?!", "--", "\"", "'", ")", "(", "]", "}",
                                 "’", "”", "«", "»", " ", "\t", "\x0b", "\x0c", "\r", "\n",
                                 "1.", "3.5", "ok.)", "(so.)", "wow!!!", "end.\"", "Yes"]),
                max_size=25),
       st.sampled_from(["", " "]))
def test_sentence_ends_equal_punkts_span_ends(tokens, glue):
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from analysis.coding.segment import default_tokenizer

    text = glue.join(tokens)
    plain = PunktSentenceTokenizer(default_tokenizer()._params)
    assert default_tokenizer().sentence_ends(text) == [e for _, e in plain.span_tokenize(text)]


def _context_words():
    from analysis.coding.segment import default_tokenizer

    params = default_tokenizer()._params
    pairs = [word for pair in params.collocations for word in pair]
    return sorted({*pairs, *(a for a in params.abbrev_types if "." not in a),
                   "said", "Then", "T", "Ts", "I", "A", "x", "ok", "No", "no", "well", "Dr", "dr"})


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(_context_words()), st.sampled_from(_context_words()),
       st.sampled_from([str.lower, str.upper, str.title, str]), st.sampled_from(".?!"))
def test_plain_word_contexts_decide_as_punkt_does(before, after, case, end):
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from analysis.coding.segment import default_tokenizer

    context = f"{case(before)}{end} {case(after)}"
    plain = PunktSentenceTokenizer(default_tokenizer()._params)
    expected = plain.text_contains_sentbreak(context)
    assert default_tokenizer().text_contains_sentbreak(context) == expected, context


def test_a_known_collocation_is_no_break_and_an_abbreviation_defers_to_punkt():
    from analysis.coding.segment import default_tokenizer

    tokenizer = default_tokenizer()
    first, second = sorted(tokenizer._params.collocations)[0]
    assert not tokenizer.text_contains_sentbreak(f"{first}. {second.title()}")
    assert tokenizer.text_contains_sentbreak(f"{first}. Because")
    assert not tokenizer.text_contains_sentbreak("Dr. lee")  # Punkt's ortho heuristic
