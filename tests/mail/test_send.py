"""send(): every e-mail is written to the outbox in the caller's transaction."""

from app import mail
from app.extensions import db
from tests.conftest import outbox


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
    assert message.subject == "Portail de déploiement PIX\u00a0: choisissez un nouveau mot de passe"
    assert "http://portal.test/x" in message.body
    assert message.error is None
    assert message.status is mail.MessageStatus.PENDING
    assert message.message_id.endswith("@example.org>")


def test_nothing_is_written_when_the_change_is_rolled_back(app, admin_user):
    mail.send(admin_user.email, "password_reset", "fr", user=admin_user, link="x", hours=1)
    db.session.rollback()
    assert outbox() == []


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


def test_admin_reads_the_outbox(client, login, admin_user, directorate_user):
    client.post("/fr/password/forgotten", data={"email": directorate_user.email})
    [message] = outbox()
    login(admin_user)
    listing = client.get("/fr/admin/outbox").get_data(as_text=True)
    assert directorate_user.email in listing
    detail = client.get(f"/fr/admin/outbox/{message.id}").get_data(as_text=True)
    assert "/fr/password/reset/" in detail
