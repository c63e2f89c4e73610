"""HTML → raw text: find the article body of a web page and give one paragraph per line.

A government work report published on the web sits inside a news or government page full of
site chrome: menus, breadcrumbs, "下载 打印 全屏 【字号 大 中 小】" bars, share buttons,
related-article lists, footers.  :func:`html_to_text` keeps the report and drops the rest:

1. The markup is parsed with lxml's forgiving HTML parser and copied into a small tree of
   :class:`_Node` objects.  Scripts, styles, forms controls, ``<nav>`` and the like are left
   out while copying; ``<header>``, ``<footer>``, ``<aside>``, ``<form>``, hidden elements and
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

Text inside a paragraph is kept as written (spaces, U+00A0, U+3000 and widths untouched); only
line breaks of the HTML source are folded: a break next to a Chinese character vanishes, a
break between two Latin words becomes one space.
"""
from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass

__all__ = ["html_to_text"]

# Elements whose content is never article text; left out while copying the tree.
_ALWAYS_DROP = frozenset(
    "script style noscript template iframe frame frameset noframes object embed applet svg "
    "math canvas audio video source track select option optgroup datalist button input "
    "textarea nav head title meta link base map area param".split()
)
# Elements that are chrome unless they hold most of the page's text.
_SMALL_DROP = frozenset("header footer aside form menu dialog".split())
# Elements that end a paragraph.
_BLOCK = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav "
    "ol p pre section summary table tbody td tfoot th thead tr ul caption legend".split()
)
# Block elements that are a paragraph themselves (they credit their parent, not themselves).
_PARA_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li dt dd caption figcaption address summary legend".split())
_TABLE_INNER = frozenset("tr tbody thead tfoot td th".split())

