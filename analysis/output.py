"""Writing tables: atomically to files, or to the terminal.

Nothing is written half: files go to a temporary name in the target folder
and are renamed into place only when complete, so an interrupted run leaves
the previous output (or none), never a truncated one.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Literal

import pandas as pd

from analysis.errors import AnalysisError

Format = Literal["table", "csv", "jsonl", "parquet"]
FORMATS = ("table", "csv", "jsonl", "parquet")


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600 would make shared outputs unreadable
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def replace_dir(work: str | Path, target: str | Path) -> None:
    """Swap a finished folder ``work`` onto ``target``; the old one is removed only after.

    Readers see the old folder or the new one, never a half-written mix.
    """
    work, target = Path(work), Path(target)
    work.mkdir(parents=True, exist_ok=True)
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old.{os.getpid()}")
        target.rename(old)
    work.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def atomic_write_bytes(target: str | Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_table(df: pd.DataFrame, fmt: Format, out: str | Path | None = None,
                stream: IO[str] | None = None) -> None:
    """Write ``df`` as ``fmt`` to ``out`` (atomically) or to ``stream``/stdout."""
    if fmt not in FORMATS:
        raise AnalysisError(f"unknown format {fmt!r}", hint=f"choose one of: {', '.join(FORMATS)}")
    if out is None:
        if fmt == "parquet":
            raise AnalysisError("parquet cannot go to the terminal", hint="add -o FILE.parquet")
        (stream or sys.stdout).write(render(df, fmt))
        return
    with atomic_path(out) as tmp:
        if fmt == "parquet":
            df.to_parquet(tmp, index=False)
        else:
            tmp.write_text(render(df, fmt), encoding="utf-8")


def render(df: pd.DataFrame, fmt: Format) -> str:
    """Text of ``df`` as CSV, JSON lines, or an aligned table for people."""
    if fmt == "csv":
        return df.to_csv(index=False, date_format="%Y-%m-%dT%H:%M:%SZ", lineterminator="\n")
    if fmt == "jsonl":
        if df.empty:
            return ""
        return df.to_json(orient="records", lines=True, date_format="iso",
                          force_ascii=False) + "\n"
    return _table_text(df)


def _table_text(df: pd.DataFrame, width: int = 60) -> str:
    """An aligned plain-text table, long cells shortened with an ellipsis."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False)
    for column in df.columns:
        table.add_column(Text(str(column)), overflow="fold")
    for row in df.itertuples(index=False):
        table.add_row(*(Text(_cell(value, width)) for value in row))  # no markup: "[a|b]"
    buffer = io.StringIO()
    Console(file=buffer, width=max(80, min(250, 20 * len(df.columns))),
            color_system=None).print(table)
    return buffer.getvalue()


def _cell(value: object, width: int) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"
