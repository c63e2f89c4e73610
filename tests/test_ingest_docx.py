"""luoshi.ingest.docx: paragraphs of a DOCX in body order; hostile archives become InputError."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.errors import InputError
from luoshi.ingest.docx import docx_to_text

MB = 1024 * 1024


def _save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _rezip(data: bytes, *, drop: set[str] = frozenset(), replace: dict[str, bytes] | None = None) -> bytes:
    """A copy of the archive ``data`` without the members ``drop``, with ``replace`` swapped in."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return out.getvalue()


@pytest.fixture(scope="module")
def report_docx() -> bytes:
    d = docx.Document()
    d.add_heading("2025年某省政府工作报告", 0)
    d.add_paragraph("——2025年1月14日在某省第十四届人民代表大会第三次会议上")
    d.add_paragraph("各位代表：")
    d.add_paragraph("")
    p = d.add_paragraph("现在，我代表省人民政府")
    p.add_run("向大会报告工作").bold = True
    p.add_run("，请予审议。")
    d.add_heading("一、2024年工作回顾", 1)
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate([["指标", "目标", "完成"], ["生产总值增长", "5.5%左右", "5.5%"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    d.add_paragraph("   ")
    d.add_paragraph("　　过去一年，全省生产总值增长5.5%。")
    p = d.add_paragraph("软回车之前")
    p.add_run().add_break()
    p.add_run("软回车之后")
    d.add_heading("二、2025年工作安排", 1)
    d.add_paragraph("各位代表！重任在肩，唯有奋斗。")
    return _save(d)


EXPECTED = [
    "2025年某省政府工作报告",
    "——2025年1月14日在某省第十四届人民代表大会第三次会议上",
    "各位代表：",
    "现在，我代表省人民政府向大会报告工作，请予审议。",
    "一、2024年工作回顾",
    "指标",
    "目标",
    "完成",
    "生产总值增长",
    "5.5%左右",
    "5.5%",
    "　　过去一年，全省生产总值增长5.5%。",
    "软回车之前",
    "软回车之后",
    "二、2025年工作安排",
    "各位代表！重任在肩，唯有奋斗。",
]


def test_paragraphs_and_table_cells_in_body_order(report_docx):
    assert docx_to_text(report_docx) == "\n\n".join(EXPECTED)


def test_merged_cells_and_nested_table_read_once():
    d = docx.Document()
    d.add_paragraph("表前")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "合并"
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(1, 0).text = "左下"
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内甲"
    inner.cell(0, 1).text = "内乙"
    d.add_paragraph("表后")
    assert docx_to_text(_save(d)).split("\n\n") == ["表前", "合并", "左下", "内甲", "内乙", "表后"]


def test_empty_document_gives_empty_string():
    d = docx.Document()
    d.add_paragraph("")
    d.add_paragraph("  ")
    assert docx_to_text(_save(d)) == ""


def test_docx_without_content_types_falls_back_to_main_part(report_docx):
    data = _rezip(report_docx, drop={"[Content_Types].xml"})
    assert docx_to_text(data) == "\n\n".join(EXPECTED)


def test_deleted_text_and_field_codes_are_left_out(report_docx):
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{w}"><w:body>'
        "<w:p><w:r><w:t>保留</w:t></w:r><w:del><w:r><w:delText>删除</w:delText></w:r></w:del>"
        "<w:r><w:instrText>PAGE</w:instrText></w:r><w:ins><w:r><w:t>插入</w:t></w:r></w:ins></w:p>"
        "<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>控件里的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        "<w:sectPr/></w:body></w:document>"
    ).encode()
    data = _rezip(report_docx, replace={"word/document.xml": xml})
    assert docx_to_text(data) == "保留插入\n\n控件里的段落"


# --------------------------------------------------------------------------- hostile archives


def _bomb(size: int) -> bytes:
    """A zip whose word/document.xml is ``size`` bytes of zeros, written in chunks."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        with zf.open("word/document.xml", "w") as member:
            chunk = b"\0" * MB
            for _ in range(size // MB):
                member.write(chunk)
    return out.getvalue()


def test_zip_bomb_over_the_limit_is_refused():
    data = _bomb(300 * MB)
    assert len(data) < 2 * MB
    with pytest.raises(InputError) as info:
        docx_to_text(data, source="bomb.docx")
    err = info.value
    assert err.source == "bomb.docx"
    assert "300 MB" in err.reason and "limit 200 MB" in err.reason and "zip bomb" in err.reason


def test_zip_bomb_by_compression_ratio_is_refused():
    with pytest.raises(InputError, match="zip bomb"):
        docx_to_text(_bomb(20 * MB), source="ratio.docx")


def test_lower_limit_is_honoured(report_docx):
    with pytest.raises(InputError, match=r"limit .* MB\) — refusing a possible zip bomb"):
        docx_to_text(report_docx, max_uncompressed=1024)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"garbage bytes, not a zip at all",
        bytes(range(256)) * 10,
        b"PK\x03\x04" + b"\x00" * 100,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500,  # OLE2: legacy .doc or encrypted DOCX
        "不是字节".encode("gbk"),
    ],
)
def test_garbage_is_refused(data):
    with pytest.raises(InputError, match="not a readable DOCX"):
        docx_to_text(data, source="x.docx")


def test_non_bytes_is_refused():
    with pytest.raises(InputError, match="not a readable DOCX"):
        docx_to_text("a string", source="x.docx")  # type: ignore[arg-type]


def test_zip_without_document_xml_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("hello.txt", "你好")
        zf.writestr("word/styles.xml", "<styles/>")
    with pytest.raises(InputError, match="no word/document.xml"):
        docx_to_text(out.getvalue(), source="x.zip")


def test_truncated_docx_is_refused(report_docx):
    with pytest.raises(InputError, match="not a readable DOCX"):
        docx_to_text(report_docx[: len(report_docx) // 2])


def test_broken_document_xml_is_refused(report_docx):
    data = _rezip(report_docx, replace={"word/document.xml": b"<w:document><w:body><w:p>"})
    with pytest.raises(InputError, match="not a readable DOCX"):
        docx_to_text(data)


def test_entity_expansion_is_not_performed(report_docx):
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        f'<w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t>正文&b;</w:t></w:r></w:p></w:body>'
        "</w:document>"
    ).encode()
    data = _rezip(report_docx, replace={"word/document.xml": xml})
    try:
        out = docx_to_text(data)
    except InputError:
        return
    assert "哈" not in out


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_input_error(data):
    try:
        docx_to_text(data)
    except InputError:
        pass


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=0, max_value=4000), st.binary(min_size=1, max_size=8))
def test_corrupted_docx_raises_only_input_error(report_docx, offset, junk):
    data = bytearray(report_docx)
    pos = offset % len(data)
    data[pos : pos + len(junk)] = junk
    try:
        assert isinstance(docx_to_text(bytes(data)), str)
    except InputError:
        pass
