"""The rows of the consolidated export of a call, read in streamed queries (no query per row)."""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from app import audit
from app.auth.models import User
from app.codir.models import CodirRequest, CodirStatus
from app.declarations import overview, workbook
from app.declarations.models import (
    PERIMETER_LABELS,
    Administrator,
    Ambassador,
    Campaign,
    Declaration,
    DeclarationStatus,
    campaign_learning_path,
)
from app.directorates.models import Call, Cvrh, Directorate, DirectorateType, LearningPath
from app.events import exports as webinars
from app.exports import followup, sheets
from app.exports.models import Export
from app.extensions import db
from app.licences import services as licences

BATCH = 2000
# Where the campaigns' query puts the campaign id that stands for its learning paths.
PATHS_CELL = [column.field for column in workbook.CAMPAIGNS.columns[2:]].index("paths")

Row = Sequence[Any]


@dataclass
class Dataset:
    """What an export holds: the call, the language and the tables."""

    call: Call
    language: str
    tables: list[sheets.Table]


def previous_export(user: User, call: Call) -> Export | None:
    """Return the user's latest export of the call, if any."""
    query = select(Export).where(Export.user_id == user.id, Export.call_id == call.id)
    return db.session.scalar(query.order_by(Export.created_at.desc(), Export.id.desc()).limit(1))


def record_export(user: User, call: Call, kind: str, filters: dict[str, str]) -> Export:
    """Remember that the user exported the call now (personal data leaves the portal: audited)."""
    export = Export(user_id=user.id, call_id=call.id, format=kind, filters=filters)
    db.session.add(export)
    audit.record("export", call, actor=user, format=kind, filters=filters)
    db.session.commit()
    return export


def dataset(
    call: Call,
    directorates: list[Directorate],
    filters: dict[str, str],
    language: str,
    since: datetime | None = None,
) -> Dataset:
    """Return the tables of the export of a call for these directorates, filtered.

    The summary is built at once (one row per directorate); the other sheets are generators
    that stream their query, so memory stays flat however many people are named.
    """
    with force_locale(language):
        rows = overview.overview_of(directorates, call, filters)
    codes = {row.directorate.code for row in rows}
    # Every directorate of the portal: no need to restrict the queries (nor a long IN list).
    everyone = len(rows) == db.session.scalar(select(func.count(Directorate.id)))
    ids = None if everyone else {row.directorate.id for row in rows}
    campaign_cells = partial(_campaign_cells, paths=_campaign_paths(call, ids, language))
    repeated = (
        (workbook.CAMPAIGNS, _rows_of(Campaign, workbook.CAMPAIGNS, call, ids), campaign_cells),
        (workbook.AMBASSADORS, _rows_of(Ambassador, workbook.AMBASSADORS, call, ids), _plain),
        (
            workbook.ADMINISTRATORS,
            _rows_of(Administrator, workbook.ADMINISTRATORS, call, ids),
            _administrator_cells,
        ),
        (sheets.CODIR, _codir(ids), _codir_cells),
    )
    marked = len(sheets.SUMMARY.columns) - 1
    summary = _summary(rows, ids, language, since)
    tables = [
        sheets.table(sheets.SUMMARY, language, summary, marked),
        sheets.table(sheets.LICENCES, language, _licences(call, rows, language)),
    ]
    for sheet, query, cells in repeated:
        tables.append(sheets.table(sheet, language, _lines(query, codes, language, cells)))
    tables += followup.tables(call, rows, everyone, language)
    training = webinars.rows(call, ids, language)
    tables.append(sheets.table(webinars.TRAINING, language, _only(training, codes)))
    return Dataset(call, language, tables)


def _only(rows: Iterator[Row], codes: set[str]) -> Iterator[Row]:
    """Keep the rows of the directorates shown (filters beyond the directorates' ids)."""
    return (row for row in rows if row[0] in codes)


