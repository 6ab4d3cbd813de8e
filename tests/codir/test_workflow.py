"""CODIR requests: routing, every transition by every role, messages, e-mails, invitations."""

from datetime import date, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.codir.models import CodirRequest, CodirStatus
from app.extensions import db
from tests.codir.conftest import request_form, schedule_form
from tests.conftest import make_user, outbox


def _status(item) -> CodirStatus:
    db.session.expire_all()
    return db.session.get(CodirRequest, item.id).status


def _ics(message) -> Calendar:
    [attachment] = message.attachments
    assert attachment.filename == "invitation.ics"
    return Calendar.from_ical(attachment.data)


def test_request_goes_to_the_directorate_cvrh(codir_request, cvrh_user):
    assert codir_request.cvrh.code == "CVRH-NANTES"
    assert codir_request.status is CodirStatus.REQUESTED
    [message] = outbox()
    assert message.recipients == cvrh_user.email
    assert "DREAL-PDL" in message.subject


def test_request_needs_future_dates_and_a_format(client, login, directorate_user):
    login(directorate_user)
    past = (date.today() - timedelta(days=1)).isoformat()
    body = client.post("/en/codir/new", data=request_form(option_1=past, format="")).get_data(
        as_text=True
    )
    assert "Choose a date in the future." in body
    assert "Choose the format." in body
    assert db.session.scalar(select(CodirRequest)) is None


def test_cvrh_without_account_gets_the_mailbox(client, login, directorate_user):
    login(directorate_user)
    client.post("/fr/codir/new", data=request_form())
    assert outbox()[0].recipients == "cvrh-nantes@example.org"


def test_schedule_sends_an_invitation_then_reschedule_updates_it(
    client, login, codir_request, cvrh_user, directorate_user
):
    login(cvrh_user)
    response = client.post(f"/en/codir/{codir_request.id}/schedule", data=schedule_form())
    assert response.status_code == 302
    assert _status(codir_request) is CodirStatus.SCHEDULED
    invitation = outbox()[-1]
    assert invitation.recipients == directorate_user.email
    first = _ics(invitation)
    assert first.get("method") == "REQUEST"
    [event] = first.walk("VEVENT")
    assert str(event["uid"]).startswith(f"codir-{codir_request.id}@")
    assert event["location"] == "Salle du conseil, 2e étage"
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=45)

    client.post(f"/en/codir/{codir_request.id}/reschedule", data=schedule_form(days=30))
    [moved] = _ics(outbox()[-1]).walk("VEVENT")
    assert moved["uid"] == event["uid"]
    assert moved["sequence"] > event["sequence"]
    assert moved.decoded("dtstart") - event.decoded("dtstart") == timedelta(days=5)


def test_cancelling_a_scheduled_presentation_cancels_the_event(
    client, login, codir_request, cvrh_user, directorate_user
):
    login(cvrh_user)
    client.post(f"/en/codir/{codir_request.id}/schedule", data=schedule_form())
    [scheduled] = _ics(outbox()[-1]).walk("VEVENT")
    client.post("/en/logout")
    login(directorate_user)
    client.post(f"/en/codir/{codir_request.id}/cancel", data={"reason-reason": "CODIR reporté"})
    assert _status(codir_request) is CodirStatus.CANCELLED
    cancellation = outbox()[-1]
    assert cancellation.recipients == cvrh_user.email
    calendar = _ics(cancellation)
    assert calendar.get("method") == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert event["uid"] == scheduled["uid"]
    assert event["status"] == "CANCELLED"
    assert "CODIR reporté" in cancellation.body


def test_held_after_scheduled(client, login, codir_request, cvrh_user):
    login(cvrh_user)
    client.post(f"/en/codir/{codir_request.id}/schedule", data=schedule_form())
    client.post(f"/en/codir/{codir_request.id}/hold", data={"held-outcome": "15 participants"})
    assert _status(codir_request) is CodirStatus.HELD
    assert db.session.get(CodirRequest, codir_request.id).outcome == "15 participants"


def test_decline_needs_a_reason(client, login, codir_request, cvrh_user, directorate_user):
    login(cvrh_user)
    body = client.post(f"/en/codir/{codir_request.id}/decline", data={"reason-reason": ""})
    assert body.status_code == 400
    assert "Give the reason" in body.get_data(as_text=True)
    assert _status(codir_request) is CodirStatus.REQUESTED
    client.post(
        f"/en/codir/{codir_request.id}/decline", data={"reason-reason": "Pas de disponibilité"}
    )
    assert _status(codir_request) is CodirStatus.DECLINED
    assert outbox()[-1].recipients == directorate_user.email


