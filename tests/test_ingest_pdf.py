"""PDF ingestion: reading order from geometry, no invented spaces, clear errors."""

from __future__ import annotations

import difflib
import random
import re
from pathlib import Path

import pytest

pytest.importorskip("reportlab")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from luoshi.errors import InputError  # noqa: E402
from luoshi.ingest.pdf import pdf_to_text  # noqa: E402
from paths import SHARED, needs_shared  # noqa: E402

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
FONT = "STSong-Light"
A4 = (595.0, 842.0)

REAL_PDF = SHARED / "eval" / "dev-formats" / "zhejiang-2025-gwr--pdf.pdf"
REAL_TXT = SHARED / "eval" / "dev" / "zhejiang-2025-gwr.txt"

# Four distinct passages, one per column; each is easy to find again in the output.
PASSAGES = [
    "甲栏第一段落开始大力推进重大项目建设全年完成固定资产投资增长百分之五以上"
    "持续扩大有效投资加快实施一批打基础利长远的重大工程甲栏到此结束",
    "乙栏第一段落开始全力促进消费回暖开展系列促消费活动社会消费品零售总额"
    "稳步增长新增中华老字号企业若干家城乡居民收入持续提高乙栏到此结束",
    "丙栏第一段落开始深入实施创新驱动发展战略研究与试验发展经费投入强度"
    "进一步提高高新技术企业数量保持增长科技成果转化明显加快丙栏到此结束",
    "丁栏第一段落开始加快建设高水平生态省设区市细颗粒物平均浓度稳步改善"
    "地表水国控断面水质优良比例继续提高能源保供稳价扎实有力丁栏到此结束",
]


