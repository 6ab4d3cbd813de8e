"""Opening a call e-mails each contact a claim link: once, bound, single-use, expiring."""

import re
import time
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.auth.models import Role, User
from app.directorates.models import DirectorateContact
from app.extensions import db, utcnow
from app.reach.claims import CLAIM_SALT
from app.reach.models import ContactInvitation
from tests.conftest import PASSWORD, make_user, outbox
from tests.reach.conftest import add_contact, call, directorate, link_in, messages_to

NEW_PASSWORD = "a long enough new password"


def claim(client, path: str, name: str = "Léa Fontaine", password: str = NEW_PASSWORD):
    """Post the claim form of a link."""
    return client.post(path, data={"full_name": name, "password": password, "confirm": password})


def user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def invitation(email: str) -> ContactInvitation:
    db.session.expire_all()
    return db.session.scalar(
        select(ContactInvitation)
        .join(ContactInvitation.contact)
        .where(DirectorateContact.email == email)
    )


def test_opening_e_mails_each_active_contact_once_in_its_language(runner, contacts):
    add_contact("DREAL-BRE", "ancien.bre@example.org", active=False)
    call("PIX-2023").is_open = False
    db.session.commit()
    result = runner.invoke(args=["calls", "open", "PIX-2023"])
    assert result.exit_code == 0, result.output
    assert "PIX-2023 opened: 3 claim links e-mailed to the contacts of 2 directorates" in (
        result.output
    )
    assert "DREAL-BRE" in result.output  # among those without an active contact
    assert call("PIX-2023").is_open
    sent = {m.recipients: m for m in outbox()}
    assert set(sent) == {"direction.pdl@example.org", "rh.pdl@example.org", "hr.ara@example.org"}
    french, english = sent["rh.pdl@example.org"], sent["hr.ara@example.org"]
    assert "L’appel à déclarations «\u00a0Déploiement PIX 2023\u00a0»" in french.body
    assert "contact de DREAL Pays de la Loire (Ressources humaines)" in french.body
    assert link_in(french).startswith("/fr/reach/claim/")
    assert "The call for declarations “PIX deployment 2023”" in english.body
    assert link_in(english).startswith("/en/reach/claim/")
    assert "30 days" in english.body
    # Each message says what it was for: the call, the directorate, the contact.
    assert english.call_id == call("PIX-2023").id
    assert english.directorate_id == directorate("DREAL-ARA").id
    assert english.contact_id == contacts["ara_hr"].id
    # Opening again writes to nobody twice; a contact added since gets its link.
    add_contact("DREAL-BRE", "rh.bre@example.org")
    again = runner.invoke(args=["calls", "open", "PIX-2023"])
    assert "already open: 1 claim links e-mailed" in again.output
    assert "3 contacts had theirs already" in again.output
    assert [m.recipients for m in outbox()[3:]] == ["rh.bre@example.org"]
    assert db.session.scalar(select(func.count()).select_from(ContactInvitation)) == 4
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "call.opened"))
    assert [e.details["sent"] for e in entries] == [3, 1]


def test_the_button_opens_the_call_for_the_project_team(client, login, contacts, project_team_user):
    call("PIX-2023").is_open = False
    db.session.commit()
    login(project_team_user)
    dashboard = client.get("/en/console/PIX-2023/").get_data(as_text=True)
    assert 'action="/en/console/PIX-2023/reach/open"' in dashboard
    response = client.post("/en/console/PIX-2023/reach/open", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "The call is open: 3 claim links e-mailed; 0 contacts had theirs." in page
    again = client.post("/en/console/PIX-2023/reach/open", follow_redirects=True)
    assert "0 claim links e-mailed; 3 contacts had theirs." in again.get_data(as_text=True)
    assert len(outbox()) == 3
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "call.opened"))
    assert entry.actor_id == project_team_user.id


@pytest.mark.parametrize("persona", ["anonymous", "directorate", "cvrh"])
def test_others_cannot_open_a_call(client, login, personas, contacts, persona):
    if personas[persona]:
        login(personas[persona])
    response = client.post("/en/console/PIX-2023/reach/open")
    assert response.status_code == (302 if persona == "anonymous" else 403)
    assert outbox() == []


