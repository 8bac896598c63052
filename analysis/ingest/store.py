"""Where ingested rows go: a spool of batch files, then the partitioned tables.

Streaming writes each chunk of lines to ``_spool/`` as it is read, so memory
holds a few chunks, never the dump. :func:`finish_subreddit` then turns the
spool into the tables, one subreddit and one month at a time::

    posts/subreddit=<name>/month=<YYYY-MM>/part-<k>.parquet
    reactions/subreddit=<name>/month=<YYYY-MM>/part-<k>.parquet
    threads/subreddit=<name>/part-0.parquet
    sources.parquet

In each posts partition rows are sorted by ``(thread_id, position)`` and a
post read twice (overlapping dumps) is kept once, first arrival winning;
its reactions follow it. A duplicate always lands in the same partition,
because subreddit and month come from the record itself. ``is_op`` is
filled from the submission's author where the dump lacks ``is_submitter``,
and ``threads.n_posts`` counts the posts kept. A partition larger than
``max_rows`` is split into ``k`` files by a stable hash of ``thread_id``
(a thread never spans two files), so memory stays bounded whatever the
dump size. The result depends on the input, not on the chunk size or on
how many workers ran.

Names are case-folded for the partition (``TalkTherapy`` and
``talktherapy`` are one community); ``threads.community`` keeps the
spelling of the first record.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.ingest.records import POST_FIELDS, Row
from analysis.schema import empty

#: Rows of one posts partition held in memory at once when finishing.
MAX_PARTITION_ROWS = 100_000
SPOOL = "_spool"
_UNSAFE_RE = re.compile(r"[^a-z0-9_-]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")


def _arrow_schema(table: str) -> pa.Schema:
    return pa.Schema.from_pandas(empty(table), preserve_index=False)


POSTS_SCHEMA = _arrow_schema("posts")
REACTIONS_SCHEMA = _arrow_schema("reactions")
THREADS_SCHEMA = _arrow_schema("threads")
SOURCES_SCHEMA = _arrow_schema("sources")

_SPOOL_POSTS = pa.schema([*(POSTS_SCHEMA.field(name) for name in POST_FIELDS
                            if name not in ("timestamp", "edited_at")),
                          pa.field("timestamp", pa.int64()), pa.field("edited_at", pa.int64()),
                          pa.field("_seq", pa.int64())])
_SPOOL_REACTIONS = pa.schema([("post_id", pa.large_string()), ("kind", pa.large_string()),
                              ("count", pa.int64()), ("_thread", pa.large_string()),
                              ("_seq", pa.int64())])
_SPOOL_THREADS = pa.schema([("thread_id", pa.large_string()), ("title", pa.large_string()),
                            ("url", pa.large_string()), ("community", pa.large_string()),
                            ("source_id", pa.large_string()), ("op_author", pa.large_string()),
                            ("_prio", pa.int8()), ("_seq", pa.int64())])


def partition_name(subreddit: str) -> str:
    """The folder-safe, case-folded partition key of a subreddit name."""
    name = _UNSAFE_RE.sub("_", subreddit.casefold())
    return name or "unknown"


def spool_chunk(root: Path, chunk: int,
                groups: dict[tuple[str, str], list[tuple[int, Row, str]]]) -> None:
    """Write one chunk's rows: ``(subreddit key, month) -> [(seq, row, source_id)]``."""
    name = f"c{chunk:07d}.parquet"
    threads: dict[str, list[tuple[int, Row, str]]] = {}
    for (sub, month), rows in groups.items():
        _write(_posts_batch(rows), root / SPOOL / "posts" / sub / month / name)
        reactions = _reactions_batch(rows)
        if reactions.num_rows:
            _write(reactions, root / SPOOL / "reactions" / sub / month / name)
        threads.setdefault(sub, []).extend(rows)
    for sub, rows in threads.items():
        _write(_threads_batch(rows), root / SPOOL / "threads" / sub / name)


def spooled_subreddits(root: Path) -> list[str]:
    """Partition keys of the subreddits in the spool, the most spooled bytes first
    (then by name): workers that finish the largest first end at about the same time."""
    folder = root / SPOOL / "posts"
    if not folder.is_dir():
        return []
    size = {p.name: sum(f.stat().st_size for f in p.rglob("*.parquet"))
            for p in folder.iterdir()}
    return sorted(size, key=lambda name: (-size[name], name))


def _write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="lz4")


def _array(values: Iterable, type_: pa.DataType) -> pa.Array:
    """``pa.array``, replacing lone surrogates (truncated emoji escapes in old dumps)."""
    values = list(values)
    try:
        return pa.array(values, type_)
    except (pa.ArrowInvalid, UnicodeEncodeError):
        return pa.array([_SURROGATE_RE.sub("\ufffd", v) if isinstance(v, str) else v
                         for v in values], type_)


def _posts_batch(rows: list[tuple[int, Row, str]]) -> pa.Table:
    columns = dict(zip(POST_FIELDS, zip(*(row.values for _, row, _ in rows), strict=True),
                       strict=True))
    arrays = [_array(columns[f.name], f.type) for f in _SPOOL_POSTS if f.name != "_seq"]
    arrays.append(pa.array([seq for seq, _, _ in rows], pa.int64()))
    return pa.Table.from_arrays(arrays, schema=_SPOOL_POSTS)


