"""``python -m luoshi.cli``: the same commands as the ``luoshi`` script."""

from . import main

main()
