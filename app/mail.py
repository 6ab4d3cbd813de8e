"""E-mail: one send() for the whole portal, through SMTP when configured, else the outbox."""

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import UTCDateTime, db, utcnow

log = logging.getLogger(__name__)


@dataclass
class Attachment:
    """A file joined to an e-mail."""

    filename: str
    mimetype: str
    data: bytes


class OutboxMessage(db.Model):
    """An e-mail kept in the database: not sent (no SMTP configured) or failed to send."""

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sender: Mapped[str] = mapped_column(String(254))
    recipients: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2))
    error: Mapped[str | None] = mapped_column(Text)

    attachments: Mapped[list["OutboxAttachment"]] = relationship(
        back_populates="message", cascade="all, delete-orphan"
    )

    @property
    def recipient_list(self) -> list[str]:
        """Return the recipients as a list."""
        return self.recipients.split(", ")


class OutboxAttachment(db.Model):
    """A file joined to an outbox message."""

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    mimetype: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)

    message: Mapped[OutboxMessage] = relationship(back_populates="attachments")


def external_url(endpoint: str, **values) -> str:
    """Return the absolute URL of a page for an e-mail, from PORTAL_BASE_URL (no request needed)."""
    base = urlsplit(current_app.config["PORTAL_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def render_email(template: str, language: str, **context) -> tuple[str, str]:
    """Render templates/mail/<template>.subject.txt and .txt in the given language."""
    with force_locale(language):
        subject = render_template(f"mail/{template}.subject.txt", **context).strip()
        body = render_template(f"mail/{template}.txt", **context)
    return " ".join(subject.split()), body


def _build_message(
    sender: str, recipients: list[str], subject: str, body: str, attachments: list[Attachment]
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(body)
    for attachment in attachments:
        maintype, _, subtype = attachment.mimetype.partition("/")
        message.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


def _deliver_smtp(message: EmailMessage) -> None:
    config = current_app.config
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
    ) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def send(
    to: str | list[str],
    template: str,
    language: str,
    attachments: list[Attachment] | None = None,
    **context,
) -> OutboxMessage | None:
    """Send an e-mail rendered from a template in the recipient's language.

    Without MAIL_SERVER the message is stored in the outbox; with it, the message goes
    through SMTP and is stored in the outbox only if delivery fails, so nothing is lost.
    The caller commits the session.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    attachments = attachments or []
    subject, body = render_email(template, language, **context)
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    error = None
    if current_app.config["MAIL_SERVER"]:
        try:
            _deliver_smtp(_build_message(sender, recipients, subject, body, attachments))
            return None
        except (OSError, smtplib.SMTPException) as exc:
            log.exception("SMTP delivery failed; message kept in the outbox")
            error = f"{type(exc).__name__}: {exc}"
    message = OutboxMessage(
        sender=sender,
        recipients=", ".join(recipients),
        subject=subject,
        body=body,
        language=language,
        error=error,
        attachments=[
            OutboxAttachment(filename=a.filename, mimetype=a.mimetype, data=a.data)
            for a in attachments
        ],
    )
    db.session.add(message)
    return message
