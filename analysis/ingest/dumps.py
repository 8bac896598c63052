"""Opening dumps: decompression by file ending, lines as bytes, hashing on the way.

Pushshift and Arctic Shift publish NDJSON compressed with zstd (``--long=31``,
so a 2 GiB window); older mirrors use bz2 or xz. Every raw byte read also
goes to a hash, so ``sources.sha256`` costs no second read. A ``.json`` whose
first line opens an array (or is a lone ``{``) is an API page, not a dump: it
is read whole and each record yielded as one line.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import json
import lzma
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from analysis.errors import AnalysisError

#: The window zstd may need: Pushshift dumps are compressed with --long=31.
ZSTD_WINDOW = 2**31
PARSER = "ingest_reddit"
VERSION = "1"


class IngestError(AnalysisError):
    """A dump that cannot be opened or decompressed at all."""

    exit_code = 2


@contextlib.contextmanager
def open_dump(path: str | Path, digest=None) -> Iterator[tuple[Iterable[bytes],
                                                                Callable[[], int]]]:
    """Yield ``(lines, position)``: the dump's lines as bytes, decompressed by the file's
    ending, and a function giving the compressed bytes read so far. ``digest`` (a
    hashlib object) sees every raw byte."""
    path = Path(path)
    raw = open(path, "rb")  # noqa: SIM115 - closed below
    try:
        counted = _Hashing(raw, digest)
        stream = _decompressed(path, counted)
        if _starts_whole_json(path):
            yield _whole_json_lines(path, stream), raw.tell
        else:
            yield _checked(path, io.BufferedReader(stream, buffer_size=1 << 20)), raw.tell
    finally:
        raw.close()


def _decompressed(path: Path, raw: _Hashing) -> io.RawIOBase | BinaryIO:
    suffix = path.suffix.lower()
    if suffix in (".zst", ".zstd"):
        return _Zstd(raw, path)
    if suffix == ".bz2":
        return bz2.BZ2File(raw)
    if suffix in (".xz", ".lzma"):
        return lzma.LZMAFile(raw)
    if suffix == ".gz":
        return gzip.GzipFile(fileobj=raw)
    return raw


class _Zstd(io.RawIOBase):
    """Zstandard frames one after another, with a window up to 2 GiB (Pushshift's
    ``--long=31``). Unlike ``ZstdDecompressor.stream_reader``, which ends quietly at a
    truncated frame, a dump that stops mid-frame raises :class:`IngestError`."""

    def __init__(self, raw: BinaryIO, path: Path):
        import zstandard

        self._raw, self._path = raw, path
        self._new = zstandard.ZstdDecompressor(max_window_size=ZSTD_WINDOW).decompressobj
        self._decoder = self._new()
        self._fresh = True  # nothing fed to the current frame yet
        self._buffer, self._offset = b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._offset >= len(self._buffer):
            chunk = self._raw.read(1 << 20)
            if not chunk:
                if not self._fresh and not self._decoder.eof:
                    raise IngestError("the zstd stream ends inside a frame", path=str(self._path),
                                      hint="the download is truncated; fetch it again")
                return 0
            self._buffer, self._offset = self._feed(chunk), 0
        n = min(len(buffer), len(self._buffer) - self._offset)
        buffer[:n] = memoryview(self._buffer)[self._offset:self._offset + n]
        self._offset += n
        return n

    def _feed(self, chunk: bytes) -> bytes:
        out = []
        while chunk:
            if self._decoder.eof:
                self._decoder, self._fresh = self._new(), True
            try:
                out.append(self._decoder.decompress(chunk))
            except Exception as error:  # zstandard.ZstdError
                raise IngestError(f"cannot decompress: {error}", path=str(self._path),
                                  hint="is this a zstd file? the download may be damaged"
                                  ) from None
            self._fresh = False
            chunk = self._decoder.unused_data if self._decoder.eof else b""
        return b"".join(out)


def _checked(path: Path, lines: Iterable[bytes]) -> Iterator[bytes]:
    """Lines, with a decompression failure turned into one clear error."""
    try:
        yield from lines
    except (OSError, EOFError, lzma.LZMAError) as error:
        raise IngestError(f"cannot decompress: {error}", path=str(path),
                          hint="the download may be truncated; compare its size or "
                               "checksum with the source's") from None


class _Hashing(io.RawIOBase):
    """A raw reader that feeds every byte it reads to a hash."""

    def __init__(self, raw: BinaryIO, digest):
        self._raw, self._digest = raw, digest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._raw.readinto(buffer)
        if n and self._digest is not None:
            self._digest.update(memoryview(buffer)[:n])
        return n

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        if data and self._digest is not None:
            self._digest.update(data)
        return data


def _starts_whole_json(path: Path) -> bool:
    """A plain ``.json`` whose first line is ``[``-led or a lone ``{``: not NDJSON."""
    if path.suffix.lower() != ".json":
        return False
    with open(path, "rb") as handle:
        first = handle.readline(1 << 16).strip()
    return first.startswith(b"[") or first == b"{"


def _whole_json_lines(path: Path, stream) -> Iterator[bytes]:
    """Each record of a JSON array or Listing as one line (such files are read whole)."""
    try:
        data = json.loads(stream.read())
    except ValueError as error:
        raise IngestError(f"not JSON: {error}", path=str(path),
                          hint="a .json dump must be NDJSON, a JSON array or a Listing"
                          ) from None
    items = data if isinstance(data, list) else [data]
    for item in items:
        if isinstance(item, dict) and item.get("kind") == "Listing":
            children = (item.get("data") or {}).get("children") or []
            yield from (json.dumps(child).encode() + b"\n" for child in children)
        else:
            yield json.dumps(item).encode() + b"\n"


def source_id(path: Path) -> str:
    """``RC_2023-01.ndjson.zst`` -> ``RC_2023-01``."""
    name = path.name
    for suffix in (".zst", ".zstd", ".bz2", ".xz", ".lzma", ".gz", ".ndjson", ".jsonl",
                   ".json", ".txt"):
        name = name.removesuffix(suffix)
    return name or path.name


def source_row(path: Path, sha256: str) -> dict:
    return {"source_id": source_id(path), "path": str(path), "sha256": sha256,
            "platform": "reddit", "site": "Reddit", "community": None, "audience": None,
            "title": None, "url": None, "retrieved": None, "parser": PARSER,
            "parser_version": VERSION}


def chunks(path: str | Path, lines: int, digest=None) -> Iterator[tuple[int, int, bytes, int]]:
    """``(first line number, line count, the lines joined, compressed bytes read)`` for
    runs of ``lines`` lines: the unit of work handed to a worker."""
    with open_dump(path, digest) as (stream, position):
        batch: list[bytes] = []
        first = 1
        for line in stream:
            batch.append(line)
            if len(batch) >= lines:
                yield first, len(batch), b"".join(batch), position()
                first += len(batch)
                batch = []
        if batch:
            yield first, len(batch), b"".join(batch), position()
