"""luoshi.ingest.html: article body out of a web page, one paragraph per line."""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.ingest.html import html_to_text
from paths import SHARED, needs_shared

PAGE = SHARED / "eval" / "dev-formats" / "zhejiang-2025-gwr--page.html"
PLAIN = SHARED / "eval" / "dev" / "zhejiang-2025-gwr.txt"

BODY = [
    f"（{n}）这是第{n}段正文，用足够长的中文句子模拟政府工作报告里的一个段落，内容不可丢失。"
    for n in "一二三四五六七八"
]


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def _page(article: str, title: str = "2025年某省政府工作报告_新闻中心") -> str:
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>.nav {{ color: red }}</style><script>var x = "脚本里的中文不要";</script></head>
<body>
<div class="nav"><a href="/">首页</a> | <a href="/news">新闻中心</a> | <a href="/gov">政务公开</a></div>
<div class="crumbs">您当前的位置：首页 &gt; 新闻中心 &gt; 时政要闻</div>
<div class="toolbar">下载 打印 全屏 收藏 【字号 大 中 小】</div>
{article}
<div class="share">分享到：微信 微博 QQ空间</div>
<ul class="list"><li><a>相关新闻：某市召开经济工作会议</a></li><li><a>某县推进乡村振兴</a></li></ul>
<div class="footer">版权所有 © 某某报业传媒集团 浙ICP备000000号 主办单位：某某网站</div>
</body></html>"""


# --------------------------------------------------------------------------- the real page


@pytest.fixture(scope="module")
def real() -> tuple[str, list[str]]:
    out = html_to_text(PAGE.read_text(encoding="utf-8"), source=str(PAGE))
    return out, _lines(PLAIN.read_text(encoding="utf-8"))


@needs_shared
def test_real_page_has_whole_report_in_order(real):
    out, plain = real
    flat = "".join(_lines(out))
    pos, missing = 0, []
    for line in plain:
        i = flat.find(line, pos)
        if i < 0:
            missing.append(line[:30])
        else:
            pos = i + len(line)
    assert not missing, missing


@needs_shared
def test_real_page_has_no_chrome(real):
    out, plain = real
    for word in ("下载", "打印", "全屏", "【字号", "字号：", "分享到", "版权所有", "首页", "alert"):
        assert word not in out
    extra = [ln for ln in _lines(out) if ln not in set(plain)]
    assert extra == []
    assert _lines(out)[0] == "2025年浙江省政府工作报告"
    assert "来源：浙江日报" in _lines(out)  # part of the report as published, kept


@needs_shared
def test_real_page_one_paragraph_per_line(real):
    out, _ = real
    assert "\n\n\n" not in out
    assert all(p.strip() and "\n" not in p for p in out.split("\n\n"))


# --------------------------------------------------------------------------- hand-written pages


def test_only_the_article_survives():
    article = (
        '<div class="article"><h1>2025年某省政府工作报告</h1>'
        '<div class="meta">来源：某某日报 时间：2025-01-20 字号：大 中 小</div>'
        + "".join(f"<p>{p}</p>" for p in BODY)
        + "</div>"
    )
    out = html_to_text(_page(article))
    assert _lines(out) == ["2025年某省政府工作报告"] + BODY
    assert out == "\n\n".join(["2025年某省政府工作报告"] + BODY)


def test_title_from_title_tag_when_body_lacks_it():
    article = '<div id="zoom">' + "".join(f"<p>{p}</p>" for p in BODY) + "</div>"
    out = html_to_text(_page(article))
    assert _lines(out) == ["2025年某省政府工作报告"] + BODY


def test_no_title_when_page_does_not_name_a_report():
    article = '<div id="zoom">' + "".join(f"<p>{p}</p>" for p in BODY) + "</div>"
    out = html_to_text(_page(article, title="新闻中心_某某网"))
    assert _lines(out) == BODY


def test_header_with_title_and_byline_is_kept():
    article = (
        "<article><header><h1>2025年某省政府工作报告</h1>"
        '<p class="byline">——2025年1月14日在某省第十四届人民代表大会第三次会议上</p>'
        "<p>某省省长 张三</p></header>"
        '<div class="content">' + "".join(f"<p>{p}</p>" for p in BODY) + "</div></article>"
    )
    page = (
        _page(article)
        .replace('<div class="nav">', '<header><div class="logo">某某网</div><div class="nav">')
        .replace("时政要闻</div>", "时政要闻</div></header>")
    )
    out = _lines(html_to_text(page))
    assert out[:3] == [
        "2025年某省政府工作报告",
        "——2025年1月14日在某省第十四届人民代表大会第三次会议上",
        "某省省长 张三",
    ]
    assert out[3:] == BODY


def test_byline_in_sibling_div_is_kept():
    article = (
        '<div class="detail"><div class="tit">2025年某省政府工作报告</div>'
        '<div class="sub">——2025年1月14日在某省第十四届人民代表大会第三次会议上</div>'
        '<div class="TRS_Editor"><div class="Custom_UnionStyle">'
        + "".join(f"<p>{p}</p>" for p in BODY)
        + "</div></div></div>"
    )
    out = _lines(html_to_text(_page(article)))
    assert out == ["2025年某省政府工作报告", "——2025年1月14日在某省第十四届人民代表大会第三次会议上"] + BODY


def test_body_split_over_sibling_containers():
    article = (
        '<div class="main"><div class="part">'
        + "".join(f"<p>{p}</p>" for p in BODY[:4])
        + '</div><div class="part">'
        + "".join(f"<p>{p}</p>" for p in BODY[4:])
        + "</div></div>"
    )
    assert _lines(html_to_text(_page(article, title="x"))) == BODY


def test_script_inside_body_is_dropped():
    article = (
        '<div class="article"><p>'
        + BODY[0]
        + "</p><script>alert(1)</script><p>"
        + BODY[1]
        + "</p><noscript>请启用脚本</noscript><style>p{}</style></div>"
    )
    out = html_to_text(_page(article, title="x"))
    assert "alert" not in out and "脚本" not in out and "请启用" not in out
    assert _lines(out) == BODY[:2]


def test_paragraph_boundaries_and_whitespace():
    markup = (
        "<html><body><div id='zoom'>"
        "<p>  第一段的中文\n  接着写\n完。</p>"
        "<p>Latin words\n   wrap here&nbsp;and&amp;here</p>"
        "第二块文字<br>第三块<br/><br>第四块"
        "<h2>二、标题</h2><ul><li>条目一</li><li>条目二</li></ul>"
        "<table><tr><td>甲</td><td>乙</td></tr><tr><td>丙</td><td>丁</td></tr></table>"
        "<p>　　全角缩进保留，2025年\n1月。</p>"
        "</div></body></html>"
    )
    out = html_to_text(markup)
    assert out.split("\n\n") == [
        "第一段的中文接着写完。",
        "Latin words wrap here\xa0and&here",
        "第二块文字",
        "第三块",
        "第四块",
        "二、标题",
        "条目一",
        "条目二",
        "甲",
        "乙",
        "丙",
        "丁",
        "　　全角缩进保留，2025年1月。",
    ]


def test_comments_and_hidden_chrome_are_dropped():
    markup = (
        "<html><body><!-- 注释里的中文 --><div style='display:none'>隐藏的菜单</div>"
        "<div id='zoom'>" + "".join(f"<p>{p}</p>" for p in BODY) + "</div></body></html>"
    )
    out = html_to_text(markup)
    assert "注释" not in out and "隐藏" not in out
    assert _lines(out) == BODY


def test_whole_page_inside_a_form_is_not_dropped():
    markup = (
        "<html><body><form id='aspnetForm'><input value='搜索'><div class='nav'>首页 新闻</div>"
        "<div id='zoom'>" + "".join(f"<p>{p}</p>" for p in BODY) + "</div></form></body></html>"
    )
    assert _lines(html_to_text(markup)) == BODY


# --------------------------------------------------------------------------- hostile input


def test_deeply_nested_divs_do_not_raise():
    markup = (
        "<html><body>"
        + "<div>" * 5000
        + "<p>深处的正文第一段</p><p>深处的正文第二段</p>"
        + "</div>" * 5000
        + "</body></html>"
    )
    out = html_to_text(markup)
    assert _lines(out) == ["深处的正文第一段", "深处的正文第二段"]


def test_deeply_nested_unclosed_spans():
    out = html_to_text("<p>开头" + "<span><b>" * 5000 + "结尾")
    assert "开头" in out and "结尾" in out


@pytest.mark.parametrize(
    "markup",
    [
        "<html><body><div><p>第一段<b>加粗<i>斜</b>体</p><p>第二段</div></span></td><table><tr><td>格一"
        "<td>格二<tr><td>第二行</table><p>未闭合",
        "<p>未闭合的段落<p>另一段<div>块<",
        "</p></div></body></html>正文在结束标签之后",
        "<<<>>>< p>奇怪的标签</ p>",
        "<script>alert(1)",
        "<!-- 未闭合的注释 <p>看不见",
        "<![CDATA[ 数据 ]]><p>段落</p>",
        "<?xml version='1.0' encoding='gbk'?><html><body><p>声明了编码</p></body></html>",
        "<p>控制字符\x00\x01\x0b\x1f在这里</p>",
        "<p title='属性没关>文字</p>",
        "&nbsp;&amp;&#20013;&#x6587;&bogus;",
    ],
)
def test_malformed_markup_never_raises(markup):
    out = html_to_text(markup)
    assert isinstance(out, str)
    assert "alert" not in out


def test_malformed_keeps_text():
    out = html_to_text(
        "<html><body><div><p>第一段<b>加粗<i>斜</b>体</p><p>第二段</div></span>"
        "<table><tr><td>格一<td>格二</table><p>未闭合的最后一段，文字比前面都长</p>"
    )
    assert _lines(out) == ["第一段加粗斜体", "第二段", "格一", "格二", "未闭合的最后一段，文字比前面都长"]


@pytest.mark.parametrize(
    "markup",
    [
        "",
        "   \n\t",
        "<html><head><title>x</title></head><body></body></html>",
        "<!-- 只有注释 -->",
        "<script>var a = '中文';</script>",
        "<div class='nav'></div><p>&nbsp;</p><p>　</p>",
    ],
)
def test_empty_page_gives_empty_string(markup):
    assert html_to_text(markup) == ""


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(markup):
    assert isinstance(html_to_text(markup), str)


TAGS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<br>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<table>",
        "<td>",
        "<tr>",
        "<li>",
        "<h1>",
        "&nbsp;",
        "&",
        "<",
        ">",
        "政府工作报告",
        "中文段落",
        "text",
        "\n",
        "<pre>",
        "</pre>",
        "<![",
        "<?",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(TAGS | st.text(max_size=5), max_size=60))
def test_never_raises_on_tag_soup(pieces):
    out = html_to_text("".join(pieces))
    assert isinstance(out, str)
    assert "\n\n\n" not in out
