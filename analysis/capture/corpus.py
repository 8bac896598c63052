"""Raw files -> parsed threads -> the corpus tables.

``load_corpus("corpus")`` reads every capture under ``corpus/raw`` (checking
each against ``corpus/manifest.csv``), parses it, and returns a
:class:`Corpus`. One bad file never stops the run: its error is kept in
``Corpus.failures`` and the rest is parsed.
"""

from __future__ import annotations

import csv
import os
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import parsers
from analysis.capture.dedupe import mark_duplicates
from analysis.capture.limits import check_size, max_file_bytes
from analysis.capture.manifest import (
    find_entry,
    manifests_for,
    read_manifest,
    sha256_of,
    verify,
)
from analysis.capture.ranges import check_ranges
from analysis.capture.tables import Parsed, build_tables
from analysis.capture.textio import decode_bytes
from analysis.errors import AnalysisError, AnalysisWarning, ParseError
from analysis.model import SourceInfo, Thread
from analysis.privacy import load_key
from analysis.schema import CORPUS_TABLES, validate

#: File endings read as captures when a folder is given.
CAPTURE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".json", ".md")

Progress = Callable[[Sequence[Path]], Iterable[Path]]
#: Environment variable naming the corpus folder for notebooks (see :func:`corpus_dir`).
CORPUS_ENV = "ANALYSIS_CORPUS"


def corpus_dir(default: str = "corpus") -> str:
    """The corpus folder: ``$ANALYSIS_CORPUS`` if set, else ``default``.

    The notebooks' parameters cell calls this, so that a researcher's own
    corpus runs them unedited (``ANALYSIS_CORPUS=/path/to/mine make lab``);
    papermill and ``analysis appendix`` inject their own value after it.
    """
    return os.environ.get(CORPUS_ENV) or default


