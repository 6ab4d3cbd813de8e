"""Administration services: reference data edits, outbox and audit queries."""

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import audit
from app.audit import AuditEntry
from app.auth.models import Role, User
from app.directorates.models import Call, Cvrh, Directorate, DirectorateType
from app.extensions import db
from app.mail import OutboxMessage


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
    return value.value if isinstance(value, DirectorateType) else value


def save_directorate(directorate: Directorate, **values) -> Directorate:
    """Create or update a directorate, recording what changed."""
    values["code"] = values["code"].strip().upper()
    _check_code(Directorate, directorate, values["code"])
    return _save(directorate, values, "directorate")


def save_cvrh(cvrh: Cvrh, **values) -> Cvrh:
    """Create or update a CVRH, recording what changed."""
    values["code"] = values["code"].strip().upper()
    values["email"] = values["email"].strip().lower()
    _check_code(Cvrh, cvrh, values["code"])
    return _save(cvrh, values, "cvrh")


def save_call(call: Call, **values) -> Call:
    """Create or update a call for declarations, recording what changed."""
    values["code"] = values["code"].strip().upper()
    _check_code(Call, call, values["code"])
    return _save(call, values, "call")


def _save(record, values: dict, kind: str):
    creating = record.id is None
    changed = _changes(
        record, {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    )
    if creating:
        db.session.add(record)
    db.session.flush()
    if changed:
        audit.record(f"{kind}.{'created' if creating else 'updated'}", record, changes=changed)
    db.session.commit()
    return record


def list_cvrhs() -> list[Cvrh]:
    """Return every CVRH, by code, with its directorates."""
    query = select(Cvrh).options(selectinload(Cvrh.directorates)).order_by(Cvrh.code)
    return list(db.session.scalars(query))


def list_calls() -> list[Call]:
    """Return every call, the latest deadline first."""
    return list(db.session.scalars(select(Call).order_by(Call.deadline.desc())))


def user_query(base, role: str | None, search: str | None):
    """Narrow a users query by role and by a piece of name or e-mail."""
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


def outbox_query():
    """Return a query of the outbox, the newest message first."""
    return select(OutboxMessage).order_by(OutboxMessage.id.desc())


def audit_query():
    """Return a query of the audit log, the newest entry first."""
    return select(AuditEntry).options(selectinload(AuditEntry.actor)).order_by(AuditEntry.id.desc())
