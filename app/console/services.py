"""Figures of the project team's follow-up of a call, from grouped queries (none per row)."""

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.codir.models import CodirRequest, CodirStatus
from app.declarations import overview
from app.declarations.models import DeclarationStatus
from app.directorates.models import DirectorateType
from app.extensions import db


@dataclass
class Bar:
    """One bar of a chart: a label, a value out of a total, the filter of the list behind it."""

    label: str
    value: int
    total: int
    link: dict[str, str]


@dataclass
class Figure:
    """A chart and its data table: what is counted, out of what, and where its lists are."""

    key: str
    title: str
    value_label: str
    total_label: str | None
    endpoint: str
    bars: list[Bar] = field(default_factory=list)

    @property
    def scale(self) -> int:
        """Return the largest number drawn, so that bars share one scale."""
        return max([1, *(max(bar.value, bar.total) for bar in self.bars)])


def _answered_by(rows: list[overview.Row], key, label, param: str) -> list[Bar]:
    totals: Counter = Counter()
    answered: Counter = Counter()
    labels = {}
    for row in rows:
        group = key(row)
        if group not in labels:
            labels[group] = label(row)  # once per group: a label costs a translation
        totals[group] += 1
        answered[group] += row.answered
    return [Bar(labels[g], answered[g], totals[g], {param: g}) for g in totals]


def codir_counts(codes: set[int]) -> dict[CodirStatus, int]:
    """Return the number of CODIR requests of these directorates in each state."""
    query = (
        select(CodirRequest.status, func.count(CodirRequest.id))
        .where(CodirRequest.directorate_id.in_(codes))
        .group_by(CodirRequest.status)
    )
    return dict(db.session.execute(query).all()) if codes else {}


def figures(rows: list[overview.Row]) -> list[Figure]:
    """Return the figures of the follow-up of the rows shown."""
    statuses = Counter(row.status for row in rows)
    by_status = Figure(
        "status", _("Declarations by status"), _("Directorates"), None, "declarations.call_list"
    )
    labels = {
        overview.NOT_STARTED: _("Not started"),
        **{s.value: s.label for s in DeclarationStatus},
    }
    for status, label in labels.items():
        by_status.bars.append(Bar(label, statuses[status], 0, {"status": status}))

    order = {kind: index for index, kind in enumerate(DirectorateType)}
    typed = sorted(rows, key=lambda row: order[row.directorate.type])
    by_type = Figure(
        "type",
        _("Answers by directorate type"),
        _("Answered"),
        _("Directorates"),
        "declarations.call_list",
    )
    by_type.bars = _answered_by(
        typed, lambda r: r.directorate.type.value, lambda r: r.directorate.type.label, "type"
    )
    by_region = Figure(
        "region", _("Answers by region"), _("Answered"), _("Directorates"), "declarations.call_list"
    )
    by_region.bars = _answered_by(
        sorted(rows, key=lambda r: r.directorate.region),
        lambda r: r.directorate.region,
        lambda r: r.directorate.region,
        "region",
    )
    by_cvrh = Figure(
        "cvrh", _("Answers by CVRH"), _("Answered"), _("Directorates"), "declarations.call_list"
    )
    by_cvrh.bars = _answered_by(
        sorted(rows, key=lambda r: r.directorate.cvrh.name),
        lambda r: r.directorate.cvrh.code,
        lambda r: r.directorate.cvrh.name,
        "cvrh",
    )

    licences: Counter = Counter()
    for row in typed:
        licences[row.directorate.type] += row.licences
    by_licences = Figure(
        "licences",
        _("Licences requested by directorate type"),
        _("Licences"),
        None,
        "declarations.call_list",
    )
    by_licences.bars = [
        Bar(kind.label, licences[kind], 0, {"type": kind.value}) for kind in licences
    ]

    codir = codir_counts({row.directorate.id for row in rows})
    by_codir = Figure(
        "codir", _("CODIR presentation requests by status"), _("Requests"), None, "codir.index"
    )
    by_codir.bars = [Bar(s.label, codir.get(s, 0), 0, {"status": s.value}) for s in CodirStatus]
    return [by_status, by_type, by_licences, by_region, by_cvrh, by_codir]


@dataclass
class LicenceLine:
    """Licences requested and granted by a group of directorates (a type, or all shown)."""

    key: str
    label: str
    requested: int = 0
    granted: int = 0

    @property
    def gap(self) -> int:
        """Return the licences granted minus those requested (negative when short)."""
        return self.granted - self.requested


def licences_by_type(rows: list[overview.Row]) -> list[LicenceLine]:
    """Return the licences requested and granted per directorate type, then their total."""
    lines: dict[DirectorateType, LicenceLine] = {}
    for row in rows:
        kind = row.directorate.type
        if kind not in lines:
            lines[kind] = LicenceLine(kind.value, kind.label)  # a label costs a translation
        lines[kind].requested += row.licences
        lines[kind].granted += row.granted or 0
    shown = [lines[kind] for kind in DirectorateType if kind in lines]
    total = LicenceLine("total", _("All directorates shown"))
    total.requested = sum(line.requested for line in shown)
    total.granted = sum(line.granted for line in shown)
    return [*shown, total]


def key_numbers(rows: list[overview.Row]) -> dict[str, int]:
    """Return the totals shown at the top of the console."""
    totals = overview.totals(rows)
    totals["unanswered"] = totals["directorates"] - totals["answered"]
    totals["campaigns"] = sum(row.campaigns for row in rows)
    return totals
