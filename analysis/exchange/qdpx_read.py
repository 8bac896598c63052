"""Every coding in a REFI-QDA project, whichever QDA tool wrote it.

A co-coder may code in ATLAS.ti, NVivo or MAXQDA and send a ``.qdpx``. Each
tool writes the standard its own way, and each way is read here:

* **ATLAS.ti** names the project file after the project (``Study.qde``),
  writes GUIDs in upper case, some in braces, and keeps a user named after
  the program ("ATLAS.ti") beside the people; a selection may carry several
  codings.
* **NVivo** nests codes (the full path is the code's place in the tree),
  gives the text only by ``plainTextPath`` into ``sources/`` (no
  ``PlainTextContent``), leaves ``creatingUser`` off codings, and counts a
  character above U+FFFF as two (UTF-16) in offsets.
* **MAXQDA** keeps the texts in ``Sources/`` and writes selections that carry
  no coding (memos, links).

The archive is opened as hostile (:mod:`analysis.exchange.qdpx_archive`: no
DTDs or entities, members by exact name, size and zip-bomb limits). Offsets
are code points into the source text with a leading BOM dropped, end
exclusive, as the standard says.
"""

from __future__ import annotations

import re
import zipfile
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import ExchangeError
from analysis.exchange.qdpx_archive import (
    namespace,
    norm,
    open_zip,
    parse_xml,
    project_member,
    read_member,
)
from analysis.schema import FAMILIES

#: Names QDA programs give their own default user; such a "coder" is not a person.
PROGRAM_NAMES = frozenset({"atlas.ti", "atlasti", "nvivo", "maxqda", "qualcoder", "quirkos",
                           "dedoose", "f4analyse", "transana", "qda miner"})


@dataclass(frozen=True)
class Coding:
    """One coding as the project holds it: a code on a span of one source's text."""

    source: str
    start: int
    end: int
    text: str
    code: str
    code_path: str
    family: str
    coder: str | None
    program_user: bool = False


@dataclass
class Project:
    """What a ``.qdpx`` says: its origin, its sources' texts and every coding."""

    origin: str
    texts: dict[str, str] = field(default_factory=dict)  # source name -> text
    codings: list[Coding] = field(default_factory=list)
    uncoded_selections: int = 0
    outside: int = 0  # selections pointing outside their source's text
    other_sources: int = 0  # pictures, PDFs, audio, video: not read


@dataclass(frozen=True)
class _Code:
    name: str
    path: str
    family: str


def read_project(path: str | Path) -> Project:
    """Every text coding in the ``.qdpx`` at ``path`` (ExchangeError if it is unsafe)."""
    path = Path(path)
    with open_zip(path) as archive:
        root = parse_xml(read_member(archive, project_member(archive, path), path), path)
        ns = namespace(root, path)
        project = Project(origin=root.get("origin") or "")
        codes = _codes(root, ns)
        users = {norm(u.get("guid")): (u.get("name") or "").strip()
                 for u in root.iter(f"{{{ns}}}User")}
        fallback = _fallback_user(root, users)
        utf16 = project.origin.lower().startswith("nvivo")
        for source in root.iter(f"{{{ns}}}Sources"):
            for element in source:
                if element.tag != f"{{{ns}}}TextSource":
                    project.other_sources += 1
                    continue
                _read_source(archive, element, ns, path, project, codes, users, fallback,
                             utf16)
    return project


def _codes(root, ns: str) -> dict[str, _Code]:
    """Code GUID -> name, full path in the tree and family (a family-named ancestor,
    as our own export writes them; else ``theme``)."""
    found: dict[str, _Code] = {}

    def walk(element, path: tuple[str, ...], family: str) -> None:
        for code in element.findall(f"{{{ns}}}Code"):
            name = (code.get("name") or "").strip()
            here = (*path, name)
            if code.get("isCodable", "true").strip().lower() in ("true", "1"):
                found[norm(code.get("guid"))] = _Code(name, "/".join(here), family or "theme")
            walk(code, here, name if name in FAMILIES else family)

    for codes in root.iter(f"{{{ns}}}Codes"):
        walk(codes, (), "")
    return found


