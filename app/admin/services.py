"""Administration services: reference data edits, outbox and audit queries."""

import enum

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app import audit
from app.audit import AuditEntry
from app.auth.models import Role, User
from app.declarations.models import campaign_learning_path
from app.directorates.models import Call, Cvrh, Directorate, LearningPath, competence_codes
from app.extensions import db
from app.mail import MessageStatus, OutboxMessage
from app.versioning import StaleVersion, check_version


class DuplicateCode(ValueError):
    """Another record of the same kind already has this code."""


def _check_code(model, record, code: str) -> None:
    query = select(model.id).where(func.upper(model.code) == code.upper())
    if record.id is not None:
        query = query.where(model.id != record.id)
    if db.session.scalar(query) is not None:
        raise DuplicateCode(code)


def _changes(record, values: dict) -> dict:
    """Apply values to record and return {field: [before, after]} for those that changed."""
    changed = {}
    for field, value in values.items():
        before = getattr(record, field)
        if before != value:
            changed[field] = [_plain(before), _plain(value)]
            setattr(record, field, value)
    return changed


def _plain(value):
    if isinstance(value, Cvrh):
        return value.code
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value.value if isinstance(value, enum.Enum) else value


def save_directorate(directorate: Directorate, version: int | None = None, **values):
    """Create or update a directorate, recording what changed."""
    values["code"] = values["code"].strip().upper()
    _check_code(Directorate, directorate, values["code"])
    return _save(directorate, version, values, "directorate")


def save_cvrh(cvrh: Cvrh, version: int | None = None, **values) -> Cvrh:
    """Create or update a CVRH, recording what changed."""
    values["code"] = values["code"].strip().upper()
    values["email"] = values["email"].strip().lower()
    _check_code(Cvrh, cvrh, values["code"])
    return _save(cvrh, version, values, "cvrh")


def save_call(call: Call, version: int | None = None, **values) -> Call:
    """Create or update a call for declarations, recording what changed."""
    values["code"] = values["code"].strip().upper()
    _check_code(Call, call, values["code"])
    return _save(call, version, values, "call")


def save_learning_path(path: LearningPath, version: int | None = None, **values) -> LearningPath:
    """Create or update a learning path, recording what changed."""
    values["code"] = values["code"].strip().upper()
    values["competences"] = competence_codes(values["competences"])
    _check_code(LearningPath, path, values["code"])
    return _save(path, version, values, "learning_path")


def _save(record, version: int | None, values: dict, kind: str):
    """Apply the values and commit; StaleVersion if the record changed since the form opened.

    Two admins saving at the same instant: the version check of the UPDATE refuses the
    second (StaleDataError), and a duplicate code (unique constraint) is reported on the field.
    """
    check_version(record, version)
    creating = record.id is None
    changed = _changes(
        record, {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    )
    if creating:
        db.session.add(record)
    try:
        db.session.flush()
        if changed:
            action = f"{kind}.{'created' if creating else 'updated'}"
            audit.record(action, record, changes=changed)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleVersion(record) from None
    except IntegrityError:
        db.session.rollback()
        raise DuplicateCode(values["code"]) from None
    return record


def list_cvrhs() -> list[Cvrh]:
    """Return every CVRH, by code."""
    return list(db.session.scalars(select(Cvrh).order_by(Cvrh.code)))


def names_by_code(code, name) -> list[tuple[str, str]]:
    """Return the (code, name) pairs of a reference table, by code: the choices of a form.

    Two columns rather than whole records: the directorates run into hundreds.
    """
    return [(row[0], row[1]) for row in db.session.execute(select(code, name).order_by(code))]


def directorate_counts() -> dict[int, int]:
    """Return the number of directorates of each CVRH, by CVRH id (one grouped query)."""
    query = select(Directorate.cvrh_id, func.count()).group_by(Directorate.cvrh_id)
    return {cvrh_id: count for cvrh_id, count in db.session.execute(query)}


def list_calls() -> list[Call]:
    """Return every call, the latest deadline first."""
    return list(db.session.scalars(select(Call).order_by(Call.deadline.desc())))


def list_learning_paths() -> list[tuple[LearningPath, int]]:
    """Return every learning path in list order, with the number of campaigns that chose it."""
    uses = (
        select(func.count())
        .where(campaign_learning_path.c.learning_path_id == LearningPath.id)
        .scalar_subquery()
    )
    query = select(LearningPath, uses).order_by(LearningPath.position, LearningPath.code)
    return [(path, count) for path, count in db.session.execute(query)]


# Accounts invited whose invitation was never accepted: no password yet, never logged in.
INVITED = User.active.is_(True) & User.password_hash.is_(None) & User.last_login_at.is_(None)


def user_query(base, role: str | None, search: str | None, invited: bool = False):
    """Narrow a users query by role, by a piece of name or e-mail, to invitations not accepted."""
    if invited:
        base = base.where(INVITED)
    if role in {r.value for r in Role}:
        base = base.where(User.role == Role(role))
    if search:
        pattern = f"%{search.strip().lower()}%"
        base = base.where(
            func.lower(User.email).like(pattern) | func.lower(User.full_name).like(pattern)
        )
    return base.options(selectinload(User.directorate), selectinload(User.cvrh)).order_by(
        User.email
    )


def outbox_query(status: MessageStatus | None = None):
    """Return a query of the outbox (of one status, if given), the newest message first."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    return query if status is None else query.where(OutboxMessage.status == status)


def outbox_counts() -> dict[MessageStatus, int]:
    """Return the number of messages of each status (one grouped query)."""
    query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    return {status: count for status, count in db.session.execute(query)}


def audit_query():
    """Return a query of the audit log, the newest entry first."""
    return select(AuditEntry).options(selectinload(AuditEntry.actor)).order_by(AuditEntry.id.desc())
