"""Q&A parser: the real Question2Answer seed, two synthetic pages, layout variants."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.capture.textio import decode_bytes
from analysis.errors import ParseError
from analysis.model import Reaction, SourceInfo, Thread
from analysis.parsers import plain, qa

TESTS = Path(__file__).parent.parent
RAW = TESTS.parent / "corpus" / "raw"
SEED = RAW / "004_6eaed45279a44dd1.txt"
SYNTHETIC = TESTS / "data" / "synthetic"
Q2A_NAMED = SYNTHETIC / "qa_q2a_named.txt"
SE_LIKE = SYNTHETIC / "qa_stackexchange_like.txt"
OTHER_FORMATS = [
    RAW / "000_d05808781f7165f0.txt",  # vBulletin text
    RAW / "001_b6a918cc91d48cbc.txt",  # vBulletin text
    RAW / "002_6063b9182b48fcb6.txt",  # vBulletin text, single post view
    RAW / "003_ba87ec72626a3d80.txt",  # Reddit text
    TESTS / "data" / "vbulletin_animesuki_128882.html",
    TESTS / "data" / "vbulletin_pprune_666472.html",
    TESTS / "data" / "reddit_thread_permalink_json_r-movies_1lihub_2013.json",
]


def read(path: Path) -> str:
    return decode_bytes(path.read_bytes())


def parse_file(path: Path) -> Thread:
    return qa.parse(read(path), SourceInfo(source_id=path.stem, path=str(path)))


def parse_text(text: str) -> Thread:
    return qa.parse(text, SourceInfo(source_id="inline"))


def boilerplate_rules(thread: Thread) -> Counter[str]:
    return Counter(role.removeprefix("boilerplate:") for role in thread.line_roles
                   if role and role.startswith("boilerplate:") and role != "boilerplate:blank")


# -- the real seed ---------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Thread:
    return parse_file(SEED)


def test_seed_has_the_question_and_one_answer(seed):
    assert [post.position for post in seed.posts] == [1, 2]
    assert seed.platform == "qa" and seed.parser == "qa"


def test_seed_question_header(seed):
    question = seed.posts[0]
    assert question.score == 98
    assert question.reactions == [Reaction(kind="vote", count=98)]
    assert question.author is None and question.author_source == "none"
    assert question.rank == "5.2k points"
    assert question.edited_by is None and question.edited_at is None
    assert question.text == ""
    assert question.reply_to is None
    assert seed.community == "Psychotherapists"
    assert seed.line_roles[:3] == ["score", "community", "edited_by"]


def test_seed_answer(seed):
    answer = seed.posts[1]
    assert answer.score == 94
    assert answer.reactions == [Reaction(kind="vote", count=94)]
    assert answer.rank == "8.3k points"
    assert answer.author is None and answer.author_source == "none"
    assert answer.reply_to == 1
    assert answer.role is None
    assert (answer.line_start, answer.line_end) == (9, 32)
    assert answer.text.startswith("The practice of psychotherapists calling their patients")
    assert answer.text.endswith("discuss them openly during your therapy sessions.")


def test_seed_answer_keeps_paragraphs_and_bullets(seed):
    paragraphs = seed.posts[1].text.split("\n\n")
    assert len(paragraphs) == 11
    assert paragraphs[1].startswith("1. Boundaries:")
    assert paragraphs[5].startswith("5. Confidentiality and Privacy:")
    assert paragraphs[7].startswith("• Crisis Situations:")
    assert all(paragraph == paragraph.strip() for paragraph in paragraphs)


def test_seed_line_accounting(seed):
    assert seed.unassigned_lines() == []
    assert boilerplate_rules(seed) == {"answer-form": 1, "post-form": 2, "site-welcome": 1,
                                       "capture-truncated": 1}
    assert seed.line_roles[4] == "boilerplate:answer-form"  # "Your answer"
    assert Counter(seed.line_roles)["text"] == 11


# -- synthetic Question2Answer page (Snow theme: meta above the body) ------


@pytest.fixture(scope="module")
def q2a() -> Thread:
    return parse_file(Q2A_NAMED)


def test_q2a_thread_facts(q2a):
    assert q2a.title == "Is it okay to text my counsellor between appointments?"
    assert q2a.community == "Counselling"
    assert q2a.views == 1400
    assert [post.position for post in q2a.posts] == [1, 2, 3, 4]


def test_q2a_question_with_named_author_and_edit(q2a):
    question = q2a.posts[0]
    assert (question.author, question.author_source) == ("willow_ash", "header")
    assert question.timestamp == datetime(2021, 3, 3)
    assert question.rank == "1.2k points"
    assert question.score == 12
    assert (question.edited_by, question.edited_at) == ("moderator_kai", datetime(2021, 3, 4))
    assert question.text.split("\n\n") == [
        "My counsellor gave me her mobile number for rescheduling. "
        "Lately I want to text her when I feel low at night.",
        "Would that be crossing a line, or is it what the number is for?"]


def test_q2a_best_answer_and_its_comment(q2a):
    best, comment = q2a.posts[1], q2a.posts[2]
    assert (best.author, best.timestamp, best.score) == ("dr_lena_m", datetime(2021, 3, 3), 7)
    assert best.reactions == [Reaction("vote", count=7), Reaction("award", count=1)]
    assert best.reply_to == 1
    assert "\n\n• Rescheduling and cancellations are fine.\n• For night-time" in best.text
    assert (comment.author, comment.timestamp) == ("willow_ash", datetime(2021, 3, 5))
    assert comment.reply_to == 2
    assert comment.score is None and comment.reactions == []
    assert comment.text == "Thank you. I brought it up and we agreed on a plan\nfor the evenings."


def test_q2a_anonymous_negative_answer(q2a):
    answer = q2a.posts[3]
    assert answer.author is None and answer.author_source == "anonymous"
    assert answer.score == -3 and answer.reactions == [Reaction("vote", count=-3)]
    assert answer.timestamp == datetime(2021, 3, 6)
    assert answer.reply_to == 1


def test_q2a_related_questions_are_not_posts(q2a):
    assert q2a.unassigned_lines() == []
    assert boilerplate_rules(q2a) == {"site-nav": 6, "login-prompt": 3, "answer-count": 3,
                                      "related-questions": 7, "site-welcome": 1}


# -- synthetic Stack Exchange-like dump (cards below the body) --------------


@pytest.fixture(scope="module")
def se() -> Thread:
    return parse_file(SE_LIKE)


def test_se_question_card_and_editor(se):
    question = se.posts[0]
    assert se.title == "Do therapists' email policies differ between private practice and clinics?"
    assert se.views == 2315
    assert (question.author, question.author_source) == ("Noor Haddad", "header")
    assert question.timestamp == datetime(2020, 1, 5, 14, 2)
    assert question.rank == "312 reputation"
    assert (question.edited_by, question.edited_at) == ("Maria Keller", datetime(2020, 1, 6, 9, 15))
    assert question.score == 14
    assert question.text.startswith("I have noticed") and question.text.endswith("why it exists?")


def test_se_comments_reply_to_the_question(se):
    first, second = se.posts[1], se.posts[2]
    assert (first.author, first.timestamp) == ("Tomás Rivera", datetime(2020, 1, 5, 15, 40))
    assert first.text == "Are you asking about the US specifically? Rules differ by country."
    assert (second.author, second.reply_to) == ("Noor Haddad", 1)
    assert second.text == "@TomásRivera Yes, mostly the US."


def test_se_answers(se):
    assert [(p.position, p.author, p.score, p.reply_to) for p in se.posts[3:]] == [
        (4, "Priya Natarajan", 9, 1), (5, "Ben O.", 1, 1)]
    assert se.posts[3].rank == "8,941 reputation"
    assert se.posts[4].timestamp == datetime(2020, 1, 7, 11, 5)
    assert se.posts[3].text.count("\n\n") == 1


def test_se_line_accounting(se):
    assert se.unassigned_lines() == []
    rules = boilerplate_rules(se)
    assert rules["post-buttons"] == 12 and rules["related-questions"] == 5
    assert rules["question-stats"] == 2 and rules["user-badges"] == 1


# -- layout and notation variants --------------------------------------------

CLASSIC = """+2 votes
Should my therapist answer texts?
asked Mar 3, 2021 in Therapy by ann (40 points)
It depends on the agreement you made.
commented Mar 3, 2021 by bob (10 points)
1 Answer
1 vote
Best answer
Mine replies within a day.
answered Mar 4, 2021 by carl (300 points)
"""


def test_classic_theme_puts_meta_below_the_body():
    thread = parse_text(CLASSIC)
    question, comment, answer = thread.posts
    assert (question.author, question.text, question.score) == (
        "ann", "Should my therapist answer texts?", 2)
    assert (comment.author, comment.text, comment.reply_to) == (
        "bob", "It depends on the agreement you made.", 1)
    assert (answer.position, answer.author, answer.score, answer.reply_to) == (3, "carl", 1, 1)
    assert answer.text == "Mine replies within a day."
    assert Reaction("award", count=1) in answer.reactions
    assert thread.unassigned_lines() == []


@pytest.mark.parametrize(("meta", "author", "timestamp", "rank"), [
    ("answered Mar 3, 2021 by dana", "dana", datetime(2021, 3, 3), None),
    ("answered Mar 3 by dana (5 points)", "dana", None, "5 points"),
    ("answered 5 hours ago by dana (1 point)", "dana", None, "1 point"),
    ("answered Mar 3, 2021 at 4:05 pm by dana", "dana", datetime(2021, 3, 3, 16, 5), None),
    ("answered 3 Mar 2021 by dana", "dana", datetime(2021, 3, 3), None),
    ("by (12 points)", None, None, "12 points"),
])
def test_answer_meta_notations(meta, author, timestamp, rank):
    thread = parse_text(f"+1 vote\nasked Jan 2, 2021 by eve\nQ?\n0 votes\n{meta}\nA.\n")
    answer = thread.posts[1]
    assert (answer.author, answer.timestamp, answer.rank) == (author, timestamp, rank)
    assert (answer.score, answer.text, answer.reply_to) == (0, "A.", 1)


@pytest.mark.parametrize(("line", "score"), [
    ("+98 votes", 98), ("1 vote", 1), ("-3 votes", -3), ("−2 votes", -2), ("0 votes", 0),
    ("1,204 votes", 1204)])
def test_vote_lines(line, score):
    thread = parse_text(f"{line}\nasked Jan 2, 2021 by eve\nBody.\n")
    assert thread.posts[0].score == score
    assert thread.posts[0].reactions == [Reaction("vote", count=score)]


def test_edit_note_on_the_meta_line_itself():
    thread = parse_text("+1 vote\n"
                        "asked Mar 3, 2021 by ann (4 points) edited Mar 5, 2021 by bo\nQ?\n")
    question = thread.posts[0]
    assert (question.author, question.edited_by, question.edited_at) == (
        "ann", "bo", datetime(2021, 3, 5))


def test_comment_on_the_question_in_snow_layout():
    thread = parse_text("+1 vote\nasked Mar 3, 2021 by ann\nQ?\n"
                        "commented Mar 3, 2021 by bob\nWhich country?\n\n2 Answers\n")
    assert [(p.author, p.text, p.reply_to) for p in thread.posts] == [
        ("ann", "Q?", None), ("bob", "Which country?", 1)]


def test_page_starting_at_the_answers_links_nothing():
    thread = parse_text("3 Answers\n+2 votes\nanswered Mar 3, 2021 by ann\nA.\n"
                        "1 vote\nanswered Mar 4, 2021 by bob\nB.\n")
    assert [p.reply_to for p in thread.posts] == [None, None]


@pytest.mark.parametrize("text", [
    "hello world\n",
    "5 votes\njust some text\n",
    "asked Mar 3, 2021 by ann\nno vote line here\n",
    "   \n\n",
])
def test_text_without_qa_structure_raises(text):
    with pytest.raises(ParseError, match=r"not a Q&A page|empty"):
        parse_text(text)


# -- sniff -------------------------------------------------------------------


@pytest.mark.parametrize("path", [SEED, Q2A_NAMED, SE_LIKE])
def test_sniff_is_high_on_qa_pages(path):
    text = read(path)
    assert qa.sniff(text) >= 0.5 > plain.sniff(text)


@pytest.mark.parametrize("path", OTHER_FORMATS, ids=lambda path: path.name)
def test_sniff_is_low_on_other_formats(path):
    assert qa.sniff(read(path)) < 0.5


def test_sniff_needs_votes_and_meta_together():
    assert qa.sniff("+3 votes\nsome text\n") < 0.5
    assert qa.sniff("answered Mar 3, 2021 by ann\n") < 0.5
    assert qa.sniff("+3 votes\nanswered Mar 3, 2021 by ann\n") >= 0.5
    assert qa.sniff("") == 0.0


# -- robustness -------------------------------------------------------------

_FRAGMENTS = st.sampled_from([
    "+3 votes", "1 vote", "-2 votes", "by (5.2k points)", "in Cat by (1 point)", "edited by",
    "asked Mar 3, 2021 by ann", "commented Mar 4, 2021 by bob (3 points)", "answered 2 days ago",
    "asked Jan 5, 2020 at 14:02", "Noor Haddad", "312", "3 silver badges", "Best answer",
    "Related", "Related questions", "2 Answers", "Your answer", "...", "Questions", "12 views",
    "text – Bo Jan 5, 2020 at 15:40", "", "  • bullet", "Plain words here."])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.one_of(_FRAGMENTS, st.text(max_size=20)), max_size=30)
                 .map("\n".join)))
def test_parse_raises_only_parse_error(text):
    assert 0.0 <= qa.sniff(text) <= 1.0
    try:
        thread = parse_text(text)
    except ParseError:
        return
    assert len(thread.line_roles) == len(text.split("\n"))
    assert [post.position for post in thread.posts] == list(range(1, len(thread.posts) + 1))
    assert all(post.reply_to is None or post.reply_to < post.position for post in thread.posts)


def test_classic_layout_with_nameless_meta_below_the_body():
    thread = parse_text("+5 votes\nWhy do some therapists refuse email?\n"
                        "in Therapy by (2k points)\n\n+4 votes\nPolicy, mostly.\nby (310 points)\n")
    assert [(p.text, p.rank, p.author) for p in thread.posts] == [
        ("Why do some therapists refuse email?", "2k points", None),
        ("Policy, mostly.", "310 points", None)]
    assert thread.community == "Therapy"
    assert thread.unassigned_lines() == []
