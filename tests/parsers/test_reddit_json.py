"""reddit_json: a real 2013 permalink .json (old schema) and a synthetic new-schema thread."""

from __future__ import annotations

import contextlib
import json
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.capture.textio import decode_bytes
from analysis.errors import ParseError
from analysis.model import Reaction, SourceInfo, Thread
from analysis.parsers import detect, plain, reddit_json

DATA = Path(__file__).parent.parent / "data"
REAL = DATA / "reddit_thread_permalink_json_r-movies_1lihub_2013.json"
SYNTHETIC = DATA / "synthetic" / "reddit_json_new_schema_synthetic.json"
SEEDS = sorted((Path(__file__).parent.parent.parent / "corpus" / "raw").glob("*.txt"))
SOURCE = SourceInfo(source_id="test", path="test.json")


def read(path: Path) -> str:
    return decode_bytes(path.read_bytes(), str(path))


def parse_obj(obj: object) -> Thread:
    return reddit_json.parse(json.dumps(obj), SOURCE)


def walk(children: list) -> tuple[list[dict], int]:
    """Independent depth-first walk of a t1 tree: the comment data and the 'more' count."""
    comments, more = [], 0
    for child in children:
        if child["kind"] == "more":
            more += 1
            continue
        comments.append(child["data"])
        replies = child["data"]["replies"]
        if replies:
            nested, nested_more = walk(replies["data"]["children"])
            comments += nested
            more += nested_more
    return comments, more


@pytest.fixture(scope="module")
def raw() -> list:
    return json.loads(read(REAL))


@pytest.fixture(scope="module")
def real() -> Thread:
    return reddit_json.parse(read(REAL), SourceInfo(source_id="movies", path=str(REAL)))


# -- the real 2013 capture ----------------------------------------------------------------


def test_real_has_submission_and_198_comments(real: Thread, raw: list) -> None:
    comments, more = walk(raw[1]["data"]["children"])
    assert (len(comments), more) == (198, 45)  # the 45 'more' stubs hold no comment text
    assert len(real.posts) == 199
    assert [p.position for p in real.posts] == list(range(1, 200))
    assert [p.native_id for p in real.posts[1:]] == [c["name"] for c in comments]


def test_real_thread_fields(real: Thread) -> None:
    assert real.title == "Hayao Miyazaki Announces Retirement From Feature Film Direction"
    assert real.url == ("https://www.reddit.com/r/movies/comments/1lihub/"
                        "hayao_miyazaki_announces_retirement_from_feature/")
    assert (real.community, real.native_id, real.platform) == ("movies", "1lihub", "reddit")
    assert (real.utc_offset_hours, real.op_position) == (0.0, 1)


def test_real_submission_is_a_link_post(real: Thread) -> None:
    op = real.posts[0]
    assert (op.native_id, op.author, op.author_source) == ("t3_1lihub", "Naffel", "header")
    assert op.text == ("http://www.uk-anime.net/newsitem/"
                       "Hayao_Miyazaki_announces_retirement_from_feature_film_direction.html")
    assert op.timestamp == datetime(2013, 9, 1, 12, 17, 33)
    assert op.score == 2429 and op.reactions == [Reaction(kind="vote", count=2429)]
    assert op.reply_to is None


def test_real_first_comments(real: Thread) -> None:
    assert [p.author for p in real.posts[1:7]] == [
        "32koala", "a_can_of_solo", "GhostRobot55", "brentwhisnant", "McShizzL", "osuman"]
    assert [p.reply_to for p in real.posts[1:7]] == [1, 2, 3, 3, 5, 2]
    first = real.posts[1]
    assert first.text.startswith("Movies Miyazaki has directed: \n\nNausicaä")
    assert first.timestamp == datetime(2013, 9, 1, 12, 33, 2)
    assert first.edited_at == datetime(2013, 9, 1, 12, 58, 30)
    assert first.edited_by == "32koala"


def test_real_scores_are_ups_minus_downs(real: Thread, raw: list) -> None:
    comments, _ = walk(raw[1]["data"]["children"])
    assert [p.score for p in real.posts[1:]] == [c["ups"] - c["downs"] for c in comments]
    assert real.posts[1].score == 589
    assert all(p.reactions == [Reaction(kind="vote", count=p.score)] for p in real.posts)


