"""Invitations from the declarations: each person once, in their language, never twice; a person
removed from a declaration loses their invitation; tampered and expired links."""

import time

from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from app.auth.models import Role
from app.declarations.models import Ambassador, DeclarationStatus
from app.events import links
from app.events.models import Audience, Invitation, Registration, RegistrationStatus
from app.extensions import db
from tests.conftest import make_user, outbox
from tests.events.conftest import (
    add_session,
    declare,
    invitation_of,
    invite,
    personal_url,
)

ANNE = ("Anne", "Martin", "anne.martin@example.org")
ERIC = ("Éric", "Lefèvre", "eric.lefevre@example.org")
HELENE = ("Hélène", "Dupont", "helene.dupont@example.org")
LOUIS = ("Louis", "Bertin", "louis.bertin@example.org")


def _mails_to(email):
    return [m for m in outbox() if m.recipients == email]


def test_each_person_named_is_invited_once_in_their_language(
    client, login, project_team_user, event, call
):
    declare(call, "DREAL-PDL", ambassadors=[ANNE, ERIC], administrators=[HELENE])
    # The same person named by a second directorate, her address in capitals.
    declare(
        call,
        "DREAL-ARA",
        DeclarationStatus.ACCEPTED,
        ambassadors=[("Anne", "Martin", "Anne.MARTIN@Example.org ")],
    )
    declare(call, "DGEC", administrators=[LOUIS])
    # Not submitted, or sent back: nobody of theirs is invited.
    declare(call, "DIR-O", DeclarationStatus.DRAFT, ambassadors=[("Zoé", "Roy", "zoe@example.org")])
    make_user(
        "eric.lefevre@example.org", Role.PIXORGA_ADMIN, directorate="DREAL-PDL", language="en"
    )
    make_user("correspondent.dgec@example.org", Role.DIRECTORATE, directorate="DGEC", language="en")
    add_session(event, audience=Audience.AMBASSADORS)
    login(project_team_user)
    before = len(outbox())

    response = invite(client, event)

    assert response.status_code == 302
    sent = outbox()[before:]
    assert sorted(m.recipients for m in sent) == [
        "anne.martin@example.org",
        "eric.lefevre@example.org",
    ]
    anne = invitation_of(event, "anne.martin@example.org")
    assert anne.ambassador and not anne.administrator and anne.language == "fr"
    assert _mails_to("anne.martin@example.org")[0].subject.startswith("PIX\u00a0: invitation")
    eric_mail = _mails_to("eric.lefevre@example.org")[0]
    assert eric_mail.language == "en" and "personal link" in eric_mail.body
    token = eric_mail.body.split("/events/invitation/", 1)[1].split()[0]
    assert links.open_link(token).invitation.email == "eric.lefevre@example.org"
    assert invitation_of(event, "zoe@example.org") is None
    assert invitation_of(event, "helene.dupont@example.org") is None  # no session for her role

    # Again: nobody is written to twice.
    page = client.post(
        f"/fr/events/{event.id}/invite", data={"call": "PIX-2023"}, follow_redirects=True
    ).get_data(as_text=True)
    assert len(outbox()) == before + 2
    assert "0 personne invitée – 2 déjà invitées" in page

    # A session for the administrators: only they are invited now, each in their language
    # (Louis has no account: his directorate's correspondents write in English).
    add_session(event, days=12, audience=Audience.ADMINISTRATORS)
    invite(client, event)
    sent = outbox()[before + 2 :]
    assert sorted(m.recipients for m in sent) == [
        "helene.dupont@example.org",
        "louis.bertin@example.org",
    ]
    assert _mails_to("louis.bertin@example.org")[0].language == "en"
    assert _mails_to("helene.dupont@example.org")[0].language == "fr"
    assert db.session.scalar(select(db.func.count(Invitation.id))) == 4


def test_a_chosen_directorate_invites_its_people_only(
    client, login, project_team_user, event, call
):
    declare(call, "DREAL-PDL", ambassadors=[ANNE])
    declare(call, "DREAL-ARA", ambassadors=[ERIC])
    add_session(event)
    login(project_team_user)
    invite(client, event, directorate="DREAL-ARA")
    assert [m.recipients for m in outbox()] == ["eric.lefevre@example.org"]
    invite(client, event)
    assert [m.recipients for m in outbox()] == [
        "eric.lefevre@example.org",
        "anne.martin@example.org",
    ]


