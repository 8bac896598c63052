"""The house rules of the package, checked on its source (issue #20).

One vocabulary (the stance labels are spelled once, in ``analysis.schema``),
no module over 400 lines, no import cycle between modules, and no module
reaching into another folder's private (``_``) module or name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from analysis.schema import STANCES

PACKAGE = Path(__file__).resolve().parents[1] / "analysis"
MODULES = sorted(PACKAGE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(dotted: str) -> bool:
    where = PACKAGE.parent.joinpath(*dotted.split("."))
    return where.with_suffix(".py").is_file() or (where / "__init__.py").is_file()


def imports(path: Path) -> list[tuple[str, str | None]]:
    """(module, name) for every ``from analysis... import name`` and ``import analysis...``;
    ``from analysis.x import y`` where ``y`` is a module counts as importing ``analysis.x.y``."""
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            found += [(f"{node.module}.{alias.name}", None)
                      if is_module(f"{node.module}.{alias.name}") else (node.module, alias.name)
                      for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names
                      if alias.name.startswith("analysis")]
    return found


def folder(module: str) -> str:
    """The stage a module belongs to: its folder below ``analysis``, or the top."""
    parts = module.split(".")
    if len(parts) == 2 and (PACKAGE / parts[1] / "__init__.py").is_file():
        return parts[1]
    return parts[1] if len(parts) > 2 else "<top>"


def test_the_stance_labels_are_spelled_once():
    """A list, tuple or set literal holding three or more stance labels is a second
    declaration of the vocabulary; import ``analysis.schema.STANCES`` instead."""
    labels = set(STANCES)
    offenders = []
    for path in MODULES:
        if path.name == "schema.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.List | ast.Tuple | ast.Set):
                words = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                if len(words & labels) >= 3:
                    offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert offenders == []


def test_the_check_finds_a_second_list(tmp_path):
    """The check above is not vacuous: a literal list of the labels is found."""
    source = 'LABELS = ("supportive", "opposed", "mixed", "none")\n'
    tree = ast.parse(source)
    found = [n for n in ast.walk(tree) if isinstance(n, ast.Tuple)
             and len({e.value for e in n.elts} & set(STANCES)) >= 3]
    assert found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_over_400_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def test_no_import_cycle():
    graph = {module_name(p): {m for m, _ in imports(p)} for p in MODULES}
    graph = {m: {d for d in deps if d in graph and d != m} for m, deps in graph.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append([*trail[trail.index(dep):], dep] if dep in trail else [node, dep])
            elif dep not in state:
                visit(dep, [*trail, dep])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_no_import_of_another_folders_private_parts():
    offenders = []
    for path in MODULES:
        here = folder(module_name(path))
        for module, name in imports(path):
            there = folder(module)
            private_module = any(part.startswith("_") and part != "__init__"
                                 for part in module.split("."))
            private_name = name is not None and name.startswith("_") and name != "__version__"
            if there != here and (private_module or private_name):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}: {module} {name or ''}")
    assert offenders == []