def portal_zone() -> ZoneInfo:
    """Return the portal's time zone (the setting PORTAL_TIMEZONE)."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_time(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    """Return a UTC time as the portal's local time without zone (spreadsheets have none)."""
    return value.astimezone(zone).replace(tzinfo=None, microsecond=0) if value else None


def _latest_codir(ids: set[int] | None) -> dict[int, tuple[CodirStatus, datetime]]:
    """Return the state and last change of each directorate's latest CODIR request."""
    query = select(CodirRequest.directorate_id, CodirRequest.status, CodirRequest.updated_at)
    if ids is not None:
        query = query.where(CodirRequest.directorate_id.in_(ids))
    query = query.order_by(CodirRequest.created_at, CodirRequest.id)
    return {key: (status, at) for key, status, at in db.session.execute(query)}


def _summary(
    rows: list[overview.Row], ids: set[int] | None, language: str, since: datetime | None
) -> Iterator[Row]:
    with force_locale(language):
        zone = portal_zone()
        codir = _latest_codir(ids)
        statuses = {s.value: s.label for s in DeclarationStatus}
        statuses[overview.NOT_STARTED] = _("Not started")
        codir_labels = {s: s.label for s in CodirStatus}
        types = {kind: kind.label for kind in DirectorateType}
        yes_no = {True: _("Yes"), False: _("No")}
        words = {"new": _("New"), "changed": _("Changed"), "": ""}
    for row in rows:
        directorate, declaration = row.directorate, row.declaration
        status, codir_changed = codir.get(directorate.id, (None, None))
        yield (
            directorate.code,
            directorate.name_fr if language == "fr" else directorate.name_en,
            types[directorate.type],
            directorate.region,
            directorate.cvrh.name,
            statuses[row.status],
            row.deadline,
            local_time(declaration.submitted_at, zone) if declaration else None,
            local_time(declaration.updated_at, zone) if declaration else None,
            row.campaigns,
            row.licences,
            row.granted,
            row.gap,
            row.ambassadors,
            row.administrators,
            yes_no[declaration.wants_codir] if declaration else "",
            codir_labels[status] if status else "",
            declaration.comments if declaration else "",
            words[_change(declaration, codir_changed, since)],
        )


def _licences(call: Call, rows: list[overview.Row], language: str) -> list[Row]:
    """Return the call's pool, granted and left, then what the directorates listed requested,
    were granted and the gap (the pool is the whole call's, whatever the filters)."""
    state = licences.pool_state(call)
    requested = sum(row.licences for row in rows)
    granted = sum(row.granted or 0 for row in rows)
    with force_locale(language):
        return [
            (_("Pool of the call"), state.licences),
            (_("Granted in the call, every directorate"), state.granted),
            (_("Left to grant in the call"), state.left),
            (_("Requested by the directorates listed"), requested),
            (_("Granted to the directorates listed"), granted),
            (_("Gap (granted − requested) of the directorates listed"), granted - requested),
        ]


def _change(declaration: Declaration | None, codir_changed: datetime | None, since) -> str:
    """Say whether the directorate's answer is new or changed since a time ("" if neither)."""
    if since is None:
        return ""
    if declaration is not None and declaration.created_at > since:
        return "new"
    times = [declaration.updated_at if declaration else None, codir_changed]
    return "changed" if any(t and t > since for t in times) else ""


def _streamed(query: Select):
    return db.session.execute(query.execution_options(yield_per=BATCH))


def _rows_of(model, sheet: workbook.Sheet, call: Call, ids: set[int] | None) -> Select:
    """Return the query of a repeated sheet's columns (after code and line), in sheet order.

    A campaign's learning paths are not a column: the row's id stands in their place.
    """
    fields = [
        model.id if column.field == "paths" else getattr(model, column.field)
        for column in sheet.columns[2:]
    ]
    query = (
        select(Directorate.code, *fields)
        .join(Declaration, model.declaration_id == Declaration.id)
        .join(Directorate, Declaration.directorate_id == Directorate.id)
        .where(Declaration.call_id == call.id)
        .order_by(Directorate.code, model.position)
    )
    return query if ids is None else query.where(Declaration.directorate_id.in_(ids))