def test_inviting_without_a_session_says_to_add_one(client, login, project_team_user, event, call):
    declare(call, "DREAL-PDL", ambassadors=[ANNE])
    login(project_team_user)
    assert invite(client, event).status_code == 302
    page = client.get(f"/fr/events/{event.id}/").get_data(as_text=True)
    assert "Ajoutez d’abord une session" in page
    assert outbox() == []


def test_a_person_removed_from_the_declaration_loses_the_invitation(
    client, app, login, project_team_user, event, call
):
    declaration = declare(call, "DREAL-PDL", ambassadors=[ANNE, ERIC])
    session = add_session(event, capacity=1)
    login(project_team_user)
    invite(client, event)
    anne, eric = invitation_of(event, ANNE[2]), invitation_of(event, ERIC[2])
    person = app.test_client()
    assert (
        person.post(personal_url(anne) + "/register", data={"session": session.id}).status_code
        == 303
    )
    assert (
        person.post(personal_url(eric) + "/register", data={"session": session.id}).status_code
        == 303
    )
    assert db.session.get(Registration, 1).status is RegistrationStatus.CONFIRMED
    anne_url = personal_url(anne)

    # The directorate removes Anne from its declaration.
    db.session.delete(db.session.scalar(select(Ambassador).where(Ambassador.email == ANNE[2])))
    db.session.commit()
    page = person.get(anne_url)
    assert page.status_code == 410
    assert "Vous n’êtes plus invité(e)" in page.get_data(as_text=True)
    assert person.post(anne_url + "/register", data={"session": session.id}).status_code == 410
    assert person.post(anne_url + "/cancel").status_code == 410

    # The next invitation run withdraws it: her seat goes to Éric, who was waiting.
    before = len(outbox())
    response = invite(client, event)
    assert response.status_code == 302
    db.session.expire_all()
    anne = invitation_of(event, ANNE[2])
    assert anne.withdrawn_at is not None
    statuses = {r.invitation.email: r.status for r in db.session.scalars(select(Registration))}
    assert statuses == {
        ANNE[2]: RegistrationStatus.CANCELLED,
        ERIC[2]: RegistrationStatus.CONFIRMED,
    }
    mails = {m.recipients: m for m in outbox()[before:]}
    assert set(mails) == {ANNE[2], ERIC[2]}
    assert [a.filename for a in mails[ANNE[2]].attachments] == ["webinar-cancelled.ics"]
    assert b"METHOD:CANCEL" in mails[ANNE[2]].attachments[0].data
    assert [a.filename for a in mails[ERIC[2]].attachments] == ["webinar.ics"]

    # Named again, she is invited again (a new e-mail), and her link works again.
    declaration.ambassadors.append(
        Ambassador(position=3, first_name="Anne", last_name="Martin", email=ANNE[2])
    )
    db.session.commit()
    before = len(outbox())
    invite(client, event)
    assert [m.recipients for m in outbox()[before:]] == [ANNE[2]]
    assert person.get(personal_url(invitation_of(event, ANNE[2]))).status_code == 200


def _anne_invited(client, login, project_team_user, event, call) -> Invitation:
    """Name Anne in DREAL-PDL's declaration, add a session, invite as the project team (still
    logged in); return her invitation."""
    declare(call, "DREAL-PDL", ambassadors=[ANNE])
    add_session(event)
    login(project_team_user)
    invite(client, event)
    return invitation_of(event, ANNE[2])


def _token_of_another_kind(invitation) -> str:
    serializer = URLSafeTimedSerializer("test-secret-key", salt="password-reset")
    return serializer.dumps({"i": invitation.id, "e": invitation.email})


def test_tampered_expired_and_foreign_links(
    client, login, project_team_user, event, call, monkeypatch
):
    anne = _anne_invited(client, login, project_team_user, event, call)
    client.post("/fr/logout")
    token = links.token_for(anne)
    assert client.get(f"/fr/events/invitation/{token}").status_code == 200

    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert client.get(f"/fr/events/invitation/{tampered}").status_code == 404
    assert (
        client.post(f"/fr/events/invitation/{tampered}/register", data={"session": 1}).status_code
        == 404
    )
    assert client.get(f"/fr/events/invitation/{_token_of_another_kind(anne)}").status_code == 404
    forged = URLSafeTimedSerializer("another-key", salt=links.SALT).dumps(
        {"i": anne.id, "e": anne.email}
    )
    assert client.get(f"/fr/events/invitation/{forged}").status_code == 404
    assert client.get("/fr/events/invitation/nonsense").status_code == 404

    # A link older than EVENT_LINK_MAX_AGE_DAYS has expired: it offers a new one, by e-mail,
    # to the invitation's own address only, and not again a minute later.
    old = int(time.time()) - 91 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: old)
        expired = links.token_for(anne)
    page = client.get(f"/fr/events/invitation/{expired}")
    assert page.status_code == 410 and "a expiré" in page.get_data(as_text=True)
    assert (
        client.post(f"/fr/events/invitation/{expired}/register", data={"session": 1}).status_code
        == 410
    )
    anne.last_sent_at = anne.last_sent_at.replace(year=2020)
    db.session.commit()
    before = len(outbox())
    page = client.post(f"/fr/events/invitation/{expired}/renew")
    assert page.status_code == 200
    assert [m.recipients for m in outbox()[before:]] == [ANNE[2]]
    fresh = outbox()[-1].body.split("/events/invitation/", 1)[1].split()[0]
    assert links.open_link(fresh).state is links.LinkState.VALID
    client.post(f"/fr/events/invitation/{expired}/renew")
    assert len(outbox()) == before + 1


