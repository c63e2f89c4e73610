"""Hostile files, end to end: through ``luoshi.extract`` and through ``luoshi import``.

Each kind of file people will feed luoshi — a truncated, encrypted or scanned PDF, a DOCX zip
bomb, a 200 MB text file, NUL bytes, HTML nested far too deep, a GBK paragraph inside a UTF-8
file, a file that changes while it is imported — gives either one clear line naming the file
(``luoshi import``: exit status 1, the other files imported) or a partial result that says
what was skipped.  The size limit refuses a big file by its size, without reading it.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

import luoshi
from luoshi import store
from luoshi.cli import app
from luoshi.errors import InputError
from luoshi.importing import importer, worker
from luoshi.store.schema import documents

runner = CliRunner()
MB = 1024 * 1024

# A small report: two parts, four records; its cleaned text is what every partial result keeps.
GOOD = (
    "2025年某市政府工作报告\n\n一、2024年工作回顾\n\n全市地区生产总值增长5.5%，城镇新增就业12万人。\n\n"
    "二、2025年主要目标任务\n\n地区生产总值增长5%左右。开工建设甬舟铁路。\n"
)
GOOD_EVIDENCE = ["全市地区生产总值增长5.5%", "城镇新增就业12万人", "地区生产总值增长5%左右", "开工建设甬舟铁路"]


# --------------------------------------------------------------------------- the files


def _pdf(draw, **kw) -> bytes:
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595.0, 842.0), **kw)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def _text_page(c) -> None:
    c.setFont("STSong-Light", 12)
    for i, line in enumerate(GOOD.split("\n\n")):
        c.drawString(60, 760 - 20 * i, line.strip())


def truncated_pdf(tmp_path: Path) -> Path:
    data = _pdf(_text_page)
    return _write(tmp_path / "truncated.pdf", data[: len(data) // 2])


def encrypted_pdf(tmp_path: Path) -> Path:
    return _write(tmp_path / "encrypted.pdf", _pdf(_text_page, encrypt="secret"))


def scanned_pdf(tmp_path: Path) -> Path:
    return _write(tmp_path / "scanned.pdf", _pdf(lambda c: c.rect(100, 100, 300, 400, fill=1)))


def zip_bomb_docx(tmp_path: Path) -> Path:
    """A DOCX whose document.xml unzips to 20 MB of zeros from about 20 KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        with zf.open("word/document.xml", "w") as member:
            for _ in range(20):
                member.write(b"\0" * MB)
    return _write(tmp_path / "bomb.docx", out.getvalue())


def huge_text(tmp_path: Path) -> Path:
    """200 MB, sparse: it takes no room on disk, and reading it all would take 200 MB of memory."""
    path = tmp_path / "huge.txt"
    tmp_path.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.truncate(200 * MB)
    return path


def nul_bytes(tmp_path: Path) -> Path:
    data = GOOD.encode("utf-8").replace("。".encode(), "。\0\0".encode()).replace(b"\n\n", b"\n\0\n", 1)
    return _write(tmp_path / "nul.txt", data)


def only_nul_bytes(tmp_path: Path) -> Path:
    return _write(tmp_path / "unfinished.txt", b"\0" * 4096)


def deep_html(tmp_path: Path) -> Path:
    body = "".join(f"<p>{p.strip()}</p>" for p in GOOD.split("\n\n"))
    depth = 50_000
    return _write(
        tmp_path / "deep.html", ("<html><body>" + "<div>" * depth + body + "</div>" * depth + "</body></html>").encode()
    )


GBK_PARAGRAPH = "全年粮食产量增长3%。"


