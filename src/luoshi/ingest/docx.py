"""DOCX → raw text: the body's paragraphs in document order, one per line.

Order is the order of the body XML: ``w:p`` paragraphs and ``w:tbl`` tables as they come,
a table's cell paragraphs row by row, cell by cell (merged cells once, nested tables in their
place); content controls (``w:sdt``), tracked insertions and the like are walked into, deleted
text (``w:del``, ``w:moveFrom``) and field codes are not.  A text box's paragraphs follow the
paragraph that anchors it (``mc:Fallback`` copies are skipped, so each is read once).  A line
break inside a paragraph (``w:br``, ``w:cr``) also ends a line: the output has one paragraph
per line.  Empty paragraphs are skipped.

Before anything is parsed the archive is checked with :mod:`zipfile`: members that would
expand past ``max_uncompressed`` bytes (``LUOSHI_MAX_DOCX_BYTES``: :mod:`luoshi.settings`), or
more than 100 times the archive's size when that is over 10 MB, are refused as a possible
zip bomb.  The declared sizes checked here also bound
what is read later: :mod:`zipfile` stops at a member's declared size and fails its CRC check
if the data goes on.  The package is opened with python-docx (MIT); if python-docx refuses it
(a macro-enabled ``.docm``, a missing content-types part, a Strict OOXML namespace) the main
document part is read directly with a non-resolving lxml parser.  Every failure becomes
:class:`luoshi.errors.InputError`; no zipfile, lxml or python-docx exception escapes.
"""

from __future__ import annotations

import io
import zipfile

from luoshi import settings
from luoshi.errors import InputError

from .archive import check_expansion

__all__ = ["docx_to_text"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAIN_PART = "word/document.xml"
_OFFICE_DOC_REL = "/officeDocument"
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# Elements of the main namespace that never hold body text (local names).
_SKIP = frozenset(
    "pPr rPr sectPr tblPr tblGrid trPr tcPr sdtPr sdtEndPr del moveFrom delText instrText "
    "delInstrText footnoteReference endnoteReference commentReference fldData".split()
)


def docx_to_text(data: bytes, source: str = "<docx>", max_uncompressed: int | None = None) -> str:
    """Return the paragraphs of a DOCX file, one per line, with a blank line between them.

    Raises :class:`InputError` for a file that is not a readable DOCX or that would expand
    to more than ``max_uncompressed`` bytes (default: ``LUOSHI_MAX_DOCX_BYTES``, :mod:`luoshi.settings`);
    returns ``""`` for a DOCX with no text.
    """
    if max_uncompressed is None:
        max_uncompressed = settings.max_docx_bytes()
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise InputError(source, f"not a readable DOCX: expected bytes, got {type(data).__name__}")
    data = bytes(data)
    try:
        main_part = _check_archive(data, source, max_uncompressed)
        body = _open_body(data, source, main_part)
        return "\n\n".join(_paragraphs(body))
    except InputError:
        raise
    except Exception as exc:  # anything python-docx / lxml / zipfile did not foresee
        raise InputError(source, f"not a readable DOCX: {_describe(exc)}") from exc


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__


def _check_archive(data: bytes, source: str, max_uncompressed: int) -> str:
    """Check that ``data`` is a zip holding a Word document of sane size; return its main part."""
    if not data:
        raise InputError(source, "not a readable DOCX: the file is empty")
    if data[:8] == _OLE_MAGIC:
        raise InputError(
            source, "not a readable DOCX: an OLE2 compound file (a legacy .doc, or a password-protected DOCX)"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = check_expansion(zf, len(data), source, "DOCX", max_uncompressed)
            names = {i.filename for i in infos}
            if _MAIN_PART in names:
                return _MAIN_PART
            target = _main_part_from_rels(zf, names)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(source, f"not a readable DOCX: not a zip archive ({_describe(exc)})") from exc
    if target is None:
        raise InputError(source, f"not a readable DOCX: the zip archive has no {_MAIN_PART}")
    return target


def _main_part_from_rels(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    """The main document part named by ``_rels/.rels`` when it is not word/document.xml."""
    if "_rels/.rels" not in names:
        return None
    try:
        root = _parse_xml(zf.read("_rels/.rels"))
    except Exception:
        return None
    for rel in root.iter():
        if isinstance(rel.tag, str) and rel.get("Type", "").endswith(_OFFICE_DOC_REL):
            target = rel.get("Target", "").lstrip("/")
            if target in names and target.endswith(".xml"):
                return target
    return None


def _parse_xml(raw: bytes):
    from lxml import etree  # start-up time: lxml is loaded only when a DOCX is read

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True
    )
    return etree.fromstring(raw, parser=parser)


def _open_body(data: bytes, source: str, main_part: str):
    """The ``w:body`` element: through python-docx, else straight from the main part."""
    try:
        import docx  # start-up time: python-docx takes 0.2 s to load; only DOCX files need it

        body = docx.Document(io.BytesIO(data)).element.body
        if body is not None:
            return body
    except Exception:
        pass  # python-docx is stricter than needed: try the main part on its own
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            root = _parse_xml(zf.read(main_part))
    except Exception as exc:
        raise InputError(source, f"not a readable DOCX: {main_part} cannot be parsed ({_describe(exc)})") from exc
    for child in root:
        if isinstance(child.tag, str) and _local(child.tag) == "body":
            return child
    raise InputError(source, f"not a readable DOCX: {main_part} has no document body")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _ns(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _paragraphs(body) -> list[str]:
    """Walk the body (iteratively) and return its non-empty paragraph lines in order."""
    w_ns = _ns(body.tag)  # transitional or strict WordprocessingML
    lines: list[str] = []
    stack = list(reversed(list(body)))
    while stack:
        el = stack.pop()
        tag = el.tag
        if not isinstance(tag, str) or _skipped(tag, w_ns):
            continue
        if _ns(tag) == w_ns and _local(tag) == "p":
            text, boxes = _paragraph(el, w_ns)
            lines.extend(ln for ln in text.split("\n") if ln.strip())
            for box in reversed(boxes):  # text boxes come right after their anchor
                stack.extend(reversed(list(box)))
            continue
        # tables (tbl → tr → tc), content controls, insertions, custom XML …: walk into
        stack.extend(reversed(list(el)))
    return lines


def _skipped(tag: str, w_ns: str) -> bool:
    ns, local = _ns(tag), _local(tag)
    return (ns == w_ns and local in _SKIP) or (ns == _MC_NS and local == "Fallback")


def _paragraph(p, w_ns: str) -> tuple[str, list]:
    """Text of one ``w:p`` (breaks as "\\n", tabs as "\\t") and the text boxes inside it."""
    parts: list[str] = []
    boxes: list = []
    stack = list(reversed(list(p)))
    while stack:
        el = stack.pop()
        tag = el.tag
        if not isinstance(tag, str) or _skipped(tag, w_ns):
            continue
        ns, local = _ns(tag), _local(tag)
        if ns == w_ns:
            if local == "t":
                parts.append(el.text or "")
                continue
            if local == "tab":
                parts.append("\t")
                continue
            if local in ("br", "cr"):
                parts.append("\n")
                continue
            if local == "noBreakHyphen":
                parts.append("-")
                continue
            if local == "txbxContent":
                boxes.append(el)
                continue
            if local == "p":  # a paragraph nested without a text box wrapper: treat as one
                boxes.append([el])
                continue
        stack.extend(reversed(list(el)))
    return "".join(parts), boxes