def test_a_claim_creates_an_account_of_the_link_s_directorate_and_logs_in(client, opened):
    page = client.get(opened["pdl_hr"]).get_data(as_text=True)
    assert "Un compte pour DREAL-PDL" in page
    assert "rh.pdl@example.org" in page
    response = claim(client, opened["pdl_hr"])
    assert response.status_code == 302
    created = user("rh.pdl@example.org")
    assert created.role is Role.DIRECTORATE
    assert created.directorate.code == "DREAL-PDL"
    assert created.full_name == "Léa Fontaine"
    assert created.language == "fr"
    home = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Léa Fontaine" in home
    assert client.get("/fr/directorates/DREAL-PDL").status_code == 200
    assert client.get("/fr/directorates/DREAL-ARA").status_code == 404
    claimed = invitation("rh.pdl@example.org")
    assert claimed.claimed_by_id == created.id and claimed.claimed_at is not None
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"user.created", "reach.claimed"} <= actions


def test_a_link_works_once(client, opened):
    assert claim(client, opened["pdl_hr"]).status_code == 302
    client.post("/fr/logout")
    again = client.get(opened["pdl_hr"])
    assert again.status_code == 400
    assert "déjà servi" in again.get_data(as_text=True)
    assert claim(client, opened["pdl_hr"], name="Quelqu’un d’autre").status_code == 400
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_a_tampered_link_is_refused(client, opened):
    path = opened["pdl_hr"]
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    response = client.get(tampered)
    assert response.status_code == 400
    assert claim(client, tampered).status_code == 400
    assert user("rh.pdl@example.org") is None


def _payload(path: str) -> dict:
    token = path.rsplit("/", 1)[1]
    return URLSafeTimedSerializer("test-secret-key", salt=CLAIM_SALT).loads(token)


def _signed(payload: dict, lang: str = "en", age: timedelta = timedelta(0)) -> str:
    class Signer(TimestampSigner):
        def get_timestamp(self):
            return int(time.time() - age.total_seconds())

    serializer = URLSafeTimedSerializer("test-secret-key", salt=CLAIM_SALT, signer=Signer)
    token = serializer.dumps(payload)
    return f"/{lang}/reach/claim/{token}"


def test_a_link_never_gives_another_directorate(client, opened, contacts):
    pdl = _payload(opened["pdl_hr"])
    ara = _payload(opened["ara_hr"])
    # Even signed with the portal's key: the PDL nonce said to be for DREAL-ARA, or for the
    # ARA contact, and the ARA invitation with the PDL nonce, are all refused.
    forged = [
        {**pdl, "d": directorate("DREAL-ARA").id},
        {**pdl, "c": contacts["ara_hr"].id, "d": ara["d"]},
        {**ara, "n": pdl["n"]},
    ]
    for payload in forged:
        path = _signed(payload)
        assert client.get(path).status_code == 400
        assert claim(client, path).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    # The genuine link of DREAL-ARA gives DREAL-ARA.
    assert claim(client, opened["ara_hr"]).status_code == 302
    assert user("hr.ara@example.org").directorate.code == "DREAL-ARA"


def test_an_expired_link_is_refused(client, opened, app):
    old = _signed(_payload(opened["pdl_hr"]), lang="fr", age=timedelta(days=31))
    response = client.get(old)
    assert response.status_code == 400
    assert "expiré" in response.get_data(as_text=True)
    invitation("rh.pdl@example.org").expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = claim(client, opened["pdl_hr"])
    assert response.status_code == 400
    assert "expiré" in response.get_data(as_text=True)
    assert user("rh.pdl@example.org") is None


@pytest.mark.app_config(CLAIM_LINK_MAX_AGE=3 * 24 * 3600)
def test_the_validity_is_configurable(client, opened):
    assert "3 jours" in messages_to("rh.pdl@example.org")[0].body
    valid_until = invitation("rh.pdl@example.org").expires_at - utcnow()
    assert timedelta(days=2, hours=23) < valid_until <= timedelta(days=3)
    old = _signed(_payload(opened["pdl_hr"]), lang="fr", age=timedelta(days=4))
    assert client.get(old).status_code == 400


def test_a_deactivated_contact_s_link_is_refused(client, login, opened, contacts, admin_user):
    login(admin_user)
    contact = contacts["pdl_hr"]
    form = {"email": contact.email, "label": contact.label, "language": "fr",
            "version": contact.version}  # fmt: skip
    url = f"/en/directorates/DREAL-PDL/contacts/{contact.id}"
    assert client.post(url, data=form).status_code == 302  # "active" unticked
    client.post("/en/logout")
    response = client.get(opened["pdl_hr"].replace("/fr/", "/en/"))
    assert response.status_code == 400
    assert "no longer a contact of its directorate" in response.get_data(as_text=True)
    assert claim(client, opened["pdl_hr"]).status_code == 400
    assert user("rh.pdl@example.org") is None


