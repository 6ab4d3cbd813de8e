"""Who reaches the webinar pages, on real records: the project team manages, nobody else; the
personal forms carry their CSRF token."""

import re

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.events import invitations
from app.events.models import EventSession, Registration
from app.extensions import db
from tests.conftest import make_user, outbox
from tests.events.conftest import add_session, declare, invitation_of, invite, personal_url

ANNE = ("Anne", "Martin", "anne.martin@example.org")


@pytest.fixture
def records(client, login, project_team_user, event, call):
    """An event with a session, and Anne invited to it."""
    declare(call, "DREAL-PDL", ambassadors=[ANNE])
    session = add_session(event)
    login(project_team_user)
    invite(client, event)
    client.post("/fr/logout")
    return {
        "event": event.id,
        "session": session.id,
        "invitation": invitation_of(event, ANNE[2]).id,
    }


MANAGEMENT = [
    ("GET", "/fr/events/"),
    ("GET", "/fr/events/{event}/"),
    ("GET", "/fr/events/{event}/sessions/new"),
    ("POST", "/fr/events/{event}/sessions/new"),
    ("POST", "/fr/events/{event}/invite"),
    ("GET", "/fr/events/sessions/{session}/"),
    ("GET", "/fr/events/sessions/{session}/edit"),
    ("POST", "/fr/events/sessions/{session}/edit"),
    ("POST", "/fr/events/sessions/{session}/attendance"),
    ("POST", "/fr/events/sessions/{session}/attendance/import"),
    ("POST", "/fr/events/invitations/{invitation}/send-again"),
    ("POST", "/fr/events/sessions/{session}/delete"),
]


@pytest.mark.parametrize(("method", "url"), MANAGEMENT)
@pytest.mark.parametrize("persona", ["anonymous", "directorate", "cvrh", "pixorga_admin"])
def test_only_the_project_team_manages_webinars(
    client, login, personas, records, persona, method, url
):
    user = personas.get(persona)
    if persona == "pixorga_admin":
        user = make_user("nadia.fabre@example.org", Role.PIXORGA_ADMIN, directorate="DREAL-PDL")
    if user is not None:
        login(user)
    mails = len(outbox())
    response = client.open(url.format(**records), method=method, data={"call": "PIX-2023"})
    if user is None:
        assert response.status_code == 302 and "/fr/login?next=" in response.headers["Location"]
    else:
        assert response.status_code == 403
    assert len(outbox()) == mails
    assert db.session.scalar(select(db.func.count(EventSession.id))) == 1
    assert db.session.scalar(select(db.func.count(Registration.id))) == 0


@pytest.mark.parametrize("persona", ["project_team", "admin"])
def test_the_project_team_and_admins_reach_every_management_page(
    client, login, personas, records, persona
):
    login(personas[persona])
    for method, url in MANAGEMENT:
        if method == "GET":
            assert client.get(url.format(**records)).status_code == 200, url


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_the_personal_forms_need_their_token(app, project_team_user, event, call):
    declare(call, "DREAL-PDL", ambassadors=[ANNE])
    session = add_session(event)
    invitations.invite(project_team_user, event, call)
    person = app.test_client()
    url = personal_url(invitation_of(event, ANNE[2]))
    refused = person.post(url + "/register", data={"session": session.id})
    assert refused.status_code == 400
    page = person.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    accepted = person.post(url + "/register", data={"session": session.id, "csrf_token": token})
    assert accepted.status_code == 303
    assert db.session.scalar(select(db.func.count(Registration.id))) == 1
