"""docs/architecture.md names every module of the package in its package's row, so a newcomer
finds where each thing lives (a module added without a word in its row fails here), and fits
one screen."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "luoshi"
DOC = ROOT / "docs" / "architecture.md"
SCREEN_LINES = 50


def table() -> dict[str, set[str]]:
    """package folder ("" for the top) → the names in backticks of its row."""
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = line.split("|")
        if len(cells) < 5 or not cells[1].strip().startswith("`"):
            continue
        package = cells[1].strip().strip("`").removeprefix("luoshi/").rstrip("/")
        rows[package] = set(re.findall(r"`([^`]+)`", cells[3]))
    return rows


def modules() -> list[tuple[str, str]]:
    """(package folder, module name) of every module but ``__init__``."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name != "__init__.py":
            folder = str(path.parent.relative_to(PACKAGE)).replace(".", "")
            found.append((folder, path.stem))
    return found


def _named(rows: dict[str, set[str]], folder: str, name: str) -> bool:
    if folder == "serve/pages":  # one router per area, named in serve's row
        return "serve/pages/*.py" in rows.get("serve", set()) and name in DOC.read_text(encoding="utf-8")
    return name in rows.get(folder, set())


def test_every_module_is_in_its_package_row():
    rows = table()
    missing = [f"{folder}/{name}" for folder, name in modules() if not _named(rows, folder, name)]
    assert not missing, f"modules missing from docs/architecture.md: {missing}"


def test_every_package_row_is_a_package():
    folders = {str(p.parent.relative_to(PACKAGE)).replace(".", "") for p in PACKAGE.rglob("__init__.py")}
    assert set(table()) <= folders


def test_it_fits_one_screen():
    assert len(DOC.read_text(encoding="utf-8").splitlines()) <= SCREEN_LINES
