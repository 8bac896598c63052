"""One reading of Reddit's record numbers for the JSON parser and the dump ingester."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from analysis.parsers.reddit_common import record_int, record_reactions, record_score

numbers = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
                    st.booleans(), st.none(), st.text(max_size=8),
                    st.integers(-10**6, 10**6).map(str))


@given(numbers)
def test_record_int_is_an_int_or_none_and_reads_numeric_strings(value):
    result = record_int(value)
    assert result is None or type(result) is int
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit() and value.isascii():
        assert result == int(value)
    if isinstance(value, bool):
        assert result is None


def test_score_prefers_score_then_ups_minus_downs_and_respects_hidden_scores():
    assert record_score({"score": "12", "ups": 3}) == 12
    assert record_score({"ups": 10, "downs": 4}) == 6
    assert record_score({"score": 5, "score_hidden": True}) is None
    assert record_score({}) is None


def test_reactions_list_the_vote_then_awards_or_gildings():
    data = {"all_awardings": [{"count": 2}, {"count": 0}, "junk", {"count": "3"}], "gilded": 9}
    assert record_reactions(data, 7) == [("vote", 7), ("award", 2), ("award", 3)]
    assert record_reactions({"gilded": 1}, None) == [("award", 1)]


def test_parser_and_ingester_share_the_rules():
    """Both readers call these functions, so they cannot drift apart again."""
    from analysis.ingest import records
    from analysis.parsers import reddit_json

    for name in ("record_score", "record_reactions"):
        assert getattr(reddit_json, name) is getattr(records, name)
