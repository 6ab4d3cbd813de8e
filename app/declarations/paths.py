"""The learning paths of a declaration's campaigns: which may be chosen, found by id or name."""

from collections.abc import Iterable

from sqlalchemy import select

from app.declarations.models import Campaign, Declaration, campaign_learning_path
from app.directorates.models import LearningPath
from app.extensions import db
from app.followup.reference import normalise


def choosable(declaration: Declaration | None) -> list[LearningPath]:
    """Return the learning paths a declaration's campaigns may follow, in list order.

    The offered (active) paths, and the retired ones the declaration already has: a path
    retired since it was chosen stays chosen, but is not offered anew.
    """
    condition = LearningPath.active.is_(True)
    if declaration is not None and declaration.id is not None:
        used = (
            select(campaign_learning_path.c.learning_path_id)
            .join(Campaign, Campaign.id == campaign_learning_path.c.campaign_id)
            .where(Campaign.declaration_id == declaration.id)
        )
        condition = condition | LearningPath.id.in_(used)
    query = select(LearningPath).where(condition)
    return list(db.session.scalars(query.order_by(LearningPath.position, LearningPath.id)))


def every_path() -> dict[int, LearningPath]:
    """Return every learning path by id, retired ones too (to name them in a history)."""
    return {path.id: path for path in db.session.scalars(select(LearningPath))}


def by_ids(ids: Iterable[int]) -> dict[int, LearningPath]:
    """Return the learning paths of these ids, by id (one query, none for no id)."""
    wanted = set(ids)
    if not wanted:
        return {}
    query = select(LearningPath).where(LearningPath.id.in_(wanted))
    return {path.id: path for path in db.session.scalars(query)}


def in_order(found: dict[int, LearningPath], ids: Iterable[int] | None) -> list[LearningPath]:
    """Return the paths of these ids (unknown ones left out, once each), in list order."""
    chosen = {found[i] for i in ids or () if i in found}
    return sorted(chosen, key=lambda path: (path.position, path.id))


class PathFinder:
    """Find the learning path a spreadsheet cell names, by code or name in either language."""

    class NotFound(ValueError):
        """No path has this code or name, or it is retired: `reason` says which."""

        def __init__(self, reason: str, text: str):
            super().__init__(text)
            self.reason = reason
            self.text = text

    def __init__(self):
        self.names: dict[str, LearningPath] = {}
        for path in db.session.scalars(select(LearningPath)):
            for text in (path.name_fr, path.name_en, path.code):
                self.names.setdefault(normalise(text), path)

    def find(self, text: str) -> LearningPath:
        """Return the offered path named by a text; NotFound if unknown or retired."""
        path = self.names.get(normalise(text))
        if path is None:
            raise self.NotFound("unknown_path", text)
        if not path.active:
            raise self.NotFound("retired_path", text)
        return path

    def ids(self, cell: str) -> list[int]:
        """Return the ids of the paths a cell names, separated by semicolons or lines."""
        pieces = (piece.strip() for piece in cell.replace("\n", ";").split(";"))
        return list(dict.fromkeys(self.find(piece).id for piece in pieces if piece))

    def active_ids(self) -> set[int]:
        """Return the ids of the paths that may be chosen in a workbook."""
        return {path.id for path in self.names.values() if path.active}