@pytest.mark.parametrize(
    ("persona", "move", "data"),
    [
        ("directorate", "schedule", schedule_form()),
        ("directorate", "decline", {"reason-reason": "x"}),
        ("cvrh", "cancel", {"reason-reason": "x"}),
        ("cvrh", "hold", {}),  # wrong state: not scheduled yet
        ("other_cvrh", "schedule", schedule_form()),
        ("other_directorate", "cancel", {"reason-reason": "x"}),
        ("project_team", "schedule", schedule_form()),
    ],
)
def test_transitions_refused_to_the_wrong_side_or_state(
    client, login, personas, codir_request, persona, move, data
):
    login(personas[persona])
    response = client.post(f"/en/codir/{codir_request.id}/{move}", data=data)
    assert response.status_code in (302, 403, 404)
    assert _status(codir_request) is CodirStatus.REQUESTED
    if persona in ("other_cvrh", "other_directorate"):
        assert response.status_code == 404


def test_no_transition_after_the_end(client, login, codir_request, cvrh_user):
    login(cvrh_user)
    client.post(f"/en/codir/{codir_request.id}/decline", data={"reason-reason": "Non"})
    response = client.post(
        f"/en/codir/{codir_request.id}/schedule", data=schedule_form(), follow_redirects=True
    )
    assert "This action is not possible on this request now." in response.get_data(as_text=True)
    assert _status(codir_request) is CodirStatus.DECLINED


def test_messages_reach_the_other_side_in_their_language(
    client, login, codir_request, cvrh_user, directorate_user
):
    english = make_user(
        "colleague@example.org", directorate_user.role, directorate="DREAL-PDL", language="en"
    )
    login(cvrh_user)
    client.post(
        f"/fr/codir/{codir_request.id}/messages",
        data={"message-body": "Le 12 à 14 h vous conviendrait-il ?"},
    )
    sent = {m.recipients: m for m in outbox()[-2:]}
    assert set(sent) == {directorate_user.email, english.email}
    assert sent[english.email].subject.startswith("PIX: new message")
    assert "Le 12 à 14 h vous conviendrait-il ?" in sent[english.email].body
    page = client.get(f"/fr/codir/{codir_request.id}").get_data(as_text=True)
    assert "Le 12 à 14 h vous conviendrait-il ?" in page


def test_empty_message_is_refused(client, login, codir_request, directorate_user):
    login(directorate_user)
    response = client.post(f"/en/codir/{codir_request.id}/messages", data={"message-body": " "})
    assert response.status_code == 400
    assert "Write your message." in response.get_data(as_text=True)


def test_reassignment_tells_both_cvrhs(
    client, login, codir_request, project_team_user, cvrh_user, other_cvrh_user, directorate_user
):
    login(project_team_user)
    before = len(outbox())
    client.post(f"/en/codir/{codir_request.id}/reassign", data={"reassign-cvrh": "CVRH-CLERMONT"})
    db.session.expire_all()
    item = db.session.get(CodirRequest, codir_request.id)
    assert item.cvrh.code == "CVRH-CLERMONT"
    told = {m.recipients for m in outbox()[before:]}
    assert told == {cvrh_user.email, other_cvrh_user.email, directorate_user.email}
    assert item.events[-1].details["cvrh"] == ["CVRH-NANTES", "CVRH-CLERMONT"]
    client.post("/en/logout")
    login(cvrh_user)
    assert client.get(f"/en/codir/{codir_request.id}").status_code == 404


def test_ics_download(client, login, codir_request, cvrh_user, directorate_user):
    login(cvrh_user)
    assert client.get(f"/en/codir/{codir_request.id}/invitation.ics").status_code == 404
    client.post(f"/en/codir/{codir_request.id}/schedule", data=schedule_form())
    response = client.get(f"/en/codir/{codir_request.id}/invitation.ics")
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    [event] = Calendar.from_ical(response.data).walk("VEVENT")
    assert event["summary"].startswith("PIX presentation to the management committee")


def test_history_shows_every_step(client, login, codir_request, cvrh_user):
    login(cvrh_user)
    client.post(f"/en/codir/{codir_request.id}/messages", data={"message-body": "Bien reçu"})
    client.post(f"/en/codir/{codir_request.id}/schedule", data=schedule_form())
    page = client.get(f"/en/codir/{codir_request.id}").get_data(as_text=True)
    for text in ("Request sent", "Bien reçu", "Presentation scheduled"):
        assert text in page
    assert (
        page.index("Request sent") < page.index("Bien reçu") < page.index("Presentation scheduled")
    )
