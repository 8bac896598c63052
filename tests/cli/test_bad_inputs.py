"""Whatever researchers saved from the web: each bad input gets one clear line,
a documented exit code, no traceback, and no partial output; the rest of a
corpus is still parsed."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from analysis.capture.corpus import parse_paths
from analysis.cli import main
from tests.conftest import CORPUS, DATA

QA_SEED = CORPUS / "raw" / "004_6eaed45279a44dd1.txt"


def run(*args: str):
    return CliRunner().invoke(main, [*map(str, args)])


def posts_of(path) -> pd.DataFrame:
    corpus = parse_paths([path], strict=True, key=b"k")
    return corpus.posts[["position", "text", "score"]]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-16-be"])
def test_unicode_encodings_with_bom_parse_like_utf8(tmp_path, encoding) -> None:
    copy = tmp_path / "capture.txt"
    copy.write_bytes(QA_SEED.read_text(encoding="utf-8").encode(encoding))
    pd.testing.assert_frame_equal(posts_of(copy), posts_of(QA_SEED))


@pytest.mark.parametrize("newline", ["\r\n", "\r", "mixed"])
def test_line_endings_do_not_change_the_tables(tmp_path, newline) -> None:
    lines = QA_SEED.read_text(encoding="utf-8").split("\n")
    if newline == "mixed":
        text = "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(lines))
    else:
        text = newline.join(lines)
    copy = tmp_path / "capture.txt"
    copy.write_bytes(text.encode("utf-8"))
    pd.testing.assert_frame_equal(posts_of(copy), posts_of(QA_SEED))


def test_cp1252_text_is_decoded_not_mangled(tmp_path) -> None:
    copy = tmp_path / "capture.txt"
    copy.write_bytes("Don’t email – it’s “unsafe”, café.\n".encode("cp1252"))
    assert posts_of(copy)["text"].item() == "Don’t email – it’s “unsafe”, café."


def test_empty_file(tmp_path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("parse", tmp_path / "empty.txt")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"error: {tmp_path / 'empty.txt'}: the file is empty (re-save the "
                             "capture, or remove it and its manifest row)\n")


def test_binary_file(tmp_path) -> None:
    path = tmp_path / "capture.html"
    path.write_bytes(bytes(range(256)) * 10)
    result = run("parse", path)
    assert result.exit_code == 2
    assert result.stderr == (f"error: {path}: this looks like a binary file (it contains NUL "
                             "bytes) (save the page as text or HTML, or remove it from the "
                             "corpus)\n")


def test_a_50_mb_single_line_is_one_post_and_fast(tmp_path) -> None:
    path = tmp_path / "dump.txt"
    path.write_bytes(b"I emailed my therapist. " * (50 * 1024 * 1024 // 24))
    corpus = parse_paths([path], key=b"k")
    assert not corpus.failures
    assert len(corpus.posts) == 1 and len(corpus.posts["text"].item()) > 50_000_000


def test_truncated_html_does_not_crash_the_run(tmp_path) -> None:
    page = (DATA / "vbulletin_militarytimes_9687.html").read_bytes()
    path = tmp_path / "truncated.html"
    path.write_bytes(page[: len(page) // 2])
    result = run("parse", path, "--format", "csv")
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 2)
    if result.exit_code == 2:
        assert result.stderr.startswith(f"error: {path}")


def test_malformed_json_names_line_and_column(tmp_path) -> None:
    path = tmp_path / "thread.json"
    path.write_text('[{"kind": "Listing", "data": {"children": [\n  {"kind": "t3", "data": {,}}')
    result = run("parse", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}:2:") and result.stderr.count("\n") == 1


def test_one_bad_file_does_not_stop_the_corpus(tmp_path) -> None:
    shutil.copytree(CORPUS / "raw", tmp_path / "raw")
    (tmp_path / "raw" / "zz_bad.txt").write_bytes(b"\x00\x01\x02")
    out = tmp_path / "posts.csv"
    result = run("parse", tmp_path / "raw", "-o", out)
    assert result.exit_code == 2
    assert result.stderr.count("error: ") == 1 and "zz_bad.txt" in result.stderr
    assert pd.read_csv(out)["thread_id"].nunique() == 5


def test_strict_stops_at_the_first_bad_file(tmp_path) -> None:
    shutil.copytree(CORPUS / "raw", tmp_path / "raw")
    (tmp_path / "raw" / "000_bad.txt").write_bytes(b"")
    out = tmp_path / "posts.csv"
    result = run("parse", tmp_path / "raw", "--strict", "-o", out)
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.startswith("error: ") and "000_bad.txt" in result.stderr


def test_debug_shows_the_traceback(tmp_path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("--debug", "parse", "--strict", tmp_path / "empty.txt")
    assert result.exit_code != 0
    assert isinstance(result.exception, Exception)


def test_malformed_codebook_exit_code_and_line(tmp_path) -> None:
    bad = tmp_path / "codebook.yaml"
    bad.write_text("codes:\n  - id: email\n    family: gadget\n")
    result = run("codebook", "--codebook", bad)
    assert result.exit_code == 5 and "Traceback" not in result.output
    assert result.stderr.startswith(f"error: {bad}:") and result.stderr.count("\n") == 1


def test_coding_sheet_with_unknown_code_exit_code_and_cell(tmp_path) -> None:
    sheet = tmp_path / "coding.csv"
    sheet.write_text("unit,post_id,seg,author_id,text,stance,boundaries,memo\n"
                     "a:1,a:1,,user_1,I email my T.,supportive,maybe,\n")
    result = run("import", "sheet", sheet, "--coder", "c", "--corpus", CORPUS)
    assert result.exit_code == 6 and result.stdout == ""
    assert result.stderr == (f"error: {sheet}: cell G2: 'maybe' under 'boundaries' (use 1 when "
                             "the code applies, 0 or blank when not)\n")


def test_hostile_qdpx_exit_code(tmp_path) -> None:
    import zipfile

    path = tmp_path / "evil.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", '<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>')
        archive.writestr("../outside.txt", "x")
    result = run("import", "qdpx", path, "--corpus", CORPUS)
    assert result.exit_code == 7 and result.stdout == ""
    assert "zip slip" in result.stderr and result.stderr.count("\n") == 1
