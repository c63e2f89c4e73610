"""The store and the import package stay layered: no import cycles among their modules, no
module of theirs importing another inside a function, and the store importing neither the
import package, the web app nor the CLI (docs/architecture.md, "Layers")."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "luoshi"
LAYERS = ("luoshi.store", "luoshi.importing")


def _modules() -> dict[str, tuple[Path, bool]]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ("luoshi",) + path.relative_to(PACKAGE).with_suffix("").parts
        package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if package else parts)] = (path, package)
    return found


MODULES = _modules()


def _inside(name: str, layers=LAYERS) -> bool:
    return any(name == layer or name.startswith(layer + ".") for layer in layers)


def _imports(name: str) -> list[tuple[str, int, bool]]:
    """``(module imported, line, inside a function)`` for each import of module ``name``:
    ``from . import x`` and ``from .pkg import x`` count as importing the module ``x`` when it is one."""
    path, package = MODULES[name]
    here = name.split(".") if package else name.split(".")[:-1]
    out = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            local = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.ImportFrom):
                base = here[: len(here) - child.level + 1] if child.level else []
                target = ".".join(base + ([child.module] if child.module else []))
                for alias in child.names:
                    sub = f"{target}.{alias.name}"
                    out.append((sub if sub in MODULES else target, child.lineno, in_function))
            elif isinstance(child, ast.Import):
                out.extend((alias.name, child.lineno, in_function) for alias in child.names)
            visit(child, local)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return out


def test_no_import_cycles_among_the_store_and_the_import_package():
    graph = {
        name: {t for t, _, _ in _imports(name) if _inside(t) and t in MODULES} for name in MODULES if _inside(name)
    }
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            assert state.get(nxt) != 1, f"import cycle: {' → '.join(path[path.index(nxt) :] + [node, nxt])}"
            if nxt not in state:
                walk(nxt, path + [node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name, [])


def test_no_function_local_imports_in_the_store_and_the_import_package():
    local = [
        f"{MODULES[name][0].relative_to(PACKAGE)}:{line} imports {target}"
        for name in MODULES
        if _inside(name)
        for target, line, inside in _imports(name)
        if inside
    ]
    assert not local, local


def test_the_store_imports_neither_the_import_package_nor_the_web_nor_the_cli():
    upward = [
        f"{name} imports {target}"
        for name in MODULES
        if _inside(name, ("luoshi.store",))
        for target, _, _ in _imports(name)
        if _inside(target, ("luoshi.importing", "luoshi.serve", "luoshi.cli"))
    ]
    assert not upward, upward
