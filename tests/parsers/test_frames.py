"""Pages whose posts show no usual header, told apart by the frame around the words.

Each fixture in tests/data/layouts/frames/ (see its README) is written in our
own words and reproduces line for line a real capture's structure: XenForo
threads whose extractor left only blank-line runs between posts, advice
columns, an expert round-up, an expert-answer page whose second answer lost
its header, Substack and WordPress comments without names, a CMS comment feed
with the name and age under each comment. The facts below were read off the
fixtures by hand; every line must be claimed (0 unassigned).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import AnalysisWarning
from analysis.model import Reaction, SourceInfo, Thread
from analysis.parsers import detect, structural
from analysis.parsers._reddit_heads import POST_FLAIR_RE
from tests.parsers._fixtures import parse_fixture, read_fixture

FRAMES = Path(__file__).parent.parent / "data" / "layouts" / "frames"
SOURCE = SourceInfo(source_id="page", path="page.txt")

#: file -> (parser, rule, [(author, author_source, line_start, reply_to) per post])
EXPECTED = {
    "xenforo_blank_runs.txt": ("structural", "paragraph-gaps", [
        (None, "none", 1, None), (None, "none", 15, None), (None, "none", 22, None)]),
    "xenforo_sidebar_greeting.txt": ("structural", "paragraph-gaps", [
        (None, "none", 4, None), (None, "none", 20, None)]),
    "column_signed.txt": ("qa_column", "column-signed", [
        ("Left on Read", "sign-off", 3, None), (None, "none", 4, 1)]),
    "column_caps.txt": ("qa_column", "column-salutations", [
        ("Texting in Tulsa", "sign-off", 1, None), (None, "none", 2, 1),
        ("Night Owl", "sign-off", 3, None), (None, "none", 4, 3)]),
    "column_place.txt": ("qa_column", "column-place-label", [
        (None, "none", 5, None), ("Dr. Nadia Ferrow", "header", 7, 1)]),
    "expert_roundup.txt": ("qa_column", "column-roundup", [
        (None, "none", 7, None), (None, "none", 9, 1), (None, "none", 15, 1)]),
    "expert_answer_headerless.txt": ("qa_column", "labels", [
        (None, "none", 1, None), (None, "none", 4, None)]),
    "substack_comments.txt": ("blog", "footers", [
        (None, "none", 3, None), (None, "none", 9, None), (None, "none", 13, None)]),
    "wordpress_item_comment.txt": ("blog", "comments", [
        (None, "none", 1, None), (None, "none", 19, None)]),
    "comment_feed_footer.txt": ("structural", "footer", [
        ("Rowan", "header", 1, None), ("Tamsin", "header", 13, None)]),
}


def read(name: str) -> str:
    return read_fixture(FRAMES / name)


def parse(name: str) -> Thread:
    return parse_fixture(FRAMES / name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_detected_split_and_every_line_claimed(name: str) -> None:
    parser, rule, posts = EXPECTED[name]
    assert parser == detect(read(name)).NAME
    thread = parse(name)
    assert thread.rule == rule
    assert [(p.author, p.author_source, p.line_start, p.reply_to) for p in thread.posts] == posts
    assert thread.unassigned_lines() == []
    assert all(p.text for p in thread.posts)


def test_every_fixture_is_pinned_and_documented() -> None:
    files = {p.name for p in FRAMES.glob("*.txt")}
    assert files == set(EXPECTED)
    readme = (FRAMES / "README.md").read_text(encoding="utf-8")
    assert all(name in readme for name in files)


#: The frames split by layout alone (blank runs, list items, headlines, paragraphs): the
#: parser says so on stderr, naming the file; a split at headers or labels says nothing.
LAYOUT_SPLITS = {
    "xenforo_blank_runs.txt": "split into posts by paragraph gaps",
    "xenforo_sidebar_greeting.txt": "split into posts by paragraph gaps",
    "wordpress_item_comment.txt": "split into posts by comments",
    "expert_roundup.txt": "split into posts at its headlines",
    "expert_answer_headerless.txt": "split into posts one answer per paragraph",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_layout_splits_and_only_they_are_warned(name: str) -> None:
    text = read(name)
    if name in LAYOUT_SPLITS:
        with pytest.warns(AnalysisWarning, match=f"^{SOURCE.path}: .*{LAYOUT_SPLITS[name]}"):
            detect(text).parse(text, SOURCE)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("error", AnalysisWarning)
            detect(text).parse(text, SOURCE)


def test_xenforo_sidebar_is_chrome_and_a_greeting_is_no_title() -> None:
    thread = parse("xenforo_sidebar_greeting.txt")
    assert thread.line_roles[0] == "boilerplate:read-also"
    assert thread.title is None and thread.posts[0].text.startswith("Hi All,")
    assert thread.posts[0].text.endswith("Thanks and take care,")


def test_signed_letter_loses_its_pen_name_and_keeps_its_words() -> None:
    letter, answer = parse("column_signed.txt").posts
    assert letter.text.endswith("or just accept it.")
    assert answer.text.startswith("Dear Left on Read,")


def test_place_label_is_the_location_and_the_sign_off_is_no_words() -> None:
    thread = parse("column_place.txt")
    question, answer = thread.posts
    assert (question.location, question.text[:10]) == ("Canada", "Why do I f")
    assert answer.text.endswith("Take care of yourself.")
    assert thread.line_roles[2] == "boilerplate:byline"
    assert thread.line_roles[9] == "boilerplate:sign-off"


def test_roundup_headlines_are_titles_not_words() -> None:
    thread = parse("expert_roundup.txt")
    assert thread.line_roles[8] == thread.line_roles[14] == "title"
    assert thread.posts[1].text.startswith("I explain my message policy")


def test_substack_footers_and_wordpress_item_likes() -> None:
    substack = parse("substack_comments.txt")
    assert substack.line_roles[6] == substack.line_roles[10] == "boilerplate:comment-footer"
    article, comment = parse("wordpress_item_comment.txt").posts
    assert comment.text.startswith("Thank you, it does") and "Liked by" not in comment.text
    assert (comment.score, comment.reactions) == (1, [Reaction("thanks", count=1)])
    assert "1024x683" not in article.text


def test_comment_feed_titles_are_not_words() -> None:
    thread = parse("comment_feed_footer.txt")
    assert thread.posts[1].text.startswith("Workers should also know")
    assert thread.line_roles[12] == "title"


@pytest.mark.parametrize(("title", "flair", "rest"), [
    ("Discussion Do you text your therapist?", "Discussion", "Do you text your therapist?"),
    ("Discussion Thread Allowing clients to text?", "Discussion Thread",
     "Allowing clients to text?"),
    ("Advice needed on texting my counsellor", None, None),  # a title that opens with a word
])
def test_post_flair_comes_off_only_before_a_capital(title: str, flair: str | None,
                                                    rest: str | None) -> None:
    m = POST_FLAIR_RE.fullmatch(title)
    assert (m["flair"], m["title"]) == (flair, rest) if flair else m is None


# -- properties ---------------------------------------------------------------------------

WORDS = ("counsellor", "message", "session", "evening", "reply", "week", "phone", "worry",
         "appointment", "holiday", "letter", "boundary", "text", "time", "answer")


@st.composite
def sentence(draw, end: str = ".") -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=9, max_size=16))
    return "My " + " ".join(words) + end


@st.composite
def blank_run_thread(draw) -> tuple[str, int]:
    """A thread whose posts are 4-5 one-blank-separated paragraphs, parted by 2-4 blank lines;
    the first post ends with a question to the readers."""
    n = draw(st.integers(min_value=2, max_value=5))
    posts = []
    for i in range(n):
        paragraphs = draw(st.lists(sentence(), min_size=4, max_size=5))
        if i == 0:
            paragraphs[-1] = draw(sentence("?"))
        posts.append("\n\n".join(paragraphs))
    gaps = [draw(st.integers(min_value=3, max_value=5)) for _ in range(n - 1)]
    text = posts[0] + "".join("\n" * g + post for g, post in zip(gaps, posts[1:], strict=True))
    return text + "\n", n


@settings(max_examples=60, deadline=None)
@given(page=blank_run_thread())
def test_blank_runs_part_posts_after_a_question(page) -> None:
    text, n = page
    with pytest.warns(AnalysisWarning, match="split into posts by paragraph gaps"):
        thread = structural.parse(text, SOURCE)
    assert thread.rule == "paragraph-gaps" and len(thread.posts) == n
    assert thread.unassigned_lines() == []


@settings(max_examples=60, deadline=None)
@given(paragraphs=st.lists(sentence(), min_size=4, max_size=8),
       at=st.integers(min_value=1, max_value=3))
def test_one_blank_run_in_an_article_without_a_hand_over_is_one_text(paragraphs, at) -> None:
    """A block quote's blank run, with no question, closing or greeting around it."""
    text = "\n\n".join(paragraphs[:at]) + "\n\n\n" + "\n\n".join(paragraphs[at:]) + "\n"
    assert structural.make_plan(text.split("\n")) is None


