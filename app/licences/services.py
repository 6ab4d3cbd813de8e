"""Licences: the pool of a call and the grants, one call's grants at a time, with their history.

Every write reads the call's pool row FOR UPDATE first (on PostgreSQL; on SQLite a writing
request holds the database's write lock from its first statement, app/database.py): grants and
changes of the pool of the same call then take turns, and each one sums the grants as the
previous one committed them, so the pool is never exceeded. Each grant and the pool carry a
version (app/versioning.py): an edit based on a page opened before another change of the same
record is refused as a conflict instead of replacing it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload
from sqlalchemy.orm.exc import StaleDataError

from app import audit, mail
from app.auth.models import User
from app.declarations.models import Campaign, Declaration, DeclarationEvent
from app.declarations.services import declaration_link
from app.directorates.models import Call, Directorate, DirectorateType
from app.directorates.services import directorate_users
from app.extensions import db, utcnow
from app.licences import policies
from app.licences.models import LicenceGrant, LicencePool, LicencePoolEvent

GRANT_ACTION = "licences_granted"
# The changed field of a grant, in the declaration's history and the audit log.
GRANT_FIELD = "granted_licences"


class LicenceError(Exception):
    """A change of the pool or of a grant that cannot be made; routes say why on the field."""


class NotAllowed(LicenceError):
    """The user may not set pools nor grant licences."""


class NoPool(LicenceError):
    """The call has no pool yet: nothing can be granted."""


class NotGrantable(LicenceError):
    """The declaration is not submitted nor accepted: it may not receive (more) licences."""


class PoolExceeded(LicenceError):
    """The grant asks for more licences than the pool has left."""

    def __init__(self, available: int):
        super().__init__("pool exceeded")
        self.available = available


class BelowGranted(LicenceError):
    """The pool would be smaller than the licences already granted in the call."""

    def __init__(self, granted: int):
        super().__init__("below granted")
        self.granted = granted


class Conflict(LicenceError):
    """The pool or the grant changed since the page the user acted on was opened."""

    def __init__(self, record: LicencePool | LicenceGrant | None):
        super().__init__("conflict")
        self.record = record


@dataclass
class PoolState:
    """A call's pool (None if not set yet) and the licences granted in the call."""

    pool: LicencePool | None
    granted: int

    @property
    def licences(self) -> int | None:
        """Return the size of the pool, or None when it is not set."""
        return self.pool.licences if self.pool is not None else None

    @property
    def left(self) -> int | None:
        """Return what is left to grant, or None when the pool is not set."""
        return self.pool.licences - self.granted if self.pool is not None else None


def _granted_in(call_id: int, without: int | None = None):
    """Return the SQL sum of the licences granted in a call (but to one declaration)."""
    query = (
        select(func.coalesce(func.sum(LicenceGrant.licences), 0))
        .join(Declaration, LicenceGrant.declaration_id == Declaration.id)
        .where(Declaration.call_id == call_id)
    )
    if without is not None:
        query = query.where(LicenceGrant.declaration_id != without)
    return query.scalar_subquery()


def pool_state(call: Call) -> PoolState:
    """Return the call's pool and the licences granted in the call (one statement)."""
    found = db.session.execute(
        select(LicencePool, _granted_in(call.id)).where(LicencePool.call_id == call.id)
    ).first()
    if found is None:
        # Nothing is granted without a pool.
        return PoolState(None, 0)
    return PoolState(found[0], found[1])


def pool_history(call: Call) -> list[LicencePoolEvent]:
    """Return the changes of the call's pool, newest first, with their authors."""
    query = (
        select(LicencePoolEvent)
        .join(LicencePool, LicencePoolEvent.pool_id == LicencePool.id)
        .where(LicencePool.call_id == call.id)
        .options(joinedload(LicencePoolEvent.actor))
        .order_by(LicencePoolEvent.id.desc())
    )
    return list(db.session.scalars(query))


@dataclass
class GrantRow:
    """A directorate that may receive licences in a call, or has received some."""

    declaration: Declaration
    requested: int

    @property
    def granted(self) -> int | None:
        """Return the licences granted, or None if none are yet."""
        grant = self.declaration.grant
        return grant.licences if grant is not None else None

    @property
    def gap(self) -> int | None:
        """Return granted minus requested (negative when less is granted), or None."""
        return self.granted - self.requested if self.granted is not None else None


def requested_licences():
    """Return the SQL sum of the licences a declaration's campaigns request."""
    return (
        select(func.coalesce(func.sum(Campaign.licences), 0))
        .where(Campaign.declaration_id == Declaration.id)
        .scalar_subquery()
    )


def grant_rows(call: Call) -> list[GrantRow]:
    """Return the declarations of a call that may receive licences or have some, with what
    they request, by directorate type then code (one statement)."""
    order = case({k: index for index, k in enumerate(DirectorateType)}, value=Directorate.type)
    query = (
        select(Declaration, requested_licences())
        .join(Directorate, Declaration.directorate_id == Directorate.id)
        .outerjoin(LicenceGrant, LicenceGrant.declaration_id == Declaration.id)
        .where(
            Declaration.call_id == call.id,
            or_(Declaration.status.in_(policies.GRANTABLE), LicenceGrant.id.is_not(None)),
        )
        .options(contains_eager(Declaration.directorate), contains_eager(Declaration.grant))
        .order_by(order, Directorate.code)
    )
    return [
        GrantRow(declaration, requested) for declaration, requested in db.session.execute(query)
    ]


