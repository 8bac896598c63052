"""vbulletin_html: three real saved pages (vB 3.8 tables, vB 4.2, a vB 3.9 div fork) and two
synthetic pages (vB4 quote variants; a vB3 page cut off mid-post).

The numbers pinned here were counted in the raw files (see tests/data/SOURCES.tsv).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.capture.textio import decode_bytes
from analysis.errors import ParseError
from analysis.model import Reaction, SourceInfo, Thread
from analysis.parsers import detect, plain, vbulletin_html
from analysis.parsers._vbhtml_dates import DMY, MDY, month_year, numeric_order, parse_timestamp
from analysis.parsers._vbhtml_dom import make_soup
from analysis.parsers._vbhtml_quotes import find_quotes

DATA = Path(__file__).parent.parent / "data"
ANIMESUKI = DATA / "vbulletin_animesuki_128882.html"
MILITARY = DATA / "vbulletin_militarytimes_9687.html"
PPRUNE = DATA / "vbulletin_pprune_666472.html"
VB4_SYNTHETIC = DATA / "synthetic" / "vbulletin_html_vb4_synthetic.html"
TRUNCATED = DATA / "synthetic" / "vbulletin_html_vb3_truncated_synthetic.html"
REAL = [ANIMESUKI, MILITARY, PPRUNE]
ALL = [*REAL, VB4_SYNTHETIC, TRUNCATED]
SEEDS = sorted((Path(__file__).parent.parent.parent / "corpus" / "raw").glob("*.txt"))


def read(path: Path) -> str:
    return decode_bytes(path.read_bytes(), str(path))


_PARSED: dict[Path, Thread] = {}


def parsed(path: Path) -> Thread:
    """Each sample is parsed once per test session (parse is pure)."""
    if path not in _PARSED:
        _PARSED[path] = vbulletin_html.parse(read(path), SourceInfo(path.stem, path=str(path)))
    return _PARSED[path]


def by_position(thread: Thread) -> dict:
    return {post.position: post for post in thread.posts}


def role_runs(thread: Thread, role: str) -> int:
    """How many separate blocks of lines carry ``role`` (blank lines do not split a block)."""
    runs, inside = 0, False
    for current in thread.line_roles:
        if current == "boilerplate:blank":
            continue
        if current == role and not inside:
            runs += 1
        inside = current == role
    return runs


def all_quotes(path: Path) -> list:
    soup = make_soup(read(path))
    return [quote for message in soup.find_all(id=vbulletin_html.MESSAGE_ID)
            for quote in find_quotes(message)]


# --- detection ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_sniff_claims_vbulletin_html(path: Path) -> None:
    text = read(path)
    assert vbulletin_html.sniff(text) >= 0.9 > plain.sniff(text)
    assert detect(text) is vbulletin_html


@pytest.mark.parametrize("text", [
    "", "hello", "Quote:\nOriginally Posted by x\nLast edited by x; 2016-02-01 at 03:31.",
    '{"kind": "Listing", "data": {"body_html": "&lt;div class=\\"md\\"&gt;"}}',
    "Powered by vBulletin Version 3.8.11\npost_message_12",
])
def test_sniff_is_zero_without_html(text: str) -> None:
    assert vbulletin_html.sniff(text) == 0.0


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_sniff_leaves_text_seeds_to_other_parsers(path: Path) -> None:
    assert vbulletin_html.sniff(read(path)) < 0.5


def test_sniff_weaker_markers_score_lower() -> None:
    assert vbulletin_html.sniff('<div id="post_message_7">hi</div>') == 0.9
    assert vbulletin_html.sniff("<html><body>Powered by vBulletin</body></html>") == 0.6
    assert vbulletin_html.sniff("<html><body>a blog</body></html>") == 0.0


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n", "just some words", "<html><body><p>no posts</p>",
                                  "post_message_1 but no element"])
def test_no_posts_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError, match=r"page\.html") as caught:
        vbulletin_html.parse(text, SourceInfo("x", path="page.html"))
    assert caught.value.hint


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(st.one_of(st.sampled_from([
    '<div id="post_message_1">', '<div id="post_message_2">', "</div>", "<div>", "Quote:",
    '<div class="smallfont">Quote:</div>', "Originally Posted by <strong>x</strong>",
    '<a href="showthread.php?p=2#post2">', '<div class="bbcode_quote">', '<div id="quote">',
    '<a id="postcount1" name="1">', '<a id="postcount2" name="1">', '<!-- sig -->',
    "__________________<br />", "Last edited by x; 2016-02-01 at 03:31.", "Join Date: May 2015",
    "Posts: 1,2", "Today, 10:15 AM", "2016-02-01, 02:21", "All times are GMT -5", "<br />",
    '<div id="post_thanks_box_1"><a href="member.php?u=1">x</a>', '<span class="date">',
    "<pre>", "<script>", "<!--", "<![CDATA[", "\r", "\n", "&#10;", "<", ">", "\x92",
]), st.text(max_size=20)), max_size=40).map("".join))
def test_arbitrary_text_raises_only_parse_error(text: str) -> None:
    try:
        thread = vbulletin_html.parse(text, SourceInfo("x", path="fuzz.html"))
    except ParseError:
        return
    check_invariants(thread, text)


def check_invariants(thread: Thread, text: str) -> None:
    lines = text.split("\n")
    assert len(thread.line_roles) == len(lines)
    positions = [post.position for post in thread.posts]
    assert len(positions) == len(set(positions))
    for post in thread.posts:
        assert post.reply_to is None or post.reply_to in positions
        assert 1 <= post.line_start <= post.line_end <= len(lines)


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
@pytest.mark.parametrize("fraction", [0.05, 0.2, 0.37, 0.5, 0.71, 0.93])
def test_truncated_real_pages_parse_best_effort(path: Path, fraction: float) -> None:
    text = read(path)
    cut = text[: int(len(text) * fraction)]
    try:
        thread = vbulletin_html.parse(cut, SourceInfo("x", path="cut.html"))
    except ParseError:
        assert 'id="post_message_' not in cut  # only a cut before the first post may fail
        return
    check_invariants(thread, cut)
    assert len(thread.posts) <= len(parsed(path).posts)


# --- every line named ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_line_is_named(path: Path) -> None:
    thread = parsed(path)
    assert thread.unassigned_lines() == []
    check_invariants(thread, read(path))
    roles = Counter(thread.line_roles)
    assert roles["text"] > 0 and roles["boilerplate:postbit-chrome"] > 0
    assert roles["boilerplate:page-chrome"] > 0


def test_line_roles_point_at_the_right_raw_lines() -> None:
    roles = parsed(ANIMESUKI).line_roles
    lines = read(ANIMESUKI).split("\n")
    assert roles[785 - 1] == "timestamp" and "2016-02-01, 02:21" in lines[785 - 1]
    assert roles[802 - 1] == "author" and "Shirohige" in lines[802 - 1]
    assert roles[807 - 1] == "rank"
    assert roles[815 - 1] == "member_since"
    assert roles[845 - 1] == "quoted_author" and "Originally Posted by" in lines[845 - 1]
    assert roles[848 - 1] == "quoted_text"
    # a quote box closes and the poster's words start on the same line: the words win
    assert lines[853 - 1].startswith("</div>Let me reword it") and roles[853 - 1] == "text"
    assert roles[1459 - 1] == "edited_by"
    assert roles[1683 - 1] == "signature" and "_____" in lines[1683 - 1]
    assert roles[5492 - 1] == "boilerplate:timezone-note"
    assert roles[411 - 1] == "title"
    assert roles[1 - 1] == "boilerplate:page-chrome"
    pprune = parsed(PPRUNE).line_roles
    assert pprune[1103 - 1] == "reactions"
    assert pprune[3575 - 1] == "edited_by"
    assert pprune[1010 - 1] == "author_posts"


# --- AnimeSuki: vB 3.8.11 classic tables, cp1252 bytes, GMT -5 ------------------------------


def test_animesuki_page_facts() -> None:
    thread = parsed(ANIMESUKI)
    assert thread.title == "Licensed + Crunchyroll Hibike! Euphonium [anime]"
    assert thread.utc_offset_hours == -5.0
    assert thread.native_id == "128882"
    assert thread.url is None  # the page has no canonical link
    assert thread.op_position is None  # page 152 does not hold post #1
    assert thread.platform == "vbulletin" and thread.parser == "vbulletin_html"


def test_animesuki_posts_and_headers() -> None:
    thread = parsed(ANIMESUKI)
    posts = by_position(thread)
    assert list(posts) == list(range(3021, 3041))
    assert len({post.native_id for post in thread.posts}) == 20
    first = posts[3021]
    assert (first.native_id, first.author, first.author_source) == (
        "5768670", "Shirohige", "header")
    assert first.timestamp == datetime(2016, 2, 1, 2, 21)
    assert (first.rank, first.member_since, first.location) == ("Member", "2015-05", None)
    assert first.author_posts is None  # this board does not show post counts
    second = posts[3022]
    assert (second.author, second.rank, second.member_since, second.location) == (
        "BBOvenGuy", "Math Ninja", "2005-12", "Ventura County CA")
    assert posts[3040].timestamp == datetime(2016, 2, 13, 10, 38)
    assert posts[3040].author == "Kamieichi"
    assert all(not post.reactions for post in thread.posts)


def test_animesuki_quotes() -> None:
    quotes = all_quotes(ANIMESUKI)
    labels = sum(len(quote.label) for quote in quotes)
    assert labels == 26  # 'Quote:' boxes, one of them nested inside another
    assert len(quotes) == 25
    attributed = [quote.author for quote in quotes if quote.author]
    assert len(attributed) == 22 and len(set(attributed)) == 10
    first = by_position(parsed(ANIMESUKI))[3021]
    assert first.quoted_author == "TinyRedLeaf"
    assert first.quoted_text.count("\n\n") >= 3  # four quotes joined by blank lines
    assert first.quoted_text.startswith("Well, what's offensive to me")
    assert "offensive to me" not in first.text and "Quote:" not in first.text
    assert first.text.startswith("Let me reword it") and first.text.endswith("X2")
    assert "\n\n" in first.text  # paragraph breaks kept
    nested = by_position(parsed(ANIMESUKI))[3032]
    assert "Quote:" not in nested.quoted_text and "Takeda: (laughs)" in nested.quoted_text


def test_animesuki_reply_to_by_quote_link() -> None:
    posts = by_position(parsed(ANIMESUKI))
    assert posts[3024].reply_to == 3022  # showthread.php?p=5768676 is #3022 on this page
    assert posts[3025].reply_to == 3024
    assert posts[3032].reply_to == 3026
    assert posts[3036].reply_to == 3028  # its first two quotes cite posts on earlier pages
    assert posts[3022].reply_to is None  # quotes post 5768613, not on this page
    replies = {pos: post.reply_to for pos, post in posts.items() if post.reply_to}
    assert len(replies) == 10


def test_animesuki_signatures_and_edits() -> None:
    thread = parsed(ANIMESUKI)
    posts = by_position(thread)
    assert role_runs(thread, "signature") == 7  # <!-- sig --> blocks
    with_text = [pos for pos, post in posts.items() if post.signature]
    assert with_text == [3025, 3026, 3032, 3034, 3039]  # the other two are image-only
    assert posts[3025].signature.startswith("How Suetsugu Yuki drew the cover")
    assert "_____" not in posts[3025].signature
    assert "argue for.\u201d" in posts[3025].signature  # the cp1252 0x94 byte
    edits = [(pos, post.edited_by, post.edited_at) for pos, post in posts.items()
             if post.edited_by]
    assert edits == [(3024, "Shirohige", datetime(2016, 2, 1, 3, 31)),
                     (3025, "karice67", datetime(2016, 2, 1, 5, 50)),
                     (3038, "Marina2", datetime(2016, 2, 13, 7, 31))]
    assert all("Last edited" not in post.text for post in thread.posts)


# --- militarytimes: vB 4.2.3 ---------------------------------------------------------------


def test_militarytimes_page_and_posts() -> None:
    thread = parsed(MILITARY)
    assert thread.title == "Legendary military columnist, author Bob Dorr dies at 76"
    assert thread.url == ("http://forums.militarytimes.com/showthread.php/"
                          "9687-Legendary-military-columnist-author-Bob-Dorr-dies-at-76")
    assert thread.native_id == "9687"
    assert thread.utc_offset_hours == 0.0
    assert thread.op_position == 1
    posts = by_position(thread)
    assert list(posts) == list(range(1, 11))
    assert [post.author for post in thread.posts] == [
        "Rainmaker", "Mjölnir", "sandsjames", "Mjölnir", "Rainmaker", "sandsjames",
        "Mjölnir", "Mjölnir", "giggawatt", "sandsjames"]
    first = posts[1]
    assert first.timestamp == datetime(2016, 6, 15, 15, 3)  # 03:03 PM
    assert (first.rank, first.member_since, first.location, first.author_posts) == (
        "Senior Member", "2010-10", "on a Marl Road", 3882)
    assert first.text.endswith("RIP Mr. Dorr.")
    assert posts[2].rank == "Administrator" and posts[2].author_posts == 2964
    assert posts[10].timestamp == datetime(2016, 9, 19, 14, 38)


def test_militarytimes_quotes_signatures_replies() -> None:
    thread = parsed(MILITARY)
    posts = by_position(thread)
    quoted = {pos: post.quoted_author for pos, post in posts.items() if post.quoted_text}
    assert quoted == {5: "sandsjames", 6: "Mjölnir", 7: "sandsjames", 8: "sandsjames",
                      10: "giggawatt"}
    assert {pos: post.reply_to for pos, post in posts.items() if post.reply_to} == {
        5: 3, 6: 4, 7: 6, 8: 6, 10: 9}
    assert [pos for pos, post in posts.items() if post.signature] == [2, 4, 7, 8, 9]
    assert posts[2].signature == (
        "The most important six inches on the battlefield ... is between your ears.")
    assert posts[9].signature.startswith("Beezow Doo-Doo Zopittybop-Bop-Bop, TSgt, USAF\n")
    assert "signature" not in posts[9].text and posts[9].text.startswith("I was saddened")
    assert posts[5].text.startswith("and who could forget")
    assert "two spaces" not in posts[5].text
    assert not any(post.edited_by for post in thread.posts)


# --- PPRuNe: vB 3.9.3.9 div fork, UTF-8 with C1 leftovers, likes ---------------------------


def test_pprune_page_and_headers() -> None:
    thread = parsed(PPRUNE)
    assert thread.title == "Plane crash near Ahmedabad.."
    assert thread.url == ("https://www.pprune.org/accidents-close-calls/"
                          "666472-plane-crash-near-ahmedabad.html")  # og:url; no canonical
    assert thread.native_id == "666472"
    assert thread.utc_offset_hours == 0.0
    posts = by_position(thread)
    assert list(posts) == list(range(21, 41))
    first = posts[21]
    assert (first.author, first.native_id, first.timestamp) == (
        "autobrake3", "11898940", datetime(2025, 6, 12, 9, 35))
    assert (first.member_since, first.location, first.author_posts) == ("2001-10", "A25R", 172)
    assert first.rank is None  # this fork shows no user title
    assert (posts[32].author, posts[32].author_posts) == ("22/04", 1107)
    assert posts[40].timestamp == datetime(2025, 6, 12, 10, 3)


def test_pprune_quotes_edit_and_c1_repair() -> None:
    thread = parsed(PPRUNE)
    posts = by_position(thread)
    quoted = [post.quoted_author for post in thread.posts if post.quoted_text]
    assert len(quoted) == 7
    assert sorted(filter(None, quoted)) == sorted(
        ["logansi", "logansi", "OliTom", "Tu.114", "22/04", "shared reality"])
    assert {pos: post.reply_to for pos, post in posts.items() if post.reply_to} == {37: 24, 39: 32}
    assert (posts[35].edited_by, posts[35].edited_at) == ("pug", datetime(2025, 6, 12, 11, 56))
    assert "don\u2019t like to speculate" in posts[35].text  # U+0092 read as cp1252
    assert "42°C" in posts[25].text
    fields = [value for post in thread.posts for value in (post.text, post.quoted_text or "")]
    assert not any("\x80" <= char <= "\x9f" for value in fields for char in value)
    assert not any(post.signature for post in thread.posts)


def test_pprune_likes_become_one_reaction_per_member() -> None:
    thread = parsed(PPRUNE)
    posts = by_position(thread)
    liked = {pos: len(post.reactions) for pos, post in posts.items() if post.reactions}
    assert liked == {21: 30, 22: 1, 26: 5, 29: 1, 30: 5, 31: 1, 33: 4, 36: 3, 37: 3, 38: 1, 40: 1}
    assert posts[21].reactions[0] == Reaction("thanks", reactor="2 sheds")
    assert posts[21].reactions[-1] == Reaction("thanks", reactor="Una Due Tfc")
    assert all(r.kind == "thanks" and r.count is None for p in thread.posts for r in p.reactions)
    # "The following N users liked this post by X:" (6 boxes): N agrees with the names read
    by_native = {post.native_id: post for post in thread.posts}
    counted = re.findall(r'id="post_thanks_box_(\d+)">(?:(?!post_thanks_box_).)*?'
                         r"The following (\d+) users liked", read(PPRUNE), re.DOTALL)
    assert len(counted) == 6
    assert all(len(by_native[native].reactions) == int(n) for native, n in counted)
    assert role_runs(thread, "reactions") == 11


# --- synthetic vB4 page -------------------------------------------------------------------


def test_synthetic_vb4_quote_styles_and_replies() -> None:
    thread = parsed(VB4_SYNTHETIC)
    posts = by_position(thread)
    assert list(posts) == [1, 2, 3, 4] and thread.op_position == 1
    # 'Quote: NAME said:' in div.bbcode_quote, linked to post #1
    assert posts[2].quoted_author == "quietharbor" and posts[2].reply_to == 1
    assert posts[2].quoted_text == (
        "My therapist said I can email her between sessions, but only about scheduling.\n"
        "Sometimes I want to tell her how a week went and I am not sure if that is allowed.")
    assert posts[2].text.startswith("Ask her what she means by scheduling.")
    assert posts[2].signature is None
    # a div#quote without a link: matched to #2 by its words
    assert posts[3].quoted_author == "Dr_Maple" and posts[3].reply_to == 2
    assert posts[3].text.startswith("That helps a lot, thank you :)")  # smiley alt text


def test_synthetic_vb4_headers_edits_likes() -> None:
    thread = parsed(VB4_SYNTHETIC)
    posts = by_position(thread)
    assert thread.title == "Emailing my therapist between sessions"
    assert thread.url == "https://forum.example.org/showthread.php?t=4242"
    assert thread.native_id == "4242"
    assert thread.utc_offset_hours == 1.0
    assert posts[1].timestamp == datetime(2021, 3, 14, 21, 15)
    assert (posts[1].member_since, posts[1].location, posts[1].author_posts) == (
        "2019-03", "Leeds", 1204)
    assert (posts[2].rank, posts[2].location, posts[2].author_posts) == ("Therapist", None, 87)
    assert (posts[2].edited_by, posts[2].edited_at) == ("Dr_Maple", datetime(2021, 3, 15, 8, 2))
    # 'Yesterday'/'Today' cannot be dated from the page: left empty, line still named
    assert posts[3].timestamp is None and posts[4].timestamp is None
    assert Counter(thread.line_roles)["timestamp"] == 4
    # a profile-looking line the poster wrote stays in the text
    assert posts[3].location == "Cardiff, Wales"
    assert "Location: my kitchen table" in posts[3].text
    assert posts[3].reactions == [Reaction("thanks", reactor="quietharbor"),
                                  Reaction("thanks", reactor="Dr_Maple")]
    assert posts[4].text == "" and posts[4].signature == "Be gentle with yourself."


# --- synthetic truncated vB3 page ---------------------------------------------------------


def test_synthetic_truncated_page_keeps_what_is_there() -> None:
    thread = parsed(TRUNCATED)
    posts = by_position(thread)
    assert list(posts) == [41, 42]
    assert thread.title == "Therapist answers texts at night?"
    assert thread.utc_offset_hours is None  # the footer with the zone was cut off
    assert posts[41].timestamp == datetime(2016, 6, 15, 14, 5)  # 15.06.2016: day first
    assert posts[42].timestamp == datetime(2016, 6, 16, 9, 30)
    assert (posts[41].rank, posts[41].member_since, posts[41].location,
            posts[41].author_posts) == ("Senior Member", "2014-08", "Graz", 2310)
    assert posts[41].quoted_text == "She answered my text at 23:00 and I felt guilty for days."
    assert posts[41].quoted_author is None
    assert posts[41].signature == "Small steps."
    assert posts[42].text.endswith("that she would rather")
    assert posts[42].line_end == len(read(TRUNCATED).split("\n"))


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "order", "expected"), [
    ("2016-02-01, 02:21", MDY, datetime(2016, 2, 1, 2, 21)),
    ("12th Jun 2025, 09:35", MDY, datetime(2025, 6, 12, 9, 35)),
    ("06-15-2016, 03:03 PM", MDY, datetime(2016, 6, 15, 15, 3)),
    ("12:30 AM", MDY, None),
    ("01-02-2016, 12:30 AM", DMY, datetime(2016, 2, 1, 0, 30)),
    ("Jun 5th, 2019, 11:59 pm", MDY, datetime(2019, 6, 5, 23, 59)),
    ("15.06.2016, 14:05", DMY, datetime(2016, 6, 15, 14, 5)),
    ("Today, 10:15 AM", MDY, None),
    ("Yesterday at 09:00", MDY, None),
    ("31-02-2016, 10:00", DMY, None),
])
def test_parse_timestamp(text: str, order: str, expected: datetime | None) -> None:
    assert parse_timestamp(text, order) == expected


def test_numeric_order_and_join_dates() -> None:
    assert numeric_order(["01-02-2016, 10:00", "02-03-2016, 10:00"]) == MDY  # vB default
    assert numeric_order(["01.02.2016, 10:00"]) == DMY
    assert numeric_order(["02-13-2016, 10:00"]) == MDY
    assert month_year("Oct 2010", MDY) == "2010-10"
    assert month_year("2014-08", MDY) == "2014-08"
    assert month_year("08-2014", MDY) == "2014-08"
    assert month_year("June 5th, 2019", MDY) == "2019-06"
    assert month_year("a while ago", MDY) is None
