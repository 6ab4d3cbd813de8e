"""Follow-up plans: reading them with their declaration, defaults, saving with history."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app import audit, mail
from app.auth.models import User
from app.declarations.models import Campaign, Declaration
from app.directorates.models import Call, Directorate
from app.extensions import db, utcnow
from app.followup import figures, policies
from app.followup.models import (
    Aim,
    CampaignKind,
    Checkpoint,
    CompetenceTarget,
    FollowupPlan,
    Participant,
    PlanEvent,
)

DEFAULT_CHECKPOINTS = (_l("Launch"), _l("Mid-point"), _l("Final review"))


class FollowupError(Exception):
    """A change that cannot be made; routes turn it into a message."""


class Conflict(FollowupError):
    """Someone else changed the plan (or imported at the same checkpoint) meanwhile."""


class NotAllowed(FollowupError):
    """The user may not do this, or no longer (the plan's individual rows were purged)."""


@dataclass
class Context:
    """A campaign's follow-up as a page needs it: where it is, and its plan if one exists."""

    call: Call
    directorate: Directorate
    declaration: Declaration
    position: int
    campaign: Campaign | None
    plan: FollowupPlan | None

    @property
    def label(self) -> str:
        """Return the campaign's name, or its number when it has none."""
        if self.campaign is not None and self.campaign.label:
            return self.campaign.label
        if self.plan is not None and self.plan.campaign_label:
            return self.plan.campaign_label
        return str(_l("Campaign %(number)s", number=self.position))


def campaign_link(context: Context, language: str) -> str:
    """Return the absolute address of a campaign's follow-up page, for an e-mail."""
    return mail.external_url(
        "followup.campaign",
        lang=language,
        call_code=context.call.code,
        directorate_code=context.directorate.code,
        position=context.position,
    )


def get_context(user: User, call_code: str, directorate_code: str, position: int) -> Context:
    """Return the follow-up of a campaign if the user may read it, else abort with 404."""
    directorate = db.first_or_404(select(Directorate).where(Directorate.code == directorate_code))
    if not policies.can_follow(user, directorate):
        abort(404)
    context = find_context(call_code, directorate, position)
    if context is None:
        abort(404)
    return context


def find_context(call_code: str, directorate: Directorate, position: int) -> Context | None:
    """Return the follow-up of a campaign (planned, or of a followed declaration), or None."""
    call = db.session.scalar(select(Call).where(Call.code == call_code))
    if call is None:
        return None
    declaration = db.session.scalar(
        select(Declaration)
        .where(Declaration.call_id == call.id, Declaration.directorate_id == directorate.id)
        .options(selectinload(Declaration.campaigns).selectinload(Campaign.paths))
    )
    if declaration is None:
        return None
    plan = db.session.scalar(
        select(FollowupPlan)
        .where(FollowupPlan.declaration_id == declaration.id, FollowupPlan.position == position)
        .options(
            selectinload(FollowupPlan.targets),
            selectinload(FollowupPlan.checkpoints).selectinload(Checkpoint.result),
        )
    )
    campaigns = {campaign.position: campaign for campaign in declaration.campaigns}
    followed = policies.is_followed(declaration) and position in campaigns
    if plan is None and not followed:
        return None
    return Context(call, directorate, declaration, position, campaigns.get(position), plan)


def campaigns_followed(user: User) -> list[tuple[Declaration, Campaign, FollowupPlan | None]]:
    """Return the campaigns whose follow-up the user may read, with their plans (two queries)."""
    declarations = db.session.scalars(
        policies.followed_declarations(user)
        .options(selectinload(Declaration.campaigns), selectinload(Declaration.call))
        .order_by(Declaration.id.desc())
    ).all()
    plans = {
        (plan.declaration_id, plan.position): plan
        for plan in db.session.scalars(
            select(FollowupPlan)
            .where(FollowupPlan.declaration_id.in_([item.id for item in declarations]))
            .options(selectinload(FollowupPlan.checkpoints).selectinload(Checkpoint.result))
        )
    }
    return [
        (declaration, campaign, plans.get((declaration.id, campaign.position)))
        for declaration in declarations
        for campaign in declaration.campaigns
    ]


def default_checkpoints(campaign: Campaign | None) -> list[dict[str, Any]]:
    """Return the checkpoints a new plan proposes: launch, mid-point and final review."""
    start = campaign.starts_on if campaign else None
    end = campaign.ends_on if campaign else None
    middle = start + (end - start) / 2 if start and end and end >= start else None
    return [
        {"name": str(name), "due_on": due_on}
        for name, due_on in zip(DEFAULT_CHECKPOINTS, (start, middle, end), strict=True)
    ]


def default_plan(context: Context) -> dict[str, Any]:
    """Return the values a new plan's form starts from, taken from the declared campaign."""
    campaign = context.campaign
    paths = campaign.paths if campaign else []
    return {
        "aim": Aim.SKILLS_PROJECT,
        "kind": paths[0].campaign_kind if paths else CampaignKind.PROFILES_COLLECTION,
        "population": campaign.target_population if campaign else "",
        "population_size": campaign.headcount if campaign else None,
        "mastery_target": None,
        "stage_target": None,
        "targets": {},
        "checkpoints": default_checkpoints(campaign),
    }


def covered_competences(context: Context) -> set[str]:
    """Return the codes of the competences the campaign's chosen learning paths cover."""
    if context.campaign is None:
        return set()
    return {code for path in context.campaign.paths for code in path.competences}


def plan_values(plan: FollowupPlan) -> dict[str, Any]:
    """Return a plan as plain data: what the form shows and what the history compares."""
    profiles = plan.kind is CampaignKind.PROFILES_COLLECTION
    return {
        "aim": plan.aim,
        "kind": plan.kind,
        "population": plan.population,
        "population_size": plan.population_size,
        "mastery_target": plan.mastery_target,
        "stage_target": plan.stage_target,
        "targets": {
            target.competence: (target.level if profiles else target.mastery)
            for target in plan.targets
        },
        "checkpoints": [
            {"id": item.id, "name": item.name, "due_on": item.due_on} for item in plan.checkpoints
        ],
    }


def targets_of(plan: FollowupPlan) -> figures.Targets:
    """Return the plan's targets as the figures read them."""
    return figures.Targets(
        kind=plan.kind.value,
        competences=plan_values(plan)["targets"],
        mastery=plan.mastery_target if plan.kind is CampaignKind.ASSESSMENT else None,
        stage=plan.stage_target if plan.kind is CampaignKind.ASSESSMENT else None,
    )


def _flat(values: dict[str, Any]) -> dict[str, Any]:
    flat = {key: values[key] for key in ("aim", "kind", "population", "population_size")}
    flat |= {key: values[key] for key in ("mastery_target", "stage_target")}
    for code, target in values["targets"].items():
        flat[f"target.{code}"] = target
    for number, item in enumerate(values["checkpoints"], start=1):
        flat[f"checkpoint.{number}"] = f"{item['name']} ({_plain(item['due_on']) or '—'})"
    return {key: _plain(value) for key, value in flat.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Aim | CampaignKind):
        return value.value
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """Return {field: [before, after]} for every value of the plan that changed."""
    old, new = _flat(before), _flat(after)
    return {
        key: [old.get(key), new.get(key)]
        for key in sorted(old.keys() | new.keys())
        if old.get(key) != new.get(key)
    }


@contextmanager
def conflicts() -> Iterator[None]:
    """Turn a concurrent change of the same plan, at flush or commit, into a Conflict."""
    try:
        yield
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise Conflict() from None


@contextmanager
def _undone_on_refusal() -> Iterator[None]:
    """Roll back what a change had applied when it is refused half-way."""
    try:
        yield
    except FollowupError:
        db.session.rollback()
        raise


def record_event(plan: FollowupPlan, action: str, actor: User | None, **changes) -> None:
    """Add an entry to the plan's history and to the audit log."""
    db.session.add(
        PlanEvent(plan=plan, action=action, actor_id=actor.id if actor else None, changes=changes)
    )
    audit.record(f"followup.{action}", plan, actor=actor, **changes)


def save_plan(user: User, context: Context, values: dict[str, Any], version: int | None):
    """Create or update the plan of a campaign; recompute the figures of its imports.

    `values` is plain data as `plan_values` returns it; checkpoints with an id update that
    checkpoint, those without are added, and missing ones are removed (never one with results).
    """
    if not policies.can_plan(user, context.directorate):
        raise NotAllowed("plan")
    plan = context.plan
    if plan is not None and plan.purged_at is not None:
        raise NotAllowed("purged")
    if plan is not None and version != plan.version:
        raise Conflict()
    if plan is not None and plan.imports and values["kind"] is not plan.kind:
        raise NotAllowed("kind")
    before = plan_values(plan) if plan is not None else None
    with conflicts(), _undone_on_refusal():
        if plan is None:
            plan = FollowupPlan(declaration=context.declaration, position=context.position)
            db.session.add(plan)
        _apply(plan, context, values)
        db.session.flush()
        changes = diff(before, plan_values(plan)) if before is not None else {}
        if before is None or changes:
            record_event(plan, "created" if before is None else "saved", user, changes=changes)
        refresh_summaries(plan)
        db.session.commit()
    return plan


def _apply(plan: FollowupPlan, context: Context, values: dict[str, Any]) -> None:
    for key in ("aim", "kind", "population", "population_size", "mastery_target"):
        setattr(plan, key, values[key])
    plan.stage_target = values["stage_target"]
    plan.campaign_label = context.label[:200]
    plan.updated_at = utcnow()
    existing = {target.competence: target for target in plan.targets}
    wanted = {code: value for code, value in values["targets"].items() if value is not None}
    profiles = values["kind"] is CampaignKind.PROFILES_COLLECTION
    for code, target in existing.items():
        if code not in wanted:
            plan.targets.remove(target)
    for code, value in wanted.items():
        target = existing.get(code) or CompetenceTarget(competence=code)
        target.level, target.mastery = (value, None) if profiles else (None, value)
        if code not in existing:
            plan.targets.append(target)
    kept = {item["id"] for item in values["checkpoints"] if item.get("id")}
    for checkpoint in list(plan.checkpoints):
        if checkpoint.id not in kept:
            if checkpoint.result is not None:
                raise NotAllowed("checkpoint")
            plan.checkpoints.remove(checkpoint)
    by_id = {checkpoint.id: checkpoint for checkpoint in plan.checkpoints}
    for position, item in enumerate(values["checkpoints"], start=1):
        checkpoint = by_id.get(item.get("id")) if item.get("id") else None
        if checkpoint is None:
            checkpoint = Checkpoint()
            plan.checkpoints.append(checkpoint)
        checkpoint.position, checkpoint.name, checkpoint.due_on = (
            position,
            item["name"],
            item["due_on"],
        )


def refresh_summaries(plan: FollowupPlan) -> None:
    """Recompute the figures of the plan's imports that still have their rows (one query)."""
    imports = [item for item in plan.imports if item.purged_at is None]
    if not imports:
        return
    rows: dict[int, list[Participant]] = {item.id: [] for item in imports}
    query = select(Participant).where(Participant.import_id.in_(list(rows)))
    for row in db.session.scalars(query.execution_options(populate_existing=True)):
        rows[row.import_id].append(row)
    targets = targets_of(plan)
    changed = []
    for row in (row for items in rows.values() for row in items):
        status, missed = figures.status_of(row, targets)
        if (status, missed) != (row.status, row.missed):
            changed.append({"id": row.id, "status": status, "missed": missed})
    if changed:
        db.session.execute(update(Participant), changed)
    for item in imports:
        stage_count = (item.summary or {}).get("stage_count")
        item.summary = {
            **figures.summarise(rows[item.id], targets, stage_count),
            "stage_count": stage_count,
        }


def history(plan: FollowupPlan) -> list[PlanEvent]:
    """Return the plan's events, newest first, with their authors."""
    query = (
        select(PlanEvent)
        .where(PlanEvent.plan_id == plan.id)
        .options(selectinload(PlanEvent.actor))
        .order_by(PlanEvent.id.desc())
    )
    return list(db.session.scalars(query))
