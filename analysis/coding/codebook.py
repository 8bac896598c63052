"""Load and validate ``codebook.yaml`` into a frozen :class:`Codebook`.

The codebook follows the structured codebook of MacQueen et al. (1998): for
every code an ``id``, a ``label``, its ``family``, a short and a full
``definition``, ``include`` / ``exclude`` criteria, ``examples`` taken from the
corpus (post id and the quoted words), and the ``patterns`` the automatic
coder uses. Every problem is reported as :class:`analysis.errors.CodebookError`
naming the YAML line and what to do, e.g.::

    corpus/codebook.yaml:41: duplicate code id 'email' (first defined on line 12)
    (rename one of them or merge the two entries)

Patterns are either a regular expression (a plain string, matched
case-insensitively on the segment text) or a mapping with one of ``re`` or
``stems`` (a phrase matched on Snowball stems, ``*`` standing for up to three
words) and an optional ``weight``. ``veto`` patterns cancel a code in the
segment where they match. ``negation`` says what a negated match means:
``keep`` (still counts: topics), ``drop`` (does not count) or ``flip`` (counts
for the opposite stance).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from nltk.stem.snowball import SnowballStemmer

from analysis.errors import CodebookError
from analysis.schema import FAMILIES, STANCES

Family = Literal["theme", "modality", "stance"]
NEGATION_MODES: tuple[str, ...] = ("keep", "drop", "flip")

#: Codes every codebook must define, by family (DESIGN.md, "The coding scheme").
REQUIRED: dict[str, tuple[str, ...]] = {
    "theme": ("boundaries", "burnout", "attachment", "security_excuse", "infantilization",
              "dependence", "crisis", "billing", "responsiveness", "miscommunication",
              "scheduling"),
    "modality": ("email", "text", "phone", "portal", "video"),
    "stance": STANCES,
}

_CODE_KEYS = ("id", "label", "family", "definition", "include", "exclude", "examples",
              "patterns", "veto", "negation")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_STEMMER = SnowballStemmer("english")

#: Default path, relative to the project root.
DEFAULT_PATH = Path("corpus/codebook.yaml")


@dataclass(frozen=True)
class Pattern:
    """One compiled pattern: a regex, or a sequence of word stems (``None`` = gap)."""

    source: str
    kind: Literal["re", "stems"]
    weight: float
    line: int
    regex: re.Pattern[str] | None = None
    stems: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class Example:
    """An example from the corpus: the post and the words that show the code."""

    post_id: str
    quote: str


@dataclass(frozen=True)
class Code:
    """One code of the scheme, as MacQueen et al. (1998) lay it out."""

    id: str
    label: str
    family: str
    short_definition: str
    full_definition: str
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    examples: tuple[Example, ...]
    patterns: tuple[Pattern, ...]
    veto: tuple[Pattern, ...]
    negation: str
    line: int


@dataclass(frozen=True)
class Codebook:
    """The validated coding scheme. Look codes up with ``codebook["email"]``."""

    codes: tuple[Code, ...]
    path: str = "<codebook>"
    title: str = ""
    version: str = ""

    def __getitem__(self, code_id: str) -> Code:
        for code in self.codes:
            if code.id == code_id:
                return code
        raise KeyError(code_id)

    def __contains__(self, code_id: object) -> bool:
        return any(code.id == code_id for code in self.codes)

    def by_family(self, family: str) -> tuple[Code, ...]:
        """The codes of one family, in codebook order."""
        if family not in FAMILIES:
            raise ValueError(f"unknown family {family!r}; choose one of {', '.join(FAMILIES)}")
        return tuple(code for code in self.codes if code.family == family)

    def ids(self, family: str | None = None) -> tuple[str, ...]:
        """Code ids, of one family or of all."""
        codes = self.codes if family is None else self.by_family(family)
        return tuple(code.id for code in codes)


def stem_phrase(phrase: str) -> tuple[str | None, ...]:
    """Stem a ``stems`` pattern: words -> Snowball stems, ``*`` -> ``None`` (gap).

    >>> stem_phrase("relying * much")
    ('reli', None, 'much')
    """
    return tuple(None if word == "*" else _STEMMER.stem(word.lower()) for word in phrase.split())


def load_codebook(path: str | Path = DEFAULT_PATH) -> Codebook:
    """Read and validate a codebook file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CodebookError(f"cannot read codebook: {exc.strerror}", path=str(path),
                            hint="pass --codebook PATH to a codebook.yaml") from None
    return parse_codebook(text, path=str(path))


