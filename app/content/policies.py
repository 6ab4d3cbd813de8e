"""Who may write and review content; who may read it is `visibility.py`."""

from datetime import date

from app.auth.access import STAFF
from app.auth.models import Role, User
from app.content.models import ContentItem, ContentKind, ContentState
from app.content.workflow import Move, Who


def is_reviewer(user: User) -> bool:
    """Say whether the user reviews and publishes content (the project team, admins)."""
    return user.is_authenticated and user.role in STAFF


def can_author(user: User, kind: ContentKind | None = None) -> bool:
    """Say whether the user may create content (of this kind): reviewers any, CVRHs pages."""
    if is_reviewer(user):
        return True
    return user.is_authenticated and user.role is Role.CVRH and kind in (None, ContentKind.PAGE)


def is_current(item: ContentItem, today: date) -> bool:
    """Say whether today lies between the item's publication and expiry dates."""
    if item.effective_on and item.effective_on > today:
        return False
    return not (item.expires_on and item.expires_on < today)


def is_author(user: User, item: ContentItem) -> bool:
    """Say whether the user wrote the item (and still may write content)."""
    return can_author(user) and item.author_id == user.id


def can_see_copy(user: User, item: ContentItem) -> bool:
    """Say whether the user may see the item's history and working copy: reviewers, its author."""
    return is_reviewer(user) or is_author(user, item)


def can_edit(user: User, item: ContentItem) -> bool:
    """Say whether the user may change the item (or its working copy) now."""
    if is_reviewer(user):
        return True
    if not is_author(user, item):
        return False
    if item.state is ContentState.PUBLISHED:
        return item.working_state in (None, ContentState.PRIVATE)
    return item.state is ContentState.PRIVATE


def may_fire(user: User, item: ContentItem, move: Move) -> bool:
    """Say whether the user may fire a transition of the table on this item."""
    if move.who is Who.REVIEWER:
        return is_reviewer(user)
    return is_reviewer(user) or is_author(user, item)
