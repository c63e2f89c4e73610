"""``luoshi serve`` and ``luoshi users``: the web app and the people who sign in to it."""

from __future__ import annotations

import os
import sys
from typing import Optional

import typer

from ..settings import DATABASE
from .common import DbOption, fail, with_db

users_app = typer.Typer(no_args_is_help=True, help="People who sign in to `luoshi serve`, and their roles.")


def _password() -> str:
    """A password from a hidden prompt (asked twice) or, when stdin is not a terminal, its first line."""
    if sys.stdin.isatty():
        return typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def serve(
    db: DbOption = None,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0: every interface)."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    anonymous_read: Optional[bool] = typer.Option(
        None,
        "--anonymous-read/--no-anonymous-read",
        help="Let visitors who have not signed in read (stored as the setting anonymous_read; default no).",
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Server processes (one per core for a team; each keeps its own caches)."
    ),
) -> None:
    """Serve the web app: reader, records, scorecards, corrections and tracking."""
    import uvicorn  # start-up time: the web app and the store are loaded only here

    from ..serve import create_app
    from ..store import users as accounts

    def run(database) -> None:
        if anonymous_read is not None:
            accounts.set_setting(database, "anonymous_read", "yes" if anonymous_read else "no")
        if accounts.count_users(database) == 0:
            typer.echo(
                f"luoshi: no users yet: open http://{host}:{port}/setup to create the administrator "
                "(or run `luoshi users add NAME --role admin`)",
                err=True,
            )
        options = {"host": host, "port": port, "log_level": "info", "proxy_headers": True}
        try:
            if workers == 1:
                uvicorn.run(create_app(database), **options)
            else:  # each worker process opens the database itself; the cookie secret is made here, once
                accounts.secret_key(database)
                os.environ[DATABASE] = database.url
                uvicorn.run("luoshi.serve.app:from_environment", factory=True, workers=workers, **options)
        except OSError as e:
            fail(f"cannot listen on {host}:{port}: {e.strerror or e}")

    with_db(db, run)


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="The user's sign-in name."),
    role: str = typer.Option("viewer", "--role", help="admin | editor | viewer"),
    db: DbOption = None,
) -> None:
    """Add a user; the password is asked for (or read from the first line of stdin)."""
    from ..store import users as accounts  # start-up time

    password = _password()
    user = with_db(db, lambda database: accounts.add_user(database, name, password, role))
    typer.echo(f"added {user.name} ({user.role})")


@users_app.command("list")
def users_list(db: DbOption = None) -> None:
    """List the users and their roles."""
    from ..store import users as accounts  # start-up time

    for u in with_db(db, accounts.list_users, existing=True):
        typer.echo(f"{u['name']}\t{u['role']}{chr(9) + 'disabled' if u['disabled'] else ''}")


@users_app.command("set")
def users_set(
    name: str = typer.Argument(..., help="The user's sign-in name."),
    role: Optional[str] = typer.Option(None, "--role", help="A new role: admin | editor | viewer."),
    password: bool = typer.Option(False, "--password", help="Set a new password (prompted, or stdin)."),
    disable: Optional[bool] = typer.Option(None, "--disable/--enable", help="Stop (or allow) signing in."),
    db: DbOption = None,
) -> None:
    """Change a user's role, password or access; their open sessions end."""
    from ..store import users as accounts  # start-up time

    new_password = _password() if password else None
    with_db(
        db,
        lambda database: accounts.set_user(database, name, role=role, password=new_password, disabled=disable),
        existing=True,
    )
    typer.echo(f"changed {name}")
