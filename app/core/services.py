"""What the homes show: the project team's work waiting, counted in a few grouped queries."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.codir.models import CodirRequest, CodirStatus
from app.content.models import ContentItem, ContentState
from app.declarations.models import Declaration, DeclarationStatus
from app.directorates.models import Call, Directorate, DirectorateType
from app.extensions import db


@dataclass
class TeamWork:
    """The project team's work waiting: declarations to review per call, CODIR requests not
    answered yet, content waiting for review, and the directorates by type."""

    to_review: dict[int, int]
    codir_waiting: int
    content_waiting: int
    directorates: list[tuple[DirectorateType, int]]


def _to_review(call_ids):
    """Return the conditions of a declaration waiting for review on one of the calls."""
    return Declaration.call_id.in_(call_ids), Declaration.status == DeclarationStatus.SUBMITTED


def _codir_waiting():
    return select(func.count(CodirRequest.id)).where(CodirRequest.status == CodirStatus.REQUESTED)


def _content_waiting():
    return select(func.count(ContentItem.id)).where(
        or_(
            ContentItem.state == ContentState.PENDING,
            ContentItem.working_state == ContentState.PENDING,
        )
    )


def team_work(calls: list[Call]) -> TeamWork:
    """Count the project team's work waiting (four statements, whatever the data)."""
    submitted = (
        select(Declaration.call_id, func.count(Declaration.id))
        .where(*_to_review([call.id for call in calls]))
        .group_by(Declaration.call_id)
    )
    by_type = dict(
        db.session.execute(
            select(Directorate.type, func.count(Directorate.id)).group_by(Directorate.type)
        ).all()
    )
    return TeamWork(
        to_review=dict(db.session.execute(submitted).all()) if calls else {},
        codir_waiting=db.session.scalar(_codir_waiting()) or 0,
        content_waiting=db.session.scalar(_content_waiting()) or 0,
        directorates=[(kind, by_type[kind]) for kind in DirectorateType if kind in by_type],
    )


def work_waiting() -> int:
    """Count in one statement what the homes' work tiles count: declarations to review on the
    open calls, content waiting for review and CODIR requests not answered yet."""
    open_calls = select(Call.id).where(Call.is_open.is_(True))
    declarations = select(func.count(Declaration.id)).where(*_to_review(open_calls))
    counts = select(
        declarations.scalar_subquery(),
        _content_waiting().scalar_subquery(),
        _codir_waiting().scalar_subquery(),
    )
    return sum(db.session.execute(counts).one())
