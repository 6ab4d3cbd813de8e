"""Importing PIX Orga result files at a checkpoint, deleting an import, purging old rows."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import selectinload

from app import audit
from app.auth.models import User
from app.declarations.models import Declaration
from app.extensions import db, utcnow
from app.followup import figures, policies
from app.followup.models import CampaignKind, Checkpoint, FollowupPlan, Participant, ResultImport
from app.followup.pixorga import Participation, Problem, ResultFile, parse_results
from app.followup.services import (
    Context,
    FollowupError,
    NotAllowed,
    conflicts,
    record_event,
    targets_of,
)


class Refused(FollowupError):
    """A result file that cannot be imported, with every reason (line and column when known)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(problem.message for problem in problems))
        self.problems = problems


def _refuse(message: str) -> Refused:
    return Refused([Problem(None, None, message)])


def get_checkpoint(context: Context, checkpoint_id: int) -> Checkpoint | None:
    """Return the plan's checkpoint with this id, or None."""
    if context.plan is None:
        return None
    return next((item for item in context.plan.checkpoints if item.id == checkpoint_id), None)


def _check_campaign(plan: FollowupPlan, checkpoint: Checkpoint, results: ResultFile) -> None:
    """Refuse a file of another kind or PIX Orga campaign, a taken checkpoint, a known file."""
    if results.kind != plan.kind.value:
        raise _refuse(
            _(
                "This file holds the results of a campaign of the kind “%(found)s”, but the "
                "plan follows a campaign of the kind “%(expected)s”.",
                found=CampaignKind(results.kind).label,
                expected=plan.kind.label,
            )
        )
    if plan.pixorga_code and results.campaign_code and results.campaign_code != plan.pixorga_code:
        raise _refuse(
            _(
                "This file comes from the PIX Orga campaign %(found)s, but this follow-up "
                "imports the results of the campaign %(expected)s.",
                found=results.campaign_code,
                expected=plan.pixorga_code,
            )
        )
    if plan.pixorga_id and results.campaign_id and results.campaign_id != plan.pixorga_id:
        raise _refuse(
            _(
                "This file comes from the PIX Orga campaign number %(found)s, but this "
                "follow-up imports the results of the campaign number %(expected)s.",
                found=results.campaign_id,
                expected=plan.pixorga_id,
            )
        )
    if checkpoint.result is not None:
        raise _refuse(
            _(
                "The checkpoint “%(name)s” already has results. Delete them first to import "
                "another file.",
                name=checkpoint.name,
            )
        )
    for other in plan.imports:
        if other.fingerprint == results.fingerprint:
            raise _refuse(
                _(
                    "This file was already imported at the checkpoint “%(name)s”: its results "
                    "are not counted twice.",
                    name=other.checkpoint.name,
                )
            )


def _row(import_id: int, targets: figures.Targets, item: Participation) -> dict:
    kind = targets.kind
    results = item.levels if kind == figures.PROFILES_COLLECTION else item.competence_mastery
    row = {
        "import_id": import_id,
        "line": item.line,
        "last_name": item.last_name,
        "first_name": item.first_name,
        "extras": item.extras,
        "started_at": item.started_at,
        "shared": item.shared,
        "shared_at": item.shared_at,
        "progression": item.progression,
        "mastery": item.mastery,
        "stage": item.stage,
        "results": dict(results),
    }
    row["status"], row["missed"] = figures.status_of(Participant(**row), targets)
    return row


