"""Annex 1 declaration: campaigns, ambassadors, PIX Orga administrators, history, reminders."""

import enum
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.directorates.models import Call, Directorate, LearningPath
from app.extensions import UTCDateTime, db, enum_type, utcnow
from app.i18n import Labels


class DeclarationStatus(enum.StrEnum):
    """Where a declaration stands in its lifecycle."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    CORRECTIONS_REQUESTED = "corrections_requested"

    @property
    def label(self) -> str:
        """Return the translated name of the status."""
        return STATUS_LABELS.text(self)


STATUS_LABELS = Labels(
    {
        DeclarationStatus.DRAFT: _l("Draft"),
        DeclarationStatus.SUBMITTED: _l("Submitted"),
        DeclarationStatus.ACCEPTED: _l("Accepted"),
        DeclarationStatus.CORRECTIONS_REQUESTED: _l("Corrections requested"),
    }
)


class PerimeterKind(enum.StrEnum):
    """How the perimeter of a campaign is organised."""

    UNIT = "unit"
    POPULATION = "population"
    SITE = "site"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Return the translated name of the kind of perimeter."""
        return PERIMETER_LABELS.text(self)


PERIMETER_LABELS = Labels(
    {
        PerimeterKind.UNIT: _l("By unit, department or service"),
        PerimeterKind.POPULATION: _l("By target population"),
        PerimeterKind.SITE: _l("By geographic site"),
        PerimeterKind.OTHER: _l("Other"),
    }
)


class Declaration(db.Model):
    """One directorate's declaration for one call."""

    __table_args__ = (UniqueConstraint("call_id", "directorate_id", name="one_per_call"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id"), index=True)
    directorate_id: Mapped[int] = mapped_column(ForeignKey("directorate.id"), index=True)
    status: Mapped[DeclarationStatus] = mapped_column(
        enum_type(DeclarationStatus, 30),
        default=DeclarationStatus.DRAFT,
    )
    wants_codir: Mapped[bool] = mapped_column(Boolean, default=False)
    comments: Mapped[str] = mapped_column(Text, default="")
    review_comment: Mapped[str | None] = mapped_column(Text)
    extended_until: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    call: Mapped[Call] = relationship()
    directorate: Mapped[Directorate] = relationship()
    campaigns: Mapped[list["Campaign"]] = relationship(
        back_populates="declaration", order_by="Campaign.position", cascade="all, delete-orphan"
    )
    ambassadors: Mapped[list["Ambassador"]] = relationship(
        back_populates="declaration", order_by="Ambassador.position", cascade="all, delete-orphan"
    )
    administrators: Mapped[list["Administrator"]] = relationship(
        back_populates="declaration",
        order_by="Administrator.position",
        cascade="all, delete-orphan",
    )
    events: Mapped[list["DeclarationEvent"]] = relationship(
        back_populates="declaration",
        order_by="DeclarationEvent.id",
        cascade="all, delete-orphan",
    )
    # The licences the project team granted (app/licences), if any.
    grant: Mapped["LicenceGrant | None"] = relationship(  # noqa: F821 - app/licences/models.py
        back_populates="declaration", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def total_licences(self) -> int:
        """Return the sum of the licences of the campaigns."""
        return sum(campaign.licences or 0 for campaign in self.campaigns)

    def __repr__(self) -> str:
        return f"<Declaration {self.id} {self.status}>"


# The learning paths a campaign follows. A path is never deleted (it is retired), and a
# campaign's choices go with the campaign.
campaign_learning_path = Table(
    "campaign_learning_path",
    db.metadata,
    Column("campaign_id", ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    Column("learning_path_id", ForeignKey("learning_path.id"), primary_key=True, index=True),
)


class Campaign(db.Model):
    """A PIX campaign the directorate plans (draft values may be missing)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200), default="")
    perimeter_kind: Mapped[PerimeterKind | None] = mapped_column(enum_type(PerimeterKind))
    perimeter_description: Mapped[str] = mapped_column(Text, default="")
    target_population: Mapped[str] = mapped_column(String(200), default="")
    headcount: Mapped[int | None] = mapped_column(Integer)
    licences: Mapped[int | None] = mapped_column(Integer)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # Other learning needs, or paths outside Annex 2 (before the choice of paths, all of them).
    learning_paths_note: Mapped[str] = mapped_column(String(500), default="")

    declaration: Mapped[Declaration] = relationship(back_populates="campaigns")
    # The learning paths the campaign follows, in list order (see LearningPath: one-way).
    paths: Mapped[list[LearningPath]] = relationship(
        secondary=campaign_learning_path, order_by=(LearningPath.position, LearningPath.id)
    )


class Ambassador(db.Model):
    """A PIX ambassador named by the directorate."""

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    last_name: Mapped[str] = mapped_column(String(100), default="")
    first_name: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(254), default="", index=True)
    phone: Mapped[str] = mapped_column(String(30), default="")
    unit: Mapped[str] = mapped_column(String(200), default="")

    declaration: Mapped[Declaration] = relationship(back_populates="ambassadors")


class Administrator(db.Model):
    """A PIX Orga administrator named by the directorate (HR or training domain)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    last_name: Mapped[str] = mapped_column(String(100), default="")
    first_name: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(254), default="", index=True)
    function: Mapped[str] = mapped_column(String(200), default="")
    hr_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)

    declaration: Mapped[Declaration] = relationship(back_populates="administrators")


class DeclarationEvent(db.Model):
    """One entry of a declaration's history: a save or a transition, with what changed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(40))
    comment: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    declaration: Mapped[Declaration] = relationship(back_populates="events")
    actor = relationship("User")


class ReceiptKind(enum.StrEnum):
    """What a receipt acknowledges."""

    SUBMISSION = "submission"
    ACCEPTANCE = "acceptance"

    @property
    def letter(self) -> str:
        """Return the letter of the kind in a receipt's reference (S or A)."""
        return "S" if self is ReceiptKind.SUBMISSION else "A"


class Receipt(db.Model):
    """An acknowledgement of receipt: a declaration as it was when submitted or accepted.

    `content` is a copy of what the receipt shows (call, directorate, campaigns, people), taken
    when it is issued; its PDF is drawn from that copy, so later changes never alter it.
    """

    __table_args__ = (UniqueConstraint("declaration_id", "kind", "number", name="one_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)
    kind: Mapped[ReceiptKind] = mapped_column(enum_type(ReceiptKind))
    # The rank of the receipt among the declaration's receipts of its kind, from 1.
    number: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(100), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)

    declaration: Mapped[Declaration] = relationship()


class Reminder(db.Model):
    """A reminder e-mailed to a directorate about a call, kept so it is not sent twice."""

    __table_args__ = (
        UniqueConstraint("call_id", "directorate_id", "kind", "sent_on", name="once_a_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id"), index=True)
    directorate_id: Mapped[int] = mapped_column(ForeignKey("directorate.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    sent_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
