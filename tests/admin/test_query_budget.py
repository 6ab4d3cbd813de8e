"""Administration pages send a fixed number of statements, whatever the size of the data."""

import pytest
from sqlalchemy import select

import tests.budget as budget
from app.auth.models import User
from app.extensions import db
from app.mail import OutboxMessage

PAGES = [
    ("project_team", "/fr/admin/users"),
    ("project_team", "/fr/admin/users?role=directorate&q=correspondant"),
    ("project_team", "/fr/admin/users/new"),
    ("project_team", "/fr/admin/users/{user}"),
    ("admin", "/fr/admin/users"),
    ("admin", "/fr/admin/users/new"),
    ("admin", "/fr/admin/users/{user}"),
    ("admin", "/fr/admin/reference"),
    ("admin", "/fr/admin/directorates"),
    ("admin", "/fr/admin/directorates?q=ECH&type=dreal"),
    ("admin", "/fr/admin/directorates/{directorate}"),
    ("admin", "/fr/admin/directorates/new"),
    ("admin", "/fr/admin/cvrhs/CVRH-NANTES"),
    ("admin", "/fr/admin/cvrhs/new"),
    ("admin", "/fr/admin/calls/{call}"),
    ("admin", "/fr/admin/calls/new"),
    ("admin", "/fr/admin/learning-paths/new"),
    ("admin", "/fr/admin/audit"),
    ("admin", "/fr/admin/outbox"),
    ("admin", "/fr/admin/outbox?status=waiting"),
    ("admin", "/fr/admin/outbox/{message}"),
]


def _with_a_user_and_a_message(placeholders):
    """Add to the pages' placeholders the directorate persona's account and an e-mail."""

    def values() -> dict[str, str]:
        found = placeholders()
        email = budget.PERSONAS["directorate"][0]
        found["user"] = str(db.session.scalar(select(User.id).where(User.email == email)))
        found["message"] = str(db.session.scalar(select(OutboxMessage.id).limit(1)))
        return found

    return values


@pytest.fixture(scope="module")
def measured(database_url):
    """Count the statements of every page once, on the small then the large data set."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(budget, "_placeholders", _with_a_user_and_a_message(budget._placeholders))
        return budget.measure(database_url, PAGES)


@pytest.mark.parametrize("page", PAGES, ids=[f"{who}:{url}" for who, url in PAGES])
def test_the_page_keeps_to_the_budget(measured, page):
    budget.check(measured[page])
