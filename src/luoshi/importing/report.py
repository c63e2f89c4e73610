"""What an import or re-extraction run says: one :class:`FileResult` per file or document, and
the :class:`ImportReport` of the run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable


@dataclass
class FileResult:
    """What happened to one file (or stored document): ``status`` is ``imported``,
    ``unchanged``, ``refreshed``, ``current`` or ``failed``; ``detail`` says why or what."""

    path: str
    status: str
    detail: str = ""
    document_id: int | None = None
    records: int = 0


@dataclass
class ImportReport:
    database: str
    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    def summary(self, statuses: Iterable[str] = ("imported", "unchanged", "failed")) -> str:
        parts = [f"{self.count(s)} {s}" for s in statuses]
        n = sum(r.records for r in self.results)
        return ", ".join(parts) + (f" ({n} records)" if n else "") + f" in {self.seconds:.1f} s"


Callback = Callable[[FileResult], None]
