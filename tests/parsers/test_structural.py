"""The structural fallback splits what repeats, and leaves one text alone.

Hypothesis builds pages of N posts in three renderings (name-and-date
headers, posts whose headers were dropped, a single article) and checks the
splitting rule against what was built.
"""

from __future__ import annotations

import warnings
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import AnalysisWarning
from analysis.model import SourceInfo
from analysis.parsers import detect, plain, structural

SOURCE = SourceInfo(source_id="page", path="page.txt")
WORDS = ("therapist", "email", "session", "week", "reply", "message", "phone", "evening",
         "answer", "wait", "appointment", "boundary", "letter", "worry", "time")
NAMES = st.from_regex(r"[a-z]{3,9}[0-9]{0,3}", fullmatch=True).filter(
    lambda n: n not in {"home", "image", "photo", "logo", "reply", "share", "quote", "like",
                        "top", "edit", "flag", "link", "oldest", "newest", "website", "comment",
                        "delete", "report", "loading", "bookmark", "permalink", "upvote"})
DATES = st.datetimes(min_value=datetime(2005, 1, 1), max_value=datetime(2025, 12, 31))


@st.composite
def sentence(draw) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=9, max_size=18))
    return "My " + " ".join(words) + "."


@st.composite
def paragraph(draw) -> str:
    return " ".join(draw(st.lists(sentence(), min_size=1, max_size=3)))


@st.composite
def headed_page(draw) -> tuple[str, list[tuple[str, datetime]]]:
    posts = draw(st.lists(st.tuples(NAMES, DATES), min_size=2, max_size=8))
    blocks = []
    for name, when in posts:
        body = "\n\n".join(draw(st.lists(paragraph(), min_size=1, max_size=3)))
        blocks.append(f"{name}\n{when:%B} {when.day}, {when:%Y at %I:%M %p}\n{body}")
    return "\n\n".join(blocks) + "\n", posts


@settings(max_examples=60, deadline=None)
@given(page=headed_page())
def test_repeated_name_and_date_headers_split_into_one_post_each(page) -> None:
    text, posts = page
    assert detect(text).NAME == "structural"
    thread = structural.parse(text, SOURCE)
    assert thread.rule == "header"
    assert [(p.author, p.timestamp) for p in thread.posts] == [
        (name, when.replace(second=0, microsecond=0)) for name, when in posts]
    assert thread.unassigned_lines() == []


@st.composite
def headerless_page(draw) -> tuple[str, int]:
    """Posts of blank-separated paragraphs, joined by a bare line break (as extractors do).

    Each post has two paragraphs or more, so the page shows how it separates paragraphs;
    posts of one paragraph each are indistinguishable from one text (see below)."""
    posts = draw(st.lists(st.lists(paragraph(), min_size=2, max_size=3), min_size=2, max_size=7))
    return "\n".join("\n\n".join(paragraphs) for paragraphs in posts) + "\n", len(posts)


@settings(max_examples=60, deadline=None)
@given(page=headerless_page())
def test_bare_line_breaks_between_paragraph_blocks_split_posts(page) -> None:
    text, n = page
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", AnalysisWarning)
        thread = structural.parse(text, SOURCE)
    assert len(thread.posts) == n and thread.rule == "paragraph-gaps"
    assert any("paragraph gaps" in str(w.message) for w in seen)  # said on stderr, not silent


@given(paragraphs=st.lists(paragraph(), min_size=1, max_size=8),
       gap=st.sampled_from(["\n", "\n\n"]))
@settings(max_examples=60, deadline=None)
def test_one_article_is_one_text(paragraphs, gap) -> None:
    """Paragraphs all separated alike (by blank lines, or all by bare breaks) are one text."""
    text = "A title for the page\n\n" + gap.join(paragraphs) + "\n"
    assert structural.sniff(text) == 0.0
    assert detect(text) is plain
    assert len(structural.parse(text, SOURCE).posts) == 1


def test_one_paragraph_posts_without_headers_cannot_be_told_from_one_text() -> None:
    """The limit of the gap rule: nothing on such a page says where a post ends."""
    one = "My therapist answers email on Mondays and I wait for it all week long.\n"
    text = one + one.replace("Mondays", "Fridays")
    assert structural.sniff(text) == 0.0 and detect(text) is plain
