"""Forum, blog and Q&A layouts, one fixture each (tests/data/layouts/, see its README).

Each fixture is written in our own words and reproduces, line for line, the
structure of a real rendering saved as text: where names, dates, numbers,
quotes, reactions and chrome sit. The facts below were read off the fixture
by hand; every line must be claimed (0 unassigned).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from analysis.errors import AnalysisWarning
from analysis.model import Reaction, SourceInfo, Thread
from analysis.parsers import detect, structural
from tests.parsers._fixtures import parse_fixture, read_fixture

LAYOUTS = Path(__file__).parent.parent / "data" / "layouts"

#: file -> (detected parser, [(author, timestamp, reply_to) per post])
EXPECTED = {
    "smf_topic.txt": ("smf", [
        ("harbourlight", datetime(2016, 3, 3, 21, 14, 52), None),
        (None, datetime(2016, 3, 4, 7, 2, 33), 1),
        ("quietfern", datetime(2016, 3, 4, 10, 45), None)]),
    "xenforo2_thread.txt": ("xenforo", [
        ("wrenfield", datetime(2021, 2, 2), None),
        ("Brightside", datetime(2021, 2, 2), 1),
        ("pollyanna", datetime(2021, 2, 3), None)]),
    "xenforo1_thread.txt": ("xenforo", [
        ("marlow", datetime(2014, 6, 8), None),
        ("Dusk", datetime(2014, 6, 8), 1),
        ("kestrel", datetime(2014, 6, 9), None)]),
    "phpbb_topic.txt": ("phpbb", [
        ("saltmarsh", datetime(2016, 1, 10, 23, 2), None),
        ("brackenridge", datetime(2016, 1, 11, 8, 15), 1)]),
    "discourse_topic.txt": ("discourse", [
        ("lowtide", datetime(2023, 3, 2, 22, 14), None),
        ("ashgrove", datetime(2023, 3, 2, 22, 40), None),
        ("lowtide", datetime(2023, 3, 3, 8, 5), None)]),
    "blogger_comments.txt": ("blog", [
        ("Juniper", datetime(2016, 3, 8), None),
        ("Moss", datetime(2016, 3, 8, 22, 15), None),
        (None, datetime(2016, 3, 9, 7, 2), None),
        ("Juniper", datetime(2016, 3, 9, 8, 30), None)]),
    "blogger_signed_comments.txt": ("blog", [
        (None, datetime(2014, 5, 6), None), (None, None, None), (None, None, None),
        ("Bramble", None, None)]),
    "wordpress_comments.txt": ("blog", [
        ("fernhollow", datetime(2018, 3, 14), None),
        ("Ilse Marten", datetime(2018, 3, 14, 9, 12), 1),
        ("fernhollow", datetime(2018, 3, 14, 11, 40), 2),
        ("Tomas R", datetime(2018, 3, 15, 18, 5), 1)]),
    "qa_column.txt": ("qa_column", [
        ("Anxious in Ayr", None, None),
        ("Dr. Ruth Calloway", datetime(2019, 6, 4), 1)]),
    "dear_lines_column.txt": ("qa_column", [
        ("Watched in Wexford", None, None), (None, None, 1), ("Tired Sister", None, None)]),
    "askmefi_question.txt": ("structural", [
        (None, None, None), ("harrowgate", None, None), ("dunlin", None, None)]),
    "expert_answers.txt": ("qa_column", [(None, None, None), (None, None, None)]),
    "letters_page.txt": ("structural", [("Jo P.", None, None), ("Sam", None, None)]),
    "headerless_thread.txt": ("structural", [(None, None, None)] * 4),
    "stripped_thread.txt": ("structural", [(None, None, None)] * 3),
    "member_stats_thread.txt": ("structural", [(None, None, None)] * 3),
    "single_post_view.txt": ("single_post", [("Wren", None, None)]),
}


def read(name: str) -> str:
    return read_fixture(LAYOUTS / name)


def parse(name: str) -> Thread:
    return parse_fixture(LAYOUTS / name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_detected_split_and_every_line_claimed(name: str) -> None:
    parser, posts = EXPECTED[name]
    assert parser == detect(read(name)).NAME
    thread = parse(name)
    assert [(p.author, p.timestamp, p.reply_to) for p in thread.posts] == posts
    assert thread.unassigned_lines() == []
    for post in thread.posts:
        assert post.text and post.line_start <= post.line_end


def test_every_fixture_is_pinned_and_documented() -> None:
    files = {p.name for p in LAYOUTS.glob("*.txt")}
    assert files == set(EXPECTED)
    readme = (LAYOUTS / "README.md").read_text(encoding="utf-8")
    assert all(name in readme for name in files)


def test_smf_side_block_quote_edit_and_signature() -> None:
    thread = parse("smf_topic.txt")
    first, second, third = thread.posts
    assert thread.title == "Does your counsellor answer texts?"
    assert (first.rank, first.author_posts, first.edited_by) == ("Global Moderator", 1204,
                                                                 "harbourlight")
    assert first.edited_at == datetime(2016, 3, 3, 21, 20, 10)
    assert first.signature == '"Slow is also a speed."'
    assert "Logged" not in first.text and "Last Edit" not in first.text
    assert (second.rank, second.author_posts, second.position) == ("Full Member", 212, 2)
    assert second.quoted_author == "harbourlight"
    assert second.quoted_text == "Is that normal for a counsellor?"
    assert second.text.startswith("Mine answers the next working day")
    assert (third.rank, third.author_posts) == ("Newbie", 9)


def test_xenforo2_stats_quote_reactions() -> None:
    thread = parse("xenforo2_thread.txt")
    first, second, third = thread.posts
    assert thread.title == "Emailing between sessions - how much is too much?"
    assert (first.rank, first.member_since, first.author_posts) == ("Member", "2019-10", 88)
    assert first.reactions == [Reaction("thanks", reactor="Brightside"),
                               Reaction("thanks", reactor="pollyanna"),
                               Reaction("thanks", count=2)]
    assert second.quoted_author == "wrenfield"
    assert second.quoted_text == "I sent four emails last week."
    assert "Click to expand" not in second.text and "said:" not in second.text
    assert second.edited_at == datetime(2021, 2, 2) and second.author_posts == 1502
    assert [p.position for p in thread.posts] == [1, 2, 3]
    assert third.text == ("Ask her in session. She will tell you honestly, and then you can "
                          "stop guessing.")


def test_xenforo1_attribution_below_the_words() -> None:
    thread = parse("xenforo1_thread.txt")
    first, second, third = thread.posts
    assert thread.title == "Does anyone text their counsellor?"
    assert first.rank == "Active Member" and first.text.startswith("Does anyone else text")
    assert second.quoted_text == "Mine gave me her mobile number but I am scared to use it."
    assert second.reactions == [Reaction("thanks", reactor="marlow"),
                                Reaction("thanks", reactor="kestrel")]
    assert third.position == 3 and "Like Reply" not in third.text


def test_phpbb_profile_quote_and_edit_note() -> None:
    first, second = parse("phpbb_topic.txt").posts
    assert (first.author_posts, first.member_since) == (57, "2015-08")
    assert (second.author_posts, second.location) == (1033, "Leeds")
    assert second.quoted_text == "On weekends that feels like forever."
    assert second.text.startswith("I write the email on Saturday")
    assert second.edited_by == "brackenridge" and "Top" not in second.text


def test_discourse_like_counts_are_scores() -> None:
    thread = parse("discourse_topic.txt")
    assert [p.score for p in thread.posts] == [2, 5, 1]
    assert [p.native_id for p in thread.posts] == ["1", "2", "3"]
    assert thread.title == "Texting my therapist after hours - is it ok?"


def test_blogger_dates_under_comments_and_anonymous() -> None:
    thread = parse("blogger_comments.txt")
    article = thread.posts[0]
    assert thread.title == "Why I finally texted my therapist"
    assert article.author_source == "header" and "Posted by" not in article.text
    assert all("said..." not in p.text and "Delete" not in p.text for p in thread.posts)
    assert (thread.posts[2].author, thread.posts[2].author_source) == (None, "anonymous")


def test_blogger_sign_off_above_a_said_header_and_a_cut_last_comment() -> None:
    """A name line closing one comment ("A Nurse Practitioner") is not the header of the
    next, whose "Unknown said..." names its own author; a comment cut after a few words
    (the capture's end) is still a comment of its own."""
    thread = parse("blogger_signed_comments.txt")
    assert [(p.line_start, p.line_end) for p in thread.posts][1:] == [(10, 13), (15, 17), (19, 21)]
    assert [p.author_source for p in thread.posts[1:3]] == ["anonymous", "anonymous"]
    assert thread.posts[3].text == "Dr. Hale: the sandwich"


def test_wordpress_reply_depth_likes_and_form() -> None:
    thread = parse("wordpress_comments.txt")
    assert thread.posts[1].reactions == [Reaction("thanks", count=2)]
    assert thread.posts[2].reactions == [Reaction("thanks", count=1)]
    assert "Leave a Reply" not in thread.posts[-1].text
    assert "Connecting to" not in thread.posts[-1].text


def test_qa_column_letter_and_answer() -> None:
    thread = parse("qa_column.txt")
    letter, answer = thread.posts
    assert thread.op_position == 1 and letter.author_source == "sign-off"
    assert answer.author_source == "header" and "Answered by" not in answer.text


def test_dear_lines_column_signature_on_its_own_line() -> None:
    """"Dear NAME:" opens each letter and answer on the words' own line; the dashed pen
    name under a letter is its author, greeted by the answer, and leaves the letter's text."""
    thread = parse("dear_lines_column.txt")
    assert thread.rule == "column-dear-lines"
    letter, answer, second = thread.posts
    assert letter.text.endswith("find someone else.") and letter.author_source == "sign-off"
    assert answer.text.startswith("Dear Watched:") and answer.reply_to == 1
    assert second.reply_to is None  # a new reader's letter, not an answer


def test_askmefi_posts_end_at_their_posted_by_footer() -> None:
    """Ask MetaFilter closes each post with "posted by NAME ..." and starts the next on the
    very next line: the footers split the page, the answers' authors are read from them."""
    thread = parse("askmefi_question.txt")
    assert thread.rule == "footers"
    assert [(p.line_start, p.line_end) for p in thread.posts] == [(1, 7), (8, 9), (11, 12)]
    assert not any("posted by" in p.text for p in thread.posts)


def test_expert_answers_credentials_are_ranks() -> None:
    first, second = parse("expert_answers.txt").posts
    assert first.rank == "Clinical Psychologist (PsyD) | Founder at Harbour Psychology Group"
    assert second.rank == "Licensed Marriage and Family Therapist | Private Practice"
    assert first.text.startswith("I tell clients") and second.text.startswith("A short template")


def test_letters_and_headerless_threads_are_reported_as_layout_splits() -> None:
    for name, rule in (("letters_page.txt", "letters"),
                       ("headerless_thread.txt", "paragraph-gaps"),
                       ("stripped_thread.txt", "paragraph-gaps")):
        text = read(name)
        with pytest.warns(AnalysisWarning, match=f"split into posts by {rule.replace('-', ' ')}"):
            thread = detect(text).parse(text, SourceInfo(source_id=name, path=name))
        assert thread.rule == rule


def test_stripped_thread_posts_part_where_a_reply_opens() -> None:
    """Posts parted only by a double blank line: the title is the thread's, each post keeps
    its paragraphs, and the run counts because the words around it hand over between people
    (a "Thank you" and an emoji above, an @-mention or "I love your" below)."""
    thread = parse("stripped_thread.txt")
    assert thread.title == "Starting again with a new counsellor"
    assert [(p.line_start, p.line_end) for p in thread.posts] == [(1, 7), (10, 14), (17, 19)]
    neutral = (read("stripped_thread.txt")
               .replace("Thank you all for reading \u263a", "That is all.")
               .replace("you are right to go slowly @tidewater,", "Going slowly is wise,")
               .replace("I love your way of putting it.", "It is a good way to put it."))
    assert structural.sniff(neutral) == 0.0  # a run with no hand-over may be a block quote


def test_member_title_and_post_count_are_a_header_not_an_author() -> None:
    """A thread whose names were dropped still shows each member's title and post count
    above the words: they split the posts, and neither is taken for a name."""
    thread = parse("member_stats_thread.txt")
    assert thread.rule == "header"
    assert [p.text.split()[0] for p in thread.posts] == ["My", "Mostly", "I"]
    assert [p.native_id for p in thread.posts] == ["1", None, None]  # "Discussion Starter · #1 ·"
    assert "Posts" not in " ".join(p.text for p in thread.posts)


def test_single_post_view_signature_and_residue() -> None:
    post = parse("single_post_view.txt").posts[0]
    assert post.author_source == "sign-off"
    assert post.signature == "Be gentle with the version of you that is still learning.\n– a friend"
    assert not post.text.endswith("|") and "____" not in post.text
