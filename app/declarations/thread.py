"""The conversation on a declaration, read: its messages and notes, unread counts, read markers.

Each user has a read marker per conversation: the id of the last message they have seen there.
A message is unread for a user when it comes after that marker, from the other side (for the
CVRH, which reads without taking part, from anyone) and not from the user. Every count is one
statement, whatever the number of conversations and messages.
"""

import logging
from dataclasses import dataclass, field
from typing import ClassVar

from flask_wtf import FlaskForm
from sqlalchemy import ColumnElement, ScalarSelect, Select, and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from app import mail
from app.auth.models import User
from app.declarations import policies
from app.declarations.thread_forms import MessageForm, NoteForm
from app.declarations.thread_models import (
    BODY_MAX,
    FILES_MAX,
    DeclarationMessage,
    DeclarationNote,
    MessageFile,
    ThreadRead,
)
from app.directorates.models import Call, Directorate
from app.directorates.policies import directorates_visible_to
from app.extensions import db, utcnow

log = logging.getLogger(__name__)


@dataclass
class Thread:
    """What the declaration page shows of the conversation to one user."""

    messages: list[DeclarationMessage]
    # The user's read marker before this visit: later messages are marked as new.
    read_up_to: int | None
    can_post: bool
    message_form: FlaskForm | None = None
    # None for those who may not see the notes: the page then has no notes part at all.
    notes: list[DeclarationNote] | None = None
    note_form: FlaskForm | None = None
    unread: list[int] = field(default_factory=list)
    body_max: ClassVar[int] = BODY_MAX
    files_max: ClassVar[int] = FILES_MAX

    @property
    def last_id(self) -> int | None:
        """Return the id of the last message shown, if any."""
        return self.messages[-1].id if self.messages else None


def _in(call: Call, directorate: Directorate, model=DeclarationMessage) -> list[ColumnElement]:
    return [model.call_id == call.id, model.directorate_id == directorate.id]


def _marker(user: User, call: Call, directorate: Directorate):
    return (
        select(ThreadRead.last_message_id)
        .where(
            ThreadRead.user_id == user.id,
            ThreadRead.call_id == call.id,
            ThreadRead.directorate_id == directorate.id,
        )
        .scalar_subquery()
    )


def for_page(user: User, call: Call, directorate: Directorate, forms: dict | None = None) -> Thread:
    """Return the conversation as the user may see it: messages, and notes for the staff.

    Messages, their authors and files and the user's read marker come in one statement; the
    notes in a second one, for the staff only.
    """
    forms = forms or {}
    rows = db.session.execute(
        select(DeclarationMessage, _marker(user, call, directorate))
        .where(*_in(call, directorate))
        .options(joinedload(DeclarationMessage.author), joinedload(DeclarationMessage.files))
        .order_by(DeclarationMessage.id)
    ).unique()
    messages, read_up_to = [], None
    for message, marker in rows:
        messages.append(message)
        read_up_to = marker
    can_post = policies.can_post_message(user, directorate)
    thread = Thread(
        messages=messages,
        read_up_to=read_up_to,
        can_post=can_post,
        message_form=(forms.get("message") or MessageForm(prefix="message")) if can_post else None,
        unread=[m.id for m in messages if _is_unread(user, m, read_up_to)],
    )
    if policies.can_see_notes(user):
        thread.notes = list(
            db.session.scalars(
                select(DeclarationNote)
                .where(*_in(call, directorate, DeclarationNote))
                .options(joinedload(DeclarationNote.author))
                .order_by(DeclarationNote.id)
            )
        )
        thread.note_form = forms.get("note") or NoteForm(prefix="note")
    return thread


def _is_unread(user: User, message: DeclarationMessage, read_up_to: int | None) -> bool:
    if read_up_to is not None and message.id <= read_up_to:
        return False
    return message.author_id != user.id and message.side is not policies.side_of(user)


