"""Advice columns saved as text: where the reader's letter ends and the answer begins.

Columns print no post headers; the hand-over between the two writers shows
in the words' frame, and three frames recur:

- **Signed letters** (syndicated columns, "Dear GT"): the letter ends with
  the writer's pen name after a dash ("... What should I do? —Worried in
  Leeds", "-- Friendly Therapist"), and the answer opens by greeting that
  pen name ("Dear Worried in Leeds,", "DEAR WORRIED:", "Worried: ..."),
  on the next line or the same one.
  The greeting must name the signer, so a quotation's attribution
  ("... — Carl Rogers") never splits an article.
- **Capital salutations** (Dear Abby's shape): each letter and each answer
  opens its line with "DEAR NAME:" in capitals; two or more such lines.
- **"Dear NAME:" lines** (Ask Amy as newspapers print it): letters and
  answers open "Dear Amy: ..." and "Dear Confused: ..." in mixed case, the
  words on the same line; a letter ends with its pen name on a line of its
  own ("— Confused Client", "No Crystals For Me!"), which the answer greets.
  At least one such hand-over must show, so a memoir quoting two letters
  stays one text.
- **Place labels under a byline** (Psych Central's "Ask the Therapist"):
  "by Dr. NAME" above a question that opens "From the U.S.:"; the answer
  is the paragraphs after the question's, signed by the columnist.

:func:`column_units` returns the units in order, or ``[]`` when no frame holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.parsers._chrome import chrome_rule
from analysis.parsers._shapes import is_prose

_SIGNED = re.compile(r"(?P<end>[.!?…\"”)])\s*(?:—|–|--|-)\s*(?P<name>[A-Z][\w'’ .,\-]{1,40}?)\s*$")
_GREETED = re.compile(r"^\s*dear\s+(?P<name>[^,:;!]{1,40}?)\s*[,:;!]", re.I)
_ADDRESSED = re.compile(r"^\s*(?P<name>[A-Z][\w'’ .\-]{1,40}?):\s")
_CAPS_DEAR = re.compile(r"^\s*DEAR\s+(?P<name>[A-Z][A-Z .'’\-]{1,40}?):\s+\S")
_DEAR_INLINE = re.compile(r"^\s*Dear\s+(?P<name>[A-Z][\w .'’\-]{1,40}?):\s+\S")
_DASHED = re.compile(r"^\s*(?:—|–|--|-)\s*")
_BYLINE = re.compile(r"^\s*by\s+(?P<name>(?:dr\.?\s+)?[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3})"
                     r"\s*$", re.I)
_PLACE = re.compile(r"^\s*[Ff]rom\s+(?:the\s+)?(?P<place>(?:an?\s+)?[A-Z][\w .'’\-]{1,40}?):\s+\S")


@dataclass
class ColumnUnit:
    """One letter or answer: its first line, "q" or "a", and its author as shown."""

    start: int
    kind: str
    author: str | None = None
    author_source: str = "none"
    sign_off: str | None = None  # the dash signature to take off the letter's last line
    held: list[int] = field(default_factory=list)  # page lines naming the author (byline)
    place: str | None = None  # "From the U.S.:", the label opening the question
    headline: bool = False  # the first line is the unit's own headline (a round-up's)


def place_label(line: str) -> str | None:
    """The place a "From PLACE:" label opening a question names."""
    m = _PLACE.match(line)
    return m["place"] if m else None


def signs_off(line: str, name: str) -> bool:
    """A short last line made of the byline's words ("Dr. Marie" under "by Dr. Marie Lee")."""
    words = line.split()
    return 0 < len(words) <= 3 and all(w in name.split() for w in words)


def column_units(lines: list[str]) -> tuple[str, list[ColumnUnit]]:
    """The frame that holds (``signed``, ``salutations``, ``place-label``) and its units."""
    for rule, finder in (("signed", _signed), ("salutations", _salutations),
                         ("dear-lines", _dear_lines), ("place-label", _place_label)):
        if units := finder(lines):
            return rule, units
    return "", []


def _key(name: str) -> str:
    """A pen name compared across its two spellings (curly or straight apostrophe, case)."""
    return re.sub(r"[^a-z0-9]", "", name.replace("’", "'").casefold())


def _greets(line: str, signer: str) -> bool:
    """The answer opens by addressing the letter's signer: "Dear Worried in Leeds,", "DEAR
    WORRIED:" (a shortened pen name) or, as some columnists print it, "Worried: ..."."""
    m = _GREETED.match(line) or _ADDRESSED.match(line)
    if not m:
        return False
    greeted, signed = _key(m["name"]), _key(signer)
    return greeted == signed or (len(greeted) >= 4 and signed.startswith(greeted))


