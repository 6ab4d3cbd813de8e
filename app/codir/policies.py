"""Who may see and act on which CODIR request."""

from sqlalchemy import Select, select

from app.auth.models import Role, User
from app.codir.models import CodirRequest
from app.codir.workflow import REASSIGNABLE, Side, Transition, next_state

STAFF = (Role.PROJECT_TEAM, Role.ADMIN)


def requests_visible_to(user: User) -> Select:
    """Return a query of the requests the user may see."""
    query = select(CodirRequest)
    if user.role in STAFF:
        return query
    if user.role is Role.CVRH:
        return query.where(CodirRequest.cvrh_id == user.cvrh_id)
    if user.role is Role.DIRECTORATE:
        return query.where(CodirRequest.directorate_id == user.directorate_id)
    return query.where(False)


def side_of(user: User, request: CodirRequest) -> Side | None:
    """Return the side the user is on for this request, or None (project team, strangers)."""
    if user.role is Role.DIRECTORATE and user.directorate_id == request.directorate_id:
        return Side.DIRECTORATE
    if user.role is Role.CVRH and user.cvrh_id == request.cvrh_id:
        return Side.CVRH
    return None


def can_view(user: User, request: CodirRequest) -> bool:
    """Say whether the user may read the request and its thread."""
    return user.role in STAFF or side_of(user, request) is not None


def can_transition(user: User, request: CodirRequest, transition: Transition) -> bool:
    """Say whether the user may make this transition now."""
    step = next_state(request.status, transition)
    return step is not None and side_of(user, request) is step[1]


def can_write(user: User, request: CodirRequest) -> bool:
    """Say whether the user may post on the thread (the two sides)."""
    return side_of(user, request) is not None


def can_reassign(user: User, request: CodirRequest) -> bool:
    """Say whether the user may send the request to another CVRH."""
    return user.role in STAFF and request.status in REASSIGNABLE
