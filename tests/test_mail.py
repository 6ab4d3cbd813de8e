"""E-mail: outbox by default, real SMTP when configured, nothing lost on failure."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from app import mail
from app.extensions import db
from tests.conftest import outbox


class Collector(Message):
    """aiosmtpd handler that keeps every message received."""

    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)

    def prepare_message(self, session, envelope):
        return message_from_bytes(envelope.content, policy=policy.default)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    handler = Collector()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield handler
    controller.stop()


def test_without_smtp_messages_go_to_the_outbox(app, admin_user):
    mail.send(
        ["a@example.org", "b@example.org"],
        "password_reset",
        "fr",
        user=admin_user,
        link="http://portal.test/x",
        hours=1,
    )
    db.session.commit()
    [message] = outbox()
    assert message.recipient_list == ["a@example.org", "b@example.org"]
    assert message.subject == "Portail de déploiement PIX : choisissez un nouveau mot de passe"
    assert "http://portal.test/x" in message.body
    assert message.error is None


def test_attachments_are_kept_in_the_outbox(app, admin_user):
    attachment = mail.Attachment("invite.ics", "text/calendar", b"BEGIN:VCALENDAR")
    mail.send(
        "a@example.org", "password_reset", "en", [attachment], user=admin_user, link="x", hours=1
    )
    db.session.commit()
    [message] = outbox()
    assert [(a.filename, a.data) for a in message.attachments] == [
        ("invite.ics", b"BEGIN:VCALENDAR")
    ]


def test_smtp_delivers_in_the_recipient_language(app, smtp_server, admin_user):
    attachment = mail.Attachment(
        "invite.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    )
    mail.send(
        admin_user.email,
        "password_reset",
        "en",
        [attachment],
        user=admin_user,
        link="http://l",
        hours=2,
    )
    db.session.commit()
    assert outbox() == []
    [received] = smtp_server.messages
    assert received["To"] == admin_user.email
    assert received["Subject"] == "PIX deployment portal: choose a new password"
    body = received.get_body(("plain",)).get_content()
    assert "http://l" in body
    assert "2 hours" in body
    [part] = list(received.iter_attachments())
    assert part.get_filename() == "invite.ics"
    assert part.get_content_type() == "text/calendar"


def test_smtp_failure_keeps_the_message_in_the_outbox(app, admin_user):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port(), MAIL_TIMEOUT=2)
    mail.send(admin_user.email, "password_reset", "fr", user=admin_user, link="http://l", hours=1)
    db.session.commit()
    [message] = outbox()
    assert message.error
    assert "http://l" in message.body


def test_admin_reads_the_outbox(client, login, admin_user, directorate_user):
    client.post("/fr/password/forgotten", data={"email": directorate_user.email})
    [message] = outbox()
    login(admin_user)
    listing = client.get("/fr/admin/outbox").get_data(as_text=True)
    assert directorate_user.email in listing
    detail = client.get(f"/fr/admin/outbox/{message.id}").get_data(as_text=True)
    assert "/fr/password/reset/" in detail
