"""docs/architecture.md names every module of the package, so a newcomer finds where each thing
lives; a module added without a row in its table fails here."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "luoshi"


def test_every_module_is_in_the_architecture_table():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if p.name != "__init__.py")
    # serve/pages/ has one module per area of the app, named in the web pages row
    missing = [m for m in modules if f"`{m}`" not in doc
               and not (m.startswith("serve/pages/") and "`serve/pages/*.py`" in doc and Path(m).stem in doc)]
    assert not missing, f"modules missing from docs/architecture.md: {missing}"
