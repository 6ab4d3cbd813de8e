"""Content of the intranet: sections, pages, news, events, in French and English, with revisions."""

import enum
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.directorates.models import LearningPath, competence_codes
from app.extensions import UTCDateTime, db, enum_type, utcnow
from app.i18n import Labels


class ContentKind(enum.StrEnum):
    """What an item is."""

    SECTION = "section"
    PAGE = "page"
    NEWS = "news"
    EVENT = "event"

    @property
    def label(self) -> str:
        """Return the translated name of the kind."""
        return KIND_LABELS.text(self)


KIND_LABELS = Labels(
    {
        ContentKind.SECTION: _l("Section"),
        ContentKind.PAGE: _l("Page"),
        ContentKind.NEWS: _l("News item"),
        ContentKind.EVENT: _l("Event"),
    }
)


class ContentState(enum.StrEnum):
    """Plone's simple publication workflow."""

    PRIVATE = "private"
    PENDING = "pending"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        """Return the translated name of the state."""
        return STATE_LABELS.text(self)


STATE_LABELS = Labels(
    {
        ContentState.PRIVATE: _l("Private"),
        ContentState.PENDING: _l("Pending review"),
        ContentState.PUBLISHED: _l("Published"),
    }
)

REVISION_ACTIONS = {
    "created": _l("Created"),
    "saved": _l("Saved"),
    "working_copy": _l("Working copy saved"),
    "published": _l("Changes published"),
    "attachment_added": _l("File attached"),
    "attachment_removed": _l("File removed"),
}

# The fields an editor writes; a revision and a working copy hold exactly these.
EDITABLE = (
    "title",
    "summary",
    "slug",
    "body",
    "effective_on",
    "expires_on",
    "starts_at",
    "ends_at",
    "date_to_be_confirmed",
    "audience",
    "online",
    "location",
    "link",
    "registration",
    "competences",
    "learning_paths",
)
# The tags of an item (pages, news, events; not sections): PIX competence codes, in reference
# order, and ids of learning paths. Revisions and working copies hold them as lists; the
# item's own tags (online once published) are rows of ContentCompetence and ContentLearningPath.
TAGS = ("competences", "learning_paths")


class ContentItem(db.Model):
    """One language version of an item; the other version shares its group."""

    __table_args__ = (UniqueConstraint("group_id", "language", name="one_per_language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(Integer, index=True)
    language: Mapped[str] = mapped_column(String(2))
    kind: Mapped[ContentKind] = mapped_column(enum_type(ContentKind))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("content_item.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[ContentState] = mapped_column(
        enum_type(ContentState), default=ContentState.PRIVATE, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    slug: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")
    effective_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    date_to_be_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    audience: Mapped[str] = mapped_column(String(300), default="")
    online: Mapped[bool] = mapped_column(Boolean, default=True)
    location: Mapped[str] = mapped_column(String(300), default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    registration: Mapped[str] = mapped_column(Text, default="")
    # Edits of a published item wait here, in their own state, until published.
    working_copy: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    working_state: Mapped[ContentState | None] = mapped_column(enum_type(ContentState))
    review_comment: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped on every change: a form or a session holding an older number gets a conflict.
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))

    parent: Mapped["ContentItem | None"] = relationship(remote_side=[id])
    author = relationship("User")
    revisions: Mapped[list["Revision"]] = relationship(
        back_populates="item", order_by="Revision.number", cascade="all, delete-orphan"
    )
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="item", order_by="Attachment.id", cascade="all, delete-orphan"
    )
    competence_tags: Mapped[list["ContentCompetence"]] = relationship(
        back_populates="item", cascade="all, delete-orphan", passive_deletes=True
    )
    path_tags: Mapped[list["ContentLearningPath"]] = relationship(
        back_populates="item", cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": version}

    def fields(self) -> dict[str, Any]:
        """Return the editable fields as they are online (or as saved, if never published)."""
        return {name: getattr(self, name) for name in EDITABLE}

    @property
    def competences(self) -> list[str]:
        """Return the codes of the PIX competences the item is tagged with, in reference order."""
        return competence_codes(tag.competence for tag in self.competence_tags)

    @competences.setter
    def competences(self, codes) -> None:
        kept = {tag.competence: tag for tag in self.competence_tags}
        self.competence_tags = [
            kept.get(code) or ContentCompetence(competence=code) for code in competence_codes(codes)
        ]

    @property
    def learning_paths(self) -> list[int]:
        """Return the ids of the learning paths the item is tagged with, in increasing order."""
        return sorted(tag.learning_path_id for tag in self.path_tags)

    @learning_paths.setter
    def learning_paths(self, ids) -> None:
        kept = {tag.learning_path_id: tag for tag in self.path_tags}
        self.path_tags = [
            kept.get(path_id) or ContentLearningPath(learning_path_id=path_id)
            for path_id in sorted({int(path_id) for path_id in ids or ()})
        ]

    def __repr__(self) -> str:
        return f"<ContentItem {self.id} {self.language} {self.slug} {self.state}>"


class ContentCompetence(db.Model):
    """A PIX competence an item is tagged with (its online tags once it is published)."""

    # "Items tagged with 2.1" reads this index alone; the primary key serves "tags of an item".
    __table_args__ = (Index("ix_content_competence_competence", "competence", "item_id"),)

    item_id: Mapped[int] = mapped_column(
        ForeignKey("content_item.id", ondelete="CASCADE"), primary_key=True
    )
    competence: Mapped[str] = mapped_column(String(5), primary_key=True)

    item: Mapped[ContentItem] = relationship(back_populates="competence_tags")


class ContentLearningPath(db.Model):
    """A learning path an item is tagged with (its online tags once it is published)."""

    __table_args__ = (
        Index("ix_content_learning_path_learning_path_id", "learning_path_id", "item_id"),
    )

    item_id: Mapped[int] = mapped_column(
        ForeignKey("content_item.id", ondelete="CASCADE"), primary_key=True
    )
    learning_path_id: Mapped[int] = mapped_column(ForeignKey("learning_path.id"), primary_key=True)

    item: Mapped[ContentItem] = relationship(back_populates="path_tags")
    learning_path: Mapped[LearningPath] = relationship()


class Revision(db.Model):
    """A saved version of an item: who, when, why, and every editable field."""

    __table_args__ = (UniqueConstraint("item_id", "number", name="one_number_per_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("content_item.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str] = mapped_column(String(300), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[ContentItem] = relationship(back_populates="revisions")
    author = relationship("User")


class AttachmentState(enum.StrEnum):
    """Where a file stands with respect to its item and the item's working copy."""

    CURRENT = "current"  # part of the item: online when the item is
    ADDED = "added"  # added in the working copy: online once the copy is published
    WITHDRAWN = "withdrawn"  # removed in the working copy: online until the copy is published
    REMOVED = "removed"  # removed: kept, with its file, for the history


class Attachment(db.Model):
    """A file (PDF or office document) attached to an item, stored outside the static folder."""

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("content_item.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[AttachmentState] = mapped_column(
        enum_type(AttachmentState),
        default=AttachmentState.CURRENT,
        server_default=AttachmentState.CURRENT.value,
    )
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    item: Mapped[ContentItem] = relationship(back_populates="attachments")
