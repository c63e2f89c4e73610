"""Chinese word segmentation for full-text search.

Words come from rjieba (MIT): jieba's dictionary and algorithm, implemented in Rust, about
fifteen times faster than the pure-Python jieba.  A paragraph is indexed by every dictionary
word of two or more characters that occurs anywhere in it (jieba's full mode: 地区生产总值 →
地区 生产 生产总值 总值 …), so a word is found wherever it is written, whatever the words
around it.  A query is cut in exact mode with the HMM guesser off, which gives dictionary
words and single characters; its words of two or more Chinese characters are looked up in
the index, and the text itself confirms the whole query (:mod:`.search`).  Words are
lowercased and cut at punctuation, so each one is a single token to SQLite's ``unicode61``
tokenizer and to PostgreSQL's ``simple`` parser alike.
"""

from __future__ import annotations

import re

import rjieba

_WORD = re.compile(r"[^\W_]+")
_LONG_WORD = re.compile(r"[^\W_]{2,}")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")


def _words(pieces: list[str]) -> list[str]:
    return _WORD.findall(" ".join(pieces).lower())


def tokens(text: str) -> str:
    """The indexed words of ``text``, space-separated.

    >>> tokens("保障粮食安全")
    '保障 粮食 粮食安全 安全'
    """
    return " ".join(_LONG_WORD.findall(" ".join(rjieba.cut_all(text)).lower()))


def query_words(text: str) -> list[str]:
    """The words of ``text`` that the index can look up: its dictionary words of two or more
    Chinese characters (full mode leaves out words that mix in Latin letters, like A股), in
    order, without repeats.

    >>> query_words("地区生产总值")
    ['地区', '生产总值']
    >>> query_words("稳就业")
    ['就业']
    >>> query_words("GDP")
    []
    """
    return list(dict.fromkeys(w for w in _words(rjieba.cut(text, False)) if len(w) >= 2 and _CJK.fullmatch(w)))
