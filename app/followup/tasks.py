"""What a directorate's campaign follow-up waits for: plans to set, results to import.

Read for the homes of its correspondents and PIX Orga administrators, in two statements
whatever the number of campaigns and checkpoints.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, exists, func, select

from app.declarations.models import Campaign, Declaration
from app.directorates.models import Call, Directorate
from app.extensions import db
from app.followup import policies
from app.followup.models import Checkpoint, FollowupPlan, ResultImport

# A checkpoint this close is due: its results are to be imported now.
DUE_SOON = timedelta(days=14)

# The states of a campaign's follow-up, the most pressing first.
OVERDUE = "overdue"
DUE = "due"
PLAN_MISSING = "plan_missing"
CHECKPOINTS_MISSING = "checkpoints_missing"
LATER = "later"
DONE = "done"
CLOSED = "closed"
ORDER = (OVERDUE, DUE, PLAN_MISSING, CHECKPOINTS_MISSING, LATER, DONE, CLOSED)


@dataclass
class NextCheckpoint:
    """The earliest checkpoint of a plan still without results."""

    id: int
    name: str
    due_on: date | None


@dataclass
class CampaignTask:
    """A followed campaign: its plan's progress and what it waits for."""

    call: Call
    position: int
    label: str
    has_plan: bool
    closed: bool
    checkpoints: int
    imported: int
    next: NextCheckpoint | None
    state: str


def _state(
    has_plan: bool, closed: bool, checkpoints: int, upcoming: NextCheckpoint | None, today: date
) -> str:
    if not has_plan:
        return PLAN_MISSING
    if closed:
        return CLOSED
    if checkpoints == 0:
        return CHECKPOINTS_MISSING
    if upcoming is None:
        return DONE
    if upcoming.due_on is not None and upcoming.due_on < today:
        return OVERDUE
    if upcoming.due_on is not None and upcoming.due_on <= today + DUE_SOON:
        return DUE
    return LATER


def _followed(directorate: Directorate):
    return (
        Declaration.directorate_id == directorate.id,
        Declaration.status.in_(policies.FOLLOWED_STATUSES),
    )


def _next_checkpoints(directorate: Directorate) -> dict[int, NextCheckpoint]:
    """Return, per plan id, its earliest checkpoint without results (one query)."""
    query = (
        select(Checkpoint.plan_id, Checkpoint.id, Checkpoint.name, Checkpoint.due_on)
        .join(FollowupPlan, FollowupPlan.id == Checkpoint.plan_id)
        .join(Declaration, Declaration.id == FollowupPlan.declaration_id)
        .where(
            *_followed(directorate),
            FollowupPlan.purged_at.is_(None),
            ~exists().where(ResultImport.checkpoint_id == Checkpoint.id),
        )
        # Dated checkpoints first, the earliest first; then those without a date.
        .order_by(Checkpoint.due_on.is_(None), Checkpoint.due_on, Checkpoint.position)
    )
    found: dict[int, NextCheckpoint] = {}
    for plan_id, checkpoint_id, name, due_on in db.session.execute(query):
        found.setdefault(plan_id, NextCheckpoint(checkpoint_id, name, due_on))
    return found


def campaign_tasks(directorate: Directorate, today: date) -> list[CampaignTask]:
    """Return the directorate's followed campaigns, the most pressing first (two queries)."""
    checkpoints = (
        select(func.count(Checkpoint.id))
        .where(Checkpoint.plan_id == FollowupPlan.id)
        .scalar_subquery()
    )
    imported = (
        select(func.count(ResultImport.id))
        .where(ResultImport.plan_id == FollowupPlan.id)
        .scalar_subquery()
    )
    query = (
        select(
            Call,
            Campaign.position,
            Campaign.label,
            FollowupPlan.id,
            FollowupPlan.purged_at,
            checkpoints,
            imported,
        )
        .select_from(Declaration)
        .join(Call, Call.id == Declaration.call_id)
        .join(Campaign, Campaign.declaration_id == Declaration.id)
        .outerjoin(
            FollowupPlan,
            and_(
                FollowupPlan.declaration_id == Declaration.id,
                FollowupPlan.position == Campaign.position,
            ),
        )
        .where(*_followed(directorate))
        .order_by(Call.opens_on.desc(), Call.id, Campaign.position)
    )
    rows = db.session.execute(query).all()
    upcoming = _next_checkpoints(directorate)
    tasks = []
    for call, position, label, plan_id, purged_at, total, done in rows:
        following = upcoming.get(plan_id) if plan_id is not None else None
        has_plan = plan_id is not None
        tasks.append(
            CampaignTask(
                call=call,
                position=position,
                label=label,
                has_plan=has_plan,
                closed=purged_at is not None,
                checkpoints=total or 0,
                imported=done or 0,
                next=following,
                state=_state(has_plan, purged_at is not None, total or 0, following, today),
            )
        )
    return sorted(tasks, key=lambda task: ORDER.index(task.state))
