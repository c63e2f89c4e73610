"""The source's shape, checked from the source: no import cycles, no hidden imports, small pieces.

The import graph is built with ``ast`` from every module under ``src/luoshi`` (nothing is
imported).  An edge runs from a module to each luoshi module it imports at module level or
inside a function: ``from . import x`` and ``from .pkg import x`` count as edges to the
module ``x`` when it is one, else to the package.  A function-local import is allowed only for
start-up time (the CLI keeps ``luoshi --help`` fast; openpyxl is slow to import) and says so
in a comment on its line or the line above.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
MAX_MODULE_LINES = 420
MAX_FUNCTION_LINES = 60
START_UP_WORDS = ("start-up", "startup", "start up")


@lru_cache(maxsize=1)
def modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / "luoshi").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _package(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _targets(node: ast.Import | ast.ImportFrom, name: str, path: Path) -> list[str]:
    known = modules()
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in known]
    if node.level:
        base = _package(name, path).split(".")
        base = base[: len(base) - (node.level - 1)]
        module = ".".join(base + ([node.module] if node.module else []))
    else:
        module = node.module or ""
    out = []
    for alias in node.names:
        sub = f"{module}.{alias.name}"
        if sub in known:
            out.append(sub)
        elif module in known:
            out.append(module)
    return out


@lru_cache(maxsize=1)
def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        edges[name] = {
            t
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for t in _targets(node, name, path)
            if t != name
        }
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    assert cycles(graph()) == []


def _import_block(lines: list[str], lineno: int) -> list[str]:
    """The import at ``lineno`` (1-based) with the imports, blank lines and comments right above
    it and the line before them: a comment above a group of imports covers the group."""
    first = lineno - 1
    while first > 0 and (
        not lines[first - 1].strip() or lines[first - 1].lstrip().startswith(("from ", "import ", "#"))
    ):
        first -= 1
    return lines[max(0, first - 1) : lineno]


def test_function_local_imports_are_for_start_up_time_only():
    unexplained = []
    for name, path in modules().items():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    nearby = " ".join(_import_block(lines, node.lineno)).lower()
                    if not any(word in nearby for word in START_UP_WORDS):
                        unexplained.append(f"{name}:{node.lineno} in {func.name}()")
    assert unexplained == []


def test_modules_and_functions_are_small():
    too_long = []
    for name, path in modules().items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}.{node.name}: {length} lines")
    assert too_long == []
