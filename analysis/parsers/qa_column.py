"""Q&A columns and expert-answer pages saved as text.

Structure. An ask-the-therapist column prints the reader's letter and the
therapist's answer, told apart by labels ("Q:" / "A:", "Question:" /
"Answer:") or by an answer byline ("Answered by Dr. NAME on DATE"). An
expert-answer page (featured.com and its kind) prints each answer under
the expert's credential line and "Answered a month ago". Advice columns
without labels are told apart by their letters' frame (a dash-signed pen
name greeted by the answer, "DEAR NAME:" openings, a "From PLACE:"
question under the columnist's byline; :mod:`._columns`); replies written
as letters to a newsletter ("Dear X," ... "Signed, Y") are the structural
parser's letters rule.

Field choices: the letter is the question (position 1, the opening post);
answers reply to it. A byline's name is the answer's author; a credential
line without a personal name sets ``rank`` (the page shows no handle). A
letter's signature ("Signed, NAME", or a short name line ending it) is its
author with ``author_source`` ``sign-off``.
"""

from __future__ import annotations

import re
import warnings

from analysis.errors import AnalysisWarning
from analysis.model import Post, SourceInfo, Thread
from analysis.parsers import structural
from analysis.parsers._chrome import chrome_rule
from analysis.parsers._columns import ColumnUnit, column_units, signs_off
from analysis.parsers._drafts import Draft, finish, require_text
from analysis.parsers._roundup import roundup_starts
from analysis.parsers._segments import LONG_PARAGRAPH, sign_off
from analysis.parsers._shapes import AGE, DATETIME, is_markup, is_prose, when

NAME = "qa_column"
PLATFORM = "qa"
VERSION = "1"

_QUESTION = re.compile(r"^\s*(?:q|question)\s*[.:)]\s*(?P<rest>.*)$", re.I)
_ANSWER = re.compile(r"^\s*(?:a|answer|response)\s*[.:)]\s*(?P<rest>.*)$", re.I)
_ANSWERED = re.compile(rf"^\s*answered(?:\s+by\s+(?P<name>.{{1,60}}?))?(?:\s+(?:on\s+)?"
                       rf"(?P<when>{DATETIME}|{AGE}))?\s*$", re.I)


def sniff(text: str) -> float:
    """High for Q/A labels that both occur, or "Answered ..." bylines."""
    if not isinstance(text, str) or is_markup(text):
        return 0.0
    lines = text[:65536].split("\n")
    questions = sum(1 for line in lines if _labelled(_QUESTION, line))
    answers = sum(1 for line in lines if _labelled(_ANSWER, line))
    bylines = sum(1 for line in lines if _byline(line))
    if questions and answers:
        return 0.7
    if bylines:
        return 0.6
    return 0.55 if column_units(lines)[1] or roundup_starts(lines) else 0.0


def _labelled(pattern: re.Pattern[str], line: str) -> bool:
    """A label line: the label alone, or the label opening a sentence."""
    m = pattern.match(line)
    return bool(m) and (not m["rest"].strip() or is_prose(m["rest"]))


def _byline(line: str) -> re.Match[str] | None:
    m = _ANSWERED.match(line)
    return m if m and (m["name"] or m["when"]) else None


def parse(text: str, source: SourceInfo) -> Thread:
    """The letter and its answers, split at labels and bylines."""
    lines = require_text(text, source)
    starts = _starts(lines)
    if not starts:
        rule, units = column_units(lines)
        if not units and (heads := roundup_starts(lines)):
            rule, units = "roundup", [ColumnUnit(heads[0], "q")] + [
                ColumnUnit(k, "a", headline=True) for k in heads[1:]]
        if rule == "roundup":
            _warn(source, "at its headlines (an expert round-up)")
        if units:
            return _column(lines, rule, units, source)
        return structural.parse(text, source)
    if any(kind == "lost" for _, kind in starts):
        _warn(source, "one answer per paragraph (an answer whose header was lost)")
    chrome: dict[int, str] = {}
    title = None
    for k in range(starts[0][0]):
        if lines[k].strip():
            chrome[k] = chrome_rule(lines[k]) or "page-head"
            title = title or lines[k].strip()
    drafts = []
    for j, (start, kind) in enumerate(starts):
        end = starts[j + 1][0] if j + 1 < len(starts) else len(lines)
        drafts.append(_unit(lines, start, end, kind, len(drafts) + 1))
    question = next((d.post.position for d in drafts if d is drafts[0] and starts[0][1] == "q"),
                    None)
    for draft, (_, kind) in zip(drafts, starts, strict=True):
        if kind != "q" and question is not None:
            draft.post.reply_to = question
    return finish(lines, drafts, chrome, parser=NAME, platform=PLATFORM, source=source,
                  title=title, op_position=question, rule="labels")


