"""Flat extraction of a web page, for markup the tree cannot hold.

libxml2 stops building the tree at depth 256, silently losing deeper text; when that happens
(or the tree holds much less Chinese text than the markup) the page is read flat instead: tags
stripped by regular expressions, block tags turned into paragraph breaks, chrome lines dropped.
No recursion, and time linear in the size of the page.
"""

from __future__ import annotations

import html as _html
import re

from .html_chrome import is_chrome
from .html_tree import BLOCK, HTML_SPACE, fold_breaks

# Elements removed with their content; the first ones swallow the rest of the page when not
# closed (as raw-text elements do in a browser), the others then lose just their start tag.
_SWALLOWING = ("script", "style", "noscript", "template", "iframe", "textarea", "title", "xmp")
_RAW_TEXT_TAGS = _SWALLOWING + ("svg", "head", "select", "nav", "object")
_OPEN_RAW = re.compile(r"<(%s)\b" % "|".join(_RAW_TEXT_TAGS), re.I)
_END_RAW = {name: re.compile("</" + name, re.I) for name in _RAW_TEXT_TAGS}
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_BLOCK_TAG = re.compile(r"</?(?:%s|br)\b[^<>]*>" % "|".join(sorted(BLOCK, key=len, reverse=True)), re.I)
_ANY_TAG = re.compile(r"<[a-zA-Z/!?][^<>]*>")
_SEP = "\x00"


def flat_strip(markup: str) -> str:
    """Markup with comments and raw-text elements removed, block tags as _SEP, tags gone."""
    s = _COMMENT.sub("", markup)
    out: list[str] = []
    pos = 0
    while True:
        m = _OPEN_RAW.search(s, pos)
        if not m:
            out.append(s[pos:])
            break
        out.append(s[pos : m.start()])
        name = m.group(1).lower()
        end_tag = _END_RAW[name].search(s, m.end())
        close = end_tag.start() if end_tag else -1
        if close < 0:
            if name in _SWALLOWING:
                break  # an unclosed <script> swallows the rest, as in a browser
            gt = s.find(">", m.end())  # drop just the start tag
            pos = m.end() if gt < 0 else gt + 1
            continue
        gt = s.find(">", close)
        pos = len(s) if gt < 0 else gt + 1
    s = "".join(out)
    s = _BLOCK_TAG.sub(_SEP, s)
    s = _ANY_TAG.sub("", s)
    return _html.unescape(s)


def flat(markup: str) -> str:
    """Flat extraction for markup the tree could not hold: one paragraph per block tag."""
    try:
        s = flat_strip(markup.replace(_SEP, ""))
    except Exception:
        return ""
    lines = []
    for piece in s.split(_SEP):
        if not piece or piece.isspace():  # most pieces of a page nested deep: skip them fast
            continue
        text = fold_breaks(piece).strip(HTML_SPACE)
        if text.strip() and not is_chrome(text):
            lines.append(text)
    return "\n\n".join(lines)
