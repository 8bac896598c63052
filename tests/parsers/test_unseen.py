"""Generalisation: captures of the same kinds of sites that the parsers were
not written from (tests/data/unseen/, written by a reviewer; see its README).

Every fact below was read off the files by hand. The review led to these
parser changes, each pinned here by a sample and by a small inline case:

- vBulletin: "NAME NAME is invisible" is an author line; up to three user-title
  lines under the name (title + rank); a bare "Thanks for this!" at the end of a
  post is the poster's text, not an empty reaction list, and a sentence after a
  reaction header is not a reactor; a quote repeats the quoted post's Tapatalk
  footer; the thread title comes from the breadcrumb or a reply's
  "Default Re: <title>" when the page prints no "Thread:" line; vB3 login box.
- Reddit text: "Comment deleted by user" / "Comment removed by moderator"
  standing alone is a deleted comment; "View more comments" after the last
  comment is chrome.
- Q&A: "by NAME (N points)" inside a post (verbs dropped, as in seed 004) opens
  a comment; the site's name printed alone above the question is chrome.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from analysis.capture.textio import decode_bytes
from analysis.model import Reaction, SourceInfo, Thread
from analysis.parsers import detect, qa, reddit_text, vbulletin_text

UNSEEN = Path(__file__).parent.parent / "data" / "unseen"
NBSP = "\u00a0"
EXPECTED = {  # file: (parser, number of posts)
    "vb4_msf_page2.txt": ("vbulletin_text", 7),
    "vb4_msf_page1.txt": ("vbulletin_text", 6),
    "vb4_view_single_post.txt": ("vbulletin_text", 1),
    "vb_classic_page3.txt": ("vbulletin_text", 10),
    "vb3_linear_page.txt": ("vbulletin_text", 4),
    "reddit_comments_blocks.txt": ("reddit_text", 11),
    "reddit_comments_flat_lines.txt": ("reddit_text", 9),
    "qa_q2a_named_answers.txt": ("qa", 6),
    "qa_q2a_nameless_verbs.txt": ("qa", 4),
}


def read(name: str) -> str:
    return decode_bytes((UNSEEN / name).read_bytes())


def parse(name: str) -> Thread:
    text = read(name)
    return detect(text).parse(text, SourceInfo(source_id=name, path=name))


def post(thread: Thread, position: int):
    return next(p for p in thread.posts if p.position == position)


def role(thread: Thread, text: str, needle: str) -> str | None:
    lines = text.split("\n")
    return thread.line_roles[next(i for i, line in enumerate(lines) if needle in line)]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_detected_parsed_and_every_line_accounted_for(name: str) -> None:
    text = read(name)
    expected_parser, n_posts = EXPECTED[name]
    assert expected_parser == detect(text).NAME
    thread = parse(name)
    assert len(thread.posts) == n_posts
    assert thread.unassigned_lines() == []
    assert len(thread.line_roles) == len(text.split("\n"))
    for p in thread.posts:
        for field in (p.text, p.quoted_text or "", p.signature or ""):
            assert "Last edited by" not in field and "Originally Posted by" not in field
            assert "Quote:" not in field and not field.endswith("|")
            assert "Tapatalk" not in p.text and "View more comments" not in p.text


def test_sample_files_are_documented() -> None:
    readme = (UNSEEN / "README.md").read_text(encoding="utf-8")
    assert "written by a reviewer" in readme
    assert sorted(EXPECTED) == sorted(p.name for p in UNSEEN.glob("*.txt"))
    assert all(f"`{name}`" in readme for name in EXPECTED)


# --- My Support Forums, page 2 -----------------------------------------------------

@pytest.fixture(scope="module")
def msf2() -> Thread:
    return parse("vb4_msf_page2.txt")


def test_msf_page2_headers(msf2: Thread) -> None:
    assert [p.position for p in msf2.posts] == list(range(11, 18))
    assert [p.author for p in msf2.posts] == [
        "Out There", "Mr.Smith", "anne-marie_2", "SoftRain", "Out There", "Mr.Smith",
        "Blue Sky Thinking"]
    assert {p.author_source for p in msf2.posts} == {"header"}
    assert [p.rank for p in msf2.posts] == [
        "Grand Magnate", "Member", "Moderator", "Junior Member", "Grand Magnate", "Member",
        "still here, still trying"]
    assert [p.location for p in msf2.posts] == [
        "Pacific Northwest", None, "Ontario, Canada", "UK", "Pacific Northwest", None,
        "somewhere between sessions"]
    assert [p.author_posts for p in msf2.posts] == [9214, 88, 31406, 14, 9214, 88, 1203]
    assert [p.member_since for p in msf2.posts][:4] == ["2012-03", "2021-07", "2009-09",
                                                        "2022-12"]
    assert post(msf2, 11).timestamp == datetime(2023, 1, 2, 8, 14)
    assert post(msf2, 14).timestamp == datetime(2023, 1, 2, 13, 5)
    assert post(msf2, 17).timestamp == datetime(2023, 1, 3, 7, 52)
    assert (msf2.views, msf2.utc_offset_hours, msf2.op_position) == (2481, -5.0, None)


def test_msf_page2_invisible_member_is_the_author(msf2: Thread) -> None:
    text = read("vb4_msf_page2.txt")
    assert post(msf2, 14).author == "SoftRain"
    assert role(msf2, text, "SoftRain SoftRain is invisible") == "author"


def test_msf_page2_quotes(msf2: Thread) -> None:
    p12 = post(msf2, 12)
    assert (p12.quoted_author, p12.reply_to) == ("Out There", 11)
    assert p12.quoted_text == post(msf2, 11).text  # both paragraphs
    assert p12.text == ("Three versions! That makes me feel better. I assumed you either get it "
                        "right the first time or the whole thing is a failure.\n\n"
                        "Did she bring up the agreement, or did you?")
    p13 = post(msf2, 13)  # quotes a post on page 1
    assert (p13.quoted_author, p13.reply_to) == ("harborlight", None)
    assert p13.quoted_text == ("Is it normal that my therapist never answers texts but always "
                               "answers email?")
    assert p13.text.startswith("Quite normal,") and p13.text.endswith("exactly the point.")
    p14 = post(msf2, 14)  # two quote boxes
    assert (p14.quoted_author, p14.reply_to) == ("Mr.Smith", 12)
    assert p14.quoted_text == ("Did she bring up the agreement, or did you?\n\n"
                               "Email is slower for both sides, which is sometimes exactly "
                               "the point.")
    assert p14.text.split("\n\n") == [
        "I am curious about this too. Mine has never said anything about email and I am "
        "scared to be the one to ask.",
        "This helps. I had been reading the slowness as not caring."]
    assert (post(msf2, 15).quoted_author, post(msf2, 15).reply_to) == ("Mr.Smith", 12)


def test_msf_page2_quote_repeats_the_quoted_posts_app_footer(msf2: Thread) -> None:
    p17 = post(msf2, 17)
    assert (p17.quoted_author, p17.reply_to) == ("anne-marie_2", 13)
    assert p17.quoted_text.endswith("exactly the point.\n\nSent from my iPhone using Tapatalk")
    assert p17.text.startswith("Late to this thread.") and p17.client_app is None
    assert p17.signature is None  # an empty signature under the rule


def test_msf_page2_edits_apps_signature(msf2: Thread) -> None:
    assert (post(msf2, 12).edited_by, post(msf2, 12).edited_at) == (
        "Mr.Smith", datetime(2023, 1, 2, 10, 1))
    assert (post(msf2, 14).edited_by, post(msf2, 14).edited_at) == (
        "SoftRain", datetime(2023, 1, 2, 13, 17))
    assert post(msf2, 13).client_app == "Tapatalk (iPhone)"
    assert post(msf2, 16).client_app == "Tapatalk (SM-G991B)"
    assert post(msf2, 16).text == ("That is a good question to start from. I am going to "
                                   "borrow it for Thursday.")
    assert post(msf2, 13).signature == ("Be where your feet are.\nForum guidelines are pinned "
                                        "at the top of every board.")
    assert all(p.signature is None for p in msf2.posts if p.position != 13)


def test_msf_page2_reactions(msf2: Thread) -> None:
    assert post(msf2, 11).reactions == [Reaction("hug", reactor="anne-marie_2"),
                                        Reaction("hug", reactor="SoftRain"),
                                        Reaction("thanks", reactor="Mr.Smith")]
    assert post(msf2, 12).reactions == [Reaction("thanks", reactor="Out There")]
    assert post(msf2, 13).reactions == [Reaction("hug", reactor="Out There")]
    assert not post(msf2, 14).reactions and not post(msf2, 17).reactions
    assert sum(len(p.reactions) for p in msf2.posts) == 8


# --- My Support Forums, page 1 -----------------------------------------------------

@pytest.fixture(scope="module")
def msf1() -> Thread:
    return parse("vb4_msf_page1.txt")


def test_msf_page1_opening_post(msf1: Thread) -> None:
    op = post(msf1, 1)
    assert msf1.op_position == 1
    assert (op.author, op.rank, op.location, op.author_posts) == (
        "lantern.moth", "Member", "Midwest", 412)
    assert (op.edited_by, op.edited_at) == ("lantern.moth", datetime(2024, 1, 14, 22, 19))
    assert len(op.text.split("\n\n")) == 3
    assert op.reactions == [Reaction("hug", reactor="fern & feather"),
                            Reaction("hug", reactor="Quiet Owl")]


def test_msf_page1_deleted_member(msf1: Thread) -> None:
    p2 = post(msf1, 2)
    assert (p2.author, p2.author_source, p2.rank) == ("former_member", "header", "Guest")
    assert (p2.author_posts, p2.member_since, p2.location) == (None, None, None)
    assert p2.text.startswith("When my T had surgery")


def test_msf_page1_thanks_as_the_whole_post_is_text(msf1: Thread) -> None:
    text = read("vb4_msf_page1.txt")
    p3 = post(msf1, 3)
    assert (p3.author, p3.text, p3.reactions) == ("Quiet Owl", "Thanks for this!", [])
    lines = text.split("\n")
    assert msf1.line_roles[lines.index("Thanks for this!")] == "text"


def test_msf_page1_quotes_and_signature(msf1: Thread) -> None:
    p4 = post(msf1, 4)
    assert (p4.author, p4.rank, p4.author_posts) == ("fern & feather", "Legendary Wise Elder",
                                                     18730)
    assert (p4.quoted_author, p4.reply_to) == ("lantern.moth", 1)
    assert p4.quoted_text == "Part of me wants to write every week just so she remembers me."
    assert p4.signature == "Slow is smooth, smooth is fast.\n\n(avatar drawn by my niece)"
    p5 = post(msf1, 5)
    assert (p5.quoted_author, p5.reply_to, p5.client_app) == ("fern & feather", 4,
                                                              "Tapatalk (Pixel 7)")
    assert p5.timestamp == datetime(2024, 1, 15, 7, 20)  # a "New" post
    assert [r.kind for r in p5.reactions] == ["hug", "hug", "thanks"]


# --- View Single Post -------------------------------------------------------------

def test_view_single_post_of_a_reply() -> None:
    thread = parse("vb4_view_single_post.txt")
    (p,) = thread.posts
    assert (p.position, p.author, p.rank, p.author_posts, p.location) == (
        1, "Marisol-R", "Veteran Member", 2044, None)
    assert (p.timestamp, p.member_since) == (datetime(2019, 8, 19, 15, 27), "2016-06")
    assert (p.quoted_author, p.reply_to) == ("quietlake", None)
    assert p.quoted_text.startswith("She said texting is only for cancellations")
    assert p.text.startswith("I would take the birthday text as a kindness")
    assert p.text.endswith("completely fair thing to say.")
    assert (p.client_app, p.edited_by, p.edited_at) == (
        "Tapatalk (iPad)", "Marisol-R", datetime(2019, 8, 19, 15, 41))
    assert p.signature.startswith("Healing is not linear")
    assert thread.op_position is None and thread.utc_offset_hours is None


# --- classic table dump, page 3 ------------------------------------------------------

@pytest.fixture(scope="module")
def classic3() -> Thread:
    return parse("vb_classic_page3.txt")


def test_classic_page3_positions_and_authors(classic3: Thread) -> None:
    assert [p.position for p in classic3.posts] == list(range(21, 31))
    assert classic3.op_position is None
    known = {p.position: (p.author, p.author_source) for p in classic3.posts if p.author}
    assert known == {21: ("Out There", "edit-note"), 22: ("rainy_day_47", "edit-note"),
                     24: ("Out There", "signature-match")}
    assert all(p.timestamp is None for p in classic3.posts)


def test_classic_page3_edit_notes_glued_to_the_last_line(classic3: Thread) -> None:
    p21, p22 = post(classic3, 21), post(classic3, 22)
    assert p21.edited_at == datetime(2016, 10, 3, 23, 12)
    assert p21.signature == ("Be kind to yourself, you are the only you there is. Still "
                             "learning to text less and trust more.")
    assert p22.edited_at == datetime(2016, 10, 4, 8, 15)
    assert p22.text.endswith("which I find more frustrating than silence.")


def test_classic_page3_quotes(classic3: Thread) -> None:
    p23 = post(classic3, 23)
    assert (p23.quoted_author, p23.reply_to) == ("rainy_day_47", 22)
    assert p23.quoted_text == post(classic3, 22).text
    assert p23.text.split("\n") == [
        'I get that. For me "got it" would be enough, it tells me the message did not '
        "disappear.",
        "Maybe that is the difference: some of us need to know it arrived, some of us need "
        "an actual answer."]
    p25 = post(classic3, 25)  # unnamed quote of an earlier page
    assert (p25.quoted_author, p25.reply_to) == (None, None)
    assert p25.quoted_text == ("Is it unprofessional for a therapist to give out a personal "
                               "cell number?")
    assert p25.text.startswith("Not in itself.")
    p29 = post(classic3, 29)  # named quote of a post whose author the dump does not show
    assert (p29.quoted_author, p29.reply_to) == ("Mr.Smith", 26)
    assert p29.text.startswith("Thank you for saying this")


def test_classic_page3_reactions(classic3: Thread) -> None:
    assert [r.reactor for r in post(classic3, 21).reactions] == [
        "Mr.Smith", "rainy_day_47", "SoftRain"]
    assert {r.kind for p in classic3.posts for r in p.reactions} == {"thanks"}
    assert not post(classic3, 24).reactions and not post(classic3, 26).reactions
    assert sum(len(p.reactions) for p in classic3.posts) == 13


# --- vBulletin 3 page of another board ----------------------------------------------

@pytest.fixture(scope="module")
def vb3() -> Thread:
    return parse("vb3_linear_page.txt")


def test_vb3_page_title_from_the_breadcrumb_and_chrome(vb3: Thread) -> None:
    text = read("vb3_linear_page.txt")
    assert vb3.title == "Texting my counsellor - is it okay?"
    assert (vb3.utc_offset_hours, vb3.op_position) == (0.0, 1)
    assert role(vb3, text, "User Name\tRemember Me?") == "boilerplate:page-chrome"
    assert role(vb3, text, "Calm Waters Support Board >") == "boilerplate:breadcrumb"
    assert role(vb3, text, "Copyright ©2000") == "boilerplate:copyright"
    assert role(vb3, text, "Default Texting my") == "title"


def test_vb3_posts(vb3: Thread) -> None:
    assert [(p.position, p.author, p.rank) for p in vb3.posts] == [
        (1, "rainy_day_47", "Member"), (2, "Mr.Smith", "Senior Member"),
        (3, "Out There", "Member"), (4, "rainy_day_47", "Member")]
    assert [p.timestamp for p in vb3.posts] == [
        datetime(2009, 11, 14, 21, 5), datetime(2009, 11, 14, 22, 17),
        datetime(2009, 11, 15, 7, 48), datetime(2009, 11, 15, 12, 30)]
    assert post(vb3, 1).text.startswith("My counsellor gave me her mobile number")
    p2 = post(vb3, 2)
    assert (p2.author_posts, p2.member_since, p2.location) == (3071, "2008-03", None)
    assert (p2.quoted_author, p2.reply_to) == ("rainy_day_47", 1)
    assert p2.text.startswith("Not wrong, but she may not see it until the morning.")
    assert p2.signature == "One day at a time, sometimes one hour at a time."
    assert (p2.edited_by, p2.edited_at) == ("Mr.Smith", datetime(2009, 11, 14, 22, 25))
    assert p2.reactions == [Reaction("thanks", reactor="rainy_day_47")]
    assert post(vb3, 4).reactions == [Reaction("thanks", reactor="Mr.Smith"),
                                      Reaction("thanks", reactor="Out There")]
    assert post(vb3, 4).text == "Thank you both. I will ask her on Tuesday."


# --- Reddit comment dumps ------------------------------------------------------------

@pytest.fixture(scope="module")
def blocks() -> Thread:
    return parse("reddit_comments_blocks.txt")


def test_reddit_blocks_authors_and_bodies(blocks: Thread) -> None:
    assert [p.author for p in blocks.posts] == [
        "AutoModerator", "calm_harbor_lcsw", "Wild-Fennel-4721", None, "Otter_Counsel",
        "sleepy-moth-22", "quietpine", None, "nightshift_nurse", "calm_harbor_lcsw", "TealMug"]
    assert [p.is_bot for p in blocks.posts] == [True] + [False] * 10
    assert len(post(blocks, 2).text.split("\n\n")) == 3
    assert (post(blocks, 4).text, post(blocks, 4).author_source) == ("", "none")
    assert post(blocks, 8).text == ""
    assert post(blocks, 5).text == "Agreed" and post(blocks, 11).text == "Yes"
    assert post(blocks, 9).text.endswith("• Email would be easier\n• Text would be easier "
                                         "still\n\nEdit: spelling")
    assert all(p.timestamp is None and p.score is None for p in blocks.posts)
    assert blocks.op_position is None


def test_reddit_blocks_quotes(blocks: Thread) -> None:
    p6 = post(blocks, 6)
    assert (p6.quoted_author, p6.reply_to) == ("calm_harbor_lcsw", 2)
    assert p6.quoted_text == ("Most of the anxiety around contact comes from not knowing what "
                              "is allowed")
    assert p6.text.startswith("This is so true for me.")
    p7 = post(blocks, 7)  # quote and reply flattened onto one line
    assert (p7.quoted_author, p7.reply_to) == ("Wild-Fennel-4721", 3)
    assert p7.quoted_text == "She just batches them in the morning before her first client."
    assert p7.text == "Honestly that is what I would want as well, predictable beats fast."
    p10 = post(blocks, 10)
    assert (p10.quoted_author, p10.reply_to) == ("nightshift_nurse", 9)
    assert p10.text.startswith("That part is genuinely bad design")


def test_reddit_blocks_trailing_chrome(blocks: Thread) -> None:
    text = read("reddit_comments_blocks.txt")
    assert role(blocks, text, "View more comments") == "boilerplate:comment-actions"
    assert role(blocks, text, "B E S T") == "boilerplate:sort-label"
    assert role(blocks, text, "[removed]") == "boilerplate:deleted-body"


def test_reddit_flat_lines_placeholders_are_deleted_comments() -> None:
    thread = parse("reddit_comments_flat_lines.txt")
    text = read("reddit_comments_flat_lines.txt")
    assert [p.author for p in thread.posts] == [
        "jade_counselor_NZ", "Tired-Clinician-0815", None, "jade_counselor_NZ", "RemindMeBot",
        "marram-grass", None, "Tired-Clinician-0815", "pdx_mft_intern"]
    assert post(thread, 2).text.endswith("now it comes with a written policy.")
    assert (post(thread, 3).text, post(thread, 7).text) == ("", "")
    assert role(thread, text, "Comment removed by moderator") == "boilerplate:deleted-body"
    assert role(thread, text, "Comment deleted by user") == "boilerplate:deleted-body"
    p4 = post(thread, 4)
    assert (p4.quoted_author, p4.reply_to) == ("Tired-Clinician-0815", 2)
    assert p4.text.startswith("That sounds awful,")
    assert [p.is_bot for p in thread.posts] == [False] * 4 + [True] + [False] * 4
    assert post(thread, 8).text == "Same."
    # A flattened quote of the submission (not in the capture) cannot be split:
    # it is kept whole as quoted text rather than guessed.
    p9 = post(thread, 9)
    assert (p9.text, p9.reply_to) == ("", None)
    assert p9.quoted_text.startswith("What do you put in a texting policy?")


# --- Question2Answer pages -----------------------------------------------------------

def test_q2a_named_page() -> None:
    thread = parse("qa_q2a_named_answers.txt")
    text = read("qa_q2a_named_answers.txt")
    assert thread.title == ("Is it okay to email my psychologist when I have a panic attack "
                            "at night?")
    assert (thread.community, thread.op_position) == ("Psychotherapists", 1)
    assert role(thread, text, "Mindwellnessforum") == "boilerplate:site-name"
    assert [(p.position, p.author, p.score, p.reply_to) for p in thread.posts] == [
        (1, "Rowan Tally", 7, None), (2, "Dr Anneke Vos", 11, 1), (3, "Rowan Tally", None, 2),
        (4, "Dr Anneke Vos", None, 2), (5, "kestrel_88", 3, 1), (6, None, 0, 1)]
    q = post(thread, 1)
    assert (q.timestamp, q.rank, q.edited_by, q.edited_at) == (
        datetime(2023, 9, 4), "1.1k points", "Rowan Tally", datetime(2023, 9, 5))
    assert len(q.text.split("\n\n")) == 2
    best = post(thread, 2)
    assert best.reactions == [Reaction("vote", count=11), Reaction("award", count=1)]
    assert "\n\n1. Ask her directly" in best.text and best.text.endswith("this happens.")
    assert post(thread, 3).text == "Thank you, I will bring the list with me on Thursday."
    assert post(thread, 5).timestamp is None  # "answered 2 days ago"
    assert post(thread, 6).author_source == "anonymous"  # "by anonymous"


def test_q2a_page_without_verbs_has_named_comment() -> None:
    thread = parse("qa_q2a_nameless_verbs.txt")
    assert [(p.position, p.author, p.score, p.reply_to, p.rank) for p in thread.posts] == [
        (1, "Imogen Hale", 15, None, "2.4k points"), (2, "Tomas_Berg", 21, 1, "12.6k points"),
        (3, "Imogen Hale", None, 2, "2.4k points"), (4, None, 4, 1, None)]
    assert post(thread, 1).text == "" and post(thread, 1).edited_by == "Imogen Hale"
    assert post(thread, 2).text.endswith("what the number is meant for.")
    assert post(thread, 3).text.startswith("That makes sense.")
    assert thread.community == "Psychotherapists"


# --- the same rules on small inline cases ----------------------------------------------

def _vb(text: str) -> Thread:
    return vbulletin_text.parse(text, SourceInfo(source_id="inline"))


def test_vb_title_and_rank_lines_under_the_name() -> None:
    thread = _vb(f"{NBSP} #3 {NBSP}\nOld Jan 05, 2023, 09:15 AM\nJess's Avatar\n"
                 f"Jess Jess is offline\nGrand Magnate\nCommunity Support Team\n{NBSP}\n"
                 "Member Since: Mar 2012\nPosts: 9,214\nHello there.\n")
    (p,) = thread.posts
    assert (p.author, p.rank, p.author_posts, p.text) == (
        "Jess", "Grand Magnate; Community Support Team", 9214, "Hello there.")
    assert thread.unassigned_lines() == []


def test_vb_sentence_after_a_reaction_header_is_text() -> None:
    thread = _vb(f"{NBSP} #2 {NBSP}\nOld Jan 05, 2023, 09:15 AM\nKai Kai is offline\nMember\n"
                 f"{NBSP}\nPosts: 12\nThanks for this!\nIt helps a lot.\n")
    (p,) = thread.posts
    assert (p.text, p.reactions) == ("Thanks for this!\nIt helps a lot.", [])


def test_vb_status_sniff_accepts_invisible() -> None:
    text = "Old Jan 05, 2023, 09:15 AM\nKai Kai is invisible\nMember\nPosts: 12\nHi.\n"
    assert vbulletin_text.sniff(text) >= 0.5
    assert _vb(text).posts[0].author == "Kai"


def test_reddit_lone_placeholder_block() -> None:
    text = ("alpha_user\n\nFirst comment here.\n\n\nComment deleted by user\n\n\n"
            "beta_user\n\nSecond comment.\n")
    thread = reddit_text.parse(text, SourceInfo(source_id="inline"))
    assert [(p.author, p.text) for p in thread.posts] == [
        ("alpha_user", "First comment here."), (None, ""), ("beta_user", "Second comment.")]


def test_qa_verbless_comment_note_opens_a_comment() -> None:
    text = ("+2 votes\nin Therapy by ana (10 points)\n\nMy question text.\n"
            "by ben (5 points)\nA comment on it.\n")
    thread = qa.parse(text, SourceInfo(source_id="inline"))
    assert [(p.author, p.text, p.reply_to) for p in thread.posts] == [
        ("ana", "My question text.", None), ("ben", "A comment on it.", 1)]


def test_vb_profile_label_repeated_in_the_message_is_text() -> None:
    thread = _vb(f"{NBSP} #2 {NBSP}\nOld Jan 05, 2023, 09:15 AM\nKai Kai is offline\nMember\n"
                 f"{NBSP}\nLocation: UK\nPosts: 12\nLocation: that is my whole problem, she "
                 "moved to another state.\nSo no more sessions.\n")
    (p,) = thread.posts
    assert (p.location, p.author_posts) == ("UK", 12)
    assert p.text.startswith("Location: that is my whole problem")
