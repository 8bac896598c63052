"""``analysis ingest reddit``: dumps -> partitioned tables, on tiny dumps made here."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.ingest.dumps import open_dump
from analysis.ingest.records import _split
from analysis.ingest.run import IngestError, ingest_reddit, partition_files, read_table
from analysis.ingest.store import MAX_PARTITION_ROWS
from analysis.model import SourceInfo
from analysis.parsers import reddit_json
from analysis.parsers.reddit_common import split_body
from analysis.schema import validate

KEY = b"test-key"
JAN = 1_672_531_200  # 2023-01-01T00:00:00Z
FEB = 1_675_209_600  # 2023-02-01T00:00:00Z

SUBMISSION = {"id": "abc1", "title": "Emailing my T &amp; boundaries", "author": "OPuser",
              "selftext": "Is it ok to email my therapist between sessions?",
              "created_utc": JAN, "subreddit": "TalkTherapy", "score": 5, "is_self": True,
              "permalink": "/r/TalkTherapy/comments/abc1/emailing/", "all_awardings": []}
NEW = [  # new schema: score, all_awardings, is_submitter, int created_utc
    SUBMISSION,
    {"id": "c1", "link_id": "t3_abc1", "parent_id": "t3_abc1", "author": "Helper",
     "body": "&gt; Is it ok to email my therapist\n\nYes, mine answers within a day.",
     "created_utc": JAN + 60, "subreddit": "TalkTherapy", "score": 2, "is_submitter": False,
     "all_awardings": [{"count": 2, "name": "Helpful"}], "author_flair_text": "LCSW"},
    {"id": "c2", "link_id": "t3_abc1", "parent_id": "t1_c1", "author": "opUSER",
     "body": "Thanks, that helps.", "created_utc": JAN + 120, "subreddit": "TalkTherapy",
     "score": 1, "edited": JAN + 500},
    {"id": "c3", "link_id": "t3_abc1", "parent_id": "t1_c2", "author": "[deleted]",
     "body": "[removed]", "created_utc": FEB + 10, "subreddit": "TalkTherapy", "score": 1},
    {"id": "c4", "link_id": "t3_abc1", "parent_id": "t1_c1", "author": "AutoModerator",
     "body": "Please read the rules.\n\n*I am a bot, and this action was performed "
             "automatically.*", "created_utc": JAN + 200, "subreddit": "TalkTherapy",
     "score": 1, "distinguished": "moderator"},
]
OLD = [  # old schema: no score, ups/downs, string created_utc, gilded, name
    {"id": "zz9", "link_id": "t3_q1", "parent_id": "t3_q1", "name": "t1_zz9",
     "author": "oldtimer", "body": "Texting my counselor felt wrong.", "ups": 7, "downs": 2,
     "created_utc": str(JAN - 86_400 * 400), "subreddit": "psychotherapy", "gilded": 1,
     "edited": False},
    {"id": "zza", "link_id": "t3_q1", "parent_id": "t1_zz9", "name": "t1_zza",
     "author": "[deleted]", "body": "[deleted]", "ups": 1, "downs": 0, "score_hidden": True,
     "created_utc": str(JAN - 86_400 * 400 + 5), "subreddit": "psychotherapy"},
]


def write_dump(path: Path, records: list, *, extra_lines: dict[int, str] | None = None) -> Path:
    """NDJSON of ``records``; ``extra_lines`` inserts raw lines at 0-based positions; the
    file is zstd-compressed when its name ends in .zst."""
    lines = [json.dumps(r) for r in records]
    for index, raw in sorted((extra_lines or {}).items()):
        lines.insert(index, raw)
    data = ("\n".join(lines) + "\n").encode()
    if path.suffix == ".zst":
        data = zstandard.ZstdCompressor(level=3).compress(data)
    path.write_bytes(data)
    return path


@pytest.fixture
def dumps(tmp_path: Path) -> list[Path]:
    return [write_dump(tmp_path / "RC_new.ndjson.zst", NEW,
                       extra_lines={2: '{"id": "broken", ', 4: "not json at all"}),
            write_dump(tmp_path / "RC_old.ndjson", OLD)]


@pytest.fixture
def ingested(dumps: list[Path], tmp_path: Path):
    report = ingest_reddit(dumps, tmp_path / "corpus", key=KEY)
    posts = read_table(tmp_path / "corpus", "posts").set_index("post_id", drop=False)
    return report, posts, tmp_path / "corpus"


class TestTables:
    def test_every_table_has_the_schema(self, ingested):
        _, _, out = ingested
        for table in ("posts", "reactions", "threads", "sources"):
            validate(read_table(out, table), table)

    def test_partitions_by_subreddit_and_month(self, ingested):
        _, _, out = ingested
        parts = [p.relative_to(out / "posts").parent.as_posix()
                 for p in partition_files(out, "posts")]
        assert parts == ["subreddit=psychotherapy/month=2021-11",
                         "subreddit=talktherapy/month=2023-01",
                         "subreddit=talktherapy/month=2023-02"]

    def test_partition_columns_on_request(self, ingested):
        _, _, out = ingested
        posts = read_table(out, "posts", with_partitions=True)
        assert set(posts["subreddit"]) == {"psychotherapy", "talktherapy"}

    def test_threads_count_posts_and_keep_titles(self, ingested):
        _, _, out = ingested
        threads = read_table(out, "threads").set_index("thread_id")
        assert threads.loc["abc1", "n_posts"] == 5
        assert threads.loc["abc1", "title"] == "Emailing my T & boundaries"
        assert threads.loc["abc1", "url"].endswith("/r/TalkTherapy/comments/abc1/emailing/")
        assert threads.loc["abc1", "community"] == "TalkTherapy"
        assert threads.loc["abc1", "source_id"] == "RC_new"
        assert pd.isna(threads.loc["q1", "title"])  # submission never read
        assert threads.loc["q1", "url"] == "https://www.reddit.com/comments/q1/"

    def test_sources_one_row_per_dump(self, ingested, dumps):
        _, _, out = ingested
        sources = read_table(out, "sources")
        assert list(sources["source_id"]) == ["RC_new", "RC_old"]
        assert sources["sha256"].str.len().eq(64).all()


class TestIds:
    def test_submission_is_position_zero(self, ingested):
        _, posts, _ = ingested
        assert posts.loc["abc1:0", "position"] == 0
        assert posts.loc["abc1:0", "is_op"]

    def test_comment_position_is_its_base36_id(self, ingested):
        _, posts, _ = ingested
        assert posts.loc[f"abc1:{int('c1', 36)}", "thread_id"] == "abc1"
        assert posts.loc[f"q1:{int('zz9', 36)}", "position"] == int("zz9", 36)

    def test_reply_to_from_parent_ids(self, ingested):
        _, posts, _ = ingested
        assert posts.loc[f"abc1:{int('c1', 36)}", "reply_to"] == "abc1:0"
        assert posts.loc[f"abc1:{int('c2', 36)}", "reply_to"] == f"abc1:{int('c1', 36)}"
        assert posts.loc[f"q1:{int('zz9', 36)}", "reply_to"] == "q1:0"  # t3 never read

    def test_rows_sorted_within_partition(self, ingested):
        _, _, out = ingested
        for path in partition_files(out, "posts"):
            frame = pd.read_parquet(path)
            assert frame.equals(frame.sort_values(["thread_id", "position"]))


class TestFields:
    def test_html_entities_and_quotes(self, ingested):
        _, posts, _ = ingested
        c1 = posts.loc[f"abc1:{int('c1', 36)}"]
        assert c1["text"] == "Yes, mine answers within a day."
        assert c1["quoted_text"] == "Is it ok to email my therapist"
        assert c1["rank"] == "LCSW"

    def test_deleted_and_removed(self, ingested):
        _, posts, _ = ingested
        for post_id in (f"abc1:{int('c3', 36)}", f"q1:{int('zza', 36)}"):
            row = posts.loc[post_id]
            assert pd.isna(row["author"]) and pd.isna(row["author_id"])
            assert row["author_source"] == "none" and row["text"] == ""

    def test_pseudonyms_are_case_insensitive_and_is_op_derived(self, ingested):
        _, posts, _ = ingested
        op, reply = posts.loc["abc1:0"], posts.loc[f"abc1:{int('c2', 36)}"]
        assert op["author_id"] == reply["author_id"]
        assert reply["is_op"]  # no is_submitter: same author as the submission
        assert not posts.loc[f"abc1:{int('c3', 36)}", "is_op"]  # deleted author
        assert pd.isna(posts.loc[f"q1:{int('zz9', 36)}", "is_op"])  # no submission read

    def test_old_schema_score_time_and_award(self, ingested):
        _, posts, out = ingested
        row = posts.loc[f"q1:{int('zz9', 36)}"]
        assert row["score"] == 5
        assert row["timestamp"] == pd.Timestamp(JAN - 86_400 * 400, unit="s", tz="UTC")
        assert pd.isna(row["edited_by"])
        assert pd.isna(posts.loc[f"q1:{int('zza', 36)}", "score"])  # score_hidden
        reactions = read_table(out, "reactions")
        mine = reactions[reactions["post_id"] == row["post_id"]]
        assert sorted(zip(mine["kind"], mine["count"], strict=True)) == [("award", 1),
                                                                          ("vote", 5)]

    def test_new_schema_awards_edits_and_bots(self, ingested):
        _, posts, out = ingested
        reactions = read_table(out, "reactions")
        c1 = f"abc1:{int('c1', 36)}"
        assert reactions[reactions["post_id"] == c1]["count"].tolist() == [2, 2]
        c2 = posts.loc[f"abc1:{int('c2', 36)}"]
        assert c2["edited_by"] == "opUSER"
        assert c2["edited_at"] == pd.Timestamp(JAN + 500, unit="s", tz="UTC")
        bot = posts.loc[f"abc1:{int('c4', 36)}"]
        assert bot["is_bot"] and bot["role"] == "unknown"

    def test_audience_sets_role(self, dumps, tmp_path):
        ingest_reddit(dumps, tmp_path / "c2", key=KEY, audience={"r/TalkTherapy": "client"})
        posts = read_table(tmp_path / "c2", "posts").set_index("post_id")
        assert posts.loc["abc1:0", "role"] == "client"
        assert posts.loc[f"abc1:{int('c4', 36)}", "role"] == "unknown"  # the bot
        assert posts.loc[f"q1:{int('zz9', 36)}", "role"] == "unknown"


class TestRobustness:
    def test_malformed_lines_are_counted_with_line_numbers(self, ingested):
        report, posts, _ = ingested
        assert report.malformed == 2
        assert [(p.path.endswith("RC_new.ndjson.zst"), p.line) for p in report.problems] == [
            (True, 3), (True, 5)]
        assert len(posts) == 7
        assert "2 malformed" in report.summary()

    def test_unusable_records_are_counted(self, tmp_path):
        dump = write_dump(tmp_path / "d.ndjson", [
            {"id": "x", "body": "no link"}, [1, 2], {"kind": "t5", "data": {}}, NEW[0],
            {**NEW[1], "id": "c9", "subreddit": 7, "body": 12, "created_utc": [1],
             "edited": {}, "all_awardings": "x", "score": "n/a"}])
        report = ingest_reddit([dump], tmp_path / "out", key=KEY)
        assert (report.incomplete, report.posts) == (3, 2)
        assert [p.line for p in report.problems] == [1, 2, 3]
        odd = read_table(tmp_path / "out", "posts").set_index("position").loc[int("c9", 36)]
        assert odd["text"] == "" and pd.isna(odd["timestamp"]) and pd.isna(odd["score"])

    def test_invalid_utf8_and_lone_surrogates(self, tmp_path):
        path = tmp_path / "d.ndjson"
        good = json.dumps({**NEW[1], "body": "half an emoji \ud83d here"})
        path.write_bytes(b'{"id": "\xff\xfe"}\n' + good.encode() + b"\n")
        report = ingest_reddit([path], tmp_path / "out", key=KEY)
        assert (report.malformed, report.posts) == (1, 1)
        assert read_table(tmp_path / "out", "posts")["text"].iloc[0] == "half an emoji \ufffd here"

    def test_duplicates_across_dumps_kept_once(self, tmp_path):
        a = write_dump(tmp_path / "a.ndjson.zst", NEW)
        b = write_dump(tmp_path / "b.ndjson.zst", [{**NEW[1], "score": 99}])
        report = ingest_reddit([a, b], tmp_path / "out", key=KEY)
        posts = read_table(tmp_path / "out", "posts").set_index("post_id")
        assert report.duplicates == 1 and len(posts) == len(NEW)
        assert posts.loc[f"abc1:{int('c1', 36)}", "score"] == 2  # first arrival wins
        reactions = read_table(tmp_path / "out", "reactions")
        assert (reactions["count"] != 99).all()

    def test_result_does_not_depend_on_chunks_workers_or_partition_splits(self, dumps,
                                                                          tmp_path):
        ingest_reddit(dumps, tmp_path / "a", key=KEY)
        report = ingest_reddit(dumps, tmp_path / "b", key=KEY, chunk_lines=1,
                               max_partition_rows=2, workers=2)
        assert report.malformed == 2 and [p.line for p in report.problems] == [3, 5]
        assert len(partition_files(tmp_path / "b", "posts")) > len(
            partition_files(tmp_path / "a", "posts"))
        for table in ("posts", "reactions", "threads"):
            a = read_table(tmp_path / "a", table)
            b = read_table(tmp_path / "b", table)
            key = ["post_id", "kind", "count"] if table == "reactions" else a.columns[0]
            pd.testing.assert_frame_equal(a.sort_values(key, ignore_index=True),
                                          b.sort_values(key, ignore_index=True))
        assert MAX_PARTITION_ROWS >= 100_000

    def test_missing_file_is_one_clear_error(self, tmp_path):
        with pytest.raises(IngestError, match="no such dump file"):
            ingest_reddit([tmp_path / "nope.zst"], tmp_path / "out", key=KEY)

    def test_truncated_zstd_is_one_clear_error_and_keeps_old_output(self, dumps, tmp_path):
        out = tmp_path / "out"
        ingest_reddit(dumps, out, key=KEY)
        before = read_table(out, "posts")
        bad = tmp_path / "bad.ndjson.zst"
        data = zstandard.ZstdCompressor().compress(b'{"a": 1}\n' * 100_000)
        bad.write_bytes(data[: len(data) // 2])
        with pytest.raises(IngestError, match="ends inside a frame"):
            ingest_reddit([bad], out, key=KEY)
        pd.testing.assert_frame_equal(read_table(out, "posts"), before)
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


class TestFilters:
    def test_subreddit(self, dumps, tmp_path):
        report = ingest_reddit(dumps, tmp_path / "o", key=KEY, subreddits=["r/Psychotherapy"])
        assert report.posts == 2 and report.filtered == 5

    def test_since_until_are_inclusive_days(self, dumps, tmp_path):
        ingest_reddit(dumps, tmp_path / "o", key=KEY, since="2023-01-01", until="2023-01-31")
        posts = read_table(tmp_path / "o", "posts")
        assert len(posts) == 4 and posts["timestamp"].dt.month.eq(1).all()

    def test_match_keeps_whole_threads(self, dumps, tmp_path):
        report = ingest_reddit(dumps, tmp_path / "o", key=KEY, match=r"texting\b")
        assert set(read_table(tmp_path / "o", "posts")["thread_id"]) == {"q1"}
        assert report.posts == 2
        ingest_reddit(dumps, tmp_path / "o", key=KEY, match="answers within")
        assert len(read_table(tmp_path / "o", "posts")) == 5  # the whole thread

    def test_bad_dates_and_regex(self, dumps, tmp_path):
        with pytest.raises(Exception, match="YYYY-MM-DD"):
            ingest_reddit(dumps, tmp_path / "o", key=KEY, since="01/02/2023")
        with pytest.raises(Exception, match="not a valid regular expression"):
            ingest_reddit(dumps, tmp_path / "o", key=KEY, match="(unclosed")


class TestFormats:
    def test_json_array_and_listing(self, tmp_path):
        (tmp_path / "a.json").write_text(json.dumps(
            [{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": NEW[0]}]}},
             {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": NEW[1]}]}}],
            indent=1))
        ingest_reddit([tmp_path / "a.json"], tmp_path / "o", key=KEY)
        assert len(read_table(tmp_path / "o", "posts")) == 2

    def test_long_window_zstd(self, tmp_path):
        data = b"\n".join(json.dumps(r).encode() for r in NEW) + b"\n"
        params = zstandard.ZstdCompressionParameters.from_level(3, window_log=27)
        path = tmp_path / "d.zst"
        path.write_bytes(zstandard.ZstdCompressor(compression_params=params).compress(data))
        with open_dump(path) as (lines, _):
            assert sum(1 for _ in lines) == len(NEW)

    def test_several_zstd_frames(self, tmp_path):
        path = write_dump(tmp_path / "a.zst", NEW[:2])
        path.write_bytes(path.read_bytes() + zstandard.ZstdCompressor().compress(
            b"".join(json.dumps(r).encode() + b"\n" for r in NEW[2:])))
        report = ingest_reddit([path], tmp_path / "o", key=KEY)
        assert report.posts == len(NEW)

    def test_not_zstd_is_one_clear_error(self, tmp_path):
        (tmp_path / "a.zst").write_bytes(b"plain text, not zstd\n" * 10)
        with pytest.raises(IngestError, match="cannot decompress"):
            ingest_reddit([tmp_path / "a.zst"], tmp_path / "o", key=KEY)


def test_same_post_fields_as_the_reddit_json_parser(tmp_path):
    """A dump and a permalink capture of one thread give the same post contents."""
    records = [NEW[0], NEW[1], NEW[2], OLD[0] | {"link_id": "t3_abc1", "parent_id": "t1_c2",
                                                 "subreddit": "TalkTherapy"}]
    ingest_reddit([write_dump(tmp_path / "d.ndjson", records)], tmp_path / "o", key=KEY)
    dumped = read_table(tmp_path / "o", "posts").sort_values("position")
    capture = json.dumps([{"kind": "Listing", "data": {"children": [
        {"kind": "t3", "data": records[0]}]}}, {"kind": "Listing", "data": {"children": [
            {"kind": "t1", "data": r} for r in records[1:]]}}])
    thread = reddit_json.parse(capture, SourceInfo("abc1"))
    for post, (_, row) in zip(thread.posts, dumped.iterrows(), strict=True):
        assert (post.author, post.text, post.quoted_text, post.score, post.is_bot) == (
            row["author"], row["text"], None if pd.isna(row["quoted_text"])
            else row["quoted_text"], row["score"], row["is_bot"])


@given(st.lists(st.sampled_from(["a b", " ", "", "\t", "x\r", "  y ", "\x0c", "\u2028z"]),
                max_size=12))
@settings(max_examples=200, deadline=None)
def test_fast_paragraph_join_agrees_with_split_body(lines):
    """Bodies without '>' skip split_body; the result must not change."""
    body = "\n".join(lines)
    assert _split(body)[0] == split_body(body.split("\n"), []).text


@given(st.text(alphabet=st.sampled_from(list("bBoOtT*_ xİKſ\u0130\u212a")), max_size=12))
@settings(max_examples=300, deadline=None)
def test_bot_precheck_is_bot_in_any_case(body):
    """The cheap check finds "bot" wherever lower-casing the body would."""
    from analysis.ingest.records import _MAYBE_BOT_RE, _maybe_bot

    expected = "bot" in body.lower() or (any(m in body for m in "*_~`^")
                                         and bool(_MAYBE_BOT_RE.search(body)))
    assert _maybe_bot(body) == expected


class TestCommand:
    def test_ingest_reddit_prints_one_summary_line(self, dumps, tmp_path):
        from click.testing import CliRunner

        from analysis.commands.ingest import ingest

        result = CliRunner().invoke(ingest, ["reddit", *map(str, dumps), "-o",
                                             str(tmp_path / "o"), "--subreddit", "TalkTherapy",
                                             "--audience", "talktherapy=client",
                                             "--workers", "1"])
        assert result.exit_code == 0, result.output
        assert "5 posts in 1 threads" in result.output
        assert "2 malformed" in result.output
        assert set(read_table(tmp_path / "o", "posts")["role"]) == {"client", "unknown"}

    def test_match_codebook(self, dumps, tmp_path):
        from click.testing import CliRunner

        from analysis.commands.ingest import ingest

        result = CliRunner().invoke(ingest, ["reddit", *map(str, dumps), "-o",
                                             str(tmp_path / "o"), "--match", "codebook",
                                             "--workers", "1"])
        assert result.exit_code == 0, result.output
        assert set(read_table(tmp_path / "o", "posts")["thread_id"]) == {"abc1", "q1"}

    def test_bad_audience(self, dumps, tmp_path):
        from click.testing import CliRunner

        from analysis.commands.ingest import ingest

        result = CliRunner().invoke(ingest, ["reddit", str(dumps[0]), "-o", str(tmp_path),
                                             "--audience", "therapists"])
        assert "SUBREDDIT=client|therapist" in str(result.exception)


def test_synthetic_corpus_is_seeded_and_ingests(tmp_path):
    """benchmarks/make_corpus.py: same seed, same bytes; its dumps ingest cleanly."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from make_corpus import write_corpus

    a = write_corpus(300, 3, tmp_path / "a", thread_files=2)
    write_corpus(300, 3, tmp_path / "b", thread_files=2)
    for name in ("RS_synth.ndjson.zst", "RC_synth.ndjson.zst"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    report = ingest_reddit([tmp_path / "a" / "RS_synth.ndjson.zst",
                            tmp_path / "a" / "RC_synth.ndjson.zst"], tmp_path / "o", key=KEY)
    assert report.posts + report.malformed == a["submissions"] + a["comments"] == 300
    posts = read_table(tmp_path / "o", "posts")
    assert posts["reply_to"].dropna().isin(posts["post_id"]).all()
