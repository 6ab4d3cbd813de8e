"""Queries on reference data."""

from flask import abort
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import Role, User
from app.directorates.models import Call, Cvrh, Directorate, DirectorateType
from app.directorates.policies import directorates_visible_to
from app.extensions import db


def list_directorates(user: User) -> list[Directorate]:
    """Return the directorates the user may see, with their CVRH, ordered by type and code."""
    return _by_type(directorates_visible_to(user))


def all_directorates() -> list[Directorate]:
    """Return every directorate, with its CVRH, ordered by type and code (for the command line)."""
    return _by_type(select(Directorate))


def _by_type(query: Select) -> list[Directorate]:
    query = query.options(selectinload(Directorate.cvrh))
    order = {kind: index for index, kind in enumerate(DirectorateType)}
    directorates = db.session.scalars(query.order_by(Directorate.code))
    return sorted(directorates, key=lambda d: order[d.type])


# Longer searches match nothing anyway (codes and names are shorter).
SEARCH_MAX = 200


def search_directorates(user: User, search: str = "", kind: str = "") -> Select:
    """Return a query of the directorates the user may see, by type then code, with their CVRH.

    `search` narrows to a piece of code or name (either language), `kind` to one type.
    """
    query = directorates_visible_to(user)
    term = search.strip().lower()[:SEARCH_MAX]
    if term:
        query = query.where(
            func.lower(Directorate.code).contains(term, autoescape=True)
            | func.lower(Directorate.name_fr).contains(term, autoescape=True)
            | func.lower(Directorate.name_en).contains(term, autoescape=True)
        )
    if kind in {k.value for k in DirectorateType}:
        query = query.where(Directorate.type == DirectorateType(kind))
    order = case({k: index for index, k in enumerate(DirectorateType)}, value=Directorate.type)
    return query.options(joinedload(Directorate.cvrh)).order_by(order, Directorate.code)


def get_directorate(user: User, code: str) -> Directorate:
    """Return the directorate with this code if the user may see it, else abort with 404."""
    query = directorates_visible_to(user).where(Directorate.code == code)
    directorate = db.session.scalar(query.options(joinedload(Directorate.cvrh)))
    if directorate is None:
        abort(404)
    return directorate


# The directorate's correspondents: they receive its e-mails. Its invited PIX Orga
# administrators belong to it too, but only for the follow-up.
CORRESPONDENT = User.role == Role.DIRECTORATE


def directorate_users(directorate: Directorate) -> list[User]:
    """Return the active correspondents of a directorate, by name."""
    query = select(User).where(
        CORRESPONDENT, User.directorate_id == directorate.id, User.active.is_(True)
    )
    return list(db.session.scalars(query.order_by(User.full_name, User.email)))


def users_by_directorate() -> dict[int, list[User]]:
    """Return the active correspondents of every directorate, in one query, by directorate id."""
    query = select(User).where(
        CORRESPONDENT, User.directorate_id.is_not(None), User.active.is_(True)
    )
    result: dict[int, list[User]] = {}
    for user in db.session.scalars(query.order_by(User.email)):
        result.setdefault(user.directorate_id, []).append(user)
    return result


def cvrh_users(cvrh: Cvrh) -> list[User]:
    """Return the active users of a CVRH, by name."""
    query = select(User).where(User.cvrh_id == cvrh.id, User.active.is_(True))
    return list(db.session.scalars(query.order_by(User.full_name, User.email)))


def open_calls() -> list[Call]:
    """Return the open calls for declarations, the nearest deadline first."""
    return list(
        db.session.scalars(select(Call).where(Call.is_open.is_(True)).order_by(Call.deadline))
    )


def group_by_type(
    directorates: list[Directorate],
) -> list[tuple[DirectorateType, list[Directorate]]]:
    """Group directorates (already ordered by type) into (type, directorates) pairs."""
    groups: dict = {}
    for directorate in directorates:
        groups.setdefault(directorate.type, []).append(directorate)
    return list(groups.items())
