"""What the follow-up pages and the checkpoint list show, built from the stored summaries."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from app.exports.services import local_time, portal_zone
from app.exports.sheets import Table
from app.extensions import db
from app.followup import figures
from app.followup.models import (
    Aim,
    CampaignKind,
    Checkpoint,
    FollowupPlan,
    Participant,
    ResultImport,
)
from app.followup.reference import competence
from app.i18n import current_language

STATUS_LABELS = {
    figures.NOT_STARTED: _l("Not started"),
    figures.NOT_SHARED: _l("Started, not shared"),
    figures.BELOW_TARGET: _l("Shared, below target"),
    figures.REACHED: _l("Every target reached"),
    figures.SHARED: _l("Shared"),
}
# The people a checkpoint's list is about: those to accompany.
TO_ACCOMPANY = (figures.NOT_STARTED, figures.NOT_SHARED, figures.BELOW_TARGET)
LIST_PAGE_SIZE = 50


EVENT_LABELS = {
    "created": _l("Plan created"),
    "saved": _l("Plan changed"),
    "imported": _l("Results imported"),
    "import_deleted": _l("Results deleted"),
    "purged": _l("Individual results purged"),
}
FIELD_LABELS = {
    "aim": _l("Aim of the campaign"),
    "kind": _l("Kind of PIX Orga campaign"),
    "population": _l("Population"),
    "population_size": _l("Size of the population"),
    "mastery_target": _l("Target mastery of the whole profile (%)"),
    "stage_target": _l("Minimum stage to reach"),
}


def change_label(key: str) -> str:
    """Return the name of a changed value of a plan: a field, a target or a checkpoint."""
    if key.startswith("target."):
        return _("Target: %(name)s", name=competence_name(key.removeprefix("target.")))
    if key.startswith("checkpoint."):
        return _("Checkpoint %(number)s", number=key.removeprefix("checkpoint."))
    return str(FIELD_LABELS.get(key, key))


def show_change(key: str, value: Any) -> str:
    """Return a value of a plan's history as a person reads it."""
    if value is None or value == "":
        return "—"
    if key == "aim":
        return Aim(value).label
    if key == "kind":
        return CampaignKind(value).label
    return str(value)


def competence_name(code: str, language: str | None = None) -> str:
    """Return "2.1 Interagir" in the language, or the target's name for "mastery" and "stage"."""
    if code == "mastery":
        return _("Mastery of the whole profile")
    if code == "stage":
        return _("Stage")
    item = competence(code)
    name = item.name_en if (language or current_language()) == "en" else item.name_fr
    return f"{item.code} {name}"


@dataclass
class Measure:
    """One line of a checkpoint's figures: a competence, the whole profile or the stage."""

    key: str
    label: str
    count: int
    median: float | None
    distribution: list[int]
    target: int | None
    reached: int | None
    shared: int

    @property
    def reached_share(self) -> float | None:
        """Return the share of shared participations at or above the target."""
        return figures.share(self.reached, self.shared) if self.target is not None else None


def measures(summary: dict[str, Any]) -> list[Measure]:
    """Return the figures of a summary, competences first, then the whole profile and stage."""
    items = []
    for code, data in summary["competences"].items():
        items.append(Measure(code, competence_name(code), shared=summary["shared"], **data))
    for key in ("overall", "stage"):
        data = summary.get(key)
        if data:
            label = competence_name("mastery" if key == "overall" else key)
            items.append(Measure(key, label, shared=summary["shared"], **data))
    return items


@dataclass
class Column:
    """A checkpoint of the plan with its import, if any."""

    checkpoint: Checkpoint
    result: ResultImport | None

    @property
    def summary(self) -> dict[str, Any] | None:
        """Return the figures of the checkpoint's import, or None before any import."""
        return self.result.summary if self.result is not None else None


def columns(plan: FollowupPlan) -> list[Column]:
    """Return the plan's checkpoints in order, each with its import."""
    return [Column(checkpoint, checkpoint.result) for checkpoint in plan.checkpoints]


