"""Chinese and English for what luoshi shows people: the web app's pages and the command line's tables.

The messages are English; ``zh_CN/LC_MESSAGES/luoshi.po`` (in this folder) gives their Chinese.
The ``.po`` is compiled to a ``.mo`` with Babel (:func:`compiled`) the first time a process
needs it, and read with the standard library's gettext; the catalog is kept for the life of the
process.  Compiling on first use rather than at build or install: the compile takes some tens
of milliseconds; an editable install (``pip install -e``, as ``.ci/run`` does) runs no build
step that could make the ``.mo``; and nothing generated has to be kept in git or written
into an installed (perhaps read-only) package.  Nothing is fetched.

Values kept as machine words (``met``, ``about``, ``on_track``) read through :func:`value`;
sentences the Python side writes with numbers in them (a traffic light's reason, a scorecard
rule, an ingest reason) through :func:`sentence`, whose patterns are ``patterns.tsv``; stored
values (an audit entry's) through :func:`readable`.  The web's side (which language a request
wants, the templates' gettext) is ``serve/language.py``.
"""

from __future__ import annotations

import gettext as gnu_gettext
import io
import re
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = {"zh_CN": "中文", "en": "English"}
DEFAULT = "zh_CN"
DOMAIN = "luoshi"
LOCALE = Path(__file__).resolve().parent  # this package: <lang>/LC_MESSAGES/luoshi.po, patterns.tsv


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compiled(lang: str) -> bytes:
    """The ``.po`` of ``lang`` compiled to a ``.mo`` with Babel (fuzzy entries left out)."""
    with po_path(lang).open("rb") as f:
        messages = read_po(f, locale=lang, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, messages)
    return out.getvalue()


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """The messages of ``lang`` (English: none, the messages are English), compiled on first
    use and read with the standard library's gettext; kept for the life of the process."""
    if lang == "en" or not po_path(lang).exists():
        return {}
    translations = gnu_gettext.GNUTranslations(io.BytesIO(compiled(lang)))
    return {k: v for k, v in translations._catalog.items() if isinstance(k, str) and k}  # noqa: SLF001


def translate(message: str, lang: str) -> str:
    return catalog(lang).get(message, message) if message else message


@lru_cache(maxsize=None)
def patterns(lang: str) -> list[tuple[re.Pattern, str]]:
    """``locale/patterns.tsv``: (regex over the English sentence, its form in ``lang``)."""
    out = []
    table = LOCALE / "patterns.tsv"
    for line in table.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) >= 3 and fields[0] == lang:
            out.append((re.compile(fields[1] + r"\Z"), fields[2]))
    return out


# the groups of a pattern that hold words of ours (a status, a measure, a reason), translated in
# turn; the others (a name, a file, a number, the report's words) are shown as they are
WORDS = frozenset({"measure", "status", "role", "yours", "what", "note", "reason", "why", "k", "size", "limit"})


def sentence(text, lang: str, **extra):
    """A sentence the Python side wrote in English (a light's reason, a verdict's rule, an
    error), in ``lang``: the catalog's translation, else the first pattern of
    ``locale/patterns.tsv`` that matches the whole sentence (its groups translated again, so
    ``no result: {note}`` reads the note too); ``extra`` fills ``{target}`` and ``{unit}``."""
    if not isinstance(text, str) or not text or lang == "en":
        return text
    known = catalog(lang).get(text)
    if known is not None:
        return known
    for pattern, form in patterns(lang):
        m = pattern.match(text)
        if m:
            fields = {k: "" if v is None else str(v) for k, v in extra.items()}
            fields.update({k: (sentence(v, lang) if k in WORDS else v) if v else "" for k, v in m.groupdict().items()})
            if (m.groupdict().get("year") or "").isdigit():
                fields["next_year"] = str(int(m.group("year")) + 1)
            fields.setdefault("target", "")
            fields.setdefault("unit", "")
            return form.format(**fields).replace("目标 ：", "目标：")
    return text


# Vocabularies whose words another one uses with another sense (a project ``done`` in the next
# report is 已完成 as a tracked item is, but ``on_track`` against its promise is 按期, not 按计划推进):
# the catalog names their words ``family:word``, as ``follow:done`` and ``progress:on_track``.
FAMILIES = ("follow", "progress", "part")


def value(word, lang: str, family: str | None = None):
    """A machine value (``met``, ``at_least``, ``on_track``, ``viewer``…) as a person reads it;
    ``family`` (one of ``FAMILIES``) reads it in that vocabulary.

    >>> value("on_track", "zh_CN"), value("on_track", "zh_CN", "progress"), value("not_mentioned", "en", "follow")
    ('按计划推进', '按期', 'not mentioned')
    """
    if word is None or word == "":
        return word
    plain = str(word).replace("_", " ")
    if lang == "en":
        return plain
    return catalog(lang).get(f"{family}:{word}" if family else str(word), plain)


def readable(value, lang: str) -> str:
    """A stored value (an audit entry's, a correction's field) as a person reads it: no value
    as —, yes/no, a list joined with 、, a milestone as its date and text, machine words in
    ``lang``.

    >>> readable([{"due": "2025-06-30", "text": "开工"}], "zh_CN"), readable(None, "en"), readable(True, "zh_CN")
    ('2025-06-30 开工', '—', '是')
    """
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return translate("yes" if value else "no", lang)
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, (list, tuple)):
        return "、".join(readable(v, lang) for v in value)
    if isinstance(value, dict):
        if "text" in value and set(value) <= {"due", "text"}:
            return " ".join(str(value[k]) for k in ("due", "text") if value.get(k))
        return "；".join(f"{translate(str(k), lang)}：{readable(v, lang)}" for k, v in value.items())
    text = str(value)
    return catalog(lang).get(text, text) if lang != "en" else text
