"""Who may see, edit and move which declaration."""

from datetime import date, datetime

from app.auth.models import Role, User
from app.declarations.models import Declaration, DeclarationStatus
from app.declarations.workflow import EDITABLE, Side, Transition, next_state
from app.directorates.models import Call, Directorate, end_of_day
from app.directorates.policies import can_view_directorate
from app.extensions import utcnow

STAFF = (Role.PROJECT_TEAM, Role.ADMIN)


def side_of(user: User) -> Side | None:
    """Return the workflow side the user acts on, if any."""
    if user.role is Role.DIRECTORATE:
        return Side.DIRECTORATE
    if user.role in STAFF:
        return Side.PROJECT_TEAM
    return None


def effective_deadline(call: Call, declaration: Declaration | None) -> date:
    """Return the last day the directorate may edit and submit: the call's or its extension."""
    if declaration is not None and declaration.extended_until is not None:
        return max(call.deadline, declaration.extended_until)
    return call.deadline


def deadline_at(call: Call, declaration: Declaration | None) -> datetime:
    """Return the moment the directorate can no longer edit or submit."""
    return end_of_day(effective_deadline(call, declaration))


def is_past_deadline(call: Call, declaration: Declaration | None) -> bool:
    """Say whether the directorate's deadline (extension included) has passed."""
    return utcnow() >= deadline_at(call, declaration)


def can_view(user: User, directorate: Directorate) -> bool:
    """Say whether the user may read the declarations of this directorate."""
    return can_view_directorate(user, directorate)


def is_owner(user: User, directorate: Directorate) -> bool:
    """Say whether the user is a correspondent of this directorate."""
    return user.role is Role.DIRECTORATE and user.directorate_id == directorate.id


def can_edit(
    user: User, call: Call, directorate: Directorate, declaration: Declaration | None
) -> bool:
    """Say whether the user may change the content of the declaration now."""
    if not is_owner(user, directorate) or not call.is_open:
        return False
    if declaration is not None and declaration.status not in EDITABLE:
        return False
    return not is_past_deadline(call, declaration)


def can_transition(user: User, declaration: Declaration, transition: Transition) -> bool:
    """Say whether the user may make this transition on this declaration now."""
    step = next_state(declaration.status, transition)
    if step is None or side_of(user) is not step[1]:
        return False
    if step[1] is Side.DIRECTORATE:
        return can_edit(user, declaration.call, declaration.directorate, declaration)
    return True


def can_review(user: User) -> bool:
    """Say whether the user reviews declarations (accept, corrections, reopen, extend, remind)."""
    return user.role in STAFF


def can_invite_administrators(user: User, declaration: Declaration | None) -> bool:
    """Say whether the user may invite the declaration's PIX Orga administrators to the follow-up.

    Once the declaration is accepted: its directorate's correspondents and the project team.
    """
    if declaration is None or declaration.status is not DeclarationStatus.ACCEPTED:
        return False
    return is_owner(user, declaration.directorate) or user.role in STAFF


def can_read_thread(user: User, directorate: Directorate) -> bool:
    """Say whether the user may read the conversation on the directorate's declarations.

    Those who may see the declaration: its directorate, its CVRH (read only), the staff.
    """
    return can_view(user, directorate)


def can_post_message(user: User, directorate: Directorate) -> bool:
    """Say whether the user may write in the conversation: its directorate and the staff.

    In every state of the declaration and of the call (a question may come after the deadline).
    """
    return is_owner(user, directorate) or user.role in STAFF


def can_see_notes(user: User) -> bool:
    """Say whether the user may read and write the project team's private notes."""
    return user.role in STAFF
