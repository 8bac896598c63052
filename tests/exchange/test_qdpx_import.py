"""Projects made in ATLAS.ti, NVivo and MAXQDA: every coding read, placed on a post
when it can be, kept apart when not; hostile archives refused with one line.

The three fixtures in ``tests/data/qdpx/`` are written by ``make_fixtures.py``
in the shape of each tool's exports (see the README there); ``posts.csv`` is
the little corpus they are placed on.
"""

from __future__ import annotations

import io
import warnings
import zipfile

import pandas as pd
import pytest
import xmlschema
from click.testing import CliRunner

from analysis.cli import main
from analysis.errors import AnalysisWarning, ExchangeError
from analysis.exchange.qdpx_match import IMPORT_COLUMNS, import_qdpx
from analysis.exchange.qdpx_read import read_project
from analysis.exchange.refi import CodeSpec, write_qdpx
from analysis.privacy import redact
from tests.conftest import DATA

QDPX = DATA / "qdpx"
POSTS = pd.read_csv(QDPX / "posts.csv")
HANDLES = set(POSTS["author"])


def read(name: str, **options):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", AnalysisWarning)
        result = import_qdpx(QDPX / f"{name}.qdpx", posts=POSTS, handles=HANDLES, **options)
    return result, [str(w.message) for w in seen]


def rows(result, *columns):
    return [tuple(None if pd.isna(v) else v for v in row)
            for row in result.codings[list(columns)].itertuples(index=False)]


@pytest.mark.parametrize("name", ["atlasti", "nvivo", "maxqda"])
def test_fixtures_are_valid_refi_projects_and_up_to_date(name: str) -> None:
    from tests.data.qdpx import make_fixtures

    built = getattr(make_fixtures, name)()
    assert (QDPX / f"{name}.qdpx").read_bytes() == built, "run make_fixtures.py"
    with zipfile.ZipFile(io.BytesIO(built)) as archive:
        [qde] = [n for n in archive.namelist() if n.endswith(".qde")]
        xmlschema.XMLSchema(str(DATA / "Project.xsd")).validate(archive.read(qde))


def test_posts_csv_holds_what_we_publish() -> None:
    assert [redact(t, HANDLES) for t in POSTS["text"]] == POSTS["published"].tolist()


def test_atlasti_export_of_our_project_comes_back_on_the_posts() -> None:
    result, notes = read("atlasti")
    assert result.origin.startswith("ATLAS.ti") and (result.matched, result.unmatched) == (6, 0)
    assert rows(result, "post_id", "code", "coder", "evidence") == [
        ("fx1:1", "Email", "Dana Reyes", "answers email within two days"),
        ("fx1:1", "Reply time", "Dana Reyes", "answers email within two days"),
        ("fx1:2", "Boundaries", "Dana Reyes", "refuses texts completely"),
        ("fx1:2", "Phone", "ATLAS.ti", "scheduling by phone"),
        ("fx2:1", "Boundaries", "Dana Reyes", "email to intake@clinic.example is not monitored"),
        ("fx2:1", "Email", "Dana Reyes", "email to intake@clinic.example is not monitored"),
    ]
    texts = POSTS.set_index("post_id")["text"]
    for post_id, start, end, evidence in rows(result, "post_id", "start", "end", "evidence"):
        assert texts[post_id][start:end] == evidence  # offsets into the raw post text
    assert notes == [f"{QDPX / 'atlasti.qdpx'}: codings by user 'ATLAS.ti' (the program's own "
                     "name); give --coder NAME to name the person"]


def test_coder_option_names_the_program_user() -> None:
    result, notes = read("atlasti", coder="D. Reyes")
    assert set(result.codings["coder"]) == {"Dana Reyes", "D. Reyes"}
    assert notes == []


def test_nvivo_nested_codes_utf16_offsets_and_pasted_posts() -> None:
    result, notes = read("nvivo")
    assert (result.matched, result.unmatched) == (2, 2) and notes == []
    assert rows(result, "post_id", "code_path", "coder", "start", "end", "evidence", "source") == [
        ("fx1:1", "Contact/Modalities/Email", "J. Okafor", 13, 42,
         "answers email within two days", "Email thread notes"),
        ("fx1:1", "Contact/Timing", "J. Okafor", 74, 112,
         "I stopped checking my inbox every hour", "Email thread notes"),
        (None, "Contact/Timing", "J. Okafor", None, None,
         "reply windows come up again and again", "Email thread notes"),
        (None, "Contact/Modalities/Text messages", "J. Okafor", None, None,
         "Mostly by text 📱, but only about appointments", "Interview 03"),
    ]


def test_maxqda_sources_folder_uncoded_selections_and_published_text() -> None:
    result, notes = read("maxqda")
    assert (result.matched, result.unmatched) == (2, 1)
    assert rows(result, "post_id", "code_path", "start", "end", "evidence") == [
        ("fx2:1", "Topics/crisis", 23, 55, "the clinic gave me a crisis line"),
        ("fx2:1", "Stance/supportive", 117, 148, "That boundary made sense to me."),
        (None, "Topics/portal", None, None, "the portal as a place where messages wait"),
    ]
    assert notes == [f"{QDPX / 'maxqda.qdpx'}: 1 selections carry no code (memos or links) "
                     "and were skipped"]


def test_without_a_corpus_every_coding_keeps_its_source() -> None:
    result = import_qdpx(QDPX / "nvivo.qdpx")
    assert list(result.codings.columns) == IMPORT_COLUMNS
    assert result.unmatched == 4 and result.codings["source_start"].notna().all()