def test_two_requests_for_a_new_link_at_once_send_one(
    app, client, login, project_team_user, event, call, concurrently, monkeypatch
):
    anne = _anne_invited(client, login, project_team_user, event, call)
    old = int(time.time()) - 91 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: old)
        expired = links.token_for(anne)
    anne.last_sent_at = anne.last_sent_at.replace(year=2020)
    db.session.commit()
    before = len(outbox())
    clients = [app.test_client() for _ in range(3)]

    def renew(each):
        return lambda: each.post(f"/fr/events/invitation/{expired}/renew").status_code

    assert concurrently(*(renew(each) for each in clients)) == [200, 200, 200]
    assert [m.recipients for m in outbox()[before:]] == [ANNE[2]]


def test_sending_again_replaces_the_earlier_links(client, login, project_team_user, event, call):
    anne = _anne_invited(client, login, project_team_user, event, call)
    first = outbox()[-1].body.split("/events/invitation/", 1)[1].split()[0]
    # A link made before generations were counted (no "g") is of the first generation.
    unnumbered = URLSafeTimedSerializer("test-secret-key", salt=links.SALT).dumps(
        {"i": anne.id, "e": anne.email}
    )
    assert client.get(f"/fr/events/invitation/{unnumbered}").status_code == 200

    response = client.post(f"/fr/events/invitations/{anne.id}/send-again")
    assert response.status_code in (302, 303)
    assert outbox()[-1].recipients == ANNE[2]
    second = outbox()[-1].body.split("/events/invitation/", 1)[1].split()[0]
    client.post("/fr/logout")
    for old in (first, unnumbered):
        page = client.get(f"/fr/events/invitation/{old}")
        assert page.status_code == 410
        assert "Ce lien a été remplacé" in page.get_data(as_text=True)
        assert (
            client.post(f"/fr/events/invitation/{old}/register", data={"session": 1}).status_code
            == 410
        )
    assert client.get(f"/fr/events/invitation/{second}").status_code == 200
    # A new link asked from a replaced one minutes after the sending: the latest e-mail has it.
    before = len(outbox())
    page = client.post(f"/fr/events/invitation/{first}/renew").get_data(as_text=True)
    assert 'data-problem="not_renewed"' in page and len(outbox()) == before


def test_a_link_shows_no_address_and_the_links_naming_one_still_work(
    client, login, project_team_user, event, call
):
    anne = _anne_invited(client, login, project_team_user, event, call)
    client.post("/fr/logout")
    token = links.token_for(anne)
    # A signed token is readable by anyone who sees it: it names the invitation only.
    payload = token.rsplit(".", 2)[0].encode()
    readable = URLSafeTimedSerializer("x", salt=links.SALT).load_payload(payload)
    assert readable == {"i": anne.id, "g": anne.link_generation}
    assert ANNE[2] not in str(readable)
    assert client.get(f"/fr/events/invitation/{token}").status_code == 200
    # The links sent before named the address: they still open, for that address only.
    signer = URLSafeTimedSerializer("test-secret-key", salt=links.SALT)
    earlier = {"i": anne.id, "e": anne.email, "g": anne.link_generation}
    assert client.get(f"/fr/events/invitation/{signer.dumps(earlier)}").status_code == 200
    other = {**earlier, "e": "someone.else@example.org"}
    assert client.get(f"/fr/events/invitation/{signer.dumps(other)}").status_code == 404
    assert (
        client.get(f"/fr/events/invitation/{signer.dumps({**earlier, 'e': 7})}").status_code == 404
    )
