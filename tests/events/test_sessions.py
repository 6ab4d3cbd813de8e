"""The project team's sessions: entered in Paris time, shown as people read times, changed with
optimistic locking; a change of time reaches the people registered."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.audit import AuditEntry
from app.directorates.models import portal_today
from app.events.models import Audience, EventSession, Registration, RegistrationStatus
from app.extensions import db
from tests.conftest import log_in, outbox
from tests.events.conftest import add_session, declare, invitation_of, invite, personal_url

ANNE = ("Anne", "Martin", "anne.martin@example.org")
ERIC = ("Éric", "Lefèvre", "eric.lefevre@example.org")


def _form(**values):
    day = (portal_today() + timedelta(days=20)).isoformat()
    data = {
        "day": day, "starts": "14:00", "ends": "16:00", "audience": "ambassadors",
        "capacity": "30", "link": "https://visio.example.org/salle", "place": "",
        "registration_closes_on": "", "version": "",
    }  # fmt: skip
    data.update(values)
    return data


def test_a_session_is_entered_in_paris_time_and_read_as_people_write_it(
    client, login, project_team_user, event
):
    login(project_team_user)
    assert client.get(f"/fr/events/{event.id}/sessions/new").status_code == 200
    response = client.post(
        f"/fr/events/{event.id}/sessions/new", data=_form(day="2023-05-16", capacity="2 000")
    )
    assert response.status_code == 302
    session = db.session.scalar(select(EventSession))
    # 14:00 in Paris in May is 12:00 UTC (summer time).
    assert session.starts_at == datetime(2023, 5, 16, 12, 0, tzinfo=UTC)
    assert session.ends_at == datetime(2023, 5, 16, 14, 0, tzinfo=UTC)
    assert session.capacity == 2000 and session.audience is Audience.AMBASSADORS
    french = client.get("/fr/content/webinaire-ambassadeurs").get_data(as_text=True)
    assert "16 mai 2023, 14\u00a0h – 16\u00a0h" in french
    english = client.get("/en/content/webinaire-ambassadeurs-en").get_data(as_text=True)
    assert "16 May 2023, 2:00 – 4:00\u00a0pm" in english
    assert "Session passée" in french
    client.post(
        f"/fr/events/sessions/{session.id}/edit",
        data=_form(capacity="2 000", version=session.version),
    )
    assert "2\u202f000 places restantes" in client.get(
        "/fr/content/webinaire-ambassadeurs"
    ).get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends": "13:00"}, "ends", "se termine après son début"),
        ({"link": "", "place": ""}, "link", "le lien de la visioconférence ou le lieu"),
        ({"link": "javascript:alert(1)"}, "link", "commençant par https://"),
        # An unclosed IPv6 address made urlsplit raise: once a server error.
        ({"link": "http://[::1"}, "link", "commençant par https://"),
        ({"capacity": "0"}, "capacity", "Entre 1 et 5"),
        (
            {"registration_closes_on": "2099-01-01"},
            "registration_closes_on",
            "au plus tard le jour",
        ),
        ({"audience": "everybody"}, "audience", ""),
    ],
)
def test_the_session_form_refuses_what_cannot_be(
    client, login, project_team_user, event, change, field, message
):
    login(project_team_user)
    response = client.post(f"/fr/events/{event.id}/sessions/new", data=_form(**change))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'href="#{field}"' in page and message in page
    assert db.session.scalar(select(EventSession)) is None


# 1 January of the year 1 at 00:00 in Paris is before the first instant UTC can hold, and a
# registration closing on 31 December 9999 ends after the last: both once ended in a 500.
@pytest.mark.parametrize(
    "change",
    [
        {"day": "0001-01-01", "starts": "00:00", "ends": "00:30"},
        {"day": "9999-12-31", "registration_closes_on": "9999-12-31"},
        {"registration_closes_on": "0001-01-01"},
    ],
)
def test_a_session_date_out_of_the_calendar(client, login, project_team_user, event, change):
    login(project_team_user)
    response = client.post(f"/en/events/{event.id}/sessions/new", data=_form(**change))
    assert response.status_code == 200
    assert "Enter a date from 2000 to 2099." in response.get_data(as_text=True)
    assert db.session.scalar(select(EventSession)) is None
    session = add_session(event)
    change["version"] = session.version
    response = client.post(f"/fr/events/sessions/{session.id}/edit", data=_form(**change))
    assert "Saisissez une date de 2000 à 2099." in response.get_data(as_text=True)
    db.session.refresh(session)
    assert session.version == change["version"]


def test_a_change_of_time_reaches_the_people_registered(
    client, app, login, project_team_user, event, call
):
    declare(call, "DREAL-PDL", ambassadors=[ANNE, ERIC])
    session = add_session(event, capacity=1)
    login(project_team_user)
    invite(client, event)
    person = app.test_client()
    anne, eric = invitation_of(event, ANNE[2]), invitation_of(event, ERIC[2])
    person.post(personal_url(anne) + "/register", data={"session": session.id})
    person.post(personal_url(eric) + "/register", data={"session": session.id})
    version = session.version
    local_day = (portal_today() + timedelta(days=10)).isoformat()
    before = len(outbox())

    # Later by an hour, and one more seat: Anne gets the new time, Éric the seat.
    response = client.post(
        f"/fr/events/sessions/{session.id}/edit",
        data=_form(
            day=local_day,
            starts="15:00",
            ends="17:00",
            capacity="2",
            version=version,
            link="https://visio.example.org/pix",
        ),
    )
    assert response.status_code == 302
    mails = {m.recipients: m for m in outbox()[before:]}
    assert set(mails) == {ANNE[2], ERIC[2]}
    assert mails[ANNE[2]].subject.startswith("PIX\u00a0: nouvel horaire ou nouveau lieu")
    event_file = Calendar.from_ical(mails[ANNE[2]].attachments[0].data).walk("VEVENT")[0]
    assert event_file["SEQUENCE"] == 1
    assert event_file["UID"] == f"webinar-{session.id}-{anne.id}@portal.test"
    assert (
        event_file.decoded("DTSTART").astimezone(UTC).hour == session.starts_at.astimezone(UTC).hour
    )
    assert "15\u00a0h – 17\u00a0h" in mails[ANNE[2]].body
    assert "Une place s’est libérée" in mails[ERIC[2]].body

    # A page opened before that change saves nothing (409), the input kept.
    stale = client.post(
        f"/fr/events/sessions/{session.id}/edit",
        data=_form(day=local_day, capacity="40", version=version),
    )
    assert stale.status_code == 409
    assert 'data-testid="conflict"' in stale.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(EventSession, session.id).capacity == 2

    # Fewer seats than the people registered: refused on the field.
    current = db.session.get(EventSession, session.id)
    refused = client.post(
        f"/fr/events/sessions/{session.id}/edit",
        data=_form(
            day=local_day,
            starts="15:00",
            ends="17:00",
            capacity="1",
            version=current.version,
            link="https://visio.example.org/pix",
        ),
    )
    assert refused.status_code == 200 and "2 personne(s) ont une place" in refused.get_data(
        as_text=True
    )
    statuses = db.session.scalars(select(Registration.status)).all()
    assert statuses == [RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED]


def test_the_management_pages_show_the_sessions_and_people(
    client, app, login, project_team_user, event, call
):
    declare(call, "DREAL-PDL", ambassadors=[ANNE, ERIC])
    session = add_session(event, capacity=1)
    login(project_team_user)
    invite(client, event)
    person = app.test_client()
    person.post(
        personal_url(invitation_of(event, ANNE[2])) + "/register", data={"session": session.id}
    )
    person.post(
        personal_url(invitation_of(event, ERIC[2])) + "/register", data={"session": session.id}
    )
    listing = client.get("/fr/events/").get_data(as_text=True)
    assert f'data-event="{event.id}"' in listing
    manage = client.get(f"/fr/events/{event.id}/").get_data(as_text=True)
    assert "data-taken>1 / 2" not in manage and "1 / 1" in manage
    assert f'data-invitation="{ANNE[2]}"' in manage and "Inscrite" in manage
    detail = client.get(f"/fr/events/sessions/{session.id}/").get_data(as_text=True)
    assert f'data-seated="{ANNE[2]}"' in detail and f'data-waiting="{ERIC[2]}"' in detail
    assert "La présence s’enregistre une fois la session commencée" in detail


def test_a_session_to_come_is_deleted_and_its_people_told(
    client, app, login, project_team_user, event, call
):
    declare(call, "DREAL-PDL", ambassadors=[ANNE, ERIC])
    session = add_session(event, capacity=1)
    other = add_session(event, days=20)
    login(project_team_user)
    invite(client, event)
    person = app.test_client()
    anne, eric = invitation_of(event, ANNE[2]), invitation_of(event, ERIC[2])
    person.post(personal_url(anne) + "/register", data={"session": session.id})
    person.post(personal_url(eric) + "/register", data={"session": session.id})  # waits
    url = f"/fr/events/sessions/{session.id}/delete"
    page = client.get(f"/fr/events/sessions/{session.id}/").get_data(as_text=True)
    assert f'action="{url}"' in page
    before = len(outbox())

    # Without the confirmation: refused on the field, nothing deleted, nobody told.
    refused = client.post(url, data={"version": session.version})
    assert refused.status_code == 400
    assert "Cochez la case pour confirmer la suppression." in refused.get_data(as_text=True)
    assert db.session.get(EventSession, session.id) is not None and len(outbox()) == before
    # A page opened before a change of the session: 409, nothing deleted.
    stale = client.post(url, data={"version": session.version - 1, "confirm": "y"})
    assert stale.status_code == 409 and len(outbox()) == before

    response = client.post(url, data={"version": session.version, "confirm": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/fr/events/{event.id}/")
    mails = {m.recipients: m for m in outbox()[before:]}
    assert set(mails) == {ANNE[2], ERIC[2]}
    assert mails[ANNE[2]].subject.startswith("PIX\u00a0: session annulée")
    assert "n’aura pas lieu" in mails[ANNE[2]].body
    [cancellation] = mails[ANNE[2]].attachments
    calendar = Calendar.from_ical(cancellation.data)
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["UID"] == f"webinar-{session.id}-{anne.id}@portal.test"
    assert mails[ERIC[2]].attachments == []  # waiting: no seat in a calendar
    db.session.expire_all()
    assert db.session.get(EventSession, session.id) is None
    assert db.session.scalars(select(Registration)).all() == []
    action = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "events.session_deleted")
    )
    assert sorted(action.details["told"]) == sorted([ANNE[2], ERIC[2]])
    # Anne's link still works and offers the session left.
    own = person.get(personal_url(anne)).get_data(as_text=True)
    assert f'value="{other.id}"' in own


def test_a_session_that_has_started_cannot_be_deleted(client, login, project_team_user, event):
    session = add_session(event, days=0, hour=0)
    login(project_team_user)
    response = client.post(
        f"/fr/events/sessions/{session.id}/delete",
        data={"version": session.version, "confirm": "y"},
        follow_redirects=True,
    )
    assert "ne peut pas être supprimée" in response.get_data(as_text=True)
    assert 'id="delete"' not in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(EventSession, session.id) is not None


def test_two_deletions_at_the_same_instant_delete_once(
    client, app, login, project_team_user, event, call, concurrently
):
    declare(call, "DREAL-PDL", ambassadors=[ANNE])
    session = add_session(event, capacity=1)
    login(project_team_user)
    invite(client, event)
    anne = invitation_of(event, ANNE[2])
    app.test_client().post(personal_url(anne) + "/register", data={"session": session.id})
    staff = [app.test_client() for _ in range(2)]
    for each in staff:
        assert log_in(each, project_team_user).status_code == 302
    session_id, version = session.id, session.version
    before = len(outbox())

    def delete(each):
        data = {"version": version, "confirm": "y"}
        return lambda: each.post(f"/fr/events/sessions/{session_id}/delete", data=data)

    results = concurrently(*(delete(each) for each in staff))
    assert sorted(r.status_code for r in results) == [302, 303]
    db.session.expire_all()
    assert db.session.get(EventSession, session_id) is None
    cancelled = [m for m in outbox()[before:] if "n’aura pas lieu" in m.body]
    assert [m.recipients for m in cancelled] == [ANNE[2]]  # told once
    # The one who came second is told so on the page they are sent to.
    [late] = [i for i, r in enumerate(results) if r.status_code == 303]
    page = staff[late].get(results[late].headers["Location"]).get_data(as_text=True)
    assert "Quelqu’un d’autre a supprimé cette session" in page


def test_an_edit_and_a_deletion_at_the_same_instant_never_fail(
    app, login, project_team_user, event, concurrently
):
    session = add_session(event, capacity=1)
    staff = [app.test_client() for _ in range(2)]
    for each in staff:
        assert log_in(each, project_team_user).status_code == 302
    session_id, version = session.id, session.version
    url = f"/fr/events/sessions/{session_id}"
    day = (portal_today() + timedelta(days=12)).isoformat()
    data = _form(day=day, capacity="3", version=version, link="https://visio.example.org/pix")

    deleted, edited = concurrently(
        lambda: staff[0].post(url + "/delete", data={"version": version, "confirm": "y"}),
        lambda: staff[1].post(url + "/edit", data=data),
    )
    db.session.expire_all()
    kept = db.session.get(EventSession, session_id)
    if kept is None:  # the deletion came first: the edit is told the session is gone
        assert (deleted.status_code, edited.status_code) == (302, 303)
    else:  # the edit came first: the deletion, on a page now stale, is a conflict
        assert (deleted.status_code, edited.status_code) == (409, 302)
        assert kept.capacity == 3
