"""Registrations through the personal link: seats within the capacity, a waiting list served
first come first served, calendar files parsed back, and one person's link never acting on
another person's registration."""

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.directorates.models import portal_today
from app.events.models import Audience, Registration, RegistrationStatus
from app.extensions import db
from tests.conftest import outbox
from tests.events.conftest import (
    add_session,
    declare,
    invitation_of,
    invite,
    make_event,
    personal_url,
)

PEOPLE = [
    ("Anne", "Martin", "anne.martin@example.org"),
    ("Éric", "Lefèvre", "eric.lefevre@example.org"),
    ("Inès", "Moreau", "ines.moreau@example.org"),
]


@pytest.fixture
def invited(client, login, project_team_user, event, call):
    """Three ambassadors invited to the event (two sessions of two seats), the team logged out."""
    declare(call, "DREAL-PDL", ambassadors=PEOPLE)
    sessions = [add_session(event, days=10), add_session(event, days=17)]
    login(project_team_user)
    invite(client, event)
    client.post("/fr/logout")
    people = {first.lower(): invitation_of(event, email) for first, _last, email in PEOPLE}
    return people, sessions


def _register(client, invitation, session):
    return client.post(personal_url(invitation) + "/register", data={"session": session.id})


def _calendar(message, name="webinar.ics"):
    attachment = next(a for a in message.attachments if a.filename == name)
    assert attachment.mimetype == "text/calendar"
    return Calendar.from_ical(attachment.data)


def _event(calendar):
    return next(iter(calendar.walk("VEVENT")))


def _status(invitation):
    return {
        r.session_id: r.status
        for r in db.session.scalars(
            select(Registration).where(Registration.invitation_id == invitation.id)
        )
    }


def test_registering_sends_the_calendar_invitation(client, invited):
    people, (first, _second) = invited
    before = len(outbox())
    response = _register(client, people["anne"], first)
    assert response.status_code == 303
    assert "Vous êtes inscrit" in client.get(response.headers["Location"]).get_data(as_text=True)
    message = outbox()[before]
    assert message.recipients == "anne.martin@example.org" and message.language == "fr"
    calendar = _calendar(message)
    assert str(calendar["METHOD"]) == "REQUEST"
    event = _event(calendar)
    assert event["UID"] == f"webinar-{first.id}-{people['anne'].id}@portal.test"
    assert event["SEQUENCE"] == 0 and str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTART") == first.starts_at
    assert event.decoded("DTEND") == first.ends_at
    assert str(event["ATTENDEE"]) == "mailto:anne.martin@example.org"
    assert str(event["LOCATION"]) == "https://visio.example.org/pix"
    # The same file from the person's page.
    download = client.get(personal_url(people["anne"]) + "/webinar.ics")
    assert download.status_code == 200 and download.mimetype == "text/calendar"
    assert _event(Calendar.from_ical(download.data))["UID"] == event["UID"]


def test_a_full_session_fills_a_waiting_list_served_first_come_first_served(client, invited):
    people, (first, _second) = invited
    first.capacity = 1
    db.session.commit()
    _register(client, people["anne"], first)
    _register(client, people["éric"], first)
    _register(client, people["inès"], first)
    assert _status(people["éric"]) == {first.id: RegistrationStatus.WAITING}
    page = client.get(personal_url(people["inès"])).get_data(as_text=True)
    assert "au rang 2 de la liste d’attente" in page
    waiting_mail = [m for m in outbox() if m.recipients == "ines.moreau@example.org"][-1]
    assert waiting_mail.attachments == [] and "rang 2" in waiting_mail.body

    before = len(outbox())
    response = client.post(personal_url(people["anne"]) + "/cancel")
    assert response.status_code == 303
    db.session.expire_all()
    assert _status(people["anne"]) == {first.id: RegistrationStatus.CANCELLED}
    assert _status(people["éric"]) == {first.id: RegistrationStatus.CONFIRMED}  # first in line
    assert _status(people["inès"]) == {first.id: RegistrationStatus.WAITING}
    mails = {m.recipients: m for m in outbox()[before:]}
    cancelled = _calendar(mails["anne.martin@example.org"], "webinar-cancelled.ics")
    assert str(cancelled["METHOD"]) == "CANCEL"
    assert str(_event(cancelled)["STATUS"]) == "CANCELLED" and _event(cancelled)["SEQUENCE"] == 1
    promoted = mails["eric.lefevre@example.org"]
    assert "Une place s’est libérée" in promoted.body
    assert str(_calendar(promoted)["METHOD"]) == "REQUEST"
    assert _event(_calendar(promoted))["SEQUENCE"] == 1  # it was waiting: one change since


