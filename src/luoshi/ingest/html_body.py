"""The article body of a web page: its paragraphs, the element that holds the report, its title.

The tree (:mod:`luoshi.ingest.html_tree`) is walked once into paragraphs ("blocks"), breaking at
block elements and ``<br>``.  The container of the article is the element whose paragraphs
carry the most Chinese characters: each paragraph credits its parent fully and its grandparent
half (a ``<div>`` holding ``<br>``-separated text credits itself).  It is widened when a sibling
holds more long paragraphs (a body split over several containers) or the title / by-line.  The
report's title (an ``<h1>`` or the ``<title>`` naming a 政府工作报告) is put first if the body does
not already start with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .html_chrome import REPORT, is_chrome
from .html_tree import BLOCK, HTML_SPACE, Node, fold_breaks, node_text

# Block elements that are a paragraph themselves (they credit their parent, not themselves).
_PARA_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li dt dd caption figcaption address summary legend".split())
_TABLE_INNER = frozenset("tr tbody thead tfoot td th".split())
_BYLINE = re.compile(r"^\s*[—－\-]{1,2}|在.{0,40}会议上|省长|市长|总理|主席|政府工作报告")


@dataclass
class Block:
    """A paragraph: its text, the block element it belongs to, and its weight (its Chinese
    characters, or its word characters on a page without Chinese)."""

    text: str
    owner: Node
    weight: int = 0


def blocks(top: Node) -> list[Block]:
    """Walk the tree (iteratively) into paragraphs, numbering nodes in pre-order."""
    found: list[Block] = []
    parts: list[str] = []
    owners: list[Node] = [top]
    counter = 0
    in_pre = 0

    def flush() -> None:
        if parts:
            text = fold_breaks("".join(parts)).strip(HTML_SPACE)
            parts.clear()
            if text.strip():
                found.append(Block(text, owners[-1]))

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
            if node.tag in BLOCK:
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
        if node.tag in BLOCK:
            flush()
            owners.append(node)
        if node.tag == "pre":
            in_pre += 1
        stack.append(("end", node))
        stack.extend(("in", ch) for ch in reversed(node.children))
    flush()
    return found


def under(node: Node, block: Block) -> bool:
    """Is ``block`` inside ``node``?"""
    return node.idx <= block.owner.idx <= node.end


def choose_container(found: list[Block]) -> Node | None:
    """The element whose paragraphs carry the most weight (see the module docstring)."""
    per_owner: dict[int, int] = {}
    for b in found:
        per_owner[id(b.owner)] = per_owner.get(id(b.owner), 0) + 1
    score: dict[int, float] = {}
    nodes: dict[int, Node] = {}
    for b in found:
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


def widen(container: Node, found: list[Block]) -> Node:
    """Climb to the parent while it holds more of the report or just its title / by-line.

    Also climb while the container holds less than half of the page's text: then no element
    stands out as the article and dropping text would be a guess.
    """
    total = sum(b.weight for b in found)
    while container.parent is not None:
        parent = container.parent
        inside = [b for b in found if under(container, b)]
        outside = [b for b in found if under(parent, b) and not under(container, b)]
        weight = sum(b.weight for b in inside)
        long_extra = sum(b.weight for b in outside if b.weight >= 30)
        if container.tag in _TABLE_INNER or weight * 2 < total or (weight and long_extra >= 0.2 * weight):
            container = parent
            continue
        head = [b for b in outside if not is_chrome(b.text)]
        if not head:  # the parent adds nothing but chrome lines: look one level higher
            container = parent
            continue
        first = inside[0].owner.idx if inside else container.idx
        if (
            head
            and len(head) <= 4
            and all(b.owner.idx < first for b in head)
            and any(_BYLINE.search(b.text) for b in head)
        ):
            container = parent
        break
    return container


def report_title(top: Node, page_title: str) -> str:
    """The first <h1> naming a 政府工作报告, else the matching part of <title>, else ""."""
    stack = [top]
    while stack:
        node = stack.pop()
        if node.tag == "h1":
            text = node_text(node)
            if REPORT in text:
                return text
            continue
        stack.extend(ch for ch in reversed(node.children) if not isinstance(ch, str))
    title = fold_breaks(page_title).strip()
    for part in re.split(r"\s*[_|｜]\s*|\s+[-–—]+\s+", title):
        if REPORT in part:
            return part.strip()
    return ""


def _short_title(line: str) -> bool:
    s = line.strip()
    return s.endswith(REPORT) and len(s) <= 30 and not re.search(r"^[—－\-]|会议", s)


def place_title(lines: list[str], title: str) -> list[str]:
    """Make the report's title the first line (without repeating it)."""
    if title:
        head = [ln.strip() for ln in lines[:5]]
        if not any(title in h for h in head):
            lines = [title] + lines
    # "政府工作报告" (the page's <h1>) followed by "2025年浙江省政府工作报告": keep the fuller one
    if len(lines) >= 2 and REPORT in lines[0]:
        first = lines[0].strip()
        for nxt in lines[1:3]:
            if nxt.strip() != first and first in nxt and _short_title(nxt):
                return lines[1:]
    return lines
