"""Access control: every route declares who may reach it, and the server enforces it."""

import pytest

from app.auth.access import Access

BLANK_WORKBOOK = "/fr/declarations/PIX-2023/blank-workbook.xlsx"
# Every persona allowed to read it is checked in tests/declarations/test_receipts.py.
RECEIPT = "/fr/declarations/PIX-2023/DREAL-PDL/receipts/PIX-2023-DREAL-PDL-S1.pdf"
THREAD = "/fr/declarations/PIX-2023/DREAL-PDL"

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
    ("anonymous", "GET", BLANK_WORKBOOK, 302),
    ("directorate", "GET", BLANK_WORKBOOK, 200),
    ("cvrh", "GET", BLANK_WORKBOOK, 403),
    ("project_team", "GET", BLANK_WORKBOOK, 200),
    ("admin", "GET", BLANK_WORKBOOK, 200),
    ("anonymous", "GET", RECEIPT, 302),
    ("other_directorate", "GET", RECEIPT, 404),
    ("other_cvrh", "GET", RECEIPT, 404),
    # The conversation on a declaration: its directorate and the staff write, the CVRH reads.
    ("anonymous", "POST", f"{THREAD}/messages", 302),
    ("anonymous", "POST", f"{THREAD}/notes", 302),
    ("anonymous", "GET", f"{THREAD}/messages/1/files/1/a.pdf", 302),
    ("directorate", "POST", f"{THREAD}/messages", 400),
    ("directorate", "POST", f"{THREAD}/notes", 403),
    ("directorate", "GET", f"{THREAD}/messages/1/files/1/a.pdf", 404),
    ("other_directorate", "POST", f"{THREAD}/messages", 404),
    ("other_directorate", "GET", f"{THREAD}/messages/1/files/1/a.pdf", 404),
    ("cvrh", "POST", f"{THREAD}/messages", 403),
    ("cvrh", "POST", f"{THREAD}/notes", 403),
    ("other_cvrh", "POST", f"{THREAD}/messages", 403),
    ("other_cvrh", "GET", f"{THREAD}/messages/1/files/1/a.pdf", 404),
    ("project_team", "POST", f"{THREAD}/messages", 400),
    ("project_team", "POST", f"{THREAD}/notes", 400),
    ("admin", "POST", f"{THREAD}/notes", 400),
    ("anonymous", "GET", "/fr/licences/PIX-2023/", 302),
    ("anonymous", "POST", "/fr/licences/PIX-2023/DREAL-PDL", 302),
    ("directorate", "GET", "/fr/licences/PIX-2023/", 403),
    ("directorate", "POST", "/fr/licences/PIX-2023/", 403),
    ("directorate", "GET", "/fr/licences/PIX-2023/DREAL-PDL", 403),
    ("directorate", "POST", "/fr/licences/PIX-2023/DREAL-PDL", 403),
    ("other_directorate", "GET", "/fr/licences/PIX-2023/DREAL-PDL", 403),
    ("cvrh", "GET", "/fr/licences/PIX-2023/", 403),
    ("cvrh", "POST", "/fr/licences/PIX-2023/DREAL-PDL", 403),
    ("project_team", "GET", "/fr/licences/PIX-2023/", 200),
    ("project_team", "GET", "/fr/licences/NOPE/", 404),
    ("project_team", "GET", "/fr/licences/PIX-2023/DREAL-PDL", 404),  # no declaration yet
    ("admin", "GET", "/fr/licences/PIX-2023/", 200),
    # Contact mailboxes, a call's reach and the claim links (app/reach).
    ("anonymous", "GET", "/fr/directorates/DREAL-PDL/contacts", 302),
    ("anonymous", "GET", "/fr/console/PIX-2023/reach", 302),
    ("anonymous", "GET", "/fr/reach/claim/not-a-link", 400),
    ("directorate", "GET", "/fr/directorates/DREAL-PDL/contacts", 403),
    ("directorate", "POST", "/fr/directorates/DREAL-PDL/contacts/new", 403),
    ("directorate", "GET", "/fr/console/PIX-2023/reach", 403),
    ("directorate", "POST", "/fr/console/PIX-2023/reach/open", 403),
    ("cvrh", "GET", "/fr/directorates/DREAL-PDL/contacts/new", 403),
    ("cvrh", "GET", "/fr/console/PIX-2023/claims", 403),
    ("project_team", "GET", "/fr/directorates/DREAL-PDL/contacts", 200),
    ("project_team", "GET", "/fr/console/PIX-2023/reach", 200),
    ("admin", "GET", "/fr/directorates/DREAL-PDL/contacts/new", 200),
    ("admin", "GET", "/fr/console/PIX-2023/claims", 200),
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
