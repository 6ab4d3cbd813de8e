"""Database connections: SQLite as a serious embedded default, errors that mean "unavailable"."""

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from app.extensions import db

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _write_intent() -> bool:
    """Say whether the transaction about to begin serves a request that may write."""
    return (
        has_request_context()
        and request.method not in READ_METHODS
        and not g.get("reads_only_from_now", False)
    )


def reads_only_from_now() -> None:
    """Say that the rest of this request only reads (its writes are committed).

    A long read after the request's writes, such as writing a large export, then takes no
    write lock on SQLite, so that other people's saves do not wait for it.
    """
    g.reads_only_from_now = True


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Set WAL, a busy timeout and foreign keys on every connection; lock early for writes.

    pysqlite's own transaction handling is turned off so that the portal says BEGIN itself:
    BEGIN IMMEDIATE for requests that may write, so that such a transaction waits for the
    write lock (up to the busy timeout) before reading, instead of failing with "database is
    locked" when it tries to write after another writer committed; plain BEGIN for the rest,
    whose readers never block anyone in WAL mode.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent() else "BEGIN")


def is_unavailable(error: BaseException) -> bool:
    """Say whether a database error means the database cannot answer now (503), not a bug."""
    if isinstance(error, OperationalError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def init_app(app: Flask) -> None:
    """Configure the engine of this app."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
