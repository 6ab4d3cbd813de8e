"""Access control: every route declares who may reach it, and the server enforces it."""

import pytest

from app.auth.access import Access

# (persona, method, url, expected status). 404 means "not yours": the record is not revealed.
ACCESS_TABLE = [
    ("anonymous", "GET", "/fr/", 200),
    ("anonymous", "GET", "/fr/login", 200),
    ("anonymous", "GET", "/fr/accessibility", 200),
    ("anonymous", "GET", "/healthz", 200),
    ("anonymous", "GET", "/fr/home", 302),
    ("anonymous", "GET", "/fr/account", 302),
    ("anonymous", "GET", "/fr/directorates/", 302),
    ("anonymous", "GET", "/fr/directorates/DREAL-PDL", 302),
    ("anonymous", "GET", "/fr/admin/users", 302),
    ("anonymous", "GET", "/fr/admin/reference", 302),
    ("anonymous", "POST", "/fr/logout", 302),
    ("directorate", "GET", "/fr/home", 200),
    ("directorate", "GET", "/fr/directorates/DREAL-PDL", 200),
    ("directorate", "GET", "/fr/directorates/DREAL-ARA", 404),
    ("directorate", "GET", "/fr/directorates/DREAL-BRE", 404),
    ("directorate", "GET", "/fr/admin/users", 403),
    ("directorate", "GET", "/fr/admin/reference", 403),
    ("directorate", "GET", "/fr/admin/outbox", 403),
    ("directorate", "GET", "/fr/admin/directorates/DREAL-PDL", 403),
    ("directorate", "POST", "/fr/admin/directorates/DREAL-PDL", 403),
    ("other_directorate", "GET", "/fr/directorates/DREAL-PDL", 404),
    ("cvrh", "GET", "/fr/home", 200),
    ("cvrh", "GET", "/fr/directorates/DREAL-PDL", 200),
    ("cvrh", "GET", "/fr/directorates/DREAL-BRE", 200),
    ("cvrh", "GET", "/fr/directorates/DREAL-ARA", 404),
    ("cvrh", "GET", "/fr/admin/users", 403),
    ("other_cvrh", "GET", "/fr/directorates/DREAL-PDL", 404),
    ("other_cvrh", "GET", "/fr/directorates/DREAL-ARA", 200),
    ("project_team", "GET", "/fr/home", 200),
    ("project_team", "GET", "/fr/directorates/DREAL-ARA", 200),
    ("project_team", "GET", "/fr/admin/users", 200),
    ("project_team", "GET", "/fr/admin/users/new", 200),
    ("project_team", "GET", "/fr/admin/reference", 403),
    ("project_team", "GET", "/fr/admin/outbox", 403),
    ("project_team", "GET", "/fr/admin/audit", 403),
    ("project_team", "POST", "/fr/admin/cvrhs/CVRH-NANTES", 403),
    ("admin", "GET", "/fr/home", 200),
    ("admin", "GET", "/fr/admin/reference", 200),
    ("admin", "GET", "/fr/admin/outbox", 200),
    ("admin", "GET", "/fr/admin/audit", 200),
    ("admin", "GET", "/fr/admin/directorates/DREAL-PDL", 200),
    ("admin", "GET", "/fr/admin/directorates/NOPE", 404),
    # Webinars: the project team manages; a directorate and its CVRH see its training; the
    # people invited act through their signed link; the calendar is public.
    ("anonymous", "GET", "/fr/events.ics", 200),
    ("anonymous", "GET", "/en/events.ics", 200),
    ("anonymous", "GET", "/fr/events/1/calendar.ics", 404),
    ("anonymous", "GET", "/fr/events/invitation/not-a-link", 404),
    ("anonymous", "POST", "/fr/events/invitation/not-a-link/register", 404),
    ("anonymous", "POST", "/fr/events/invitation/not-a-link/cancel", 404),
    ("anonymous", "GET", "/fr/events/invitation/not-a-link/webinar.ics", 404),
    ("anonymous", "POST", "/fr/events/invitation/not-a-link/renew", 404),
    ("anonymous", "GET", "/fr/events/", 302),
    ("anonymous", "GET", "/fr/events/1/", 302),
    ("anonymous", "GET", "/fr/events/1/sessions/new", 302),
    ("anonymous", "POST", "/fr/events/1/invite", 302),
    ("anonymous", "GET", "/fr/events/sessions/1/", 302),
    ("anonymous", "GET", "/fr/events/sessions/1/edit", 302),
    ("anonymous", "POST", "/fr/events/sessions/1/attendance", 302),
    ("anonymous", "POST", "/fr/events/sessions/1/attendance/import", 302),
    ("anonymous", "POST", "/fr/events/invitations/1/send-again", 302),
    ("anonymous", "GET", "/fr/events/training/DREAL-PDL", 302),
    ("directorate", "GET", "/fr/events/", 403),
    ("directorate", "GET", "/fr/events/1/", 403),
    ("directorate", "GET", "/fr/events/1/sessions/new", 403),
    ("directorate", "POST", "/fr/events/1/invite", 403),
    ("directorate", "GET", "/fr/events/sessions/1/", 403),
    ("directorate", "POST", "/fr/events/sessions/1/edit", 403),
    ("directorate", "POST", "/fr/events/sessions/1/attendance", 403),
    ("directorate", "POST", "/fr/events/sessions/1/attendance/import", 403),
    ("directorate", "POST", "/fr/events/invitations/1/send-again", 403),
    ("directorate", "GET", "/fr/events/training/DREAL-PDL", 200),
    ("directorate", "GET", "/fr/events/training/DREAL-ARA", 404),
    ("other_directorate", "GET", "/fr/events/training/DREAL-PDL", 404),
    ("cvrh", "GET", "/fr/events/", 403),
    ("cvrh", "GET", "/fr/events/1/", 403),
    ("cvrh", "POST", "/fr/events/1/invite", 403),
    ("cvrh", "GET", "/fr/events/sessions/1/", 403),
    ("cvrh", "GET", "/fr/events/training/DREAL-PDL", 200),
    ("cvrh", "GET", "/fr/events/training/DREAL-ARA", 404),
    ("other_cvrh", "GET", "/fr/events/training/DREAL-PDL", 404),
    ("project_team", "GET", "/fr/events/", 200),
    ("project_team", "GET", "/fr/events/1/", 404),
    ("project_team", "GET", "/fr/events/sessions/1/", 404),
    ("project_team", "GET", "/fr/events/training/DREAL-ARA", 200),
    ("admin", "GET", "/fr/events/", 200),
]


