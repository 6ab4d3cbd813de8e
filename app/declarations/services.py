"""Declarations: reading, saving drafts, transitions, extensions, history."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from flask import abort
from sqlalchemy import select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app import audit, mail
from app.auth.models import User
from app.codir import services as codir
from app.declarations import paths, policies, receipts
from app.declarations.models import (
    Administrator,
    Ambassador,
    Campaign,
    Declaration,
    DeclarationEvent,
    DeclarationStatus,
    PerimeterKind,
)
from app.declarations.rules import LIST_FIELDS, Problem, check_submission, is_blank_row
from app.declarations.workflow import COMMENT_REQUIRED, Transition, next_state
from app.directorates.models import Call, Directorate
from app.directorates.services import directorate_users
from app.extensions import db, utcnow
from app.notifications import services as notifications

ROW_MODELS = {"campaigns": Campaign, "ambassadors": Ambassador, "administrators": Administrator}


class DeclarationError(Exception):
    """A change that cannot be made; routes turn it into a message."""


class Conflict(DeclarationError):
    """Someone else saved the declaration since the form was opened."""

    def __init__(self, declaration: Declaration):
        super().__init__("conflict")
        self.declaration = declaration


class NotAllowed(DeclarationError):
    """The user may not do this to the declaration in its current state (or after the deadline)."""


class CommentRequired(DeclarationError):
    """The transition needs a comment for the directorate."""


class Invalid(DeclarationError):
    """The declaration cannot be submitted; problems say where and why."""

    def __init__(self, problems: list[Problem], declaration: Declaration | None = None):
        super().__init__("invalid")
        self.problems = problems
        self.declaration = declaration


def declaration_link(call: Call, directorate: Directorate, language: str) -> str:
    """Return the absolute address of a declaration's page, for an e-mail."""
    return mail.external_url("declarations.view", call_code=call.code,
                             directorate_code=directorate.code, lang=language)  # fmt: skip


def get_call(code: str) -> Call:
    """Return the call with this code or abort with 404."""
    return db.first_or_404(select(Call).where(Call.code == code))


def get_context(user: User, call_code: str, directorate_code: str):
    """Return (call, directorate, declaration or None) if the user may see them, else 404."""
    # Both unique lookups in one statement (a cross join of two single rows): a row only
    # when both exist.
    found = db.session.execute(
        select(Call, Directorate)
        .join(Directorate, true())
        .where(Call.code == call_code, Directorate.code == directorate_code)
    ).first()
    if found is None:
        abort(404)
    call, directorate = found
    if not policies.can_view(user, directorate):
        abort(404)
    declaration = db.session.scalar(
        select(Declaration)
        .where(Declaration.call_id == call.id, Declaration.directorate_id == directorate.id)
        .options(
            selectinload(Declaration.campaigns).selectinload(Campaign.paths),
            selectinload(Declaration.ambassadors),
            selectinload(Declaration.administrators),
            joinedload(Declaration.grant),  # one-to-one: in the same statement
        )
    )
    return call, directorate, declaration


def declarations_of(directorate: Directorate) -> dict[int, Declaration]:
    """Return a directorate's declarations keyed by call id (one query)."""
    query = select(Declaration).where(Declaration.directorate_id == directorate.id)
    return {declaration.call_id: declaration for declaration in db.session.scalars(query)}


def history(declaration: Declaration) -> list[DeclarationEvent]:
    """Return the declaration's events, newest first, with their authors (one statement)."""
    query = (
        select(DeclarationEvent)
        .where(DeclarationEvent.declaration_id == declaration.id)
        .options(joinedload(DeclarationEvent.actor))
        .order_by(DeclarationEvent.id.desc())
    )
    return list(db.session.scalars(query))


def snapshot(declaration: Declaration | None) -> dict[str, Any]:
    """Return the content of a declaration as plain data (empty for None)."""
    if declaration is None:
        return {
            "campaigns": [],
            "ambassadors": [],
            "administrators": [],
            "wants_codir": False,
            "comments": "",
        }
    data: dict[str, Any] = {
        "wants_codir": declaration.wants_codir,
        "comments": declaration.comments,
    }
    for kind, fields in LIST_FIELDS.items():
        data[kind] = [{f: _field(row, f) for f in fields} for row in getattr(declaration, kind)]
    return data