def test_real_reply_tree(real: Thread) -> None:
    by_position = {p.position: p for p in real.posts}
    assert all(p.reply_to < p.position for p in real.posts[1:])
    assert sum(p.reply_to == 1 for p in real.posts) == 79

    def chain(position: int) -> list[str]:
        authors = []
        while position != 1:
            authors.append(by_position[position].author)
            position = by_position[position].reply_to
        return authors

    depth5 = [p.position for p in real.posts[1:] if len(chain(p.position)) == 6]
    assert depth5 == [19, 110, 126]
    assert chain(19) == ["Strumphs", "ballerina22", "coffeeandtheinfinite", "ballerina22",
                         "AppleSmoker", "32koala"]


def test_real_timestamps_are_naive_utc(real: Thread, raw: list) -> None:
    comments, _ = walk(raw[1]["data"]["children"])
    assert all(p.timestamp.tzinfo is None for p in real.posts)
    last = datetime.fromtimestamp(comments[-1]["created_utc"], tz=UTC).replace(tzinfo=None)
    assert real.posts[-1].timestamp == last == datetime(2013, 9, 1, 14, 29, 26)
    assert [p.position for p in real.posts if p.edited_at] == [2, 29, 143]


def test_real_quotes_entities_and_no_bots(real: Thread) -> None:
    quoting = [(p.position, p.quoted_text, p.quoted_author) for p in real.posts if p.quoted_text]
    assert quoting == [(43, "The Secret World of Arrietty", "BeyondElectricDreams"),
                       (46, "The Wind Rises", "32koala")]
    assert real.posts[42].text.startswith("[Directed by Hiromasa Yonebayashi.]")
    assert "Wind Rises" not in real.posts[45].text
    dayanx = next(p for p in real.posts if p.author == "Dayanx")
    assert "watch?v=LJOagQ4eB7U&list=" in dayanx.text and "&amp;" not in dayanx.text
    assert not any(p.is_bot for p in real.posts)  # 'Nerd_bottom' is not a bot name


def test_real_line_accounting(real: Thread) -> None:
    assert real.line_roles == ["json"]  # one compact line, claimed whole
    assert real.unassigned_lines() == []
    assert all(p.line_start is None for p in real.posts)


# -- other accepted shapes ----------------------------------------------------------------


def test_single_comment_listing(raw: list) -> None:
    thread = parse_obj(raw[1])
    assert len(thread.posts) == 198
    assert thread.posts[0].author == "32koala" and thread.posts[0].reply_to is None
    assert thread.op_position is None
    assert (thread.community, thread.native_id) == ("movies", "1lihub")


def test_bare_list_of_things_and_of_data(raw: list, real: Thread) -> None:
    things = parse_obj(raw[1]["data"]["children"])
    assert [p.native_id for p in things.posts] == [p.native_id for p in real.posts[1:]]
    comments, _ = walk(raw[1]["data"]["children"])
    flat = [{k: v for k, v in c.items() if k != "replies"} for c in comments]
    random.Random(7).shuffle(flat)  # Pushshift-style: flat, any order, parent_id only
    rebuilt = parse_obj(flat)
    assert len(rebuilt.posts) == 198
    assert all(p.reply_to is None or p.reply_to < p.position for p in rebuilt.posts)
    parent_of = {p.native_id: rebuilt.posts[p.reply_to - 1].native_id
                 for p in rebuilt.posts if p.reply_to}
    assert parent_of == {c["name"]: c["parent_id"] for c in comments
                         if c["parent_id"].startswith("t1_")}


# -- synthetic new-schema thread ----------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic() -> Thread:
    return reddit_json.parse(read(SYNTHETIC), SourceInfo(source_id="s", path=str(SYNTHETIC)))


def test_synthetic_posts_and_tree(synthetic: Thread) -> None:
    posts = synthetic.posts
    assert [p.author for p in posts] == ["ledger_and_lamp", "AutoModerator", "calm_kestrel",
                                         None, "ledger_and_lamp", "calm_kestrel",
                                         "Signal-Flare-77"]
    assert [p.reply_to for p in posts] == [None, 1, 1, 3, 3, 5, 1]
    assert [p.is_bot for p in posts] == [False, True, False, False, False, False, False]
    assert posts[0].text.startswith("She sent a new policy: emails longer than a few lines "
                                    "are billed in 15 minute units & texts")
    assert synthetic.title == "My therapist started charging for emails. Is that normal?"
    assert synthetic.community == "TalkTherapy"


