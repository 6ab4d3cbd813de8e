"""What the editors' pages list: the content to manage, the review queue, an item's history.

Each list is a query the page paginates; what its rows show comes with them (authors, tags),
so that no row sends a query of its own.
"""

from dataclasses import dataclass

from flask import abort, current_app
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.auth.models import User
from app.content import policies, visibility
from app.content.models import (
    ContentCompetence,
    ContentItem,
    ContentKind,
    ContentLearningPath,
    ContentState,
    Revision,
)
from app.extensions import db


def _waiting():
    return or_(
        ContentItem.state == ContentState.PENDING,
        ContentItem.working_state == ContentState.PENDING,
    )


def review_queue() -> Select:
    """Return a query of the items, or working copies, waiting for review, oldest change first.

    Their authors come with them (the queue names them).
    """
    query = select(ContentItem).where(_waiting()).options(joinedload(ContentItem.author))
    return query.order_by(ContentItem.updated_at, ContentItem.id)


def waiting_count() -> int:
    """Return how many items, or working copies, wait for review."""
    return db.session.scalar(select(func.count(ContentItem.id)).where(_waiting()))


@dataclass
class Filters:
    """What the list of content to manage keeps: a kind, a state, a language (None: all)."""

    kind: ContentKind | None = None
    state: ContentState | None = None
    language: str | None = None

    @property
    def chosen(self) -> bool:
        """Say whether any filter is chosen."""
        return any(value is not None for value in (self.kind, self.state, self.language))

    @classmethod
    def read(cls, args) -> "Filters":
        """Read the filters of a query string; an unknown value filters nothing."""
        kinds = {kind.value: kind for kind in ContentKind}
        states = {state.value: state for state in ContentState}
        language = args.get("language")
        return cls(
            kinds.get(args.get("kind", "")),
            states.get(args.get("state", "")),
            language if language in current_app.config["LANGUAGES"] else None,
        )


def manageable(user: User, filters: Filters) -> Select:
    """Return a query of the items the user may edit, as filtered, the latest changed first.

    Reviewers manage every item; authors the items they wrote and may still read.
    """
    query = visibility.visible_items(user)
    if not policies.is_reviewer(user):
        query = query.where(ContentItem.author_id == user.id)
    if filters.kind is not None:
        query = query.where(ContentItem.kind == filters.kind)
    if filters.state is not None:
        query = query.where(
            or_(ContentItem.state == filters.state, ContentItem.working_state == filters.state)
        )
    if filters.language is not None:
        query = query.where(ContentItem.language == filters.language)
    # The latest change first: what an editor comes back to (and the same order everywhere,
    # where sorting by section put the top-level items first or last depending on the database).
    return query.order_by(ContentItem.updated_at.desc(), ContentItem.id.desc())


def with_tags(item: ContentItem) -> None:
    """Read an item's competences and learning paths, the paths' names with them (two queries)."""
    competences = select(ContentCompetence).where(ContentCompetence.item_id == item.id)
    paths = (
        select(ContentLearningPath)
        .where(ContentLearningPath.item_id == item.id)
        .options(joinedload(ContentLearningPath.learning_path))
    )
    set_committed_value(item, "competence_tags", list(db.session.scalars(competences)))
    set_committed_value(item, "path_tags", list(db.session.scalars(paths)))


def revisions(item: ContentItem) -> Select:
    """Return a query of an item's revisions, the latest first, with their authors."""
    query = select(Revision).where(Revision.item_id == item.id)
    return query.options(joinedload(Revision.author)).order_by(Revision.number.desc())


def two_revisions(item: ContentItem, first: int, second: int) -> tuple[Revision, Revision]:
    """Return two revisions of an item by number, the older first; 404 if either is missing."""
    query = select(Revision).where(
        Revision.item_id == item.id, Revision.number.in_({first, second})
    )
    found = {revision.number: revision for revision in db.session.scalars(query)}
    if first not in found or second not in found:
        abort(404)
    return found[min(first, second)], found[max(first, second)]
