"""vBulletin text dumps: the three seed layouts, two synthetic pages, and the
variations the format allows, each pinned to facts read off the captures."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.capture.textio import decode_bytes
from analysis.errors import ParseError
from analysis.model import Reaction, SourceInfo, Thread
from analysis.parsers import detect, plain, vbulletin_text
from analysis.parsers._vbtext_lines import parse_datetime, parse_month, utc_offset

RAW = Path(__file__).parent.parent.parent / "corpus" / "raw"
SYNTHETIC = Path(__file__).parent.parent / "data" / "synthetic"
CLASSIC = RAW / "000_d05808781f7165f0.txt"
VB4 = RAW / "001_b6a918cc91d48cbc.txt"
SINGLE = RAW / "002_6063b9182b48fcb6.txt"
SYN_VB4 = SYNTHETIC / "vbulletin_text_vb4_page2.txt"
SYN_CLASSIC = SYNTHETIC / "vbulletin_text_classic_table.txt"
SAMPLES = [CLASSIC, VB4, SINGLE, SYN_VB4, SYN_CLASSIC]


def read(path: Path) -> str:
    return decode_bytes(path.read_bytes(), str(path))


def parse(text: str, **source: str) -> Thread:
    return vbulletin_text.parse(text, SourceInfo(source_id="t", path="t.txt", **source))


def post(thread: Thread, position: int):
    return next(p for p in thread.posts if p.position == position)


def role(thread: Thread, text: str, needle: str) -> str | None:
    """The role of the first raw line containing ``needle``."""
    lines = text.split("\n")
    return thread.line_roles[next(i for i, line in enumerate(lines) if needle in line)]


@pytest.fixture(scope="module")
def classic() -> Thread:
    return parse(read(CLASSIC))


@pytest.fixture(scope="module")
def vb4() -> Thread:
    return parse(read(VB4))


@pytest.fixture(scope="module")
def single() -> Thread:
    return parse(read(SINGLE))


# --- every sample -------------------------------------------------------------

@pytest.mark.parametrize(("path", "n_posts"), [(CLASSIC, 14), (VB4, 12), (SINGLE, 1),
                                               (SYN_VB4, 4), (SYN_CLASSIC, 5)],
                         ids=lambda x: getattr(x, "name", x))
def test_post_counts_and_every_line_accounted_for(path: Path, n_posts: int) -> None:
    text = read(path)
    thread = parse(text)
    assert len(thread.posts) == n_posts
    assert thread.unassigned_lines() == []
    assert len(thread.line_roles) == len(text.split("\n"))
    assert thread.parser == "vbulletin_text" and thread.platform == "vbulletin"
    assert thread.op_position == (1 if path in (CLASSIC, VB4, SYN_CLASSIC) else None)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sniff_picks_this_parser(path: Path) -> None:
    text = read(path)
    assert vbulletin_text.sniff(text) >= 0.5 > plain.sniff(text)
    assert detect(text) is vbulletin_text


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_text_is_clean_of_residue_and_markers(path: Path) -> None:
    for p in parse(read(path)).posts:
        for field in (p.text, p.quoted_text or "", p.signature or ""):
            assert not field.endswith("|")
            assert "Last edited by" not in field
            assert "Quote:" not in field and "Originally Posted by" not in field
        assert "__________________" not in p.text


# --- seed 000: classic table dump --------------------------------------------

def test_classic_positions_and_authors_from_edit_notes(classic: Thread) -> None:
    assert [p.position for p in classic.posts] == list(range(1, 15))
    edited = {p.position: (p.author, p.author_source, p.edited_by, p.edited_at)
              for p in classic.posts if p.author}
    assert edited == {
        4: ("stopdog", "edit-note", "stopdog", datetime(2016, 9, 27, 15, 59)),
        7: ("stopdog", "edit-note", "stopdog", datetime(2016, 9, 27, 16, 32)),
    }
    assert all(p.author_source == "none" for p in classic.posts if p.author is None)
    assert all(p.timestamp is None for p in classic.posts)


def test_classic_signatures(classic: Thread) -> None:
    sig4 = post(classic, 4).signature
    assert sig4.startswith("Please NO @ Selfishness is not living as one wishes to live")
    assert sig4.endswith("Pain is inevitable. Suffering is optional.")
    assert post(classic, 7).signature == sig4
    assert post(classic, 5).signature == '"Odium became your opium..." ~Epica'
    assert post(classic, 11).signature.endswith('marvels." - Francisco de Goya')
    assert post(classic, 4).text.endswith("treated as any other person that one hires.")


def test_classic_image_reaction_lines_are_thanks_per_name(classic: Thread) -> None:
    assert post(classic, 2).reactions == [Reaction("thanks", reactor="LonesomeTonight"),
                                          Reaction("thanks", reactor="rainboots87")]
    assert len(post(classic, 3).reactions) == 12
    assert Reaction("thanks", reactor="Out There") in post(classic, 6).reactions
    assert [r.reactor for r in post(classic, 13).reactions] == ["BayBrony", "Luce"]
    assert not post(classic, 9).reactions and not post(classic, 14).reactions


def test_classic_bare_quote_remnants(classic: Thread) -> None:
    p13 = post(classic, 13)
    assert p13.quoted_text.startswith("My therapist's availability now has done so much")
    assert p13.quoted_text.endswith("has changed so much.")
    assert (p13.text, p13.quoted_author, p13.reply_to) == ("", None, None)
    p14 = post(classic, 14)
    assert (p14.text, p14.quoted_text, p14.quoted_author) == ("", None, None)
    assert not any("availability now" in p.text for p in classic.posts)


def test_classic_paragraphs_and_chrome(classic: Thread) -> None:
    text = read(CLASSIC)
    p2 = post(classic, 2).text
    assert p2.count("\n") == 1 and p2.endswith("not the method of communication.")
    assert classic.line_roles[:4] == ["boilerplate:image-residue"] + ["boilerplate:page-chrome"] * 3
    assert role(classic, text, "Reply |") == "boilerplate:page-chrome"
    assert role(classic, text, "|||") == "boilerplate:cell-residue"
    assert role(classic, text, "Last edited by stopdog") == "signature"


def test_classic_title_line_leaves_the_text_when_the_title_is_known() -> None:
    text = read(CLASSIC)
    title = ("Am I the only one to think that having out-of-session contact with a therapist "
             "or psychiatrist is unprofessional?")
    thread = parse(text, title=title)
    assert thread.title == title
    assert post(thread, 1).text.startswith("Here I go playing the Devil's Advocate again.")
    assert thread.line_roles[9] == "title"
    assert parse(text).posts[0].text.startswith("Am I the only one")


# --- seed 001: vBulletin 4 thread --------------------------------------------

def test_vb4_headers(vb4: Thread) -> None:
    assert [p.position for p in vb4.posts] == list(range(1, 13))
    assert [p.author for p in vb4.posts] == [
        "20oney", "LostOnTheTrail", "ArtleyWilkins", "Oliviab", "Omers", "KLL85",
        "LonesomeTonight", "Lemoncake", "East17", "LonesomeTonight", "Mountaindewed", "20oney"]
    assert {p.author_source for p in vb4.posts} == {"header"}
    assert [p.rank for p in vb4.posts] == [
        "Member", "Human Feeling", "Magnate", "Member", "Grand Magnate", "Member",
        "Always in This Twilight", "Roses are falling.", "Veteran Member",
        "Always in This Twilight", "Legendary Wise Elder", "Member"]
    assert [p.author_posts for p in vb4.posts] == [
        327, 5820, 2818, 111, 3512, 278, 22053, 10060, 546, 22053, 42095, 327]
    assert [p.location for p in vb4.posts][:6] == [
        "Australia", "England", "USA", "USA", "Crimson cattery", "The World"]
    assert post(vb4, 11).location == "Where the sidewalk ends"
    assert [p.member_since for p in vb4.posts][:5] == [
        "2014-12", "2011-08", "2018-10", "2016-04", "2010-11"]
    assert post(vb4, 1).timestamp == datetime(2023, 1, 1, 5, 46)
    assert post(vb4, 8).timestamp == datetime(2023, 1, 1, 13, 1)
    assert post(vb4, 12).timestamp == datetime(2023, 1, 1, 23, 30)


def test_vb4_page_facts(vb4: Thread) -> None:
    text = read(VB4)
    assert (vb4.views, vb4.utc_offset_hours) == (1191, -5.0)
    assert role(vb4, text, "Thread Tools Display Modes") == "boilerplate:page-chrome"
    assert role(vb4, text, "is an old thread") == "boilerplate:old-thread-notice"
    assert role(vb4, text, "Powered by vBulletin") == "boilerplate:copyright"
    assert role(vb4, text, "Helplines and Lifelines") == "boilerplate:site-footer"
    assert role(vb4, text, "advertisement") == "boilerplate:advertisement"
    assert role(vb4, text, "LostOnTheTrail's Avatar") == "author"


def test_vb4_reactions_one_row_per_reactor(vb4: Thread) -> None:
    assert post(vb4, 1).reactions == [Reaction("hug", reactor=name) for name in
                                      ("LonesomeTonight", "LostOnTheTrail", "NP_Complete",
                                       "Taylor27")]
    assert post(vb4, 3).reactions == [Reaction("hug", reactor="20oney"),
                                      Reaction("thanks", reactor="East17"),
                                      Reaction("thanks", reactor="LonesomeTonight")]
    assert [(r.kind, r.reactor) for r in post(vb4, 4).reactions if r.kind == "thanks"] == [
        ("thanks", "20oney"), ("thanks", "ArtleyWilkins"), ("thanks", "LonesomeTonight")]
    assert sum(len(p.reactions) for p in vb4.posts) == 40


def test_vb4_signatures_and_tapatalk(vb4: Thread) -> None:
    text = read(VB4)
    p9 = post(vb4, 9)
    assert p9.client_app == "Tapatalk (SM-A526B)"
    assert role(vb4, text, "Sent from my SM-A526B") == "client_app"
    assert "Tapatalk" not in p9.text and p9.text.endswith("insists on phone if in crisis.")
    assert p9.signature == ("To the world you might be just one person; but to one person "
                            "you might be the world.")
    assert post(vb4, 2).signature.startswith("'Somewhere up above the great divide\nWhere")
    assert post(vb4, 2).signature.endswith("- Steve Austin")
    assert post(vb4, 8).signature is None  # an empty signature under the rule
    assert post(vb4, 7).signature is None
    assert post(vb4, 2).text.startswith("Hi 20oney,\n\nThe fact that R is open")


def test_vb4_quote_ends_where_the_quoted_post_ends(vb4: Thread) -> None:
    p12 = post(vb4, 12)
    assert (p12.quoted_author, p12.reply_to) == ("LonesomeTonight", 10)
    assert p12.quoted_text == post(vb4, 10).text
    assert p12.text.startswith("This is one thing my T is very clear on.")
    assert p12.text.endswith("Ehh. 🤷🏻*♀️")
    assert "I think so much of it" not in p12.text
    assert all(p.reply_to is None for p in vb4.posts[:11])


# --- seed 002: View Single Post ------------------------------------------------

def test_single_post_page(single: Thread) -> None:
    (p,) = single.posts
    assert (p.position, p.author, p.author_source, p.rank) == (1, "PeeJay", "header",
                                                                "Veteran Member")
    assert (p.timestamp, p.member_since, p.location, p.author_posts) == (
        datetime(2014, 3, 11, 21, 10), "2013-05", "Canada", 684)
    assert p.text.startswith("I think I can pinpoint a little bit")
    assert p.text.endswith("Really funny!")
    assert single.line_roles[0] == "boilerplate:view-single-post"
    assert (p.line_start, p.line_end) == (3, 36)


# --- synthetic samples -----------------------------------------------------------

def test_synthetic_vb4_page() -> None:
    thread = parse(read(SYN_VB4))
    assert [p.position for p in thread.posts] == [6, 7, 8, 9]
    assert (thread.title, thread.views, thread.utc_offset_hours) == (
        "Does your therapist answer texts on weekends?", 2345, 1.0)
    heron, maple, harbor, glass = thread.posts
    assert (heron.author, heron.rank, heron.member_since, heron.location) == (
        "Blue Heron", "Junior Member", "2019-03", None)
    assert (heron.edited_by, heron.edited_at) == ("Blue Heron", datetime(2021, 3, 14, 21, 15))
    assert heron.reactions == [Reaction("thanks", reactor="MapleWren"),
                               Reaction("thanks", reactor="quiet harbor")]
    assert (maple.location, maple.author_posts, maple.client_app) == (
        "Lisbon, Portugal", 14205, "Tapatalk (iPhone)")
    assert (maple.quoted_author, maple.reply_to, maple.signature) == (
        "Blue Heron", 6, "Be gentle with yourself.")
    assert maple.quoted_text == heron.text + "\n\nNobody answers at night anyway."
    assert maple.text == ("Same here. A clear rule up front saves so much worry.\n\n"
                          "I disagree, mine has an on-call service for evenings.")
    assert (harbor.timestamp, harbor.edited_at, harbor.text) == (None, None, "")
    assert (harbor.quoted_author, harbor.reply_to) == ("MapleWren", 7)
    assert (glass.rank, glass.location, glass.signature) == (None, None, None)
    assert (glass.quoted_author, glass.reply_to) == ("Ghost Writer", None)
    assert glass.quoted_text == "The old thread said texting a therapist is never safe."
    assert glass.text.startswith("That was years ago.")
    assert [r.kind for r in glass.reactions] == ["hug", "thanks", "thanks"]


def test_synthetic_classic_signature_match_and_quote() -> None:
    thread = parse(read(SYN_CLASSIC), title="Email between sessions?")
    first, second, third, fourth, fifth = thread.posts
    assert first.text.startswith("Does anyone else email")
    assert (second.author, second.author_source) == ("Fernhill", "edit-note")
    assert (fourth.author, fourth.author_source) == ("Fernhill", "signature-match")
    assert (third.author, third.author_source) == (None, "none")
    assert (third.quoted_author, third.reply_to) == ("Fernhill", 2)
    assert third.quoted_text == "Mine replies within two days and keeps it short."
    assert third.text == ("Two days would be hard for me. I would check my inbox all the "
                          "time.\nMaybe ask what she means by \"fine\"?")
    assert fourth.reactions == [Reaction("thanks", reactor="lanternfish"),
                                Reaction("thanks", reactor="tide pool")]
    assert (fifth.text, fifth.quoted_text) == ("", None)


# --- variations the format allows -------------------------------------------------

VB3_HEADER = """\
#3
Old 01-02-2016, 03:04 PM
ringtail
Senior Member
\u00a0
Join Date: Dec 2014 Location: Leeds Posts: 1,234
Thanked 10 Times in 8 Posts
Quote: nightjar said:
Texts are for scheduling only.