def _locked_pool(call: Call) -> LicencePool | None:
    """Read the call's pool again, locking its row until the commit (PostgreSQL)."""
    return db.session.scalar(
        select(LicencePool)
        .where(LicencePool.call_id == call.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


@contextmanager
def _committed(call: Call, declaration: Declaration | None = None) -> Iterator[None]:
    """Commit the block's writes, turning a concurrent change (a version check of an UPDATE,
    or two first rows at the same instant) into a Conflict with the record as it is now."""
    try:
        yield
        db.session.commit()
    except LicenceError:
        db.session.rollback()  # nothing of the attempt stays, and the pool's lock is released
        raise
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        if declaration is None:
            raise Conflict(pool_state(call).pool) from None
        raise Conflict(_current_grant(declaration.id)) from None


def _current_grant(declaration_id: int) -> LicenceGrant | None:
    return db.session.scalar(
        select(LicenceGrant)
        .where(LicenceGrant.declaration_id == declaration_id)
        .execution_options(populate_existing=True)
    )


def set_pool(
    user: User, call: Call, licences: int, comment: str, version: int | None
) -> LicencePool:
    """Set the number of licences of the call's pool, never below what is already granted."""
    if not policies.can_manage(user):
        raise NotAllowed("pool")
    comment = (comment or "").strip()
    with _committed(call):
        pool = _locked_pool(call)
        if version != (pool.version if pool is not None else None):
            raise Conflict(pool)
        granted = db.session.scalar(select(_granted_in(call.id)))
        if licences < granted:
            raise BelowGranted(granted)
        before = pool.licences if pool is not None else None
        if before == licences:
            return pool
        pool = write_pool(user, call, pool, licences, comment)
    return pool


def grant(
    user: User, declaration: Declaration, licences: int, comment: str, version: int | None
) -> LicenceGrant:
    """Grant a directorate licences for its declaration, within what the pool has left, record
    it in the declaration's history and the audit log, and e-mail the directorate."""
    if not policies.can_manage(user):
        raise NotAllowed("grant")
    call = declaration.call
    comment = (comment or "").strip()
    with _committed(call, declaration):
        pool = _locked_pool(call)
        # The declaration's state and grant as they are now that this call's grants wait.
        db.session.scalar(
            select(Declaration)
            .where(Declaration.id == declaration.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        current = _current_grant(declaration.id)
        if version != (current.version if current is not None else None):
            raise Conflict(current)
        before = current.licences if current is not None else None
        if (before is None or licences > before) and not policies.can_grant(user, declaration):
            raise NotGrantable(declaration.status.value)
        if pool is None:
            raise NoPool(call.code)
        available = pool.licences - db.session.scalar(
            select(_granted_in(call.id, without=declaration.id))
        )
        if licences > available:
            raise PoolExceeded(max(available, 0))
        if current is not None and before == licences and current.comment == comment:
            return current
        current = write_grant(user, declaration, current, licences, comment)
        _tell_directorate(declaration, before, licences, comment)
    return current


def write_pool(
    user: User, call: Call, pool: LicencePool | None, licences: int, comment: str
) -> LicencePool:
    """Set the pool's number in the session, with its history entry and audit entry."""
    before = pool.licences if pool is not None else None
    if pool is None:
        pool = LicencePool(call=call, licences=licences)
        db.session.add(pool)
    pool.licences = licences
    pool.updated_at = utcnow()
    db.session.add(
        LicencePoolEvent(
            pool=pool, actor_id=user.id, before=before, after=licences, comment=comment
        )
    )
    audit.record(
        "licences.pool_set", call, actor=user, changes={"pool": [before, licences]}, comment=comment
    )
    return pool


def write_grant(
    user: User,
    declaration: Declaration,
    current: LicenceGrant | None,
    licences: int,
    comment: str,
) -> LicenceGrant:
    """Set a declaration's grant in the session, with its entries in the declaration's history
    and in the audit log."""
    before = current.licences if current is not None else None
    if current is None:
        current = LicenceGrant(declaration=declaration, licences=licences)
        db.session.add(current)
    current.licences = licences
    current.comment = comment
    current.updated_at = utcnow()
    current.updated_by_id = user.id
    changes = {GRANT_FIELD: [before, licences]}
    db.session.add(
        DeclarationEvent(
            declaration=declaration,
            action=GRANT_ACTION,
            actor_id=user.id,
            comment=comment,
            changes=changes,
        )
    )
    audit.record(
        f"declaration.{GRANT_ACTION}", declaration, actor=user, changes=changes, comment=comment
    )
    return current


def _tell_directorate(declaration: Declaration, before: int | None, after: int, comment: str):
    """E-mail every correspondent of the directorate, each in their language."""
    for person in directorate_users(declaration.directorate):
        mail.send(
            person.email,
            "licences_granted",
            person.language,
            declaration=declaration,
            user=person,
            before=before,
            granted=after,
            requested=declaration.total_licences,
            comment=comment,
            link=declaration_link(declaration.call, declaration.directorate, person.language),
        )
