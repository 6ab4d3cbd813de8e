"""CODIR pages send a fixed number of statements, whatever the number of requests and messages."""

from datetime import timedelta

import pytest
from sqlalchemy import select

import tests.budget as budget
from app.auth.models import Role
from app.codir.models import CodirEvent, CodirMessage, CodirRequest, CodirStatus
from app.codir.workflow import OPEN
from app.directorates.models import Directorate
from app.extensions import db
from tests.codir.conftest import schedule_form
from tests.conftest import make_user
from tests.queries import count_queries
from tests.scale import MOMENT

PAGES = [
    ("directorate", "/fr/codir/"),
    ("directorate", "/fr/codir/new"),
    ("directorate", "/fr/codir/{requested}"),  # with the form that cancels
    ("cvrh", "/fr/codir/"),
    ("cvrh", "/fr/codir/?view=to_answer"),
    ("cvrh", "/fr/codir/?view=upcoming"),
    ("cvrh", "/fr/codir/{requested}"),  # with the forms that schedule and decline
    ("cvrh", "/fr/codir/{scheduled}"),  # with the forms that reschedule and mark held
    ("project_team", "/fr/codir/"),
    ("project_team", "/fr/codir/?cvrh=CVRH-NANTES&status=requested"),
    ("project_team", "/fr/codir/{scheduled}"),  # with the form that reassigns
    ("admin", "/fr/codir/"),
    ("admin", "/fr/codir/{requested}"),
]


def _under_way(code: str) -> CodirRequest:
    """Return the directorate's request under way, else its first one."""
    directorate = db.session.scalar(select(Directorate.id).where(Directorate.code == code))
    requests = db.session.scalars(
        select(CodirRequest)
        .where(CodirRequest.directorate_id == directorate)
        .order_by(CodirRequest.id)
    ).all()
    return next((r for r in requests if r.status in OPEN), requests[0])


def _with_requests_in_each_state(placeholders):
    """Add to the pages' placeholders a request in each state that has forms: DREAL-PDL's
    waiting, DREAL-BRE's scheduled (both at CVRH Nantes; one under way per directorate)."""

    def values() -> dict[str, str]:
        found = placeholders()
        for code, state in [
            ("DREAL-PDL", CodirStatus.REQUESTED),
            ("DREAL-BRE", CodirStatus.SCHEDULED),
        ]:
            request = _under_way(code)
            request.status = state
            request.scheduled_at = None if state is CodirStatus.REQUESTED else MOMENT
            found[state.value] = str(request.id)
        db.session.commit()
        return found

    return values


@pytest.fixture(scope="module")
def measured(database_url):
    """Count the statements of every page once, on the small then the large data set."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(budget, "_placeholders", _with_requests_in_each_state(budget._placeholders))
        return budget.measure(database_url, PAGES)


@pytest.mark.parametrize("page", PAGES, ids=[f"{who}:{url}" for who, url in PAGES])
def test_the_page_keeps_to_the_budget(measured, page):
    budget.check(measured[page])


def test_a_longer_thread_costs_no_more_statements(
    client, login, codir_request, cvrh_user, directorate_user
):
    """Messages and events by ever more authors: the page, and a form sent back, cost the same."""
    login(cvrh_user)
    url = f"/fr/codir/{codir_request.id}"
    invalid = schedule_form(**{"schedule-speaker": ""})

    def count() -> tuple[int, int]:
        db.session.remove()
        with count_queries() as shown:
            assert client.get(url).status_code == 200
        db.session.remove()
        with count_queries() as refused:
            assert client.post(f"{url}/schedule", data=invalid).status_code == 400
        return len(shown), len(refused)

    before = count()
    request = db.session.get(CodirRequest, codir_request.id)
    for number in range(12):
        author = make_user(f"auteur{number}@example.org", Role.CVRH, cvrh="CVRH-NANTES")
        actor = make_user(f"acteur{number}@example.org", Role.PROJECT_TEAM)
        moment = MOMENT + timedelta(minutes=number)
        db.session.add(CodirMessage(request=request, author=author, body=f"Message {number}"))
        db.session.add(CodirEvent(request=request, actor=actor, action="hold", created_at=moment))
    db.session.commit()
    after = count()
    assert after == before
    assert max(after) <= budget.BUDGET
    page = client.get(url).get_data(as_text=True)
    assert "Message 11" in page and "Auteur11" in page and "Acteur11" in page
