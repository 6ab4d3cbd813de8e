"""The administrator's home opens on the e-mails not delivered and the invitations not accepted."""

from datetime import timedelta

import pytest

from app.auth.models import Role
from app.extensions import db, utcnow
from app.mail import MessageStatus, OutboxMessage
from tests.conftest import make_user
from tests.core.homes import check_structure, element, headings, links, text


def _message(status: MessageStatus, *, due_ago: timedelta = timedelta(0), attempts: int = 0):
    db.session.add(
        OutboxMessage(
            sender="portail@example.org",
            recipients="someone@example.org",
            subject="Message",
            body="Corps",
            language="fr",
            status=status,
            attempts=attempts,
            next_attempt_at=utcnow() - due_ago,
        )
    )


@pytest.fixture
def outbox_rows(app):
    """Two failed, one waiting for an hour, one retried after an error, one just written, one
    sent, one discarded."""
    _message(MessageStatus.FAILED, attempts=5)
    _message(MessageStatus.FAILED, attempts=1)
    _message(MessageStatus.PENDING, due_ago=timedelta(hours=1))
    _message(MessageStatus.PENDING, due_ago=timedelta(minutes=-2), attempts=2)
    _message(MessageStatus.PENDING)
    _message(MessageStatus.SENT, due_ago=timedelta(days=1), attempts=1)
    _message(MessageStatus.DISCARDED, due_ago=timedelta(days=1))
    db.session.commit()


@pytest.mark.app_config(MAIL_SERVER="smtp.example.org")
def test_failed_and_stuck_e_mails(client, login, admin_user, outbox_rows):
    login(admin_user)
    body = client.get("/en/home").get_data(as_text=True)
    failed = element(body, "outbox-failed")
    assert "2 e-mails failed" in text(failed)
    assert links(failed) == ["/en/admin/outbox?status=failed"]
    stuck = element(body, "outbox-stuck")
    assert "2 e-mails not delivered yet" in text(stuck)
    assert "more than 15 minutes" in text(stuck)
    assert links(stuck) == ["/en/admin/outbox?status=pending"]
    french = client.get("/fr/home").get_data(as_text=True)
    assert "2 courriels en échec" in text(element(french, "outbox-failed"))


def test_without_a_mail_server_every_waiting_e_mail_is_stuck(
    client, login, admin_user, outbox_rows
):
    login(admin_user)
    stuck = element(client.get("/en/home").get_data(as_text=True), "outbox-stuck")
    assert "3 e-mails not delivered yet" in text(stuck)
    assert "No mail server is configured" in text(stuck)


def test_invitations_never_accepted(client, login, admin_user, directorate_user):
    first = make_user(
        "invitee.one@example.org", Role.CVRH, cvrh="CVRH-PARIS", password=None, full_name="Iris One"
    )
    make_user("invitee.two@example.org", Role.DIRECTORATE, directorate="DGPR", password=None)
    gone = make_user("invitee.gone@example.org", Role.PROJECT_TEAM, password=None)
    gone.active = False
    db.session.commit()
    login(admin_user)
    body = client.get("/en/home").get_data(as_text=True)
    tile = element(body, "invitations-waiting")
    assert "2 invitations not accepted" in text(tile)
    assert links(tile) == ["/en/admin/users?invited=1"]
    listed = element(body, "invited-list")
    assert links(listed)[0] == f"/en/admin/users/{first.id}"
    assert "Iris One – CVRH staff (CVRH-PARIS)" in text(listed)
    assert "invitee.gone" not in text(listed) and directorate_user.email not in text(listed)
    # The users list filtered the same way.
    users = client.get("/en/admin/users?invited=1").get_data(as_text=True)
    assert "invitee.one@example.org" in users and "invitee.two@example.org" in users
    assert "invitee.gone@example.org" not in users and directorate_user.email not in users
    french = client.get("/fr/home").get_data(as_text=True)
    assert "2 invitations non acceptées" in text(element(french, "invitations-waiting"))


def test_nothing_waiting_and_the_usual_content_below(client, login, admin_user):
    login(admin_user)
    body = client.get("/en/home").get_data(as_text=True)
    assert "0 e-mails failed" in text(element(body, "outbox-failed"))
    assert "0 invitations not accepted" in text(element(body, "invitations-waiting"))
    assert "invited-list" not in body
    check_structure(body)
    titles = [title for level, title in headings(body) if level == 2]
    assert titles == ["Waiting for you", "Accounts by role", "Calls for declarations",
                      "Latest actions"]  # fmt: skip
    assert text(element(body, "count-admin")) == "1 account"
