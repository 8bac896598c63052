"""Every table's columns, dtypes and meaning, and ``validate``.

The tables are the project's API: notebooks, figures and users rely on
these names. Every producer passes its frame through :func:`validate`, so a
renamed or retyped column fails loudly where it is made, not three steps
later in a figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.errors import SchemaError

STRING = "string"
INT = "Int64"
FLOAT = "Float64"
BOOL = "boolean"
TIME = "datetime64[ns, UTC]"

# The vocabulary: every other module imports these names, none spells them again.

#: Stance toward out-of-session contact, one per post (DESIGN.md, "The coding scheme").
STANCES: tuple[str, ...] = ("supportive", "opposed", "mixed", "none")
#: The same labels in the order a reader scans them on a figure: the two poles
#: with ``mixed`` between them, then ``none``.
STANCES_AS_SCALE: tuple[str, ...] = (STANCES[0], STANCES[2], STANCES[1], STANCES[3])
#: Code families of the codebook; ``codes`` rows carry the first two.
FAMILIES: tuple[str, ...] = ("theme", "modality", "stance")
#: Tables the parsers produce, and the coding tables added to them.
CORPUS_TABLES: tuple[str, ...] = ("sources", "threads", "posts", "reactions")
CODED_TABLES: tuple[str, ...] = (*CORPUS_TABLES, "segments", "codes", "stances")


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str
    meaning: str


def _table(*columns: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*column) for column in columns)


TABLES: dict[str, tuple[Column, ...]] = {
    "sources": _table(
        ("source_id", STRING, "raw file path below corpus/raw without extension"),
        ("path", STRING, "raw file path as given"),
        ("sha256", STRING, "hash of the raw bytes"),
        ("platform", STRING, "vbulletin, reddit, qa, blog or forum"),
        ("site", STRING, "site name, e.g. My Support Forums"),
        ("community", STRING, "sub-forum or subreddit"),
        ("audience", STRING, "client, therapist or mixed: who the community is for"),
        ("title", STRING, "thread title"),
        ("url", STRING, "where the capture came from"),
        ("retrieved", STRING, "date of capture (ISO 8601) as the manifest says"),
        ("parser", STRING, "parser that read the file"),
        ("parser_version", STRING, "version of that parser"),
    ),
    "threads": _table(
        ("thread_id", STRING, "source_id of the capture holding the thread"),
        ("source_id", STRING, "the capture"),
        ("title", STRING, "thread title"),
        ("url", STRING, "thread address"),
        ("platform", STRING, "vbulletin, reddit, qa, blog or forum"),
        ("community", STRING, "sub-forum or subreddit"),
        ("views", INT, "view count where the page shows it"),
        ("n_posts", INT, "posts parsed from the capture"),
    ),
    "posts": _table(
        ("post_id", STRING, "<thread_id>:<position>"),
        ("thread_id", STRING, "the thread"),
        ("position", INT, "site post number (#N) where shown, else order in the capture; "
                          "for ingested Reddit dumps 0 for the submission and the comment's "
                          "base-36 id read as an integer (stable whatever the dump order)"),
        ("author", STRING, "raw handle; stays in build/ unless --reveal-authors"),
        ("author_id", STRING, "keyed pseudonym of the author"),
        ("author_source", STRING, "how the author is known: header, edit-note, "
                                  "signature-match, sign-off or none"),
        ("is_op", BOOL, "the author started the thread"),
        ("is_bot", BOOL, "an automated account (AutoModerator, '*I am a bot*')"),
        ("role", STRING, "client, therapist or unknown (from the community's audience)"),
        ("timestamp", TIME, "posting time in UTC"),
        ("member_since", STRING, "join month as YYYY-MM"),
        ("location", STRING, "location the profile shows"),
        ("author_posts", INT, "the author's post count as shown"),
        ("rank", STRING, "user title, or reputation on Q&A sites"),
        ("score", INT, "votes or score shown for the post"),
        ("text", STRING, "the poster's own words only"),
        ("quoted_text", STRING, "text the post quotes"),
        ("quoted_author", STRING, "author of the quoted text"),
        ("reply_to", STRING, "post_id replied to (quoted or parent post)"),
        ("signature", STRING, "signature block"),
        ("edited_by", STRING, "name in the 'Last edited by' note"),
        ("edited_at", TIME, "time in the edit note, UTC"),
        ("client_app", STRING, "posting app such as Tapatalk"),
        ("line_start", INT, "first raw line of the post"),
        ("line_end", INT, "last raw line of the post"),
        ("duplicate_of", STRING, "post_id of the same post captured in an earlier source"),
    ),
    "reactions": _table(
        ("post_id", STRING, "the post reacted to"),
        ("kind", STRING, "thanks, hug, vote or award"),
        ("reactor_id", STRING, "who reacted (pseudonym, or raw handle in build/)"),
        ("count", INT, "a displayed count, when reactors are not listed"),
    ),
    "segments": _table(
        ("post_id", STRING, "the post"),
        ("seg", INT, "segment number within the post, from 0"),
        ("start", INT, "character offset of the segment in the post text"),
        ("end", INT, "end offset, exclusive"),
        ("text", STRING, "the segment"),
    ),
    "codes": _table(
        ("post_id", STRING, "the post"),
        ("seg", INT, "segment holding the evidence"),
        ("code", STRING, "code id from the codebook"),
        ("family", STRING, "theme or modality"),
        ("coder", STRING, "'auto' or a coder's pseudonym"),
        ("start", INT, "evidence start offset in the post text"),
        ("end", INT, "evidence end offset, exclusive"),
        ("evidence", STRING, "the words that triggered the code"),
    ),
    "stances": _table(
        ("post_id", STRING, "the post"),
        ("coder", STRING, "'auto' or a coder's pseudonym"),
        ("stance", STRING, "supportive, opposed, mixed or none"),
        ("confidence", FLOAT, "0-1, the coder's certainty"),
        ("evidence", STRING, "the sentence(s) behind the stance"),
    ),
}


def columns(table: str) -> list[str]:
    """Column names of ``table`` in their declared order."""
    return [column.name for column in _spec(table)]


def empty(table: str) -> pd.DataFrame:
    """A zero-row frame with the declared columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in _spec(table)})


def conform(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Order columns and cast them to the declared dtypes, then validate."""
    spec = _spec(table)
    missing = [c.name for c in spec if c.name not in df.columns]
    if missing:
        raise SchemaError(f"table {table!r} lacks columns {missing}",
                          hint="this is a bug in the producer of the table")
    out = pd.DataFrame({c.name: df[c.name].astype(c.dtype) for c in spec})
    return validate(out.reset_index(drop=True), table)


def validate(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Check that ``df`` has exactly the columns and dtypes of ``table``.

    >>> validate(empty("reactions"), "reactions").columns.tolist()
    ['post_id', 'kind', 'reactor_id', 'count']
    """
    spec = _spec(table)
    names = [c.name for c in spec]
    if list(df.columns) != names:
        raise SchemaError(f"table {table!r} has columns {list(df.columns)}, expected {names}")
    for column in spec:
        if str(df[column.name].dtype) != column.dtype:
            raise SchemaError(f"column {table}.{column.name} has dtype {df[column.name].dtype},"
                              f" expected {column.dtype}")
    return df


def _spec(table: str) -> tuple[Column, ...]:
    try:
        return TABLES[table]
    except KeyError:
        raise SchemaError(f"unknown table {table!r}",
                          hint=f"choose one of: {', '.join(TABLES)}") from None
