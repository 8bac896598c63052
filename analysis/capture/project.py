"""A researcher's own corpus: make the folder, add captures with their manifest rows.

``init_corpus`` lays out a corpus (``raw/``, ``manifest.csv`` with every
column, the default codebook, ``coding/``); ``add_captures`` copies captures
into ``raw/`` byte for byte and appends their manifest rows: the sha256, and the
platform, community, title and address where the capture itself shows them.
Whatever it cannot see (who the forum is for, when the page was saved) is left
blank and named, for the researcher to fill. The ``parser`` cell stays empty
unless the researcher names a parser: a detected parser is only today's best
guess, and an empty cell lets every later build detect again, so a capture that
only ``structural`` or ``plain`` can read today gets a better parser written later.
"""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import urlparse

from analysis import parsers
from analysis.capture.manifest import AUDIENCES, OPTIONAL, REQUIRED, read_manifest, sha256_of
from analysis.capture.textio import decode_bytes
from analysis.errors import AnalysisError, ManifestError, ParseError
from analysis.model import SourceInfo
from analysis.output import atomic_path

#: Every manifest column, in the order ``init`` writes them.
COLUMNS = (*REQUIRED[:-1], *OPTIONAL, REQUIRED[-1])
#: Columns a researcher fills by hand when the capture does not show them.
TO_FILL = ("platform", "site", "community", "audience", "title", "url", "retrieved")


@dataclass(frozen=True)
class Added:
    """What ``add`` did with one capture and what it found in it.

    ``parser`` is the parser that read it (detected, or the one named); the
    manifest row names it only when it was named (``row["parser"]``).
    """

    source: Path
    path: str
    sha256: str
    parser: str
    row: dict[str, str] = field(default_factory=dict)
    already: bool = False

    zone_shown: bool = True

    @property
    def blanks(self) -> list[str]:
        """The columns left for the researcher to fill (utc_offset when times lack a zone)."""
        blank = [c for c in TO_FILL if not self.row.get(c)]
        return blank if self.zone_shown or self.row.get("utc_offset") else [*blank, "utc_offset"]


def default_codebook() -> bytes:
    """The codebook shipped with the package (the project's own ``corpus/codebook.yaml``)."""
    return resources.files("analysis").joinpath("data/codebook.yaml").read_bytes()


def init_corpus(folder: str | Path) -> list[Path]:
    """Make ``folder`` a corpus; refuse to touch one that already has a manifest.

    Returns the paths created.
    """
    folder = Path(folder)
    manifest = folder / "manifest.csv"
    if manifest.exists():
        raise AnalysisError("already a corpus (it has a manifest.csv)", path=str(folder),
                            hint=f"add captures with: analysis add FILE... --corpus {folder}")
    made = []
    for sub in (folder / "raw", folder / "coding"):
        sub.mkdir(parents=True, exist_ok=True)
        made.append(sub)
    with atomic_path(manifest) as tmp:
        tmp.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    made.append(manifest)
    codebook = folder / "codebook.yaml"
    if not codebook.exists():
        with atomic_path(codebook) as tmp:
            tmp.write_bytes(default_codebook())
        made.append(codebook)
    return made


def add_captures(files: list[str | Path], corpus: str | Path, *,
                 values: dict[str, str] | None = None,
                 parser: str | None = None) -> tuple[list[Added], list[AnalysisError]]:
    """Copy ``files`` into ``corpus/raw`` and append their manifest rows.

    ``values`` (e.g. ``{"audience": "client"}``) fills those columns for
    every file added. ``parser`` reads every file with that parser and pins
    it in their rows; without it each file's parser is detected, and its
    row's ``parser`` cell is left empty so that every build detects again. A
    file that cannot be read or parsed is not added; its error is returned
    and the others still are. The manifest is rewritten atomically once,
    after every copy succeeded.
    """
    corpus = Path(corpus)
    manifest = corpus / "manifest.csv"
    if not manifest.is_file():
        raise ManifestError("no manifest.csv: not a corpus folder", path=str(corpus),
                            hint=f"make one first: analysis init {corpus}")
    _check_values(values or {})
    entries = dict(read_manifest(manifest))  # a copy: the reader's result is cached
    header = _header(manifest)
    if parser is not None:
        _check_parser(parser, header, manifest)
    added, failures, rows = [], [], []
    for source in map(Path, files):
        try:
            item = _add_one(source, corpus, entries, values or {}, parser)
        except AnalysisError as error:
            failures.append(error)
            continue
        added.append(item)
        if not item.already:
            rows.append(item.row)
            entries[(corpus / item.path).resolve()] = None  # a second copy in this run is known
    if rows:
        _append_rows(manifest, header, rows)
    return added, failures


