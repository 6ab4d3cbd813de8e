"""Who may set the pool of a call, grant licences, and see what was granted."""

from app.auth.models import Role, User
from app.declarations.models import Declaration, DeclarationStatus

STAFF = (Role.PROJECT_TEAM, Role.ADMIN)

# A directorate receives licences once it has answered: a draft (or a declaration sent back
# for corrections) may still change what it requests. A grant already made stays counted if
# the declaration is later reopened; it may then be lowered, not raised.
GRANTABLE = frozenset({DeclarationStatus.SUBMITTED, DeclarationStatus.ACCEPTED})


def can_manage(user: User) -> bool:
    """Say whether the user sets the pools and grants licences (the project team, admins)."""
    return user.role in STAFF


def can_grant(user: User, declaration: Declaration | None) -> bool:
    """Say whether the user may grant this declaration more licences now."""
    return can_manage(user) and declaration is not None and declaration.status in GRANTABLE
