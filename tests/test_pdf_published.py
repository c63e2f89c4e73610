"""PDFs as governments publish them: tables, Founder digit fonts, page-number rules, unmapped fonts.

Each case rebuilds, in a small synthetic PDF, a construction seen in the published budget and
debt documents of ../shared/eval/real-pdfs (hunan_2019: an Excel export; jiangsu_2018: a Word
export; shijiazhuang_2018_budget_report: Founder typesetting), with their real lines.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest

pytest.importorskip("reportlab")
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from luoshi.errors import InputError  # noqa: E402
from luoshi.ingest.pdf import pdf_to_text  # noqa: E402
from paths import SHARED, needs_shared  # noqa: E402

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
FONT = "STSong-Light"
A4 = (595.0, 842.0)


def _canvas_pdf(tmp_path: Path, draw) -> bytes:  # noqa: ANN001
    path = tmp_path / "t.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    draw(c)
    c.showPage()
    c.save()
    return path.read_bytes()


def _lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip()]


# ─────────────────────────────────────────────────────────────────────────────
# A hand-built PDF, for fonts reportlab does not make: a digit font with a wrong descent
# (Founder's E-BZ), a CID font with no Unicode mapping.


def _build_pdf(content: bytes, fonts: dict[str, list[bytes]]) -> bytes:
    """A one-page A4 PDF showing ``content`` with ``fonts`` (resource name → its objects;
    ``{k}`` in an object stands for the number of the font's k-th object)."""
    objs: list[bytes] = [b"", b"", b""]  # catalog, pages, page
    objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    res = []
    for name, parts in fonts.items():
        first = len(objs) + 1
        for part in parts:
            for k in range(len(parts)):
                part = part.replace(b"{%d}" % k, b"%d" % (first + k))
            objs.append(part)
        res.append(b"/%s %d 0 R" % (name.encode(), first))
    objs[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[1] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    objs[2] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << %s >> >> >>" % b" ".join(res)
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


SONG = [  # CJK text font: a standard Adobe-GB1 CID font, em box 0.12 below the baseline
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [{1} 0 R] >>",
    b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
    b"/Ordering (GB1) /Supplement 2 >> /FontDescriptor {2} 0 R /DW 1000 >>",
    b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 "
    b"/Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
]
E_BZ = [  # Founder's digit and punctuation font: its descriptor puts the glyph box a whole em low
    b"<< /Type /Font /Subtype /TrueType /BaseFont /IBCDEE+E-BZ /Encoding /WinAnsiEncoding /FirstChar 32 "
    b"/LastChar 126 /Widths [" + b"500 " * 95 + b"] /FontDescriptor {1} 0 R >>",
    b"<< /Type /FontDescriptor /FontName /IBCDEE+E-BZ /Flags 32 /FontBBox [0 -1300 1000 1000] /ItalicAngle 0 "
    b"/Ascent 1000 /Descent -1300 /CapHeight 700 /StemV 80 >>",
]
UNMAPPED = [  # an embedded-subset CID font addressed by glyph number, without a ToUnicode map
    b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+FZSSK /Encoding /Identity-H /DescendantFonts [{1} 0 R] >>",
    b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+FZSSK /CIDSystemInfo << /Registry (Adobe) "
    b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor {2} 0 R /DW 1000 /CIDToGIDMap /Identity >>",
    b"<< /Type /FontDescriptor /FontName /ABCDEF+FZSSK /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 "
    b"/Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>",
]


def _show(font: str, size: float, x: float, y: float, data: bytes) -> bytes:
    return b"BT /%s %g Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET\n" % (font.encode(), size, x, y, data)


def _founder_line(text: str, x: float, y: float, size: float = 14.7) -> bytes:
    """``text`` set as Founder sets it: ASCII figures and punctuation in E-BZ (half an em
    wide), everything else in the Song font (a full em)."""
    out = b""
    for run in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if run.isascii():
            literal = re.sub(rb"([()\\])", rb"\\\1", run.encode("ascii"))
            out += _show("F2", size, x, y, b"(" + literal + b")")
            x += 0.5 * size * len(run)
        else:
            out += _show("F1", size, x, y, b"<" + run.encode("utf-16-be").hex().encode() + b">")
            x += size * len(run)
    return out


# ─────────────────────────────────────────────────────────────────────────────
# Tables: cells kept apart, one line per row


# hunan_2019 (Excel export), 湖南省2019年地方政府债务限额及余额决算情况表: region, limit, general, special
HUNAN_ROWS = [
    ("湖南省", "10228.96", "6220.02", "4008.94"),
    ("湖南省本级", "1903.77", "1633.78", "269.99"),
    ("市县小计", "8325.19", "4586.24", "3738.95"),
    ("长沙市", "1823.82", "610.72", "1213.10"),
    ("长沙市本级", "983.93", "240.50", "743.43"),
    ("芙蓉区", "45.29", "38.23", "7.06"),
]


def test_table_cells_are_kept_apart_one_row_per_line(tmp_path: Path) -> None:
    # Excel writes each column of figures right-aligned; the cells were once read column by
    # column and glued (10228.961903.778325.19).  Seen in hunan_2019 and in the annex tables
    # of jiangsu_2018 and shijiazhuang_2018_budget_report.
    def draw(c: canvas.Canvas) -> None:
        c.setFont(FONT, 13.2)
        c.drawString(120, 780, "湖南省2019年地方政府债务限额及余额决算情况表")
        c.setFont(FONT, 9.7)
        for col, right in enumerate((215, 290, 365), start=1):  # column by column, as stored
            for i, row in enumerate(HUNAN_ROWS):
                c.drawRightString(right, 740 - 13.2 * i, row[col])
        for i, row in enumerate(HUNAN_ROWS):
            c.drawString(60, 740 - 13.2 * i, row[0])

    text, warnings = pdf_to_text(_canvas_pdf(tmp_path, draw))
    assert warnings == []
    assert _lines(text) == ["湖南省2019年地方政府债务限额及余额决算情况表"] + ["\t".join(r) for r in HUNAN_ROWS]


def test_table_with_an_empty_cell_keeps_its_columns(tmp_path: Path) -> None:
    rows = [
        ("湖南省本级", "1903.77", "1633.78", "269.99"),
        ("市县小计", "8325.19", "", "3738.95"),
        ("长沙市", "1823.82", "610.72", "1213.10"),
    ]

    def draw(c: canvas.Canvas) -> None:
        c.setFont(FONT, 9.7)
        for i, row in enumerate(rows):
            c.drawString(60, 740 - 13.2 * i, row[0])
            for col, right in enumerate((215, 290, 365), start=1):
                c.drawRightString(right, 740 - 13.2 * i, row[col])

    text, _ = pdf_to_text(_canvas_pdf(tmp_path, draw))
    assert _lines(text) == ["\t".join(r) for r in rows]


# jiangsu_2018, 表七 2018年江苏省政府性基金预算支出执行情况表: an item name wraps over two
# lines, its figures centred between them (the budget tables of shijiazhuang_2018 do the same)
WRAPPED = [  # (top of the printed line, label x, label, figures)
    (581.1, 65, "2.文化体育与传媒支出", ("9,845", "12,024")),
    (560.3, 101, "国家电影事业发展专项资金及对应专项债务收", ()),
    (552.8, 0, "", ("9,845", "12,024")),
    (545.3, 65, "入安排的支出", ()),
    (524.6, 65, "3.社会保障和就业支出", ("70,513", "88,709")),
    (498.6, 101, "大中型水库移民后期扶持基金支出", ("51,216", "55,712")),
]


def test_table_with_wrapped_item_names(tmp_path: Path) -> None:
    def draw(c: canvas.Canvas) -> None:
        c.setFont(FONT, 12)
        for top, x, label, figures in WRAPPED:
            y = top - 0.88 * 12
            if label:
                c.drawString(x, y, label)
            for right, fig in zip((438, 530), figures):
                c.drawRightString(right, y, fig)

    text, _ = pdf_to_text(_canvas_pdf(tmp_path, draw))
    assert _lines(text) == ["\t".join(([label] if label else [""]) + list(figures)) for _, _, label, figures in WRAPPED]


# jiangsu_2018 (Word export), 目录: a label column and a title column with dot leaders (·, drawn
# here as … which the test font has); the
# contents of shijiazhuang_2018_budget_report's annex are set the same way.
CONTENTS = [
    ("表一", "2018年江苏省一般公共预算收入执行情况表…………………（1）"),
    ("表二", "2018年江苏省分地区一般公共预算收入执行情况表……（2）"),
    ("表三", "2018年江苏省一般公共预算支出执行情况表…………………（3）"),
    ("表十一", "2018年江苏省国有资本经营预算支出执行情况表………（12）"),
]


def test_contents_list_label_and_title_stay_on_one_line(tmp_path: Path) -> None:
    def draw(c: canvas.Canvas) -> None:
        c.setFont(FONT, 12)
        c.drawString(270, 760, "目录")
        for i, (label, title) in enumerate(CONTENTS):
            c.drawString(72, 720 - 24 * i, label)
        for i, (label, title) in enumerate(CONTENTS):
            c.drawString(140, 720 - 24 * i, title)

    text, _ = pdf_to_text(_canvas_pdf(tmp_path, draw))
    assert _lines(text) == ["目录"] + ["\t".join(r) for r in CONTENTS]


def test_two_text_columns_on_one_baseline_grid_are_not_a_table(tmp_path: Path) -> None:
    # Running text in columns shares a baseline grid too: each column is still read whole.
    left = "全市上下坚持以习近平新时代中国特色社会主义思想为指导深入学习贯彻党的十九大精神在市委的坚强领导下"
    right = "坚持稳中求进工作总基调践行新发展理念把握高质量发展要求迎难而上真抓实干经济运行实现稳中有进进中趋优"

    def draw(c: canvas.Canvas) -> None:
        c.setFont(FONT, 10)
        for i in range(0, max(len(left), len(right)), 12):
            c.drawString(60, 760 - 15 * (i // 12), left[i : i + 12])
            c.drawString(300, 760 - 15 * (i // 12), right[i : i + 12])

    text, _ = pdf_to_text(_canvas_pdf(tmp_path, draw))
    assert "\t" not in text
    assert re.sub(r"\s+", "", text) == left + right


# ─────────────────────────────────────────────────────────────────────────────
# Founder typesetting: lines from baselines, not from glyph boxes

# shijiazhuang_2018_budget_report, printed lines 2–4 of ———一般公共预算完成情况 (Founder
# FZFSK for the text, E-BZ for figures and punctuation; the bureau's other Founder-set
# reports of the 40 do the same)
FOUNDER_LINES = [
    "预算的102.5%,比上年增长(以下简称增长)12.8%。其中,",
    "税收收入359.9亿元,占预算的101.8%,增长16%;非税收入",
    "159.7亿元,占预算的104.3%,增长6.1%。当年收入加上级",
]


def test_founder_digit_font_with_a_low_glyph_box_stays_on_its_line() -> None:
    content = b"".join(_founder_line(t, 78, 700 - 29.4 * i) for i, t in enumerate(FOUNDER_LINES))
    text, warnings = pdf_to_text(_build_pdf(content, {"F1": SONG, "F2": E_BZ}))
    assert warnings == []
    assert _lines(text) == FOUNDER_LINES


# ─────────────────────────────────────────────────────────────────────────────
# Page numbers between rules


def test_page_number_between_box_drawing_rules_is_dropped(tmp_path: Path) -> None:
    # Word's page footer in jiangsu_2018 (─ 17 ─); even on a single page, with no repetition
    # to go by, a number standing alone between rules is page furniture.
    body = "江苏省2018年预算执行情况与2019年预算草案"

    def draw(c: canvas.Canvas) -> None:
        c.setFont(FONT, 12)
        c.drawString(72, 760, body)
        c.drawCentredString(297, 40, "─ 17 ─")

    text, _ = pdf_to_text(_canvas_pdf(tmp_path, draw))
    assert _lines(text) == [body]


def test_rules_with_a_number_inside_the_text_are_kept(tmp_path: Path) -> None:
    def draw(c: canvas.Canvas) -> None:
        c.setFont(FONT, 12)
        c.drawString(72, 760, "江苏省2018年预算执行情况")
        c.drawString(72, 400, "─ 17 ─")  # mid-page: not in the margin zone

    text, _ = pdf_to_text(_canvas_pdf(tmp_path, draw))
    assert "─ 17 ─" in text


# ─────────────────────────────────────────────────────────────────────────────
# Fonts without a Unicode mapping


def _glyphs(n: int, first: int = 100) -> bytes:
    return b"<" + b"".join(b"%04x" % (first + i) for i in range(n)) + b">"


def test_font_without_unicode_mapping_is_refused() -> None:
    # Only the title decodes; the body is glyph numbers: refused in one line, not printed
    # as fragments with a warning.
    content = _show("F1", 16, 72, 760, b"<" + "政府工作报告".encode("utf-16-be").hex().encode() + b">")
    for i in range(4):
        content += _show("F2", 12, 72, 720 - 20 * i, _glyphs(30, 100 + 30 * i))
    with pytest.raises(InputError) as err:
        pdf_to_text(_build_pdf(content, {"F1": SONG, "F2": UNMAPPED}), "unmapped.pdf")
    assert "no Unicode mapping" in err.value.reason
    assert "\n" not in str(err.value)


def test_a_few_unmapped_glyphs_only_warn() -> None:
    # A bullet or a logo glyph in a font without a map: the text is read, the glyphs dropped.
    line = "全市收入完成519.7亿元,占预算的102.5%"
    content = b"".join(_founder_line(line, 78, 700 - 29.4 * i) for i in range(3))
    content += _show("F3", 12, 60, 700, _glyphs(2))
    text, warnings = pdf_to_text(_build_pdf(content, {"F1": SONG, "F2": E_BZ, "F3": UNMAPPED}))
    assert _lines(text) == [line] * 3
    assert any("could not be decoded" in w for w in warnings)


# ─────────────────────────────────────────────────────────────────────────────
# The published PDFs themselves (../shared/eval/real-pdfs), against their reference texts

REAL = SHARED / "eval" / "real-pdfs"


def _order_scores(ref: str, got: str) -> tuple[float, float, float]:
    """pdf_order.py's similarity and numbers-in-context, and its table-cell check with
    whitespace counted as a cell boundary (pdf_order.py removes all whitespace first, so
    two cells apart by a tab count as glued there — the reference text itself scores 0.0
    on hunan_2019)."""
    sys.path.insert(0, str(REAL.parent))
    import pdf_order  # noqa: PLC0415 — the shared scorer, read only

    ratio, nic, _ = pdf_order.scores(ref, got)
    flat = unicodedata.normalize("NFKC", got)
    cells = [
        w
        for line in ref.splitlines()
        for w in unicodedata.normalize("NFKC", line).split()
        if len(w) >= 3 and pdf_order.CELL.fullmatch(w) and re.search(r"\d\.\d|,\d{3}", w)
    ]
    apart = sum(bool(re.search(rf"(?<![\d.,]){re.escape(w)}(?![\d.,])", flat)) for w in cells)
    return ratio, nic, apart / len(cells) if cells else 1.0


@needs_shared
@pytest.mark.parametrize("name", ["hunan_2019", "jiangsu_2018", "shijiazhuang_2018_budget_report"])
def test_published_pdf_reads_in_order(name: str) -> None:
    pdf = REAL / f"{name}.pdf"
    text, _ = pdf_to_text(pdf.read_bytes(), pdf.name)
    ratio, nic, cells = _order_scores((REAL / f"{name}.reference.txt").read_text(encoding="utf-8"), text)
    assert ratio >= 0.95 and nic >= 0.95 and cells >= 0.95, (ratio, nic, cells)
    assert not re.search(r"^\s*[─—-]\s*\d+\s*[─—-]\s*$", text, re.M)  # no page numbers left