def test_the_uid_stays_and_the_sequence_grows_across_changes(client, invited):
    people, (first, second) = invited
    anne = people["anne"]
    _register(client, anne, first)
    uid = _event(_calendar(outbox()[-1]))["UID"]
    client.post(personal_url(anne) + "/cancel")
    assert _event(_calendar(outbox()[-1], "webinar-cancelled.ics"))["UID"] == uid
    _register(client, anne, first)
    again = _event(_calendar(outbox()[-1]))
    assert again["UID"] == uid and again["SEQUENCE"] == 2

    # A move: one e-mail, the new session's invitation and the old one's cancellation.
    before = len(outbox())
    assert _register(client, anne, second).status_code == 303
    [message] = outbox()[before:]
    assert sorted(a.filename for a in message.attachments) == [
        "webinar-cancelled.ics",
        "webinar.ics",
    ]
    new = _event(_calendar(message))
    old = _event(_calendar(message, "webinar-cancelled.ics"))
    assert new["UID"] == f"webinar-{second.id}-{anne.id}@portal.test" and new["SEQUENCE"] == 0
    assert old["UID"] == uid and old["SEQUENCE"] == 3
    db.session.expire_all()
    assert _status(anne) == {
        first.id: RegistrationStatus.CANCELLED,
        second.id: RegistrationStatus.CONFIRMED,
    }


def test_a_move_to_a_full_session_keeps_the_seat(client, invited):
    people, (first, second) = invited
    second.capacity = 1
    db.session.commit()
    _register(client, people["éric"], second)
    _register(client, people["anne"], first)
    response = _register(client, people["anne"], second)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "pour garder votre place" in page
    assert _status(people["anne"]) == {first.id: RegistrationStatus.CONFIRMED}


def test_closed_sessions_and_sessions_for_others_are_refused(client, invited, event):
    people, (first, _second) = invited
    first.registration_closes_on = portal_today() - timedelta(days=1)
    admins_only = add_session(event, days=20, audience=Audience.ADMINISTRATORS)
    db.session.commit()
    response = _register(client, people["anne"], first)
    assert "Les inscriptions à cette session sont closes" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    response = _register(client, people["anne"], admins_only)
    assert "s’adresse à d’autres participants" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert _status(people["anne"]) == {}
    page = client.get(personal_url(people["anne"])).get_data(as_text=True)
    assert f'data-session="{admins_only.id}"' not in page  # not offered
    assert "Inscriptions closes" in page


def test_a_link_acts_on_its_own_person_only(client, invited):
    people, (first, second) = invited
    _register(client, people["éric"], first)
    _register(client, people["anne"], second)
    erics = db.session.scalar(
        select(Registration).where(Registration.invitation_id == people["éric"].id)
    )
    # Anne's link naming Éric's registration: not found, Éric keeps his seat.
    response = client.post(
        personal_url(people["anne"]) + "/cancel", data={"registration": erics.id}
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert _status(people["éric"]) == {first.id: RegistrationStatus.CONFIRMED}
    assert _status(people["anne"]) == {second.id: RegistrationStatus.CONFIRMED}
    # Nor a session of another event, nor garbage.
    other = add_session(make_event(slug="autre-webinaire"), days=5)
    assert _register(client, people["anne"], other).status_code == 404
    response = client.post(personal_url(people["anne"]) + "/register", data={"session": "1 OR 1=1"})
    assert response.status_code == 404
    # Anne's page names nobody else.
    page = client.get(personal_url(people["anne"])).get_data(as_text=True)
    assert "eric.lefevre" not in page and "Lefèvre" not in page


def test_capacity_holds_under_concurrent_registrations(app, invited, concurrently):
    people, (first, _second) = invited
    first.capacity = 1
    db.session.commit()
    clients = [app.test_client() for _ in people]
    urls = [personal_url(invitation) + "/register" for invitation in people.values()]
    session_id = first.id

    def register(client, url):
        return lambda: client.post(url, data={"session": session_id}).status_code

    results = concurrently(*(register(c, u) for c, u in zip(clients, urls, strict=True)))

    assert results == [303, 303, 303]
    statuses = sorted(
        r.status.value
        for r in db.session.scalars(
            select(Registration).where(Registration.session_id == session_id)
        )
    )
    assert statuses == ["confirmed", "waiting", "waiting"]
