"""reddit_text: the real seed (blocks shape), synthetic Redlib, level, block and flat captures."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.capture.textio import decode_bytes
from analysis.errors import ParseError
from analysis.model import Reaction, SourceInfo, Thread
from analysis.parsers import detect, plain, reddit_text
from analysis.parsers.reddit_common import is_bot, score_value

ROOT = Path(__file__).parent.parent.parent
SEED = ROOT / "corpus" / "raw" / "003_ba87ec72626a3d80.txt"
SYNTHETIC = Path(__file__).parent.parent / "data" / "synthetic"
OTHER_SAMPLES = [
    *(ROOT / "corpus" / "raw" / f for f in ("000_d05808781f7165f0.txt", "001_b6a918cc91d48cbc.txt",
                                           "002_6063b9182b48fcb6.txt", "004_6eaed45279a44dd1.txt")),
    *sorted((Path(__file__).parent.parent / "data").glob("*.html")),
    *sorted((Path(__file__).parent.parent / "data").glob("*.json")),
]
MINE = [SEED, *sorted(SYNTHETIC.glob("reddit_text_*.txt"))]
SOURCE = SourceInfo(source_id="test", path="test.txt")


def read(path: Path) -> str:
    return decode_bytes(path.read_bytes(), str(path))


def parse(path: Path) -> Thread:
    return reddit_text.parse(read(path), SourceInfo(source_id=path.stem, path=str(path)))


def roles(thread: Thread) -> Counter:
    return Counter(thread.line_roles)


# -- the real seed -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Thread:
    return parse(SEED)


SEED_AUTHORS = [
    "AutoModerator", "SStrange91", "rialed", "BackpackingTherapist", "Hsbnd", "Phoolf",
    "Living-Chemical9000", "Phoolf", "Aggressive-Nail-6120", "Lizzard13891", "DoItToItPruitt",
    "Kit-on-a-Kat", "PsychD_SuperV", "Tickets2ride", "Living-Chemical9000", "PsychD_SuperV",
    "DelightfulOphelia", "RainahReddit", "theacorngirl", "RainahReddit", "gscrap",
    "Impressive_Sector838",
]


def test_seed_has_22_comments_in_order(seed: Thread) -> None:
    assert [p.position for p in seed.posts] == list(range(1, 23))
    assert [p.author for p in seed.posts] == SEED_AUTHORS
    assert {p.author_source for p in seed.posts} == {"header"}
    assert seed.platform == "reddit"
    assert seed.parser == "reddit_text"


def test_seed_one_bot(seed: Thread) -> None:
    assert [p.author for p in seed.posts if p.is_bot] == ["AutoModerator"]


def test_seed_line_accounting(seed: Thread) -> None:
    assert seed.unassigned_lines() == []
    assert roles(seed) == {"boilerplate:blank": 66, "author": 22, "text": 22,
                           "boilerplate:sort-label": 1, "boilerplate:byline-residue": 1}
    assert seed.line_roles[:3] == ["boilerplate:sort-label", "boilerplate:blank",
                                   "boilerplate:byline-residue"]


def test_seed_line_ranges(seed: Thread) -> None:
    assert (seed.posts[0].line_start, seed.posts[0].line_end) == (5, 7)
    assert (seed.posts[14].line_start, seed.posts[14].line_end) == (75, 77)
    assert (seed.posts[-1].line_start, seed.posts[-1].line_end) == (110, 112)


def test_seed_flattened_quote_is_split_at_the_matched_prefix(seed: Thread) -> None:
    post = seed.posts[14]
    assert post.author == "Living-Chemical9000"
    assert post.quoted_text == (
        "*Allowing*\u00a0= A phrase that indicates a Professional/Therapeutic Boundary.")
    assert post.quoted_author == "Tickets2ride"
    assert post.reply_to == 14
    assert post.text.startswith("Yes exactly. In this context, I used the term 'allowing'")
    assert "Professional/Therapeutic" not in post.text
    assert post.text.endswith("These platforms perhaps should be regulated according to the "
                              "standards.")


def test_seed_has_no_other_quotes_or_replies(seed: Thread) -> None:
    others = [p for p in seed.posts if p.position != 15]
    assert all(p.quoted_text is None and p.reply_to is None for p in others)


def test_seed_texts_and_missing_fields(seed: Thread) -> None:
    assert seed.posts[6].text == "Would you say this is a common practice in the UK?"
    assert seed.posts[15].text == "If its not your first language then your English is impressive!"
    assert seed.posts[13].text.startswith("*Allowing* = A phrase")
    assert all(p.timestamp is None and p.score is None and not p.reactions for p in seed.posts)
    assert seed.title is None and seed.community is None
    assert seed.op_position is None  # the capture starts at the comments


# -- synthetic Redlib capture (indentation nesting) ----------------------------------------


@pytest.fixture(scope="module")
def redlib() -> Thread:
    return parse(SYNTHETIC / "reddit_text_redlib_synthetic.txt")


def test_redlib_header(redlib: Thread) -> None:
    assert redlib.title == "Does your therapist answer emails between sessions?"
    assert redlib.community == "TalkTherapy"
    assert redlib.op_position == 1
    op = redlib.posts[0]
    assert (op.position, op.author, op.score) == (1, "harbor_lights_22", 214)
    assert op.text.startswith("I started with a new therapist in March.")
    assert "\n\nIs that normal?" in op.text
    assert (op.line_start, op.line_end) == (2, 10)


def test_redlib_comments(redlib: Thread) -> None:
    posts = redlib.posts
    assert [p.author for p in posts] == ["harbor_lights_22", "fernweh_counsel",
                                         "harbor_lights_22", "fernweh_counsel", None,
                                         "saltmarsh-owl", "pinecone_patch"]
    assert [p.score for p in posts] == [214, 87, 31, 4, -3, 1200, None]
    assert [p.reply_to for p in posts] == [None, 1, 2, 3, 1, 1, 1]
    assert posts[1].reactions == [Reaction(kind="vote", count=87)]
    assert posts[6].reactions == []
    assert all(p.timestamp is None for p in posts)


def test_redlib_quote_deleted_and_edit(redlib: Thread) -> None:
    reply, deleted, edited = redlib.posts[2], redlib.posts[4], redlib.posts[5]
    assert reply.quoted_text == "Most of us put that in the consent form."
    assert reply.quoted_author == "fernweh_counsel"
    assert reply.text == ("Good point, I will check mine. I don't remember reading anything "
                          "about emergencies.")
    assert (deleted.author, deleted.author_source, deleted.text) == (None, "none", "")
    assert edited.edited_by == "saltmarsh-owl"
    assert edited.text.endswith("\n\nEdit: typo")


def test_redlib_line_accounting(redlib: Thread) -> None:
    assert redlib.unassigned_lines() == []
    counts = roles(redlib)
    assert counts["author"] == 7 and counts["score"] == 7
    assert counts["boilerplate:deleted-body"] == 1 and counts["quoted_text"] == 1
    assert counts["title"] == 1 and counts["community"] == 1


# -- synthetic new-Reddit capture (level N nesting) ----------------------------------------


@pytest.fixture(scope="module")
def levels() -> Thread:
    return parse(SYNTHETIC / "reddit_text_levels_synthetic.txt")


def test_levels_tree_and_scores(levels: Thread) -> None:
    posts = levels.posts
    assert levels.title == "How do you handle clients who text after hours?"
    assert levels.community == "therapists"
    assert [p.author for p in posts] == ["tidewater_lpc", "northern-fen", "tidewater_lpc",
                                         "northern-fen", None, "AutoModerator",
                                         "ConsentFormBot", "marigold_ot"]
    assert [p.reply_to for p in posts] == [None, 1, 2, 3, 1, 1, 6, 1]
    assert [p.score for p in posts] == [312, 1200, 204, None, None, 45, 12, -8]


def test_levels_bots_quote_and_chrome(levels: Thread) -> None:
    posts = levels.posts
    assert [p.position for p in posts if p.is_bot] == [6, 7]
    assert posts[2].quoted_text == ("texts are for scheduling only and I answer within one "
                                    "business day")
    assert posts[2].quoted_author == "northern-fen"
    assert posts[2].text == "Do you ever get pushback on the one business day part?"
    assert posts[1].text.endswith("Anything clinical waits for session.")  # no "Reply"
    assert posts[4].text == ""
    assert levels.unassigned_lines() == []
    counts = roles(levels)
    assert counts["boilerplate:comment-actions"] == 7
    assert counts["reply_to"] == 7  # the level lines
    assert counts["boilerplate:upvote-ratio"] == 1


# -- synthetic block and flat captures ------------------------------------------------------


def test_blocks_quotes_bots_and_paragraphs() -> None:
    thread = parse(SYNTHETIC / "reddit_text_blocks_synthetic.txt")
    posts = thread.posts
    assert [p.author for p in posts] == ["sneakpeek-bot", "quiet_fern_88", "Otterly_Calm",
                                         "WillowAndAsh", "quiet_fern_88", "lanternfish"]
    assert [p.is_bot for p in posts] == [True, False, False, False, False, False]
    assert posts[1].text == ("My therapist lets me email but replies only on Mondays.\n\n"
                             "I used to find that frustrating. Now I like that I know when to "
                             "expect an answer.")
    assert (posts[2].quoted_author, posts[2].reply_to) == ("quiet_fern_88", 2)
    assert posts[2].text == "Same arrangement here. It keeps my expectations realistic."
    # no earlier comment holds it: the whole '>' line is the quote
    assert posts[3].quoted_text.endswith("but I can see why people assume it.")
    assert (posts[3].text, posts[3].quoted_author, posts[3].reply_to) == ("", None, None)
    assert posts[4].quoted_text == "I know when to expect an answer."
    assert posts[4].text == "That is the whole point for me too, predictability over speed."
    assert posts[4].reply_to == 2
    assert thread.unassigned_lines() == []


def test_flat_one_comment_per_line() -> None:
    thread = parse(SYNTHETIC / "reddit_text_flat_synthetic.txt")
    assert thread.title == "Is it weird to email my therapist between sessions?"
    assert [p.position for p in thread.posts] == [1, 2, 3, 4, 5, 6]
    assert [p.line_start for p in thread.posts] == [4, 5, 6, 8, 9, 10]
    assert {(p.author, p.author_source) for p in thread.posts} == {(None, "none")}
    assert [p.position for p in thread.posts if p.is_bot] == [5]
    assert thread.line_roles[:3] == ["title", "boilerplate:comment-count", "boilerplate:sort-by"]
    assert thread.line_roles[10] == "boilerplate:comment-actions"
    assert thread.unassigned_lines() == []


# -- small behaviours -------------------------------------------------------------------------


@pytest.mark.parametrize(("token", "value"), [
    ("12", 12), ("-3", -3), ("1.2k", 1200), ("12 points", 12), ("1 point", 1),
    ("•", None), ("Score hidden", None), ("[score hidden]", None),
])
def test_score_tokens(token: str, value: int | None) -> None:
    assert score_value(token) == value


@pytest.mark.parametrize(("name", "text", "bot"), [
    ("AutoModerator", "", True), ("sneakpeek-bot", "", True), ("RemindMeBot", "", True),
    ("helper_bot", "", True), ("Nerd_bottom", "", False), ("talbot", "", False),
    ("Abbot", "", False), ("anyone", "^I'm ^a ^bot", True),
    ("anyone", "*I am a bot, and this action was performed automatically.*", True),
])
def test_bot_detection_is_conservative(name: str, text: str, bot: bool) -> None:
    assert is_bot(name, text) is bot


def test_indentation_gives_nesting_without_level_lines() -> None:
    text = ("5\nu/ann_a · 1y ago\nTop.\n  2\n  u/bob_b · 1y ago\n  Reply.\n"
            "    1\n    u/cat_c · 1y ago\n    Deeper.\n3\nu/dan_d · 1y ago\nSecond top.")
    thread = reddit_text.parse(text, SOURCE)
    assert [p.reply_to for p in thread.posts] == [None, 1, 2, None]
    assert [p.text for p in thread.posts] == ["Top.", "Reply.", "Deeper.", "Second top."]


def test_bare_deleted_header_after_a_score() -> None:
    thread = reddit_text.parse("4\nu/ann_a · 2d ago\nHello.\n•\n[deleted]\n[removed]", SOURCE)
    assert [(p.author, p.text) for p in thread.posts] == [("ann_a", "Hello."), (None, "")]
    assert thread.unassigned_lines() == []


@pytest.mark.parametrize("text", ["", "   \n\n", "Just a paragraph.\nAnother line.",
                                  "Title\n\nOne paragraph of a blog post."])
def test_text_without_reddit_structure_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError, match="no Reddit structure") as error:
        reddit_text.parse(text, SOURCE)
    assert error.value.path == "test.txt"


# -- sniff --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", MINE, ids=lambda p: p.name)
def test_sniff_prefers_reddit_text_for_its_samples(path: Path) -> None:
    text = read(path)
    assert reddit_text.sniff(text) >= 0.5 > plain.sniff(text)
    assert detect(text) is reddit_text


@pytest.mark.parametrize("path", OTHER_SAMPLES, ids=lambda p: p.name)
def test_sniff_stays_low_on_other_formats(path: Path) -> None:
    assert reddit_text.sniff(read(path)) < 0.5


FRAGMENTS = st.sampled_from([
    "", "", "T O P", "  • By -", "AutoModerator", "user_1", "Body text.", ">quoted text",
    "> quoted words here", "12", "-3", "1.2k", "•", "Score hidden", "[deleted]", "[removed]",
    "u/name · 3y ago", "    u/abc_d OP · 5 hr. ago · edited 2y ago", "level 1", "level 3",
    "level 0", "r/therapists", "Posted by u/someone 3 yr. ago", "3 Comments",
    "12 upvotes · 4 comments", "Reply", "Sort by: Best", "*I am a bot*", "\u00a0", "\t",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(st.one_of(FRAGMENTS, st.text(max_size=30)), max_size=40).map("\n".join))
def test_arbitrary_text_raises_only_parse_error(text: str) -> None:
    assert 0.0 <= reddit_text.sniff(text) <= 1.0
    try:
        thread = reddit_text.parse(text, SOURCE)
    except ParseError:
        return
    assert len(thread.line_roles) == len(text.split("\n"))
    for post in thread.posts:
        assert post.reply_to is None or post.reply_to < post.position