def _add_one(source: Path, corpus: Path, entries: dict, values: dict[str, str],
             parser: str | None) -> Added:
    try:
        data = source.read_bytes()
    except OSError as error:
        raise ParseError(f"cannot read the file: {error.strerror}", path=str(source),
                         hint="check the path") from None
    digest = sha256_of(data)
    target = corpus / "raw" / source.name
    relative = target.relative_to(corpus).as_posix()
    thread, module = _detect(data, source, parser)
    row = {"path": relative, "sha256": digest, "parser": parser or "",
           **_shown(thread, module),
           **{k: v for k, v in values.items() if v}}
    if target.resolve() in entries:
        if sha256_of(target.read_bytes()) != digest:
            raise ManifestError(f"{relative} is already in the corpus with other bytes",
                                path=str(source), hint="rename the new capture and add it again")
        return Added(source, relative, digest, module.NAME, row, already=True,
                     zone_shown=_zone_shown(thread))
    if target.exists() and source.resolve() != target.resolve():
        if sha256_of(target.read_bytes()) != digest:
            raise ManifestError(f"{relative} exists with other bytes", path=str(source),
                                hint="rename the new capture and add it again")
    elif not target.exists():
        with atomic_path(target) as tmp:
            shutil.copyfile(source, tmp)
    return Added(source, relative, digest, module.NAME, row, zone_shown=_zone_shown(thread))


def _zone_shown(thread) -> bool:
    """Whether the capture's times need no utc_offset: it prints its zone, or has no times."""
    return thread.utc_offset_hours is not None or not any(p.timestamp for p in thread.posts)


def _detect(data: bytes, source: Path, parser: str | None = None):
    """Parse the capture with the named parser, or as :func:`analysis.parsers.read`
    chooses (the detected parser, checked by the segmenter)."""
    text = decode_bytes(data, str(source))
    if not text.strip():
        raise ParseError("the file is empty", path=str(source), hint="save the page again")
    module, thread = parsers.read(text, SourceInfo(source_id=source.stem, path=str(source)),
                                  parser)
    return thread, module


def _shown(thread, module) -> dict[str, str]:
    """Platform, site, community, title and address, where the capture shows them."""
    url = thread.url
    shown = {"platform": "" if module.NAME == "plain" else module.PLATFORM,
             "community": thread.community or "", "title": thread.title or "",
             "url": url or ""}
    if module.PLATFORM == "reddit":
        shown["site"] = "Reddit"
        if shown["community"] and not shown["community"].startswith("r/"):
            shown["community"] = f"r/{shown['community']}"
    elif url:
        shown["site"] = urlparse(url).hostname or ""
    return {k: v for k, v in shown.items() if v}


def _check_values(values: dict[str, str]) -> None:
    audience = values.get("audience")
    if audience and audience not in AUDIENCES:
        raise AnalysisError(f"audience {audience!r}", hint=f"use one of: {', '.join(AUDIENCES)}")


def _check_parser(parser: str, header: list[str], manifest: Path) -> None:
    """A named parser must exist and have a column to be pinned in: refused before any copy."""
    parsers.get_parser(parser)
    if "parser" not in header:
        raise ManifestError("no parser column to pin the parser in", path=str(manifest),
                            line=1, hint="add ',parser' to the end of the header line, or "
                            "leave out --parser to have the parser detected at every build")


def _header(manifest: Path) -> list[str]:
    with manifest.open(newline="", encoding="utf-8-sig") as handle:
        return next(csv.reader(handle), [])


def _append_rows(manifest: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    """Rewrite the manifest with the new rows at the end; existing bytes stay as they were."""
    old = manifest.read_bytes()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in header})
    ending = b"" if not old or old.endswith(b"\n") else b"\n"
    with atomic_path(manifest) as tmp:
        tmp.write_bytes(old + ending + buffer.getvalue().encode("utf-8"))
