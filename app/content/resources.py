"""Resources for a competence: the published items tagged with it or with a path covering it.

An item is a resource for a PIX competence when it is tagged with the competence, or with an
offered learning path that covers it. Its own tags count (what is online once it is
published), not those waiting in a working copy. Every list here starts from the visibility
rules (`visibility.visible_items`): a reader sees a resource only where they may read the item.
"""

from collections.abc import Collection, Iterable

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.content import tags, tree, visibility
from app.content.models import (
    ContentCompetence,
    ContentItem,
    ContentKind,
    ContentLearningPath,
    ContentState,
)
from app.directorates.models import LearningPath, portal_today
from app.extensions import db


def tagged_with(codes: Collection[str], path_ids: Collection[int]) -> ColumnElement[bool]:
    """Return the condition "the item is tagged with one of these competences or paths"."""
    ids = select(ContentCompetence.item_id).where(ContentCompetence.competence.in_(codes))
    if path_ids:
        ids = ids.union(
            select(ContentLearningPath.item_id).where(
                ContentLearningPath.learning_path_id.in_(path_ids)
            )
        )
    return ContentItem.id.in_(ids)


def _path_ids(codes: Iterable[str], paths: Iterable[LearningPath]) -> set[int]:
    paths = list(paths)
    return {path.id for code in codes for path in tags.covering(code, paths)}


def query(
    user: User, language: str, codes: Collection[str], paths: Iterable[LearningPath]
) -> Select:
    """Return the published items of a language the user may read, tagged for these codes."""
    return visibility.visible_items(user).where(
        ContentItem.language == language,
        ContentItem.state == ContentState.PUBLISHED,
        ContentItem.kind != ContentKind.SECTION,
        tagged_with(codes, _path_ids(codes, paths)),
    )


def for_competence(user: User, language: str, code: str, paths: Iterable[LearningPath]) -> Select:
    """Return a query of the resources of a competence the user may read, by title."""
    return query(user, language, [code], paths).order_by(ContentItem.title, ContentItem.id)


def hidden_from_readers(items: Iterable[ContentItem]) -> set[int]:
    """Return the ids of these items that anonymous readers may not read today (one query)."""
    ids = {item.id for item in items}
    if not ids:
        return set()
    public = visibility.visible_ids(visibility.PUBLIC, portal_today())
    shown = select(ContentItem.id).where(ContentItem.id.in_(ids), ContentItem.id.in_(public))
    return ids - set(db.session.scalars(shown))


def by_competence(user: User, language: str, codes: list[str]) -> dict[str, list[ContentItem]]:
    """Return the resources of each competence the user may read, by title.

    A constant number of queries whatever the number of competences and items: the offered
    paths, the items, their tags, and the sections above them (`tree.with_sections`).
    """
    result: dict[str, list[ContentItem]] = {code: [] for code in codes}
    if not codes:
        return result
    paths = tags.offered_paths()
    covering = {code: {path.id for path in tags.covering(code, paths)} for code in codes}
    found = (
        query(user, language, codes, paths)
        .options(
            selectinload(ContentItem.competence_tags),
            selectinload(ContentItem.path_tags),
        )
        .order_by(ContentItem.title, ContentItem.id)
    )
    items = list(db.session.scalars(found))
    tree.with_sections(items)
    for item in items:
        own = {tag.competence for tag in item.competence_tags}
        item_paths = {tag.learning_path_id for tag in item.path_tags}
        for code in codes:
            if code in own or item_paths & covering[code]:
                result[code].append(item)
    return result
