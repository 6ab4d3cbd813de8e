"""Who may see which directorate."""

from sqlalchemy import Select, select

from app.auth.models import Role, User
from app.directorates.models import Directorate


def directorates_visible_to(user: User) -> Select:
    """Return a query of the directorates the user may see (none for an unknown role)."""
    query = select(Directorate)
    if user.role in (Role.PROJECT_TEAM, Role.ADMIN):
        return query
    if user.role is Role.CVRH:
        return query.where(Directorate.cvrh_id == user.cvrh_id)
    if user.role is Role.DIRECTORATE:
        return query.where(Directorate.id == user.directorate_id)
    return query.where(False)


def sees_every_directorate(user: User) -> bool:
    """Say whether the user may see every directorate of the portal."""
    return user.role in (Role.PROJECT_TEAM, Role.ADMIN)


def can_view_directorate(user: User, directorate: Directorate) -> bool:
    """Say whether the user may see this directorate and what belongs to it."""
    if user.role in (Role.PROJECT_TEAM, Role.ADMIN):
        return True
    if user.role is Role.CVRH:
        return directorate.cvrh_id == user.cvrh_id
    if user.role is Role.DIRECTORATE:
        return directorate.id == user.directorate_id
    return False
