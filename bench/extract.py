"""Benchmark: extraction speed over the corpus (not a test; run by hand and quote the figures).

    python bench/extract.py [--repeat 5] [CORPUS_DIR]

For every report: the median time of (a) extraction from cleaned text to records, (b) the
whole pipeline from raw text (clean → outline → extract), and (c) one plain
``re.finditer(r"\\d+")`` pass over the same text, the floor any extractor stands on.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

import luoshi
from luoshi.extraction import extract_records
from luoshi.pipeline import load_text

DIGITS = re.compile(r"\d+")


def timed(fn, repeat: int) -> tuple[float, float]:
    """(median, best) of ``repeat`` runs: the median is what a user sees on a busy machine,
    the best is the code's own speed with the least interference."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    files = sorted(Path(a.corpus).glob("*.txt"))
    if not files:
        raise SystemExit(f"no .txt reports in {a.corpus}")
    rows = []
    for f in files:
        raw = f.read_text(encoding="utf-8")
        doc = load_text(raw, str(f))
        extract_records(doc)  # warm up (tables, patterns)
        t_extract = timed(lambda: extract_records(doc), a.repeat)
        t_all = timed(lambda: luoshi.extract(raw), a.repeat)
        t_floor = timed(lambda: sum(1 for _ in DIGITS.finditer(doc.text)), a.repeat)
        rows.append((f.name, len(doc.text), t_extract, t_all, t_floor, len(extract_records(doc))))
    chars = sum(r[1] for r in rows)
    print(f"{'report':32} {'chars':>7} {'extract ms':>10} {'pipeline ms':>11} {'floor ms':>8} {'records':>7}")
    for name, n, te, ta, tf, k in rows:
        print(f"{name:32} {n:7d} {te[0] * 1e3:10.2f} {ta[0] * 1e3:11.2f} {tf[0] * 1e3:8.3f} {k:7d}")
    print(f"\n{len(rows)} reports, {chars} characters (medians of {a.repeat} runs; best run in brackets)")
    for label, i in (
        ("extract (cleaned text → records)", 2),
        ("whole pipeline (raw text → records)", 3),
        ("floor re.finditer(r'\\d+')", 4),
    ):
        med = statistics.median(r[i][0] for r in rows)
        speed = chars / sum(r[i][0] for r in rows)
        best = chars / sum(r[i][1] for r in rows)
        print(f"{label}: median {med * 1e3:.2f} ms/report, {speed:,.0f} chars/s [{best:,.0f} chars/s]")


if __name__ == "__main__":
    main()
