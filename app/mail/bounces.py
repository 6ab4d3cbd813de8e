"""Delivery status notifications (RFC 3464) read from a mailbox: sent messages that bounced.

A mail server that accepted a message may later return it: it sends the sender a
`multipart/report; report-type=delivery-status` e-mail, with a `message/delivery-status`
part (one block of fields per recipient: Final-Recipient, Action, Status, Diagnostic-Code)
and the returned message or its headers. Each recipient whose Action is `failed` marks the
outbox message it reports as bounced, found by the returned Message-ID, or else by recipient
and subject. Delayed or delivered notices change nothing.
"""

import email
import mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import HeaderParser
from pathlib import Path

from sqlalchemy import select, update

from app import audit
from app.extensions import db, utcnow
from app.mail.models import MessageStatus, OutboxMessage


@dataclass
class Bounce:
    """One recipient a delivery status notification says the message never reached."""

    message_id: str  # of the returned message ("" when the notification does not give it)
    recipient: str
    subject: str
    diagnostic: str


@dataclass
class BounceReport:
    """What reading a mailbox of notifications did."""

    notifications: int = 0  # delivery status notifications read
    bounced: int = 0  # outbox messages marked bounced now
    already: int = 0  # bounced before (the same mailbox read again)
    unmatched: int = 0  # failures of no message of the outbox (or of one not sent)
    skipped: int = 0  # other e-mails of the mailbox


def _parse(stream) -> Message:
    return email.message_from_binary_file(stream, policy=policy.default)


def read_mailbox(path: str | Path) -> Iterator[Message]:
    """Yield the e-mails of a Maildir directory, an mbox file or a single message file."""
    path = Path(path)
    if path.is_dir():
        box = mailbox.Maildir(path, factory=_parse, create=False)
    else:
        with path.open("rb") as stream:
            if not stream.read(5).startswith(b"From "):
                stream.seek(0)
                yield _parse(stream)
                return
        box = mailbox.mbox(path, factory=_parse, create=False)
    try:
        yield from box
    finally:
        box.close()


def is_report(message: Message) -> bool:
    """Say whether an e-mail is a delivery status notification."""
    return (
        message.get_content_type() == "multipart/report"
        and (message.get_param("report-type") or "").lower() == "delivery-status"
    )


def _address(field: str) -> str:
    """Return the address of a Final-Recipient field ("rfc822; name@example.org")."""
    kind, _, address = field.partition(";")
    return (address if address else kind).strip().strip("<>").lower()


def _returned_headers(report: Message) -> Message | None:
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822" or kind == "message/rfc822-headers":
            payload = part.get_payload()
            return payload[0] if isinstance(payload, list) and payload else None
        if kind == "text/rfc822-headers":
            return HeaderParser(policy=policy.default).parsestr(part.get_content())
    return None


def bounces_of(report: Message) -> list[Bounce]:
    """Return the failed recipients a delivery status notification reports."""
    returned = _returned_headers(report)
    message_id = str(returned.get("Message-ID", "")).strip() if returned is not None else ""
    subject = str(returned.get("Subject", "")).strip() if returned is not None else ""
    bounces = []
    for part in report.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        # The first block describes the report, each next one a recipient.
        for block in part.get_payload()[1:]:
            if str(block.get("Action", "")).strip().lower() != "failed":
                continue
            recipient = _address(str(block.get("Final-Recipient", "")))
            status = str(block.get("Status", "")).strip()
            diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
            text = " – ".join(item for item in (status, diagnostic) if item)
            bounces.append(Bounce(message_id, recipient, subject, text))
    return bounces


def find_message(bounce: Bounce) -> OutboxMessage | None:
    """Return the outbox message a bounce is about: by Message-ID, else recipient and subject."""
    if bounce.message_id:
        found = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.message_id == bounce.message_id)
        )
        if found is not None:
            return found
    if not bounce.subject or not bounce.recipient:
        return None
    candidates = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.subject == bounce.subject)
        .order_by(OutboxMessage.id.desc())
    )
    for candidate in candidates:
        if bounce.recipient in (r.strip().lower() for r in candidate.recipient_list):
            return candidate
    return None


def record_bounce(bounce: Bounce, report: BounceReport) -> None:
    """Mark the message a bounce is about as bounced, with the diagnostic (caller commits)."""
    message = find_message(bounce)
    if message is not None and message.status is MessageStatus.BOUNCED:
        report.already += 1
        return
    if message is None or message.status is not MessageStatus.SENT:
        report.unmatched += 1
        return
    changed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.status == MessageStatus.SENT)
        .values(status=MessageStatus.BOUNCED, bounced_at=utcnow(), error=bounce.diagnostic[:2000])
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed:
        audit.record("outbox.bounced", message, recipient=bounce.recipient)
        report.bounced += 1


def record_bounces(path: str | Path) -> BounceReport:
    """Read the notifications of a mailbox and mark the messages they return as bounced."""
    report = BounceReport()
    for message in read_mailbox(path):
        if not is_report(message):
            report.skipped += 1
            continue
        report.notifications += 1
        for bounce in bounces_of(message):
            record_bounce(bounce, report)
        db.session.commit()
    return report
