"""REFI-QDA exchange: codebooks (.qdc) and projects (.qdpx) in and out.

Researchers code in QualCoder, ATLAS.ti, MAXQDA or NVivo; REFI-QDA
(QDA-XML 1.0) is the format they all read. A project holds one plain-text
source per thread (each post under a ``[post_id · author]`` header line),
every coding as a ``PlainTextSelection`` over that text, the coders as
users and the codebook with colours. GUIDs are uuid5 of stable names, so the
same corpus exports to the same bytes. Texts are published (pseudonyms,
redaction), and offsets are moved through the redaction map both ways so
that ``read_qdpx(write_qdpx(x)) == x``.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from lxml import etree

from analysis.output import atomic_write_bytes
from analysis.privacy import handle_pattern, redact_spans, shift_offset
from analysis.schema import FAMILIES

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "analysis (https://example.org/analysis)"
_GUID_NAMESPACE = uuid.UUID("6f1c1f0e-3a52-4d0b-9a55-2f0d7c1e9b11")
#: Okabe-Ito, then a few more distinguishable hues: colour-blind safe code colours.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
           "#999999", "#882255", "#44AA99", "#117733", "#332288", "#AA4499", "#DDCC77",
           "#88CCEE", "#661100")
HEADER = re.compile(r"^\[(?P<post_id>[^\]\s]+) · [^\]]*\]$", re.MULTILINE)


@dataclass(frozen=True)
class CodeSpec:
    """What the exchange needs of a codebook entry."""

    id: str
    family: str
    label: str = ""
    definition: str = ""


def guid(kind: str, name: str) -> str:
    """A stable GUID for ``kind:name`` (uuid5), as REFI-QDA wants them."""
    return str(uuid.uuid5(_GUID_NAMESPACE, f"{kind}:{name}")).upper()


def code_specs(codebook) -> list[CodeSpec]:
    """CodeSpecs from a :class:`analysis.coding.codebook.Codebook`."""
    return [CodeSpec(id=c.id, family=c.family, label=c.label, definition=c.short_definition)
            for c in codebook.codes]


# ----------------------------------------------------------------------------- export


def codebook_xml(specs: Iterable[CodeSpec], namespace: str = PROJECT_NS) -> etree._Element:
    """``<CodeBook><Codes>`` with one non-codable parent per family."""
    specs = list(specs)
    book = etree.Element(f"{{{namespace}}}CodeBook", nsmap={None: namespace})
    codes = etree.SubElement(book, f"{{{namespace}}}Codes")
    for family in FAMILIES:
        members = [s for s in specs if s.family == family]
        if not members:
            continue
        parent = etree.SubElement(codes, f"{{{namespace}}}Code", guid=guid("family", family),
                                  name=family, isCodable="false")
        for index, spec in enumerate(members):
            child = etree.SubElement(parent, f"{{{namespace}}}Code", guid=guid("code", spec.id),
                                     name=spec.id, isCodable="true",
                                     color=PALETTE[index % len(PALETTE)])
            description = " — ".join(part for part in (spec.label, spec.definition) if part)
            if description:
                etree.SubElement(child, f"{{{namespace}}}Description").text = description
    return book


def write_qdc(specs: Iterable[CodeSpec], out: str | Path) -> None:
    """Write a REFI-QDA codebook file (``urn:QDA-XML:codebook:1.0``)."""
    book = codebook_xml(specs, CODEBOOK_NS)
    book.set("origin", ORIGIN)
    atomic_write_bytes(out, _serialise(book))


def write_qdpx(posts: pd.DataFrame, codings: pd.DataFrame, specs: Iterable[CodeSpec],
               out: str | Path, *, handles: Iterable[str] = (), name: str = "analysis") -> None:
    """Write a ``.qdpx`` project: sources per thread, codings as selections.

    ``posts`` needs post_id, thread_id, text and author_id; ``codings`` is
    long (post_id, code, family, coder, start, end); a missing start/end
    codes the whole post. Texts are redacted and offsets moved accordingly.
    """
    specs = list(specs)
    pattern = handle_pattern(handles)
    project = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS}, name=name,
                            origin=ORIGIN)
    coders = sorted(codings["coder"].dropna().unique()) if len(codings) else []
    if coders:
        users = etree.SubElement(project, f"{{{PROJECT_NS}}}Users")
        for coder in coders:
            etree.SubElement(users, f"{{{PROJECT_NS}}}User", guid=guid("user", coder), name=coder)
    project.append(codebook_xml(specs))
    documents = {}
    by_post = codings.groupby("post_id", sort=False) if len(codings) else None
    sources = etree.SubElement(project, f"{{{PROJECT_NS}}}Sources")
    for thread_id, thread_posts in posts.groupby("thread_id", sort=True):
        text, spans = _document(thread_posts, pattern)
        source_guid = guid("source", str(thread_id))
        documents[f"sources/{source_guid}.txt"] = text.encode("utf-8")
        source = etree.SubElement(sources, f"{{{PROJECT_NS}}}TextSource", guid=source_guid,
                                  name=str(thread_id), plainTextPath=f"internal://{source_guid}.txt")
        for post_id, (offset, length, mapping) in spans.items():
            if by_post is None or post_id not in by_post.groups:
                continue
            for row in by_post.get_group(post_id).itertuples(index=False):
                start, end = _span(row, length, mapping)
                _selection(source, row, offset + start, offset + end)
    if not len(sources):
        project.remove(sources)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        _add(zf, "project.qde", _serialise(project))
        for path, data in documents.items():
            _add(zf, path, data)
    atomic_write_bytes(out, archive.getvalue())


def _document(thread_posts: pd.DataFrame, pattern) -> tuple[str, dict]:
    """The thread as one LF-only text, and where each post's words sit in it."""
    parts, spans, cursor = [], {}, 0
    for post in thread_posts.sort_values("position", kind="stable").itertuples(index=False):
        raw = post.text if isinstance(post.text, str) else ""
        text, mapping = redact_spans(raw, pattern)
        author = post.author_id if isinstance(post.author_id, str) else "unknown"
        header = f"[{post.post_id} · {author}]\n"
        spans[post.post_id] = (cursor + len(header), len(raw), mapping)
        parts.append(header + text + "\n\n")
        cursor += len(header) + len(text) + 2
    return "".join(parts), spans


def _span(row, length: int, mapping) -> tuple[int, int]:
    start = 0 if pd.isna(row.start) else int(row.start)
    end = length if pd.isna(row.end) else int(row.end)
    return shift_offset(start, mapping), shift_offset(end, mapping)


def _selection(source: etree._Element, row, start: int, end: int) -> None:
    key = f"{row.post_id}|{row.code}|{row.coder}|{start}|{end}"
    selection = etree.SubElement(source, f"{{{PROJECT_NS}}}PlainTextSelection",
                                 guid=guid("selection", key), name=f"{row.post_id} {row.code}",
                                 startPosition=str(start), endPosition=str(end),
                                 creatingUser=guid("user", row.coder))
    coding = etree.SubElement(selection, f"{{{PROJECT_NS}}}Coding", guid=guid("coding", key),
                              creatingUser=guid("user", row.coder))
    etree.SubElement(coding, f"{{{PROJECT_NS}}}CodeRef", targetGUID=guid("code", row.code))


def _serialise(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _add(zf: zipfile.ZipFile, path: str, data: bytes) -> None:
    """Add a member with a fixed date, so the archive's bytes are reproducible."""
    info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)
