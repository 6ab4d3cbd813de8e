"""What content is tagged with: PIX competences by area, learning paths; their names."""

from collections.abc import Iterable

from sqlalchemy import select

from app.directorates.models import LearningPath
from app.extensions import db
from app.followup.reference import Area, Competence, areas, competence, competences
from app.i18n import localized


def competence_label(code: str) -> str:
    """Return a competence as "2.1 Interagir", in the page's language."""
    return f"{code} {localized(competence(code), 'name')}"


def area_label(area: Area) -> str:
    """Return an area as "2. Communication et collaboration", in the page's language."""
    return f"{area.code}. {localized(area, 'name')}"


def by_area() -> list[tuple[Area, list[Competence]]]:
    """Return the 5 areas, each with its competences, in reference order."""
    return [(area, [c for c in competences() if c.area == area]) for area in areas()]


def offered_paths() -> list[LearningPath]:
    """Return the learning paths offered now (not retired), in list order."""
    query = select(LearningPath).where(LearningPath.active.is_(True))
    return list(db.session.scalars(query.order_by(LearningPath.position, LearningPath.id)))


def choosable_paths(kept: Iterable[int] = ()) -> list[LearningPath]:
    """Return the paths an item may be tagged with: the offered ones, and the retired ones it has.

    A path retired since the item was tagged with it stays on the item (untick it to remove
    it), but is not offered anew.
    """
    condition = LearningPath.active.is_(True)
    kept = set(kept)
    if kept:
        condition = condition | LearningPath.id.in_(kept)
    query = select(LearningPath).where(condition)
    return list(db.session.scalars(query.order_by(LearningPath.position, LearningPath.id)))


def covering(code: str, paths: Iterable[LearningPath]) -> list[LearningPath]:
    """Return the paths, among these, that cover a competence."""
    return [path for path in paths if code in (path.competences or ())]


def path_names(ids: Iterable[int]) -> dict[int, str]:
    """Return the names of the paths of these ids, in the page's language (one query)."""
    wanted = set(ids)
    if not wanted:
        return {}
    query = select(LearningPath).where(LearningPath.id.in_(wanted))
    return {path.id: localized(path, "name") for path in db.session.scalars(query)}
