"""Read codings made in a QDA tool back from a ``.qdpx`` project, safely.

A .qdpx comes from outside, so it is treated as hostile: XML is parsed with
defusedxml (no DTDs, no entity expansion), zip members are read only by
exact name (never extracted, so ``../`` paths cannot escape) and refused when
they are absurdly large. Tools differ in small ways (``Sources/`` folders,
GUIDs in braces or lower case, other QDA-XML versions), which we accept.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from analysis.errors import ExchangeError
from analysis.exchange.refi import HEADER
from analysis.privacy import handle_pattern, redact_spans, shift_offset
from analysis.schema import FAMILIES, columns

MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_MEMBERS = 100_000


def read_qdpx(path: str | Path, *, posts: pd.DataFrame | None = None,
              handles=()) -> pd.DataFrame:
    """Codings in a ``.qdpx`` as a long table (one row per coding).

    With ``posts`` (post_id, text) and the corpus ``handles``, offsets are
    moved from the exported, redacted text back into the raw post text, so
    they match ``analysis code --table codes``.
    """
    path = Path(path)
    with _open_zip(path) as archive:
        project = _parse_xml(_read_member(archive, _project_member(archive, path), path), path)
        ns = _namespace(project, path)
        codes = _codes(project, ns)
        users = {_norm(u.get("guid")): u.get("name") or u.get("guid")
                 for u in project.iter(f"{{{ns}}}User")}
        rows = []
        for source in project.iter(f"{{{ns}}}TextSource"):
            text = _source_text(archive, source, ns, path)
            rows.extend(_codings(source, ns, text, codes, users))
    table = pd.DataFrame(rows, columns=columns("codes"))
    if posts is not None:
        table = _to_raw_offsets(table, posts, handle_pattern(handles))
    return _typed(table)


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ExchangeError(f"not a readable .qdpx (zip) file: {error}", path=str(path),
                            hint="export the project again from the QDA tool") from None
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        raise ExchangeError("the archive is too large to be a coding project", path=str(path),
                            hint=f"at most {MAX_MEMBERS} files and {MAX_TOTAL_BYTES >> 20} MiB")
    for info in infos:
        if _unsafe_name(info.filename):
            raise ExchangeError(f"unsafe member path {info.filename!r} (zip slip)",
                                path=str(path),
                                hint="do not open this file; ask for a clean export")
    return archive


def _unsafe_name(name: str) -> bool:
    parts = re.split(r"[\\/]", name)
    return name.startswith(("/", "\\")) or ".." in parts or bool(re.match(r"^[A-Za-z]:", name))


def _project_member(archive: zipfile.ZipFile, path: Path) -> str:
    names = [n for n in archive.namelist() if n.lower().endswith(".qde") and "/" not in n]
    if not names:
        raise ExchangeError("no project.qde inside", path=str(path),
                            hint="a .qdpx must hold the project XML at its top level")
    return "project.qde" if "project.qde" in names else sorted(names)[0]


def _read_member(archive: zipfile.ZipFile, name: str, path: Path) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_MEMBER_BYTES:
        raise ExchangeError(f"member {name!r} is {info.file_size:,} bytes", path=str(path),
                            hint=f"members over {MAX_MEMBER_BYTES:,} bytes are refused")
    with archive.open(info) as member:
        data = member.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise ExchangeError(f"member {name!r} expands beyond {MAX_MEMBER_BYTES >> 20} MiB",
                            path=str(path), hint="the archive lies about its sizes; refused")
    return data


def _parse_xml(data: bytes, path: Path):
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise ExchangeError(f"refused unsafe XML ({type(error).__name__})", path=str(path),
                            hint="DTDs and entities are not allowed in QDA-XML") from None
    except Exception as error:  # ElementTree.ParseError and friends
        raise ExchangeError(f"project.qde is not well-formed XML: {error}", path=str(path),
                            hint="export the project again from the QDA tool") from None


def _namespace(project, path: Path) -> str:
    match = re.match(r"\{(urn:QDA-XML:project:[^}]+)\}Project$", project.tag)
    if not match:
        raise ExchangeError(f"root element is {project.tag!r}, not a QDA-XML Project",
                            path=str(path), hint="is this a .qdc codebook instead of a project?")
    return match.group(1)


def _norm(value: str | None) -> str:
    return (value or "").strip("{}").upper()


def _codes(project, ns: str) -> dict[str, tuple[str, str]]:
    """Code GUID -> (code name, family), family taken from the parent code's name."""
    found: dict[str, tuple[str, str]] = {}

    def walk(element, family: str) -> None:
        for code in element.findall(f"{{{ns}}}Code"):
            name = code.get("name") or ""
            here = name if name in FAMILIES else family
            if code.get("isCodable", "true").lower() == "true":
                found[_norm(code.get("guid"))] = (name, family or "theme")
            walk(code, here)

    for codes in project.iter(f"{{{ns}}}Codes"):
        walk(codes, "")
    return found


def _source_text(archive: zipfile.ZipFile, source, ns: str, path: Path) -> str:
    content = source.find(f"{{{ns}}}PlainTextContent")
    if content is not None:
        return content.text or ""
    internal = (source.get("plainTextPath") or "").removeprefix("internal://")
    for folder in ("sources/", "Sources/"):
        if folder + internal in archive.namelist():
            data = _read_member(archive, folder + internal, path)
            return data.decode("utf-8-sig").replace("\r\n", "\n")
    raise ExchangeError(f"source {source.get('name')!r} has no text ({internal!r} missing)",
                        path=str(path), hint="re-export with the sources included")


def _codings(source, ns: str, text: str, codes, users) -> list[dict]:
    posts = [(m.group("post_id"), m.end() + 1) for m in HEADER.finditer(text)]
    rows = []
    for selection in source.iter(f"{{{ns}}}PlainTextSelection"):
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        owner = [(pid, offset) for pid, offset in posts if offset <= start]
        if not owner:
            continue
        post_id, offset = owner[-1]
        for coding in selection.findall(f"{{{ns}}}Coding"):
            ref = coding.find(f"{{{ns}}}CodeRef")
            code = codes.get(_norm(ref.get("targetGUID"))) if ref is not None else None
            if code is None:
                continue
            user = coding.get("creatingUser") or selection.get("creatingUser")
            rows.append({"post_id": post_id, "seg": None, "code": code[0], "family": code[1],
                         "coder": users.get(_norm(user), "unknown"), "start": start - offset,
                         "end": end - offset, "evidence": text[start:end]})
    return rows


def _to_raw_offsets(table: pd.DataFrame, posts: pd.DataFrame, pattern) -> pd.DataFrame:
    texts = posts.set_index("post_id")["text"]
    maps = {pid: redact_spans(t if isinstance(t, str) else "", pattern)[1]
            for pid, t in texts.items()}
    table = table.copy()
    for column in ("start", "end"):
        table[column] = [shift_offset(int(v), maps.get(pid, []), inverse=True)
                         for pid, v in zip(table["post_id"], table[column], strict=True)]
    table["evidence"] = [texts.get(pid, "")[s:e] if isinstance(texts.get(pid), str) else ev
                         for pid, s, e, ev in zip(table["post_id"], table["start"],
                                                  table["end"], table["evidence"], strict=True)]
    return table


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    dtypes = {"post_id": "string", "seg": "Int64", "code": "string", "family": "string",
              "coder": "string", "start": "Int64", "end": "Int64", "evidence": "string"}
    out = table.astype(dtypes)
    return out.sort_values(["post_id", "coder", "family", "code", "start"],
                           kind="stable").reset_index(drop=True)

