"""Command-line interface: each command calls one library function."""
from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .errors import InputError, LuoshiError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="luoshi (落实): government work reports → structured, trackable commitments.")

FORMATS = ("text", "outline", "json", "jsonl", "table", "csv")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"luoshi {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """luoshi (落实): government work reports → structured, trackable commitments."""


def sample_path() -> Path:
    """The bundled sample report (Ningbo 2024, part 1)."""
    return Path(str(resources.files("luoshi.data").joinpath("sample/ningbo-2024-part1.txt")))


def _fail(message: str) -> None:
    typer.echo(f"luoshi: {message}", err=True)
    raise typer.Exit(2)


@app.command()
def extract(
    file: Optional[Path] = typer.Argument(None, help="Report file: TXT, PDF, HTML or DOCX (format found from content)."),
    fmt: str = typer.Option("table", "--format", "-f", help="text | outline | json | jsonl | table | csv"),
    sample: bool = typer.Option(False, "--sample", help="Use the bundled sample report (Ningbo 2024)."),
    max_bytes: Optional[int] = typer.Option(None, "--max-bytes", help="Refuse files larger than this (default 50 MB, or LUOSHI_MAX_BYTES)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output."),
) -> None:
    """Read a report and print its cleaned text, outline, or extracted records."""
    from .output.formats import document_json, outline_text, write_records
    from .pipeline import extract as run_extract
    from .pipeline import load

    if fmt not in FORMATS:
        _fail(f"unknown --format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if sample:
        file = sample_path()
    if file is None:
        _fail("give a FILE, or --sample for the bundled report")
    try:
        doc = load(file, max_bytes=max_bytes) if fmt in ("text", "outline") else run_extract(file, max_bytes=max_bytes)
    except InputError as e:
        _fail(f"{e.source}: {e.reason}")
    except LuoshiError as e:  # pragma: no cover - no other kinds yet
        _fail(str(e))
    for w in doc.warnings:
        typer.echo(f"luoshi: {doc.source}: warning: {w}", err=True)
    out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if fmt == "text":
            out.write(doc.text + "\n")
        elif fmt == "outline":
            out.write(outline_text(doc))
        elif fmt == "json":
            out.write(document_json(doc, records=True) + "\n")
        else:
            write_records(doc.records, fmt, out)
    finally:
        if output:
            out.close()


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