def mixed_encodings(tmp_path: Path) -> Path:
    """UTF-8, with one paragraph pasted in GBK and three bytes that are neither."""
    head, tail = GOOD.split("二、")
    data = (
        head.encode("utf-8")
        + GBK_PARAGRAPH.encode("gbk")
        + b"\n\n"
        + b"\xff\xfe\xff"
        + "\n\n二、".encode()
        + tail.encode("utf-8")
    )
    return _write(tmp_path / "mixed.txt", data)


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# (make, reason) for files that are refused with one line
REFUSED = {
    "truncated PDF": (truncated_pdf, "not a readable PDF: the file is truncated (no %%EOF marker at its end)"),
    "encrypted PDF": (encrypted_pdf, "encrypted PDF — remove the password first"),
    "PDF without a text layer": (scanned_pdf, "no text layer — this PDF is scanned; OCR is not supported"),
    "DOCX zip bomb": (zip_bomb_docx, "DOCX expands to 20 MB when unzipped"),
    "200 MB text file": (huge_text, "file is 200 MB, over the 50 MB limit (--max-bytes or LUOSHI_MAX_BYTES)"),
    "only NUL bytes": (only_nul_bytes, "file is empty: it holds only NUL bytes (an unfinished download?)"),
}
# (make, warnings, evidence) for files read in part, with warnings saying what was left out
PARTIAL = {
    "NUL bytes": (nul_bytes, ["7 NUL character(s) removed"], GOOD_EVIDENCE),
    "mixed encodings": (
        mixed_encodings,
        [
            "mixed encodings: 1 line(s) were not UTF-8 and were read as GB18030",
            "3 byte(s) could not be decoded as UTF-8 or GB18030 and were replaced with U+FFFD",
        ],
        GOOD_EVIDENCE[:2] + ["全年粮食产量增长3%"] + GOOD_EVIDENCE[2:],
    ),  # the GBK one read too
    "deeply nested HTML": (deep_html, [], GOOD_EVIDENCE),
}


# --------------------------------------------------------------------------- luoshi.extract


@pytest.mark.parametrize("kind", REFUSED)
def test_refused_file_raises_one_line_input_error(kind, tmp_path):
    make, reason = REFUSED[kind]
    path = make(tmp_path)
    with pytest.raises(InputError) as info:
        luoshi.extract(path)
    assert info.value.source == str(path)
    assert info.value.reason.startswith(reason)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("kind", PARTIAL)
def test_partly_readable_file_keeps_its_text_and_says_what_was_skipped(kind, tmp_path):
    make, warnings, evidence = PARTIAL[kind]
    t0 = time.perf_counter()
    doc = luoshi.extract(make(tmp_path))
    assert time.perf_counter() - t0 < 60  # 50,000 levels of <div> take a few seconds
    assert doc.warnings == warnings
    assert [r.evidence for r in doc.records] == evidence
    for r in doc.records:
        assert doc.text[r.start : r.end] == r.evidence
        raw_start, raw_end = doc.to_raw(r.start, r.end)
        assert 0 <= raw_start < raw_end <= len(doc.raw)
    if kind == "mixed encodings":
        assert GBK_PARAGRAPH in doc.text and "\ufffd" * 3 in doc.text
    else:
        assert doc.text == luoshi.extract(GOOD).text


def test_a_pdf_over_the_page_limit_is_read_in_part(tmp_path, monkeypatch):
    def three_pages(c) -> None:
        for i, page in enumerate(("一、2024年工作回顾", "全市地区生产总值增长5.5%。", "城镇新增就业12万人。")):
            if i:
                c.showPage()
            c.setFont("STSong-Light", 12)
            c.drawString(60, 760, page)

    path = _write(tmp_path / "long.pdf", _pdf(three_pages))
    doc = luoshi.extract(path)
    assert doc.warnings == [] and "城镇新增就业12万人" in doc.text
    monkeypatch.setenv("LUOSHI_MAX_PDF_PAGES", "2")
    doc = luoshi.extract(path)
    assert doc.warnings == ["the PDF has more than 2 pages: only the first 2 were read (LUOSHI_MAX_PDF_PAGES)"]
    assert "全市地区生产总值增长5.5%" in doc.text and "城镇新增就业" not in doc.text
    monkeypatch.setenv("LUOSHI_MAX_PDF_PAGES", "0")
    with pytest.raises(InputError, match="a whole number of pages, 1 or more, not .0."):
        luoshi.extract(path)


