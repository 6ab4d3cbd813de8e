"""Two people acting on the same CODIR request at the same instant: one wins, one is told."""

import re

import pytest
from sqlalchemy import select

from app.codir.models import CodirEvent, CodirMessage, CodirRequest, CodirStatus
from app.extensions import db
from tests.codir.conftest import schedule_form
from tests.conftest import PASSWORD, log_in, make_user, outbox


@pytest.fixture
def two_cvrh_clients(app, codir_request, cvrh_user):
    """Two logged-in staff members of the request's CVRH."""
    make_user("hugo.bernard@example.org", cvrh_user.role, cvrh="CVRH-NANTES")
    first, second = app.test_client(), app.test_client()
    log_in(first, cvrh_user)
    log_in(second, "hugo.bernard@example.org", PASSWORD)
    return first, second


def _post(client, url, data):
    def send():
        response = client.post(url, data=data)
        return response.status_code, response.get_data(as_text=True)

    return send


def _events(request_id) -> list[str]:
    query = select(CodirEvent.action).where(CodirEvent.request_id == request_id)
    return list(db.session.scalars(query.order_by(CodirEvent.id)))


def test_two_cvrh_users_scheduling_at_once_schedule_once(
    two_cvrh_clients, codir_request, concurrently
):
    first, second = two_cvrh_clients
    version = codir_request.version
    url = f"/en/codir/{codir_request.id}/schedule"
    mails_before = len(outbox())

    results = concurrently(
        _post(first, url, schedule_form(**{"schedule-version": version})),
        _post(second, url, schedule_form(
            days=30, **{"schedule-version": version, "schedule-place": "Visio"}
        )),
    )  # fmt: skip

    assert sorted(status for status, _ in results) == [302, 409]
    loser = next(page for status, page in results if status == 409)
    assert "Someone else changed this request meanwhile" in loser
    assert _events(codir_request.id) == ["requested", "schedule"]
    request = db.session.get(CodirRequest, codir_request.id)
    assert request.status is CodirStatus.SCHEDULED and request.sequence == 1
    invitations = [m for m in outbox()[mails_before:] if m.attachments]
    assert len(invitations) == 1  # one invitation, one date, one room


def test_scheduling_while_the_directorate_cancels_makes_one_allowed_move(
    app, two_cvrh_clients, codir_request, directorate_user, concurrently
):
    cvrh_client, _ = two_cvrh_clients
    directorate_client = app.test_client()
    log_in(directorate_client, directorate_user)
    version = codir_request.version

    results = concurrently(
        _post(
            cvrh_client,
            f"/en/codir/{codir_request.id}/schedule",
            schedule_form(**{"schedule-version": version}),
        ),
        _post(
            directorate_client,
            f"/en/codir/{codir_request.id}/cancel",
            {"reason-reason": "CODIR reporté", "reason-version": version},
        ),
    )

    assert sorted(status for status, _ in results) == [302, 409]
    events = _events(codir_request.id)
    request = db.session.get(CodirRequest, codir_request.id)
    assert events in (["requested", "schedule"], ["requested", "cancel"])
    expected = CodirStatus.SCHEDULED if events[-1] == "schedule" else CodirStatus.CANCELLED
    assert request.status is expected


def test_a_stale_page_cannot_reschedule_over_a_newer_date(two_cvrh_clients, codir_request):
    first, second = two_cvrh_clients
    url = f"/en/codir/{codir_request.id}"
    first.post(f"{url}/schedule", data=schedule_form(**{"schedule-version": 1}))
    seen_by_second = 2  # the second person opens the page of the scheduled request
    first.post(f"{url}/reschedule", data=schedule_form(days=40, **{"schedule-version": 2}))

    response = second.post(
        f"{url}/reschedule",
        data=schedule_form(
            days=50, **{"schedule-version": seen_by_second, "schedule-speaker": "Hugo Bernard"}
        ),
    )

    assert response.status_code == 409
    assert "Hugo Bernard" in response.get_data(as_text=True)  # the input is kept
    assert _events(codir_request.id) == ["requested", "schedule", "reschedule"]
    db.session.rollback()
    assert db.session.get(CodirRequest, codir_request.id).version == 3


