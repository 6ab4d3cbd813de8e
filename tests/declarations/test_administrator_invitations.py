"""Inviting an accepted declaration's PIX Orga administrators to the directorate's follow-up."""

import re

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.auth.models import Role, User
from app.declarations.models import Administrator, Declaration, DeclarationStatus
from app.directorates.models import Call, Directorate
from app.extensions import db
from tests.conftest import PASSWORD, log_in, make_user, outbox

VIEW = "/{lang}/declarations/PIX-2023/{code}"
INVITE = "/{lang}/declarations/PIX-2023/{code}/administrators/{id}/invite"
HELENE = "helene.dupont@example.org"


def _declare(code: str, status: DeclarationStatus, people) -> Declaration:
    declaration = Declaration(
        call=db.session.scalar(select(Call).where(Call.code == "PIX-2023")),
        directorate=db.session.scalar(select(Directorate).where(Directorate.code == code)),
        status=status,
    )
    for position, (first, last, email) in enumerate(people, start=1):
        declaration.administrators.append(
            Administrator(
                position=position,
                first_name=first,
                last_name=last,
                email=email,
                function="Responsable formation",
                hr_confirmed=True,
            )
        )
    db.session.add(declaration)
    db.session.commit()
    return declaration


@pytest.fixture
def accepted(app):
    """DREAL-PDL's accepted declaration, naming two PIX Orga administrators."""
    return _declare(
        "DREAL-PDL",
        DeclarationStatus.ACCEPTED,
        [("Hélène", "Dupont", "Helene.Dupont@example.org "), ("Karim", "Benali", "kb@example.org")],
    )


@pytest.fixture
def elsewhere(app):
    """DREAL-ARA's accepted declaration, with its own administrator."""
    return _declare(
        "DREAL-ARA", DeclarationStatus.ACCEPTED, [("Jean", "Martin", "jean.martin@example.org")]
    )


def _invite(client, declaration, person, lang="fr", code=None):
    url = INVITE.format(lang=lang, code=code or declaration.directorate.code, id=person.id)
    return client.post(url)


def _accounts(email: str = HELENE) -> list[User]:
    return list(db.session.scalars(select(User).where(func.lower(User.email) == email)))


def _link(message) -> str:
    return re.search(r"http://portal\.test(/\S+)", message.body).group(1)


@pytest.mark.parametrize("persona", ["directorate", "project_team", "admin"])
def test_correspondents_and_project_team_invite_an_administrator(
    client, login, personas, accepted, persona
):
    login(personas[persona])
    helene = accepted.administrators[0]
    response = _invite(client, accepted, helene)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        "/fr/declarations/PIX-2023/DREAL-PDL#administrator-access"
    )
    [user] = _accounts()
    assert user.role is Role.PIXORGA_ADMIN
    assert user.directorate.code == "DREAL-PDL"
    assert user.full_name == "Hélène Dupont"
    assert not user.has_password
    [message] = outbox()
    assert message.recipients == HELENE
    assert message.language == "fr"
    assert "/fr/invitation/" in message.body
    assert "Pays de la Loire" in message.body
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["declaration.administrator_invited", "user.created"]
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "declaration.administrator_invited")
    )
    assert entry.actor_id == personas[persona].id
    assert entry.object_type == "Declaration" and entry.object_id == str(accepted.id)
    assert entry.details["email"] == HELENE and entry.details["outcome"] == "invited"


def test_the_page_shows_each_administrator_and_the_invite_buttons(
    client, login, directorate_user, accepted
):
    make_user("kb@example.org", Role.PIXORGA_ADMIN, directorate="DREAL-PDL")
    login(directorate_user)
    page = client.get(VIEW.format(lang="fr", code="DREAL-PDL")).get_data(as_text=True)
    section = page.split('id="administrator-access"')[1].split("</section>")[0]
    helene, karim = accepted.administrators
    assert INVITE.format(lang="fr", code="DREAL-PDL", id=helene.id) in section
    assert INVITE.format(lang="fr", code="DREAL-PDL", id=karim.id) not in section  # has access
    assert 'name="csrf_token"' in section
    english = client.get(VIEW.format(lang="en", code="DREAL-PDL")).get_data(as_text=True)
    section = english.split('id="administrator-access"')[1].split("</section>")[0]
    assert "Access of the PIX Orga administrators to the campaign follow-up" in section
    assert "No account yet" in section and "Has access" in section
    assert "Invite to the follow-up" in section


