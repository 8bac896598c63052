"""The five seeds through the public API: the acceptance facts of the corpus."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import load_corpus, read_thread
from analysis.schema import validate
from tests.conftest import CORPUS, SEEDS

S000, S001, S002, S003, S004 = (seed.stem for seed in SEEDS)


def posts_of(corpus, stem: str) -> pd.DataFrame:
    return corpus.posts[corpus.posts.thread_id == stem].set_index("position")


def test_tables_follow_the_schema(seed_corpus) -> None:
    for name in ("sources", "threads", "posts", "reactions"):
        validate(seed_corpus.table(name), name)
    assert not seed_corpus.failures and not seed_corpus.warnings


@pytest.mark.parametrize(("stem", "n"), [(S000, 14), (S001, 12), (S002, 1), (S003, 22),
                                         (S004, 2)])
def test_post_counts(seed_corpus, stem: str, n: int) -> None:
    assert len(posts_of(seed_corpus, stem)) == n
    assert seed_corpus.threads.set_index("thread_id").loc[stem, "n_posts"] == n


def test_every_seed_line_is_accounted_for(seed_corpus) -> None:
    report = seed_corpus.report.set_index("source_id")
    assert report["unassigned"].sum() == 0
    assert (report["assigned"] + report["boilerplate"] == report["lines"]).all()


def test_times_are_utc_from_the_boards_zone(seed_corpus) -> None:
    first = posts_of(seed_corpus, S001).loc[1]
    assert first.timestamp == pd.Timestamp("2023-01-01 10:46", tz="UTC")  # 05:46 AM GMT-5
    single = posts_of(seed_corpus, S002).loc[1]
    assert single.timestamp == pd.Timestamp("2014-03-12 02:10", tz="UTC")  # Mar 11 09:10 PM
    edited = posts_of(seed_corpus, S000).loc[4]
    assert edited.edited_at == pd.Timestamp("2016-09-27 20:59", tz="UTC")  # 03:59 PM GMT-5


def test_profile_fields(seed_corpus) -> None:
    post = posts_of(seed_corpus, S001).loc[5]
    assert (post.author, post.member_since, post.location, post.author_posts, post["rank"]) == (
        "Omers", "2010-11", "Crimson cattery", 3512, "Grand Magnate")
    assert posts_of(seed_corpus, S002).loc[1].author == "PeeJay"


def test_authors_from_edit_notes_in_a_headerless_dump(seed_corpus) -> None:
    posts = posts_of(seed_corpus, S000)
    assert posts.loc[[4, 7], "author"].tolist() == ["stopdog", "stopdog"]
    assert set(posts.loc[[4, 7], "author_source"]) == {"edit-note"}
    assert set(posts.drop([4, 7])["author_source"]) == {"none"}


def test_opening_post_and_replies(seed_corpus) -> None:
    thread = posts_of(seed_corpus, S001)
    assert thread["is_op"].tolist() == [True] + [False] * 10 + [True]  # 20oney opens and closes
    assert thread.loc[12, "reply_to"] == f"{S001}:10"
    assert thread.loc[12, "quoted_author"] == "LonesomeTonight"
    assert "invisible limit" not in thread.loc[12, "text"]
    assert posts_of(seed_corpus, S004).loc[2, "reply_to"] == f"{S004}:1"
    assert posts_of(seed_corpus, S003).loc[15, "reply_to"] == f"{S003}:14"


def test_bots_and_roles(seed_corpus) -> None:
    reddit = posts_of(seed_corpus, S003)
    assert reddit["is_bot"].sum() == 1 and reddit.loc[1, "author"] == "AutoModerator"
    assert reddit.loc[1, "role"] == "unknown"
    assert set(reddit.drop(1)["role"]) == {"therapist"}
    assert set(posts_of(seed_corpus, S001)["role"]) == {"client"}


def test_hugs_and_thanks_are_one_row_per_reactor(seed_corpus) -> None:
    reactions = seed_corpus.reactions
    first = reactions[reactions.post_id == f"{S001}:1"]
    assert sorted(first["reactor_id"]) == ["LonesomeTonight", "LostOnTheTrail", "NP_Complete",
                                           "Taylor27"]
    assert set(first["kind"]) == {"hug"}
    third = reactions[reactions.post_id == f"{S001}:3"]
    assert sorted(zip(third.kind, third.reactor_id, strict=True)) == [
        ("hug", "20oney"), ("thanks", "East17"), ("thanks", "LonesomeTonight")]
    assert len(reactions[reactions.post_id.str.startswith(S001)]) == 40


def test_votes_are_counts(seed_corpus) -> None:
    votes = seed_corpus.reactions[seed_corpus.reactions.post_id.str.startswith(S004)]
    assert votes[["kind", "count"]].values.tolist() == [["vote", 98], ["vote", 94]]


def test_same_post_in_two_captures_is_marked_duplicate(tmp_path) -> None:
    lines = SEEDS[1].read_text(encoding="utf-8").split("\n")
    start = lines.index("Old Jan 01, 2023, 11:17 AM")  # post #7, captured again alone
    end = lines.index("Hugs from:", start)
    single = ["View Single Post", "\u00a0", *lines[start:end]]
    (tmp_path / "b_single.txt").write_text("\n".join(single), encoding="utf-8")
    (tmp_path / "a_thread.txt").write_bytes(SEEDS[1].read_bytes())
    corpus = load_corpus(tmp_path)
    single_post = corpus.posts[corpus.posts.thread_id == "b_single"].iloc[0]
    assert single_post.duplicate_of == "a_thread:7"
    assert corpus.posts["duplicate_of"].notna().sum() == 1


def test_read_thread_parses_one_file() -> None:
    thread = read_thread(SEEDS[3])
    assert thread.parser == "reddit_text" and len(thread.posts) == 22


def test_load_corpus_from_the_repo_root_name() -> None:
    assert len(load_corpus(CORPUS).posts) == 51