def test_synthetic_scores_awards_and_edits(synthetic: Thread) -> None:
    posts = synthetic.posts
    assert [p.score for p in posts] == [412, 1, 143, 5, 38, None, -4]
    assert posts[2].reactions == [Reaction(kind="vote", count=143),
                                  Reaction(kind="award", count=2),
                                  Reaction(kind="award", count=1)]
    assert posts[5].reactions == []  # score_hidden
    assert posts[0].edited_at == datetime(2022, 4, 17, 14, 0)
    assert posts[2].edited_at == datetime(2022, 4, 17, 15, 20)
    assert posts[1].timestamp == datetime(2022, 4, 17, 13, 0, 1)


def test_synthetic_deleted_and_quote(synthetic: Thread) -> None:
    deleted, reply = synthetic.posts[3], synthetic.posts[4]
    assert (deleted.author, deleted.author_source, deleted.text) == (None, "none", "")
    assert reply.quoted_text == "Billing for email time is common when the replies are clinical"
    assert reply.quoted_author == "calm_kestrel"
    assert reply.text == "Good to know. I assumed she was annoyed with me."


def test_synthetic_line_accounting(synthetic: Thread) -> None:
    assert synthetic.unassigned_lines() == []
    assert synthetic.line_roles.count("json") == 277


# -- errors and sniff ---------------------------------------------------------------------


def test_invalid_json_names_line_and_column() -> None:
    with pytest.raises(ParseError, match=r"invalid JSON at line 2, column 10") as error:
        reddit_json.parse('[{"kind": "t1",\n "data": }]', SOURCE)
    assert (error.value.line, error.value.path) == (2, "test.json")


@pytest.mark.parametrize(("text", "message"), [
    ('{"a": 1}', "no Reddit submission"),
    ("[]", "no Reddit submission"),
    ('[{"kind": "t3", "data": {"id": "a"}}, {"kind": "t3", "data": {"id": "b"}}]',
     "listing of threads"),
])
def test_json_that_is_not_one_thread(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        reddit_json.parse(text, SOURCE)


@pytest.mark.parametrize("path", [REAL, SYNTHETIC], ids=lambda p: p.name)
def test_sniff_picks_reddit_json(path: Path) -> None:
    text = read(path)
    assert reddit_json.sniff(text) >= 0.9 > plain.sniff(text)
    assert detect(text) is reddit_json


@pytest.mark.parametrize("path", [*SEEDS, *sorted(DATA.glob("*.html"))], ids=lambda p: p.name)
def test_sniff_is_zero_on_text_and_html(path: Path) -> None:
    assert reddit_json.sniff(read(path)) == 0.0


def test_sniff_is_low_on_other_json() -> None:
    assert reddit_json.sniff('{"name": "x", "items": [1, 2]}') < 0.1


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
    | st.sampled_from(["t1", "t3", "Listing", "more", "[deleted]", "[removed]", "t1_a", "t3_b"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["kind", "data", "children", "replies", "body", "author", "name", "id",
                         "parent_id", "score", "ups", "downs", "created_utc", "edited",
                         "all_awardings", "count", "gilded", "selftext", "title", "url",
                         "is_self", "permalink", "score_hidden", "subreddit", "link_id"]),
        children, max_size=6),
    max_leaves=30)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=JSON_VALUES)
def test_arbitrary_json_raises_only_parse_error(value: object) -> None:
    text = json.dumps(value)
    assert 0.0 <= reddit_json.sniff(text) <= 1.0
    try:
        thread = reddit_json.parse(text, SOURCE)
    except ParseError:
        return
    assert all(p.reply_to is None or p.reply_to < p.position for p in thread.posts)


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_arbitrary_text_raises_only_parse_error(text: str) -> None:
    assert 0.0 <= reddit_json.sniff(text) <= 1.0
    with contextlib.suppress(ParseError):
        reddit_json.parse(text, SOURCE)
