"""Benchmark: import a synthetic corpus into a fresh SQLite database (not a test; run by hand
and quote the figures).

    python bench/import.py [-n 2000] [--workers N] [--keep DIR] [CORPUS_DIR]

Each synthetic report is a real one from the corpus with its years shifted by 0–4, the
paragraphs inside each section shuffled and a serial number in its first line, so every file
has its own hash and a realistic size.  Prints reports/second and the peak memory (resident
set) of the importing process and of the largest worker; run it with two sizes to see that
memory does not grow with the corpus.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

from luoshi import importing, store

HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
YEAR = re.compile(r"(?<!\d)(20[0-4]\d)(?=年)")


def synthesize(source: str, serial: int, rng: random.Random) -> str:
    shift = serial % 5
    lines = YEAR.sub(lambda m: str(int(m.group(1)) + shift), source).split("\n")
    lines[0] = f"{lines[0]}（样本{serial:05d}）"
    out, block = [lines[0]], []
    for line in lines[1:]:
        if HEADING.match(line):
            rng.shuffle(block)
            out += block + [line]
            block = []
        else:
            block.append(line)
    rng.shuffle(block)
    return "\n".join(out + block)


def build(corpus: Path, n: int, folder: Path) -> int:
    sources = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    if not sources:
        raise SystemExit(f"no .txt reports in {corpus}")
    rng = random.Random(20240305)
    size = 0
    for i in range(n):
        text = synthesize(sources[i % len(sources)], i, rng)
        path = folder / f"{i // 500:02d}" / f"report-{i:05d}.txt"
        path.parent.mkdir(exist_ok=True)
        size += path.write_text(text, encoding="utf-8")
    return size


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    ap.add_argument("-n", type=int, default=2000, help="number of synthetic reports (default 2000)")
    ap.add_argument("--workers", type=int, default=None, help="extraction processes (default: one per core)")
    ap.add_argument("--keep", type=Path, default=None, help="build the corpus and database here and keep them")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="luoshi-bench-") as tmp:
        base = a.keep or Path(tmp)
        reports = base / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        chars = build(Path(a.corpus), a.n, reports)
        print(f"built {a.n} reports ({chars / 1e6:.1f} M characters) in {time.perf_counter() - t:.1f} s", flush=True)
        db_path = base / "bench.db"
        db_path.unlink(missing_ok=True)
        db = store.connect(db_path)
        t = time.perf_counter()
        report = importing.import_paths(db, [reports], workers=a.workers)
        seconds = time.perf_counter() - t
        db.close()
        n_ok = report.count("imported")
        n_records = sum(r.records for r in report.results)
        print(
            f"imported {n_ok} reports, {n_records} records, {report.count('failed')} failed, "
            f"in {seconds:.1f} s: {n_ok / seconds:.1f} reports/s"
        )
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        print(f"CPU: importer {me.ru_utime + me.ru_stime:.0f} s, workers {kids.ru_utime + kids.ru_stime:.0f} s")
        print(
            f"peak memory: importer {peak_mb(resource.RUSAGE_SELF):.0f} MB, "
            f"largest worker {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB; "
            f"database {db_path.stat().st_size / 1e6:.0f} MB"
        )
        t = time.perf_counter()
        db = store.connect(db_path)
        again = importing.import_paths(db, [reports], workers=a.workers)
        db.close()
        print(f"re-import: {again.count('unchanged')} unchanged in {time.perf_counter() - t:.1f} s")
        if report.failed:
            for r in report.failed[:10]:
                print(f"failed: {r.path}: {r.detail}", file=sys.stderr)


if __name__ == "__main__":
    main()
