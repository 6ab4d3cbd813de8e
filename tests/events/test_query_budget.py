"""The webinar pages send a fixed number of statements, whatever the number of sessions,
invitations, registrations and people named."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

import tests.budget as budget
from app.auth.models import User
from app.events import invitations, links, registrations
from app.events.models import Attendance, Invitation
from app.extensions import db
from tests.conftest import make_user, portal
from tests.events.conftest import add_session, make_event
from tests.scale import Scale, grow, open_call

PAGES = [
    ("project_team", "/fr/events/"),
    ("project_team", "/fr/events/{event}/"),
    ("project_team", "/fr/events/{event}/sessions/new"),
    ("project_team", "/fr/events/sessions/{session}/"),
    ("project_team", "/fr/events/sessions/{held}/"),
    ("project_team", "/fr/events/sessions/{session}/edit"),
    ("directorate", "/fr/events/training/DREAL-PDL"),
    ("cvrh", "/fr/events/training/DREAL-PDL"),
    ("anonymous", "/fr/events/invitation/{token}"),
    ("anonymous", "/fr/events.ics"),
    ("anonymous", "/fr/events/{item}/calendar.ics"),
    ("anonymous", "/fr/content/webinaire-ambassadeurs"),
]


def _webinar(event, sessions: int) -> None:
    """Add sessions (one already held), invite everyone named, seat some, mark attendance."""
    staff = db.session.scalar(select(User).where(User.email == budget.PERSONAS["project_team"][0]))
    added = [add_session(event, days=10 + day, capacity=3) for day in range(sessions)]
    held = add_session(event, days=2, capacity=50)
    invitations.invite(staff, event, open_call())
    invited = db.session.scalars(select(Invitation).order_by(Invitation.id)).all()
    for number, invitation in enumerate(invited[: 2 * len(added)]):
        registrations.register(invitation.id, added[number % len(added)].id)
    for invitation in invited[:10]:
        registrations.register(invitation.id, held.id)
    held.starts_at -= timedelta(days=5)
    held.ends_at -= timedelta(days=5)
    for invitation in invited[:5]:
        db.session.add(Attendance(session=held, invitation=invitation))
    db.session.commit()
    return added[0], held


def _measure(database_url):
    with portal(database_url) as app:
        for persona in budget.PERSONAS.values():
            if persona is not None:
                email, role, where = persona
                make_user(email, role, **where)
        open_call().deadline = date.today() + timedelta(days=30)
        grow(budget.SMALL, around=("DREAL-PDL", "DREAL-BRE"))
        event = make_event()
        session, held = _webinar(event, 1)
        invitation = db.session.scalar(select(Invitation).order_by(Invitation.id))
        values = {
            "event": event.id,
            "item": event.items["fr"].id,
            "session": session.id,
            "held": held.id,
            "token": links.token_for(invitation),
        }
        small = budget._count_pages(app, PAGES, values)
        grow(budget.LARGE, Scale(people=4), around=("DREAL-PDL", "DREAL-BRE"))
        _webinar(event, 5)
        large = budget._count_pages(app, PAGES, values)
    return {
        page: budget.Measure(small[page][0], large[page][0], (small[page][1], large[page][1]))
        for page in PAGES
    }


@pytest.fixture(scope="module")
def measured(database_url):
    """Count the statements of every page once, on the small then the large data set."""
    return _measure(database_url)


@pytest.mark.parametrize("page", PAGES, ids=[f"{who}:{url}" for who, url in PAGES])
def test_the_page_keeps_to_the_budget(measured, page):
    budget.check(measured[page])