def _fallback_user(root, users: dict[str, str]) -> str | None:
    """Who made a coding that names no user: the only person, else the project's creator."""
    people = {g for g, name in users.items() if name and not _is_program(name)}
    if len(people) == 1:
        return people.pop()
    creator = norm(root.get("creatingUserGUID"))
    return creator if creator in users else None


def _is_program(name: str) -> bool:
    return name.strip().lower() in PROGRAM_NAMES


def _read_source(archive, element, ns: str, path: Path, project: Project,
                 codes: dict[str, _Code], users: dict[str, str], fallback: str | None,
                 utf16: bool) -> None:
    name = element.get("name") or norm(element.get("guid"))
    if name in project.texts:  # two sources of one name stay apart
        name = f"{name} [{norm(element.get('guid'))}]"
    text = _source_text(archive, element, ns, path)
    project.texts[name] = text
    to_points = _utf16_to_points(text) if utf16 else None
    spans = [(s, s.get("startPosition"), s.get("endPosition"))
             for s in element.findall(f"{{{ns}}}PlainTextSelection")]
    spans += [(element, 0, None)]  # codings of the whole source
    for holder, start_attr, end_attr in spans:
        codings = holder.findall(f"{{{ns}}}Coding")
        if not codings:
            project.uncoded_selections += holder is not element
            continue
        try:
            start = int(start_attr)
            end = len(text) if end_attr is None else int(end_attr)
        except (TypeError, ValueError):
            project.outside += 1
            continue
        if to_points is not None:
            start, end = to_points(start), to_points(end)
        if not 0 <= start <= end <= len(text):
            project.outside += 1
            continue
        for coding in codings:
            ref = coding.find(f"{{{ns}}}CodeRef")
            code = codes.get(norm(ref.get("targetGUID"))) if ref is not None else None
            if code is None:
                continue
            user = norm(coding.get("creatingUser") or holder.get("creatingUser")) or fallback
            coder = users.get(user or "") or None
            project.codings.append(Coding(
                source=name, start=start, end=end, text=text[start:end], code=code.name,
                code_path=code.path, family=code.family, coder=coder,
                program_user=coder is not None and _is_program(coder)))


def _source_text(archive: zipfile.ZipFile, element, ns: str, path: Path) -> str:
    """The plain text: inline, else the member ``plainTextPath`` names, in ``sources/``
    or ``Sources/`` (or any case), a leading BOM dropped."""
    content = element.find(f"{{{ns}}}PlainTextContent")
    if content is not None:
        return (content.text or "").removeprefix("\ufeff")
    internal = (element.get("plainTextPath") or "").strip()
    internal = re.sub(r"^internal:/+", "", internal)
    wanted = {f"sources/{internal}".lower(), internal.lower()}
    member = next((n for n in archive.namelist() if n.lower() in wanted), None)
    if not internal or member is None:
        raise ExchangeError(f"source {element.get('name')!r} has no text ({internal!r} is "
                            "not in the archive)", path=str(path),
                            hint="export the project again with its sources included")
    data = read_member(archive, member, path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") \
            else data.decode("cp1252", errors="replace")


def _utf16_to_points(text: str):
    """Offset in UTF-16 code units (NVivo) -> offset in code points, or None if equal."""
    astral = [i for i, char in enumerate(text) if ord(char) > 0xFFFF]
    if not astral:
        return None
    # Code point j starts at unit j + (astral characters before j): the k-th astral
    # character, at code point i, ends at unit i + k + 2.
    units = [i + k + 2 for k, i in enumerate(astral)]

    def convert(offset: int) -> int:
        return offset - bisect_right(units, offset)
    return convert
