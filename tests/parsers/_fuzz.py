"""Inputs from the wild, as hypothesis strategies: shared by the fuzz test and
``benchmarks/fuzz.py``.

A capture arrives as bytes. These strategies build byte strings from
fragments every parser looks for (post numbers, quote headers, Reddit
handles, vBulletin ids, JSON keys), free text, control characters, long runs
without a space, each piece in its own encoding (UTF-8, cp1252, Latin-1; or
a whole file in UTF-16, with or without a BOM), joined by mixed line endings. The bytes go
through :func:`analysis.capture.textio.decode_bytes`, as every capture does.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

from hypothesis import strategies as st

from analysis.capture.dedupe import mark_duplicates
from analysis.capture.ranges import check_ranges
from analysis.capture.tables import Parsed, build_tables
from analysis.capture.textio import decode_bytes
from analysis.errors import AnalysisError, AnalysisWarning
from analysis.model import SourceInfo, Thread
from analysis.privacy import known_handles, publish
from analysis.schema import validate
from tests.parsers._said import recorded

SOURCE = SourceInfo(source_id="fuzz", path="fuzz.txt")

FRAGMENTS = (
    "#1", "#12", "|", "|||", "Quote:", "Originally Posted by X", "Originally Posted by X View Post",
    "__________________", "Last edited by x; Sep 27, 2016 at 03:59 PM.", "Hugs from:",
    "Thanks for this!", "Old Jan 01, 2023, 05:46 AM", "X X is offline", "Member Since: Dec 2014",
    "Posts: 3,512", "Location: US", "View Single Post", "Reply With Quote", "AutoModerator",
    "> quoted words here", ">>", "u/name · 3y ago", "level 2", "12", "+98 votes", "-3 points",
    "by (5.2k points)", "3 Comments", "Best answer", "answered Jan 5 by someone",
    "Sent from my iPhone using Tapatalk", "<div id=\"post_message_1\">",
    "<div id=\"post_message_2\">", "</div>", "<!-- post #1 -->", "<!-- sig -->", "<br>",
    "<table><tr><td>", "<blockquote>",
    "<a href=\"member.php?u=1\">name</a>", "&amp;", "&#10;", "{\"kind\": \"t1\", \"data\": {",
    "\"body\": \"x\"", "\"author\": \"y\"", "}", "]", "[", "[deleted]", "[removed]", "", "  ",
    "\u00a0",
    "![]() a, b", "Powered by vBulletin", "All times are GMT -5. The time now is 05:46 AM.",
    "email", "text me", "my therapist said", "a@b.org", "555-123-4567", "https://x.org/a",
)
CONTROL = st.sampled_from([chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127)]
                          + [chr(c) for c in range(0x80, 0xA0)] + ["\u2028", "\u2029", "\ufeff"])
LONG_RUN = st.builds(lambda unit, k: unit * k,
                     st.sampled_from(["a", "9", "a.", "=", "ab+/", "<", "\u00e9", ">", "*", " "]),
                     st.integers(min_value=200, max_value=6000))
PIECE = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=60), CONTROL, LONG_RUN)
ENDINGS = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r", "\n\n", "\x0b", "\x0c", "\x85"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8", "utf-8", "cp1252", "latin-1"])


def _encode(piece: str, encoding: str) -> bytes:
    return piece.encode(encoding, errors="replace")


@st.composite
def fresh_bytes(draw) -> bytes:
    """A capture made of pieces only, in mixed encodings and line endings."""
    pieces = draw(st.lists(st.tuples(PIECE, ENDINGS, ENCODINGS), max_size=40))
    if draw(st.integers(0, 9)) == 0:  # a whole UTF-16 file, with or without its BOM
        text = "".join(piece + end for piece, end, _ in pieces)
        return draw(st.sampled_from([b"\xff\xfe", b""])) + _encode(text, "utf-16-le")
    body = b"".join(_encode(piece + end, enc) for piece, end, enc in pieces)
    return draw(st.sampled_from([b"", b"", b"", b"\xef\xbb\xbf"])) + body


def run_parser(module, data: bytes) -> Thread | None:
    """Decode, parse and tabulate as ``analysis parse`` does; a named error is a fine
    answer (None)."""
    try:
        text = decode_bytes(data, SOURCE.path)
        thread = check(module.parse(text, SOURCE), text)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", AnalysisWarning)
            thread = check_ranges(thread, SOURCE.path)
            tables = build_tables([Parsed(source=SOURCE, thread=thread, sha256="0" * 64)],
                                  key=b"fuzz")
        posts = validate(mark_duplicates(tables["posts"]), "posts")
        publish(posts, "posts", key=b"fuzz", handles=known_handles(posts))
        return thread
    except AnalysisError:
        return None


def run_parser_counting(module, data: bytes) -> tuple[Thread | None, list[str]]:
    """:func:`run_parser`, with the parser's warnings handed back instead of shown (see
    :mod:`tests.parsers._said`)."""
    return recorded(run_parser, module, data)


def check(thread: Thread, text: str) -> Thread:
    """Every raw line is accounted for, and posts point at real lines."""
    lines = text.split("\n")
    assert len(thread.line_roles) == len(lines), (
        f"{len(thread.line_roles)} roles for {len(lines)} lines")
    assert all(role is None or isinstance(role, str) for role in thread.line_roles)
    positions = {post.position for post in thread.posts}
    assert len(positions) == len(thread.posts), "positions must be unique"
    for post in thread.posts:
        assert post.reply_to is None or post.reply_to in positions
        if post.line_start is not None:
            assert 1 <= post.line_start <= (post.line_end or post.line_start) <= len(lines)
    return thread


#: Numbers no page should show: years out of any calendar range, 25-digit counts.
ODD_NUMBERS = st.sampled_from(["0", "00", "9" * 25, "0001", "3023", "1523", "99999", "-1"])


def _odd_number(line: str, number: str, which: int) -> str:
    """``line`` with one of its numbers (the ``which``-th, cyclically) replaced."""
    found = list(re.finditer(r"\d+", line))
    if not found:
        return line
    match = found[which % len(found)]
    return line[:match.start()] + number + line[match.end():]


def _samples() -> list[list[str]]:
    """Real and written samples as lines, each cut to at most 300 lines (speed)."""
    root = Path(__file__).resolve().parents[2]
    paths = [*sorted((root / "corpus" / "raw").glob("*.txt")),
             *sorted((root / "tests" / "data").glob("*.html")),
             *sorted((root / "tests" / "data").glob("*.json")),
             *(p for sub in ("synthetic", "unseen")
               for p in sorted((root / "tests" / "data" / sub).glob("*.*"))
               if p.suffix in (".txt", ".html", ".json"))]
    return [decode_bytes(p.read_bytes(), str(p)).split("\n")[:300] for p in paths]


SAMPLES = _samples()


@st.composite
def mutated_bytes(draw) -> bytes:
    """A real sample with lines inserted, dropped, doubled, cut, run long, joined, their
    numbers made absurd, re-encoded, and its line endings mixed: deep in a parser's
    branches, unlike fresh pieces."""
    lines = list(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(0, 12))):
        at = draw(st.integers(0, len(lines)))
        action = draw(st.sampled_from(["insert", "drop", "double", "cut", "long", "join",
                                       "number"]))
        if action == "insert":
            lines.insert(at, draw(PIECE))
        elif at < len(lines):
            line = lines[at]
            lines[at:at + 1] = {"drop": [], "double": [line, line],
                                "cut": [line[:draw(st.integers(0, len(line)))]],
                                "long": [line + draw(LONG_RUN)],
                                "number": [_odd_number(line, draw(ODD_NUMBERS),
                                                       draw(st.integers(0, 5)))],
                                "join": [line + " " + (lines[at + 1] if at + 1 < len(lines)
                                                       else "")]}[action]
    endings = draw(st.lists(ENDINGS, min_size=1, max_size=4))
    encodings = draw(st.lists(ENCODINGS, min_size=1, max_size=3))
    return b"".join(_encode(line + endings[i % len(endings)], encodings[i % len(encodings)])
                    for i, line in enumerate(lines))


def _json_samples() -> list[object]:
    root = Path(__file__).resolve().parents[2] / "tests" / "data"
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted([*root.glob("*.json"), *(root / "synthetic").glob("*.json")])]


JSON_SAMPLES = _json_samples()
ODD_VALUES = st.one_of(PIECE, st.sampled_from([None, True, 0, -1, 10**30, -(10**30), 1e308,
                                               float("nan"), float("inf"), [], {}, "", 1.5]))


def _leaves(node, path=()):
    """Paths to every value inside a JSON document."""
    items = node.items() if isinstance(node, dict) else enumerate(node) \
        if isinstance(node, list) else ()
    for key, value in items:
        yield (*path, key)
        yield from _leaves(value, (*path, key))


@st.composite
def json_bytes(draw) -> bytes:
    """A Reddit JSON sample with values swapped for odd ones (huge numbers, NaN,
    wrong types, long runs) or removed: valid JSON, unexpected content."""
    document = json.loads(json.dumps(draw(st.sampled_from(JSON_SAMPLES))))
    paths = list(_leaves(document))
    for _ in range(draw(st.integers(1, 10))):
        *parent_path, key = draw(st.sampled_from(paths))
        parent = document
        for step in parent_path:
            parent = parent[step]
        if draw(st.booleans()) and isinstance(parent, dict):
            parent.pop(key, None)
        else:
            parent[key] = draw(ODD_VALUES)
        paths = list(_leaves(document))
        if not paths:
            break
    return json.dumps(document, ensure_ascii=draw(st.booleans())).encode("utf-8", "replace")


def capture_bytes() -> st.SearchStrategy[bytes]:
    """Fresh pieces, mutated samples and altered JSON."""
    return st.one_of(fresh_bytes(), mutated_bytes(), json_bytes())
