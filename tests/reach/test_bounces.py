"""Delivery status notifications read from an mbox file or a Maildir mark messages bounced."""

import mailbox
from email.header import Header

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.extensions import db, utcnow
from app.mail import MessageStatus, OutboxMessage
from tests.conftest import outbox
from tests.reach.conftest import messages_to

DIAGNOSTIC = (
    "smtp; 550 5.1.1 <{to}>: Recipient address\n    rejected: User unknown in virtual mailbox table"
)


def notification(to: str, returned: str, action: str = "failed", kind="text/rfc822-headers"):
    """Return a delivery status notification (RFC 3464) for one recipient, as bytes."""
    diagnostic = DIAGNOSTIC.format(to=to)
    return f"""From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
To: pix-portal@example.org
Subject: Undelivered Mail Returned to Sender
Date: Mon, 14 Dec 2026 10:00:00 +0100
Message-ID: <20261214090000.4F2A1@mx.example.org>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
    boundary="=_report_boundary"

This is a MIME-encapsulated message.

--=_report_boundary
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.org. Your message could not be
delivered to one or more recipients.

--=_report_boundary
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org
Arrival-Date: Mon, 14 Dec 2026 09:59:58 +0100

Final-Recipient: rfc822; {to}
Original-Recipient: rfc822;{to}
Action: {action}
Status: {"5.1.1" if action == "failed" else "4.4.1"}
Remote-MTA: dns; mail.example.org
Diagnostic-Code: {diagnostic}

--=_report_boundary
Content-Type: {kind}

{returned}
--=_report_boundary--
""".encode()


def headers_of(message: OutboxMessage, with_id: bool = True) -> str:
    """Return the headers a mail server sends back of a message it returns."""
    subject = Header(message.subject, "utf-8").encode()
    lines = [
        "Return-Path: <pix-portal@example.org>",
        f"From: {message.sender}",
        f"To: {message.recipients}",
        f"Subject: {subject}",
    ]
    if with_id:
        lines.append(f"Message-ID: {message.message_id}")
    return "\n".join(lines) + "\n"


def sent(*messages: OutboxMessage) -> None:
    for message in messages:
        message.status = MessageStatus.SENT
        message.sent_at = utcnow()
    db.session.commit()


def write_mbox(path, *raw: bytes) -> None:
    box = mailbox.mbox(path)
    for item in raw:
        box.add(item)
    box.flush()
    box.close()


@pytest.fixture
def letters(opened):
    """The claim links of the call, as if delivered by the mail server."""
    messages = {m.recipients: m for m in outbox()}
    sent(*messages.values())
    return messages


def test_a_report_marks_the_message_it_returns_by_its_message_id(runner, letters, tmp_path):
    returned = letters["rh.pdl@example.org"]
    other = letters["direction.pdl@example.org"]
    mbox = tmp_path / "bounces.mbox"
    plain = b"From: someone@example.org\nTo: pix-portal@example.org\nSubject: Hello\n\nHi.\n"
    write_mbox(
        mbox,
        notification("rh.pdl@example.org", headers_of(returned)),
        notification("direction.pdl@example.org", headers_of(other), action="delayed"),
        plain,
    )
    result = runner.invoke(args=["mail", "bounces", str(mbox)])
    assert result.exit_code == 0, result.output
    assert (
        "2 delivery reports read: 1 messages marked bounced, 0 already marked, 0 failures "
        "matching no sent message; 1 other e-mails skipped."
    ) in result.output
    db.session.expire_all()
    bounced = db.session.get(OutboxMessage, returned.id)
    assert bounced.status is MessageStatus.BOUNCED
    assert bounced.bounced_at is not None
    assert bounced.error == (
        "5.1.1 – smtp; 550 5.1.1 <rh.pdl@example.org>: Recipient address rejected: User "
        "unknown in virtual mailbox table"
    )
    # A delayed delivery is no bounce.
    assert db.session.get(OutboxMessage, other.id).status is MessageStatus.SENT
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "outbox.bounced"))
    assert entry.object_id == str(returned.id)
    # The same mailbox read again changes nothing.
    again = runner.invoke(args=["mail", "bounces", str(mbox)])
    assert "0 messages marked bounced, 1 already marked" in again.output


def test_without_message_id_the_recipient_and_subject_find_the_message(runner, letters, tmp_path):
    returned = letters["rh.pdl@example.org"]  # a French subject, encoded by the mail server
    assert "déploiement" in returned.subject
    maildir = tmp_path / "Maildir"
    box = mailbox.Maildir(maildir)
    box.add(notification("rh.pdl@example.org", headers_of(returned, with_id=False)))
    box.close()
    result = runner.invoke(args=["mail", "bounces", str(maildir)])
    assert "1 messages marked bounced" in result.output, result.output
    db.session.expire_all()
    assert db.session.get(OutboxMessage, returned.id).status is MessageStatus.BOUNCED
    assert [m.status for m in messages_to("direction.pdl@example.org")] == [MessageStatus.SENT]


def test_a_returned_message_whole_and_a_single_file(runner, letters, tmp_path):
    returned = letters["hr.ara@example.org"]
    whole = headers_of(returned) + "\nThe body of the returned message.\n"
    path = tmp_path / "report.eml"
    path.write_bytes(notification("hr.ara@example.org", whole, kind="message/rfc822"))
    result = runner.invoke(args=["mail", "bounces", str(path)])
    assert "1 delivery reports read: 1 messages marked bounced" in result.output, result.output


def test_a_report_of_an_unknown_or_unsent_message_changes_nothing(runner, opened, tmp_path):
    pending = messages_to("rh.pdl@example.org")[0]  # never handed to a mail server
    unknown = (
        "From: pix-portal@example.org\nTo: x@example.org\nSubject: Other\n"
        "Message-ID: <nothing@example.org>\n"
    )
    mbox = tmp_path / "bounces.mbox"
    write_mbox(
        mbox,
        notification("rh.pdl@example.org", headers_of(pending)),
        notification("x@example.org", unknown),
    )
    result = runner.invoke(args=["mail", "bounces", str(mbox)])
    assert "0 messages marked bounced, 0 already marked, 2 failures matching no sent" in (
        result.output
    )
    db.session.expire_all()
    assert db.session.get(OutboxMessage, pending.id).status is MessageStatus.PENDING


def test_the_outbox_shows_a_bounce(client, login, runner, letters, tmp_path, admin_user):
    returned = letters["rh.pdl@example.org"]
    mbox = tmp_path / "bounces.mbox"
    write_mbox(mbox, notification("rh.pdl@example.org", headers_of(returned)))
    runner.invoke(args=["mail", "bounces", str(mbox)])
    login(admin_user)
    listed = client.get("/en/admin/outbox?status=bounced").get_data(as_text=True)
    assert "rh.pdl@example.org" in listed
    assert "direction.pdl@example.org" not in listed
    page = client.get(f"/en/admin/outbox/{returned.id}").get_data(as_text=True)
    assert "Bounced" in page
    assert "User unknown in virtual mailbox table" in page
    log = client.get("/en/admin/audit").get_data(as_text=True)
    assert "E-mail bounced" in log
