"""The conversation on a declaration: messages, their files, read markers, private notes.

A conversation belongs to a directorate and a call, as the declaration does, so it exists
before the declaration is started (a question asked first) and through every state.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.declarations.workflow import Side
from app.extensions import UTCDateTime, db, enum_type, utcnow

# The longest message or note, in characters.
BODY_MAX = 5000
# The most files one message carries.
FILES_MAX = 5


class DeclarationMessage(db.Model):
    """A message between a directorate and the project team about its declaration."""

    __table_args__ = (Index("ix_declaration_message_thread", "call_id", "directorate_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id"))
    directorate_id: Mapped[int] = mapped_column(ForeignKey("directorate.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Who wrote it, as the workflow names the sides: told apart from the author's role, which
    # may change later.
    side: Mapped[Side] = mapped_column(enum_type(Side))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The random key of the form it was sent from: the same form sent twice (a double click)
    # makes one message.
    once_key: Mapped[str | None] = mapped_column(String(32), unique=True)

    author = relationship("User")
    files: Mapped[list["MessageFile"]] = relationship(
        back_populates="message", order_by="MessageFile.id", cascade="all, delete-orphan"
    )


class MessageFile(db.Model):
    """A file joined to a message, stored under ATTACHMENTS_DIR like the content's files."""

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("declaration_message.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)

    message: Mapped[DeclarationMessage] = relationship(back_populates="files")


class ThreadRead(db.Model):
    """The last message a user has read in a conversation (the later ones are unread)."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id"), primary_key=True)
    directorate_id: Mapped[int] = mapped_column(ForeignKey("directorate.id"), primary_key=True)
    last_message_id: Mapped[int] = mapped_column(Integer)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DeclarationNote(db.Model):
    """A private note of the project team on a declaration, never shown to the directorate."""

    __table_args__ = (Index("ix_declaration_note_thread", "call_id", "directorate_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id"))
    directorate_id: Mapped[int] = mapped_column(ForeignKey("directorate.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    once_key: Mapped[str | None] = mapped_column(String(32), unique=True)  # as a message's

    author = relationship("User")
