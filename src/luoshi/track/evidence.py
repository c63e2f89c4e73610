"""Evidence links of progress updates: what a tracking item may point to."""

from __future__ import annotations

import re


def local_or_web_link(url: str) -> str:
    """An evidence link: ``http(s)://host/…`` or a path on this site (``/documents/3``).
    ``//evil.example`` and ``/\\evil.example`` are other sites to a browser, and a browser
    drops tabs and line breaks from a link, so those are refused too.

    >>> local_or_web_link("https://www.gov.cn/zhengce/"), local_or_web_link("/tracking/items/3")
    ('https://www.gov.cn/zhengce/', '/tracking/items/3')
    >>> for bad in ("//evil.example", "/\\\\evil.example", "/\\t/evil.example", "javascript:alert(1)"):
    ...     try:
    ...         local_or_web_link(bad)
    ...     except ValueError as e:
    ...         print(e)
    an evidence link starts with http:// or https://, or is a path on this site starting with one /
    an evidence link starts with http:// or https://, or is a path on this site starting with one /
    an evidence link holds no spaces or control characters
    an evidence link starts with http:// or https://, or is a path on this site starting with one /
    """
    url = url.strip()
    if not url:
        return url
    if re.search(r"[\x00-\x20\x7f]", url):
        raise ValueError("an evidence link holds no spaces or control characters")
    web = re.match(r"https?://[^/\\?#@]+", url, re.IGNORECASE)
    local = url.startswith("/") and not url.startswith("//") and "\\" not in url
    if not (web or local):
        raise ValueError(
            "an evidence link starts with http:// or https://, or is a path on this site starting with one /"
        )
    return url
