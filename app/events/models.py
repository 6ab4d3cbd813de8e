"""Webinar sessions, the invitations of the people named in declarations, registrations and
attendance.

An event is a content item of the kind EVENT; its two language versions share a group, and its
sessions hang on the group (`event_id` is the group's id, the id of its first version), so that
both versions show the same sessions. The people invited have no account: an invitation holds
their address and the roles their directorates named them in, and its signed link lets them
register.
"""

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import UTCDateTime, db, enum_type, utcnow
from app.i18n import Labels


class Audience(enum.StrEnum):
    """Who a session is for."""

    AMBASSADORS = "ambassadors"
    ADMINISTRATORS = "administrators"
    ANYONE = "anyone"

    @property
    def label(self) -> str:
        """Return the translated name of the audience."""
        return AUDIENCE_LABELS.text(self)


AUDIENCE_LABELS = Labels(
    {
        Audience.AMBASSADORS: _l("PIX ambassadors"),
        Audience.ADMINISTRATORS: _l("PIX Orga administrators"),
        Audience.ANYONE: _l("Ambassadors and PIX Orga administrators"),
    }
)


class PersonRole(enum.StrEnum):
    """What a directorate named a person in its declaration."""

    AMBASSADOR = "ambassador"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        """Return the translated name of the role."""
        return ROLE_LABELS.text(self)


ROLE_LABELS = Labels(
    {
        PersonRole.AMBASSADOR: _l("Ambassador"),
        PersonRole.ADMINISTRATOR: _l("PIX Orga administrator"),
    }
)

# The roles a session trains: attending it counts as training for these roles.
AUDIENCE_ROLES = {
    Audience.AMBASSADORS: frozenset({PersonRole.AMBASSADOR}),
    Audience.ADMINISTRATORS: frozenset({PersonRole.ADMINISTRATOR}),
    Audience.ANYONE: frozenset(PersonRole),
}


def audiences_for(roles) -> list[Audience]:
    """Return the audiences of the sessions open to a person having these roles."""
    return [audience for audience, trained in AUDIENCE_ROLES.items() if trained & set(roles)]


class RegistrationStatus(enum.StrEnum):
    """Where a registration stands."""

    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """Return the translated name of the status."""
        return REGISTRATION_LABELS.text(self)


REGISTRATION_LABELS = Labels(
    {
        RegistrationStatus.CONFIRMED: _l("Registered"),
        RegistrationStatus.WAITING: _l("On the waiting list"),
        RegistrationStatus.CANCELLED: _l("Cancelled"),
    }
)

# A person holds at most one registration of these states per event.
ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


class EventSession(db.Model):
    """One session of an event: when, where, for whom, how many seats, until when to register."""

    __tablename__ = "event_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The event's group (both language versions), by the id of its first version.
    event_id: Mapped[int] = mapped_column(ForeignKey("content_item.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    link: Mapped[str] = mapped_column(String(500), default="")
    place: Mapped[str] = mapped_column(String(300), default="")
    capacity: Mapped[int] = mapped_column(Integer)
    audience: Mapped[Audience] = mapped_column(enum_type(Audience))
    # Registrations close at the end of this day (Paris time); none: when the session starts.
    registration_closes_on: Mapped[date | None] = mapped_column(Date)
    # iCalendar SEQUENCE of the session in the public feed: bumped when its time or place change.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    attendance_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Optimistic locking (app/versioning.py): two edits of the same session conflict.
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}

    registrations: Mapped[list["Registration"]] = relationship(
        back_populates="session", order_by="Registration.queued_at, Registration.id"
    )

    def __repr__(self) -> str:
        return f"<EventSession {self.id} {self.starts_at:%Y-%m-%d %H:%M}>"


class Invitation(db.Model):
    """A person named in declarations, invited to an event (once, whatever how often named)."""

    __tablename__ = "event_invitation"
    __table_args__ = (UniqueConstraint("event_id", "email", name="one_per_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("content_item.id"), index=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id"), index=True)
    # Lower-cased: the same person named by two directorates is one invitation.
    email: Mapped[str] = mapped_column(String(254))
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    ambassador: Mapped[bool] = mapped_column(Boolean, default=False)
    administrator: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(2), default="fr")
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    last_sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The generation of the personal links: sending the invitation again raises it, and the
    # links of earlier generations stop working.
    link_generation: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # Set when no declaration of the call names the person any more (see invitations.py).
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    registrations: Mapped[list["Registration"]] = relationship(back_populates="invitation")

    @property
    def roles(self) -> list[PersonRole]:
        """Return the roles the person was invited in."""
        flags = {
            PersonRole.AMBASSADOR: self.ambassador,
            PersonRole.ADMINISTRATOR: self.administrator,
        }
        return [role for role, named in flags.items() if named]

    @property
    def display_name(self) -> str:
        """Return the person's name, or their address when the declarations give none."""
        return f"{self.first_name} {self.last_name}".strip() or self.email


class Registration(db.Model):
    """A person's seat, or place on the waiting list, at a session; kept when cancelled."""

    __tablename__ = "event_registration"
    __table_args__ = (
        UniqueConstraint("session_id", "invitation_id", name="one_per_session"),
        Index("ix_event_registration_queue", "session_id", "status", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("event_session.id"))
    invitation_id: Mapped[int] = mapped_column(ForeignKey("event_invitation.id"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(enum_type(RegistrationStatus))
    # The waiting list is served in this order (first come, first served).
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # iCalendar SEQUENCE of the person's invitation: the number of changes since it was made.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[EventSession] = relationship(back_populates="registrations")
    invitation: Mapped[Invitation] = relationship(back_populates="registrations")


class Attendance(db.Model):
    """A person seen at a session (ticked by the project team or read from the tool's list)."""

    __tablename__ = "event_attendance"
    __table_args__ = (UniqueConstraint("session_id", "invitation_id", name="once_per_session"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("event_session.id"))
    invitation_id: Mapped[int] = mapped_column(ForeignKey("event_invitation.id"), index=True)
    source: Mapped[str] = mapped_column(String(10), default="ticked")  # ticked or imported
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    session: Mapped[EventSession] = relationship()
    invitation: Mapped[Invitation] = relationship()