def test_the_size_limit_refuses_a_big_file_without_reading_it(tmp_path):
    """Peak memory of a process that is asked for a 200 MB file: the file is never read."""
    path = huge_text(tmp_path)
    script = (
        "import json, resource, sys, time\n"
        "import luoshi\n"
        "from luoshi.errors import InputError\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "t0 = time.perf_counter()\n"
        "try:\n"
        "    luoshi.extract(sys.argv[1])\n"
        "    reason = None\n"
        "except InputError as e:\n"
        "    reason = e.reason\n"
        "print(json.dumps({'reason': reason, 'seconds': time.perf_counter() - t0, 'before_kb': before,\n"
        "                  'peak_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    m = json.loads(out.stdout)
    assert m["reason"] == "file is 200 MB, over the 50 MB limit (--max-bytes or LUOSHI_MAX_BYTES)"
    assert m["peak_kb"] - m["before_kb"] < 20 * 1024, m  # reading it would add 200 MB
    assert m["seconds"] < 5, m


def test_the_size_limits_are_configurable(tmp_path, monkeypatch):
    path = _write(tmp_path / "r.txt", GOOD.encode())
    monkeypatch.setenv("LUOSHI_MAX_BYTES", "100")
    with pytest.raises(InputError) as info:
        luoshi.extract(path)
    assert info.value.reason == "file is 224 bytes, over the 100 bytes limit (--max-bytes or LUOSHI_MAX_BYTES)"
    assert luoshi.extract(path, max_bytes=1000).records  # the argument wins over the variable
    monkeypatch.setenv("LUOSHI_MAX_BYTES", "lots")
    with pytest.raises(InputError, match="^LUOSHI_MAX_BYTES is a whole number of bytes, 1 or more, not 'lots'$"):
        luoshi.extract(path)
    monkeypatch.delenv("LUOSHI_MAX_BYTES")
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph(GOOD)
    d.save(tmp_path / "r.docx")
    assert luoshi.extract(tmp_path / "r.docx").records
    monkeypatch.setenv("LUOSHI_MAX_DOCX_BYTES", "1000")
    with pytest.raises(InputError, match=r"\(limit 0\.00095 MB\) — refusing a possible zip bomb"):
        luoshi.extract(tmp_path / "r.docx")


# --------------------------------------------------------------------------- luoshi import


def _import(folder: Path, db: Path):
    return runner.invoke(app, ["import", str(folder), "--db", str(db), "-w", "1"])


def _stored(db: Path) -> list:
    database = store.connect(db)
    try:
        with database.engine.connect() as conn:
            return conn.execute(
                select(documents.c.source, documents.c.content_hash, documents.c.raw, documents.c.n_records).order_by(
                    documents.c.id
                )
            ).all()
    finally:
        database.close()


@pytest.mark.parametrize("kind", REFUSED)
def test_import_names_the_refused_file_in_one_line_and_imports_the_others(kind, tmp_path, monkeypatch):
    make, reason = REFUSED[kind]
    folder = tmp_path / "reports"
    bad = make(folder)
    good = _write(folder / "good.txt", GOOD.encode())
    hashed: list[str] = []
    real_hash = importer.file_hash
    monkeypatch.setattr(importer, "file_hash", lambda p: hashed.append(p) or real_hash(p))
    result = _import(folder, tmp_path / "luoshi.db")
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == f"luoshi: database: {tmp_path / 'luoshi.db'}"
    assert len(lines) == 2 and lines[1].startswith(f"luoshi: {bad}: {reason}"), lines
    assert result.stdout.startswith("1 imported, 0 unchanged, 1 failed (4 records)")
    assert [(r.source, r.n_records) for r in _stored(tmp_path / "luoshi.db")] == [(str(good), 4)]
    if kind == "200 MB text file":
        assert str(bad) not in hashed  # refused by its size, before being read to be hashed


@pytest.mark.parametrize("kind", PARTIAL)
def test_import_stores_a_partly_readable_file_and_says_what_was_skipped(kind, tmp_path):
    make, warnings, evidence = PARTIAL[kind]
    folder = tmp_path / "reports"
    path = make(folder)
    result = _import(folder, tmp_path / "luoshi.db")
    assert result.exit_code == 0, result.output
    said = "".join(f" — warning: {w}" if i == 0 else f"; warning: {w}" for i, w in enumerate(warnings))
    if warnings:
        assert f"imported: {path} ({len(evidence)} records){said}\n" in result.stdout
    else:
        assert "imported:" not in result.stdout
    assert result.stdout.splitlines()[-1].startswith(f"1 imported, 0 unchanged, 0 failed ({len(evidence)} records)")
    [row] = _stored(tmp_path / "luoshi.db")
    assert row.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert row.raw == luoshi.load(path).raw


def test_extract_cli_refuses_a_hostile_file_in_one_line_with_exit_2(tmp_path):
    path = truncated_pdf(tmp_path)
    result = runner.invoke(app, ["extract", str(path), "--format", "jsonl"])
    assert result.exit_code == 2
    assert result.stderr == f"luoshi: {path}: {REFUSED['truncated PDF'][1]}\n"


# --------------------------------------------------------------------------- a file that changes


def _rewrite_after_hashing(monkeypatch, target: Path, versions: list[bytes]) -> None:
    """Make each hash of ``target`` be followed by the next version of its bytes, as when the
    file is being written while luoshi reads it."""
    real_hash = importer.file_hash

    def hash_then_change(p):
        digest = real_hash(p)
        if Path(p) == target and versions:
            target.write_bytes(versions.pop(0))
        return digest

    monkeypatch.setattr(importer, "file_hash", hash_then_change)  # the importer, before extraction
    monkeypatch.setattr(worker, "file_hash", hash_then_change)  # the worker, if it hashed on its own


def test_a_file_that_changes_while_being_imported_is_refused_and_imported_whole_later(tmp_path, monkeypatch):
    folder = tmp_path / "reports"
    half = GOOD.encode()[: len(GOOD.encode()) // 2]
    path = _write(folder / "downloading.txt", half)
    _rewrite_after_hashing(monkeypatch, path, [GOOD.encode()])
    result = _import(folder, tmp_path / "luoshi.db")
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[1:] == [
        f"luoshi: {path}: the file changed while being imported (is it still being written?): "
        "import it again when it is complete"
    ]
    assert _stored(tmp_path / "luoshi.db") == []  # neither the half nor a mix of both
    result = _import(folder, tmp_path / "luoshi.db")
    assert result.exit_code == 0, result.output
    [row] = _stored(tmp_path / "luoshi.db")
    assert row.content_hash == hashlib.sha256(GOOD.encode()).hexdigest()
    assert row.raw == luoshi.load(path).raw and row.n_records == 4


def test_the_stored_hash_is_of_the_very_bytes_extracted(tmp_path, monkeypatch):
    """The worker reads the file once and hashes what it read: a file rewritten while the worker
    has it open gives a hash and a raw text of the same bytes (never the hash of one version
    and the text of another)."""
    first = GOOD.encode()
    second = GOOD.replace("12万人", "15万人").encode()
    path = _write(tmp_path / "report.txt", first)
    real_open = Path.open
    changed: list[bool] = []

    def open_then_change(self, mode="r", *args, **kwargs):
        handle = real_open(self, mode, *args, **kwargs)
        if self == path and mode == "rb" and not changed:
            changed.append(True)
            with real_open(path, "wb") as fh:  # same file, new content, after it was opened
                fh.write(second)
        return handle

    monkeypatch.setattr(Path, "open", open_then_change)
    out = worker.extract_file(str(path))
    monkeypatch.undo()
    assert "error" not in out, out
    version = {hashlib.sha256(v).hexdigest(): v for v in (first, second)}[out["content_hash"]]
    assert out["raw"] == luoshi.load(_write(tmp_path / "check" / "report.txt", version)).raw
