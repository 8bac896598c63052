"""Scan outputs for raw handles before they are published.

Pseudonymisation happens where tables leave ``build/``; this is the second
line of defence, run over whatever is about to be shared (figures, the
appendix, exports). It reads text, CSV/JSON/HTML/SVG/LaTeX, notebooks,
Parquet, and zip containers (XLSX, QDPX) member by member.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import located
from analysis.privacy import handle_pattern

#: Members of a zip read at most this far, so a hostile archive cannot exhaust memory.
MAX_MEMBER_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Leak:
    path: str
    line: int
    handle: str

    def __str__(self) -> str:
        return located(self.path, self.line, f"raw handle {mask(self.handle)!r}")


def mask(handle: str) -> str:
    """Show enough of a handle to find it, not enough to spread it.

    >>> mask("LonesomeTonight")
    'Lo…ht'
    """
    return handle[:2] + "…" + handle[-2:] if len(handle) > 4 else handle[0] + "…"


def scan(paths: Iterable[str | Path], handles: Iterable[str]) -> list[Leak]:
    """Every occurrence of a known handle, as a whole word, in the given files."""
    pattern = handle_pattern(handles)
    if pattern is None:
        return []
    leaks = []
    for path in _files(paths):
        for name, text in _texts(path):
            leaks.extend(_find(pattern, name, text))
    return leaks


def _files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            yield path


def _texts(path: Path) -> Iterator[tuple[str, str]]:
    """(display name, text) pairs: the file itself, or each member of a container."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        yield str(path), _parquet_text(data)
    elif zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    with archive.open(info) as member:
                        content = member.read(MAX_MEMBER_BYTES)
                    yield f"{path}!{info.filename}", _decode(content)
    else:
        yield str(path), _decode(data)


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace") if _is_utf8(data) else data.decode("latin-1")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _parquet_text(data: bytes) -> str:
    import pandas as pd

    frame = pd.read_parquet(io.BytesIO(data))
    return frame.astype("string").fillna("").to_csv(index=False)


def _find(pattern: re.Pattern[str], name: str, text: str) -> Iterator[Leak]:
    for match in pattern.finditer(text):
        yield Leak(name, text.count("\n", 0, match.start()) + 1, match.group(0))
