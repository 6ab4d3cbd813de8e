"""Delivery of the outbox through SMTP, after the commit and outside any request.

A worker claims one due message at a time with a single UPDATE (on PostgreSQL its subquery
locks the row with FOR UPDATE SKIP LOCKED, so several workers on several hosts never take the
same message; on SQLite the write lock serialises the claims), commits the claim, talks to the
mail server with no transaction open, then records the outcome only if its claim still
holds. A claim lasts MAIL_CLAIM_SECONDS: if the worker dies half-way the message becomes due
again after that time and is sent with the same Message-ID.
"""

import logging
import os
import secrets
import smtplib
import socket
import threading
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from app import audit
from app.extensions import db, utcnow
from app.mail.models import DeliveryAttempt, MessageStatus, OutboxMessage

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=1)


class OutboxConflict(Exception):
    """The message changed meanwhile (delivered, claimed or handled by someone else)."""


def worker_name() -> str:
    """Return this process's name in the attempts log: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def build_message(message: OutboxMessage) -> EmailMessage:
    """Return the MIME message of an outbox row."""
    email = EmailMessage()
    email["From"] = message.sender
    email["To"] = message.recipients
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    if message.message_id:
        email["Message-ID"] = message.message_id
    email.set_content(message.body)
    for attachment in message.attachments:
        maintype, _, subtype = attachment.mimetype.partition("/")
        email.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return email


def _send_smtp(email: EmailMessage) -> None:
    config = current_app.config
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
    ) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def _is_permanent(error: Exception) -> bool:
    """Say whether the server refused the message for good (5xx), so retrying is useless."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False  # a configuration problem: retry once the operator has fixed it
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return False


def backoff(attempts: int) -> timedelta:
    """Return the wait before the next try after N failed ones (doubling, at most an hour)."""
    base = timedelta(seconds=current_app.config["MAIL_RETRY_SECONDS"])
    return min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def _due(now: datetime):
    return (
        (OutboxMessage.status == MessageStatus.PENDING)
        & (OutboxMessage.next_attempt_at <= now)
        & or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)
    )


def claim_next() -> tuple[list[OutboxMessage], str]:
    """Claim the next due message for this worker and commit the claim.

    Return the claimed messages (none when nothing is due) and the claim's token. The
    candidate is a scalar subquery, which PostgreSQL runs once, locking the one row it
    picks and skipping rows other workers are claiming.
    """
    now = utcnow()
    token = secrets.token_hex(16)
    candidate = (
        select(OutboxMessage.id)
        .where(_due(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    lease = timedelta(seconds=current_app.config["MAIL_CLAIM_SECONDS"])
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == candidate, _due(now))
        .values(claimed_until=now + lease, claim_token=token)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not claimed:
        return [], token
    messages = list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.claim_token == token)
            .options(selectinload(OutboxMessage.attachments))
        )
    )
    for message in messages:
        # Detached with what it holds, so that reading it later opens no transaction: none
        # stays open while the mail server is talked to, and the outcome's UPDATE comes first
        # in its own (on SQLite a read before a write could fail on a concurrent commit).
        db.session.expunge(message)
    db.session.commit()
    return messages, token


def _finish(message: OutboxMessage, token: str, started: datetime, error: Exception | None):
    now = utcnow()
    attempts = message.attempts + 1
    values: dict = {"attempts": attempts, "claimed_until": None, "claim_token": None}
    if error is None:
        values.update(status=MessageStatus.SENT, sent_at=now, error=None)
    else:
        text = f"{type(error).__name__}: {error}"[:2000]
        values["error"] = text
        if _is_permanent(error) or attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            values["status"] = MessageStatus.FAILED
        else:
            values["next_attempt_at"] = now + backoff(attempts)
    recorded = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.claim_token == token)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.add(
        DeliveryAttempt(
            message_id=message.id,
            started_at=started,
            finished_at=now,
            worker=worker_name(),
            error=values.get("error"),
        )
    )
    db.session.commit()
    if not recorded:
        log.warning("outbox message %s: claim lost before its outcome was recorded", message.id)


def deliver_one() -> bool:
    """Deliver the next due message, if any; return whether one was tried."""
    messages, token = claim_next()
    for message in messages:
        started = utcnow()
        error: Exception | None = None
        try:
            _send_smtp(build_message(message))
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("outbox message %s not delivered: %s", message.id, exc)
            error = exc
        _finish(message, token, started, error)
    return bool(messages)


def deliver_due(limit: int | None = None) -> int:
    """Deliver every message due now (at most `limit`); return how many were tried."""
    tried = 0
    while (limit is None or tried < limit) and deliver_one():
        tried += 1
    return tried


def run_worker(stop: threading.Event, interval: float) -> None:
    """Deliver due messages until `stop` is set, waiting `interval` seconds when idle.

    A database or mail outage never stops the worker: it logs, waits and tries again.
    """
    while not stop.is_set():
        try:
            tried = deliver_due(limit=100)
        except SQLAlchemyError:
            log.exception("outbox: database unavailable, trying again in %s s", interval)
            db.session.rollback()
            tried = 0
        finally:
            db.session.remove()
        if not tried:
            stop.wait(interval)


def _change(message_id: int, allowed: set[MessageStatus], action: str, **values) -> None:
    now = utcnow()
    changed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status.in_(allowed),
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .values(claimed_until=None, claim_token=None, **values)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if not changed:
        db.session.rollback()
        raise OutboxConflict(action)
    message = db.session.get(OutboxMessage, message_id)
    audit.record(f"outbox.{action}", message)
    db.session.commit()


def resend(message_id: int) -> None:
    """Put a failed or discarded message back in the queue, or retry a waiting one now."""
    _change(
        message_id,
        {MessageStatus.FAILED, MessageStatus.DISCARDED, MessageStatus.PENDING},
        "resend",
        status=MessageStatus.PENDING,
        attempts=0,
        next_attempt_at=utcnow(),
    )


def discard(message_id: int) -> None:
    """Give up a waiting or failed message: the worker will not send it."""
    _change(
        message_id,
        {MessageStatus.PENDING, MessageStatus.FAILED},
        "discard",
        status=MessageStatus.DISCARDED,
    )
