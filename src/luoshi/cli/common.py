"""What every command shares: its options, the database it opens, how it writes a listing, and
the one error tail (a line on standard error, exit status 2).

The store (SQLAlchemy) and rich are imported inside the helpers that need them, for start-up
time: ``luoshi --help`` and ``luoshi extract`` do not load them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Callable, NoReturn, Optional

import typer

from .. import settings
from ..errors import InputError, LuoshiError
from ..output.formats import listing_format, write_listing
from ..output.names import LANGS, canonical_name
from ..pipeline import extract

DbOption = Annotated[
    Optional[str],
    typer.Option(
        "--db", help="SQLite file or postgresql:// URL (default: LUOSHI_DB, else ~/.local/share/luoshi/luoshi.db)."
    ),
]
FormatOption = Annotated[
    Optional[str],
    typer.Option("--format", "-f", help="table | csv | json | jsonl | xlsx (default: from the -o suffix, else table)."),
]
OutputOption = Annotated[
    Optional[Path],
    typer.Option("--output", "-o", help="Write to this file (CSV gets a BOM for Excel; XLSX needs a file)."),
]
WorkersOption = Annotated[
    Optional[int], typer.Option("--workers", "-w", min=1, help="Extraction processes (default: one per core).")
]
RegionOption = Annotated[Optional[str], typer.Option("--region", help="Region contains this (浙江, 国务院).")]
DocumentOption = Annotated[
    Optional[str], typer.Option("--document", "-d", help="Id, file name (or part of it) or hash prefix.")
]


def _lang(value: str) -> str:
    if value not in LANGS:
        raise typer.BadParameter(f"choose one of {', '.join(LANGS)}")
    return value


LangOption = Annotated[
    str,
    typer.Option(
        "--lang", callback=_lang, help="Column headers of tables, CSV and XLSX: zh (Chinese) | en (the JSON keys)."
    ),
]


def named(group: str):
    """An option callback: a value of ``group`` given by its Chinese name (--kind 目标) becomes
    its own name (target); other values pass through, for the library to check."""
    return lambda value: value if value is None else canonical_name(group, value)


TopicOption = Annotated[
    Optional[str],
    typer.Option(
        "--topic",
        callback=named("topic"),
        help="Policy area: economy, science, reform, opening, investment, agriculture, cities, environment, welfare, "
        "social, safety (or its Chinese name: 农业).",
    ),
]


REPORT_HELP = (
    "a report file, or a stored report: its id or 6+ hex digits of its content hash "
    "(luoshi docs lists them; an existing file of that name wins)"
)


def fail(message: str) -> NoReturn:
    """The one error tail: ``luoshi: MESSAGE`` on standard error, exit status 2."""
    typer.echo(f"luoshi: {message}", err=True)
    raise typer.Exit(2)


def fail_error(error: LuoshiError) -> NoReturn:
    """A library error as one line (an input error's names its file: ``FILE: reason``)."""
    fail(str(error))


def warn(source, message: str) -> None:
    typer.echo(f"luoshi: {source}: warning: {message}", err=True)


def missing_database(db: Optional[str]) -> Optional[str]:
    """The SQLite file ``db`` names (or ``LUOSHI_DB``, or the default) when it does not exist."""
    from ..store.db import resolve_url  # start-up time: SQLAlchemy

    url = resolve_url(db)
    if not url.startswith("sqlite:///"):
        return None
    path = url[len("sqlite:///") :].split("?", 1)[0]
    return path if path and path != ":memory:" and not Path(path).exists() else None


def open_db(db: Optional[str], existing: bool = False):
    """Open the database named by ``--db`` (or ``LUOSHI_DB``, or the default file) and say which
    on standard error.  ``existing``: a read command, which neither creates a missing SQLite
    file nor its folders but says there is none."""
    from .. import store  # start-up time: SQLAlchemy

    try:
        settings.busy_timeout()  # a wrong setting is named before anything else is said
        if existing and (path := missing_database(db)):
            fail(f"no database at {path}: import reports first (luoshi import FILES --db {path})")
        database = store.connect(db)
    except LuoshiError as e:
        fail_error(e)
    typer.echo(f"luoshi: database: {database.shown}", err=True)
    return database


def with_db(db: Optional[str], query: Callable, existing: bool = False):
    """Run ``query(database)`` on the chosen database; a LuoshiError, or an error of the
    database itself (locked, disk full, server gone), becomes one line, exit 2."""
    from sqlalchemy.exc import DBAPIError  # start-up time: SQLAlchemy, as the store

    from ..store.faults import database_error  # start-up time: SQLAlchemy

    database = open_db(db, existing)
    try:
        return query(database)
    except LuoshiError as e:
        fail_error(e)
    except DBAPIError as e:
        clear = database_error(e, database.url)
        if clear is None:  # not the database's surroundings: a bug, shown in full
            raise
        fail(str(clear))
    finally:
        database.close()


def writing(output: Optional[Path], write: Callable[[], None]) -> None:
    """Run ``write()``; a refused format or an unwritable ``output`` becomes one line."""
    try:
        write()
    except ValueError as e:
        fail(str(e))
    except OSError as e:
        fail(f"{output or 'standard output'}: {e.strerror or e}")


def text_out(output: Optional[Path], text: str) -> None:
    """``text`` to the file ``output``, else to standard output."""
    if output is None:
        sys.stdout.write(text)
    else:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)


def listing(
    rows: list[dict],
    columns,
    fmt: Optional[str],
    output: Optional[Path],
    table_columns=None,
    default: str = "table",
    text: Optional[Callable[[list[dict]], str]] = None,
    lang: str = "zh",
) -> None:
    """Write ``rows`` as the format asked for (or the one ``output``'s suffix names)."""

    def write() -> None:
        chosen = listing_format(fmt, output, default, extra=("text",) if text else ())
        if chosen == "text":
            text_out(output, text(rows))
        else:
            write_listing(rows, columns, chosen, output, table_columns=table_columns, lang=lang)

    writing(output, write)


class Reports:
    """Loads each argument as a file or, failing that, as a stored document (the database is
    opened only then, and only once)."""

    def __init__(self, db: Optional[str]):
        self.db = db
        self.database = None

    def load(self, ref: str):
        if Path(ref).is_file() or not could_be_stored(ref):
            try:
                return extract(Path(ref))
            except InputError as e:
                fail_error(e)
        from .. import store  # start-up time: SQLAlchemy

        if self.database is None:
            self.database = open_db(self.db, existing=True)
        try:
            return store.load_document(self.database, ref)
        except LuoshiError as e:
            fail(f"{ref}: {e}")

    def close(self) -> None:
        if self.database is not None:
            self.database.close()

    def __enter__(self) -> "Reports":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def could_be_stored(ref: str) -> bool:
    """An id or a content-hash prefix."""
    from ..store.restore import HASH_PREFIX  # start-up time: SQLAlchemy

    value = ref.strip().lower()
    return value.isdecimal() or bool(HASH_PREFIX.fullmatch(value))
