"""What the homes show: each role's work waiting, read in a fixed number of statements."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from app.admin.services import INVITED
from app.auth.models import User
from app.codir import policies as codir_policies
from app.codir.models import CodirRequest, CodirStatus
from app.codir.workflow import OPEN as CODIR_OPEN
from app.content.models import ContentItem, ContentState
from app.declarations import policies as declaration_policies
from app.declarations import thread
from app.declarations.models import Declaration, DeclarationStatus
from app.declarations.overview import ANSWERED, NOT_STARTED
from app.directorates.models import Call, Directorate, DirectorateType
from app.directorates.policies import directorates_visible_to
from app.extensions import db, utcnow
from app.followup import tasks
from app.mail import MessageStatus, OutboxMessage


@dataclass
class TeamWork:
    """The project team's work waiting: declarations to review per call, CODIR requests not
    answered yet, content waiting for review, the directorates by type, and the directorates'
    messages the user has not read, per call."""

    to_review: dict[int, int]
    codir_waiting: int
    content_waiting: int
    directorates: list[tuple[DirectorateType, int]]
    unread: dict[int, int]


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


def team_work(user: User, calls: list[Call]) -> TeamWork:
    """Count the project team's work waiting (five statements, whatever the data)."""
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
        unread=thread.unread_by_call(user, [call.id for call in calls]),
    )


# --- Directorate -------------------------------------------------------------------------

# The next action on a declaration: its button's endpoint.
FILL, CONTINUE, CORRECT, VIEW = "fill", "continue", "correct", "view"
EDITING = (FILL, CONTINUE, CORRECT)


@dataclass
class DeclarationTask:
    """Where the directorate's declaration stands on an open call, and the one thing to do."""

    call: Call
    declaration: Declaration | None
    deadline: date
    days_left: int
    action: str

    @property
    def status(self) -> str:
        """Return the declaration's status value, or "not_started"."""
        return self.declaration.status.value if self.declaration else NOT_STARTED

    @property
    def answered(self) -> bool:
        """Say whether the declaration is submitted or accepted (nothing to do but wait)."""
        return self.declaration is not None and self.declaration.status in ANSWERED

    @property
    def rank(self) -> int:
        """Return the order on the home: corrections requested, then to fill in, then the rest."""
        if self.status == DeclarationStatus.CORRECTIONS_REQUESTED.value:
            return 0
        return 1 if self.action in EDITING else 2


@dataclass
class DirectorateWork:
    """A directorate's work: its declarations on the open calls, its CODIR request, its
    campaigns followed."""

    declarations: list[DeclarationTask]
    codir: CodirRequest | None
    campaigns: list[tasks.CampaignTask]
    unread: dict[int, int]  # the project team's messages the user has not read, per call


def _next_action(
    user: User, call: Call, directorate: Directorate, declaration: Declaration | None
) -> str:
    if not declaration_policies.can_edit(user, call, directorate, declaration):
        return VIEW
    if declaration is None:
        return FILL
    if declaration.status is DeclarationStatus.CORRECTIONS_REQUESTED:
        return CORRECT
    return CONTINUE


def directorate_work(
    user: User, directorate: Directorate, calls: list[Call], today: date
) -> DirectorateWork:
    """Read what the user's directorate has to do (five statements, whatever the data)."""
    declared = {
        declaration.call_id: declaration
        for declaration in db.session.scalars(
            select(Declaration).where(
                Declaration.directorate_id == directorate.id,
                Declaration.call_id.in_([call.id for call in calls]),
            )
        )
    }
    items = []
    for call in calls:
        declaration = declared.get(call.id)
        deadline = declaration_policies.effective_deadline(call, declaration)
        items.append(
            DeclarationTask(
                call=call,
                declaration=declaration,
                deadline=deadline,
                days_left=(deadline - today).days,
                action=_next_action(user, call, directorate, declaration),
            )
        )
    # The request under way if there is one, else the latest.
    codir = db.session.scalar(
        select(CodirRequest)
        .options(joinedload(CodirRequest.cvrh))
        .where(CodirRequest.directorate_id == directorate.id)
        .order_by(
            case((CodirRequest.status.in_(CODIR_OPEN), 0), else_=1),
            CodirRequest.created_at.desc(),
            CodirRequest.id.desc(),
        )
        .limit(1)
    )
    return DirectorateWork(
        declarations=sorted(items, key=lambda item: item.rank),
        codir=codir,
        campaigns=tasks.campaign_tasks(directorate, today),
        unread=thread.unread_by_call(user, [call.id for call in calls]),
    )


# --- CVRH --------------------------------------------------------------------------------

# How many requests waiting and presentations coming the home lists (the counts are whole).
SHOWN = 5


