"""People who sign in to the web app, and the app's settings.

Roles, each allowed what the one below it is: ``viewer`` reads; ``editor`` also corrects
records and tracks them; ``admin`` also manages users and settings.  Passwords are hashed with
argon2id (argon2-cffi); a name is 1–64 characters without spaces or control characters.

Settings are key → text; :data:`SETTINGS` lists the ones people change, with their defaults.
The cookie-signing secret is a setting too (``secret_key``), made on first use.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from .audit import write as audit_write
from .db import Database
from .errors import NotFound, StoreError
from .schema import settings, users

ROLES = ("viewer", "editor", "admin")
MIN_PASSWORD = 8
SETTINGS = {"anonymous_read": "no"}  # may visitors who have not signed in read? (yes | no)
_NAME = re.compile(r"[^\s\x00-\x1f\x7f]{1,64}")
_hasher = PasswordHasher()
# Compared against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("luoshi-no-such-user")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    session_epoch: int = 0

    def can(self, role: str) -> bool:
        """Whether this user has ``role`` or a higher one.

        >>> User(1, "li", "editor").can("viewer"), User(1, "li", "editor").can("admin")
        (True, False)
        """
        return ROLES.index(self.role) >= ROLES.index(role)


class SetupDone(StoreError):
    """First-run setup was asked for, but a user exists already."""


def check_role(role: str) -> None:
    if role not in ROLES:
        raise StoreError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")


def add_user(
    db: Database, name: str, password: str, role: str = "viewer", actor: str = "cli", *, first: bool = False
) -> User:
    """Create a user; the name must be new and the password at least ``MIN_PASSWORD`` characters.

    ``first``: only while there are no users at all (first-run setup), else :class:`SetupDone`;
    the check and the insert are one transaction that holds the users table (SQLite: the write
    lock; PostgreSQL: a table lock), so simultaneous first runs make one user.
    """
    check_role(role)
    if not _NAME.fullmatch(name or ""):
        raise StoreError("a user name is 1 to 64 characters, without spaces")
    if len(password or "") < MIN_PASSWORD:
        raise StoreError(f"a password needs at least {MIN_PASSWORD} characters")
    password_hash = _hasher.hash(password)  # slow by design: before the transaction, not inside it
    with db.write() as conn:
        if first:
            if conn.dialect.name == "postgresql":  # taken by every first-run setup, not by readers
                conn.exec_driver_sql("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")
            if conn.execute(select(func.count()).select_from(users)).scalar_one():
                raise SetupDone("setup is done: an admin adds users (luoshi users add)")
        if conn.execute(select(users.c.id).where(users.c.name == name)).first() is not None:
            raise StoreError(f"there is already a user named {name!r}")
        try:
            with conn.begin_nested():  # PostgreSQL: the same name added at the same moment
                uid = conn.execute(
                    insert(users).values(
                        name=name,
                        role=role,
                        password_hash=password_hash,
                        session_epoch=0,
                        disabled=False,
                        created_at=datetime.now(timezone.utc),
                    )
                ).inserted_primary_key[0]
        except IntegrityError:
            raise StoreError(f"there is already a user named {name!r}") from None
        audit_write(conn, actor, "user.add", "user", name, None, {"name": name, "role": role})
        return User(uid, name, role, 0)


def authenticate(db: Database, name: str, password: str) -> User | None:
    """The user if ``password`` is theirs (and they are not disabled), else None."""
    with db.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
    stored = row.password_hash if row is not None else _DUMMY_HASH
    try:
        _hasher.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if row is None or row.disabled:
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        with db.write() as conn:
            conn.execute(update(users).where(users.c.id == row.id).values(password_hash=_hasher.hash(password)))
    return User(row.id, row.name, row.role, row.session_epoch)


def get_user(db: Database, user_id: int) -> User | None:
    with db.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.id == user_id, users.c.disabled.is_(False))).first()
    return None if row is None else User(row.id, row.name, row.role, row.session_epoch)


def list_users(db: Database) -> list[dict]:
    with db.engine.connect() as conn:
        return [
            {
                "id": r.id,
                "name": r.name,
                "role": r.role,
                "disabled": bool(r.disabled),
                "created_at": r.created_at.isoformat(timespec="seconds"),
            }
            for r in conn.execute(select(users).order_by(users.c.id))
        ]


def count_users(db: Database) -> int:
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(users)).scalar_one()


def set_user(
    db: Database,
    name: str,
    *,
    role: str | None = None,
    password: str | None = None,
    disabled: bool | None = None,
    actor: str = "cli",
) -> None:
    """Change a user's role, password or disabled flag; any change signs out their sessions."""
    values: dict = {}
    if role is not None:
        check_role(role)
        values["role"] = role
    if password is not None:
        if len(password) < MIN_PASSWORD:
            raise StoreError(f"a password needs at least {MIN_PASSWORD} characters")
        values["password_hash"] = _hasher.hash(password)
    if disabled is not None:
        values["disabled"] = disabled
    with db.write() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
        if row is None:
            raise NotFound(f"no user named {name!r}")
        conn.execute(update(users).where(users.c.id == row.id).values(**values, session_epoch=row.session_epoch + 1))
        before = {"role": row.role, "disabled": bool(row.disabled)}
        after = {"role": values.get("role", row.role), "disabled": bool(values.get("disabled", row.disabled))}
        if password is not None:
            before["password"], after["password"] = "(old)", "(changed)"
        audit_write(conn, actor, "user.update", "user", name, before, after)


def end_sessions(db: Database, name: str) -> None:
    """Sign a user out everywhere (logout): the session epoch moves on, nothing else changes and
    nothing is audited (a sign-out is no change of the account)."""
    with db.write() as conn:
        conn.execute(update(users).where(users.c.name == name).values(session_epoch=users.c.session_epoch + 1))


def get_setting(db: Database, key: str) -> str:
    with db.engine.connect() as conn:
        return _get_setting(conn, key)


def _get_setting(conn, key: str) -> str:
    value = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
    return value if value is not None else SETTINGS.get(key, "")


def set_setting(db: Database, key: str, value: str, actor: str = "cli") -> None:
    if key not in SETTINGS:
        raise StoreError(f"unknown setting {key!r}; settings are {', '.join(SETTINGS)}")
    if key == "anonymous_read" and value not in ("yes", "no"):
        raise StoreError("anonymous_read is yes or no")
    with db.write() as conn:
        before = _get_setting(conn, key)
        _put(conn, key, value)
        audit_write(conn, actor, "setting.set", "setting", key, {key: before}, {key: value})


def _put(conn, key: str, value: str) -> None:
    if conn.execute(select(settings.c.key).where(settings.c.key == key)).first() is None:
        conn.execute(insert(settings).values(key=key, value=value))
    else:
        conn.execute(update(settings).where(settings.c.key == key).values(value=value))


def secret_key(db: Database) -> str:
    """The secret that signs session cookies, made (and kept) on first use; web processes
    starting at once all get the one made first."""
    query = select(settings.c.value).where(settings.c.key == "secret_key")
    try:
        with db.write() as conn:
            value = conn.execute(query).scalar()
            if value is None:
                value = secrets.token_urlsafe(48)
                conn.execute(insert(settings).values(key="secret_key", value=value))
            return value
    except IntegrityError:  # PostgreSQL: another process made it after this one looked
        with db.engine.connect() as conn:
            return conn.execute(query).scalar_one()
