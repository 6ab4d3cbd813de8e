"""CODIR presentation requests, their messages and their history."""

import enum
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.directorates.models import Cvrh, Directorate
from app.extensions import UTCDateTime, db, enum_type, utcnow
from app.i18n import Labels


class CodirStatus(enum.StrEnum):
    """Where a request stands."""

    REQUESTED = "requested"
    SCHEDULED = "scheduled"
    HELD = "held"
    DECLINED = "declined"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """Return the translated name of the status."""
        return STATUS_LABELS.text(self)


# A request in these states is still under way: a directorate has at most one at a time.
OPEN_STATUSES = frozenset({CodirStatus.REQUESTED, CodirStatus.SCHEDULED})
_OPEN_CONDITION = "status IN ('requested', 'scheduled')"  # the same states, in SQL

STATUS_LABELS = Labels(
    {
        CodirStatus.REQUESTED: _l("Waiting for an answer"),
        CodirStatus.SCHEDULED: _l("Scheduled"),
        CodirStatus.HELD: _l("Held"),
        CodirStatus.DECLINED: _l("Declined"),
        CodirStatus.CANCELLED: _l("Cancelled"),
    }
)


class CodirFormat(enum.StrEnum):
    """On site or by video."""

    ON_SITE = "on_site"
    VIDEO = "video"

    @property
    def label(self) -> str:
        """Return the translated name of the format."""
        return FORMAT_LABELS.text(self)


ACTION_LABELS = {
    "requested": _l("Request sent"),
    "schedule": _l("Presentation scheduled"),
    "reschedule": _l("Presentation rescheduled"),
    "hold": _l("Presentation held"),
    "decline": _l("Request declined"),
    "cancel": _l("Request cancelled"),
    "reassigned": _l("Request sent to another CVRH"),
}

FORMAT_LABELS = Labels(
    {CodirFormat.ON_SITE: _l("On site"), CodirFormat.VIDEO: _l("Video conference")}
)


class CodirRequest(db.Model):
    """A directorate's request for a presentation of PIX at its management committee."""

    id: Mapped[int] = mapped_column(primary_key=True)
    directorate_id: Mapped[int] = mapped_column(ForeignKey("directorate.id"), index=True)
    cvrh_id: Mapped[int] = mapped_column(ForeignKey("cvrh.id"), index=True)
    status: Mapped[CodirStatus] = mapped_column(
        enum_type(CodirStatus),
        default=CodirStatus.REQUESTED,
        index=True,
    )
    format: Mapped[CodirFormat | None] = mapped_column(enum_type(CodirFormat))
    option_1: Mapped[date | None] = mapped_column(Date)
    option_2: Mapped[date | None] = mapped_column(Date)
    option_3: Mapped[date | None] = mapped_column(Date)
    audience: Mapped[str] = mapped_column(String(300), default="")
    place: Mapped[str] = mapped_column(String(500), default="")
    topics: Mapped[str] = mapped_column(Text, default="")
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    scheduled_place: Mapped[str] = mapped_column(String(500), default="")
    speaker: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    last_reminded_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Optimistic locking: a transition or reassignment based on an older version is refused.
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}
    # Two submissions at the same instant: the database keeps one open request per directorate.
    __table_args__ = (
        Index(
            "uq_codir_request_open_per_directorate",
            "directorate_id",
            unique=True,
            sqlite_where=text(_OPEN_CONDITION),
            postgresql_where=text(_OPEN_CONDITION),
        ),
    )

    directorate: Mapped[Directorate] = relationship()
    cvrh: Mapped[Cvrh] = relationship()
    messages: Mapped[list["CodirMessage"]] = relationship(
        back_populates="request", order_by="CodirMessage.id", cascade="all, delete-orphan"
    )
    events: Mapped[list["CodirEvent"]] = relationship(
        back_populates="request", order_by="CodirEvent.id", cascade="all, delete-orphan"
    )

    @property
    def options(self) -> list[date]:
        """Return the preferred dates given."""
        return [d for d in (self.option_1, self.option_2, self.option_3) if d is not None]


class CodirMessage(db.Model):
    """A message on a request's thread."""

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("codir_request.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The random key of the form it was sent from: the same form sent twice (a double click)
    # makes one message.
    once_key: Mapped[str | None] = mapped_column(String(32), unique=True)

    request: Mapped[CodirRequest] = relationship(back_populates="messages")
    author = relationship("User")


class CodirEvent(db.Model):
    """A transition or a reassignment of a request, with who and when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("codir_request.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(40))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[CodirRequest] = relationship(back_populates="events")
    actor = relationship("User")
