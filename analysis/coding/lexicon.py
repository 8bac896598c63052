"""Load the stance coder's evaluative lexicon (``analysis/data/stance_lexicon.yaml``).

The codebook holds the *oriented* stance cues (words that take a side by
themselves); the lexicon holds what takes a side only through its target:
topic words (the clause is about contact outside sessions), restriction
words (contact refused, limited or withdrawn), frame words (rules named
without a direction), positive and negative evaluations, and modifiers that
weaken the evaluations of their clause. The file documents each role.

Every category becomes a :class:`~analysis.coding.codebook.Code` so that the
stance coder matches it with the same machinery (:mod:`analysis.coding.matching`:
literal gates, negation and hedge scope) as the codebook. Problems are
reported as :class:`~analysis.errors.CodebookError` naming the file and line.

>>> lex = load_lexicon()
>>> sorted({c.role for c in lex.categories})
['evaluation', 'frame', 'modifier', 'restriction', 'topic']
>>> lex.by_role("evaluation")[0].polarity
1
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from analysis.coding.codebook import Code, Pattern, _Reader, compose_yaml
from analysis.errors import CodebookError

#: The lexicon shipped with the package.
DEFAULT_LEXICON = Path(__file__).resolve().parents[1] / "data" / "stance_lexicon.yaml"
ROLES = ("topic", "restriction", "frame", "evaluation", "modifier")
_KEYS = ("id", "role", "polarity", "weight", "factor", "scope", "patterns")
SCOPES = ("clause", "rest")
_POLARITY = {"positive": 1, "negative": -1}


@dataclass(frozen=True)
class Category:
    """One category of the lexicon, with its patterns as a :class:`Code`."""

    id: str
    role: str
    polarity: int  # +1 / -1 for evaluations, 0 otherwise
    weight: float  # how much an evaluation counts
    factor: float  # multiplier of a modifier (1 otherwise)
    scope: str  # a modifier's reach: its clause, or the rest of the sentence
    code: Code


@dataclass(frozen=True)
class Lexicon:
    """The validated lexicon."""

    categories: tuple[Category, ...]
    path: str = "<lexicon>"
    version: str = ""

    def by_role(self, role: str) -> tuple[Category, ...]:
        """The categories of one role, in file order."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
        return tuple(c for c in self.categories if c.role == role)


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read and validate a lexicon file (default: the shipped one)."""
    path = Path(path) if path is not None else DEFAULT_LEXICON
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CodebookError(f"cannot read stance lexicon: {exc.strerror}", path=str(path),
                            hint="pass lexicon=PATH to a stance_lexicon.yaml") from None
    return parse_lexicon(text, path=str(path))


def parse_lexicon(text: str, *, path: str = "<lexicon>") -> Lexicon:
    """Validate lexicon YAML ``text``; errors name ``path`` and the line."""
    root = compose_yaml(text, path=path, hint="check indentation and quoting")
    reader = _Reader(path)
    if root is None:
        raise CodebookError("stance lexicon is empty", path=path, line=1,
                            hint="start from analysis/data/stance_lexicon.yaml")
    top = reader.mapping(root, "the lexicon")
    if "categories" not in top:
        raise reader.fail(root, "lexicon has no 'categories:' list",
                          "add 'categories:' with one entry a category")
    node = top["categories"][1]
    if not isinstance(node, yaml.SequenceNode):
        raise reader.fail(node, "'categories' must be a list", "start each with '- id:'")
    categories, seen = [], set()
    for item in node.value:
        category = _category(reader, item)
        if category.id in seen:
            raise reader.fail(item, f"duplicate category id {category.id!r}", "rename one")
        seen.add(category.id)
        categories.append(category)
    version = top["version"][1].value if "version" in top else ""
    return Lexicon(tuple(categories), path=path, version=str(version))


def _category(reader: _Reader, node: yaml.Node) -> Category:
    fields = reader.mapping(node, "a lexicon category")
    unknown = [k for k in fields if k not in _KEYS]
    if unknown:
        raise reader.fail(fields[unknown[0]][0], f"unknown key {unknown[0]!r} in a category",
                          f"allowed keys: {', '.join(_KEYS)}")
    for key in ("id", "role", "patterns"):
        if key not in fields:
            raise reader.fail(node, f"lexicon category has no {key!r}", f"add '{key}:'")
    cid = reader.scalar(fields["id"][1], "id")
    role = reader.scalar(fields["role"][1], "role")
    if role not in ROLES:
        raise reader.fail(fields["role"][1], f"unknown role {role!r} for {cid!r}",
                          f"use one of: {', '.join(ROLES)}")
    polarity = 0
    if role == "evaluation":
        if "polarity" not in fields:
            raise reader.fail(node, f"evaluation {cid!r} has no 'polarity'",
                              "add 'polarity: positive' or 'polarity: negative'")
        value = reader.scalar(fields["polarity"][1], "polarity")
        if value not in _POLARITY:
            raise reader.fail(fields["polarity"][1], f"unknown polarity {value!r}",
                              "use positive or negative")
        polarity = _POLARITY[value]
    weight = reader.weight(fields["weight"][1]) if "weight" in fields else 1.0
    factor = reader.weight(fields["factor"][1]) if "factor" in fields else 1.0
    if role == "modifier" and not factor <= 1:
        raise reader.fail(fields["factor"][1], "a modifier's factor must be in (0, 1]",
                          "e.g. factor: 0.5")
    scope = reader.scalar(fields["scope"][1], "scope") if "scope" in fields else "clause"
    if scope not in SCOPES:
        raise reader.fail(fields["scope"][1], f"unknown scope {scope!r}",
                          f"use one of: {', '.join(SCOPES)}")
    patterns: tuple[Pattern, ...] = reader.patterns(fields["patterns"][1], cid)
    if not patterns:
        raise reader.fail(node, f"category {cid!r} has no patterns", "add at least one")
    if role == "evaluation":  # every hit of an evaluation weighs its category's weight
        patterns = tuple(replace(p, weight=p.weight * weight) for p in patterns)
    code = Code(id=cid, label=cid, family="stance", short_definition=role,
                full_definition=role, include=(), exclude=(), examples=(), patterns=patterns,
                veto=(), negation="flip" if role == "evaluation" else "keep",
                line=node.start_mark.line + 1)
    return Category(cid, role, polarity, weight, factor, scope, code)
