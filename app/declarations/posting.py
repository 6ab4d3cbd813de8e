"""Writing in the conversation on a declaration: messages with their files, private notes.

A message, its files' rows, its history entry, its audit entry, the poster's read marker and
the e-mails to the other side are one transaction. The files are checked before anything is
written, stored once all of them passed, and deleted again if the transaction fails: no file
on disk without its row.
"""

from dataclasses import dataclass
from typing import IO

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import audit, mail
from app.auth.models import User
from app.content import files
from app.declarations import policies, thread
from app.declarations.models import Declaration, DeclarationEvent
from app.declarations.thread_models import DeclarationMessage, DeclarationNote, MessageFile
from app.declarations.workflow import Side
from app.directorates.models import Call, Directorate
from app.directorates.services import directorate_users
from app.extensions import db
from app.notifications import services as notifications
from app.once import AlreadyPosted, bound, posted
from app.uploads import size_of


class NotAllowed(Exception):
    """The user may not write this in this conversation."""


class FileRefused(Exception):
    """One of the files is refused; `message` says which and why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Upload:
    """A file sent with a message: its bytes and the name the browser gave."""

    stream: IO[bytes]
    name: str


def _check(uploads: list[Upload]) -> list[tuple[files.CheckedFile, Upload]]:
    """Check every file with the content's checks, before anything is stored."""
    checked = []
    for upload in uploads:
        try:
            checked.append((files.check(upload.stream, upload.name), upload))
        except files.FileRefused as refused:
            name = files.safe_name(upload.name)
            message = _("%(name)s: %(reason)s", name=name, reason=refused.message)
            raise FileRefused(message) from None
    return checked


def _record_in_history(user: User, call: Call, directorate: Directorate) -> None:
    """Add "message" to the declaration's history, if it is started (never the text)."""
    declaration_id = db.session.scalar(
        select(Declaration.id).where(
            Declaration.call_id == call.id, Declaration.directorate_id == directorate.id
        )
    )
    if declaration_id is not None:
        # By id: the declaration itself is not changed, so its version (and the page a
        # colleague is filling in) stays as it is.
        db.session.add(
            DeclarationEvent(declaration_id=declaration_id, action="message", actor_id=user.id)
        )


def _tell_the_directorate(message: DeclarationMessage, call: Call, directorate: Directorate):
    for person in directorate_users(directorate):
        mail.send(
            person.email,
            "declaration_message",
            person.language,
            user=person,
            call=call,
            directorate=directorate,
            message=message,
            link=thread.thread_link(call, directorate, person.language),
        )


def post_message(
    user: User,
    call: Call,
    directorate: Directorate,
    body: str,
    uploads: list[Upload],
    once: str | None = None,
) -> DeclarationMessage:
    """Add a message to the conversation and e-mail the other side, in one transaction.

    NotAllowed for a user who may not write here; FileRefused before anything is written;
    AlreadyPosted if the form of key `once` was posted already, even at the same instant.
    """
    side = policies.side_of(user)
    if side is None or not policies.can_post_message(user, directorate):
        raise NotAllowed("message")
    sent = [(upload.name, size_of(upload.stream)) for upload in uploads]
    once = bound(once, user.id, call.id, directorate.id, body, sent)
    if posted(DeclarationMessage, once):
        raise AlreadyPosted
    checked = _check(uploads)
    stored: list[str] = []
    try:
        message = DeclarationMessage(
            call_id=call.id,
            directorate_id=directorate.id,
            author_id=user.id,
            side=side,
            body=body,
            once_key=once,
        )
        for found, upload in checked:
            stored.append(files.store(upload.stream))
            message.files.append(
                MessageFile(
                    file_name=found.name,
                    content_type=found.content_type,
                    size=found.size,
                    storage_key=stored[-1],
                )
            )
        db.session.add(message)
        db.session.flush()
        _record_in_history(user, call, directorate)
        audit.record(
            "declaration.message",
            message,
            actor=user,
            call=call.code,
            directorate=directorate.code,
            files=len(stored),
        )
        if side is Side.DIRECTORATE:
            notifications.message_from_directorate(user, call, directorate, message)
        else:
            _tell_the_directorate(message, call, directorate)
        thread.upsert_marker(user.id, call.id, directorate.id, message.id)
        db.session.commit()
    except BaseException as error:
        db.session.rollback()
        for key in stored:
            files.discard(key)
        if isinstance(error, IntegrityError) and posted(DeclarationMessage, once):
            raise AlreadyPosted from None  # the same form, sent at the same instant
        raise
    return message


def add_note(
    user: User, call: Call, directorate: Directorate, body: str, once: str | None = None
) -> DeclarationNote:
    """Add a private note of the project team (audited without its text; never e-mailed).

    AlreadyPosted if the form of key `once` was posted already, even at the same instant.
    """
    if not policies.can_see_notes(user) or not policies.can_view(user, directorate):
        raise NotAllowed("note")
    once = bound(once, user.id, call.id, directorate.id, body)
    if posted(DeclarationNote, once):
        raise AlreadyPosted
    note = DeclarationNote(
        call_id=call.id, directorate_id=directorate.id, author_id=user.id, body=body, once_key=once
    )
    db.session.add(note)
    try:
        db.session.flush()
        audit.record(
            "declaration.note", note, actor=user, call=call.code, directorate=directorate.code
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if posted(DeclarationNote, once):
            raise AlreadyPosted from None
        raise
    return note