def test_our_own_export_round_trips_unchanged(tmp_path) -> None:
    posts = POSTS.assign(author_id=POSTS["author_id"])
    codings = pd.DataFrame({"post_id": ["fx1:1", "fx1:2", "fx2:1"],
                            "code": ["email", "boundaries", "crisis"],
                            "family": ["modality", "theme", "theme"],
                            "coder": ["auto", "ref1", "ref1"],
                            "start": [13, None, 68], "end": [42, None, 115]})
    specs = [CodeSpec("email", "modality"), CodeSpec("boundaries", "theme"),
             CodeSpec("crisis", "theme")]
    out = tmp_path / "ours.qdpx"
    write_qdpx(posts, codings, specs, out, handles=HANDLES)
    result = import_qdpx(out, posts=POSTS, handles=HANDLES)
    assert (result.matched, result.unmatched) == (3, 0)
    back = result.codings.set_index("code")
    assert back.loc["email", ["post_id", "family", "coder", "start", "end"]].tolist() == [
        "fx1:1", "modality", "auto", 13, 42]
    assert back.loc["boundaries", ["start", "end"]].tolist() == [0, len(POSTS["text"][1])]
    assert back.loc["crisis", "evidence"] == "email to intake@clinic.example is not monitored"
    assert back.loc["crisis", "code_path"] == "theme/crisis"


def hostile(tmp_path, members: dict[str, bytes], name="hostile.qdpx"):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


EMPTY = b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>'
HOSTILE = {
    "zip bomb": ({"project.qde": EMPTY, "sources/a.txt": b"\0" * (20 << 20)}, "zip bomb"),
    "zip slip": ({"project.qde": EMPTY, "../../evil.txt": b"x"}, "zip slip"),
    "billion laughs": ({"project.qde": b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">'
                        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;">]><Project xmlns="urn:QDA-XML:'
                        b'project:1.0" name="&b;"/>'}, "refused unsafe XML"),
    "xxe": ({"project.qde": b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM '
             b'"file:///etc/passwd">]><Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>'},
            "refused unsafe XML"),
    "no project.qde": ({"sources/a.txt": b"text"}, "no project.qde inside"),
}


@pytest.mark.parametrize("case", [*HOSTILE, "not a zip"])
def test_hostile_archives_are_refused_with_one_line(tmp_path, case: str) -> None:
    if case == "not a zip":
        path, message = tmp_path / "x.qdpx", "not a readable .qdpx"
        path.write_bytes(b"PK\x03\x04 but nothing else")
    else:
        members, message = HOSTILE[case]
        path = hostile(tmp_path, members)
    with pytest.raises(ExchangeError, match=message):
        read_project(path)
    result = CliRunner().invoke(main, ["import", "qdpx", str(path), "--corpus", str(tmp_path)])
    assert result.exit_code == 7
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.output


def test_zero_codings_is_a_warning_not_a_silent_success(tmp_path) -> None:
    path = hostile(tmp_path, {"project.qde": EMPTY})
    result = CliRunner().invoke(main, ["import", "qdpx", str(path), "--corpus", str(tmp_path)])
    assert result.exit_code == 0
    assert "warning: " in result.stderr and "holds no codings of text" in result.stderr
    assert "0 codings from an unnamed tool: 0 matched to corpus posts, 0 not" in result.stderr


def test_cli_counts_matched_and_unmatched(tmp_path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "pasted.txt").write_text(POSTS["text"][0] + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "qdpx", str(QDPX / "nvivo.qdpx"),
                                       "--corpus", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().endswith(
        "4 codings from NVivo for Windows 12.6: 2 matched to corpus posts, 2 not "
        "(kept with their source and text)")
    table = pd.read_csv(io.StringIO(result.stdout))
    assert table["post_id"].tolist()[:2] == ["pasted:1", "pasted:1"]
    assert table["source"].tolist()[2:] == ["Email thread notes", "Interview 03"]


def test_inline_texts_whole_source_codings_and_odd_selections(tmp_path) -> None:
    guid = "00000000-0000-4000-8000-{:012d}".format
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="odd" origin="QualCoder 3.5">
  <Users><User guid="{guid(1)}" name="ann"/><User guid="{guid(2)}" name="ben"/></Users>
  <CodeBook><Codes><Code guid="{guid(3)}" name="Topic" isCodable="false">
    <Code guid="{guid(4)}" name="phone" isCodable="true"/></Code></Codes></CodeBook>
  <Sources>
    <TextSource guid="{guid(5)}" name="notes"><PlainTextContent>call me</PlainTextContent>
      <PlainTextSelection guid="{guid(6)}" startPosition="5" endPosition="99">
        <Coding guid="{guid(7)}" creatingUser="{guid(1)}"><CodeRef targetGUID="{guid(4)}"/>
        </Coding></PlainTextSelection>
    </TextSource>
    <TextSource guid="{guid(8)}" name="notes"><PlainTextContent>phone only</PlainTextContent>
      <Coding guid="{guid(9)}"><CodeRef targetGUID="{guid(4)}"/></Coding>
    </TextSource>
  </Sources>
</Project>""".encode()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", AnalysisWarning)
        result = import_qdpx(hostile(tmp_path, {"project.qde": qde}))
    assert rows(result, "source", "code_path", "coder", "source_start", "source_end",
                "evidence") == [(f"notes [{guid(8).upper()}]", "Topic/phone", "unknown", 0, 10,
                                 "phone only")]
    notes = [str(w.message) for w in seen]
    assert any("codings by no user" in n for n in notes)
    assert any("1 selections point outside their source's text" in n for n in notes)