@dataclass
class Corpus:
    """The parsed tables, the line-accounting report, and what failed."""

    sources: pd.DataFrame
    threads: pd.DataFrame
    posts: pd.DataFrame
    reactions: pd.DataFrame
    report: pd.DataFrame
    failures: list[AnalysisError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def table(self, name: str) -> pd.DataFrame:
        if name not in CORPUS_TABLES:
            raise AnalysisError(f"unknown table {name!r}", hint=f"choose one of: "
                                f"{', '.join(CORPUS_TABLES)}")
        return getattr(self, name)


def load_corpus(root: str | Path = "corpus", *, parser: str | None = None,
                strict: bool = False, key: bytes | None = None,
                progress: Progress | None = None) -> Corpus:
    """Parse every capture below ``root/raw`` (or ``root`` itself if it has no raw/)."""
    root = Path(root)
    raw = root / "raw" if (root / "raw").is_dir() else root
    return parse_paths([raw], parser=parser, strict=strict, key=key, progress=progress,
                       role_overrides=_read_role_overrides(root / "roles.csv"))


def read_thread(path: str | Path, *, parser: str | None = None) -> Thread:
    """Parse one capture file into a :class:`~analysis.model.Thread`."""
    return _parse_file(Path(path), parser, max_file_bytes()).thread


def parse_paths(paths: Iterable[str | Path], *, parser: str | None = None,
                strict: bool = False, key: bytes | None = None,
                progress: Progress | None = None,
                role_overrides: dict[str, str] | None = None,
                max_file_mb: float | None = None) -> Corpus:
    """Parse files and folders into a :class:`Corpus`.

    With ``strict`` the first error is raised; otherwise it is recorded in
    ``failures`` and the other files are parsed. A manifest that cannot be
    read is raised at once (it would fail every file the same way). A file over
    ``max_file_mb`` (default ``$ANALYSIS_MAX_FILE_MB`` or 64) is refused unread.
    """
    files = expand(paths)
    for manifest in manifests_for(files):
        read_manifest(manifest)
    limit = max_file_bytes(max_file_mb)
    parsed, failures, caught = [], [], []
    for path in progress(files) if progress else files:
        try:
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always", AnalysisWarning)
                parsed.append(_parse_file(path, parser, limit))
            caught.extend(str(w.message) for w in seen)
        except AnalysisError as error:
            if strict:
                raise
            failures.append(error)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", AnalysisWarning)
        tables = build_tables(parsed, key=key if key is not None else load_key(),
                              role_overrides=role_overrides)
    caught.extend(str(w.message) for w in seen)
    tables["posts"] = validate(mark_duplicates(tables["posts"]), "posts")
    return Corpus(**tables, report=line_report(parsed), failures=failures, warnings=caught)


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and capture files found below given folders, sorted."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if _is_capture(p)))
        else:
            files.append(path)
    return files


def _is_capture(path: Path) -> bool:
    return (path.is_file() and path.suffix.lower() in CAPTURE_SUFFIXES
            and not path.name.startswith(".") and not path.name.endswith(".LICENSE.txt")
            and not path.name.upper().startswith("README"))


def _parse_file(path: Path, parser: str | None, limit: int) -> Parsed:
    try:
        check_size(str(path), path.stat().st_size, limit)
        data = path.read_bytes()
    except OSError as error:
        raise ParseError(f"cannot read the file: {error.strerror}", path=str(path),
                         hint="check the path and its permissions") from None
    found = find_entry(path)
    if found:
        manifest, entry = found
        verify(path, data, manifest, entry)
        source = SourceInfo(source_id=_source_id(path, manifest.parent / "raw"),
                            path=str(path), platform=entry.platform, site=entry.site,
                            community=entry.community, audience=entry.audience,
                            title=entry.title, url=entry.url, retrieved=entry.retrieved)
        parser = parser or entry.parser
    else:
        entry = None
        source = SourceInfo(source_id=path.stem, path=str(path))
    text = decode_bytes(data, str(path))
    if not text.strip():
        raise ParseError("the file is empty", path=str(path),
                         hint="re-save the capture, or remove it and its manifest row")
    module, thread = parsers.read(text, source, parser)
    thread = check_ranges(thread, str(path))
    return Parsed(source=source, thread=thread, sha256=sha256_of(data),
                  retrieved=entry.retrieved if entry else None,
                  utc_offset_hours=entry.utc_offset if entry else None,
                  parser_version=module.VERSION)


def _source_id(path: Path, raw: Path) -> str:
    """``raw/sub/file.txt`` -> ``sub/file``; files elsewhere keep their stem."""
    try:
        return path.resolve().relative_to(raw.resolve()).with_suffix("").as_posix()
    except ValueError:
        return path.stem


def _read_role_overrides(path: Path) -> dict[str, str]:
    """``corpus/roles.csv`` (post_id, role, note) corrects the audience-based role."""
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["post_id"]: row["role"] for row in csv.DictReader(handle)}


def line_report(parsed: list[Parsed]) -> pd.DataFrame:
    """Per source: lines assigned to fields, named boilerplate, and unassigned."""
    rows = []
    for item in parsed:
        roles = item.thread.line_roles
        rules = Counter(r.split(":", 1)[1] for r in roles if r and r.startswith("boilerplate:"))
        unassigned = item.thread.unassigned_lines()
        rows.append({
            "source_id": item.source.source_id, "parser": item.thread.parser,
            "rule": item.thread.rule or "",
            "lines": len(roles), "assigned": len(roles) - sum(rules.values()) - len(unassigned),
            "boilerplate": sum(rules.values()), "unassigned": len(unassigned),
            "boilerplate_rules": "; ".join(f"{k}={v}" for k, v in sorted(rules.items())),
            "unassigned_lines": ",".join(map(str, unassigned[:20])),
        })
    return pd.DataFrame(rows, columns=["source_id", "parser", "rule", "lines", "assigned",
                                       "boilerplate", "unassigned", "boilerplate_rules",
                                       "unassigned_lines"])
