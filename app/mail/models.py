"""The outbox: every e-mail is a row, written with the change it reports, delivered later."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import UTCDateTime, db, enum_type, utcnow
from app.i18n import Labels


class MessageStatus(enum.StrEnum):
    """Where a message stands in its delivery."""

    PENDING = "pending"  # waiting for the worker (or for a mail server to be configured)
    SENT = "sent"
    FAILED = "failed"  # refused for good, or still failing after the last retry
    DISCARDED = "discarded"  # an admin chose not to send it
    BOUNCED = "bounced"  # accepted, then returned by a delivery status notification

    @property
    def label(self) -> str:
        """Return the translated name of the status."""
        return STATUS_LABELS.text(self)


STATUS_LABELS = Labels(
    {
        MessageStatus.PENDING: _l("To be sent"),
        MessageStatus.SENT: _l("Sent"),
        MessageStatus.FAILED: _l("Failed"),
        MessageStatus.DISCARDED: _l("Discarded"),
        MessageStatus.BOUNCED: _l("Bounced"),
    }
)


class OutboxMessage(db.Model):
    """An e-mail to deliver, with its delivery state; the worker claims it for a while."""

    __table_args__ = (
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
        Index("ix_outbox_message_reach", "call_id", "directorate_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sender: Mapped[str] = mapped_column(String(254))
    recipients: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2))
    # The Message-ID header, fixed when the message is written, so that a message sent again
    # after a worker died half-way carries the same identity.
    message_id: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[MessageStatus] = mapped_column(
        enum_type(MessageStatus), default=MessageStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the message was sent for, so that a call's reach groups its messages by directorate
    # without reading recipients: the call, the directorate, and the contact mailbox (none when
    # it went to a user). Indexed together (ix_outbox_message_reach), the call first.
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id"))
    directorate_id: Mapped[int | None] = mapped_column(ForeignKey("directorate.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("directorate_contact.id"))

    attachments: Mapped[list["OutboxAttachment"]] = relationship(
        back_populates="message", cascade="all, delete-orphan"
    )
    delivery_attempts: Mapped[list["DeliveryAttempt"]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="DeliveryAttempt.id"
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


class DeliveryAttempt(db.Model):
    """One try to hand a message to the mail server: when, by which worker, and the error."""

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
    worker: Mapped[str] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)

    message: Mapped[OutboxMessage] = relationship(back_populates="delivery_attempts")