@pytest.mark.parametrize("persona", ["cvrh", "other_directorate"])
def test_others_see_no_invitation(client, login, personas, accepted, persona):
    login(personas[persona])
    response = client.get(VIEW.format(lang="en", code="DREAL-PDL"))
    assert 'id="administrator-access"' not in response.get_data(as_text=True)
    assert response.status_code == (200 if persona == "cvrh" else 404)


@pytest.mark.parametrize(
    "status", [DeclarationStatus.SUBMITTED, DeclarationStatus.CORRECTIONS_REQUESTED]
)
def test_no_invitation_before_the_declaration_is_accepted(
    client, login, personas, accepted, status
):
    accepted.status = status
    db.session.commit()
    for persona in ("directorate", "project_team"):
        login(personas[persona])
        page = client.get(VIEW.format(lang="en", code="DREAL-PDL")).get_data(as_text=True)
        assert 'id="administrator-access"' not in page
        assert _invite(client, accepted, accepted.administrators[0]).status_code == 403
        client.post("/en/logout")
    assert _accounts() == [] and outbox() == []


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("cvrh", 403), ("other_cvrh", 403), ("other_directorate", 404)],
)
def test_everybody_else_is_refused(client, login, personas, accepted, persona, expected):
    if personas[persona] is not None:
        login(personas[persona])
    response = _invite(client, accepted, accepted.administrators[0])
    assert response.status_code == expected
    if persona == "anonymous":
        assert "/fr/login?next=" in response.headers["Location"]
    assert _accounts() == [] and outbox() == []


def test_a_pixorga_admin_cannot_invite(client, login, accepted):
    invited = make_user("kb@example.org", Role.PIXORGA_ADMIN, directorate="DREAL-PDL")
    login(invited)
    assert _invite(client, accepted, accepted.administrators[0]).status_code == 403
    assert _accounts() == []


def test_an_administrator_of_another_declaration_is_not_found(
    client, login, directorate_user, project_team_user, accepted, elsewhere
):
    stranger = elsewhere.administrators[0]
    for user in (directorate_user, project_team_user):
        login(user)
        # Another declaration's administrator through this declaration's address: 404.
        assert _invite(client, accepted, stranger, code="DREAL-PDL").status_code == 404
        assert client.post(INVITE.format(lang="fr", code="DREAL-PDL", id=999999)).status_code == (
            404
        )
        client.post("/fr/logout")
    assert _accounts("jean.martin@example.org") == [] and outbox() == []


def test_inviting_again_resends_until_the_password_is_chosen(
    client, login, directorate_user, accepted
):
    login(directorate_user)
    helene = accepted.administrators[0]
    _invite(client, accepted, helene, lang="en")
    response = client.post(
        INVITE.format(lang="en", code="DREAL-PDL", id=helene.id), follow_redirects=True
    )
    assert "had not chosen a password yet: the invitation is sent again" in response.get_data(
        as_text=True
    )
    assert [m.recipients for m in outbox()] == [HELENE, HELENE]
    assert len(_accounts()) == 1

    # She accepts the invitation, then is invited once more: nothing is sent.
    link = _link(outbox()[-1])
    invitee = client.application.test_client()
    assert invitee.post(link, data={"password": PASSWORD, "confirm": PASSWORD}).status_code == 302
    response = client.post(
        INVITE.format(lang="en", code="DREAL-PDL", id=helene.id), follow_redirects=True
    )
    assert "already has access to the campaign follow-up" in response.get_data(as_text=True)
    assert len(outbox()) == 2
    outcomes = db.session.scalars(
        select(AuditEntry.details).where(AuditEntry.action == "declaration.administrator_invited")
    ).all()
    assert [d["outcome"] for d in outcomes] == ["invited", "invited_again"]


def test_the_invited_administrator_logs_in_to_the_follow_up(client, directorate_user, accepted):
    log_in(client, directorate_user)
    _invite(client, accepted, accepted.administrators[0])
    client.post("/fr/logout")
    assert client.post(_link(outbox()[0]), data={"password": PASSWORD, "confirm": PASSWORD})
    response = log_in(client, HELENE)
    assert response.status_code == 302
    home = client.get("/fr/home")
    assert home.status_code == 200
    assert 'href="/fr/followup/"' in home.get_data(as_text=True)
    assert client.get("/fr/followup/").status_code == 200
    assert client.get(VIEW.format(lang="fr", code="DREAL-PDL")).status_code == 403