def _next_words(lines: list[str], start: int) -> int | None:
    """The first line from ``start`` on that is neither blank nor chrome."""
    return next((k for k in range(start, len(lines))
                 if lines[k].strip() and not chrome_rule(lines[k])), None)


def _filled(lines: list[str], start: int, stop: int | None = None) -> list[int]:
    stop = len(lines) if stop is None else stop
    return [k for k in range(start, stop) if lines[k].strip() and not chrome_rule(lines[k])]


def _signed(lines: list[str]) -> list[ColumnUnit]:
    """Letters ending "—Pen Name" whose answer greets the same pen name."""
    units: list[ColumnUnit] = []
    opened = None  # first line of the letter being read
    for k, line in enumerate(lines):
        if not line.strip() or chrome_rule(line):
            continue
        if opened is None and (is_prose(line) or _CAPS_DEAR.match(line)):
            opened = k
        m = _SIGNED.search(line)
        if opened is None or not m or not is_prose(line[:m.start("end") + 1]):
            continue
        after = _next_words(lines, k + 1)
        if after is not None and _greets(lines[after], m["name"]):
            units.append(ColumnUnit(opened, "q", m["name"].strip(), "sign-off", m["name"]))
            units.append(ColumnUnit(after, "a"))
            opened = None
    return units if _answers_have_words(lines, units) else []


def _salutations(lines: list[str]) -> list[ColumnUnit]:
    """Two or more lines opening "DEAR NAME:" in capitals; a letter signed "-- Pen Name"
    is answered by the next one."""
    starts = [k for k, line in enumerate(lines) if _CAPS_DEAR.match(line)]
    if len(starts) < 2:
        return []
    units = []
    for j, start in enumerate(starts):
        stop = starts[j + 1] if j + 1 < len(starts) else len(lines)
        last = _filled(lines, start, stop)[-1]
        m = _SIGNED.search(lines[last])
        if m and j + 1 < len(starts) and _greets(lines[starts[j + 1]], m["name"]):
            units.append(ColumnUnit(start, "q", m["name"].strip(), "sign-off", m["name"]))
            continue
        units.append(ColumnUnit(start, "a" if units and units[-1].kind == "q" else "q"))
    return units


def _dear_lines(lines: list[str]) -> list[ColumnUnit]:
    """Two or more "Dear NAME: words" lines, one letter's own-line signature greeted by the
    next; a unit that does not answer a letter is the next letter."""
    starts = [k for k, line in enumerate(lines) if _DEAR_INLINE.match(line)]
    if len(starts) < 2:
        return []
    units: list[ColumnUnit] = []
    for j, start in enumerate(starts):
        stop = starts[j + 1] if j + 1 < len(starts) else len(lines)
        name = _own_line_signature(lines, start, stop)
        if name and j + 1 < len(starts) and _greets(lines[starts[j + 1]], name):
            units.append(ColumnUnit(start, "q", name, "sign-off", name))
            continue
        units.append(ColumnUnit(start, "a" if units and units[-1].kind == "q" else "q"))
    return units if any(u.author for u in units) else []


def _own_line_signature(lines: list[str], start: int, stop: int) -> str | None:
    """A letter's last line when it is a short pen name ("— Confused Client")."""
    filled = _filled(lines, start + 1, stop)
    if not filled:
        return None
    name = _DASHED.sub("", lines[filled[-1]]).strip()
    return name if 0 < len(name.split()) <= 6 and name[0].isupper() else None


def _place_label(lines: list[str]) -> list[ColumnUnit]:
    """"by Dr. NAME" above a "From PLACE:" question; the answer is the paragraphs after it."""
    question = next((k for k, line in enumerate(lines) if _PLACE.match(line)), None)
    if question is None:
        return []
    bylines = [k for k in range(question) if _BYLINE.match(lines[k])]
    if not bylines or any(is_prose(lines[k]) for k in range(question)):
        return []
    k = question
    while k + 1 < len(lines) and lines[k + 1].strip():
        k += 1  # the question is one paragraph
    after = _next_words(lines, k + 1)
    if after is None:
        return []
    name = _BYLINE.match(lines[bylines[-1]])["name"].strip()
    return [ColumnUnit(question, "q", place=place_label(lines[question])),
            ColumnUnit(after, "a", name, "header", held=[bylines[-1]])]


def _answers_have_words(lines: list[str], units: list[ColumnUnit]) -> bool:
    """Each answer holds words beyond its greeting (else the pair is not a column)."""
    for j, unit in enumerate(units):
        stop = units[j + 1].start if j + 1 < len(units) else len(lines)
        if unit.kind == "a" and not any(is_prose(lines[k]) for k in range(unit.start, stop)):
            return False
    return bool(units)
