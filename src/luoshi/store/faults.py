"""The database's surroundings failing — locked, disk full, read-only or damaged file, server
unreachable or silent — as one clear :class:`.errors.StoreError` line, naming the setting that
bounds each wait (:mod:`luoshi.settings`)."""

from __future__ import annotations

import socket

from ..settings import busy_timeout, pg_connect_timeout, pg_lock_timeout, pg_statement_timeout
from .db import display, pg_answer_timeout
from .errors import StoreError


def database_error(exc: BaseException, url: str = "", kept: str = "") -> StoreError | None:
    """One clear line for an error of the database's surroundings (``exc``, usually SQLAlchemy's
    ``DBAPIError``): locked, disk full, read-only or damaged file, unreachable server; None for
    any other error (a constraint, a bad statement: a bug, to be raised as it is).  ``url``
    names the database; ``kept`` says what was saved before."""
    shown = display(url) if url else "the database"
    orig = getattr(exc, "orig", None) or exc
    name = getattr(orig, "sqlite_errorname", "") or ""
    text = _first_line(orig)
    low = text.lower()
    code = _pg_code(orig)
    if code == "57014" and "statement timeout" in low:
        message = (
            f"the PostgreSQL server did not finish in {pg_statement_timeout():g} s "
            f"(LUOSHI_PG_STATEMENT_TIMEOUT; {shown}): it is overloaded or stuck: try again later"
        )
    elif code == "55P03":
        message = (
            f"the data is locked by another change on the PostgreSQL server for more than "
            f"{pg_lock_timeout():g} s (LUOSHI_PG_LOCK_TIMEOUT; {shown}): try again later"
        )
    elif name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED") or "database is locked" in low:
        message = (
            f"the database is locked by another process ({shown}; waited {busy_timeout():g} s, "
            "LUOSHI_BUSY_TIMEOUT): try again when it finishes"
        )
    elif name.startswith("SQLITE_FULL") or "database or disk is full" in low:
        message = (
            f"the disk is full: the database cannot grow ({shown}); what was being written was "
            "rolled back: free some space and run the command again"
        )
    elif name.startswith("SQLITE_IOERR") or "disk i/o error" in low:
        message = (
            f"the database file cannot be written ({shown}: {text}); what was being written was "
            "rolled back: check the disk (full? file size limit?) and run the command again"
        )
    elif name.startswith("SQLITE_READONLY"):
        message = f"the database is read-only ({shown}): use a file you can write to"
    elif name.startswith("SQLITE_CANTOPEN"):
        message = f"cannot open the database file ({shown}): check the folder exists and can be written"
    elif name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        message = f"the database file is damaged or not a luoshi database ({shown}: {text})"
    elif _is_network(orig) and getattr(exc, "statement", None) and _timed_out(orig) and pg_answer_timeout():
        message = (
            f"the PostgreSQL server stopped answering ({shown}): no answer within {pg_answer_timeout():g} s "
            "(LUOSHI_PG_STATEMENT_TIMEOUT and a margin): is it stopped or overloaded? Try again later"
        )
    elif _is_network(orig):
        message = f"cannot reach the PostgreSQL server ({shown}): {_network_reason(orig, pg_connect_timeout())}"
    else:
        return None
    return StoreError(message + (f"; {kept}" if kept else ""))


def open_error(exc: BaseException, url: str) -> StoreError:
    """Why the database named by ``url`` cannot be opened: :func:`database_error`'s line, else
    the driver's own message (a PostgreSQL role or database that does not exist…)."""
    return database_error(exc, url) or StoreError(
        f"cannot open the database ({display(url)}): {_first_line(getattr(exc, 'orig', None) or exc)}"
    )


def _first_line(e: BaseException) -> str:
    args = getattr(e, "args", ())
    if args and isinstance(args[0], dict):  # pg8000: the server's fields, M is the message
        return str(args[0].get("M") or args[0])
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def _pg_code(e: BaseException) -> str:
    """The SQLSTATE of a PostgreSQL error raised by pg8000 (its first argument holds the
    server's fields, C is the code), else ""."""
    args = getattr(e, "args", ())
    return str(args[0].get("C") or "") if args and isinstance(args[0], dict) else ""


def _timed_out(e: BaseException) -> bool:
    return any(isinstance(c, (TimeoutError, socket.timeout)) for c in _causes(e))


def _causes(e: BaseException):
    seen = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        yield e
        e = e.__cause__ or e.__context__


def _is_network(e: BaseException) -> bool:
    """The socket to the server could not connect or talk: an OSError, bare (pg8000 lets a
    timeout while asking for SSL through) or as the cause of pg8000's InterfaceError."""
    return isinstance(e, OSError) or (
        type(e).__name__ == "InterfaceError" and any(isinstance(c, OSError) for c in _causes(e))
    )


def _network_reason(e: BaseException, timeout: float) -> str:
    for c in _causes(e):
        if isinstance(c, ConnectionRefusedError):
            return "connection refused: is the server running, and are the host and port right?"
        if isinstance(c, (TimeoutError, socket.timeout)):
            return (
                f"no answer within {timeout:g} s (LUOSHI_PG_CONNECT_TIMEOUT): is the server up, "
                "and are the host and port right?"
            )
        if isinstance(c, socket.gaierror):
            return "unknown host name: check the URL"
        if isinstance(c, OSError) and c.strerror:
            return f"{c.strerror.lower()}: check the server and the URL"
    return "network error: check the server and the URL"
