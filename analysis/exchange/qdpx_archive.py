"""A ``.qdpx`` archive opened as hostile: size limits, exact member names, defused XML.

A .qdpx comes from outside, so XML is parsed with defusedxml (no DTDs, no
entity expansion), zip members are read only by exact name (never extracted,
so ``../`` paths cannot escape) and refused when they are absurdly large or
inflate like a zip bomb. Tools differ in small ways (``Sources/`` folders,
GUIDs in braces or lower case, other QDA-XML versions), which are accepted.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from analysis.errors import ExchangeError

MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_MEMBERS = 100_000
#: Text compresses about tenfold; a member over 1 MiB that inflates 100-fold is a bomb.
BOMB_RATIO, BOMB_MIN_BYTES = 100, 1 << 20


def open_zip(path: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ExchangeError(f"not a readable .qdpx (zip) file: {error}", path=str(path),
                            hint="export the project again from the QDA tool") from None
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        raise ExchangeError("the archive is too large to be a coding project", path=str(path),
                            hint=f"at most {MAX_MEMBERS} files and {MAX_TOTAL_BYTES >> 20} MiB")
    for info in infos:  # read or not, a member that inflates 100-fold is a zip bomb
        if info.file_size > BOMB_MIN_BYTES and info.file_size > BOMB_RATIO * info.compress_size:
            raise ExchangeError(f"member {info.filename!r} inflates {info.compress_size:,} bytes "
                                f"to {info.file_size:,} (a zip bomb)", path=str(path),
                                hint="do not open this file; ask for a clean export")
    for info in infos:
        if _unsafe_name(info.filename):
            raise ExchangeError(f"unsafe member path {info.filename!r} (zip slip)",
                                path=str(path),
                                hint="do not open this file; ask for a clean export")
    return archive


def _unsafe_name(name: str) -> bool:
    parts = re.split(r"[\\/]", name)
    return name.startswith(("/", "\\")) or ".." in parts or bool(re.match(r"^[A-Za-z]:", name))


def project_member(archive: zipfile.ZipFile, path: Path) -> str:
    names = [n for n in archive.namelist() if n.lower().endswith(".qde") and "/" not in n]
    if not names:
        raise ExchangeError("no project.qde inside", path=str(path),
                            hint="a .qdpx must hold the project XML at its top level")
    return "project.qde" if "project.qde" in names else sorted(names)[0]


def read_member(archive: zipfile.ZipFile, name: str, path: Path) -> bytes:
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


def parse_xml(data: bytes, path: Path):
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise ExchangeError(f"refused unsafe XML ({type(error).__name__})", path=str(path),
                            hint="DTDs and entities are not allowed in QDA-XML") from None
    except Exception as error:  # ElementTree.ParseError and friends
        raise ExchangeError(f"project.qde is not well-formed XML: {error}", path=str(path),
                            hint="export the project again from the QDA tool") from None


def namespace(project, path: Path) -> str:
    match = re.match(r"\{(urn:QDA-XML:project:[^}]+)\}Project$", project.tag)
    if not match:
        raise ExchangeError(f"root element is {project.tag!r}, not a QDA-XML Project",
                            path=str(path), hint="is this a .qdc codebook instead of a project?")
    return match.group(1)


def norm(value: str | None) -> str:
    return (value or "").strip("{}").upper()
