"""Reminders e-mailed N days before a checkpoint that has no results yet, once per date.

A round first reads what is due, then handles each checkpoint in its own transaction whose
first statement writes the checkpoint's reminder row: the unique key (checkpoint, N, date)
makes a second round at the same instant fail there and send nothing (on PostgreSQL it waits
for the first one's commit; on SQLite the write lock serialises them). The row and the e-mails
of a checkpoint are committed together, so a round that fails half-way keeps what was sent and
the next one sends the rest.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import audit, mail
from app.auth.models import User
from app.declarations.models import Campaign, Declaration
from app.directorates.models import portal_today
from app.extensions import db
from app.followup import policies, services
from app.followup.models import Checkpoint, CheckpointReminder, FollowupPlan, ResultImport


@dataclass
class Due:
    """A checkpoint coming up without results, its campaign and the people to remind."""

    checkpoint: Checkpoint
    context: services.Context
    people: list[User]


@dataclass
class Notice:
    """A reminder sent (or that a dry run would send), as plain values for the report."""

    call: str
    directorate: str
    position: int
    checkpoint: str
    due_on: date
    recipients: list[str]


@dataclass
class ReminderReport:
    """What a round of reminders did: checkpoints reminded, e-mails, and what was skipped."""

    days_before: int
    notices: list[Notice] = field(default_factory=list)
    already_reminded: int = 0
    without_account: set[str] = field(default_factory=set)  # codes of the directorates

    @property
    def sent(self) -> int:
        """Return the number of checkpoints reminded."""
        return len(self.notices)

    @property
    def emails(self) -> int:
        """Return the number of e-mails queued."""
        return sum(len(notice.recipients) for notice in self.notices)


def _followers(directorate_ids: set[int]) -> dict[int, list[User]]:
    """Return the active accounts that may import results, by directorate id (one query)."""
    query = select(User).where(
        User.role.in_(policies.FOLLOWERS),
        User.directorate_id.in_(directorate_ids),
        User.active.is_(True),
    )
    people: dict[int, list[User]] = {}
    for user in db.session.scalars(query.order_by(User.email)):
        people.setdefault(user.directorate_id, []).append(user)
    return people


def due_checkpoints(today: date, days: int, checkpoint_id: int | None = None) -> list[Due]:
    """Return the checkpoints due from today to N days later without results, to remind.

    Only those of a plan not purged, whose declaration is still followed and still has the
    campaign at the plan's position.
    """
    query = (
        select(Checkpoint, FollowupPlan, Declaration, Campaign)
        .join(Checkpoint.plan)
        .join(FollowupPlan.declaration)
        .join(
            Campaign,
            (Campaign.declaration_id == Declaration.id)
            & (Campaign.position == FollowupPlan.position),
        )
        .where(
            Checkpoint.due_on.between(today, today + timedelta(days=days)),
            ~exists().where(ResultImport.checkpoint_id == Checkpoint.id),
            FollowupPlan.purged_at.is_(None),
        )
        .options(selectinload(Declaration.call), selectinload(Declaration.directorate))
        .order_by(Checkpoint.due_on, Checkpoint.id)
    )
    if checkpoint_id is not None:
        query = query.where(Checkpoint.id == checkpoint_id)
    rows = [row for row in db.session.execute(query) if policies.is_followed(row.Declaration)]
    people = _followers({row.Declaration.directorate_id for row in rows})
    return [
        Due(
            checkpoint=checkpoint,
            context=services.Context(
                declaration.call,
                declaration.directorate,
                declaration,
                plan.position,
                campaign,
                plan,
            ),
            people=people.get(declaration.directorate_id, []),
        )
        for checkpoint, plan, declaration, campaign in rows
    ]


def _reminded(days: int, checkpoint_ids: list[int]) -> set[tuple[int, date]]:
    query = select(CheckpointReminder.checkpoint_id, CheckpointReminder.due_on).where(
        CheckpointReminder.days_before == days,
        CheckpointReminder.checkpoint_id.in_(checkpoint_ids),
    )
    return {(row.checkpoint_id, row.due_on) for row in db.session.execute(query)}


def _notice(item: Due) -> Notice:
    context = item.context
    return Notice(
        call=context.call.code,
        directorate=context.directorate.code,
        position=context.position,
        checkpoint=item.checkpoint.name,
        due_on=item.checkpoint.due_on,
        recipients=[person.email for person in item.people],
    )


def _send(item: Due) -> None:
    for person in item.people:
        mail.send(
            person.email,
            "followup_reminder",
            person.language,
            user=person,
            context=item.context,
            checkpoint=item.checkpoint,
            link=services.campaign_link(item.context, person.language),
        )


def _remind(
    today: date, days: int, checkpoint_id: int, due_on: date, report: ReminderReport
) -> None:
    """Remind one checkpoint in its own transaction, or nothing if another round did."""
    try:
        # The first statement of the transaction: the reminder's key, which a concurrent
        # round cannot write too. What is due is read again after it, under that key.
        db.session.add(
            CheckpointReminder(checkpoint_id=checkpoint_id, days_before=days, due_on=due_on)
        )
        db.session.flush()
        item = next(iter(due_checkpoints(today, days, checkpoint_id)), None)
        if item is None or item.checkpoint.due_on != due_on:
            db.session.rollback()  # imported, moved or no longer followed meanwhile
            return
        if not item.people:
            report.without_account.add(item.context.directorate.code)
            db.session.rollback()
            return
        _send(item)
        notice = _notice(item)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        report.already_reminded += 1
        return
    report.notices.append(notice)


def remind_before_checkpoints(days: int, dry_run: bool = False) -> ReminderReport:
    """E-mail the directorates' users about checkpoints due within N days without results.

    Each checkpoint is reminded once for N and its date; a dry run reports what would be
    sent and writes nothing. The caller's session must hold no pending change.
    """
    report = ReminderReport(days_before=days)
    today = portal_today()
    due = due_checkpoints(today, days)
    done = _reminded(days, [item.checkpoint.id for item in due])
    to_remind = []
    for item in due:
        key = (item.checkpoint.id, item.checkpoint.due_on)
        if key in done:
            report.already_reminded += 1
        elif not item.people:
            report.without_account.add(item.context.directorate.code)
        elif dry_run:
            report.notices.append(_notice(item))
        else:
            to_remind.append(key)
    # End the reading transaction: on SQLite, a transaction that read before writing could
    # fail on a concurrent commit, so each checkpoint's transaction starts with its write.
    db.session.rollback()
    if dry_run:
        return report
    for checkpoint_id, due_on in to_remind:
        _remind(today, days, checkpoint_id, due_on, report)
    audit.record(
        "followup.reminded",
        days_before=days,
        sent=report.sent,
        emails=report.emails,
        already_reminded=report.already_reminded,
        without_account=sorted(report.without_account),
    )
    db.session.commit()
    return report
