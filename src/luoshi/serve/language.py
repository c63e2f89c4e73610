"""The web app's languages: Chinese by default, English as a choice (the catalog itself:
:mod:`luoshi.locale`).

Every visible string of the templates goes through gettext (Jinja2's ``jinja2.ext.i18n``,
new-style: ``{{ _("Reports") }}``, ``{% trans %}…{% endtrans %}``); machine words through the
``v`` filter, sentences with numbers through ``say``, stored values through ``readable``.
The language of a request: the ``luoshi_lang`` cookie (the switch in the page header, ``GET
/lang?to=en``), else the first language of ``Accept-Language`` we have, else ``zh_CN``.
JSON twins are never translated.
"""

from __future__ import annotations

from jinja2 import pass_context

from ..extraction.topics import topics
from ..locale import DEFAULT, FAMILIES, LANGUAGES, WORDS, catalog, patterns, readable, sentence, translate, value

COOKIE = "luoshi_lang"
_TAG = {"zh_CN": "zh-CN", "en": "en"}


def html_lang(lang: str) -> str:
    """The ``lang`` attribute of a page in ``lang``."""
    return _TAG.get(lang, "zh-CN")


def negotiate(accept: str | None) -> str | None:
    """The best of our languages in an ``Accept-Language`` header, or None.

    >>> negotiate("en-US,en;q=0.9"), negotiate("fr, zh-TW;q=0.5"), negotiate("fr")
    ('en', 'zh_CN', None)
    """
    if not accept:
        return None
    ranked = []
    for n, part in enumerate(accept.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, n, tag.strip().lower()))
    for q, _, tag in sorted(ranked):
        if q >= 0:
            continue
        base = tag.split("-")[0]
        if base == "zh":
            return "zh_CN"
        if base == "en":
            return "en"
    return None


def language(request) -> str:
    """The language of ``request``: cookie, else ``Accept-Language``, else Chinese."""
    state = getattr(request, "state", None)
    cached = getattr(state, "lang", None) if state is not None else None
    if cached:
        return cached
    chosen = request.cookies.get(COOKIE)
    lang = chosen if chosen in LANGUAGES else negotiate(request.headers.get("accept-language")) or DEFAULT
    if state is not None:
        state.lang = lang
    return lang


def export_language(request) -> str:
    """The language of a download's column headers (``zh`` or ``en``, as ``output.formats`` names them)."""
    return language(request).split("_")[0]


def _lang_of(ctx) -> str:
    request = ctx.get("request")
    return language(request) if request is not None else DEFAULT


@pass_context
def _gettext(ctx, message: str) -> str:
    return translate(message, _lang_of(ctx))


@pass_context
def _ngettext(ctx, singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural, _lang_of(ctx))


@pass_context
def _value(ctx, word, family: str | None = None):
    return value(word, _lang_of(ctx), family)


@pass_context
def _sentence(ctx, text, **extra):
    return sentence(text, _lang_of(ctx), **extra)


@pass_context
def _readable(ctx, value):
    return readable(value, _lang_of(ctx))


@pass_context
def _js_messages(ctx) -> dict[str, str]:
    """The messages the page's scripts show (``luoshi.t``), in the page's language."""
    lang = _lang_of(ctx)
    names = {f"topic:{t.id}": t.en if lang == "en" else t.zh for t in topics()}  # data/topics.tsv
    if lang == "en":
        return names
    out: dict = {k: v for k, v in catalog(lang).items() if k.startswith(JS_PREFIXES) or k in JS_VALUES}
    out.update(names)
    out["__words__"] = sorted(WORDS)
    out["__patterns__"] = [[p.pattern.replace("(?P<", "(?<").removesuffix(r"\Z"), form] for p, form in patterns(lang)]
    return out


JS_PREFIXES = ("js:", *(f"{family}:" for family in FAMILIES))  # and each family's words (follow:done)
JS_VALUES = (
    "met",
    "missed",
    "no_data",
    "target",
    "result",
    "indicator",
    "task",
    "change",
    "quantity",
    "rank",
    "about",
    "at_least",
    "at_most",
    "exact",
    "start",
    "complete",
    "advance",
    "plan",
    "other",
    "fix",
    "reject",
    "add",
    "red",
    "yellow",
    "green",
    "grey",
    "not_started",
    "on_track",
    "behind",
    "done",
    "dropped",
    "true",
    "false",
    "none",
)


def install(env) -> None:
    """Jinja2's i18n extension in ``env``, with the request's language."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    env.filters["v"] = _value
    env.filters["say"] = _sentence
    env.filters["readable"] = _readable
    env.globals["js_messages"] = _js_messages
    env.globals["languages"] = LANGUAGES
    env.globals["page_lang"] = lambda request: language(request)
    env.globals["html_lang"] = lambda request: html_lang(language(request))