# class / id words that name site chrome: substrings, and whole tokens (split at _ - space).
_CHROME_SUBSTR = re.compile(
    r"share|breadcrumb|crumb|copyright|footer|navbar|sidebar|toolbar|pagination|recommend|"
    r"related|comment|advert|fenxiang|xgxw|xgwz|dqwz|weizhi|bdshare"
)
_CHROME_TOKENS = frozenset(
    "nav menu foot header print ad ads banner side tools tool pager position location login "
    "search topbar bottom".split()
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# Chinese characters (ideographs, CJK and full-width punctuation, Chinese quotes and dashes).
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_CJKISH = re.compile(
    r"[\u2014\u2018-\u201d\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002ffff]"
)
_WORD = re.compile(r"\w")
# A run of HTML whitespace that contains a line break (source formatting, not content).
_BREAK_RUN = re.compile(r"[ \t\r\f]*[\r\n][ \t\r\n\f]*")
_HTML_SPACE = " \t\r\n\f"

# Chrome lines: words of download / print / font-size / share / source-and-time bars.
_CHROME_WORDS = (
    "下载", "打印", "全屏", "收藏", "字号", "分享", "关闭窗口", "来源：", "来源:", "时间：",
    "时间:", "责任编辑", "浏览", "扫一扫", "微信", "微博", "【大】", "【中】", "【小】",
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
_REPORT = "政府工作报告"
_BYLINE = re.compile(r"^\s*[—－\-]{1,2}|在.{0,40}会议上|省长|市长|总理|主席|政府工作报告")


class _Node:
    __slots__ = ("tag", "names", "parent", "children", "drop", "depth", "cjk", "words",
                 "idx", "end", "has_block_child", "small")

    def __init__(self, tag: str, names: str, parent: "_Node | None", depth: int):
        self.tag = tag
        self.names = names  # class and id, lower case
        self.parent = parent
        self.children: list = []  # _Node or str, in document order
        self.drop = False
        self.small = False  # a _SMALL_DROP candidate (tag, chrome class/id or hidden)
        self.depth = depth
        self.cjk = 0
        self.words = 0
        self.idx = -1
        self.end = -1
        self.has_block_child = False


@dataclass
class _Block:
    text: str
    owner: _Node
    weight: int = 0


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
            return _flat(markup)
    except Exception:
        return ""


# --------------------------------------------------------------------------- tree building

def _parse(markup: str):
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        return lxml.html.document_fromstring(markup.encode("utf-8", errors="replace"), parser=parser)
    except etree.ParserError:  # "Document is empty"
        return None


class _Tail:
    """A tail text waiting on the conversion stack (keeps text order without recursion)."""

    __slots__ = ("tag", "text")

    def __init__(self, text):
        self.tag = None
        self.text = text


def _chrome_names(names: str) -> bool:
    if not names:
        return False
    if _CHROME_SUBSTR.search(names):
        return True
    return any(tok in _CHROME_TOKENS for tok in re.split(r"[\s_\-]+", names))


def _build_tree(root) -> tuple[_Node, int, str]:
    """Copy lxml's tree into _Nodes, leaving out _ALWAYS_DROP; return (top, max depth, title).

    Iterative: a child's tail is pushed as a _Tail entry just below the child, so it lands
    in the parent's children right after the child's node.
    """
    title = ""
    for el in root.iter("title"):
        title = el.text_content() or ""
        break
    top = _Node("#root", "", None, 0)
    max_depth = 0
    stack: list = [(root, top)]
    while stack:
        el, parent = stack.pop()
        if isinstance(el, _Tail):
            if el.text:
                parent.children.append(el.text)
            continue
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in _ALWAYS_DROP:
            continue
        names = " ".join(filter(None, (el.get("class"), el.get("id")))).lower()
        node = _Node(tag, names, parent, parent.depth + 1)
        max_depth = max(max_depth, node.depth)
        style = el.get("style") or ""
        node.small = (tag in _SMALL_DROP or _chrome_names(names)
                      or el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(style)))
        parent.children.append(node)
        if tag in _BLOCK:
            parent.has_block_child = True
        if el.text:
            node.children.append(el.text)
        for ch in reversed(list(el)):
            stack.append((_Tail(ch.tail), node))
            stack.append((ch, node))
    return top, max_depth, title


def _weigh(top: _Node) -> None:
    """Set each node's ``cjk`` and ``words``: counts over its subtree's text (post-order)."""
    stack: list = [(top, False)]
    while stack:
        node, done = stack.pop()
        if done:
            for ch in node.children:
                if isinstance(ch, str):
                    node.cjk += len(_CJK.findall(ch))
                    node.words += len(_WORD.findall(ch))
                else:
                    node.cjk += ch.cjk
                    node.words += ch.words
            continue
        stack.append((node, True))
        stack.extend((ch, False) for ch in node.children if not isinstance(ch, str))


def _mark_chrome(top: _Node, use_cjk: bool) -> None:
    """Drop the 'small' candidates that do not hold more than half of the page's text.

    A small element naming a 政府工作报告 is kept: it is the article's own header (title and
    by-line in ``<header>`` or ``<div class="article-header">``), not site chrome.
    """
    total = top.cjk if use_cjk else top.words
    stack = [top]
    while stack:
        node = stack.pop()
        if node.small and (node.cjk if use_cjk else node.words) * 2 <= total:
            if not (node.cjk < 300 and _REPORT in _node_text(node)):
                node.drop = True
                continue
        stack.extend(ch for ch in node.children if not isinstance(ch, str))


# --------------------------------------------------------------------------- paragraphs

def _fold_breaks(text: str) -> str:
    """Fold source line breaks: gone next to a Chinese character, one space between others."""
    def repl(m: re.Match) -> str:
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if not before or not after or _CJKISH.match(before) or _CJKISH.match(after):
            return ""
        return " "

    return _BREAK_RUN.sub(repl, text)


def _blocks(top: _Node) -> list[_Block]:
    """Walk the tree (iteratively) into paragraphs, numbering nodes in pre-order."""
    blocks: list[_Block] = []
    parts: list[str] = []
    owners: list[_Node] = [top]
    counter = 0
    in_pre = 0

    def flush() -> None:
        if parts:
            text = _fold_breaks("".join(parts)).strip(_HTML_SPACE)
            parts.clear()
            if text.strip():
                blocks.append(_Block(text, owners[-1]))

    top.idx = counter
    stack: list = [("end", top)] + [("in", ch) for ch in reversed(top.children)]
    while stack:
        kind, item = stack.pop()
        if kind == "in" and isinstance(item, str):
            if in_pre:
                lines = item.split("\n")
                for i, line in enumerate(lines):
                    if i:
                        flush()
                    parts.append(line)
            else:
                parts.append(item)
            continue
        node = item
        if kind == "end":
            node.end = counter
            if node.tag in _BLOCK:
                flush()
                owners.pop()
            if node.tag == "pre":
                in_pre -= 1
            continue
        counter += 1
        node.idx = counter
        if node.drop:
            node.end = counter
            continue
        if node.tag in ("br", "hr"):
            flush()
            node.end = counter
            continue
        if node.tag in _BLOCK:
            flush()
            owners.append(node)
        if node.tag == "pre":
            in_pre += 1
        stack.append(("end", node))
        stack.extend(("in", ch) for ch in reversed(node.children))
    flush()
    return blocks


def _under(node: _Node, block: _Block) -> bool:
    return node.idx <= block.owner.idx <= node.end


def _choose_container(blocks: list[_Block]) -> _Node | None:
    """The element whose paragraphs carry the most weight (see the module docstring)."""
    per_owner: dict[int, int] = {}
    for b in blocks:
        per_owner[id(b.owner)] = per_owner.get(id(b.owner), 0) + 1
    score: dict[int, float] = {}
    nodes: dict[int, _Node] = {}
    for b in blocks:
        if not b.weight:
            continue
        owner = b.owner
        is_para = owner.tag in _PARA_TAGS or (per_owner[id(owner)] == 1 and not owner.has_block_child)
        target = owner.parent if is_para and owner.parent is not None else owner
        for node, share in ((target, 1.0), (target.parent, 0.5)):
            if node is not None:
                score[id(node)] = score.get(id(node), 0.0) + b.weight * share
                nodes[id(node)] = node
    if not score:
        return None
    best = max(nodes.values(), key=lambda n: (score[id(n)], -n.depth))
    return best


def _widen(container: _Node, blocks: list[_Block]) -> _Node:
    """Climb to the parent while it holds more of the report or just its title / by-line.

    Also climb while the container holds less than half of the page's text: then no element
    stands out as the article and dropping text would be a guess.
    """
    total = sum(b.weight for b in blocks)
    while container.parent is not None:
        parent = container.parent
        inside = [b for b in blocks if _under(container, b)]
        outside = [b for b in blocks if _under(parent, b) and not _under(container, b)]
        weight = sum(b.weight for b in inside)
        long_extra = sum(b.weight for b in outside if b.weight >= 30)
        if (container.tag in _TABLE_INNER or weight * 2 < total
                or (weight and long_extra >= 0.2 * weight)):
            container = parent
            continue
        head = [b for b in outside if not _is_chrome(b.text)]
        if not head:  # the parent adds nothing but chrome lines: look one level higher
            container = parent
            continue
        first = inside[0].owner.idx if inside else container.idx
        if (head and len(head) <= 4 and all(b.owner.idx < first for b in head)
                and any(_BYLINE.search(b.text) for b in head)):
            container = parent
        break
    return container


def _is_chrome(line: str) -> bool:
    s = line.strip()
    if len(s) > 120:
        return False
    if _CHROME_LINE.search(s):
        return True
    if len(s) <= 30 and _CHROME_SHORT.match(s):
        return True
    return len(s) <= 80 and sum(w in s for w in _CHROME_WORDS) >= 2


def _node_text(node: _Node) -> str:
    out: list[str] = []
    stack: list = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        else:
            stack.extend(reversed(item.children))
    return _fold_breaks("".join(out)).strip()


def _report_title(top: _Node, page_title: str) -> str:
    """The first <h1> naming a 政府工作报告, else the matching part of <title>, else ""."""
    stack = [top]
    while stack:
        node = stack.pop()
        if node.tag == "h1":
            text = _node_text(node)
            if _REPORT in text:
                return text
            continue
        stack.extend(ch for ch in reversed(node.children) if not isinstance(ch, str))
    title = _fold_breaks(page_title).strip()
    for part in re.split(r"\s*[_|｜]\s*|\s+[-–—]+\s+", title):
        if _REPORT in part:
            return part.strip()
    return ""


def _short_title(line: str) -> bool:
    s = line.strip()
    return s.endswith(_REPORT) and len(s) <= 30 and not re.search(r"^[—－\-]|会议", s)


def _place_title(lines: list[str], title: str) -> list[str]:
    """Make the report's title the first line (without repeating it)."""
    if title:
        head = [ln.strip() for ln in lines[:5]]
        if not any(title in h for h in head):
            lines = [title] + lines
    # "政府工作报告" (the page's <h1>) followed by "2025年浙江省政府工作报告": keep the fuller one
    if len(lines) >= 2 and _REPORT in lines[0]:
        first = lines[0].strip()
        for nxt in lines[1:3]:
            if nxt.strip() != first and first in nxt and _short_title(nxt):
                return lines[1:]
    return lines


# --------------------------------------------------------------------------- entry points

def _extract(markup: str) -> str:
    root = _parse(markup)
    if root is None:
        return _flat(markup)
    top, max_depth, page_title = _build_tree(root)
    _weigh(top)
    flat_cjk = len(_CJK.findall(_flat_strip(markup)))
    if max_depth >= 250 or top.cjk * 2 < flat_cjk:
        # libxml2 gave up below depth 256 (or otherwise lost text): extract flat
        return _flat(markup)
    use_cjk = top.cjk > 0
    _mark_chrome(top, use_cjk)
    blocks = _blocks(top)
    for b in blocks:
        b.weight = len(_CJK.findall(b.text)) if use_cjk else len(_WORD.findall(b.text))
    container = _choose_container(blocks)
    if container is None:
        return ""
    container = _widen(container, blocks)
    lines = [b.text for b in blocks if _under(container, b) and not _is_chrome(b.text)]
    if not lines:
        return ""
    lines = _place_title(lines, _report_title(top, page_title))
    return "\n\n".join(lines)


# Elements removed with their content; the first ones swallow the rest of the page when not
# closed (as raw-text elements do in a browser), the others then lose just their start tag.
_SWALLOWING = ("script", "style", "noscript", "template", "iframe", "textarea", "title", "xmp")
_RAW_TEXT_TAGS = _SWALLOWING + ("svg", "head", "select", "nav", "object")
_OPEN_RAW = re.compile(r"<(%s)\b" % "|".join(_RAW_TEXT_TAGS), re.I)
_END_RAW = {name: re.compile("</" + name, re.I) for name in _RAW_TEXT_TAGS}
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_BLOCK_TAG = re.compile(
    r"</?(?:%s|br)\b[^<>]*>" % "|".join(sorted(_BLOCK, key=len, reverse=True)), re.I
)
_ANY_TAG = re.compile(r"<[a-zA-Z/!?][^<>]*>")
_SEP = "\x00"


def _flat_strip(markup: str) -> str:
    """Markup with comments and raw-text elements removed, block tags as _SEP, tags gone."""
    s = _COMMENT.sub("", markup)
    out: list[str] = []
    pos = 0
    while True:
        m = _OPEN_RAW.search(s, pos)
        if not m:
            out.append(s[pos:])
            break
        out.append(s[pos:m.start()])
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


def _flat(markup: str) -> str:
    """Flat extraction for markup the tree could not hold: one paragraph per block tag."""
    try:
        s = _flat_strip(markup.replace(_SEP, ""))
    except Exception:
        return ""
    lines = []
    for piece in s.split(_SEP):
        if not piece or piece.isspace():  # most pieces of a page nested deep: skip them fast
            continue
        text = _fold_breaks(piece).strip(_HTML_SPACE)
        if text.strip() and not _is_chrome(text):
            lines.append(text)
    return "\n\n".join(lines)