def _field(row, field: str) -> Any:
    if field == "paths":
        return [path.id for path in row.paths]
    return getattr(row, field)


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, PerimeterKind):
        return value.value
    return value


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    flat = {"wants_codir": data["wants_codir"], "comments": data["comments"]}
    for kind in LIST_FIELDS:
        for number, row in enumerate(data[kind], start=1):
            for field, value in row.items():
                flat[f"{kind}.{number}.{field}"] = _plain(value)
    return flat


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """Return {field path: [before, after]} for every field that differs."""
    old, new = _flatten(before), _flatten(after)
    changes = {}
    for key in sorted(old.keys() | new.keys()):
        if old.get(key) != new.get(key) and not (_blank(old.get(key)) and _blank(new.get(key))):
            changes[key] = [old.get(key), new.get(key)]
    return changes


def _blank(value: Any) -> bool:
    return value in (None, "") or value == []


def _normalized(data: dict[str, Any]) -> dict[str, Any]:
    """Drop blank rows and coerce the perimeter kind."""
    result = {"wants_codir": bool(data.get("wants_codir")), "comments": data.get("comments") or ""}
    for kind in LIST_FIELDS:
        rows = [dict(row) for row in data.get(kind, []) if not is_blank_row(row)]
        for row in rows:
            if kind == "campaigns" and row.get("perimeter_kind"):
                row["perimeter_kind"] = PerimeterKind(row["perimeter_kind"])
        result[kind] = rows
    return result


def apply_content(declaration: Declaration, data: dict[str, Any]) -> None:
    """Replace the content of a declaration by plain data (rows already normalized).

    The ids of the campaigns' learning paths are valid ones (rules.check_limits).
    """
    declaration.wants_codir = data["wants_codir"]
    declaration.comments = data["comments"]
    found = paths.by_ids({i for row in data["campaigns"] for i in row.get("paths") or ()})
    for kind, model in ROW_MODELS.items():
        rows = []
        for number, row in enumerate(data[kind], start=1):
            values = dict(row)
            if kind == "campaigns":
                values["paths"] = paths.in_order(found, values.get("paths"))
            rows.append(model(position=number, **values))
        setattr(declaration, kind, rows)
    declaration.updated_at = utcnow()


def record_event(
    declaration: Declaration,
    action: str,
    actor: User | None,
    comment: str = "",
    changes: dict | None = None,
) -> DeclarationEvent:
    """Add an entry to the declaration's history and to the audit log."""
    event = DeclarationEvent(
        declaration=declaration,
        action=action,
        actor_id=actor.id if actor else None,
        comment=comment,
        changes=changes or {},
    )
    db.session.add(event)
    audit.record(f"declaration.{action}", declaration, actor=actor, comment=comment)
    return event


def _latest(call_id: int, directorate_id: int) -> Declaration | None:
    return db.session.scalar(
        select(Declaration).where(
            Declaration.call_id == call_id, Declaration.directorate_id == directorate_id
        )
    )


@contextmanager
def _conflicts(declaration: Declaration) -> Iterator[None]:
    """Turn a concurrent change of the same declaration, at flush or commit, into a Conflict.

    The version check of the UPDATE (StaleDataError) catches a concurrent save or transition;
    the unique constraint on (call, directorate) catches two first saves at the same instant.
    """
    call_id = declaration.call_id or declaration.call.id
    directorate_id = declaration.directorate_id or declaration.directorate.id
    try:
        yield
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise Conflict(_latest(call_id, directorate_id)) from None


def _commit(declaration: Declaration) -> None:
    """Commit, turning a concurrent change of the same declaration into a Conflict."""
    with _conflicts(declaration):
        db.session.commit()


def _save(
    user: User,
    call: Call,
    directorate: Directorate,
    declaration: Declaration | None,
    data: dict[str, Any],
    version: int | None,
) -> Declaration:
    """Apply the content to the session and record what changed; the caller commits."""
    if not policies.can_edit(user, call, directorate, declaration):
        raise NotAllowed("edit")
    if declaration is not None and version != declaration.version:
        raise Conflict(declaration)
    if declaration is None:
        declaration = Declaration(call=call, directorate=directorate)
        db.session.add(declaration)
    data = _normalized(data)
    with _conflicts(declaration):
        changes = diff(snapshot(declaration if declaration.id else None), data)
        apply_content(declaration, data)
        db.session.flush()
        if changes or declaration.events == []:
            record_event(declaration, "saved", user, changes=changes)
        db.session.flush()
    return declaration


