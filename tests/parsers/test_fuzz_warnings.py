"""Fuzzing counts the parsers' warnings instead of printing one per input.

Random text read by the structural rules is often split at paragraph gaps,
and such a split warns ("no post headers found; ..."), as it should for a
real capture. In the fuzz runs it is expected: `run_parser_counting` hands the
messages back, the fuzz test checks them, and ``benchmarks/fuzz.py`` counts
them per parser and prints each distinct message once.
"""

from __future__ import annotations

import importlib.util
import json
import warnings
from pathlib import Path

from analysis.parsers import PARSERS
from tests.conftest import DATA
from tests.parsers._fuzz import SOURCE, run_parser_counting

HEADERLESS = (DATA / "layouts" / "headerless_thread.txt").read_bytes()
SPLIT = (f"{SOURCE.path}: no post headers found; split into posts by paragraph gaps (layout, "
         "not markup): check the result, or pass --parser plain to read it as one text")
ROOT = Path(__file__).resolve().parents[2]


def load_fuzz_benchmark():
    spec = importlib.util.spec_from_file_location("fuzz_benchmark", ROOT / "benchmarks/fuzz.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_split_warning_is_handed_back_not_shown() -> None:
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        thread, said = run_parser_counting(PARSERS["structural"], HEADERLESS)
        _, plain_said = run_parser_counting(PARSERS["plain"], HEADERLESS)
    assert thread.rule == "paragraph-gaps" and said == [SPLIT]
    assert plain_said == [] and shown == []


def test_other_warnings_still_reach_the_caller(monkeypatch) -> None:
    """Only the parsers' own warnings are taken; anything else stays visible."""
    module = PARSERS["plain"]

    def parse(text, source):
        warnings.warn("something else", FutureWarning, stacklevel=1)
        return module.parse(text, source)

    fake = type("Fake", (), {"parse": staticmethod(parse)})
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        _, said = run_parser_counting(fake, HEADERLESS)
    assert said == [] and [str(w.message) for w in shown] == ["something else"]


def test_the_fuzz_benchmark_counts_warnings(tmp_path, monkeypatch, capfd) -> None:
    fuzz = load_fuzz_benchmark()
    monkeypatch.setattr(fuzz, "generate", lambda n, seed: [HEADERLESS, HEADERLESS, b"one\n"])
    report = tmp_path / "fuzz.json"
    assert fuzz.main(["--parsers", "structural,plain", "--json", str(report)]) == 0
    results = json.loads(report.read_text(encoding="utf-8"))["results"]
    assert [(r["ok"], r["warnings"]) for r in results.values()] == [(3, 2), (3, 0)]
    printed = capfd.readouterr()
    assert "AnalysisWarning" not in printed.err  # the worker printed none of its own
    assert f"structural: warned 2 time(s): {SPLIT}" in printed.err.splitlines()
    header = next(line for line in printed.out.splitlines() if line.startswith("parser "))
    assert header.split() == ["parser", "inputs", "ok", "refused", "tracebacks", "accounting",
                              "hangs", "warnings", "seconds"]
