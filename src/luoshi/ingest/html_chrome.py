"""Site chrome of a web page: the elements and lines around a report that are not part of it.

* An element is *chrome* when it is a ``<header>``, ``<footer>``, ``<aside>``, ``<form>``… or
  hidden, or its class/id names site chrome (``share``, ``crumb``, ``footer``…), and it holds
  no more than half of the page's text (some sites wrap the whole page in a ``<form>``); one
  naming a 政府工作报告 is kept: it is the article's own header.  :func:`mark_chrome` drops them.
* A *chrome line* is a download / print / font-size / share / source-and-time bar, a by-line of
  the editor, a copyright line (:func:`is_chrome`).
"""

from __future__ import annotations

import re

from .html_tree import Node, node_text

REPORT = "政府工作报告"
# Elements that are chrome unless they hold most of the page's text.
SMALL_DROP = frozenset("header footer aside form menu dialog".split())
# class / id words that name site chrome: substrings, and whole tokens (split at _ - space).
_CHROME_SUBSTR = re.compile(
    r"share|breadcrumb|crumb|copyright|footer|navbar|sidebar|toolbar|pagination|recommend|"
    r"related|comment|advert|fenxiang|xgxw|xgwz|dqwz|weizhi|bdshare"
)
_CHROME_TOKENS = frozenset(
    "nav menu foot header print ad ads banner side tools tool pager position location login "
    "search topbar bottom".split()
)

# Chrome lines: words of download / print / font-size / share / source-and-time bars.
_CHROME_WORDS = (
    "下载",
    "打印",
    "全屏",
    "收藏",
    "字号",
    "分享",
    "关闭窗口",
    "来源：",
    "来源:",
    "时间：",
    "时间:",
    "责任编辑",
    "浏览",
    "扫一扫",
    "微信",
    "微博",
    "【大】",
    "【中】",
    "【小】",
)
_CHROME_LINE = re.compile(
    r"【\s*字号|字号\s*[:：]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中|"
    r"^\s*(责任编辑|编辑|审核|校对|作者|浏览次数|点击数|阅读次数)\s*[:：]|"
    r"^\s*(发布)?(时间|日期)\s*[:：]\s*\d|^\s*(上一篇|下一篇)\s*[:：]|"
    r"^\s*(当前位置|您当前的位置|您现在的位置|您的位置|当前的位置)|"
    r"^\s*相关(新闻|文章|阅读|链接|报道)|版权所有|ICP备|Copyright|©"
)
_CHROME_SHORT = re.compile(
    r"^\s*[【\[]?\s*(分享到|分享|打印本页|打印|关闭窗口|关闭|返回顶部|收藏|全屏|下载)\s*[】\]]?\s*[:：]?"
)


def chrome_names(names: str) -> bool:
    """Do an element's class and id (``names``, lower case) name site chrome?"""
    if not names:
        return False
    if _CHROME_SUBSTR.search(names):
        return True
    return any(tok in _CHROME_TOKENS for tok in re.split(r"[\s_\-]+", names))


def _small(node: Node) -> bool:
    """Is ``node`` a chrome candidate (by its tag, its class or id, or hidden)?"""
    return node.tag in SMALL_DROP or chrome_names(node.names) or node.hidden


def mark_chrome(top: Node, use_cjk: bool) -> None:
    """Drop the chrome candidates that do not hold more than half of the page's text.

    A candidate naming a 政府工作报告 is kept: it is the article's own header (title and
    by-line in ``<header>`` or ``<div class="article-header">``), not site chrome.
    """
    total = top.cjk if use_cjk else top.words
    stack = [top]
    while stack:
        node = stack.pop()
        if _small(node) and (node.cjk if use_cjk else node.words) * 2 <= total:
            if not (node.cjk < 300 and REPORT in node_text(node)):
                node.drop = True
                continue
        stack.extend(ch for ch in node.children if not isinstance(ch, str))


def is_chrome(line: str) -> bool:
    """Is ``line`` a chrome bar (download, print, font size, share, source and time…)?"""
    s = line.strip()
    if len(s) > 120:
        return False
    if _CHROME_LINE.search(s):
        return True
    if len(s) <= 30 and _CHROME_SHORT.match(s):
        return True
    return len(s) <= 80 and sum(w in s for w in _CHROME_WORDS) >= 2
