"""E-mail: one send() for the whole portal, which writes to the outbox; a worker delivers."""

import re
from dataclasses import dataclass
from email.utils import make_msgid
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale

from app.extensions import db
from app.mail import delivery
from app.mail.models import (
    DeliveryAttempt,
    MessageStatus,
    OutboxAttachment,
    OutboxMessage,
)

__all__ = [
    "Attachment",
    "DeliveryAttempt",
    "MessageStatus",
    "OutboxAttachment",
    "OutboxMessage",
    "delivery",
    "external_url",
    "render_email",
    "send",
]


@dataclass
class Attachment:
    """A file joined to an e-mail."""

    filename: str
    mimetype: str
    data: bytes


def external_url(endpoint: str, **values) -> str:
    """Return the absolute URL of a page for an e-mail, from PORTAL_BASE_URL (no request needed)."""
    base = urlsplit(current_app.config["PORTAL_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


_BLANKS = re.compile(r"[ \t\r\n\f\v]+")


def render_email(template: str, language: str, **context) -> tuple[str, str]:
    """Render templates/mail/<template>.subject.txt and .txt in the given language."""
    with force_locale(language):
        subject = render_template(f"mail/{template}.subject.txt", **context).strip()
        body = render_template(f"mail/{template}.txt", **context)
    # One line: runs of ASCII blanks become one space; the non-breaking spaces of French
    # typography (before ":" or inside « ») stay, so no mail client breaks the line there.
    return _BLANKS.sub(" ", subject), body


def send(
    to: str | list[str],
    template: str,
    language: str,
    attachments: list[Attachment] | None = None,
    **context,
) -> OutboxMessage:
    """Queue an e-mail rendered from a template in the recipient's language.

    The message is written to the outbox in the caller's transaction, so it exists exactly
    when the change it reports is committed; the delivery worker sends it afterwards. The
    caller commits the session.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    subject, body = render_email(template, language, **context)
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    message = OutboxMessage(
        sender=sender,
        recipients=", ".join(recipients),
        subject=subject,
        body=body,
        language=language,
        message_id=make_msgid(domain=sender.rpartition("@")[2] or None),
        attachments=[
            OutboxAttachment(filename=a.filename, mimetype=a.mimetype, data=a.data)
            for a in attachments or []
        ],
    )
    db.session.add(message)
    return message
