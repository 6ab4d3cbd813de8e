"""The outbox pages: statuses, attempts, sending again and discarding, for admins only."""

import pytest
from sqlalchemy import select, update

from app.audit import AuditEntry
from app.extensions import db
from app.mail import MessageStatus, OutboxMessage
from tests.conftest import outbox


@pytest.fixture
def failed_message(client, directorate_user):
    client.post("/fr/password/forgotten", data={"email": directorate_user.email})
    [message] = outbox()
    db.session.execute(
        update(OutboxMessage).values(
            status=MessageStatus.FAILED, attempts=8, error="SMTPDataError: (554, b'rejected')"
        )
    )
    db.session.commit()
    return message.id


def test_admin_sees_statuses_and_filters_them(client, login, admin_user, failed_message):
    login(admin_user)
    listing = client.get("/fr/admin/outbox").get_data(as_text=True)
    assert "Échec" in listing
    assert "Aucun serveur de messagerie" in listing  # MAIL_SERVER is empty in tests
    only_sent = client.get("/fr/admin/outbox?status=sent").get_data(as_text=True)
    assert "0 message" in only_sent
    assert client.get("/fr/admin/outbox?status=nonsense").status_code == 200


def test_admin_sends_a_failed_message_again(client, login, admin_user, failed_message):
    login(admin_user)
    page = client.get(f"/fr/admin/outbox/{failed_message}").get_data(as_text=True)
    assert "554" in page and "Renvoyer" in page

    response = client.post(f"/fr/admin/outbox/{failed_message}/resend")

    assert response.status_code == 302
    db.session.rollback()
    message = db.session.get(OutboxMessage, failed_message)
    assert message.status is MessageStatus.PENDING and message.attempts == 0
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == (
        "outbox.resend"
    )


def test_admin_discards_a_message(client, login, admin_user, failed_message):
    login(admin_user)
    client.post(f"/fr/admin/outbox/{failed_message}/discard")
    db.session.rollback()
    assert db.session.get(OutboxMessage, failed_message).status is MessageStatus.DISCARDED
    again = client.post(f"/fr/admin/outbox/{failed_message}/discard", follow_redirects=True)
    assert "a changé entre-temps" in again.get_data(as_text=True)


@pytest.mark.parametrize("persona", ["project_team_user", "cvrh_user", "directorate_user"])
def test_only_admins_touch_the_outbox(client, login, request, failed_message, persona):
    login(request.getfixturevalue(persona))
    assert client.post(f"/fr/admin/outbox/{failed_message}/resend").status_code == 403
    assert client.post(f"/fr/admin/outbox/{failed_message}/discard").status_code == 403
    db.session.rollback()
    assert db.session.get(OutboxMessage, failed_message).status is MessageStatus.FAILED


def test_anonymous_visitor_is_sent_to_login(client, failed_message):
    response = client.post(f"/fr/admin/outbox/{failed_message}/resend")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_message_is_404(client, login, admin_user):
    login(admin_user)
    assert client.post("/fr/admin/outbox/999999/resend").status_code == 404
