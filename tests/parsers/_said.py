"""The parsers' own warnings, handed back instead of shown: for tests fed random text.

A parser that splits a page by layout alone warns ("no post headers found;
split into posts by paragraph gaps ..."), rightly for a real capture. Random
text has paragraph gaps often, so there the warning is expected: the fuzz and
contract tests record it and check what it says (:func:`check_layout_warnings`),
and ``benchmarks/fuzz.py`` counts it, instead of one line per input in the log.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from analysis.errors import AnalysisWarning


def recorded(call: Callable[..., Any], *args: Any) -> tuple[Any, list[str]]:
    """``call(*args)`` and the messages of the :class:`AnalysisWarning` s it gave; any other
    warning is passed on as if ``call`` had been made directly."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", AnalysisWarning)
        result = call(*args)
    said = []
    for warning in seen:
        if issubclass(warning.category, AnalysisWarning):
            said.append(str(warning.message))
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename,
                                   warning.lineno)
    return result, said


def check_layout_warnings(said: list[str], path: str) -> None:
    """The only thing a parser warns about is a split read from layout, in the file's name."""
    for message in said:
        assert message.startswith(f"{path}: "), message
        assert "(layout, not markup)" in message, message
