"""Link two reports and print one JSON object per target (the format of shared/spec/linking.md).

    python bench/link_cli.py OLD NEW

A thin runner over :func:`luoshi.link.link_documents`, for the scorer before `luoshi link`
exists: ``score_links.py --cmd 'python bench/link_cli.py {old} {new}' …``.
"""

from __future__ import annotations

import json
import sys

import luoshi
from luoshi.link import link_documents


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    old, new = (luoshi.extract(p) for p in argv)
    for link in link_documents(old, new):
        print(json.dumps(link.to_dict(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
