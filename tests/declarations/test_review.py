"""The project team reviews: accept, request corrections, reopen, extend."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.declarations.models import Declaration, DeclarationStatus
from app.extensions import db
from tests.conftest import log_in, make_user, outbox
from tests.declarations.conftest import EDIT_URL, VIEW_URL, complete_form

BASE = "/en/declarations/PIX-2023/DREAL-PDL"


@pytest.fixture
def submitted(client, call, directorate_user):
    log_in(client, directorate_user)
    client.post(EDIT_URL.format(lang="en"), data=complete_form(submit_declaration="1"))
    client.post("/en/logout")
    declaration = db.session.scalar(select(Declaration))
    assert declaration.status is DeclarationStatus.SUBMITTED
    return declaration


def _status() -> DeclarationStatus:
    db.session.expire_all()
    return db.session.scalar(select(Declaration)).status


def test_accept_tells_every_user_of_the_directorate(
    client, login, submitted, project_team_user, directorate_user
):
    colleague = make_user(
        "colleague@example.org", directorate_user.role, directorate="DREAL-PDL", language="en"
    )
    login(project_team_user)
    assert client.post(f"{BASE}/accept", data={"comment": ""}).status_code == 302
    assert _status() is DeclarationStatus.ACCEPTED
    messages = [m for m in outbox() if "accepted" in m.subject or "acceptée" in m.subject]
    assert {m.recipients for m in messages} == {directorate_user.email, colleague.email}
    english = next(m for m in messages if m.recipients == colleague.email)
    assert english.subject == "PIX: declaration of DREAL-PDL accepted"


def test_request_corrections_needs_a_comment_which_is_emailed(
    client, login, submitted, project_team_user
):
    login(project_team_user)
    client.post(f"{BASE}/request_corrections", data={"comment": "  "})
    assert _status() is DeclarationStatus.SUBMITTED
    client.post(f"{BASE}/request_corrections", data={"comment": "Please split campaign 1 by site."})
    assert _status() is DeclarationStatus.CORRECTIONS_REQUESTED
    assert "Please split campaign 1 by site." in outbox()[-1].body


def test_directorate_corrects_and_submits_again(
    client, login, submitted, project_team_user, directorate_user
):
    login(project_team_user)
    client.post(f"{BASE}/request_corrections", data={"comment": "Fix licences."})
    client.post("/en/logout")
    login(directorate_user)
    page = client.get(VIEW_URL.format(lang="en")).get_data(as_text=True)
    assert "Fix licences." in page
    version = str(db.session.scalar(select(Declaration)).version)
    response = client.post(
        EDIT_URL.format(lang="en"), data=complete_form(version=version, submit_declaration="1")
    )
    assert response.status_code == 302
    assert _status() is DeclarationStatus.SUBMITTED
    actions = [
        e.action for e in sorted(db.session.scalar(select(Declaration)).events, key=lambda e: e.id)
    ]
    assert actions == ["saved", "submit", "request_corrections", "submit"]


def test_reopen_an_accepted_declaration(client, login, submitted, project_team_user):
    login(project_team_user)
    client.post(f"{BASE}/accept", data={})
    client.post(f"{BASE}/reopen", data={"comment": "New campaign expected."})
    assert _status() is DeclarationStatus.DRAFT


@pytest.mark.parametrize("transition", ["reopen"])
def test_transition_from_the_wrong_state_is_refused(
    client, login, submitted, project_team_user, transition
):
    login(project_team_user)
    response = client.post(f"{BASE}/{transition}", data={}, follow_redirects=True)
    assert "This action is not possible in the declaration" in response.get_data(as_text=True)
    assert _status() is DeclarationStatus.SUBMITTED


def test_accept_twice_is_refused(client, login, submitted, project_team_user):
    login(project_team_user)
    client.post(f"{BASE}/accept", data={})
    response = client.post(f"{BASE}/accept", data={}, follow_redirects=True)
    assert "not possible" in response.get_data(as_text=True)
    assert len([m for m in outbox() if "accepted" in m.subject or "acceptée" in m.subject]) == 1


@pytest.mark.parametrize("persona", ["directorate", "cvrh"])
def test_only_the_project_team_reviews(client, login, submitted, personas, persona):
    login(personas[persona])
    assert client.post(f"{BASE}/accept", data={}).status_code == 403
    assert _status() is DeclarationStatus.SUBMITTED


def test_stale_review_is_refused(client, login, submitted, project_team_user):
    login(project_team_user)
    old_version = submitted.version
    client.post(f"{BASE}/request_corrections", data={"comment": "x", "version": old_version})
    client.post(f"{BASE}/reopen", data={"version": old_version})
    response = client.post(f"{BASE}/accept", data={"version": old_version}, follow_redirects=True)
    assert "changed while you were reading it" in response.get_data(as_text=True)
    assert _status() is DeclarationStatus.CORRECTIONS_REQUESTED


def test_extension_lets_a_late_directorate_submit(
    client, login, call, project_team_user, directorate_user
):
    call.deadline = date.today() - timedelta(days=3)
    db.session.commit()
    login(directorate_user)
    assert client.get(EDIT_URL.format(lang="en")).status_code == 302
    client.post("/en/logout")

    login(project_team_user)
    too_early = client.post(
        f"{BASE}/extend", data={"until": call.deadline.isoformat()}, follow_redirects=True
    )
    assert "Choose a date after the call's deadline." in too_early.get_data(as_text=True)
    until = date.today() + timedelta(days=5)
    assert client.post(f"{BASE}/extend", data={"until": until.isoformat()}).status_code == 302
    client.post("/en/logout")

    login(directorate_user)
    assert client.get(EDIT_URL.format(lang="en")).status_code == 200
    version = str(db.session.scalar(select(Declaration)).version)
    response = client.post(
        EDIT_URL.format(lang="en"), data=complete_form(version=version, submit_declaration="1")
    )
    assert response.status_code == 302
    assert _status() is DeclarationStatus.SUBMITTED
    page = client.get(VIEW_URL.format(lang="en")).get_data(as_text=True)
    assert "Extended deadline" in page
    # Another directorate is still past the deadline.
    other = db.session.scalar(select(Declaration)).extended_until
    assert other == until
