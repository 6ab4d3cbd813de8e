"""Fixtures for notifications: an open call, a project team told in several ways."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import Notifications, Role, User
from app.directorates.models import Call
from app.extensions import db
from app.notifications import services
from tests.conftest import log_in, make_user
from tests.declarations.conftest import EDIT_URL, complete_form


@pytest.fixture
def call(app):
    """The 2023 call, with its deadline moved 30 days ahead so that it is open."""
    call = db.session.scalar(select(Call).where(Call.code == "PIX-2023"))
    call.deadline = date.today() + timedelta(days=30)
    db.session.commit()
    return call


@dataclass
class Team:
    """The project team and an admin, each told of the waiting work in their own way."""

    french: User  # immediately, by default
    english: User  # immediately, in English
    digest: User  # chose the daily digest
    silent: User  # chose nothing
    admin: User  # an admin: nothing by default


@pytest.fixture
def team(project_team_user, admin_user) -> Team:
    """A project team of four (French, English, digest, silent) and an admin (default)."""
    english = make_user("olivia.hughes@example.org", Role.PROJECT_TEAM, language="en")
    digest = make_user("lea.morel@example.org", Role.PROJECT_TEAM)
    services.choose(digest, Notifications.DIGEST)
    silent = make_user("hugo.blanc@example.org", Role.PROJECT_TEAM)
    services.choose(silent, Notifications.NONE)
    return Team(project_team_user, english, digest, silent, admin_user)


def submit_declaration(app, user, **overrides) -> None:
    """Submit DREAL Pays de la Loire's declaration as one of its users, in a client of its own."""
    client = app.test_client()
    log_in(client, user)
    data = complete_form(submit_declaration="1", wants_codir=None, **overrides)
    response = client.post(EDIT_URL.format(lang="fr"), data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