def _nows(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _chunks(text: str, n: int, first_indent: int = 2) -> list[tuple[int, str]]:
    """Split text into printed lines of n characters; the first line is indented."""
    out = [(first_indent, text[: n - first_indent])]
    rest = text[n - first_indent :]
    while rest:
        out.append((0, rest[:n]))
        rest = rest[n:]
    return out


def _draw_columns(
    c: canvas.Canvas,
    passages: list[str],
    *,
    top: float,
    size: float = 10,
    per_line: int = 11,
    gutter: float = 16,
    left: float = 40,
) -> None:
    """Draw the passages as columns, writing ROW BY ROW across them (stream order interleaves)."""
    col_w = per_line * size
    cols = [_chunks(p, per_line) for p in passages]
    c.setFont(FONT, size)
    for row in range(max(len(x) for x in cols)):
        y = top - row * size * 1.5
        for k, lines in enumerate(cols):
            if row < len(lines):
                indent, text = lines[row]
                c.drawString(left + k * (col_w + gutter) + indent * size, y, text)


def _pdf(tmp_path: Path, draw, name: str = "t.pdf", pages: int = 1, **kw) -> bytes:  # noqa: ANN001
    path = tmp_path / name
    c = canvas.Canvas(str(path), pagesize=A4, **kw)
    for i in range(pages):
        draw(c, i)
        c.showPage()
    c.save()
    return path.read_bytes()


# ─────────────────────────────────────────────────────────────────────────────
# Reading order


def test_four_columns_written_row_by_row_come_out_column_by_column(tmp_path: Path) -> None:
    data = _pdf(tmp_path, lambda c, i: _draw_columns(c, PASSAGES, top=780))
    text, warnings = pdf_to_text(data, "cols.pdf")
    assert warnings == []
    flat = _nows(text)
    assert flat == "".join(PASSAGES)  # each column contiguous, left to right
    # one output line per printed line, never longer than a column line
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert all(len(ln) <= 11 for ln in lines)
    assert len(lines) == sum(len(_chunks(p, 11)) for p in PASSAGES)
    # each column starts an (indented) paragraph → separated by a blank line
    paras = [_nows(p) for p in text.split("\n\n")]
    assert paras == PASSAGES


def test_continued_paragraph_across_columns_is_not_split(tmp_path: Path) -> None:
    whole = "".join(PASSAGES[:2])
    lines = _chunks(whole, 11)
    half = (len(lines) + 1) // 2

    def draw(c: canvas.Canvas, _: int) -> None:
        c.setFont(FONT, 10)
        for row in range(half):  # row by row across two columns
            for k in range(2):
                i = k * half + row
                if i < len(lines):
                    indent, t = lines[i]
                    c.drawString(40 + k * 200 + indent * 10, 780 - row * 15, t)

    text, _ = pdf_to_text(_pdf(tmp_path, draw))
    assert _nows(text) == whole
    assert "\n\n" not in text.strip()  # the column break is only a line break


def test_headline_across_top_then_columns(tmp_path: Path) -> None:
    title = "二〇二五年政府工作报告全文"

    def draw(c: canvas.Canvas, _: int) -> None:
        c.setFont(FONT, 26)
        c.drawCentredString(A4[0] / 2, 790, title)  # crosses the two middle gutters
        _draw_columns(c, PASSAGES, top=740)

    text, _ = pdf_to_text(_pdf(tmp_path, draw))
    paras = [_nows(p) for p in text.split("\n\n")]
    assert paras[0] == title
    assert paras[1:] == PASSAGES


def test_headline_over_middle_columns_only_still_comes_first(tmp_path: Path) -> None:
    """Outer gutters run the full page height; the headline must not be read after column 1."""
    title = "政府工作报告"

    def draw(c: canvas.Canvas, _: int) -> None:
        c.setFont(FONT, 20)
        c.drawCentredString(A4[0] / 2, 790, title)  # only crosses the middle gutter
        _draw_columns(c, PASSAGES, top=750)

    text, _ = pdf_to_text(_pdf(tmp_path, draw))
    assert [_nows(p) for p in text.split("\n\n")] == [title, *PASSAGES]


def test_single_column_paragraphs_and_heading(tmp_path: Path) -> None:
    heading = "一、2024年工作回顾"
    body1 = "过去一年，面对复杂严峻的外部环境，面对艰巨繁重的改革发展稳定任务，我们坚持稳中求进工作总基调，顺利完成全年主要目标任务。"
    body2 = "全省生产总值增长5.5%，一般公共预算收入增长1.2%，城乡居民人均可支配收入分别增长4.3%、6.1%。"

    def draw(c: canvas.Canvas, _: int) -> None:
        y = 780.0
        c.setFont(FONT, 16)
        c.drawCentredString(A4[0] / 2, y, heading)
        y -= 36
        c.setFont(FONT, 12)
        for body in (body1, body2):
            for indent, t in _chunks(body, 38):
                c.drawString(60 + indent * 12, y, t)
                y -= 20

    text, _ = pdf_to_text(_pdf(tmp_path, draw))
    assert [_nows(p) for p in text.split("\n\n")] == [heading, _nows(body1), _nows(body2)]
    assert text.splitlines()[0] == heading


# ─────────────────────────────────────────────────────────────────────────────
# Spaces


def test_justified_cjk_line_with_wide_spacing_gets_no_spaces(tmp_path: Path) -> None:
    rows = ["坚持稳中求进工作总基调", "完整准确全面贯彻新发展", "加快构建新发展格局推动"]

    def draw(c: canvas.Canvas, _: int) -> None:
        c.setFont(FONT, 12)
        for r, row in enumerate(rows):  # same char grid on every row, 7 pt between glyphs
            for i, ch in enumerate(row):
                c.drawString(60 + i * 19, 780 - r * 20, ch)

    text, _ = pdf_to_text(_pdf(tmp_path, draw))
    assert text.splitlines() == rows


def test_latin_spacing_kept_only_where_it_is_a_word_space(tmp_path: Path) -> None:
    def draw(c: canvas.Canvas, _: int) -> None:
        t = c.beginText(60, 780)
        t.setFont(FONT, 12)
        t.setCharSpace(3)  # justified: tracking on every glyph
        t.textLine("设区市PM2.5平均浓度稳步改善")
        t.setCharSpace(0)
        t.textLine("新增LNG 加注站")
        c.drawText(t)
        c.setFont("Helvetica", 12)
        c.drawString(60, 700, "Made in Zhejiang")
        # words positioned separately, no space glyph: a visible word gap
        c.drawString(60, 680, "GDP")
        c.drawString(60 + pdfmetrics.stringWidth("GDP", "Helvetica", 12) + 4, 680, "growth")

    text, _ = pdf_to_text(_pdf(tmp_path, draw))
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert lines[0] == "设区市PM2.5平均浓度稳步改善"
    assert lines[1] in ("新增LNG 加注站", "新增LNG加注站")
    assert "Made in Zhejiang" in lines
    assert "GDP growth" in lines


def test_page_set_sideways_is_read_upright(tmp_path: Path) -> None:
    def draw(c: canvas.Canvas, _: int) -> None:
        c.saveState()
        c.translate(500, 100)
        c.rotate(90)  # text runs bottom to top on the portrait page
        c.setFont(FONT, 12)
        c.drawString(0, 0, "旋转排版的第一行文字")
        c.drawString(0, -20, "旋转排版的第二行文字")
        c.restoreState()

    text, warnings = pdf_to_text(_pdf(tmp_path, draw))
    assert text.splitlines() == ["旋转排版的第一行文字", "旋转排版的第二行文字"]
    assert warnings == []


def test_diagonal_watermark_is_skipped_with_a_warning(tmp_path: Path) -> None:
    def draw(c: canvas.Canvas, _: int) -> None:
        c.setFont(FONT, 12)
        c.drawString(60, 740, "正文第一行")
        c.drawString(60, 722, "正文第二行")
        c.saveState()
        c.translate(300, 400)
        c.rotate(45)
        c.setFont(FONT, 40)
        c.drawString(0, 0, "内部资料")
        c.restoreState()

    text, warnings = pdf_to_text(_pdf(tmp_path, draw))
    assert text.splitlines() == ["正文第一行", "正文第二行"]
    assert len(warnings) == 1 and "4 characters" in warnings[0]


# ─────────────────────────────────────────────────────────────────────────────
# Page furniture


def test_repeated_header_and_page_numbers_are_dropped(tmp_path: Path) -> None:
    def draw(c: canvas.Canvas, i: int) -> None:
        c.setFont(FONT, 9)
        c.drawString(60, 810, f"政府工作报告（第{i + 1}版）")
        c.drawCentredString(A4[0] / 2, 30, f"- {i + 1} -")
        c.setFont(FONT, 12)
        for r, (indent, t) in enumerate(_chunks(PASSAGES[i], 20)):
            c.drawString(60 + indent * 12, 740 - r * 20, t)

    text, warnings = pdf_to_text(_pdf(tmp_path, draw, pages=3))
    assert "政府工作报告" not in text
    assert not re.search(r"-\s*\d\s*-", text)
    assert [_nows(p) for p in text.split("\n\n")] == PASSAGES[:3]
    assert warnings == []


def test_single_page_header_is_kept(tmp_path: Path) -> None:
    def draw(c: canvas.Canvas, _: int) -> None:
        c.setFont(FONT, 9)
        c.drawString(60, 810, "政府工作报告")
        c.setFont(FONT, 12)
        c.drawString(60, 740, PASSAGES[0][:20])

    text, _ = pdf_to_text(_pdf(tmp_path, draw))
    assert "政府工作报告" in text


# ─────────────────────────────────────────────────────────────────────────────
# Errors and warnings


def _rect_only(c: canvas.Canvas, _: int) -> None:
    c.rect(100, 100, 300, 400, fill=1)


def test_no_text_layer_is_scanned_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as ei:
        pdf_to_text(_pdf(tmp_path, _rect_only), "scan.pdf")
    assert ei.value.reason == "no text layer — this PDF is scanned; OCR is not supported"
    assert ei.value.source == "scan.pdf"


def test_some_pages_without_text_give_a_warning(tmp_path: Path) -> None:
    def draw(c: canvas.Canvas, i: int) -> None:
        if i == 1:
            _rect_only(c, i)
        else:
            c.setFont(FONT, 12)
            c.drawString(60, 740, PASSAGES[i][:20])

    text, warnings = pdf_to_text(_pdf(tmp_path, draw, pages=3))
    assert _nows(text) == PASSAGES[0][:20] + PASSAGES[2][:20]
    assert warnings == ["1 of 3 pages have no text layer and were skipped"]


def _text_page(c: canvas.Canvas, _: int) -> None:
    c.setFont(FONT, 12)
    c.drawString(60, 740, PASSAGES[0][:20])


def test_encrypted_pdf(tmp_path: Path) -> None:
    data = _pdf(tmp_path, _text_page, encrypt="pw")
    with pytest.raises(InputError) as ei:
        pdf_to_text(data, "locked.pdf")
    assert ei.value.reason == "encrypted PDF — remove the password first"


def test_encrypted_with_owner_password_only_is_readable(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    def draw(c: canvas.Canvas, _: int) -> None:
        # (reportlab leaves the CID font's CIDSystemInfo strings unencrypted, which
        # breaks their decoding; a standard Latin font is enough to test the point)
        c.setFont("Helvetica", 12)
        c.drawString(60, 740, "Government Work Report 2025")

    enc = StandardEncryption("", ownerPassword="owner", canPrint=1, canCopy=0)
    text, _ = pdf_to_text(_pdf(tmp_path, draw, encrypt=enc))
    assert text.strip() == "Government Work Report 2025"


def test_truncated_pdf(tmp_path: Path) -> None:
    data = _pdf(tmp_path, _text_page)
    with pytest.raises(InputError) as ei:
        pdf_to_text(data[: len(data) // 2], "half.pdf")
    assert ei.value.reason.startswith("not a readable PDF: ")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_garbage_bytes(seed: int) -> None:
    rnd = random.Random(seed)
    data = bytes(rnd.randrange(256) for _ in range(5000))
    with pytest.raises(InputError) as ei:
        pdf_to_text(data, "junk.pdf")
    assert ei.value.reason.startswith("not a readable PDF: ")


def test_garbage_with_pdf_header_and_trailer() -> None:
    rnd = random.Random(7)
    data = b"%PDF-1.4\n" + bytes(rnd.randrange(256) for _ in range(5000)) + b"\n%%EOF\n"
    with pytest.raises(InputError):
        pdf_to_text(data, "junk.pdf")


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    tmp = tmp_path_factory.mktemp("pdf")
    return _pdf(tmp, lambda c, i: _draw_columns(c, PASSAGES[:2], top=780), compress=0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_damaged_pdf_never_leaks_a_pdfminer_exception(small_pdf: bytes, data: st.DataObject) -> None:
    buf = bytearray(small_pdf)
    for _ in range(data.draw(st.integers(1, 20))):
        i = data.draw(st.integers(0, len(buf) - 1))
        buf[i] = data.draw(st.integers(0, 255))
    try:
        text, warnings = pdf_to_text(bytes(buf), "damaged.pdf")
    except InputError:
        return
    assert isinstance(text, str) and isinstance(warnings, list)


# ─────────────────────────────────────────────────────────────────────────────
# The real thing: a 4-column newspaper PDF whose stream order is not reading order


@pytest.fixture(scope="module")
def real_text() -> str:
    text, warnings = pdf_to_text(REAL_PDF.read_bytes(), REAL_PDF.name)
    assert warnings == []
    return text


@needs_shared
def test_real_newspaper_pdf_reading_order(real_text: str) -> None:
    ref = _nows(REAL_TXT.read_text(encoding="utf-8"))
    got = _nows(real_text)
    # measured: 1.000 (pdfminer's own stream order scores ≈ 0.26 on the first 3000 chars)
    assert difflib.SequenceMatcher(None, got, ref, autojunk=False).ratio() > 0.98
    assert got.index("一、2024年工作回顾") < got.index("二、2025年")
    assert "第1版" not in got  # running header "政府工作报告（第N版）" dropped


@needs_shared
def test_real_newspaper_pdf_paragraphs(real_text: str) -> None:
    ref = [_nows(p) for p in REAL_TXT.read_text(encoding="utf-8").splitlines() if p.strip()]
    got = [_nows(p) for p in real_text.split("\n\n")]
    same = sum(1 for p in got if p in set(ref))
    assert same >= 0.95 * len(ref)  # measured: 92 of 92 (needs U+F98E → 年 etc. normalised)
    assert "一、2024年工作回顾" in got