def import_results(
    user: User | None,
    context: Context,
    checkpoint: Checkpoint,
    data: bytes | BinaryIO,
    file_name: str,
) -> ResultImport:
    """Read a PIX Orga export and record it at the checkpoint, all or nothing.

    `user` is None for the command line. Raise Refused with every problem of a bad file,
    NotAllowed, or Conflict when someone imported at the same checkpoint meanwhile.
    """
    plan = context.plan
    if plan is None or checkpoint.plan_id != plan.id:
        raise NotAllowed("checkpoint")
    if user is not None and not policies.can_import(user, context.directorate):
        raise NotAllowed("import")
    if plan.purged_at is not None:
        raise NotAllowed("purged")
    results = parse_results(data)  # raises ResultFileError, a list of problems too
    _check_campaign(plan, checkpoint, results)
    with conflicts():
        if plan.pixorga_code is None and plan.pixorga_id is None:
            plan.pixorga_code = results.campaign_code
            plan.pixorga_id = results.campaign_id
        plan.pixorga_name = results.campaign_name or plan.pixorga_name
        plan.updated_at = utcnow()
        result_import = ResultImport(
            plan=plan,
            checkpoint=checkpoint,
            actor_id=user.id if user else None,
            file_name=file_name[:255],
            kind=CampaignKind(results.kind),
            fingerprint=results.fingerprint,
            participant_count=len(results.participations),
            summary={},
        )
        db.session.add(result_import)
        db.session.flush()
        targets = targets_of(plan)
        rows = [_row(result_import.id, targets, item) for item in results.participations]
        if rows:
            # Without render_nulls the ORM leaves out the None values, and batches only
            # consecutive rows missing the same ones: about one INSERT per two rows.
            statement = insert(Participant).execution_options(render_nulls=True)
            db.session.execute(statement, rows)
        stored = [Participant(**row) for row in rows]
        result_import.summary = {
            **figures.summarise(stored, targets, results.stage_count),
            "stage_count": results.stage_count,
        }
        details = {
            "checkpoint": checkpoint.name,
            "file": result_import.file_name,
            "participants": len(rows),
            "campaign": results.campaign_code or results.campaign_id,
        }
        record_event(plan, "imported", user, **details)
        db.session.commit()
    return result_import


def delete_import(user: User, context: Context, result_import: ResultImport) -> None:
    """Delete an import and its rows; the plan accepts another campaign's file if none is left."""
    plan = context.plan
    if plan is None or result_import.plan_id != plan.id:
        raise NotAllowed("import")
    if not policies.can_import(user, context.directorate):
        raise NotAllowed("delete")
    if plan.purged_at is not None:
        raise NotAllowed("purged")
    details = {
        "checkpoint": result_import.checkpoint.name,
        "file": result_import.file_name,
        "participants": result_import.participant_count,
    }
    with conflicts():
        db.session.execute(delete(Participant).where(Participant.import_id == result_import.id))
        db.session.delete(result_import)
        db.session.flush()
        db.session.expire(plan, ["imports"])
        if not plan.imports:
            plan.pixorga_code = plan.pixorga_id = plan.pixorga_name = None
        plan.updated_at = utcnow()
        record_event(plan, "import_deleted", user, **details)
        db.session.commit()


@dataclass
class Purged:
    """What a purge removed."""

    plans: int
    imports: int
    participants: int


def purge(older_than_days: int, today: date | None = None, dry_run: bool = False) -> Purged:
    """Delete the individual rows of campaigns finished more than `older_than_days` ago.

    A campaign is finished on its declared end date, or else on its last checkpoint. The
    aggregate figures of each import stay; the plan becomes read-only.
    """
    limit = (today or date.today()) - timedelta(days=older_than_days)
    plans = db.session.scalars(
        select(FollowupPlan)
        .where(FollowupPlan.purged_at.is_(None))
        .options(
            selectinload(FollowupPlan.declaration).selectinload(Declaration.campaigns),
            selectinload(FollowupPlan.checkpoints),
            selectinload(FollowupPlan.imports),
        )
    ).all()
    done = Purged(0, 0, 0)
    for plan in plans:
        end = _end_of(plan)
        if end is None or end >= limit:
            continue
        imports = [item for item in plan.imports if item.purged_at is None]
        done.plans += 1
        done.imports += len(imports)
        done.participants += sum(item.participant_count for item in imports)
        if dry_run:
            continue
        ids = [item.id for item in imports]
        if ids:
            db.session.execute(delete(Participant).where(Participant.import_id.in_(ids)))
        now = utcnow()
        for item in imports:
            item.purged_at = now
        plan.purged_at = now
        record_event(plan, "purged", None, ended_on=end.isoformat(), imports=len(ids))
    if done.plans and not dry_run:
        audit.record("followup.purge_run", None, older_than_days=older_than_days, **vars(done))
        db.session.commit()
    return done


def _end_of(plan: FollowupPlan) -> date | None:
    campaign = next(
        (item for item in plan.declaration.campaigns if item.position == plan.position), None
    )
    if campaign is not None and campaign.ends_on is not None:
        return campaign.ends_on
    dates = [item.due_on for item in plan.checkpoints if item.due_on is not None]
    return max(dates, default=None)