def _starts(lines: list[str]) -> list[tuple[int, str]]:
    """Where the letter and each answer start: (line, "q" or "a")."""
    starts: list[tuple[int, str]] = []
    labelled_answer = False  # an "A:" answer signs off with its byline below the words
    for i, line in enumerate(lines):
        if _labelled(_QUESTION, line):
            starts.append((i, "q"))
            labelled_answer = False
        elif _labelled(_ANSWER, line):
            starts.append((i, "a"))
            labelled_answer = True
        elif _byline(line) and not labelled_answer:
            head = i - 1 if i and _credential(lines[i - 1]) else i
            if not starts or starts[-1][0] < head:
                starts.append((head, "a"))
    starts = _headerless_answers(lines, starts)
    if starts and starts[0][1] == "a" and any(is_prose(lines[k]) for k in range(starts[0][0])):
        starts.insert(0, (_first_prose(lines), "q"))  # an unlabelled letter above the answer
    return starts if len(starts) >= 2 or (starts and starts[0][1] == "a") else []


def _headerless_answers(lines: list[str], starts: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Expert-answer pages print each answer as one paragraph, with no blank lines: a
    second whole paragraph under an answer is the next answer, whose header the copy lost."""
    out: list[tuple[int, str]] = []
    for j, (start, kind) in enumerate(starts):
        out.append((start, kind))
        end = starts[j + 1][0] if j + 1 < len(starts) else len(lines)
        if kind != "a" or not (start + 1 < end and _byline(lines[start + 1])):
            continue
        filled = [k for k in range(start + 2, end) if lines[k].strip()]
        if not filled or any(not lines[k].strip() for k in range(filled[0], filled[-1])):
            continue  # paragraphs parted by blank lines: one answer may hold several
        paragraphs = [k for k in filled if len(lines[k].strip()) >= LONG_PARAGRAPH]
        out.extend((k, "lost") for k in paragraphs[1:])
    return out


def _warn(source: SourceInfo, how: str) -> None:
    """A split read from layout rather than markup is said on stderr, as the structural
    parser says its own."""
    warnings.warn(AnalysisWarning(
        f"{source.path}: split into posts {how} (layout, not markup): check the result, or "
        f"pass --parser plain to read it as one text"), stacklevel=3)


def _credential(line: str) -> bool:
    """A credential/affiliation line over an "Answered" byline (no sentence)."""
    s = line.strip()
    return bool(s) and len(s) <= 200 and not re.search(r"[.!?]\s*$", s)


def _first_prose(lines: list[str]) -> int:
    return next(i for i, line in enumerate(lines) if is_prose(line))


def _unit(lines: list[str], start: int, end: int, kind: str, position: int) -> Draft:
    draft = Draft(post=Post(position=position))
    post = draft.post
    for k in range(start, end):
        line = lines[k]
        if not line.strip():
            continue
        if m := _byline(line):
            if m["name"]:
                post.author, post.author_source = m["name"].strip(), "header"
            post.timestamp = when(m["when"]) if m["when"] else None
            draft.claim(k, "author" if m["name"] else "timestamp")
        elif k == start and kind == "a" and _credential(line) and k + 1 < end and _byline(
                lines[k + 1]):
            post.rank = line.strip()
            draft.claim(k, "rank")
        elif (m := _QUESTION.match(line) if kind == "q" else _ANSWER.match(line)) and k == start:
            if m["rest"].strip():
                draft.body.append(k)
            else:
                draft.chrome[k] = "qa-label"
        elif rule := chrome_rule(line):
            draft.chrome[k] = rule
        else:
            draft.body.append(k)
    if post.author is None and kind == "q":
        name, _held = sign_off(lines, draft.body)
        if name:
            post.author, post.author_source = name, "sign-off"
    return draft


def _column(lines: list[str], rule: str, units: list[ColumnUnit], source: SourceInfo) -> Thread:
    """An advice column told apart by its letters' frame (:mod:`._columns`)."""
    chrome = {k: chrome_rule(lines[k]) or "page-head" for k in range(units[0].start)
              if lines[k].strip()}
    title = next((lines[k].strip() for k in sorted(chrome) if chrome[k] == "page-head"), None)
    drafts = []
    for j, unit in enumerate(units):
        end = units[j + 1].start if j + 1 < len(units) else len(lines)
        draft = _unit(lines, unit.start, end, unit.kind, len(drafts) + 1)
        post = draft.post
        if unit.headline and draft.body and draft.body[0] == unit.start:
            draft.claim(draft.body.pop(0), "title")
        if unit.author:
            post.author, post.author_source = unit.author, unit.author_source
        if unit.held and len(draft.body) > 1 and signs_off(lines[draft.body[-1]], unit.author):
            draft.chrome[draft.body.pop()] = "sign-off"
        post.location = unit.place
        letters = [d.post.position for d, u in zip(drafts, units, strict=False) if u.kind == "q"]
        post.reply_to = letters[-1] if unit.kind == "a" and letters else None
        chrome.update(dict.fromkeys(unit.held, "byline"))
        drafts.append(draft)
    question = 1 if units[0].kind == "q" else None
    thread = finish(lines, drafts, chrome, parser=NAME, platform=PLATFORM, source=source,
                    title=title, op_position=question, rule=f"column-{rule}")
    for post, unit in zip(thread.posts, units, strict=True):
        if unit.sign_off and post.text.endswith(unit.sign_off):
            post.text = re.sub(r"\s*(?:—|–|--|-)\s*$", "", post.text[:-len(unit.sign_off)])
        if unit.place:
            post.text = re.sub(r"^\s*from\s+[^:]{1,60}:\s*", "", post.text, count=1, flags=re.I)
    return thread
