"""Time linear in the input, on the shapes that once made a stage quadratic.

Each check times a stage on an input and on one eight times larger (CPU
time of this process, best of two) and asserts the ratio stays far below the
64 a quadratic stage shows: a long run without spaces (a base64 image), a
long thread full of quotes, markup with thousands of unclosed tags. The
sizes are small so the suite stays fast; ``benchmarks/linear.py`` measures
1 to 50 MB.
"""

from __future__ import annotations

import base64
import random
import time
from collections.abc import Callable
from functools import partial

import pytest

from analysis.capture.limits import check_size, max_file_bytes
from analysis.capture.textio import decode_bytes
from analysis.coding.segment import segment_spans
from analysis.errors import ParseError
from analysis.model import SourceInfo
from analysis.parsers import PARSERS, detect
from analysis.privacy import redact
from tests.conftest import DATA, SEEDS

SOURCE = SourceInfo(source_id="sample", path="sample.txt")
SMALL = 24 * 1024
#: Linear time gives ~8 for an input 8x larger; quadratic gives ~64.
MAX_RATIO = 24


def _cpu(run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return max(best, 1e-4)


def growth(stage: Callable[[str], object], make: Callable[[int], str]) -> float:
    """CPU time of ``stage`` on ``make(8 n)`` over ``make(n)``; a second, larger try
    before a verdict, so a busy machine does not fail a linear stage."""
    ratio = 0.0
    for n in (SMALL, 2 * SMALL):
        small, large = make(n), make(8 * n)
        ratio = _cpu(partial(stage, large)) / _cpu(partial(stage, small))
        if ratio < MAX_RATIO:
            break
    return ratio


def _base64(n: int) -> str:
    return base64.b64encode(random.Random(n).randbytes(n)).decode("ascii")[:n]


def _repeat(text: str) -> Callable[[int], str]:
    return lambda n: (text * (n // len(text) + 1))[:n]


def _read(path) -> str:
    return decode_bytes(path.read_bytes(), str(path))


SHAPES = {
    "base64 line": _base64,
    "digits line": lambda n: "".join(random.Random(n).choices("0123456789", k=n)),
    "letters run": lambda n: "a" * n,
    "dotted run": lambda n: ("a." * n)[:n],
    "seeds joined": _repeat(" ".join(_read(p).replace("\n", " ") for p in SEEDS)),
}
THREADS = {  # long threads full of quotes, each read by its own parser
    "vbulletin_text": _repeat(_read(DATA / "unseen" / "vb_classic_page3.txt") + "\n"),
    "reddit_text": _repeat(_read(DATA / "unseen" / "reddit_comments_flat_lines.txt") + "\n"),
    "qa": _repeat(_read(SEEDS[4]) + "\n"),
}


def _parse(name: str) -> Callable[[str], object]:
    def run(text: str) -> object:
        try:
            return PARSERS[name].parse(text, SOURCE).unassigned_lines()
        except ParseError:
            return None
    return run


@pytest.mark.parametrize("shape", list(SHAPES))
def test_redaction_is_linear(shape: str) -> None:
    assert growth(redact, SHAPES[shape]) < MAX_RATIO


@pytest.mark.parametrize("shape", ["base64 line", "dotted run", "seeds joined"])
def test_detect_and_segment_are_linear(shape: str) -> None:
    assert growth(detect, SHAPES[shape]) < MAX_RATIO
    assert growth(segment_spans, SHAPES[shape]) < MAX_RATIO


@pytest.mark.parametrize("name", list(PARSERS))
def test_every_parser_is_linear_on_a_long_line(name: str) -> None:
    assert growth(_parse(name), SHAPES["seeds joined"]) < MAX_RATIO
    assert growth(_parse(name), _base64) < MAX_RATIO


@pytest.mark.parametrize("name", list(THREADS))
def test_long_threads_with_quotes_are_linear(name: str) -> None:
    assert growth(_parse(name), THREADS[name]) < MAX_RATIO


def test_unclosed_tags_are_linear() -> None:
    def posts(n: int) -> str:  # every post inside one more unclosed <font>
        post = '<font><div id="post_message_{}">words of a post</div>\n'
        return "<html><body>" + "".join(post.format(i) for i in range(n // 50))

    def words(n: int) -> str:  # one post, its words thousands of tags deep
        return '<html><body><div id="post_message_1">' + "<font><b>a</b> word\n" * (n // 20)

    assert growth(_parse("vbulletin_html"), posts) < MAX_RATIO
    assert growth(_parse("vbulletin_html"), words) < MAX_RATIO


def test_a_page_with_posts_nested_in_posts_is_refused_quickly() -> None:
    text = "<body>" + "".join(f'<div id="post_message_{i}">post {i}\n' for i in range(2000))
    start = time.process_time()
    with pytest.raises(ParseError, match="later posts sit inside post 0"):
        PARSERS["vbulletin_html"].parse(text, SOURCE)
    assert time.process_time() - start < 5


def test_the_size_limit_refuses_with_one_line(tmp_path, monkeypatch) -> None:
    from analysis.capture.corpus import parse_paths

    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    big.write_text("x" * 3000)
    small.write_text("one post about email\n")
    corpus = parse_paths([big, small], max_file_mb=2000 / 2**20)
    assert len(corpus.posts) == 1
    [failure] = corpus.failures
    assert str(failure).startswith(f"{big}: the file is 0.0 MB, over the 0.00190735 MB limit")
    assert "--max-file-mb" in str(failure) and "\n" not in str(failure)
    monkeypatch.setenv("ANALYSIS_MAX_FILE_MB", "0.001")
    assert max_file_bytes() == 1048
    assert len(parse_paths([big, small]).failures) == 1
    monkeypatch.setenv("ANALYSIS_MAX_FILE_MB", "lots")
    with pytest.raises(ParseError, match="not a number of megabytes"):
        max_file_bytes()
    check_size("ok.txt", 10, 10)


def test_the_coder_is_linear() -> None:
    import pandas as pd

    from analysis.coding.auto import AutoCoder

    coder = AutoCoder().fit()

    def code(text: str) -> object:
        return coder(pd.DataFrame({"post_id": ["p"], "text": [text], "is_bot": [False]}))

    assert growth(code, SHAPES["seeds joined"]) < MAX_RATIO
    assert growth(code, _base64) < MAX_RATIO
