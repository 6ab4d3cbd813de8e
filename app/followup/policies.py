"""Who may see and change which follow-up.

Individual results are personal data: only the directorate's own correspondents and its
invited PIX Orga administrators see them. The project team and the CVRHs do not reach these
pages (their aggregate view is a separate page).
"""

from sqlalchemy import Select, select

from app.auth.models import Role, User
from app.declarations.models import Declaration, DeclarationStatus
from app.directorates.models import Directorate

FOLLOWERS = (Role.DIRECTORATE, Role.PIXORGA_ADMIN)
# A campaign is followed once its declaration has been submitted (then perhaps sent back).
FOLLOWED_STATUSES = (
    DeclarationStatus.SUBMITTED,
    DeclarationStatus.ACCEPTED,
    DeclarationStatus.CORRECTIONS_REQUESTED,
)


def can_follow(user: User, directorate: Directorate) -> bool:
    """Say whether the user may read this directorate's follow-up, individual rows included."""
    return user.role in FOLLOWERS and user.directorate_id == directorate.id


def can_plan(user: User, directorate: Directorate) -> bool:
    """Say whether the user may set the aim, targets and checkpoints (correspondents only)."""
    return user.role is Role.DIRECTORATE and user.directorate_id == directorate.id


def can_import(user: User, directorate: Directorate) -> bool:
    """Say whether the user may import and delete result files for this directorate."""
    return can_follow(user, directorate)


def is_followed(declaration: Declaration) -> bool:
    """Say whether the declaration's campaigns have a follow-up."""
    return declaration.status in FOLLOWED_STATUSES


def followed_declarations(user: User) -> Select:
    """Return a query of the declarations whose follow-up the user may read."""
    if user.role not in FOLLOWERS:
        return select(Declaration).where(False)
    return select(Declaration).where(
        Declaration.directorate_id == user.directorate_id,
        Declaration.status.in_(FOLLOWED_STATUSES),
    )
