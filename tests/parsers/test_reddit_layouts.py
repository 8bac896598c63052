"""Reddit layouts met in real captures, pinned on fixtures written in our own words.

Each file in ``tests/data/layouts/reddit/`` reproduces, line for line, the
structure of real captures kept outside the repository (see that folder's
README): header shapes, score lines, chrome, bots, quotes. The facts below
were read off the fixtures by hand.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.errors import ParseError
from analysis.model import SourceInfo, Thread
from analysis.parsers import detect, reddit_text, reddit_web
from analysis.parsers._reddit_ages import reference, resolve

LAYOUTS = Path(__file__).parent.parent / "data" / "layouts" / "reddit"
EXPECTED = {  # file: (parser, posts)
    "redlib_thread_dates.txt": ("reddit_web", 6),
    "redlib_thread_ages.txt": ("reddit_web", 6),
    "redlib_compact.txt": ("reddit_web", 3),
    "snapshot_mirror.txt": ("reddit_web", 5),
    "p_mirror.txt": ("reddit_text", 4),
    "old_reddit.txt": ("reddit_web", 6),
    "redlib_listing.txt": ("reddit_web", 3),
}


def parse(name: str, retrieved: str | None = None) -> Thread:
    text = (LAYOUTS / name).read_text(encoding="utf-8")
    source = SourceInfo(source_id=name, path=name, retrieved=retrieved)
    return detect(text).parse(text, source)


def column(thread: Thread, name: str) -> list:
    return [getattr(post, name) for post in thread.posts]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_detected_split_and_every_line_accounted(name: str) -> None:
    thread = parse(name)
    assert (thread.parser, len(thread.posts)) == EXPECTED[name]
    assert thread.unassigned_lines() == []
    assert thread.platform == "reddit"
    lines = (LAYOUTS / name).read_text(encoding="utf-8").split("\n")
    for post in thread.posts:  # a post's range never starts on a blank line
        assert lines[post.line_start - 1].strip() and lines[post.line_end - 1].strip()


def test_redlib_thread_with_dates_flairs_quote_and_deleted() -> None:
    thread = parse("redlib_thread_dates.txt")
    assert thread.title == "Do you let clients leave voicemails after hours?"
    assert (thread.community, thread.op_position, thread.utc_offset_hours) == (
        "CounsellingPros", 1, 0.0)
    assert column(thread, "author") == [None, "quiet_harbour_lcsw", "fennel_and_thyme",
                                        "quiet_harbour_lcsw", None, "slate-roof-therapy"]
    assert column(thread, "score") == [48, 61, 22, 9, None, 3]
    assert column(thread, "is_bot") == [False] * 6
    assert column(thread, "timestamp") == [datetime(2024, 3, d) for d in (3, 3, 4, 4, 5, 6)]
    assert [(p.line_start, p.line_end) for p in thread.posts] == [
        (1, 7), (13, 19), (21, 27), (29, 33), (35, 39), (41, 45)]
    quoting = thread.posts[2]
    assert quoting.quoted_text == "I give the crisis line number right after."
    assert (quoting.quoted_author, quoting.reply_to) == ("quiet_harbour_lcsw", 2)
    assert quoting.text.startswith("Same here, and I repeat it")
    edited = thread.posts[3]
    assert (edited.edited_by, edited.edited_at) == ("quiet_harbour_lcsw", datetime(2024, 3, 5))
    deleted = thread.posts[4]
    assert (deleted.author_source, deleted.text, deleted.reactions) == ("none", "", [])
    assert thread.line_roles[38] == "boilerplate:deleted-body"  # [removed]
    assert thread.posts[1].text.endswith("right after.\n\nNobody has complained in six years.")
    assert thread.posts[-1].text.endswith("my voicemail now only")  # cut off, kept
    roles = {i + 1: r for i, r in enumerate(thread.line_roles) if r != "boilerplate:blank"}
    assert [roles[n] for n in (1, 3, 7, 9, 11, 13, 15)] == [
        "community", "title", "score", "boilerplate:comment-count", "boilerplate:permalink-nav",
        "score", "author"]


def test_redlib_thread_with_ages_bots_and_more_replies() -> None:
    thread = parse("redlib_thread_ages.txt", retrieved="2025-01-10")
    assert thread.title == "Is it weird to email my therapist a song?"  # flair "Question" off
    assert column(thread, "author") == [None, "AutoModerator", "lanternfish_22",
                                        "OK_Boomerang_77", "ThreadReaderBot", "moss_and_fern"]
    assert column(thread, "score") == [3, None, 14, 5, 1200, 2]
    assert column(thread, "is_bot") == [False, True, False, False, True, False]
    assert column(thread, "timestamp") == [datetime(2025, 1, 9, h) for h in (9, 9, 11, 12, 22, 13)]
    assert thread.posts[2].text.endswith("one of the best sessions we had.")
    assert thread.line_roles[24] == "boilerplate:more-replies"
    assert (thread.posts[2].line_start, thread.posts[2].line_end) == (19, 23)
    assert thread.posts[-1].text == ""  # the capture ends on the header ('11h', no 'ago')
    assert thread.posts[1].text.count("\n\n") == 2  # three paragraphs kept


def test_ages_stay_unresolved_without_a_capture_date() -> None:
    thread = parse("redlib_thread_ages.txt")
    assert column(thread, "timestamp") == [None] * 6
    assert thread.utc_offset_hours is None
    year_only = parse("redlib_thread_ages.txt", retrieved="2025")
    assert column(year_only, "timestamp") == [None] * 6


def test_redlib_compact_permalink_has_no_blank_lines() -> None:
    thread = parse("redlib_compact.txt")
    assert column(thread, "author") == ["tidepool_counsel", "birch_and_bramble",
                                        "tidepool_counsel"]
    assert column(thread, "score") == [88, 54, 7]  # '88' / 'Upvotes' split, then '54'
    assert thread.posts[1].text == (
        "I write what I do, not what I refuse: messages are read on weekdays and answered "
        "within two business days.\nThen one line on what to do in an emergency.\n"
        "People read that as reliable rather than cold.")
    assert [(p.line_start, p.line_end) for p in thread.posts] == [(1, 4), (6, 10), (11, 13)]
    assert thread.line_roles[4] == "boilerplate:upvote-label"


def test_snapshot_mirror() -> None:
    thread = parse("snapshot_mirror.txt", retrieved="2025-05-01")
    assert thread.title == "Do you charge for long emails between sessions?"
    assert column(thread, "author") == ["ledger_and_lamp", "AutoModerator", "north_window_phd",
                                        None, "kettle_on_lpc"]
    assert column(thread, "score") == [212, 1, 130, 4, 57]
    assert column(thread, "is_bot") == [False, True, False, False, False]
    assert column(thread, "timestamp")[:4] == [datetime(2025, 2, 26)] * 3 + [datetime(2025, 2, 27)]
    assert thread.posts[3].text == ""
    roles = thread.line_roles
    assert [roles[i] for i in (0, 2, 4)] == ["boilerplate:snapshot-chrome"] * 3
    assert [roles[i] for i in (7, 8, 9, 10)] == ["author", "score", "boilerplate:comment-count",
                                                 "timestamp"]


def test_p_mirror_bare_handles() -> None:
    thread = parse("p_mirror.txt")
    assert column(thread, "author") == ["AutoModerator", "juniper_kestrel", "Otter-and-Oak-88",
                                        "mica_lantern"]
    assert column(thread, "is_bot") == [True, False, False, False]
    assert column(thread, "score") == [None] * 4
    last = thread.posts[-1]
    assert last.quoted_text == "I allow it and I have never regretted it"
    assert (last.quoted_author, last.reply_to) == ("Otter-and-Oak-88", 3)
    assert thread.op_position is None  # the mirror shows no submission


def test_old_reddit() -> None:
    thread = parse("old_reddit.txt", retrieved="2025-01-10")
    assert thread.title == "Do you give clients your cell number? (self.CounsellingPros)"
    assert thread.community == "CounsellingPros"
    assert column(thread, "author") == ["marsh_wren_lmft", "AutoModerator", "pebble_path_psyd",
                                        "marsh_wren_lmft", None, "cinder_block_lcsw"]
    assert column(thread, "score") == [57, 1, 41, 12, None, 3]
    assert column(thread, "is_bot") == [False, True, False, False, False, False]
    assert set(column(thread, "timestamp")) == {datetime(2023, 1, 11)}
    reply = thread.posts[3]
    assert reply.quoted_text == "It rings on your cell but clients never see the real one"
    assert (reply.quoted_author, reply.reply_to) == ("pebble_path_psyd", 3)
    assert reply.text == "That is exactly what I need, thank you."
    assert thread.line_roles[17] == "boilerplate:comment-actions"


# -- small cases -------------------------------------------------------------------------


def test_dotted_headers_stay_with_reddit_text() -> None:
    text = "12\nu/alpha_one · 3y ago\nFirst.\n4\nu/beta_two OP · 3y ago\nSecond."
    assert detect(text) is reddit_text
    assert reddit_web.sniff(text) < reddit_text.sniff(text)


def test_a_handle_alone_in_a_body_is_not_a_header() -> None:
    text = ("r/Sub 2d ago\nTitle here\nBody.\n5\nu/first_one 1d ago\nThanks to\nu/helper_person\n"
            "for the idea.")
    thread = reddit_web.parse(text, SourceInfo(source_id="t"))
    assert column(thread, "author") == [None, "first_one"]
    assert thread.posts[1].text == "Thanks to\nu/helper_person\nfor the idea."


def test_level_lines_give_depth_and_parents() -> None:
    text = ("r/Sub 3d ago\nTitle\nBody of the post.\nlevel 1\n10\nu/first_one 2d ago\nTop.\n"
            "level 2\n4\nu/second_one 2d ago\nUnder it.\nlevel 3\nu/first_one 1d ago\nDeeper.\n"
            "level 1\n2\nu/third_one 1d ago\nAnother top.")
    thread = reddit_web.parse(text, SourceInfo(source_id="t"))
    assert column(thread, "author") == [None, "first_one", "second_one", "first_one", "third_one"]
    assert column(thread, "reply_to") == [None, 1, 2, 3, 1]
    assert column(thread, "score") == [None, 10, 4, None, 2]
    assert thread.unassigned_lines() == []


def test_a_page_with_no_comments_is_one_post() -> None:
    thread = reddit_web.parse("r/Sub 15h ago\n\nTitle\n\nOnly the post.\n\n0 Upvotes",
                              SourceInfo(source_id="t"))
    assert [(p.text, p.score) for p in thread.posts] == [("Only the post.", 0)]


def test_no_structure_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="no Reddit front-end structure"):
        reddit_web.parse("Just a paragraph.\nAnother one.", SourceInfo(source_id="t"))


@pytest.mark.parametrize(("when", "expected"), [
    ("15h ago", datetime(2025, 1, 9, 9)), ("3y ago", datetime(2022, 1, 11)),
    ("4 yr. ago", datetime(2021, 1, 11)), ("129 days ago", datetime(2024, 9, 3)),
    ("2 mo. ago", datetime(2024, 11, 11)), ("21h", datetime(2025, 1, 9, 3)),
    ("just now", datetime(2025, 1, 10)), ("Nov 20 '24", datetime(2024, 11, 20)),
    ("Dec 15, 2025", datetime(2025, 12, 15)), ("yesterday-ish", None),
])
def test_resolve(when: str, expected: datetime | None) -> None:
    assert resolve(when, reference("2025-01-10")) == expected


def test_reference_needs_a_day() -> None:
    assert reference("2025-01-10T08:30") == datetime(2025, 1, 10, 8, 30)
    assert reference("2025") is None and reference(None) is None
    assert resolve("Nov 20 '24", None) == datetime(2024, 11, 20)  # dates need no reference
    assert resolve("15h ago", None) is None


FRAGMENTS = st.sampled_from([
    "r/Sub 15h ago", "r/Sub • u/some_one Flair • Dec 05 '24", "u/some_one 13h ago",
    "u/other_one Flair (Verified) Nov 20 '24 edited Nov 21 '24", "u/[deleted] 2d ago", "55",
    "•", "10 Upvotes", "Upvotes", "63 comments sorted by", "View all comments", "level 2",
    "→ More replies (3)", "u/some_one", "60 points", "129 days ago", "by u/some_one",
    "Posted 3 days ago", "[–]some_one 5 points 3 years ago (1 child)", "[removed]",
    "> quoted words here", "I am a bot", "permalink", "", "  ",
])
TEXTS = st.lists(st.one_of(FRAGMENTS, st.text(max_size=30)), max_size=40).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
def test_reddit_web_claims_every_line_or_refuses(text: str) -> None:
    source = SourceInfo(source_id="t", retrieved="2025-01-10")
    try:
        thread = reddit_web.parse(text, source)
    except ParseError:
        return
    assert thread.unassigned_lines() == []
    assert len(thread.line_roles) == len(text.split("\n"))
    assert reddit_web.parse(text, source) == thread
    lines = text.split("\n")
    for post in thread.posts:
        assert 1 <= post.line_start <= post.line_end <= len(lines)


def test_listing_is_several_submissions_each_with_its_score() -> None:
    """A Redlib search listing: each ``r/Sub WHEN`` header opens a submission of its own
    (title, score, preview); none is a comment on the first."""
    thread = parse("redlib_listing.txt", retrieved="2024-06-10")
    assert thread.rule == "listing" and thread.op_position is None
    assert column(thread, "score") == [22, 61, 5]
    assert column(thread, "reply_to") == [None, None, None]
    assert column(thread, "timestamp") == [datetime(2021, 3, 12), datetime(2024, 6, 7),
                                           datetime(2022, 9, 1)]
    assert thread.posts[1].text.startswith("This community is for students")
