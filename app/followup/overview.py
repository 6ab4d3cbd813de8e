"""The follow-up seen from outside the directorates: skills progress across a call.

The project team and the CVRHs read aggregates only; individual rows never leave the
directorate. Outside it, a campaign's figure that rests on fewer than FOLLOWUP_MIN_GROUP
participations is hidden, and that campaign is left out of every total and group the figure
adds up to (the number of campaigns left out is given instead). Every total is therefore a sum
of shown figures: no hidden figure can be worked out by subtracting one figure from another.

Every figure comes from a handful of queries for the whole call (the stored summaries of the
latest import of each campaign, the plans, their targets, the declared campaigns); grouping is
done in memory, never with a query per directorate, campaign or competence.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.declarations import overview
from app.declarations.models import Campaign, Declaration
from app.directorates.models import Call, Directorate, DirectorateType
from app.extensions import db
from app.followup import figures, policies
from app.followup.models import (
    Aim,
    CampaignKind,
    Checkpoint,
    CompetenceTarget,
    FollowupPlan,
    ResultImport,
)
from app.followup.reference import MAX_LEVEL, competences

# Follow-up states of a campaign or a directorate, from the least to the most advanced.
NOT_ANSWERED = "not_answered"
NO_PLAN = "no_plan"
PLANNED = "planned"
RESULTS = "results"
STATES = (NOT_ANSWERED, NO_PLAN, PLANNED, RESULTS)
STATE_LABELS = {
    NOT_ANSWERED: _l("Not answered"),
    NO_PLAN: _l("No follow-up plan"),
    PLANNED: _l("Plan set, no results yet"),
    RESULTS: _l("Results imported"),
}
GROUPING_TITLES = {
    "type": _l("By directorate type"),
    "region": _l("By region"),
    "cvrh": _l("By CVRH"),
}
GROUPING_LABELS = {
    "type": _l("Directorate type"),
    "region": _l("Region"),
    "cvrh": _l("CVRH"),
}
GROUPINGS = ("type", "region", "cvrh")


class Hidden:
    """A figure resting on fewer participations than the minimum group: never shown."""

    def __repr__(self) -> str:
        return "HIDDEN"


HIDDEN = Hidden()


def min_group() -> int:
    """Return the smallest number of participations a figure shown outside may rest on."""
    return current_app.config["FOLLOWUP_MIN_GROUP"]


@dataclass
class CampaignFigures:
    """One campaign of a directorate as the aggregates read it: plan, latest results."""

    directorate_id: int
    position: int
    label: str
    headcount: int | None = None
    directorate: Directorate | None = None
    plan_id: int | None = None
    aim: Aim | None = None
    kind: CampaignKind | None = None
    targets: frozenset[str] = frozenset()
    checkpoint: str | None = None
    checkpoint_on: date | None = None
    imported_at: datetime | None = None
    summary: dict[str, Any] | None = None

    @property
    def state(self) -> str:
        """Return how far the campaign's follow-up went: no plan, planned, results."""
        if self.summary is not None:
            return RESULTS
        return PLANNED if self.plan_id is not None else NO_PLAN

    @property
    def target_count(self) -> int:
        """Return how many targets the plan sets (competences, and mastery and stage)."""
        return self.summary["targets"] if self.summary else len(self.targets)

    @property
    def participants(self) -> int | None:
        """Return the participations of the latest checkpoint, or None before any results."""
        return self.summary["participants"] if self.summary else None

    @property
    def shared(self) -> int | None:
        """Return the shared participations of the latest checkpoint."""
        return self.summary["shared"] if self.summary else None

    @property
    def reached(self) -> int | None:
        """Return the shared participations that reach every target (None without targets)."""
        return self.summary.get("reached_all") if self.summary else None


def shown(value: int | None, base: int | None) -> int | Hidden | None:
    """Return a figure resting on `base` participations, or HIDDEN under the minimum group."""
    if value is None or base is None:
        return None
    return value if base >= min_group() else HIDDEN


