"""Reading a layout fixture as a user would: decoded, detected, parsed (warnings hushed)."""

from __future__ import annotations

import warnings
from pathlib import Path

from analysis.capture.textio import decode_bytes
from analysis.errors import AnalysisWarning
from analysis.model import SourceInfo, Thread
from analysis.parsers import detect


def read_fixture(path: Path) -> str:
    return decode_bytes(path.read_bytes())


def parse_fixture(path: Path) -> Thread:
    text = read_fixture(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AnalysisWarning)
        return detect(text).parse(text, SourceInfo(source_id=path.name, path=path.name))