@dataclass
class CvrhWork:
    """A CVRH's work: CODIR requests to answer, presentations coming, and its directorates'
    declarations on the open calls."""

    waiting: list[CodirRequest]
    waiting_count: int
    upcoming: list[CodirRequest]
    directorates: list[tuple[Directorate, dict[int, str]]]
    counts: dict[int, dict[str, int]]
    unread: dict[int, int]  # the messages of its directorates' conversations unread, per call


def cvrh_work(user: User, calls: list[Call]) -> CvrhWork:
    """Read what waits for the user's CVRH (four statements, whatever the data)."""
    visible = codir_policies.requests_visible_to(user).options(joinedload(CodirRequest.directorate))
    waiting = db.session.execute(
        visible.add_columns(func.count().over())
        .where(CodirRequest.status == CodirStatus.REQUESTED)
        .order_by(CodirRequest.created_at, CodirRequest.id)
        .limit(SHOWN)
    ).all()
    upcoming = db.session.scalars(
        visible.where(
            CodirRequest.status == CodirStatus.SCHEDULED, CodirRequest.scheduled_at >= utcnow()
        )
        .order_by(CodirRequest.scheduled_at, CodirRequest.id)
        .limit(SHOWN)
    ).all()
    ids = [call.id for call in calls]
    rows = db.session.execute(
        directorates_visible_to(user)
        .add_columns(Declaration.call_id, Declaration.status)
        .outerjoin(
            Declaration,
            and_(Declaration.directorate_id == Directorate.id, Declaration.call_id.in_(ids)),
        )
        .order_by(Directorate.code)
    ).all()
    statuses: dict[Directorate, dict[int, str]] = {}
    for directorate, call_id, status in rows:
        statuses.setdefault(directorate, {})
        if call_id is not None:
            statuses[directorate][call_id] = status.value
    counts = {
        call.id: Counter(found.get(call.id, NOT_STARTED) for found in statuses.values())
        for call in calls
    }
    order = {kind: index for index, kind in enumerate(DirectorateType)}
    return CvrhWork(
        waiting=[request for request, _ in waiting],
        waiting_count=waiting[0][1] if waiting else 0,
        upcoming=list(upcoming),
        directorates=sorted(statuses.items(), key=lambda item: order[item[0].type]),
        counts={call_id: dict(counted) for call_id, counted in counts.items()},
        unread=thread.unread_by_call(user, ids),
    )


# --- Administrator -----------------------------------------------------------------------

# A message waiting this long after it was due has not been taken by the mail worker.
STUCK_AFTER = timedelta(minutes=15)


@dataclass
class AdminWork:
    """What needs an administrator: e-mails failed, waiting (all, and for too long) and
    invitations never accepted."""

    failed: int
    waiting: int
    stuck: int
    invited: list[User]
    invited_count: int


def admin_work() -> AdminWork:
    """Count the undelivered e-mails and read the oldest invitations (two statements)."""
    late = or_(OutboxMessage.next_attempt_at <= utcnow() - STUCK_AFTER, OutboxMessage.attempts > 0)
    pending = OutboxMessage.status == MessageStatus.PENDING
    failed, waiting, stuck = db.session.execute(
        select(
            func.count(case((OutboxMessage.status == MessageStatus.FAILED, OutboxMessage.id))),
            func.count(case((pending, OutboxMessage.id))),
            func.count(case((pending & late, OutboxMessage.id))),
        ).where(OutboxMessage.status.in_([MessageStatus.FAILED, MessageStatus.PENDING]))
    ).one()
    invited = db.session.execute(
        select(User, func.count().over())
        .where(INVITED)
        .options(joinedload(User.directorate), joinedload(User.cvrh))
        .order_by(User.created_at, User.id)
        .limit(SHOWN)
    ).all()
    return AdminWork(
        failed=failed,
        waiting=waiting,
        stuck=stuck,
        invited=[user for user, _ in invited],
        invited_count=invited[0][1] if invited else 0,
    )


def own_directorate(user: User) -> Directorate:
    """Return the user's directorate with its CVRH (one statement)."""
    return db.session.scalar(
        select(Directorate)
        .options(joinedload(Directorate.cvrh))
        .where(Directorate.id == user.directorate_id)
    )


def work_waiting(user: User) -> int:
    """Count in one statement what the homes' work tiles count: declarations to review on the
    open calls, content waiting for review, CODIR requests not answered yet and the
    directorates' messages the user has not read."""
    open_calls = select(Call.id).where(Call.is_open.is_(True))
    declarations = select(func.count(Declaration.id)).where(*_to_review(open_calls))
    counts = select(
        declarations.scalar_subquery(),
        _content_waiting().scalar_subquery(),
        _codir_waiting().scalar_subquery(),
        thread.unread_on_open_calls(user),
    )
    return sum(db.session.execute(counts).one())