@dataclass
class Tally:
    """The follow-up figures of a group of campaigns (a directorate, a type, a region...)."""

    directorates: int = 0
    states: Counter = field(default_factory=Counter)
    campaigns: int = 0
    planned: int = 0
    with_results: int = 0
    population: int = 0  # declared in Annex 1, for every campaign of the group
    # Campaigns with results of which a figure is hidden (too few participations or shares).
    left_out: int = 0
    # Participation: campaigns with at least the minimum group of participations only.
    counted: int = 0
    participation_left_out: int = 0
    participants: int = 0
    counted_population: int = 0  # declared population of the campaigns counted
    shared: int = 0
    # Targets: campaigns with targets and at least the minimum group of shared participations.
    target_counted: int = 0
    target_left_out: int = 0
    target_shared: int = 0
    target_reached: int = 0

    def add(self, campaign: CampaignFigures) -> None:
        """Count a campaign in, leaving its figures out when they rest on too few people."""
        self.campaigns += 1
        self.planned += campaign.plan_id is not None
        self.population += campaign.headcount or 0
        if campaign.summary is None:
            return
        self.with_results += 1
        self.left_out += campaign.participants < min_group() or campaign.shared < min_group()
        if campaign.participants < min_group():
            self.participation_left_out += 1
        else:
            self.counted += 1
            self.participants += campaign.participants
            self.shared += campaign.shared
            self.counted_population += campaign.headcount or 0
        if campaign.reached is None:
            return
        if campaign.shared < min_group():
            self.target_left_out += 1
        else:
            self.target_counted += 1
            self.target_shared += campaign.shared
            self.target_reached += campaign.reached

    def shown_participants(self) -> int | Hidden | None:
        """Return the participations counted, HIDDEN if every campaign was left out."""
        if self.counted:
            return self.participants
        return HIDDEN if self.participation_left_out else None

    def participation(self) -> float | Hidden | None:
        """Return participations counted / population declared for the same campaigns."""
        if not self.counted:
            return HIDDEN if self.participation_left_out else None
        return figures.share(self.participants, self.counted_population)

    def shared_share(self) -> float | Hidden | None:
        """Return the share of the counted participations that were shared."""
        if not self.counted:
            return HIDDEN if self.participation_left_out else None
        return figures.share(self.shared, self.participants)

    def reached_share(self) -> float | Hidden | None:
        """Return the share of the shared participations counted that reach every target."""
        if not self.target_counted:
            return HIDDEN if self.target_left_out else None
        return figures.share(self.target_reached, self.target_shared)


@dataclass
class CompetenceTally:
    """One competence over a group of campaigns: targets set, targets reached, levels."""

    code: str
    targeted: int = 0  # campaigns whose plan sets a target on it
    left_out: int = 0  # campaigns with results on it of which a figure is hidden
    counted: int = 0
    target_left_out: int = 0
    shared: int = 0
    reached: int = 0
    levels: list[int] = field(default_factory=lambda: [0] * (MAX_LEVEL + 1))
    levels_left_out: int = 0
    bands: list[int] = field(default_factory=lambda: [0] * figures.MASTERY_BUCKETS)
    bands_left_out: int = 0

    def add(self, campaign: CampaignFigures) -> None:
        """Count a campaign's results on this competence in, under the same rules as Tally."""
        self.targeted += self.code in campaign.targets
        measure = (campaign.summary or {}).get("competences", {}).get(self.code)
        if measure is None:
            return
        hidden = False
        if measure["target"] is not None:
            if campaign.shared < min_group():
                self.target_left_out += 1
                hidden = True
            else:
                self.counted += 1
                self.shared += campaign.shared
                self.reached += measure["reached"]
        if measure["count"]:
            profiles = campaign.summary["kind"] == figures.PROFILES_COLLECTION
            if measure["count"] < min_group():
                hidden = True
                if profiles:
                    self.levels_left_out += 1
                else:
                    self.bands_left_out += 1
            else:
                merged = self.levels if profiles else self.bands
                for index, count in enumerate(measure["distribution"][: len(merged)]):
                    merged[index] += count
        self.left_out += hidden

    def reached_share(self) -> float | Hidden | None:
        """Return the share of shared participations reaching the target on this competence."""
        if not self.counted:
            return HIDDEN if self.target_left_out else None
        return figures.share(self.reached, self.shared)

    def gap(self) -> float | None:
        """Return the share of shared participations below target (None if not shown)."""
        share = self.reached_share()
        return None if share is None or share is HIDDEN else 1 - share

    def median_level(self) -> float | Hidden | None:
        """Return the median level of the profiles collections' shared participations."""
        if not sum(self.levels):
            return HIDDEN if self.levels_left_out else None
        return median_of(self.levels)

    def median_band(self) -> int | Hidden | None:
        """Return the ten-percent band (0 for 0–9 %...) of the assessments' median mastery."""
        if not sum(self.bands):
            return HIDDEN if self.bands_left_out else None
        return int(median_of(self.bands, lower=True))


def band_label(band: int) -> str:
    """Return a ten-percent band of mastery as "40–49 %" (the last one "90–100 %")."""
    return f"{band * 10}–{band * 10 + (10 if band == 9 else 9)} %"


