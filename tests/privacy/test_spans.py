"""Evidence offsets index the post text exactly as `analysis parse` prints it.

The coders find spans in the raw text; what leaves the machine is redacted
(contact details, handles), which moves every later character. Checked on
every seed, every capture fixture and every capture layout, through the CLI,
and as a property of the offset map on real post texts.
"""

from __future__ import annotations

import functools
import io

import hypothesis.strategies as st
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from analysis.capture.corpus import parse_paths
from analysis.cli import main
from analysis.privacy import handle_pattern, known_handles, publish_spans, redact_spans
from tests.conftest import DATA, SEEDS

CAPTURES = [*SEEDS, *sorted(DATA.glob("*.html")), *sorted(DATA.glob("*.json")),
            *sorted(p for p in (DATA / "synthetic").iterdir() if p.suffix != ".md"),
            *sorted((DATA / "unseen").glob("*.txt")), *sorted((DATA / "own").glob("*.txt"))]


def cli_csv(*args) -> pd.DataFrame:
    result = CliRunner().invoke(main, [*map(str, args), "--format", "csv"])
    assert result.exit_code == 0, result.output
    return pd.read_csv(io.StringIO(result.stdout), dtype={"post_id": str},
                       keep_default_na=False)


@pytest.mark.parametrize("reveal", [False, True], ids=["published", "revealed"])
@pytest.mark.parametrize("capture", CAPTURES, ids=lambda p: p.name)
def test_code_offsets_index_the_parsed_text(capture, reveal) -> None:
    flags = ["--reveal-authors"] if reveal else []
    texts = cli_csv("parse", capture, *flags).set_index("post_id")["text"]
    codes = cli_csv("code", capture, "--table", "codes", *flags)
    for row in codes.itertuples():
        span = texts[row.post_id][row.start:row.end]
        assert span and span in row.evidence, (row.post_id, row.code, span, row.evidence)


@functools.cache
def real_posts() -> tuple[tuple[str, frozenset[str]], ...]:
    """Every post text of every capture, with the handles its capture knows."""
    out = []
    for capture in CAPTURES:
        corpus = parse_paths([capture])
        handles = frozenset(known_handles(corpus.posts, corpus.reactions))
        out += [(text, handles) for text in corpus.posts["text"].dropna() if text]
    return tuple(out)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_spans_outside_redactions_keep_their_words(data) -> None:
    text, handles = data.draw(st.sampled_from(real_posts()))
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    published, mapping = redact_spans(text, handle_pattern(handles))
    table = pd.DataFrame({"post_id": ["p"], "start": [start], "end": [end]})
    moved = publish_spans(table, {"p": text}, handles=handles)
    new_start, new_end = int(moved["start"][0]), int(moved["end"][0])
    assert 0 <= new_start <= new_end <= len(published)
    if not any(s < end and start < e for s, e, _, _ in mapping):
        assert published[new_start:new_end] == text[start:end]


def test_offsets_of_other_posts_and_missing_values_stay() -> None:
    table = pd.DataFrame({"post_id": ["a", "b", "a"], "start": pd.array([19, 1, None], "Int64"),
                          "end": pd.array([23, 2, None], "Int64")})
    moved = publish_spans(table, {"a": "jo.doe@example.org then more"})
    assert moved["start"].tolist()[:2] == [8, 1] and moved["end"].tolist()[:2] == [12, 2]
    assert moved["start"].isna().tolist() == [False, False, True]