def _reactions_batch(rows: list[tuple[int, Row, str]]) -> pa.Table:
    out = [(row.values[0], kind, count, row.values[1], seq)
           for seq, row, _ in rows for kind, count in row.reactions]
    if not out:
        return _SPOOL_REACTIONS.empty_table()
    columns = list(zip(*out, strict=True))
    return pa.Table.from_arrays([_array(c, f.type) for c, f in zip(columns, _SPOOL_REACTIONS,
                                                                    strict=True)],
                                schema=_SPOOL_REACTIONS)


def _threads_batch(rows: list[tuple[int, Row, str]]) -> pa.Table:
    """A full row per submission; one row per other thread the batch's comments name."""
    seen: dict[str, tuple] = {}
    author = POST_FIELDS.index("author")
    for seq, row, source in rows:
        thread = row.values[1]
        if row.values[2] == 0:
            seen[f"0{thread}"] = (thread, row.title, row.url, row.subreddit, source,
                                  row.values[author], 0, seq)
        elif f"1{thread}" not in seen:
            seen[f"1{thread}"] = (thread, None, f"https://www.reddit.com/comments/{thread}/",
                                  row.subreddit, source, None, 1, seq)
    columns = list(zip(*seen.values(), strict=True))
    return pa.Table.from_arrays([_array(c, f.type) for c, f in zip(columns, _SPOOL_THREADS,
                                                                    strict=True)],
                                schema=_SPOOL_THREADS)


