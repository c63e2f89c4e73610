"""HTML → raw text: find the article body of a web page and give one paragraph per line.

A government work report published on the web sits inside a news or government page full of
site chrome: menus, breadcrumbs, "下载 打印 全屏 【字号 大 中 小】" bars, share buttons,
related-article lists, footers.  :func:`html_to_text` keeps the report and drops the rest:

1. The markup is parsed with lxml's forgiving HTML parser and copied into a small tree of
   :class:`~.html_tree.Node` objects.  Scripts, styles, forms controls, ``<nav>`` and the like
   are left out while copying; ``<header>``, ``<footer>``, ``<aside>``, ``<form>``, hidden elements and
   elements whose class/id names site chrome (``share``, ``crumb``, ``footer``…) are dropped
   unless they hold more than half of the page's Chinese text (some sites wrap the whole page
   in a ``<form>``).
2. The tree is walked once (iteratively — pages nested thousands of levels deep must not hit
   the recursion limit) into paragraphs ("blocks"), breaking at block elements and ``<br>``.
3. The container of the article is the element whose paragraphs carry the most Chinese
   characters: each paragraph credits its parent fully and its grandparent half (a ``<div>``
   holding ``<br>``-separated text credits itself).  It is widened when a sibling holds more
   long paragraphs (a body split over several containers) or the title / by-line.
4. Lines that look like chrome bars are dropped, and the report's title (an ``<h1>`` or the
   ``<title>`` naming a 政府工作报告) is put first if the body does not already start with it.

libxml2 stops building the tree at depth 256, silently losing deeper text; when that happens
(or the tree holds much less Chinese text than the markup) a flat extraction — tags stripped
by regular expressions, block tags turned into paragraph breaks — is used instead.  The
function never raises: whatever goes wrong ends in the flat extraction or, at worst, ``""``.

Each step has its module: the tree and the text of its nodes (:mod:`.html_tree`, steps 1–2),
site chrome (:mod:`.html_chrome`, steps 1 and 4), the body and its title (:mod:`.html_body`,
steps 2–4), the flat extraction (:mod:`.html_flat`); this one runs them in order.

Text inside a paragraph is kept as written (spaces, U+00A0, U+3000 and widths untouched); only
line breaks of the HTML source are folded: a break next to a Chinese character vanishes, a
break between two Latin words becomes one space.
"""

from __future__ import annotations

from .html_body import blocks, choose_container, place_title, report_title, under, widen
from .html_chrome import is_chrome, mark_chrome
from .html_flat import flat, flat_strip
from .html_tree import CJK, WORD, build_tree, parse, weigh

__all__ = ["html_to_text"]


def html_to_text(markup: str, source: str = "<html>") -> str:
    """Return the article text of a web page: one paragraph per line, blank lines between.

    ``source`` names the page in messages; this function never raises, and returns ``""``
    when the page has no body text.
    """
    try:
        if isinstance(markup, (bytes, bytearray)):
            markup = bytes(markup).decode("utf-8", errors="replace")
        markup = str(markup).replace("\x00", "")
        if not markup.strip():
            return ""
        try:
            return _extract(markup)
        except Exception:  # RecursionError, MemoryError, parser trouble: go flat
            return flat(markup)
    except Exception:
        return ""


def _extract(markup: str) -> str:
    root = parse(markup)
    if root is None:
        return flat(markup)
    top, max_depth, page_title = build_tree(root)
    weigh(top)
    flat_cjk = len(CJK.findall(flat_strip(markup)))
    if max_depth >= 250 or top.cjk * 2 < flat_cjk:
        # libxml2 gave up below depth 256 (or otherwise lost text): extract flat
        return flat(markup)
    use_cjk = top.cjk > 0
    mark_chrome(top, use_cjk)
    found = blocks(top)
    for b in found:
        b.weight = len(CJK.findall(b.text)) if use_cjk else len(WORD.findall(b.text))
    container = choose_container(found)
    if container is None:
        return ""
    container = widen(container, found)
    lines = [b.text for b in found if under(container, b) and not is_chrome(b.text)]
    if not lines:
        return ""
    lines = place_title(lines, report_title(top, page_title))
    return "\n\n".join(lines)
