"""What was sent to each contact mailbox for a call, and who claimed an account with it."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.directorates.models import Call, Directorate, DirectorateContact
from app.extensions import UTCDateTime, db, utcnow


class ContactInvitation(db.Model):
    """A contact's invitation to claim an account for its directorate, one per call.

    The link holds a random nonce whose hash only is kept: a link works while its hash is the
    invitation's, once (the claim is recorded on the row) and until `expires_at`. A reminder
    gives the invitation a new nonce, so only the latest link e-mailed to a contact works.
    """

    __table_args__ = (UniqueConstraint("call_id", "contact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("directorate_contact.id"), index=True)
    # The directorate the link gives an account in: the contact's when it was sent.
    directorate_id: Mapped[int] = mapped_column(ForeignKey("directorate.id"), index=True)
    # The mailbox the latest link was sent to: the link stops working if the contact's
    # address is corrected since.
    email: Mapped[str] = mapped_column(String(254))
    nonce_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)

    call: Mapped[Call] = relationship()
    contact: Mapped[DirectorateContact] = relationship()
    directorate: Mapped[Directorate] = relationship()
    claimed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ContactInvitation {self.call_id}/{self.contact_id}>"
