"""Follow-up of a declared campaign: its plan, targets, checkpoints and imported results.

A plan belongs to a campaign of a declaration, found by the campaign's position: saving a
declaration replaces its campaign rows, so the plan cannot point at one of them.
"""

import enum
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.declarations.models import Declaration
from app.directorates.models import CampaignKind
from app.extensions import UTCDateTime, db, enum_type, utcnow
from app.i18n import Labels


class Aim(enum.StrEnum):
    """Why the directorate runs the campaign."""

    SELF_ASSESSMENT = "self_assessment"
    SKILLS_PROJECT = "skills_project"

    @property
    def label(self) -> str:
        """Return the translated name of the aim."""
        return AIM_LABELS.text(self)


AIM_LABELS = Labels(
    {
        Aim.SELF_ASSESSMENT: _l("Agents' self-assessment only"),
        Aim.SKILLS_PROJECT: _l("A managerial skills project, with targets"),
    }
)


class FollowupPlan(db.Model):
    """The follow-up plan of the campaign at `position` in a declaration."""

    __table_args__ = (UniqueConstraint("declaration_id", "position", name="one_per_campaign"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    campaign_label: Mapped[str] = mapped_column(String(200), default="")
    aim: Mapped[Aim] = mapped_column(enum_type(Aim, 30), default=Aim.SKILLS_PROJECT)
    kind: Mapped[CampaignKind] = mapped_column(enum_type(CampaignKind, 30))
    population: Mapped[str] = mapped_column(String(200), default="")
    population_size: Mapped[int | None] = mapped_column(Integer)
    # Assessment targets for the whole profile: a mastery percentage, a minimum stage.
    mastery_target: Mapped[int | None] = mapped_column(Integer)
    stage_target: Mapped[int | None] = mapped_column(Integer)
    # The PIX Orga campaign the first import came from; later files must come from it too.
    pixorga_code: Mapped[str | None] = mapped_column(String(60))
    pixorga_id: Mapped[str | None] = mapped_column(String(60))
    pixorga_name: Mapped[str | None] = mapped_column(String(255))
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    declaration: Mapped[Declaration] = relationship()
    targets: Mapped[list["CompetenceTarget"]] = relationship(
        back_populates="plan", order_by="CompetenceTarget.competence", cascade="all, delete-orphan"
    )
    checkpoints: Mapped[list["Checkpoint"]] = relationship(
        back_populates="plan", order_by="Checkpoint.position", cascade="all, delete-orphan"
    )
    imports: Mapped[list["ResultImport"]] = relationship(
        back_populates="plan", order_by="ResultImport.id", cascade="all, delete-orphan"
    )
    events: Mapped[list["PlanEvent"]] = relationship(
        back_populates="plan", order_by="PlanEvent.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<FollowupPlan {self.declaration_id}/{self.position}>"


class CompetenceTarget(db.Model):
    """The target of one competence: a level (profiles) or a mastery percentage (assessment)."""

    __table_args__ = (UniqueConstraint("plan_id", "competence", name="one_per_competence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("followup_plan.id"), index=True)
    competence: Mapped[str] = mapped_column(String(5))
    level: Mapped[int | None] = mapped_column(Integer)
    mastery: Mapped[int | None] = mapped_column(Integer)

    plan: Mapped[FollowupPlan] = relationship(back_populates="targets")


class Checkpoint(db.Model):
    """A moment of the campaign when results are imported and read: launch, mid-point..."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("followup_plan.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    due_on: Mapped[date | None] = mapped_column(Date)

    plan: Mapped[FollowupPlan] = relationship(back_populates="checkpoints")
    result: Mapped["ResultImport | None"] = relationship(back_populates="checkpoint")
    # Left to the database's ON DELETE CASCADE: removing a checkpoint loads none of them.
    reminders: Mapped[list["CheckpointReminder"]] = relationship(
        back_populates="checkpoint", cascade="all, delete-orphan", passive_deletes=True
    )


class CheckpointReminder(db.Model):
    """A reminder e-mailed N days before a checkpoint, kept so that it is never sent twice.

    The date is part of the key: a checkpoint moved to another date is reminded again.
    """

    __table_args__ = (
        UniqueConstraint("checkpoint_id", "days_before", "due_on", name="once_per_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checkpoint_id: Mapped[int] = mapped_column(ForeignKey("checkpoint.id", ondelete="CASCADE"))
    days_before: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    checkpoint: Mapped[Checkpoint] = relationship(back_populates="reminders")


class ResultImport(db.Model):
    """A PIX Orga result export imported at a checkpoint, with the figures drawn from it.

    `summary` holds the aggregate figures (app/followup/figures.py); it is what remains once
    the individual rows are purged.
    """

    __table_args__ = (
        UniqueConstraint("checkpoint_id", name="one_per_checkpoint"),
        UniqueConstraint("plan_id", "fingerprint", name="same_file_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("followup_plan.id"), index=True)
    checkpoint_id: Mapped[int] = mapped_column(ForeignKey("checkpoint.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    file_name: Mapped[str] = mapped_column(String(255), default="")
    kind: Mapped[CampaignKind] = mapped_column(enum_type(CampaignKind, 30))
    fingerprint: Mapped[str] = mapped_column(String(64))
    participant_count: Mapped[int] = mapped_column(Integer)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[FollowupPlan] = relationship(back_populates="imports")
    checkpoint: Mapped[Checkpoint] = relationship(back_populates="result")
    actor = relationship("User")
    participants: Mapped[list["Participant"]] = relationship(
        back_populates="result_import",
        order_by="Participant.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Participant(db.Model):
    """One participation read from an import: personal data, kept inside the directorate."""

    __table_args__ = (Index("ix_participant_import_status", "import_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("result_import.id", ondelete="CASCADE"))
    line: Mapped[int] = mapped_column(Integer)
    last_name: Mapped[str] = mapped_column(String(255), default="")
    first_name: Mapped[str] = mapped_column(String(255), default="")
    extras: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    progression: Mapped[float | None] = mapped_column(Float)
    mastery: Mapped[float | None] = mapped_column(Float)
    stage: Mapped[int | None] = mapped_column(Integer)
    # {competence code: level} for profiles, {competence code: share 0 to 1} for assessments.
    results: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    # Where the participant stands against the plan's targets (figures.status_of), kept up to
    # date when the targets change, so that the checkpoint list is a paginated query.
    status: Mapped[str] = mapped_column(String(20))
    missed: Mapped[list[str]] = mapped_column(JSON, default=list)

    result_import: Mapped[ResultImport] = relationship(back_populates="participants")


class PlanEvent(db.Model):
    """One entry of a plan's history: a change of the plan, an import, a deletion, a purge."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("followup_plan.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(40))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    plan: Mapped[FollowupPlan] = relationship(back_populates="events")
    actor = relationship("User")