def evolution(plan: FollowupPlan) -> list[dict[str, Any]]:
    """Return the rows of the evolution table: one per key share, a value per checkpoint."""
    imported = [column for column in columns(plan) if column.summary]
    shares = [figures.key_shares(column.summary) for column in imported]
    changes = figures.evolution([column.summary for column in imported])
    keys = list(dict.fromkeys(key for item in shares for key in item))
    labels = {
        "shared": _("Shared, of the participants"),
        "reached_all": _("Every target reached, of the shared"),
        "overall": _("Mastery of the whole profile: target reached"),
        "stage": _("Stage: target reached"),
    }
    rows = []
    for key in keys:
        label = labels.get(key) or _("%(name)s: target reached", name=competence_name(key))
        rows.append(
            {
                "key": key,
                "label": label,
                "values": [item.get(key) for item in shares],
                "changes": [change.get(key) for change in changes],
            }
        )
    return rows


def line_chart(plan: FollowupPlan, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the points of the evolution chart: the first two rows, over the checkpoints."""
    imported = [column for column in columns(plan) if column.summary]
    count = len(imported)
    step = 600 / max(count - 1, 1)
    lines = []
    for row in rows[:2]:
        points = [
            (round(80 + index * step, 1), round(20 + (1 - value) * 200, 1))
            for index, value in enumerate(row["values"])
            if value is not None
        ]
        lines.append({"key": row["key"], "label": row["label"], "points": points})
    return {
        "labels": [
            (round(80 + index * step, 1), column.checkpoint.name)
            for index, column in enumerate(imported)
        ],
        "lines": lines,
    }


def participants(result_import: ResultImport, status: str | None) -> Select:
    """Return the query of the import's participants to accompany, or of one status."""
    query = select(Participant).where(Participant.import_id == result_import.id)
    if status:
        query = query.where(Participant.status == status)
    else:
        query = query.where(Participant.status.in_(TO_ACCOMPANY))
    return query.order_by(Participant.last_name, Participant.first_name, Participant.id)


def status_counts(result_import: ResultImport) -> dict[str, int]:
    """Return how many participants of the import stand at each status (one query)."""
    rows = db.session.execute(
        select(Participant.status, func.count())
        .where(Participant.import_id == result_import.id)
        .group_by(Participant.status)
    )
    return dict(rows.all())


def extra_columns(result_import: ResultImport) -> list[str]:
    """Return the names of the extra columns (groups, ids...) of the import's first row."""
    first = db.session.scalar(
        select(Participant.extras).where(Participant.import_id == result_import.id).limit(1)
    )
    return list(first or {})


def missed_names(row: Participant, language: str | None = None) -> str:
    """Return the targets a participant misses, by name, separated by semicolons."""
    return "; ".join(competence_name(code, language) for code in row.missed)


def checkpoint_table(result_import: ResultImport, extras: list[str], language: str) -> Table:
    """Return the checkpoint list as a table for the spreadsheet, in a language."""
    headers = [_("Last name"), _("First name"), *extras, _("Situation")]
    headers += [
        _("Progression, in percent"),
        _("Started on"),
        _("Shared on"),
        _("Targets not reached"),
    ]

    zone = portal_zone()

    def rows() -> Iterator[list[Any]]:
        query = participants(result_import, None).execution_options(yield_per=500)
        for row in db.session.scalars(query):
            yield [
                row.last_name,
                row.first_name,
                *(row.extras.get(name, "") for name in extras),
                str(STATUS_LABELS[row.status]),
                None if row.progression is None else round(row.progression * 100),
                local_time(row.started_at, zone),
                local_time(row.shared_at, zone),
                missed_names(row, language),
            ]

    widths = [22, 18, *([18] * len(extras)), 24, 12, 18, 18, 60]
    return Table(
        key="checkpoint",
        title=_("People to accompany"),
        headers=headers,
        widths=widths,
        rows=rows(),
    )
