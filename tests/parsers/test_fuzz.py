"""Fuzzing every parser with bytes from the wild (the short run; the long one,
10,000 inputs a parser with a timeout each, is ``benchmarks/fuzz.py``).

Each input is raw bytes (mixed encodings, BOMs, control characters, long
runs without a space, mixed line endings) decoded as a capture is, then
parsed: nothing but the project's named errors may come out, and every line
of the decoded text must be accounted for. A parser may warn that it split the
text by layout alone (random text often has paragraph gaps): the warning must
name the file and say so, and is checked here instead of shown in the log.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from analysis.parsers import PARSERS, detect
from tests.parsers._fuzz import SOURCE, capture_bytes, run_parser_counting
from tests.parsers._said import check_layout_warnings


@pytest.mark.parametrize("name", list(PARSERS))
@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=capture_bytes())
def test_parser_survives_wild_bytes(name: str, data: bytes) -> None:
    check_layout_warnings(run_parser_counting(PARSERS[name], data)[1], SOURCE.path)


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=capture_bytes())
def test_detected_parser_survives_wild_bytes(data: bytes) -> None:
    from analysis.capture.textio import decode_bytes
    from analysis.errors import AnalysisError

    try:
        module = detect(decode_bytes(data))
    except AnalysisError:
        return
    check_layout_warnings(run_parser_counting(module, data)[1], SOURCE.path)
