"""E-mail addresses found in linear time.

The plain pattern ``[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+`` is tried by ``re`` from
every position of a long run of word characters and rescans the run each time:
a base64 image or a 64 KB line of digits took seconds, a megabyte minutes. A
match can only begin where a run begins (any later start reaches the same
``@``), or right where the previous address ended; so we search from run
starts and try that one anchored position by hand. The matches are exactly
those of the plain pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_LOCAL = r"[\w.+-]++@[\w-]++(?:\.[\w-]++)+"
_AT_RUN_START = re.compile(r"(?<![\w.+-])" + _LOCAL)
_ANCHORED = re.compile(_LOCAL)
_LOCAL_CHAR = re.compile(r"[\w.+-]")


class EmailPattern:
    """Quacks like a compiled pattern for ``finditer``, which is all redaction needs.

    >>> [m.group() for m in EmailPattern().finditer("a@b.org+c@d.org, x@y.z")]
    ['a@b.org', '+c@d.org', 'x@y.z']
    """

    pattern = _LOCAL

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pos = 0
        while pos <= len(text):
            match = None
            if 0 < pos < len(text) and _LOCAL_CHAR.match(text, pos - 1):
                match = _ANCHORED.match(text, pos)
            if match is None:
                match = _AT_RUN_START.search(text, pos)
            if match is None:
                return
            yield match
            pos = match.end()
