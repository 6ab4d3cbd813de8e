"""PIX Orga administrator accounts: always attached to a directorate, managed by the staff."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth import services as accounts
from app.auth.models import Role, User
from app.directorates.models import Directorate
from app.extensions import db
from tests.conftest import make_user, outbox

EMAIL = "nadia.fabre@example.org"


def _user(email: str = EMAIL) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _form(**data) -> dict:
    form = {
        "email": EMAIL,
        "full_name": "Nadia Fabre",
        "role": "pixorga_admin",
        "directorate": "DREAL-BRE",
        "cvrh": "",
        "language": "fr",
    }
    form.update(data)
    return form


def test_the_service_requires_a_directorate(app):
    with pytest.raises(accounts.AccountError, match="directorate_required"):
        accounts.create_user(EMAIL, Role.PIXORGA_ADMIN)
    db.session.rollback()
    user = make_user(EMAIL, Role.PIXORGA_ADMIN, directorate="DREAL-BRE")
    assert user.directorate.code == "DREAL-BRE"
    with pytest.raises(accounts.AccountError, match="directorate_required"):
        accounts.update_user(
            user, full_name="", language="fr", role=Role.PIXORGA_ADMIN, directorate=None, cvrh=None
        )
    db.session.rollback()
    assert _user().directorate_id is not None


def test_the_database_refuses_an_account_without_directorate(app):
    user = make_user(EMAIL, Role.PIXORGA_ADMIN, directorate="DREAL-BRE")
    user.directorate = None
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("persona", ["project_team", "admin"])
def test_the_staff_invite_one_with_its_directorate(client, login, personas, persona):
    login(personas[persona])
    response = client.post("/fr/admin/users/new", data=_form(directorate=""))
    assert response.status_code == 200
    assert "Choisissez la direction de cet utilisateur." in response.get_data(as_text=True)
    assert _user() is None
    assert client.post("/fr/admin/users/new", data=_form()).status_code == 302
    user = _user()
    assert user.role is Role.PIXORGA_ADMIN and user.directorate.code == "DREAL-BRE"
    [message] = outbox()
    assert message.recipients == EMAIL


def test_the_form_asks_for_the_directorate_in_english(client, login, admin_user):
    login(admin_user)
    page = client.post("/en/admin/users/new", data=_form(directorate="")).get_data(as_text=True)
    assert "Choose the directorate of this user." in page
    assert "Directorate (for a directorate correspondent or a PIX Orga administrator)" in page
    assert "PIX Orga administrator (follow-up only)" in page


def test_the_project_team_lists_edits_and_deactivates_them(
    client, login, project_team_user, directorate_user
):
    invited = make_user(EMAIL, Role.PIXORGA_ADMIN, directorate="DREAL-BRE")
    login(project_team_user)
    listing = client.get("/en/admin/users?role=pixorga_admin").get_data(as_text=True)
    assert EMAIL in listing and "DREAL-BRE" in listing
    assert directorate_user.email not in listing
    assert client.get(f"/en/admin/users/{invited.id}").status_code == 200
    form = _form(directorate="DREAL-PDL", version=str(invited.version))
    assert client.post(f"/en/admin/users/{invited.id}", data=form).status_code == 302
    db.session.expire_all()
    assert invited.directorate.code == "DREAL-PDL"
    response = client.post(f"/en/admin/users/{invited.id}/active", data={"active": "0"})
    assert response.status_code == 302
    db.session.expire_all()
    assert not invited.active


def test_a_directorate_user_cannot_manage_them(client, login, directorate_user):
    invited = make_user(EMAIL, Role.PIXORGA_ADMIN, directorate="DREAL-PDL")
    login(directorate_user)
    assert client.get(f"/fr/admin/users/{invited.id}").status_code == 403
    assert client.post(
        f"/fr/admin/users/{invited.id}/active", data={"active": "0"}
    ).status_code == (403)


def test_the_users_command_needs_the_directorate(runner):
    args = ["users", "create", "--email", EMAIL, "--role", "pixorga_admin"]
    missing = runner.invoke(args=args)
    assert missing.exit_code != 0
    assert "--directorate is required for the roles directorate and pixorga_admin" in (
        missing.output
    )
    assert _user() is None
    created = runner.invoke(args=[*args, "--directorate", "DREAL-BRE"])
    assert created.exit_code == 0, created.output
    assert _user().directorate == db.session.scalar(
        select(Directorate).where(Directorate.code == "DREAL-BRE")
    )
    assert [m.recipients for m in outbox()] == [EMAIL]


def test_invited_administrators_are_not_sent_the_directorate_mails(
    client, login, project_team_user, directorate_user
):
    """Correspondents receive the directorate's e-mails; its PIX Orga administrators do not."""
    make_user(EMAIL, Role.PIXORGA_ADMIN, directorate="DREAL-PDL")
    login(project_team_user)
    response = client.post("/fr/declarations/PIX-2023/remind")
    assert response.status_code == 302
    recipients = {m.recipients for m in outbox()}
    assert directorate_user.email in recipients
    assert EMAIL not in recipients
