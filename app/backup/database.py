"""The database side of a backup: a consistent copy out, a whole copy back in."""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from psycopg.conninfo import make_conninfo
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from app.backup import BackupError
from app.extensions import db


def head_revision() -> str:
    """Return the schema revision the code expects: the head of its migrations."""
    heads = ScriptDirectory(current_app.extensions["migrate"].directory).get_heads()
    if len(heads) != 1:
        raise BackupError(f"the migrations have {len(heads)} heads instead of one: merge them")
    return heads[0]


def _describe(connection: Connection) -> tuple[str, dict[str, int]]:
    """Return the database's Alembic revision and the number of rows of each table."""
    if not inspect(connection).has_table("alembic_version"):
        raise BackupError(
            "the database has no schema revision (no alembic_version table): run "
            "`flask db upgrade`, or `flask db stamp head` if its schema was made otherwise"
        )
    revisions = list(connection.scalars(text("SELECT version_num FROM alembic_version")))
    if len(revisions) != 1:
        raise BackupError(f"the database has {len(revisions)} schema revisions instead of one")
    counts = {
        table.name: connection.scalar(select(func.count()).select_from(table))
        for table in sorted(db.metadata.sorted_tables, key=lambda table: table.name)
    }
    return revisions[0], counts


def _sqlite_path() -> Path:
    """Return the SQLite database file (relative paths resolved as the app resolves them)."""
    name = db.engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"cannot back up the SQLite database {name!r}: not a plain file")
    return Path(name)


def _postgresql() -> tuple[list[str], dict[str, str]]:
    """Return the client arguments and environment that reach the portal's PostgreSQL database."""
    url = db.engine.url
    params = {"dbname": url.database, "host": url.host, "port": url.port, "user": url.username}
    params.update({key: str(value) for key, value in url.query.items()})
    conninfo = make_conninfo("", **{key: v for key, v in params.items() if v is not None})
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = url.password  # never on the command line (ps shows it)
    return ["--no-password", f"--dbname={conninfo}"], environment


def _client(name: str) -> str:
    """Return the path of a PostgreSQL client program, or say how to install it."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client programs (Debian package "
            "postgresql-client), of the server's major version or newer"
        )
    return path


def _run(command: list[str], environment: dict[str, str]) -> None:
    """Run a PostgreSQL client program; raise with its messages if it fails."""
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def _dump_sqlite(target: Path) -> tuple[str, dict[str, int]]:
    """Copy the SQLite database with its backup API: a consistent snapshot, WAL included."""
    source = _sqlite_path()
    if not source.is_file():
        raise BackupError(f"the SQLite database {source} does not exist")
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)
    engine = create_engine(f"sqlite:///{target}")
    try:
        with engine.connect() as connection:
            return _describe(connection)
    finally:
        engine.dispose()


def _dump_postgresql(target: Path) -> tuple[str, dict[str, int]]:
    """Dump the PostgreSQL database with pg_dump, in the snapshot the figures are read from."""
    pg_dump = _client("pg_dump")
    arguments, environment = _postgresql()
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            described = _describe(connection)
            command = [pg_dump, "--format=custom", "--no-owner", "--no-privileges"]
            command += [f"--snapshot={snapshot}", f"--file={target}", *arguments]
            _run(command, environment)
    return described


def dump_database(target: Path) -> tuple[str, dict[str, int]]:
    """Copy the live database into a file; return its schema revision and row counts."""
    try:
        if db.engine.dialect.name == "sqlite":
            return _dump_sqlite(target)
        return _dump_postgresql(target)
    except (sqlite3.Error, OperationalError) as error:
        raise BackupError(f"cannot read the database: {getattr(error, 'orig', error)}") from None


def load_database(copy: Path) -> None:
    """Replace the live database's content with a copy made by dump_database."""
    db.session.remove()
    db.engine.dispose()
    if db.engine.dialect.name == "sqlite":
        try:
            with (
                closing(sqlite3.connect(copy)) as source,
                closing(sqlite3.connect(_sqlite_path(), timeout=30)) as live,
            ):
                source.backup(live)
        except sqlite3.Error as error:
            raise BackupError(f"the database could not be replaced ({error})") from None
        return
    pg_restore = _client("pg_restore")
    arguments, environment = _postgresql()
    command = [pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges"]
    _run([*command, "--single-transaction", *arguments, str(copy)], environment)


def check_restorable(manifest: dict) -> None:
    """Refuse an archive of another database system or of another schema revision."""
    dialect = db.engine.dialect.name
    if manifest["dialect"] != dialect:
        raise BackupError(
            f"the archive holds a {manifest['dialect']} database and the portal uses {dialect}: "
            "restore it into a portal configured with the same database system"
        )
    expected = head_revision()
    if manifest["schema_revision"] != expected:
        raise BackupError(
            f"the archive has schema revision {manifest['schema_revision']} and this version of "
            f"the portal expects {expected}: restore it with the version of the portal matching "
            f"revision {manifest['schema_revision']}, then run `flask db upgrade`"
        )
    if dialect == "postgresql":
        _client("pg_restore")
