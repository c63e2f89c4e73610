"""Every reason ingest gives for a file it cannot read (``InputError(source, reason)`` in
src/luoshi/ingest) reads in Chinese in the Chinese web app, where it stands inside a Chinese
sentence (an upload refused, an import's result): through locale/patterns.tsv, which the
server (:func:`luoshi.locale.sentence`) and the pages' scripts (``luoshi.say``) share.

The reasons are found in the source, not listed here: a reason added to ingest without a
Chinese form fails :func:`test_every_ingest_reason_reads_in_chinese`.  What a reason quotes
(a file's own error, a number, a part's name) is data and stays as it is."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from luoshi import ingest
from luoshi.ingest.detect import KNOWN_UNSUPPORTED, sniff
from luoshi.ingest.read import too_large
from luoshi import locale as i18n
from luoshi.serve import language

INGEST = Path(ingest.__file__).resolve().parent
MB = 1024 * 1024
# what the {…} of a reason's f-string holds, by its source text: data, shown as it is
SAMPLES = {
    "value": "'12x'",
    "type(data).__name__": "str",
    "_describe(exc)": "BadZipFile: File is not a zip file",
    "_short(exc)": "PSSyntaxError: invalid object",
    "_MAIN_PART": "word/document.xml",
    "main_part": "word/document.xml",
    "_mb(limit)": "50 MB",
    "e.strerror or e": "Input/output error",
    "fmt.upper()": "PDF",
    "kind": "DOCX",
    "megabytes(total)": "300",
    "megabytes(max_uncompressed)": "200",
    "ratio": "150",
    "MAX_RATIO": "100",
    "undecodable": "120",
    "ink + undecodable": "4000",
}
# reasons held in a variable or built by a call: the values they take
INDIRECT = {
    "reason": [too_large(60 * MB, 50 * MB), too_large(6_000, 1_000)],  # read_file: too_large(size, limit)
    "fmt.split(':', 1)[1]": [sniff(magic + b"\0" * 16).split(":", 1)[1] for magic, _ in KNOWN_UNSUPPORTED]
    + [sniff(b"PK\x03\x04" + b"\0" * 16).split(":", 1)[1]],
}
# words a Chinese reason keeps in Latin letters: formats, units, programs, markers, settings
TECHNICAL = {
    "PDF",
    "DOCX",
    "XLSX",
    "HTML",
    "OCR",
    "NUL",
    "MB",
    "Unicode",
    "Word",
    "Excel",
    "doc",
    "xls",
    "RTF",
    "PNG",
    "JPEG",
    "GIF",
    "gzip",
    "RAR",
    "Zip",
    "zip",
    "OLE2",
    "EOF",
    "report",
    "pdf",
}


def _values(node: ast.expr, module) -> list[tuple[str, set[str]]]:
    """The texts ``node`` (a reason) can be, each with the data put into it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(node.value, set())]
    source = ast.unparse(node)
    if source in INDIRECT:
        return [(v, set()) for v in INDIRECT[source]]
    if isinstance(node, ast.Name) and node.id.endswith("REASON"):  # a reason kept as a constant
        return [(getattr(module, node.id), set())]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [(a + b, da | db) for a, da in _values(node.left, module) for b, db in _values(node.right, module)]
    if isinstance(node, ast.JoinedStr):
        out = [("", set())]
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                inner = ast.unparse(part.value)
                if inner in SAMPLES:
                    out = [(text + SAMPLES[inner], data | {SAMPLES[inner]}) for text, data in out]
                    continue
                part = part.value
            out = [(text + more, data | d) for text, data in out for more, d in _values(part, module)]
        return out
    raise AssertionError(f"{module.__name__}: a reason built from {source!r}: add its values to SAMPLES or INDIRECT")


def ingest_reasons() -> list[tuple[str, str, set[str]]]:
    """(where, reason, data in it) for every ``InputError(source, reason)`` of src/luoshi/ingest."""
    found = []
    for path in sorted(INGEST.glob("*.py")):
        module = importlib.import_module(f"luoshi.ingest.{path.stem}" if path.stem != "__init__" else "luoshi.ingest")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "InputError" and len(node.args) == 2:
                for reason, data in _values(node.args[1], module):
                    found.append((f"{path.name}:{node.lineno}", reason, data))
    return found


REASONS = ingest_reasons()


def test_the_reasons_are_found():
    texts = {reason for _, reason, _ in REASONS}
    assert len(REASONS) >= 30
    assert {"file is empty", "no such file", "encrypted PDF — remove the password first"} <= texts
    assert "gzip archive — unpack it first" in [r.removeprefix("unsupported format: ") for r in texts]


def script_catalog(lang: str) -> dict[str, str]:
    """What a page's script has of the catalog (``luoshi.say``: the js: messages and machine
    values of :func:`luoshi.serve.language._js_messages`; the rest goes by the patterns)."""
    full = FULL_CATALOG(lang)
    return {k: v for k, v in full.items() if k.startswith("js:") or k in language.JS_VALUES}


FULL_CATALOG = i18n.catalog


@pytest.mark.parametrize("reader", ["server", "script"])
@pytest.mark.parametrize("where, reason, data", REASONS, ids=[f"{w} {r[:40]}" for w, r, _ in REASONS])
def test_every_ingest_reason_reads_in_chinese(where, reason, data, reader, monkeypatch):
    if reader == "script":
        monkeypatch.setattr(i18n, "catalog", script_catalog)
    for shown in (reason, f"report.pdf: {reason}", f"LUOSHI_MAX_BYTES: {reason}"):
        zh = i18n.sentence(shown, "zh_CN")
        assert zh != shown, f"{where}: no Chinese for {shown!r} (add a pattern to locale/patterns.tsv)"
        left = zh
        for value in sorted(data, key=len, reverse=True):
            left = left.replace(value, " ")
        english = [
            w for w in re.findall(r"[A-Za-z][A-Za-z0-9_]+", left) if w not in TECHNICAL and not w.startswith("LUOSHI_")
        ]
        assert not english, f"{where}: {shown!r} reads {zh!r}, with English words {english}"
        assert re.search(r"[\u4e00-\u9fff]", zh), zh


def test_an_upload_refused_for_its_size_reads_in_chinese():
    assert (
        i18n.sentence("big.txt: " + too_large(6_000, 1_000), "zh_CN")
        == "big.txt：文件大小 6,000 字节，超过 1,000 字节 的上限"
    )
    assert (
        i18n.sentence("报告 2025.docx: " + too_large(60 * MB, 50 * MB), "zh_CN")
        == "报告 2025.docx：文件大小 60 MB，超过 50 MB 的上限"
    )
