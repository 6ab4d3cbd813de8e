"""User management: invitation, edition, deactivation."""

import re

from sqlalchemy import select

from app.audit import AuditEntry
from app.auth.models import Role, User
from app.extensions import db
from tests.conftest import log_in, outbox

NEW_PASSWORD = "my very own password"


def _invite(client, **data):
    form = {
        "email": "new.person@example.org",
        "full_name": "New Person",
        "role": "directorate",
        "directorate": "DGPR",
        "cvrh": "",
        "language": "en",
    }
    form.update(data)
    return client.post("/en/admin/users/new", data=form)


def test_invitation_journey(client, login, project_team_user):
    login(project_team_user)
    response = _invite(client)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert user.role is Role.DIRECTORATE and user.directorate.code == "DGPR"
    assert not user.has_password
    [message] = outbox()
    assert message.language == "en"
    assert message.subject == "Your account on the PIX deployment portal"
    link = re.search(r"http://portal\.test(/\S+)", message.body).group(1)
    assert link.startswith("/en/invitation/")

    client.post("/fr/logout")
    assert log_in(client, user, "").status_code == 200
    page = client.get(link)
    assert page.status_code == 200
    assert user.email in page.get_data(as_text=True)
    assert (
        client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code
        == 302
    )
    assert log_in(client, user, NEW_PASSWORD).status_code == 302
    client.post("/fr/logout")
    assert client.get(link).status_code == 400
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"user.created", "user.password_changed"} <= actions


def test_invitation_requires_the_directorate_of_a_directorate_user(client, login, admin_user):
    login(admin_user)
    body = _invite(client, directorate="").get_data(as_text=True)
    assert "Choose the directorate of this user." in body
    assert db.session.scalar(select(User).where(User.email == "new.person@example.org")) is None
    assert outbox() == []


def test_invitation_refuses_an_address_in_use(client, login, admin_user, directorate_user):
    login(admin_user)
    body = _invite(client, email="CHLOE.BERNARD@example.org").get_data(as_text=True)
    assert "An account already uses this e-mail address." in body
    assert outbox() == []


def test_invitation_refuses_a_bad_address(client, login, admin_user):
    login(admin_user)
    body = _invite(client, email="not an address").get_data(as_text=True)
    assert "Enter a valid e-mail address" in body


def test_project_team_cannot_create_admins(client, login, project_team_user):
    login(project_team_user)
    response = _invite(client, role="admin")
    assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.email == "new.person@example.org")) is None


def test_admin_can_create_project_team_members(client, login, admin_user):
    login(admin_user)
    assert _invite(client, role="project_team", directorate="").status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert user.role is Role.PROJECT_TEAM and user.directorate is None


def test_users_list_is_scoped_and_filtered(client, login, personas):
    login(personas["project_team"])
    body = client.get("/fr/admin/users").get_data(as_text=True)
    assert personas["directorate"].email in body
    assert personas["cvrh"].email in body
    assert personas["admin"].email not in body
    body = client.get("/fr/admin/users?role=cvrh&q=emma").get_data(as_text=True)
    assert personas["cvrh"].email in body
    assert personas["other_cvrh"].email not in body
    assert personas["directorate"].email not in body


def test_deactivate_and_reactivate(app, client, login, admin_user, directorate_user):
    victim = app.test_client()
    log_in(victim, directorate_user)
    login(admin_user)
    response = client.post(f"/fr/admin/users/{directorate_user.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert not directorate_user.active
    assert victim.get("/fr/home").status_code == 302
    assert log_in(victim, directorate_user).status_code == 200
    client.post(f"/fr/admin/users/{directorate_user.id}/active", data={"active": "1"})
    assert directorate_user.active
    assert log_in(victim, directorate_user).status_code == 302


def test_changing_a_role_ends_the_sessions_and_is_recorded(
    app, client, login, admin_user, directorate_user
):
    victim = app.test_client()
    log_in(victim, directorate_user)
    login(admin_user)
    response = client.post(
        f"/fr/admin/users/{directorate_user.id}",
        data={
            "email": directorate_user.email,
            "full_name": "Chloé B",
            "role": "cvrh",
            "directorate": "",
            "cvrh": "CVRH-TOURS",
            "language": "fr",
        },
    )
    assert response.status_code == 302
    assert directorate_user.role is Role.CVRH and directorate_user.cvrh.code == "CVRH-TOURS"
    assert directorate_user.directorate is None
    assert victim.get("/fr/home").status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.updated"))
    assert entry.details["before"]["role"] == "directorate"
    assert entry.details["after"]["cvrh"] == "CVRH-TOURS"
    assert entry.actor_id == admin_user.id


def test_resend_invitation(client, login, admin_user):
    login(admin_user)
    _invite(client)
    user = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert client.post(f"/fr/admin/users/{user.id}/invitation").status_code == 302
    assert len(outbox()) == 2


def test_nobody_manages_their_own_account_from_the_admin(client, login, admin_user):
    login(admin_user)
    assert client.get(f"/fr/admin/users/{admin_user.id}").status_code == 404