def test_messages_written_at_once_are_both_kept(
    app, two_cvrh_clients, codir_request, directorate_user, concurrently
):
    cvrh_client, _ = two_cvrh_clients
    directorate_client = app.test_client()
    log_in(directorate_client, directorate_user)
    url = f"/en/codir/{codir_request.id}/messages"
    version_before = codir_request.version

    results = concurrently(
        _post(cvrh_client, url, {"message-body": "From the CVRH"}),
        _post(directorate_client, url, {"message-body": "From the directorate"}),
    )

    assert [status for status, _ in results] == [302, 302]
    bodies = set(db.session.scalars(select(CodirMessage.body)))
    assert bodies == {"From the CVRH", "From the directorate"}
    assert db.session.get(CodirRequest, codir_request.id).version == version_before


def test_a_message_sent_while_the_request_is_declined_is_never_half_kept(
    app, two_cvrh_clients, codir_request, directorate_user, concurrently
):
    cvrh_client, _ = two_cvrh_clients
    directorate_client = app.test_client()
    log_in(directorate_client, directorate_user)
    mails_before = len(outbox())

    (declined, _), (messaged, page) = concurrently(
        _post(
            cvrh_client,
            f"/en/codir/{codir_request.id}/decline",
            {"reason-reason": "Pas de date possible"},
        ),
        _post(
            directorate_client,
            f"/en/codir/{codir_request.id}/messages",
            {"message-body": "Et en juin ?"},
        ),
    )

    assert declined == 302
    assert messaged in (302, 403, 409)
    messages = list(db.session.scalars(select(CodirMessage.body)))
    assert messages == (["Et en juin ?"] if messaged == 302 else [])
    if messaged == 409:
        assert "Et en juin ?" in page  # refused with the text kept
    mails = outbox()[mails_before:]
    # The decline to the directorate's user; the message to each of the CVRH's two users.
    assert len(mails) == 1 + (2 if messaged == 302 else 0)


def _form_key(client, request_id) -> str:
    """Return the key of the message form of the request's page, as a browser sends it."""
    page = client.get(f"/en/codir/{request_id}").get_data(as_text=True)
    found = re.search(r'id="message-once" name="message-once" type="hidden" value="([^"]+)"', page)
    return found.group(1)


def _bodies(request_id) -> list[str]:
    db.session.rollback()
    query = select(CodirMessage.body).where(CodirMessage.request_id == request_id)
    return list(db.session.scalars(query.order_by(CodirMessage.id)))


def test_one_message_form_sent_twice_posts_one_message(
    app, codir_request, directorate_user, cvrh_user
):
    client = app.test_client()
    log_in(client, directorate_user)
    url = f"/en/codir/{codir_request.id}/messages"
    key = _form_key(client, codir_request.id)
    assert key != _form_key(client, codir_request.id)  # each page shows a form of its own
    mails_before = len(outbox())
    for _ in range(2):
        response = client.post(url, data={"message-body": "Double clic", "message-once": key})
        assert response.status_code == 302
    assert _bodies(codir_request.id) == ["Double clic"]
    assert [mail.recipients for mail in outbox()[mails_before:]] == [cvrh_user.email]
    # Another form of the page, the same text: a second message, wanted.
    other = {"message-body": "Double clic", "message-once": _form_key(client, codir_request.id)}
    assert client.post(url, data=other).status_code == 302
    # A key that is not one of the portal's is ignored, never an error.
    for _ in range(2):
        strange = {"message-body": "Clé étrange", "message-once": "<x>"}
        assert client.post(url, data=strange).status_code == 302
    assert _bodies(codir_request.id) == ["Double clic"] * 2 + ["Clé étrange"] * 2
    # The page shown again by the Back button keeps its key: another text is a new message.
    again = {"message-body": "Autre chose", "message-once": key}
    assert client.post(url, data=again).status_code == 302
    assert _bodies(codir_request.id)[-1] == "Autre chose"


def test_one_message_form_sent_twice_at_the_same_instant_posts_one_message(
    app, codir_request, directorate_user, cvrh_user, concurrently
):
    first, second = app.test_client(), app.test_client()
    log_in(first, directorate_user)
    log_in(second, directorate_user)
    url = f"/en/codir/{codir_request.id}/messages"
    form = {"message-body": "Au même instant", "message-once": _form_key(first, codir_request.id)}
    mails_before = len(outbox())

    results = concurrently(_post(first, url, form), _post(second, url, form))

    assert [status for status, _ in results] == [302, 302]
    assert _bodies(codir_request.id) == ["Au même instant"]
    assert [mail.recipients for mail in outbox()[mails_before:]] == [cvrh_user.email]
