"""The pool of PIX licences of a call, its history, and the licences granted per declaration."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.declarations.models import Declaration
from app.directorates.models import Call
from app.extensions import UTCDateTime, db, utcnow


class LicencePool(db.Model):
    """The number of PIX licences the ministry can allocate in a call.

    Its row is the lock of the call's grants: every grant and every change of the pool reads
    it FOR UPDATE (PostgreSQL), so that they take turns and the pool is never exceeded.
    """

    __table_args__ = (CheckConstraint("licences >= 0", name="not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id"), unique=True)
    licences: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Optimistic locking (app/versioning.py): two edits of the pool from the same page conflict.
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}

    call: Mapped[Call] = relationship()
    events: Mapped[list["LicencePoolEvent"]] = relationship(
        back_populates="pool", order_by="LicencePoolEvent.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<LicencePool {self.call_id}: {self.licences}>"


class LicencePoolEvent(db.Model):
    """One change of a call's pool: who, when, the number before and after, and why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("licence_pool.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    before: Mapped[int | None] = mapped_column(Integer)
    after: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")

    pool: Mapped[LicencePool] = relationship(back_populates="events")
    actor = relationship("User")


class LicenceGrant(db.Model):
    """The licences the project team grants a directorate for its declaration in a call.

    Its history is the declaration's (DeclarationEvent "licences_granted").
    """

    __table_args__ = (CheckConstraint("licences >= 0", name="not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), unique=True)
    licences: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Optimistic locking (app/versioning.py): two edits of the same grant conflict.
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}

    declaration: Mapped[Declaration] = relationship(back_populates="grant")
    updated_by = relationship("User")

    def __repr__(self) -> str:
        return f"<LicenceGrant {self.declaration_id}: {self.licences}>"