def test_a_link_to_an_address_corrected_since_is_refused_and_the_new_one_gets_its_own(
    client, login, runner, opened, contacts, project_team_user
):
    login(project_team_user)
    contact = contacts["pdl_hr"]
    form = {"email": "drh.pdl@example.org", "label": contact.label, "language": "fr",
            "active": "y", "version": contact.version}  # fmt: skip
    url = f"/fr/directorates/DREAL-PDL/contacts/{contact.id}"
    assert client.post(url, data=form).status_code == 302
    listed = client.get("/fr/console/PIX-2023/claims").get_data(as_text=True)
    assert "adresse corrigée depuis (désormais drh.pdl@example.org)" in listed
    client.post("/fr/logout")
    # Whoever reads the old mailbox can no longer make an account, under either address.
    response = client.get(opened["pdl_hr"])
    assert response.status_code == 400
    assert "a été corrigée depuis l’envoi de ce lien" in response.get_data(as_text=True)
    assert claim(client, opened["pdl_hr"]).status_code == 400
    assert user("drh.pdl@example.org") is None and user("rh.pdl@example.org") is None
    # Sending the call's links again writes to the corrected address only.
    before = len(outbox())
    assert runner.invoke(args=["calls", "open", "PIX-2023"]).exit_code == 0
    assert [m.recipients for m in outbox()[before:]] == ["drh.pdl@example.org"]
    fresh = link_in(messages_to("drh.pdl@example.org")[-1])
    assert claim(client, fresh).status_code == 302
    assert user("drh.pdl@example.org").directorate.code == "DREAL-PDL"


def test_a_link_of_a_closed_call_is_refused(client, opened):
    call("PIX-2023").is_open = False
    db.session.commit()
    response = client.get(opened["ara_hr"])
    assert response.status_code == 400
    assert "is closed" in response.get_data(as_text=True)
    assert claim(client, opened["ara_hr"]).status_code == 400
    assert user("hr.ara@example.org") is None


def test_an_address_with_an_account_is_offered_the_login(client, opened):
    make_user("rh.pdl@example.org", Role.DIRECTORATE, directorate="DREAL-PDL")
    page = client.get(opened["pdl_hr"]).get_data(as_text=True)
    assert 'data-testid="has-account"' in page
    assert 'href="/fr/login"' in page
    assert 'name="password"' not in page
    response = claim(client, opened["pdl_hr"])
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert invitation("rh.pdl@example.org").claimed_at is None


def test_the_password_rules_of_invitations_apply(client, opened):
    short = claim(client, opened["pdl_hr"], password="short")
    assert short.status_code == 200
    assert "au moins 12 caractères" in short.get_data(as_text=True)
    nameless = claim(client, opened["pdl_hr"], name="")
    assert "Indiquez votre nom" in nameless.get_data(as_text=True)
    assert user("rh.pdl@example.org") is None
    assert invitation("rh.pdl@example.org").claimed_at is None


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_the_claim_form_needs_its_csrf_token(client, opened):
    assert claim(client, opened["pdl_hr"]).status_code == 400
    assert user("rh.pdl@example.org") is None
    page = client.get(opened["pdl_hr"]).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"full_name": "Léa", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = client.post(opened["pdl_hr"], data={**data, "csrf_token": token})
    assert response.status_code == 302
    assert user("rh.pdl@example.org").directorate.code == "DREAL-PDL"


def test_the_project_team_sees_who_claimed_what(client, login, opened, project_team_user):
    claim(client, opened["pdl_hr"])
    client.post("/fr/logout")
    login(project_team_user)
    page = client.get("/en/console/PIX-2023/claims").get_data(as_text=True)
    rows = dict(re.findall(r'<tr data-contact="([^"]+)">(.*?)</tr>', page, re.S))
    assert set(rows) == {"direction.pdl@example.org", "rh.pdl@example.org", "hr.ara@example.org"}
    assert "Léa Fontaine" in rows["rh.pdl@example.org"]
    assert "DREAL-PDL" in rows["rh.pdl@example.org"]
    assert "Léa Fontaine" not in rows["direction.pdl@example.org"]
    claimed = client.get("/en/console/PIX-2023/claims?claimed=yes").get_data(as_text=True)
    assert re.findall(r'<tr data-contact="([^"]+)">', claimed) == ["rh.pdl@example.org"]
    waiting = client.get("/en/console/PIX-2023/claims?claimed=no").get_data(as_text=True)
    assert "rh.pdl@example.org" not in waiting


def test_a_contact_claims_beside_an_existing_correspondent(client, opened, directorate_user):
    assert claim(client, opened["pdl_direction"]).status_code == 302
    assert user("direction.pdl@example.org").directorate_id == directorate_user.directorate_id
    client.post("/fr/logout")
    login = {"email": directorate_user.email, "password": PASSWORD}
    assert client.post("/fr/login", data=login).status_code == 302
