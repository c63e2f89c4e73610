"""Command-line interface: a thin Typer layer, each command calling the library.

One module per command group, its commands at module level; this module only assembles them
(in the order ``luoshi --help`` lists them).  Nothing in the library imports the CLI.
"""

from __future__ import annotations

import typer

from .. import __version__
from ..data import sample_path  # noqa: F401  (kept importable as luoshi.cli.sample_path)
from . import corrections, files, library, linking, web

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="luoshi (落实): government work reports → structured, trackable commitments.",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"luoshi {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """luoshi (落实): government work reports → structured, trackable commitments."""


COMMANDS = (
    ("extract", files.extract),
    ("import", library.import_),
    ("reextract", library.reextract),
    ("docs", library.docs),
    ("records", library.records),
    ("search", library.search),
    ("breakdown", files.breakdown),
    ("link", linking.link),
    ("diff", linking.diff),
    ("follow", linking.follow),
    ("scorecard", linking.scorecard),
    ("compare", linking.compare),
    ("serve", web.serve),
)
GROUPS = (("users", web.users_app), ("corrections", corrections.corrections_app))

for _name, _command in COMMANDS:
    app.command(_name)(_command)
for _name, _group in GROUPS:
    app.add_typer(_group, name=_name)


def main() -> None:
    app()
