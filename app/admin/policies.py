"""Who may manage which accounts."""

from sqlalchemy import Select, select

from app.auth.models import Role, User


def manageable_roles(actor: User) -> list[Role]:
    """Return the roles of the accounts the actor may create and edit."""
    if actor.role is Role.ADMIN:
        return list(Role)
    if actor.role is Role.PROJECT_TEAM:
        # Directorate-scoped and CVRH people; not the staff's own accounts.
        return [Role.DIRECTORATE, Role.PIXORGA_ADMIN, Role.CVRH]
    return []


def users_manageable_by(actor: User) -> Select:
    """Return a query of the accounts the actor may manage."""
    return select(User).where(User.role.in_(manageable_roles(actor)))


def can_manage_user(actor: User, user: User) -> bool:
    """Say whether the actor may edit, deactivate or re-invite this account."""
    return user.role in manageable_roles(actor) and user.id != actor.id
