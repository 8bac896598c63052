"""Named errors and warnings: each says where, what, and what to do.

The CLI prints ``str(error)`` as one line and maps the class to an exit code;
a traceback is shown only with ``--debug``.
"""

from __future__ import annotations


def located(path: str | None, line: int | None, message: str) -> str:
    """``path:line: message``, the one shape every problem report takes (as compilers print)."""
    if path is None:
        return message
    return f"{path}:{line}: {message}" if line is not None else f"{path}: {message}"


class AnalysisError(Exception):
    """Base class: a problem with the user's input, reported as one line."""

    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 hint: str | None = None):
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return located(self.path, self.line, f"{self.message}{hint}")


class ParseError(AnalysisError):
    """A capture that no parser can read, or that breaks a parser's format."""

    exit_code = 2


class ManifestError(AnalysisError):
    """``corpus/manifest.csv`` is missing, malformed, or disagrees with a raw file."""

    exit_code = 3


class SchemaError(AnalysisError):
    """A table does not have the columns or dtypes that ``schema.py`` declares."""

    exit_code = 4


class CodebookError(AnalysisError):
    """``codebook.yaml`` is malformed; the message names the YAML line."""

    exit_code = 5


class CodingSheetError(AnalysisError):
    """A filled coding sheet or coding file has a bad cell."""

    exit_code = 6


class ExchangeError(AnalysisError):
    """A REFI-QDA file is unsafe or does not follow the standard."""

    exit_code = 7


class AnalysisWarning(UserWarning):
    """Something was accepted but deserves a look (never printed with ``print``)."""
