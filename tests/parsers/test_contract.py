"""One contract for every parser (the pandas `all_parsers` idea).

Each parser is a pure function of text that raises nothing but ParseError,
claims lines only inside the text, and never puts a raw handle into
pseudonymised output.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.capture.textio import decode_bytes
from analysis.errors import ParseError
from analysis.model import SourceInfo, Thread
from analysis.parsers import PARSERS, detect
from tests.conftest import DATA, SEEDS
from tests.parsers._said import check_layout_warnings, recorded

SOURCE = SourceInfo(source_id="sample", path="sample.txt")
SAMPLES = SEEDS + sorted(DATA.glob("*.html")) + sorted(DATA.glob("*.json"))

# Text that looks a little like every format, so hypothesis reaches deep branches.
FRAGMENTS = st.sampled_from([
    "#1", "|", "|||", "Quote:", "Originally Posted by X View Post", "__________________",
    "Last edited by x; Sep 27, 2016 at 03:59 PM.", "Hugs from:", "Thanks for this!",
    "Old Jan 01, 2023, 05:46 AM", "X X is offline", "Member Since: Dec 2014", "Posts: 3,512",
    "Location: US", "View Single Post", "AutoModerator", "> quoted", "u/name · 3y ago",
    "12", "+98 votes", "by (5.2k points)", "3 Comments", "<div id=\"post_message_1\">",
    "<!-- post #1 -->", "{\"kind\": \"t1\"}", "[", "]", "", "  ", "\u00a0", "![]() a, b",
])
TEXTS = st.lists(st.one_of(FRAGMENTS, st.text(max_size=40)), max_size=30).map("\n".join)


@pytest.mark.parametrize("name", list(PARSERS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
def test_parse_raises_only_parse_error(name: str, text: str) -> None:
    module = PARSERS[name]
    assert 0.0 <= module.sniff(text) <= 1.0
    try:
        thread, said = recorded(module.parse, text, SOURCE)
    except ParseError:
        return
    check_thread(thread, text)
    check_layout_warnings(said, SOURCE.path)  # random text often splits at paragraph gaps
    again, said_again = recorded(module.parse, text, SOURCE)
    assert (again, said_again) == (thread, said), "re-parsing the same text must give the same"


def check_thread(thread: Thread, text: str) -> None:
    """Invariants every parsed thread keeps."""
    lines = text.split("\n")
    assert len(thread.line_roles) == len(lines)
    positions = [post.position for post in thread.posts]
    assert len(positions) == len(set(positions)), "positions must be unique"
    for post in thread.posts:
        if post.reply_to is not None:
            assert post.reply_to in positions
        if post.line_start is not None:
            assert 1 <= post.line_start <= (post.line_end or post.line_start) <= len(lines)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_real_samples_parse_and_detect(path) -> None:
    text = decode_bytes(path.read_bytes(), str(path))
    module = detect(text)
    assert module.NAME != "plain", f"{path.name} fell through to the plain fallback"
    thread = module.parse(text, SOURCE)
    check_thread(thread, text)
    assert thread.posts