def upsert_marker(user_id: int, call_id: int, directorate_id: int, last_id: int) -> None:
    """Move a read marker forward to `last_id` (never back), creating it if needed.

    One INSERT ... ON CONFLICT statement: two at once for the same user and conversation
    (two tabs, a post and a page) never collide on the key; the later id wins.
    """
    insert = (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    statement = insert(ThreadRead).values(
        user_id=user_id,
        call_id=call_id,
        directorate_id=directorate_id,
        last_message_id=last_id,
        read_at=utcnow(),
    )
    statement = statement.on_conflict_do_update(
        index_elements=[ThreadRead.user_id, ThreadRead.call_id, ThreadRead.directorate_id],
        set_={
            "last_message_id": statement.excluded.last_message_id,
            "read_at": statement.excluded.read_at,
        },
        where=ThreadRead.last_message_id < statement.excluded.last_message_id,
    )
    db.session.execute(statement)


def mark_read(user: User, call: Call, directorate: Directorate, thread: Thread) -> None:
    """Record that the user has read the messages the page showed, if some were new.

    Called once the page is rendered: the reading transaction ends first, so that the marker's
    own transaction starts with its write. A marker that cannot be written now (the database
    busy) is no reason to fail the page: the messages stay unread until the next visit.
    """
    last = thread.last_id
    if last is None or (thread.read_up_to is not None and last <= thread.read_up_to):
        return
    user_id, call_id, directorate_id = user.id, call.id, directorate.id
    db.session.rollback()
    try:
        upsert_marker(user_id, call_id, directorate_id, last)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("read marker of user %s not saved", user_id, exc_info=True)


def thread_link(call: Call, directorate: Directorate, language: str) -> str:
    """Return the absolute address of the conversation on the declaration page, for an e-mail."""
    return (
        mail.external_url(
            "declarations.view",
            call_code=call.code,
            directorate_code=directorate.code,
            lang=language,
        )
        + "#thread"
    )


# --- Unread counts --------------------------------------------------------------------------


def _unread(user: User, query: Select) -> Select:
    """Narrow a query of messages to those unread by the user."""
    query = query.outerjoin(
        ThreadRead,
        and_(
            ThreadRead.user_id == user.id,
            ThreadRead.call_id == DeclarationMessage.call_id,
            ThreadRead.directorate_id == DeclarationMessage.directorate_id,
        ),
    ).where(
        or_(
            ThreadRead.last_message_id.is_(None), DeclarationMessage.id > ThreadRead.last_message_id
        ),
        or_(DeclarationMessage.author_id.is_(None), DeclarationMessage.author_id != user.id),
    )
    side = policies.side_of(user)
    if side is not None:
        query = query.where(DeclarationMessage.side != side)
    return query


def _visible(user: User) -> ColumnElement[bool]:
    """Return the condition of the conversations of the directorates the user may see."""
    visible = directorates_visible_to(user).with_only_columns(Directorate.id).order_by(None)
    return DeclarationMessage.directorate_id.in_(visible.scalar_subquery())


def unread_by_call(user: User, call_ids: list[int]) -> dict[int, int]:
    """Return, per call, the messages unread by the user in the conversations they may see."""
    if not call_ids:
        return {}
    query = _unread(
        user,
        select(DeclarationMessage.call_id, func.count(DeclarationMessage.id)).where(
            DeclarationMessage.call_id.in_(call_ids), _visible(user)
        ),
    ).group_by(DeclarationMessage.call_id)
    return dict(db.session.execute(query).all())


def unread_on_open_calls(user: User) -> ScalarSelect:
    """Return a subquery counting the messages of the open calls unread by the user."""
    open_calls = select(Call.id).where(Call.is_open.is_(True)).scalar_subquery()
    query = select(func.count(DeclarationMessage.id)).where(
        DeclarationMessage.call_id.in_(open_calls), _visible(user)
    )
    return _unread(user, query).scalar_subquery()


def unread_by_directorate(user: User, call: Call) -> dict[int, int]:
    """Return, per directorate, the messages of a call unread by the user (those they may see)."""
    query = _unread(
        user,
        select(DeclarationMessage.directorate_id, func.count(DeclarationMessage.id)).where(
            DeclarationMessage.call_id == call.id, _visible(user)
        ),
    ).group_by(DeclarationMessage.directorate_id)
    return dict(db.session.execute(query).all())


def get_file(
    user: User, call: Call, directorate: Directorate, message_id: int, file_id: int
) -> MessageFile | None:
    """Return a file of a message of this conversation if the user may read it, else None."""
    if not policies.can_read_thread(user, directorate):
        return None
    return db.session.scalar(
        select(MessageFile)
        .join(DeclarationMessage, MessageFile.message_id == DeclarationMessage.id)
        .where(MessageFile.id == file_id, DeclarationMessage.id == message_id)
        .where(*_in(call, directorate))
    )
