"""SQLite as an embedded default: WAL, busy timeout and foreign keys on every connection."""

import sqlite3

import pytest
from sqlalchemy import func, make_url, select, text

from app.declarations.models import Declaration
from app.extensions import db
from tests.declarations.conftest import EDIT_URL, call, complete_form  # noqa: F401 - fixture


@pytest.fixture
def sqlite_only(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings; PostgreSQL has its own")


def test_every_connection_gets_wal_a_busy_timeout_and_foreign_keys(app, sqlite_only):
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000


def test_a_foreign_key_is_enforced(app, sqlite_only):
    with pytest.raises(Exception, match="FOREIGN KEY"), db.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO codir_message (request_id, body, created_at) VALUES (999, 'x', '')")
        )


@pytest.mark.usefixtures("call")
def test_an_open_reading_transaction_does_not_block_a_save(
    app, client, login, directorate_user, sqlite_only
):
    login(directorate_user)
    reader = sqlite3.connect(make_url(str(db.engine.url)).database)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM declaration").fetchone()  # holds a read snapshot

        response = client.post(EDIT_URL.format(lang="fr"), data=complete_form())

        assert response.status_code == 302
        assert reader.execute("SELECT count(*) FROM declaration").fetchone() == (0,)
    finally:
        reader.close()
    assert db.session.scalar(select(func.count()).select_from(Declaration)) == 1


def test_a_write_request_locks_early_until_it_says_it_only_reads(app):
    from app import database

    with app.test_request_context("/", method="GET"):
        assert not database._write_intent()
    with app.test_request_context("/", method="POST"):
        assert database._write_intent()
        database.reads_only_from_now()  # e.g. an export, once its download is recorded
        assert not database._write_intent()
    assert not database._write_intent()  # the command line and the mail worker: plain BEGIN