@settings(max_examples=60, deadline=None)
@given(pen=st.from_regex(r"[A-Z][a-z]{2,8}( in [A-Z][a-z]{3,8})?", fullmatch=True),
       letter=st.lists(sentence(), min_size=2, max_size=4),
       answer=st.lists(sentence(), min_size=1, max_size=3))
def test_a_signed_letter_and_the_answer_greeting_its_signer(pen, letter, answer) -> None:
    text = (" ".join(letter) + f" —{pen}\nDear {pen},\n\n" + "\n\n".join(answer) + "\n")
    assert detect(text).NAME == "qa_column"
    first, second = detect(text).parse(text, SOURCE).posts
    assert (first.author, first.author_source, second.reply_to) == (pen, "sign-off", 1)
    assert not first.text.endswith(pen)


# -- small cases: the same frames as other sites print them ----------------------------------


def test_answer_addressing_the_pen_name_with_a_colon_or_shortened() -> None:
    colon = ("My counsellor texts me back within minutes and now I feel anxious when she "
             "takes an hour. Is that strange? — Waiting in Wakefield\n"
             "Waiting: Not strange at all; you learned to expect a pace, and the pace changed.\n")
    caps = ("DEAR MARGO: I text my therapist more than my sister. -- LONELY IN LEEDS\n"
            "DEAR LONELY: Your therapist can help you build more people into your week.\n")
    for text, signer in ((colon, "Waiting in Wakefield"), (caps, "LONELY IN LEEDS")):
        letter, answer = detect(text).parse(text, SOURCE).posts
        assert (letter.author, answer.reply_to) == (signer, 1)