def median_of(counts: list[int], lower: bool = False) -> float:
    """Return the median of values given as counts per value (index); `lower` for even sizes."""
    total = sum(counts)
    wanted = [(total - 1) // 2] if lower else sorted({(total - 1) // 2, total // 2})
    found = []
    seen = 0
    for value, count in enumerate(counts):
        while wanted and wanted[0] < seen + count:
            found.append(value)
            wanted.pop(0)
        seen += count
    return sum(found) / len(found)


@dataclass
class DirectorateRow:
    """A directorate of the call with its campaigns' follow-up and their totals."""

    row: overview.Row
    campaigns: list[CampaignFigures]
    tally: Tally

    @property
    def directorate(self) -> Directorate:
        """Return the directorate."""
        return self.row.directorate

    @property
    def state(self) -> str:
        """Return the most advanced state of its campaigns, or not answered."""
        if not self.campaigns:
            declaration = self.row.declaration
            followed = declaration is not None and policies.is_followed(declaration)
            return NO_PLAN if followed else NOT_ANSWERED
        return max((campaign.state for campaign in self.campaigns), key=STATES.index)

    @property
    def last_checkpoint(self) -> date | None:
        """Return the date of the latest checkpoint with results (its due date or import)."""
        dates = [
            campaign.checkpoint_on or campaign.imported_at.date()
            for campaign in self.campaigns
            if campaign.summary is not None
        ]
        return max(dates, default=None)


@dataclass
class Group:
    """A group of directorates (a type, a region, a CVRH) with its figures."""

    key: str
    label: str
    tally: Tally
    campaigns: list[CampaignFigures]

    @cached_property
    def competences(self) -> dict[str, CompetenceTally]:
        """Return the group's competence grid (worked out when first read)."""
        return _competences(self.campaigns)


@dataclass
class Followup:
    """The follow-up of a call for the directorates shown."""

    rows: list[DirectorateRow]
    total: Tally
    competences: dict[str, CompetenceTally]
    groups: dict[str, list[Group]]

    @property
    def campaigns(self) -> list[CampaignFigures]:
        """Return every campaign of the directorates shown."""
        return [campaign for row in self.rows for campaign in row.campaigns]


def campaigns_of(call: Call, ids: set[int] | None) -> dict[int, list[CampaignFigures]]:
    """Return, per directorate id, its followed campaigns and plans, with the latest results.

    Four queries for the whole call: the declared campaigns, the plans, their targets and the
    latest import of each plan.
    """
    found: dict[tuple[int, int], CampaignFigures] = {}

    def where(query):
        query = query.where(Declaration.call_id == call.id)
        return query if ids is None else query.where(Declaration.directorate_id.in_(ids))

    declared = where(
        select(Declaration.directorate_id, Campaign.position, Campaign.label, Campaign.headcount)
        .join(Campaign, Campaign.declaration_id == Declaration.id)
        .where(Declaration.status.in_(policies.FOLLOWED_STATUSES))
    )
    for directorate_id, position, label, headcount in db.session.execute(declared):
        found[directorate_id, position] = CampaignFigures(
            directorate_id, position, label, headcount
        )
    plans = where(
        select(
            Declaration.directorate_id,
            FollowupPlan.id,
            FollowupPlan.position,
            FollowupPlan.campaign_label,
            FollowupPlan.aim,
            FollowupPlan.kind,
        ).join(FollowupPlan, FollowupPlan.declaration_id == Declaration.id)
    )
    by_plan: dict[int, CampaignFigures] = {}
    for directorate_id, plan_id, position, label, aim, kind in db.session.execute(plans):
        campaign = found.get((directorate_id, position))
        if campaign is None:
            campaign = found[directorate_id, position] = CampaignFigures(
                directorate_id, position, label
            )
        campaign.plan_id, campaign.aim, campaign.kind = plan_id, aim, kind
        by_plan[plan_id] = campaign
    if by_plan:
        _read_targets(by_plan, where)
        _read_latest(by_plan, where)
    result: dict[int, list[CampaignFigures]] = {}
    for (directorate_id, _position), campaign in sorted(found.items()):
        result.setdefault(directorate_id, []).append(campaign)
    return result


def _read_targets(by_plan: dict[int, CampaignFigures], where: Callable) -> None:
    query = where(
        select(CompetenceTarget.plan_id, CompetenceTarget.competence)
        .join(FollowupPlan, CompetenceTarget.plan_id == FollowupPlan.id)
        .join(Declaration, FollowupPlan.declaration_id == Declaration.id)
    )
    targets: dict[int, set[str]] = {}
    for plan_id, code in db.session.execute(query):
        targets.setdefault(plan_id, set()).add(code)
    for plan_id, codes in targets.items():
        by_plan[plan_id].targets = frozenset(codes)


def _read_latest(by_plan: dict[int, CampaignFigures], where: Callable) -> None:
    """Read the import of each plan's latest checkpoint with results (one windowed query)."""
    rank = (
        func.row_number()
        .over(partition_by=ResultImport.plan_id, order_by=Checkpoint.position.desc())
        .label("rank")
    )
    ranked = where(
        select(
            ResultImport.plan_id,
            Checkpoint.name,
            Checkpoint.due_on,
            ResultImport.created_at,
            ResultImport.summary,
            rank,
        )
        .join(Checkpoint, ResultImport.checkpoint_id == Checkpoint.id)
        .join(FollowupPlan, ResultImport.plan_id == FollowupPlan.id)
        .join(Declaration, FollowupPlan.declaration_id == Declaration.id)
    ).subquery()
    query = select(
        ranked.c.plan_id, ranked.c.name, ranked.c.due_on, ranked.c.created_at, ranked.c.summary
    ).where(ranked.c.rank == 1)
    for plan_id, name, due_on, created_at, summary in db.session.execute(query):
        campaign = by_plan[plan_id]
        campaign.checkpoint, campaign.checkpoint_on = name, due_on
        campaign.imported_at, campaign.summary = created_at, summary


def _tally(campaigns: Iterable[CampaignFigures]) -> Tally:
    tally = Tally()
    for campaign in campaigns:
        tally.add(campaign)
    return tally


def _competences(campaigns: list[CampaignFigures]) -> dict[str, CompetenceTally]:
    grid = {item.code: CompetenceTally(item.code) for item in competences()}
    for campaign in campaigns:
        # A competence neither targeted nor in the results is left unchanged by `add`.
        measured = (campaign.summary or {}).get("competences", {})
        for code in campaign.targets | measured.keys():
            if code in grid:
                grid[code].add(campaign)
    return grid


def group_key(row: DirectorateRow, grouping: str) -> str:
    """Return the key of the row's group: its type, region or CVRH."""
    directorate = row.directorate
    if grouping == "type":
        return directorate.type.value
    if grouping == "region":
        return directorate.region
    return directorate.cvrh.code


def group_label(row: DirectorateRow, grouping: str) -> str:
    """Return the name of the row's group, in the current language."""
    directorate = row.directorate
    if grouping == "type":
        return directorate.type.label
    if grouping == "region":
        return directorate.region
    return directorate.cvrh.name


def _groups(rows: list[DirectorateRow], grouping: str) -> list[Group]:
    members: dict[str, list[DirectorateRow]] = {}
    labels = {}
    for row in rows:
        key = group_key(row, grouping)
        if key not in members:
            members[key] = []
            labels[key] = group_label(row, grouping)  # once per group: a translation
        members[key].append(row)
    if grouping == "type":
        order = [kind.value for kind in DirectorateType if kind.value in members]
    else:
        order = sorted(members, key=lambda key: labels[key])
    groups = []
    for key in order:
        campaigns = [campaign for row in members[key] for campaign in row.campaigns]
        tally = _tally(campaigns)
        tally.directorates = len(members[key])
        tally.states = Counter(row.state for row in members[key])
        groups.append(Group(key, labels[key], tally, campaigns))
    return groups


def build(
    call: Call, rows: list[overview.Row], everyone: bool = False, state: str | None = None
) -> Followup:
    """Return the follow-up of a call for these overview rows (the directorates shown).

    `everyone` says the rows hold every directorate (no need to restrict the queries);
    `state` keeps only the directorates in that follow-up state.
    """
    ids = None if everyone else {row.directorate.id for row in rows}
    by_directorate = campaigns_of(call, ids)
    directorate_rows = []
    for row in rows:
        campaigns = by_directorate.get(row.directorate.id, [])
        for campaign in campaigns:
            campaign.directorate = row.directorate
        directorate_rows.append(DirectorateRow(row, campaigns, _tally(campaigns)))
    if state:
        directorate_rows = [row for row in directorate_rows if row.state == state]
    every_campaign = [campaign for row in directorate_rows for campaign in row.campaigns]
    total = _tally(every_campaign)
    total.directorates = len(directorate_rows)
    total.states = Counter(row.state for row in directorate_rows)
    return Followup(
        rows=directorate_rows,
        total=total,
        competences=_competences(every_campaign),
        groups={grouping: _groups(directorate_rows, grouping) for grouping in GROUPINGS},
    )


def by_gap(grid: dict[str, CompetenceTally]) -> list[CompetenceTally]:
    """Return the competences, the largest gap to the targets first, those without last."""
    return sorted(grid.values(), key=lambda item: (item.gap() is None, -(item.gap() or 0)))
