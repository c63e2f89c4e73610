"""Cleaning rules: one table per concept.

CHROME_LINE      lines that are web-page or print chrome, dropped whole
                 (下载 / 打印 / 全屏 / 收藏 / 【字号 大 中 小】 / 来源： / 时间： / 责任编辑： …).
CONTINUATION     newspaper continuation marks, removed where they stand
                 (【下转第6版】, 【上接第1版】, （下转第二版）).
PAGE_NUMBER      a block that is only a page number (— 3 —, -12-, 第3页), dropped.
SENTENCE_END     characters that end a printed paragraph in wrapped text.
SCRAPER_FIELDS   the field lines a scraper writes above the report it saved (标题：…, 发文单位：…,
                 发文时间：…, 报告人：…, 来源URL：…, 正文：), each with the metadata it gives: dropped
                 from the text where they stand at its top, and read as metadata.
WIDTH            characters turned into their ordinary form: full-width digits, Latin letters
                 and %, a full-width point between digits, CJK compatibility ideographs and
                 Kangxi radicals.
"""

from __future__ import annotations

import re
import unicodedata

_CHROME_WORDS = (
    r"下载|打印|全屏|收藏|关闭|关闭窗口|返回顶部|返回|分享到?[:：]?|分享至|扫一扫|微信|微博|手机版|打印本页|纠错"
    r"|【?字号[:：]?|加大|还原|减小|默认|[大中小]|首页|当前位置[:：]?|[>＞»】【|｜]"
)
CHROME_LINE = re.compile(
    r"^\s*(?:"
    rf"(?:(?:{_CHROME_WORDS}|【[^】\n]{{0,12}}】|\[[^\]\n]{{0,12}}\])\s*[|｜/]?\s*)+"
    r"|(?:来源|来源于|信息来源|时间|发布时间|发布日期|日期|责任编辑|编辑|作者|浏览次数|阅读次数|点击数|访问量)\s*[:：].{0,60}"
    r")\s*$"
)
CONTINUATION = re.compile(r"[【\[（(]\s*[上下]\s*转\s*第?\s*[0-9０-９一二三四五六七八九十]+\s*版\s*[】\]）)]")
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—－–]+\s*\d{1,4}\s*[-—－–]+|第\s*\d{1,4}\s*页(?:\s*/\s*共\s*\d+\s*页)?|\d{1,3})\s*$"
)
# Scraper field → what it holds (None: a marker only).  Found atop the 19 保定市 and 高阳县 reports of
# the corpus (corpus/local/baoding-*, gaoyang-*).
SCRAPER_FIELDS = {
    "标题": "title",
    "发文单位": "issuer",
    "发文时间": "date",
    "报告人": "speaker",
    "来源URL": "source_url",
    "正文": None,
}
SCRAPER_HEADER = re.compile(rf"^\s*({'|'.join(SCRAPER_FIELDS)})\s*[:：]\s*(.*?)\s*$")
SENTENCE_END = "。！？；：!?;:”」』）)"

# Characters that separate text in the raw layout and are removed or folded to one space.
LAYOUT_SPACE = frozenset(" \t\u3000\u00a0\u2002\u2003\u2009\u200a\u200b\u202f\u205f\ufeff\r\f\v\n")

WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
WIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
WIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
WIDTH["％"] = "%"
# CJK compatibility ideographs and Kangxi radicals that some PDFs use for ordinary characters
# (U+F98E for 年): each becomes its unified ideograph, as NFKC does.
WIDTH.update(
    {
        chr(c): unicodedata.normalize("NFKC", chr(c))
        for c in range(0xF900, 0xFADA)
        if len(unicodedata.normalize("NFKC", chr(c))) == 1
    }
)
WIDTH.update({chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0x2F00, 0x2FD6)})
FULLWIDTH_POINT = "．"
