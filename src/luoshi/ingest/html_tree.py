"""The tree of a web page as :mod:`luoshi.ingest.html` reads it, and the text of its nodes.

lxml's forgiving HTML parser reads the markup; its tree is copied into small :class:`Node`
objects, leaving out the elements that never hold article text (scripts, styles, form controls,
``<nav>``…).  Every walk is iterative: pages nested thousands of levels deep must not hit the
recursion limit.  Text is kept as written, except line breaks of the HTML source
(:func:`fold_breaks`).
"""

from __future__ import annotations

import re

# Elements whose content is never article text; left out while copying the tree.
ALWAYS_DROP = frozenset(
    "script style noscript template iframe frame frameset noframes object embed applet svg "
    "math canvas audio video source track select option optgroup datalist button input "
    "textarea nav head title meta link base map area param".split()
)
# Elements that end a paragraph.
BLOCK = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav "
    "ol p pre section summary table tbody td tfoot th thead tr ul caption legend".split()
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# Chinese characters (ideographs, CJK and full-width punctuation, Chinese quotes and dashes).
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_CJKISH = re.compile(
    r"[\u2014\u2018-\u201d\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002ffff]"
)
WORD = re.compile(r"\w")
# A run of HTML whitespace that contains a line break (source formatting, not content).
_BREAK_RUN = re.compile(r"[ \t\r\f]*[\r\n][ \t\r\n\f]*")
HTML_SPACE = " \t\r\n\f"


class Node:
    """An element of the page: its children (nodes and strings, in document order), its
    Chinese characters and word characters (``cjk``, ``words``, over its subtree), its place in
    the pre-order walk (``idx`` to ``end``), and whether it is dropped as chrome."""

    __slots__ = (
        "tag",
        "names",
        "parent",
        "children",
        "drop",
        "depth",
        "cjk",
        "words",
        "idx",
        "end",
        "has_block_child",
        "hidden",
    )

    def __init__(self, tag: str, names: str, parent: "Node | None", depth: int):
        self.tag = tag
        self.names = names  # class and id, lower case
        self.parent = parent
        self.children: list = []  # Node or str, in document order
        self.drop = False
        self.hidden = False  # the hidden attribute, or a style that hides it
        self.depth = depth
        self.cjk = 0
        self.words = 0
        self.idx = -1
        self.end = -1
        self.has_block_child = False


def parse(markup: str):
    """lxml's tree of ``markup``, or None for a page with no elements."""
    import lxml.html  # start-up time: lxml is loaded only when a web page is read
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


def build_tree(root) -> tuple[Node, int, str]:
    """Copy lxml's tree into Nodes, leaving out ALWAYS_DROP; return (top, max depth, title).

    Iterative: a child's tail is pushed as a _Tail entry just below the child, so it lands
    in the parent's children right after the child's node.
    """
    title = ""
    for el in root.iter("title"):
        title = el.text_content() or ""
        break
    top = Node("#root", "", None, 0)
    max_depth = 0
    stack: list = [(root, top)]
    while stack:
        el, parent = stack.pop()
        if isinstance(el, _Tail):
            if el.text:
                parent.children.append(el.text)
            continue
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in ALWAYS_DROP:
            continue
        names = " ".join(filter(None, (el.get("class"), el.get("id")))).lower()
        node = Node(tag, names, parent, parent.depth + 1)
        max_depth = max(max_depth, node.depth)
        node.hidden = el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))
        parent.children.append(node)
        if tag in BLOCK:
            parent.has_block_child = True
        if el.text:
            node.children.append(el.text)
        for ch in reversed(list(el)):
            stack.append((_Tail(ch.tail), node))
            stack.append((ch, node))
    return top, max_depth, title


def weigh(top: Node) -> None:
    """Set each node's ``cjk`` and ``words``: counts over its subtree's text (post-order)."""
    stack: list = [(top, False)]
    while stack:
        node, done = stack.pop()
        if done:
            for ch in node.children:
                if isinstance(ch, str):
                    node.cjk += len(CJK.findall(ch))
                    node.words += len(WORD.findall(ch))
                else:
                    node.cjk += ch.cjk
                    node.words += ch.words
            continue
        stack.append((node, True))
        stack.extend((ch, False) for ch in node.children if not isinstance(ch, str))


def fold_breaks(text: str) -> str:
    """Fold source line breaks: gone next to a Chinese character, one space between others."""

    def repl(m: re.Match) -> str:
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if not before or not after or _CJKISH.match(before) or _CJKISH.match(after):
            return ""
        return " "

    return _BREAK_RUN.sub(repl, text)


def node_text(node: Node) -> str:
    """All the text under ``node``, breaks folded."""
    out: list[str] = []
    stack: list = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        else:
            stack.extend(reversed(item.children))
    return fold_breaks("".join(out)).strip()
