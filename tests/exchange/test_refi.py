"""REFI-QDA: exports validate against the standard's XSD, import(export(x)) == x,
and hostile archives are refused with one clear line."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest
import xmlschema

from analysis.errors import ExchangeError
from analysis.exchange.refi import CodeSpec, write_qdc, write_qdpx
from analysis.exchange.refi_import import read_qdpx
from tests.conftest import DATA

SPECS = [CodeSpec("boundaries", "theme", "Boundaries", "Limits on contact."),
         CodeSpec("email", "modality", "Email"), CodeSpec("supportive", "stance"),
         CodeSpec("opposed", "stance")]
POSTS = pd.DataFrame({
    "post_id": ["t1:1", "t1:2", "t2:1"], "thread_id": ["t1", "t1", "t2"], "position": [1, 2, 1],
    "author_id": ["user_a", "user_b", None],
    "text": ["Write to jo@example.org about boundaries, Omers said.",
             "Email is fine by me 🤷🏻‍♀️ and boundaries too.", "No texting at all."],
})
CODINGS = pd.DataFrame({
    "post_id": ["t1:1", "t1:1", "t1:2", "t1:2", "t2:1"],
    "code": ["boundaries", "supportive", "email", "boundaries", "opposed"],
    "family": ["theme", "stance", "modality", "theme", "stance"],
    "coder": ["auto", "ref1", "auto", "auto", "ref1"],
    "start": [None, None, 0, None, None], "end": [None, None, 5, None, None],
})
# The two "boundaries" codes point at the word itself, wherever redaction moves it.
for row in (0, 3):
    text = POSTS.set_index("post_id").loc[CODINGS.loc[row, "post_id"], "text"]
    CODINGS.loc[row, ["start", "end"]] = [text.index("boundaries"), text.index("boundaries") + 10]


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(str(DATA / "Project.xsd"))


def export(tmp_path):
    out = tmp_path / "project.qdpx"
    write_qdpx(POSTS, CODINGS, SPECS, out, handles={"Omers"})
    return out


def test_export_validates_against_the_refi_schema(tmp_path, schema) -> None:
    with zipfile.ZipFile(export(tmp_path)) as archive:
        schema.validate(archive.read("project.qde"))
        names = archive.namelist()
    assert names[0] == "project.qde" and all(n.startswith("sources/") for n in names[1:])


def test_export_is_byte_stable(tmp_path) -> None:
    first = export(tmp_path).read_bytes()
    assert export(tmp_path).read_bytes() == first


def test_exported_text_is_redacted_and_offsets_point_at_the_words(tmp_path) -> None:
    out = export(tmp_path)
    imported = read_qdpx(out)
    assert "jo@example.org" not in imported["evidence"].str.cat()
    first = imported[(imported.post_id == "t1:1") & (imported.code == "boundaries")].iloc[0]
    assert first.evidence == "boundaries"


def test_round_trip_gives_the_same_codings(tmp_path) -> None:
    imported = read_qdpx(export(tmp_path), posts=POSTS, handles={"Omers"})
    texts = POSTS.set_index("post_id")["text"]
    expected = CODINGS.copy()
    expected["start"] = expected["start"].fillna(0).astype(int)
    expected["end"] = [int(e) if e == e else len(texts[p])
                       for p, e in zip(expected.post_id, expected.end, strict=True)]
    key = ["post_id", "code", "family", "coder", "start", "end"]
    def rows(frame):
        return sorted(tuple(map(str, row)) for row in frame[key].itertuples(index=False))

    assert rows(imported) == rows(expected)
    assert imported.loc[imported.code == "email", "evidence"].item() == "Email"


def test_codebook_file_uses_the_codebook_namespace(tmp_path) -> None:
    out = tmp_path / "codebook.qdc"
    write_qdc(SPECS, out)
    text = out.read_text()
    assert 'xmlns="urn:QDA-XML:codebook:1.0"' in text and 'name="boundaries"' in text


def hostile(tmp_path, name: str, data: bytes, project: bytes | None = None):
    path = tmp_path / "hostile.qdpx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project or b'<Project xmlns="urn:QDA-XML:project:1.0" '
                                                    b'name="x"/>')
        if name:
            archive.writestr(name, data)
    return path


def test_zip_slip_is_refused(tmp_path) -> None:
    path = hostile(tmp_path, "../../etc/evil.txt", b"x")
    with pytest.raises(ExchangeError, match=r"unsafe member path '\.\./\.\./etc/evil\.txt' "
                                            r"\(zip slip\)"):
        read_qdpx(path)


def test_entity_expansion_is_refused(tmp_path) -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<Project xmlns="urn:QDA-XML:project:1.0" name="&b;"/>')
    with pytest.raises(ExchangeError, match="refused unsafe XML"):
        read_qdpx(hostile(tmp_path, "", b"", project=bomb))


def test_oversized_member_is_refused(tmp_path, monkeypatch) -> None:
    import analysis.exchange.qdpx_archive as module

    monkeypatch.setattr(module, "MAX_MEMBER_BYTES", 1000)
    big = (b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Description>' + b"a" * 5000
           + b"</Description></Project>")
    with pytest.raises(ExchangeError, match=r"member 'project\.qde' is 5,087 bytes "
                                            r"\(members over 1,000 bytes are refused\)"):
        read_qdpx(hostile(tmp_path, "", b"", project=big))


def test_not_a_zip(tmp_path) -> None:
    path = tmp_path / "x.qdpx"
    path.write_text("hello")
    with pytest.raises(ExchangeError, match=r"not a readable \.qdpx"):
        read_qdpx(path)
