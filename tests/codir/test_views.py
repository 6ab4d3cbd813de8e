"""CODIR lists: the directorate's requests, the CVRH inbox, the project team's view; reminders."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.codir.models import CodirRequest
from app.extensions import db, utcnow
from tests.codir.conftest import schedule_form
from tests.conftest import outbox

ACCESS = [
    ("anonymous", "GET", "/fr/codir/", 302),
    ("anonymous", "GET", "/fr/codir/{id}", 302),
    ("directorate", "GET", "/fr/codir/{id}", 200),
    ("directorate", "GET", "/fr/codir/new", 200),
    ("other_directorate", "GET", "/fr/codir/{id}", 404),
    ("other_directorate", "POST", "/fr/codir/{id}/messages", 404),
    ("other_directorate", "GET", "/fr/codir/{id}/invitation.ics", 404),
    ("cvrh", "GET", "/fr/codir/{id}", 200),
    ("cvrh", "GET", "/fr/codir/new", 403),
    ("other_cvrh", "GET", "/fr/codir/{id}", 404),
    ("other_cvrh", "POST", "/fr/codir/{id}/messages", 404),
    ("other_cvrh", "POST", "/fr/codir/{id}/decline", 404),
    ("project_team", "GET", "/fr/codir/{id}", 200),
    ("project_team", "POST", "/fr/codir/{id}/messages", 403),
    ("cvrh", "POST", "/fr/codir/{id}/reassign", 403),
    ("directorate", "POST", "/fr/codir/{id}/reassign", 403),
]


@pytest.mark.parametrize(("persona", "method", "url", "expected"), ACCESS)
def test_codir_access(client, login, personas, codir_request, persona, method, url, expected):
    if personas[persona] is not None:
        login(personas[persona])
    response = client.open(
        url.format(id=codir_request.id),
        method=method,
        data={
            "message-body": "intrusion",
            "reason-reason": "intrusion",
            "reassign-cvrh": "CVRH-TOURS",
        },
    )
    assert response.status_code == expected
    if expected in (403, 404):
        assert "Salle du conseil" not in response.get_data(as_text=True)
    db.session.expire_all()
    item = db.session.get(CodirRequest, codir_request.id)
    assert item.messages == [] and item.cvrh.code == "CVRH-NANTES"


def test_lists_are_scoped(client, login, personas, codir_request):
    login(personas["other_directorate"])
    assert f'data-request="{codir_request.id}"' not in client.get("/en/codir/").get_data(
        as_text=True
    )
    client.post("/en/logout")
    login(personas["other_cvrh"])
    assert f'data-request="{codir_request.id}"' not in client.get("/en/codir/").get_data(
        as_text=True
    )
    client.post("/en/logout")
    login(personas["directorate"])
    assert f'data-request="{codir_request.id}"' in client.get("/en/codir/").get_data(as_text=True)


def test_cvrh_inbox_counters_filters_and_waiting_time(client, login, codir_request, cvrh_user):
    codir_request.created_at = utcnow() - timedelta(days=4)
    db.session.commit()
    login(cvrh_user)
    page = client.get("/en/codir/").get_data(as_text=True)
    assert 'data-counter="to_answer">To answer (1)' in page
    assert 'data-counter="scheduled">Scheduled (0)' in page
    assert "4 days" in page
    client.post(f"/en/codir/{codir_request.id}/schedule", data=schedule_form(days=1))
    page = client.get("/en/codir/?view=to_answer").get_data(as_text=True)
    assert f'data-request="{codir_request.id}"' not in page
    assert 'data-counter="scheduled">Scheduled (1)' in page
    page = client.get("/en/codir/?view=scheduled").get_data(as_text=True)
    assert f'data-request="{codir_request.id}"' in page


def test_project_team_sees_all_by_cvrh_and_state(client, login, codir_request, project_team_user):
    login(project_team_user)
    page = client.get("/en/codir/?cvrh=CVRH-NANTES&status=requested").get_data(as_text=True)
    assert f'data-request="{codir_request.id}"' in page
    page = client.get("/en/codir/?cvrh=CVRH-PARIS").get_data(as_text=True)
    assert f'data-request="{codir_request.id}"' not in page
    page = client.get("/en/codir/?status=held").get_data(as_text=True)
    assert f'data-request="{codir_request.id}"' not in page


def test_reminders_once_a_day(runner, codir_request, cvrh_user):
    before = len(outbox())
    result = runner.invoke(args=["codir", "remind", "--days", "3"])
    assert "No request to remind about." in result.output
    codir_request.created_at = utcnow() - timedelta(days=5)
    db.session.commit()
    result = runner.invoke(args=["codir", "remind", "--days", "3"])
    assert result.exit_code == 0, result.output
    assert "CVRH-NANTES: 1 requests" in result.output
    [reminder] = outbox()[before:]
    assert reminder.recipients == cvrh_user.email
    assert f"/fr/codir/{codir_request.id}" in reminder.body
    again = runner.invoke(args=["codir", "remind", "--days", "3"])
    assert "No request to remind about." in again.output
    assert len(outbox()) == before + 1
    assert db.session.scalar(select(CodirRequest.last_reminded_on)) is not None