@pytest.mark.parametrize(("persona", "method", "url", "expected"), ACCESS_TABLE)
def test_access_table(client, login, personas, persona, method, url, expected):
    user = personas[persona]
    if user is not None:
        login(user)
    response = client.open(url, method=method)
    assert response.status_code == expected
    if expected == 302 and user is None:
        assert "/fr/login?next=" in response.headers["Location"]


def test_every_view_declares_its_access(app):
    """A view without an access rule would be refused; make sure none is forgotten."""
    missing = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not isinstance(getattr(view, "access", None), Access)
    ]
    assert missing == []


def test_view_without_access_rule_is_refused(app, client):
    app.add_url_rule("/undeclared", "undeclared", lambda: "secret")
    response = client.get("/undeclared")
    assert response.status_code == 403
    assert b"secret" not in response.data


def test_other_directorate_data_never_shown(
    client, login, directorate_user, other_directorate_user
):
    login(directorate_user)
    response = client.get("/fr/directorates/DREAL-ARA")
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert other_directorate_user.email not in body
    assert "Auvergne" not in body


def test_project_team_cannot_manage_admin_accounts(client, login, project_team_user, admin_user):
    login(project_team_user)
    assert client.get(f"/fr/admin/users/{admin_user.id}").status_code == 404
    response = client.post(f"/fr/admin/users/{admin_user.id}/active", data={"active": "0"})
    assert response.status_code == 404
    assert admin_user.active


def test_anonymous_json_client_gets_401(client):
    response = client.get("/fr/home", headers={"Accept": "application/json"})
    assert response.status_code == 401