@pytest.mark.parametrize(
    ("role", "directorate"),
    [
        (Role.DIRECTORATE, "DREAL-ARA"),
        (Role.PIXORGA_ADMIN, "DREAL-ARA"),
        (Role.PROJECT_TEAM, None),
        (Role.CVRH, None),
    ],
)
def test_an_address_of_another_account_is_refused_and_left_alone(
    client, login, directorate_user, accepted, role, directorate
):
    other = make_user(
        HELENE,
        role,
        directorate=directorate,
        cvrh="CVRH-NANTES" if role is Role.CVRH else None,
    )
    login(directorate_user)
    response = client.post(
        INVITE.format(lang="en", code="DREAL-PDL", id=accepted.administrators[0].id),
        follow_redirects=True,
    )
    assert "Another account of the portal" in response.get_data(as_text=True)
    db.session.expire_all()
    assert _accounts() == [other]
    assert other.role is role
    assert (other.directorate.code if other.directorate else None) == directorate
    assert outbox() == []


def test_a_correspondent_of_the_directorate_already_has_access(
    client, login, directorate_user, accepted
):
    make_user(HELENE, Role.DIRECTORATE, directorate="DREAL-PDL")
    login(directorate_user)
    page = client.get(VIEW.format(lang="en", code="DREAL-PDL")).get_data(as_text=True)
    assert "Correspondent of the directorate: has access" in page
    response = client.post(
        INVITE.format(lang="en", code="DREAL-PDL", id=accepted.administrators[0].id),
        follow_redirects=True,
    )
    assert "already has access to the campaign follow-up" in response.get_data(as_text=True)
    assert _accounts()[0].role is Role.DIRECTORATE
    assert outbox() == []


def test_a_deactivated_account_is_not_reactivated(client, login, directorate_user, accepted):
    invited = make_user(HELENE, Role.PIXORGA_ADMIN, directorate="DREAL-PDL", password=None)
    invited.active = False
    db.session.commit()
    login(directorate_user)
    response = client.post(
        INVITE.format(lang="en", code="DREAL-PDL", id=accepted.administrators[0].id),
        follow_redirects=True,
    )
    assert "is deactivated: ask the project team to reactivate it" in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert not invited.active
    assert [m.recipients for m in outbox()] == [HELENE]  # the first invitation only


def test_the_invitation_speaks_english_to_an_english_account(
    client, login, directorate_user, accepted
):
    invited = make_user(HELENE, Role.PIXORGA_ADMIN, directorate="DREAL-PDL", password=None)
    invited.language = "en"
    db.session.commit()
    login(directorate_user)
    _invite(client, accepted, accepted.administrators[0])
    message = outbox()[-1]
    assert message.language == "en"
    assert "campaign follow-up only" in message.body
    assert "/en/invitation/" in message.body


def test_two_people_inviting_at_once_create_one_account(
    app, accepted, directorate_user, project_team_user, concurrently
):
    first, second = app.test_client(), app.test_client()
    log_in(first, directorate_user, lang="en")
    log_in(second, project_team_user, lang="en")
    url = INVITE.format(lang="en", code="DREAL-PDL", id=accepted.administrators[0].id)

    def invite(client):
        return lambda: client.post(url).status_code

    assert concurrently(invite(first), invite(second)) == [302, 302]
    assert len(_accounts()) == 1
    pages = [
        c.get(VIEW.format(lang="en", code="DREAL-PDL")).get_data(as_text=True)
        for c in (first, second)
    ]
    told = ["An invitation to the campaign follow-up is sent" in page for page in pages]
    assert sorted(told) == [False, True]
    loser = pages[told.index(False)]
    # PostgreSQL: the unique address refuses the second account; SQLite: the writers take
    # turns, so the second finds the account and sends the invitation again.
    assert "is already invited" in loser or "the invitation is sent again" in loser
    assert {m.recipients for m in outbox()} == {HELENE}
    if db.engine.dialect.name == "postgresql":
        assert "is already invited" in loser
        assert len(outbox()) == 1


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_the_invite_button_needs_its_csrf_token(client, directorate_user, accepted):
    login_page = client.get("/fr/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post(
        "/fr/login",
        data={"email": directorate_user.email, "password": PASSWORD, "csrf_token": token},
    )
    url = INVITE.format(lang="fr", code="DREAL-PDL", id=accepted.administrators[0].id)
    assert client.post(url).status_code == 400
    assert _accounts() == []
    page = client.get(VIEW.format(lang="fr", code="DREAL-PDL")).get_data(as_text=True)
    form = page.split(f'action="{url}"')[1].split("</form>")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    assert len(_accounts()) == 1
