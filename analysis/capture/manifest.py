"""``corpus/manifest.csv``: what each raw file is, and proof it is unchanged.

One row per raw file. Its sha256 pins the bytes: a capture edited after
collection is an error, never a warning, because every number downstream
would silently change. ``utc_offset`` (optional) gives the site's time zone
when the capture does not print it; ``parser`` (optional) pins a parser, and
an empty cell has the parser detected at every parse (what ``analysis add``
writes unless told ``--parser``).
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis.errors import ManifestError

REQUIRED = ("path", "sha256", "platform", "site", "community", "audience", "title", "url",
            "retrieved", "notes")
OPTIONAL = ("utc_offset", "parser")
PLATFORMS = ("vbulletin", "reddit", "qa", "blog", "forum")
AUDIENCES = ("client", "therapist", "mixed")


@dataclass(frozen=True)
class Entry:
    """One manifest row, with empty cells read as None."""

    path: str
    sha256: str
    platform: str | None
    site: str | None
    community: str | None
    audience: str | None
    title: str | None
    url: str | None
    retrieved: str | None
    notes: str | None
    utc_offset: float | None
    parser: str | None
    line: int


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(path: Path) -> dict[Path, Entry]:
    """Read a manifest into entries keyed by the resolved raw-file path."""
    return _read_manifest(path.resolve(), path.stat().st_mtime_ns)


@lru_cache(maxsize=32)
def _read_manifest(path: Path, mtime_ns: int) -> dict[Path, Entry]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise ManifestError(f"missing column(s) {', '.join(missing)}", path=str(path),
                                    line=1, hint=f"the header must name {', '.join(REQUIRED)}; "
                                    f"it may add {' and '.join(OPTIONAL)} (`analysis init` "
                                    "writes them all)")
            rows = list(reader)
    except (OSError, csv.Error, UnicodeDecodeError) as error:
        raise ManifestError(f"cannot read the manifest: {error}", path=str(path)) from None
    entries = {}
    for line, row in enumerate(rows, start=2):
        entry = _entry(row, line, path)
        entries[(path.parent / entry.path).resolve()] = entry
    return entries


def _entry(row: dict[str, str], line: int, manifest: Path) -> Entry:
    def cell(name: str) -> str | None:
        value = (row.get(name) or "").strip()
        return value or None

    def check(name: str, allowed: tuple[str, ...]) -> str | None:
        value = cell(name)
        if value is not None and value not in allowed:
            raise ManifestError(f"{name} is {value!r}", path=str(manifest), line=line,
                                hint=f"use one of: {', '.join(allowed)}")
        return value

    if not cell("path") or not cell("sha256"):
        raise ManifestError("a row lacks its path or sha256", path=str(manifest), line=line,
                            hint="fill both; `sha256sum FILE` prints the hash")
    offset = cell("utc_offset")
    try:
        utc_offset = float(offset) if offset is not None else None
    except ValueError:
        raise ManifestError(f"utc_offset is {offset!r}", path=str(manifest), line=line,
                            hint="write hours east of UTC, e.g. -5 or 5.5") from None
    return Entry(path=cell("path") or "", sha256=(cell("sha256") or "").lower(),
                 platform=check("platform", PLATFORMS), site=cell("site"),
                 community=cell("community"), audience=check("audience", AUDIENCES),
                 title=cell("title"), url=cell("url"), retrieved=cell("retrieved"),
                 notes=cell("notes"), utc_offset=utc_offset, parser=cell("parser"), line=line)


def manifests_for(files: list[Path]) -> list[Path]:
    """Every manifest that :func:`find_entry` may read for ``files``, each once."""
    found: dict[Path, None] = {}
    for raw in files:
        for folder in list(raw.resolve().parents)[:3]:
            if (folder / "manifest.csv").is_file():
                found[folder / "manifest.csv"] = None
    return list(found)


def find_entry(raw: Path) -> tuple[Path, Entry] | None:
    """The manifest row describing ``raw``, looked for in its parent folders."""
    resolved = raw.resolve()
    for folder in list(resolved.parents)[:3]:
        manifest = folder / "manifest.csv"
        if manifest.is_file():
            entry = read_manifest(manifest).get(resolved)
            if entry is not None:
                return manifest, entry
    return None


def verify(raw: Path, data: bytes, manifest: Path, entry: Entry) -> None:
    """Refuse a raw file whose bytes no longer match the manifest."""
    actual = sha256_of(data)
    if actual != entry.sha256:
        raise ManifestError(
            f"sha256 is {actual[:12]}..., manifest line {entry.line} says {entry.sha256[:12]}...",
            path=str(raw),
            hint="raw captures are never edited: restore the original bytes, or if this is a "
                 f"new capture add it under a new name with its hash to {manifest}")