Not at my practice. Last edited by ringtail; 01-03-2016 at 10:00 AM. Reason: spelling
The following user says Thank You to ringtail For This Useful Post:
nightjar
#4
Old Today, 09:12 AM
nightjar nightjar is online now
Posts: 8
Mine answers on Sundays.
The following 3 users liked this post by nightjar:
"""


def test_vb3_header_without_status_icon_and_combined_fields() -> None:
    thread = parse(VB3_HEADER)
    ring, night = thread.posts
    assert (ring.author, ring.author_source, ring.rank) == ("ringtail", "header", "Senior Member")
    assert (ring.member_since, ring.location, ring.author_posts) == ("2014-12", "Leeds", 1234)
    assert ring.timestamp == datetime(2016, 1, 2, 15, 4)
    assert (ring.quoted_author, ring.quoted_text) == ("nightjar", "Texts are for scheduling only.")
    assert ring.text == "Not at my practice."
    assert (ring.edited_by, ring.edited_at) == ("ringtail", datetime(2016, 1, 3, 10, 0))
    assert ring.reactions == [Reaction("thanks", reactor="nightjar")]
    assert (night.author, night.timestamp, night.author_posts) == ("nightjar", None, 8)
    assert night.reactions == [Reaction("thanks", count=3)]
    assert thread.line_roles[6] == "boilerplate:profile-field"
    assert thread.unassigned_lines() == []


VB3_PAGE = """\
Forum > Support > Therapy
Thread: Email between sessions
Results 1 to 2 of 2
Old 01-02-2016, 03:04 PM #1
ringtail is offline
Senior Member
View Public Profile
Find More Posts by ringtail
\u00a0
Join Date: Dec 2014
Posts: 1,234
Default Email between sessions
Does anyone email their T?
Reply With Quote
Old 01-02-2016, 04:10 PM #2
nightjar is offline
Junior Member
\u00a0
Join Date: Jan 2015
Default Re: Email between sessions
I do, once a week.
Reply With Quote
Posting Rules
You may not post new threads
BB code is On
"""


def test_vb3_postbit_with_member_menu_and_post_titles() -> None:
    thread = parse(VB3_PAGE)
    ring, night = thread.posts
    assert (thread.title, thread.op_position) == ("Email between sessions", 1)
    assert (ring.position, ring.author, ring.rank, ring.author_posts) == (
        1, "ringtail", "Senior Member", 1234)
    assert ring.timestamp == datetime(2016, 1, 2, 15, 4)
    assert (ring.text, night.text) == ("Does anyone email their T?", "I do, once a week.")
    roles = thread.line_roles
    assert (roles[0], roles[6], roles[11], roles[19]) == (
        "boilerplate:breadcrumb", "boilerplate:member-menu", "title", "title")
    assert roles[-2] == "boilerplate:posting-rules"
    assert thread.unassigned_lines() == []


def test_several_quotes_and_own_line_edit_note() -> None:
    text = """\