def _campaign_paths(call: Call, ids: set[int] | None, language: str) -> dict[int, str]:
    """Return the names of each campaign's learning paths, in one cell, by campaign id."""
    name = LearningPath.name_fr if language == "fr" else LearningPath.name_en
    query = (
        select(campaign_learning_path.c.campaign_id, name, LearningPath.name_fr)
        .join(LearningPath, LearningPath.id == campaign_learning_path.c.learning_path_id)
        .join(Campaign, Campaign.id == campaign_learning_path.c.campaign_id)
        .join(Declaration, Campaign.declaration_id == Declaration.id)
        .where(Declaration.call_id == call.id)
        .order_by(campaign_learning_path.c.campaign_id, LearningPath.position, LearningPath.id)
    )
    if ids is not None:
        query = query.where(Declaration.directorate_id.in_(ids))
    names: dict[int, list[str]] = {}
    for campaign_id, localized_name, french_name in db.session.execute(query):
        names.setdefault(campaign_id, []).append(localized_name or french_name)
    return {key: workbook.PATH_SEPARATOR.join(value) for key, value in names.items()}


def _codir(ids: set[int] | None) -> Select:
    query = (
        select(
            Directorate.code,
            Cvrh.name,
            CodirRequest.status,
            CodirRequest.created_at,
            CodirRequest.option_1,
            CodirRequest.option_2,
            CodirRequest.option_3,
            CodirRequest.format,
            CodirRequest.audience,
            CodirRequest.place,
            CodirRequest.topics,
            CodirRequest.scheduled_at,
            CodirRequest.duration_minutes,
            CodirRequest.scheduled_place,
            CodirRequest.speaker,
            CodirRequest.outcome,
            CodirRequest.reason,
        )
        .join(Directorate, CodirRequest.directorate_id == Directorate.id)
        .join(Cvrh, CodirRequest.cvrh_id == Cvrh.id)
        .order_by(Directorate.code, CodirRequest.created_at, CodirRequest.id)
    )
    return query if ids is None else query.where(CodirRequest.directorate_id.in_(ids))


Cells = Callable[[Sequence[Any], dict[str, Any]], list[Any]]


def _lines(query: Select, codes: set[str], language: str, cells: Cells) -> Iterator[Row]:
    """Stream the rows of a repeated sheet: directorate code, line number, then the cells."""
    with force_locale(language):
        context = {
            "zone": portal_zone(),
            "perimeters": {kind: str(label) for kind, label in PERIMETER_LABELS.items()},
            "codir": {s: s.label for s in CodirStatus},
            "yes": _("Yes"),
            "no": _("No"),
        }
        code, line = None, 0
        for record in _streamed(query):
            if record[0] not in codes:
                continue
            line = line + 1 if record[0] == code else 1
            code = record[0]
            yield [code, line, *cells(record[1:], context)]


def _plain(values: Sequence[Any], context: dict[str, Any]) -> list[Any]:
    return list(values)


def _campaign_cells(
    values: Sequence[Any], context: dict[str, Any], paths: dict[int, str]
) -> list[Any]:
    cells = list(values)
    kind = cells[1]
    cells[1] = context["perimeters"][kind] if kind else ""
    cells[PATHS_CELL] = paths.get(cells[PATHS_CELL], "")
    return cells


def _administrator_cells(values: Sequence[Any], context: dict[str, Any]) -> list[Any]:
    cells = list(values)
    cells[-1] = context["yes"] if cells[-1] else context["no"]
    return cells


def _codir_cells(values: Sequence[Any], context: dict[str, Any]) -> list[Any]:
    cells = list(values)
    zone = context["zone"]
    cells[1] = context["codir"][cells[1]]
    cells[2] = local_time(cells[2], zone)
    cells[6] = cells[6].label if cells[6] else ""
    cells[10] = local_time(cells[10], zone)
    return cells
