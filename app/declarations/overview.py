"""The project team's and CVRHs' overview of a call: every directorate, answered or not."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select, union_all

from app.declarations import policies
from app.declarations.models import (
    Administrator,
    Ambassador,
    Campaign,
    Declaration,
    DeclarationStatus,
)
from app.directorates.models import Call, Directorate, DirectorateType
from app.extensions import db
from app.licences.models import LicenceGrant

NOT_STARTED = "not_started"
ANSWERED = (DeclarationStatus.SUBMITTED, DeclarationStatus.ACCEPTED)
# Status filters that group states: answered (submitted or accepted) and not answered (the rest).
ANSWERED_FILTER = "answered"
UNANSWERED_FILTER = "unanswered"
FILTERS = ("status", "type", "region", "cvrh", "late")


def read_filters(values) -> dict[str, str]:
    """Return the known filters (status, type, region, CVRH, late) that have a value."""
    return {key: values[key] for key in FILTERS if values.get(key)}


def filter_choices(visible: list[Directorate]) -> dict[str, list]:
    """Return the choices of the filter form for these directorates: statuses, types, regions,
    CVRHs (those of the directorates, already loaded with them: no query)."""
    statuses = [
        (ANSWERED_FILTER, _("Answered (submitted or accepted)")),
        (UNANSWERED_FILTER, _("Not answered")),
        (NOT_STARTED, _("Not started")),
        *[(s.value, s.label) for s in DeclarationStatus],
    ]
    return {
        "statuses": statuses,
        "types": list(DirectorateType),
        "regions": sorted({d.region for d in visible}),
        "cvrhs": sorted({d.cvrh for d in visible}, key=lambda cvrh: cvrh.code),
    }


@dataclass
class Row:
    """One directorate in the overview of a call."""

    directorate: Directorate
    declaration: Declaration | None
    deadline: date
    late: bool
    campaigns: int = 0
    licences: int = 0
    ambassadors: int = 0
    administrators: int = 0
    shared_people: list[str] = field(default_factory=list)
    # Licences the project team granted (app/licences), None before any grant.
    granted: int | None = None

    @property
    def gap(self) -> int | None:
        """Return the licences granted minus those requested, or None before any grant."""
        return self.granted - self.licences if self.granted is not None else None

    @property
    def answered(self) -> bool:
        """Say whether the directorate has answered (submitted or accepted)."""
        return self.declaration is not None and self.declaration.status in ANSWERED

    @property
    def status(self) -> str:
        """Return the status value, or "not_started"."""
        return self.declaration.status.value if self.declaration else NOT_STARTED


def _declarations_with_totals(call: Call) -> dict[int, tuple]:
    """Return, per directorate, its declaration and its campaigns, licences, ambassadors,
    administrators and licences granted, in one query (a correlated count per table, each on
    its index)."""

    def counted(model, measure=None):
        measure = measure if measure is not None else func.count(model.id)
        return select(measure).where(model.declaration_id == Declaration.id).scalar_subquery()

    query = select(
        Declaration,
        counted(Campaign),
        counted(Campaign, func.coalesce(func.sum(Campaign.licences), 0)),
        counted(Ambassador),
        counted(Administrator),
        select(LicenceGrant.licences)
        .where(LicenceGrant.declaration_id == Declaration.id)
        .scalar_subquery(),
    ).where(Declaration.call_id == call.id)
    return {row[0].directorate_id: tuple(row) for row in db.session.execute(query)}


def shared_people(call: Call) -> dict[int, list[str]]:
    """Return, per directorate, the e-mail addresses it names that another directorate names too."""
    people = union_all(
        *(
            select(
                Declaration.directorate_id.label("directorate_id"),
                func.lower(model.email).label("email"),
            )
            .join(model, model.declaration_id == Declaration.id)
            .where(Declaration.call_id == call.id, model.email != "")
            for model in (Ambassador, Administrator)
        )
    ).subquery()
    shared = (
        select(people.c.email)
        .group_by(people.c.email)
        .having(func.count(func.distinct(people.c.directorate_id)) > 1)
    )
    query = (
        select(people.c.directorate_id, people.c.email)
        .where(people.c.email.in_(shared))
        .distinct()
        .order_by(people.c.email)
    )
    result: dict[int, list[str]] = {}
    for directorate_id, email in db.session.execute(query):
        result.setdefault(directorate_id, []).append(email)
    return result


def overview_of(visible: list[Directorate], call: Call, filters: dict[str, str]) -> list[Row]:
    """Return one row per directorate of the list, filtered, with totals and flags."""
    declared = _declarations_with_totals(call)
    shared = shared_people(call)
    rows = []
    for directorate in visible:
        declaration, campaigns, licences, ambassadors, administrators, granted = declared.get(
            directorate.id, (None, 0, 0, 0, 0, None)
        )
        answered = declaration is not None and declaration.status in ANSWERED
        rows.append(
            Row(
                directorate=directorate,
                declaration=declaration,
                deadline=policies.effective_deadline(call, declaration),
                late=not answered and policies.is_past_deadline(call, declaration),
                campaigns=campaigns,
                licences=licences,
                ambassadors=ambassadors,
                administrators=administrators,
                shared_people=shared.get(directorate.id, []),
                granted=granted,
            )
        )
    return [row for row in rows if _matches(row, filters)]


def _matches(row: Row, filters: dict[str, str]) -> bool:
    status = filters.get("status")
    if status == ANSWERED_FILTER:
        if not row.answered:
            return False
    elif status == UNANSWERED_FILTER:
        if row.answered:
            return False
    elif status and row.status != status:
        return False
    if filters.get("type") and row.directorate.type.value != filters["type"]:
        return False
    if filters.get("region") and row.directorate.region != filters["region"]:
        return False
    if filters.get("cvrh") and row.directorate.cvrh.code != filters["cvrh"]:
        return False
    return not (filters.get("late") == "1" and not row.late)


def totals(rows: list[Row]) -> dict[str, int]:
    """Return the totals of the rows shown."""
    return {
        "directorates": len(rows),
        "answered": sum(1 for r in rows if r.answered),
        "late": sum(1 for r in rows if r.late),
        "licences": sum(r.licences for r in rows),
        "granted": sum(r.granted or 0 for r in rows),
        "ambassadors": sum(r.ambassadors for r in rows),
        "administrators": sum(r.administrators for r in rows),
    }
