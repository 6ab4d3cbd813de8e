"""Migrations build the schema of the models from an empty database."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

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


def _insert_user(connection, email: str, role: str, directorate_id: int | None) -> None:
    connection.execute(
        text(
            'INSERT INTO "user" (email, full_name, role, directorate_id, language, active, '
            "session_token, created_at, version) VALUES (:email, '', :role, :directorate, 'fr', "
            ":active, :email, CURRENT_TIMESTAMP, 1)"
        ),
        {"email": email, "role": role, "directorate": directorate_id, "active": True},
    )


def test_migrated_database_refuses_a_pixorga_admin_without_directorate(app):
    """The rule is in the database after the migrations, on SQLite (triggers) as on PostgreSQL."""
    _drop_everything()
    try:
        upgrade()
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO cvrh (code, name, city, email, version) "
                    "VALUES ('CVRH-T', 'CVRH T', 'Nantes', 'cvrh@example.org', 1)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO directorate (code, name_fr, name_en, type, region, cvrh_id, "
                    "version) SELECT 'DIR-T', 'Direction T', 'Directorate T', 'dreal', 'Ouest', "
                    "id, 1 FROM cvrh"
                )
            )
            directorate_id = connection.execute(text("SELECT id FROM directorate")).scalar_one()
            _insert_user(connection, "attached@example.org", "pixorga_admin", directorate_id)
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            _insert_user(connection, "loose@example.org", "pixorga_admin", None)
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.execute(text('UPDATE "user" SET directorate_id = NULL'))
        with db.engine.begin() as connection:
            _insert_user(connection, "team@example.org", "project_team", None)
        downgrade(revision="3cdb33476341")
        with db.engine.begin() as connection:
            _insert_user(connection, "loose@example.org", "pixorga_admin", None)
    finally:
        _drop_everything()
        db.create_all()


BEFORE_LEARNING_PATHS = "b7c4e1d2a9f0"
FREE_TEXT = "Sécurité numérique ; bureautique – niveau 2 d'après l'annexe"


def _declare_a_campaign_with_free_text(connection) -> None:
    """Write a campaign as the schema before the learning paths held it (plain SQL)."""
    connection.execute(
        text(
            "INSERT INTO cvrh (id, code, name, city, email, version) "
            "VALUES (1, 'CVRH-T', 'CVRH T', 'Tours', 'cvrh@example.org', 1)"
        )
    )
    connection.execute(
        text(
            "INSERT INTO directorate (id, code, name_fr, name_en, type, region, cvrh_id, version) "
            "VALUES (1, 'DREAL-T', 'DREAL T', 'DREAL T', 'dreal', 'Centre', 1, 1)"
        )
    )
    connection.execute(
        text(
            "INSERT INTO call (id, code, title_fr, title_en, opens_on, deadline, is_open, version) "
            "VALUES (1, 'PIX-T', 'T', 'T', '2026-01-05', '2026-02-05', :yes, 1)"
        ),
        {"yes": True},
    )
    connection.execute(
        text(
            "INSERT INTO declaration (id, call_id, directorate_id, status, wants_codir, comments, "
            "version, created_at, updated_at) VALUES (1, 1, 1, 'draft', :no, '', 1, "
            "'2026-01-06 10:00:00', '2026-01-06 10:00:00')"
        ),
        {"no": False},
    )
    connection.execute(text(
        "INSERT INTO campaign (id, declaration_id, position, label, perimeter_description, "
        "target_population, learning_paths) VALUES (1, 1, 1, 'Support', '', '', :text)"
    ), {"text": FREE_TEXT})  # fmt: skip


def test_the_free_text_of_learning_paths_is_kept_as_the_note(app):
    _drop_everything()
    try:
        upgrade(revision=BEFORE_LEARNING_PATHS)
        with db.engine.begin() as connection:
            _declare_a_campaign_with_free_text(connection)
        upgrade()
        with db.engine.connect() as connection:
            note = connection.execute(text("SELECT learning_paths_note FROM campaign")).scalar()
            chosen = connection.execute(text("SELECT count(*) FROM campaign_learning_path"))
            assert chosen.scalar() == 0
        assert note == FREE_TEXT
        # And back: the text returns to the column it came from.
        downgrade(revision=BEFORE_LEARNING_PATHS)
        with db.engine.connect() as connection:
            text_back = connection.execute(text("SELECT learning_paths FROM campaign")).scalar()
        assert text_back == FREE_TEXT
        assert "learning_path" not in inspect(db.engine).get_table_names()
    finally:
        _drop_everything()
        db.create_all()