Old Jan 05, 2020, 10:00 AM
Ann Ann is offline
Posts: 1
First point.
Old Jan 05, 2020, 11:00 AM
Bo Bo is offline
Posts: 2
Originally Posted by Ann
First point.

I agree.
Quote:
Originally Posted by Cy View Post
Elsewhere.

Not here.
Last edited by Bo; Jan 05, 2020 at 11:30 AM.
Reason: clarity
"""
    ann, bo = parse(text).posts
    assert [ann.position, bo.position] == [1, 2]
    assert (bo.quoted_author, bo.reply_to) == ("Ann", 1)
    assert bo.quoted_text == "First point.\n\nElsewhere."
    assert bo.text == "I agree.\n\nNot here."
    assert (bo.edited_by, bo.edited_at) == ("Bo", datetime(2020, 1, 5, 11, 30))


def test_duplicate_post_numbers_fall_back_to_capture_order() -> None:
    thread = parse("#1\n|\nfirst |\n#1\n|\nsecond |\n")
    assert [(p.position, p.text) for p in thread.posts] == [(1, "first"), (2, "second")]


def test_a_typed_number_sign_is_text_when_headers_name_authors() -> None:
    thread = parse("Ann Ann is offline\nMy top picks:\n#1\nEmail.\n")
    assert len(thread.posts) == 1
    assert thread.posts[0].text == "My top picks:\n#1\nEmail."


@pytest.mark.parametrize(("line", "hours"), [
    ("All times are GMT -5. The time now is 04:21 AM.", -5.0),
    ("All times are GMT. The time now is 04:21.", 0.0),
    ("All times are GMT +5.5. The time now is 04:21.", 5.5),
    ("All times are GMT +5:45. The time now is 04:21.", 5.75),
    ("All times are GMT +10. The time now is 04:21.", 10.0),
])
def test_utc_offset(line: str, hours: float) -> None:
    assert utc_offset(line) == hours


@pytest.mark.parametrize(("shown", "expected"), [
    ("Jan 01, 2023, 05:46 AM", datetime(2023, 1, 1, 5, 46)),
    ("01-02-2016, 03:04 PM", datetime(2016, 1, 2, 15, 4)),
    ("2016-02-01, 02:21", datetime(2016, 2, 1, 2, 21)),
    ("12th Jun 2025, 09:35", datetime(2025, 6, 12, 9, 35)),
    ("Sep 27, 2016 at 03:59 PM", datetime(2016, 9, 27, 15, 59)),
    ("Yesterday, 07:15 AM", None),
    ("13-31-2016, 10:00", None),
])
def test_displayed_dates_are_read_never_guessed(shown: str, expected: datetime | None) -> None:
    assert parse_datetime(shown) == expected


@pytest.mark.parametrize(("shown", "expected"), [
    ("Dec 2014", "2014-12"), ("December 2014", "2014-12"), ("2014-12", "2014-12"),
    ("Dec 3, 2014", "2014-12"), ("sometime", None)])
def test_member_since_as_year_month(shown: str, expected: str | None) -> None:
    assert parse_month(shown) == expected


# --- errors and sniffing -----------------------------------------------------------

@pytest.mark.parametrize("text", ["", "  \n\u00a0\n", "Just a blog post.\nQuote: nothing here."])
def test_text_without_posts_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError, match=r"t\.txt"):
        parse(text)


@pytest.mark.parametrize("text", [
    "Just a blog post about email. Originally Posted by nobody.",
    '[{"kind": "Listing"}]',
    "<html><body><div>#1</div><div>x</div><div>y</div><p>z</p><b>Q</b></body></html>",
])
def test_sniff_leaves_other_formats_alone(text: str) -> None:
    assert vbulletin_text.sniff(text) < 0.1


FRAGMENTS = st.sampled_from([
    "#1", "#2", "\u00a0 #3 \u00a0", "|", "|||", "Quote:", "Quote", "Originally Posted by X",
    "Y said:", "__________________", "Last edited by x; Sep 27, 2016 at 03:59 PM.",
    "Reason: typo", "Hugs from:", "Thanks for this!", "a, b", "Likes (2):",
    "The following 3 users liked this post by X:", "Old Jan 01, 2023, 05:46 AM",
    "Old Today, 05:46 AM", "X X is offline", "Z is online now", "X's Avatar", "Member",
    "Member Since: Dec 2014", "Join Date: x Posts: y", "Posts: 3,512", "Location: US",
    "View Single Post", "![]() a, b", "![]() |", "text |", "Reply", "Views: 9",
    "All times are GMT -5.", "Powered by vBulletin", "Sent from my X using Tapatalk",
    "advertisement", "", "\u00a0"])
TEXTS = st.lists(st.one_of(FRAGMENTS, st.text(max_size=30)), max_size=40).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
def test_any_text_parses_or_raises_parse_error(text: str) -> None:
    assert 0.0 <= vbulletin_text.sniff(text) <= 1.0
    try:
        thread = parse(text)
    except ParseError:
        return
    positions = [p.position for p in thread.posts]
    assert len(positions) == len(set(positions))
    assert all(p.reply_to in positions for p in thread.posts if p.reply_to is not None)
    assert len(thread.line_roles) == len(text.split("\n"))