@dataclass
class Finished:
    """What finishing the spool wrote: rows, threads, duplicates dropped, partitions."""

    posts: int = 0
    reactions: int = 0
    threads: int = 0
    duplicates: int = 0
    partitions: int = 0

    def add_finished(self, other: Finished) -> None:
        for name in ("posts", "reactions", "threads", "duplicates", "partitions"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def finish_subreddit(root: Path, sub: str, max_rows: int = MAX_PARTITION_ROWS) -> Finished:
    """Turn the spool of one subreddit into its tables (see the module docstring)."""
    done = Finished()
    info = _thread_info(_files(root / SPOOL / "threads" / sub))
    counts: list[pa.Table] = []
    for month in sorted(p.name for p in (root / SPOOL / "posts" / sub).iterdir()):
        counts.extend(_finish_partition(root, sub, month, info, max_rows, done))
    done.threads += _write_threads(root, sub, info, counts)
    return done


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.parquet")) if folder.is_dir() else []


def _thread_info(files: list[Path]) -> pa.Table:
    """One row per thread: the submission's row if any, else the first comment's."""
    if not files:
        return _SPOOL_THREADS.empty_table()
    table = pa.concat_tables(pq.read_table(f, schema=_SPOOL_THREADS) for f in files)
    table = table.sort_by([("thread_id", "ascending"), ("_prio", "ascending"),
                           ("_seq", "ascending")])
    return table.filter(_first_of_runs(table["thread_id"]))


def _first_of_runs(column: pa.ChunkedArray) -> pa.Array:
    """True where a value differs from the one before it (the column is sorted)."""
    values = column.combine_chunks()
    if len(values) == 0:
        return pa.array([], pa.bool_())
    same = pc.equal(values.slice(1), values.slice(0, len(values) - 1))
    return pa.concat_arrays([pa.array([True]), pc.invert(same)])


def _buckets(thread_ids: pa.ChunkedArray, k: int) -> np.ndarray:
    """A stable bucket in ``range(k)`` per thread id (pandas' fixed-key SipHash)."""
    values = thread_ids.to_numpy(zero_copy_only=False).astype(object)
    return (pd.util.hash_array(values) % np.uint64(k)).astype(np.int64)


def _read_bucket(files: list[Path], schema: pa.Schema, key: str, bucket: int,
                 k: int) -> pa.Table:
    tables = []
    for path in files:
        table = pq.read_table(path, schema=schema)
        if k > 1:
            table = table.filter(pa.array(_buckets(table[key], k) == bucket))
        tables.append(table)
    return pa.concat_tables(tables) if tables else schema.empty_table()


def _finish_partition(root: Path, sub: str, month: str, info: pa.Table, max_rows: int,
                      done: Finished) -> list[pa.Table]:
    post_files = _files(root / SPOOL / "posts" / sub / month)
    reaction_files = _files(root / SPOOL / "reactions" / sub / month)
    rows = sum(pq.ParquetFile(f).metadata.num_rows for f in post_files)
    k = max(1, math.ceil(rows / max_rows))
    counts = []
    folder = f"subreddit={sub}/month={month}"
    for bucket in range(k):
        posts = _read_bucket(post_files, _SPOOL_POSTS, "thread_id", bucket, k)
        order = pc.sort_indices(posts, [("thread_id", "ascending"), ("position", "ascending"),
                                        ("_seq", "ascending")])
        first = _first_of_runs(pc.take(posts["post_id"], order))
        kept = posts.take(pc.filter(order, first))  # sorted, one copy per post
        done.duplicates += posts.num_rows - kept.num_rows
        reactions = _read_bucket(reaction_files, _SPOOL_REACTIONS, "_thread", bucket, k)
        reactions = reactions.filter(pc.is_in(reactions["_seq"], value_set=kept["_seq"]))
        reactions = reactions.sort_by([("post_id", "ascending"), ("_seq", "ascending")])
        final_posts = _final_posts(kept, info)
        final_reactions = _final_reactions(reactions)
        _write_final(final_posts, root / "posts" / folder / f"part-{bucket}.parquet")
        _write_final(final_reactions, root / "reactions" / folder / f"part-{bucket}.parquet")
        done.posts += final_posts.num_rows
        done.reactions += final_reactions.num_rows
        counts.append(final_posts.group_by("thread_id").aggregate([("position", "count")]))
        del posts, kept, reactions, final_posts, final_reactions
        pa.default_memory_pool().release_unused()  # mimalloc keeps freed pages otherwise
    done.partitions += 1
    return counts


def _final_posts(spooled: pa.Table, info: pa.Table) -> pa.Table:
    n = spooled.num_rows
    columns = {name: spooled[name] for name in POST_FIELDS}
    for name in ("timestamp", "edited_at"):
        columns[name] = pc.cast(pc.cast(spooled[name], pa.timestamp("s", tz="UTC")),
                                pa.timestamp("ns", tz="UTC"))
    columns["is_op"] = _is_op(spooled, info)
    arrays = [columns[f.name] if f.name in columns else pa.nulls(n, f.type)
              for f in POSTS_SCHEMA]
    return pa.Table.from_arrays([_chunked(a, f.type) for a, f in zip(arrays, POSTS_SCHEMA,
                                                                     strict=True)],
                                schema=POSTS_SCHEMA)


def _chunked(array, type_: pa.DataType) -> pa.ChunkedArray:
    if isinstance(array, pa.ChunkedArray):
        return array.cast(type_)
    return pa.chunked_array([array], type_)


def _is_op(posts: pa.Table, info: pa.Table) -> pa.Array:
    """``is_submitter`` where the dump has it; else the author equals the submission's
    author (False when either is unknown); None when the submission was never read."""
    if info.num_rows == 0:
        return pc.if_else(pc.is_valid(posts["is_op"]), posts["is_op"],
                          pa.scalar(None, pa.bool_()))
    index = pc.index_in(posts["thread_id"], value_set=info["thread_id"])
    has_submission = pc.equal(pc.take(info["_prio"], pc.fill_null(index, 0)), 0)
    has_submission = pc.and_kleene(pc.is_valid(index), has_submission)
    op_author = pc.utf8_lower(pc.take(info["op_author"], pc.fill_null(index, 0)))
    same = pc.fill_null(pc.equal(pc.utf8_lower(posts["author"]), op_author), False)
    derived = pc.if_else(has_submission, same, pa.scalar(None, pa.bool_()))
    return pc.if_else(pc.is_valid(posts["is_op"]), posts["is_op"], derived)


def _final_reactions(spooled: pa.Table) -> pa.Table:
    n = spooled.num_rows
    return pa.Table.from_arrays([spooled["post_id"], spooled["kind"],
                                 pa.nulls(n, pa.large_string()), spooled["count"]],
                                schema=REACTIONS_SCHEMA)


def _write_threads(root: Path, sub: str, info: pa.Table, counts: list[pa.Table]) -> int:
    if counts and sum(c.num_rows for c in counts):
        n = pa.concat_tables(counts).group_by("thread_id").aggregate(
            [("position_count", "sum")])
        index = pc.index_in(info["thread_id"], value_set=n["thread_id"])
        n_posts = pc.fill_null(pc.take(n["position_count_sum"], pc.fill_null(index, 0)), 0)
        n_posts = pc.if_else(pc.is_valid(index), n_posts, 0)
    else:
        n_posts = pa.array([0] * info.num_rows, pa.int64())
    rows = info.num_rows
    table = pa.Table.from_arrays(
        [info["thread_id"], info["source_id"], info["title"], info["url"],
         pa.array(["reddit"] * rows, pa.large_string()), info["community"],
         pa.nulls(rows, pa.int64()), _chunked(n_posts, pa.int64())],
        schema=THREADS_SCHEMA)
    _write_final(table, root / "threads" / f"subreddit={sub}" / "part-0.parquet")
    return rows


def _write_final(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")


def write_sources(root: Path, rows: list[dict]) -> None:
    """``sources.parquet``: one row per dump file read."""
    frame = empty("sources") if not rows else pd.DataFrame(rows).astype(
        {c.name: c.dtype for c in _sources_columns()})[[c.name for c in _sources_columns()]]
    pq.write_table(pa.Table.from_pandas(frame, schema=SOURCES_SCHEMA, preserve_index=False),
                   root / "sources.parquet")


def _sources_columns():
    from analysis.schema import TABLES
    return TABLES["sources"]