def save(
    user: User,
    call: Call,
    directorate: Directorate,
    declaration: Declaration | None,
    data: dict[str, Any],
    version: int | None,
) -> Declaration:
    """Save the content as typed (a draft may be incomplete) and record what changed."""
    declaration = _save(user, call, directorate, declaration, data, version)
    _commit(declaration)
    return declaration


def submit(
    user: User,
    call: Call,
    directorate: Directorate,
    declaration: Declaration | None,
    data: dict[str, Any],
    version: int | None,
) -> Declaration:
    """Save the content and submit it if complete, in one transaction, with its e-mails.

    The confirmation e-mail, the project team's notifications and the CODIR request a
    declaration may wish are written in the same transaction as the submission: all of it is
    committed, or none. When the content is
    incomplete it is still saved, so nothing typed is lost; Invalid then carries the problems
    and the saved declaration.
    """
    declaration = _save(user, call, directorate, declaration, data, version)
    problems = check_submission(snapshot(declaration))
    if problems:
        _commit(declaration)
        raise Invalid(problems, declaration)
    with _conflicts(declaration):
        again = declaration.status is DeclarationStatus.CORRECTIONS_REQUESTED
        _transition(user, declaration, Transition.SUBMIT, "")
        declaration.submitted_at = utcnow()
        receipt = receipts.issue_for(Transition.SUBMIT, declaration, user)
        mail.send(
            user.email,
            "declaration_submitted",
            user.language,
            attachments=receipts.attachments(receipt, user.language),
            declaration=declaration,
            receipt=receipt,
            user=user,
            link=declaration_link(call, directorate, user.language),
        )
        notifications.declaration_submitted(user, declaration, again)
        if declaration.wants_codir:
            codir.open_from_declaration(user, directorate)
    _commit(declaration)
    return declaration


def _transition(user: User, declaration: Declaration, transition: Transition, comment: str) -> None:
    if not policies.can_transition(user, declaration, transition):
        raise NotAllowed(transition.value)
    comment = (comment or "").strip()
    if transition in COMMENT_REQUIRED and not comment:
        raise CommentRequired(transition.value)
    new_state, _ = next_state(declaration.status, transition)
    before = declaration.status
    declaration.status = new_state
    declaration.updated_at = utcnow()
    if transition in (Transition.REQUEST_CORRECTIONS, Transition.REOPEN):
        declaration.review_comment = comment or None
    record_event(
        declaration, transition.value, user, comment, {"status": [before.value, new_state.value]}
    )


def review(
    user: User, declaration: Declaration, transition: Transition, comment: str, version: int | None
) -> None:
    """Accept, request corrections on or reopen a declaration, and tell its directorate."""
    if version is not None and version != declaration.version:
        raise Conflict(declaration)
    with _conflicts(declaration):
        _transition(user, declaration, transition, comment)
        receipt = receipts.issue_for(transition, declaration, user)
        for person in directorate_users(declaration.directorate):
            mail.send(
                person.email,
                f"declaration_{transition.value}",
                person.language,
                attachments=receipts.attachments(receipt, person.language),
                declaration=declaration,
                receipt=receipt,
                user=person,
                comment=comment.strip(),
                link=declaration_link(declaration.call, declaration.directorate, person.language),
            )
    _commit(declaration)


def extend(
    user: User, call: Call, directorate: Directorate, declaration: Declaration | None, until: date
) -> Declaration:
    """Let a directorate edit and submit until a later date than the call's deadline."""
    if not policies.can_review(user):
        raise NotAllowed("extend")
    if declaration is None:
        declaration = Declaration(call=call, directorate=directorate)
        db.session.add(declaration)
    with _conflicts(declaration):
        db.session.flush()
        before = declaration.extended_until
        declaration.extended_until = until
        declaration.updated_at = utcnow()
        record_event(
            declaration,
            "extended",
            user,
            changes={"extended_until": [_plain(before), until.isoformat()]},
        )
    _commit(declaration)
    return declaration