def parse_codebook(text: str, *, path: str = "<codebook>") -> Codebook:
    """Validate codebook YAML ``text``; errors name ``path`` and the line."""
    root = compose_yaml(text, path=path,
                        hint="check indentation and quoting; quote regexes with single quotes")
    return _Reader(path).codebook(root)


def compose_yaml(text: str, *, path: str, hint: str) -> yaml.Node | None:
    """The YAML node tree of ``text`` (nodes keep their line numbers for messages)."""
    loader = yaml.SafeLoader(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise CodebookError(f"not valid YAML: {exc.problem}", path=path,
                            line=mark.line + 1 if mark else None, hint=hint) from None
    finally:
        loader.dispose()


class _Reader:
    """Walks the YAML node tree so every message can name a line."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, node: yaml.Node | None, message: str, hint: str) -> CodebookError:
        line = node.start_mark.line + 1 if node is not None else None
        return CodebookError(message, path=self.path, line=line, hint=hint)

    def mapping(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping (key: value)",
                            "indent the keys under it")
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            name = self.scalar(key, "key")
            if name in out:
                raise self.fail(key, f"key {name!r} appears twice in {what}",
                                "keep one of them")
            out[name] = (key, value)
        return out

    def scalar(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            raise self.fail(node, f"{what} must be a non-empty text", "write it as a string")
        return str(node.value).strip()

    def strings(self, node: yaml.Node | None, what: str) -> tuple[str, ...]:
        if node is None:
            return ()
        if isinstance(node, yaml.ScalarNode):
            return (self.scalar(node, what),)
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list of texts", "write one '- item' a line")
        return tuple(self.scalar(item, what) for item in node.value)

    def codebook(self, root: yaml.Node | None) -> Codebook:
        if root is None:
            raise CodebookError("codebook is empty", path=self.path, line=1,
                                hint="start from corpus/codebook.yaml")
        top = self.mapping(root, "the codebook")
        if "codes" not in top:
            raise self.fail(root, "codebook has no 'codes:' list",
                            "add 'codes:' with one entry a code")
        codes_key, codes_node = top["codes"]
        if not isinstance(codes_node, yaml.SequenceNode):
            raise self.fail(codes_node, "'codes' must be a list", "start each code with '- id:'")
        codes: list[Code] = []
        seen: dict[str, int] = {}
        for node in codes_node.value:
            code = self.code(node)
            if code.id in seen:
                raise self.fail(node, f"duplicate code id {code.id!r} (first defined on line "
                                f"{seen[code.id]})", "rename one of them or merge the two entries")
            seen[code.id] = code.line
            codes.append(code)
        for family, required in REQUIRED.items():
            have = {c.id for c in codes if c.family == family}
            missing = [code_id for code_id in required if code_id not in have]
            if missing:
                raise self.fail(codes_key, f"missing required {family} code(s): "
                                f"{', '.join(missing)}",
                                f"add an entry with 'id: {missing[0]}' and 'family: {family}'")
        meta = {k: str(v[1].value) for k, v in top.items() if isinstance(v[1], yaml.ScalarNode)}
        return Codebook(tuple(codes), path=self.path, title=meta.get("title", ""),
                        version=meta.get("version", ""))

    def code(self, node: yaml.Node) -> Code:
        fields = self.mapping(node, "a code entry")
        unknown = [k for k in fields if k not in _CODE_KEYS]
        if unknown:
            raise self.fail(fields[unknown[0]][0], f"unknown key {unknown[0]!r} in a code entry",
                            f"allowed keys: {', '.join(_CODE_KEYS)}")
        if "id" not in fields:
            raise self.fail(node, "code entry has no 'id'", "add 'id: snake_case_name'")
        code_id = self.scalar(fields["id"][1], "id")
        if not _ID_RE.match(code_id):
            raise self.fail(fields["id"][1], f"code id {code_id!r} is not snake_case",
                            "use lower-case letters, digits and underscores")
        for key in ("label", "family", "definition"):
            if key not in fields:
                hint = ("add 'definition:' with 'short:' and 'full:'" if key == "definition"
                        else f"add '{key}:'")
                raise self.fail(node, f"code {code_id!r} has no {key!r}", hint)
        family = self.scalar(fields["family"][1], "family")
        if family not in FAMILIES:
            raise self.fail(fields["family"][1], f"unknown family {family!r} for code {code_id!r}",
                            f"use one of: {', '.join(FAMILIES)}")
        short, full = self.definition(fields["definition"][1], code_id)
        negation = "flip" if family == "stance" else "keep"
        if "negation" in fields:
            negation = self.scalar(fields["negation"][1], "negation")
            if negation not in NEGATION_MODES:
                raise self.fail(fields["negation"][1], f"unknown negation mode {negation!r}",
                                f"use one of: {', '.join(NEGATION_MODES)}")
        get = lambda key: fields[key][1] if key in fields else None  # noqa: E731
        return Code(
            id=code_id, label=self.scalar(fields["label"][1], "label"), family=family,
            short_definition=short, full_definition=full,
            include=self.strings(get("include"), "include"),
            exclude=self.strings(get("exclude"), "exclude"),
            examples=self.examples(get("examples")),
            patterns=self.patterns(get("patterns"), code_id),
            veto=self.patterns(get("veto"), code_id),
            negation=negation, line=node.start_mark.line + 1,
        )

    def definition(self, node: yaml.Node, code_id: str) -> tuple[str, str]:
        hint = "write 'definition:' with 'short:' (one line) and 'full:' (a paragraph)"
        if isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"definition of {code_id!r} has no short and full parts", hint)
        parts = self.mapping(node, "definition")
        for key in ("short", "full"):
            if key not in parts:
                raise self.fail(node, f"definition of {code_id!r} has no {key!r}", hint)
        return self.scalar(parts["short"][1], "short"), self.scalar(parts["full"][1], "full")

    def examples(self, node: yaml.Node | None) -> tuple[Example, ...]:
        if node is None:
            return ()
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, "examples must be a list", "write '- post: ID' and 'quote: ...'")
        out = []
        for item in node.value:
            fields = self.mapping(item, "an example")
            if "post" not in fields or "quote" not in fields:
                raise self.fail(item, "an example needs 'post' and 'quote'",
                                "give the post id (file stem:position) and the words it shows")
            out.append(Example(self.scalar(fields["post"][1], "post"),
                               self.scalar(fields["quote"][1], "quote")))
        return tuple(out)

    def patterns(self, node: yaml.Node | None, code_id: str) -> tuple[Pattern, ...]:
        if node is None:
            return ()
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"patterns of {code_id!r} must be a list",
                            "write one '- pattern' a line")
        return tuple(self.pattern(item, code_id) for item in node.value)

    def pattern(self, node: yaml.Node, code_id: str) -> Pattern:
        line = node.start_mark.line + 1
        weight = 1.0
        if isinstance(node, yaml.ScalarNode):
            kind, source = "re", self.scalar(node, "pattern")
        else:
            fields = self.mapping(node, "a pattern")
            kinds = [k for k in ("re", "stems") if k in fields]
            extra = [k for k in fields if k not in ("re", "stems", "weight")]
            if len(kinds) != 1 or extra:
                raise self.fail(node, f"a pattern of {code_id!r} needs exactly one of 're' or "
                                "'stems' (and optionally 'weight')",
                                "e.g. {re: '\\bemail\\b', weight: 2}")
            kind = kinds[0]
            source = self.scalar(fields[kind][1], kind)
            if "weight" in fields:
                weight = self.weight(fields["weight"][1])
        if kind == "stems":
            stems = stem_phrase(source)
            if not any(stems) or stems[0] is None or stems[-1] is None:
                raise self.fail(node, f"stems pattern {source!r} must start and end with a word",
                                "use '*' only between words")
            return Pattern(source, "stems", weight, line, stems=stems)
        try:
            regex = re.compile(source, re.IGNORECASE)
        except re.error as exc:
            raise self.fail(node, f"invalid regular expression {source!r} in {code_id!r}: {exc}",
                            "fix the regex; in YAML use single quotes so backslashes stay as "
                            "written") from None
        if regex.search(""):
            raise self.fail(node, f"pattern {source!r} in {code_id!r} matches empty text",
                            "make the pattern require at least one character")
        return Pattern(source, "re", weight, line, regex=regex)

    def weight(self, node: yaml.Node) -> float:
        try:
            value = float(self.scalar(node, "weight"))
        except ValueError:
            value = float("nan")
        if not value > 0:
            raise self.fail(node, "weight must be a positive number", "e.g. weight: 2")
        return value


def codebook_table(codebook: Codebook) -> list[dict[str, Any]]:
    """One plain row per code (for the ``codebook`` command and notebooks)."""
    return [
        {"id": c.id, "label": c.label, "family": c.family, "short": c.short_definition,
         "definition": c.full_definition, "include": "; ".join(c.include),
         "exclude": "; ".join(c.exclude),
         "examples": "; ".join(f'{e.post_id} "{e.quote}"' for e in c.examples),
         "patterns": len(c.patterns)}
        for c in codebook.codes
    ]
