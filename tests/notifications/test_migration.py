"""The migration of the notification columns, up and down, keeping the accounts."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from app.auth.models import Notifications, User
from app.extensions import db
from app.notifications import services
from tests.test_migrations import _drop_everything, _insert_user

BEFORE = "f9e7b7df7d2f"


def _columns() -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns("user")}


def test_the_columns_come_and_go_and_the_accounts_stay(app):
    _drop_everything()
    try:
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            _insert_user(connection, "team@example.org", "project_team", None)
            _insert_user(connection, "admin@example.org", "admin", None)
        upgrade()
        assert {"notifications", "digest_covered_until"} <= _columns()
        # Existing accounts have no choice stored: their role's default applies.
        users = {user.email: user for user in db.session.scalars(select(User))}
        assert users["team@example.org"].notifications is None
        assert users["team@example.org"].notification_choice is Notifications.IMMEDIATE
        assert users["admin@example.org"].notification_choice is Notifications.NONE
        services.choose(users["team@example.org"], Notifications.DIGEST)
        db.session.refresh(users["team@example.org"])
        assert users["team@example.org"].digest_covered_until is not None
        db.session.remove()  # no transaction may hold the table while it changes

        downgrade(revision=BEFORE)
        assert not {"notifications", "digest_covered_until"} & _columns()
        with db.engine.connect() as connection:
            emails = connection.execute(text('SELECT email FROM "user" ORDER BY email'))
            assert emails.scalars().all() == ["admin@example.org", "team@example.org"]
        # The table was altered, not rebuilt: the rule on PIX Orga administrators (triggers on
        # SQLite, a CHECK constraint on PostgreSQL) still holds.
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            _insert_user(connection, "loose@example.org", "pixorga_admin", None)
        upgrade()
        assert {"notifications", "digest_covered_until"} <= _columns()
    finally:
        _drop_everything()
        db.create_all()
