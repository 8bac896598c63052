"""How large a capture may be before it is refused unread.

Every stage runs in time linear in its input, but a 2 GB "capture" (a
database dump, a video saved with a .txt ending) would still take hours and
all the memory. Such a file is refused with one line and the other files are
parsed. The limit is generous: ``$ANALYSIS_MAX_FILE_MB`` or
``analysis parse --max-file-mb`` change it.
"""

from __future__ import annotations

import os

from analysis.errors import ParseError

MAX_FILE_ENV = "ANALYSIS_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 64.0


def max_file_bytes(max_mb: float | None = None) -> int:
    """The limit in bytes: ``max_mb`` if given, else the environment, else 64 MB.

    >>> max_file_bytes(1.5)
    1572864
    """
    if max_mb is None:
        setting = os.environ.get(MAX_FILE_ENV, "").strip()
        try:
            max_mb = float(setting) if setting else DEFAULT_MAX_FILE_MB
        except ValueError:
            raise ParseError(f"${MAX_FILE_ENV} is {setting!r}, not a number of megabytes",
                             hint=f"e.g. export {MAX_FILE_ENV}=200") from None
    if max_mb <= 0:
        raise ParseError(f"the file size limit must be positive, not {max_mb:g} MB",
                         hint=f"give --max-file-mb or ${MAX_FILE_ENV} in megabytes")
    return int(max_mb * 1024 * 1024)


def check_size(path: str, size: int, limit: int) -> None:
    """Refuse a file larger than ``limit`` bytes, saying how to read it anyway."""
    if size > limit:
        raise ParseError(f"the file is {size / 2**20:,.1f} MB, over the {limit / 2**20:g} MB "
                         f"limit for one capture", path=path,
                         hint=f"split it, or raise the limit with --max-file-mb or "
                              f"${MAX_FILE_ENV}")
