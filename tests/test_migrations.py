"""Migrations build the schema of the models from an empty database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app.content import search
from app.extensions import db


def _drop_everything() -> None:
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_upgrade_on_an_empty_database_matches_the_models(app):
    _drop_everything()
    assert inspect(db.engine).get_table_names() == []
    try:
        upgrade()
        with db.engine.connect() as connection:
            options = {"compare_type": True, "include_object": search.include_object}
            context = MigrationContext.configure(connection, opts=options)
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        tables = set(inspect(db.engine).get_table_names())
        assert {"user", "directorate", "cvrh", "call", "outbox_message", "audit_entry"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    finally:
        _drop_everything()
        db.create_all()