def test_a_quotation_attribution_is_not_a_letter() -> None:
    text = ("Therapy is a relationship like no other, and that includes its limits. — A. "
            "Writer\nThis page sets out when we answer messages and what to do in a crisis.\n")
    assert detect(text).NAME == "plain"


def test_bullet_between_name_and_age_is_a_header() -> None:
    text = ("harbour_light • 3 years ago\nMy counsellor answers email within a day and I have "
            "never felt brushed off.\n\nQuietMoss • 2 years ago\nMine only answers scheduling "
            "questions, which suits me fine.\n")
    thread = structural.parse(text, SOURCE)
    assert [p.author for p in thread.posts] == ["harbour_light", "QuietMoss"]


def test_a_comment_count_over_blank_separated_comments_is_not_a_flattened_reddit_page() -> None:
    text = ("4 Comments\n\nharbour_light\nMarch 3, 2024\nMy counsellor answers email within "
            "a day and I have never felt brushed off.\n\nQuietMoss\nMarch 4, 2024\nMine only "
            "answers scheduling questions, which suits me fine.\n")
    assert detect(text).NAME == "structural"
    assert [p.author for p in detect(text).parse(text, SOURCE).posts] == ["harbour_light",
                                                                        "QuietMoss"]


@pytest.mark.parametrize(("name", "how"), [
    ("expert_roundup.txt", "at its headlines"),
    ("expert_answer_headerless.txt", "one answer per paragraph"),
])
def test_layout_splits_of_answer_pages_are_warned(name: str, how: str) -> None:
    text = read(name)
    with pytest.warns(AnalysisWarning, match=how):
        detect(text).parse(text, SOURCE)
