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


def team_work(calls: list[Call]) -> TeamWork:
    """Count the project team's work waiting (four statements, whatever the data)."""
    submitted = (
        select(Declaration.call_id, func.count(Declaration.id))
        .where(
            Declaration.call_id.in_([call.id for call in calls]),
            Declaration.status == DeclarationStatus.SUBMITTED,
        )
        .group_by(Declaration.call_id)
    )
    codir = select(func.count(CodirRequest.id)).where(CodirRequest.status == CodirStatus.REQUESTED)
    content = select(func.count(ContentItem.id)).where(
        or_(
            ContentItem.state == ContentState.PENDING,
            ContentItem.working_state == ContentState.PENDING,
        )
    )
    by_type = dict(
        db.session.execute(
            select(Directorate.type, func.count(Directorate.id)).group_by(Directorate.type)
        ).all()
    )
    return TeamWork(
        to_review=dict(db.session.execute(submitted).all()) if calls else {},
        codir_waiting=db.session.scalar(codir) or 0,
        content_waiting=db.session.scalar(content) or 0,
        directorates=[(kind, by_type[kind]) for kind in DirectorateType if kind in by_type],
    )
