"""Run the atheris target fuzz/extractor.py for a bounded time: any crash (an exception, or a
record whose offsets do not hold) fails the test and names the saved input.

atheris is a dev extra (Linux x86-64 wheels); without it the test is skipped with the reason.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest

from paths import ROOT, SAMPLE

TARGET = ROOT / "fuzz" / "extractor.py"
SECONDS = 15


@pytest.mark.skipif(
    importlib.util.find_spec("atheris") is None,
    reason="atheris is not installed (pip install -e '.[dev]' on Linux x86-64 installs it)",
)
def test_the_extractor_survives_a_bounded_fuzzing_run(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    sample = SAMPLE.read_bytes()
    (corpus / "sample-utf8").write_bytes(b"\x00" + sample[:3000])  # mode 0: UTF-8 text
    (corpus / "pieces").write_bytes(b"\x01" + bytes(range(256)))  # mode 1: report pieces
    crashes = tmp_path / "crashes"
    crashes.mkdir()
    run = subprocess.run(
        [
            sys.executable,
            str(TARGET),
            f"-max_total_time={SECONDS}",
            "-len_control=0",
            "-max_len=4096",
            "-timeout=20",
            "-rss_limit_mb=2048",
            f"-artifact_prefix={crashes}/",
            str(corpus),
        ],
        capture_output=True,
        text=True,
        timeout=SECONDS + 120,
        cwd=tmp_path,
    )
    saved = sorted(p.name for p in crashes.iterdir())
    tail = "\n".join(run.stderr.splitlines()[-25:])
    assert run.returncode == 0 and not saved, f"the fuzzer found a crash ({saved}):\n{tail}"
    done = re.search(r"Done (\d+) runs", run.stderr)
    assert done and int(done.group(1)) > 100, tail
