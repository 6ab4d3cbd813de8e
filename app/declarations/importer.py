"""Import declarations that arrived by e-mail from a workbook: all or nothing."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from flask_babel import force_locale, format_number
from openpyxl import load_workbook
from sqlalchemy import select

from app import uploads
from app.auth.models import User
from app.bounds import parse_integer
from app.declarations import receipts
from app.declarations import workbook as layout
from app.declarations.models import (
    PERIMETER_LABELS,
    Declaration,
    DeclarationStatus,
    PerimeterKind,
    ReceiptKind,
)
from app.declarations.paths import PathFinder
from app.declarations.rules import LIST_FIELDS, Problem, check_limits, check_submission, clean_text
from app.declarations.services import apply_content, diff, record_event, snapshot
from app.directorates.models import Call, Directorate
from app.extensions import db, utcnow

# What a workbook may hold: its archive is checked before openpyxl reads it, then each sheet
# is read as a stream, up to these numbers of rows (empty ones not counted) and columns.
# 10,000 rows are 200 directorates of 50 rows (rules.ROWS_MAX); reading them takes seconds.
ARCHIVE_MAX_ENTRIES = 500
ARCHIVE_MAX_BYTES = 50 * 1024 * 1024
ARCHIVE_MAX_RATIO = 100
SHEET_MAX_ROWS = 10_000
SHEET_MAX_COLUMNS = 100


@dataclass
class ImportProblem:
    """A reason the workbook was refused, and where."""

    sheet: str
    row: int | None
    message: str


class ImportFailed(Exception):
    """The workbook was refused; nothing was imported."""

    def __init__(self, problems: list[ImportProblem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class FileRefused(ImportFailed):
    """The file itself was refused (not a workbook, too large...) before its rows were read."""

    def __init__(self, message: str, sheet: str = "—"):
        super().__init__([ImportProblem(sheet, None, message)])
        self.message = message


class _Unreadable(Exception):
    """openpyxl failed half-way through a sheet."""


def _empty_content() -> dict[str, Any]:
    return {"wants_codir": False, "comments": "", **{kind: [] for kind in LIST_FIELDS}}


@dataclass
class _Entry:
    """What the workbook says of one directorate, and the sheet rows it comes from."""

    data: dict[str, Any] = field(default_factory=_empty_content)
    rows: dict[str, list[int]] = field(default_factory=lambda: {k: [] for k in LIST_FIELDS})


def _message(key: str, **values) -> str:
    return str(layout.IMPORT_ERRORS[key] % values) if values else str(layout.IMPORT_ERRORS[key])


def _header_key(text: Any) -> str:
    return clean_text(text).casefold()


def _find_sheet(book, sheet: layout.Sheet):
    wanted = {_header_key(sheet.fr), _header_key(sheet.en)}
    for worksheet in book.worksheets:
        if _header_key(worksheet.title) in wanted:
            return worksheet
    return None


def _to_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        return int(value)
    if isinstance(value, int):
        return value
    return parse_integer(clean_text(value))


def _to_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_text(value).casefold()
    if text in layout.YES:
        return True
    if text in layout.NO:
        return False
    raise ValueError


def _to_perimeter(value: Any) -> PerimeterKind | None:
    text = clean_text(value).casefold()
    if not text:
        return None
    for kind in PerimeterKind:
        names = {kind.value}
        for language in ("fr", "en"):
            with force_locale(language):
                names.add(str(PERIMETER_LABELS[kind]).casefold())
        if text in names:
            return kind
    raise ValueError


CONVERTERS = {
    "headcount": (_to_int, "not_a_number"),
    "licences": (_to_int, "not_a_number"),
    "line": (_to_int, "not_a_number"),
    "starts_on": (_to_date, "not_a_date"),
    "ends_on": (_to_date, "not_a_date"),
    "hr_confirmed": (_to_bool, "not_yes_no"),
    "wants_codir": (_to_bool, "not_yes_no"),
    "perimeter_kind": (_to_perimeter, "unknown_perimeter"),
}


def _converters(finder: PathFinder) -> dict:
    """Return the converters of the cells, with the learning paths' one (codes or names)."""

    def to_paths(value: Any) -> list[int]:
        text = layout.restore(value) if isinstance(value, str) else value
        return finder.ids(clean_text(text, multiline=True))

    return {**CONVERTERS, "paths": (to_paths, "unknown_path")}


def _rows(worksheet):
    """Yield the values of each row, up to SHEET_MAX_COLUMNS; _Unreadable if openpyxl fails."""
    rows = worksheet.iter_rows(max_col=SHEET_MAX_COLUMNS, values_only=True)
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as error:
            raise _Unreadable from error
        yield values


def _read_sheet(worksheet, sheet: layout.Sheet, problems: list[ImportProblem], converters: dict):
    """Yield (row number, {field: value}) for each non-empty row of a sheet."""
    rows = _rows(worksheet)
    header = next(rows, None) or ()
    positions = {}
    for index, text in enumerate(header):
        for column in sheet.columns:
            if _header_key(text) in (_header_key(column.fr), _header_key(column.en)):
                positions[column.field] = index
    optional = {"line", "phone", "unit", "paths", "learning_paths_note", "comments", "wants_codir"}
    for column in sheet.columns:
        if column.field not in positions and column.field not in optional:
            problems.append(
                ImportProblem(worksheet.title, 1, _message("missing_column", column=column.fr))
            )
    if any(p.sheet == worksheet.title for p in problems):
        return
    count = 0
    for number, values in enumerate(rows, start=2):
        if all(v is None or clean_text(v) == "" for v in values):
            continue
        count += 1
        if count > SHEET_MAX_ROWS:
            limit = format_number(SHEET_MAX_ROWS)
            message = _message("too_many_rows", sheet=worksheet.title, max=limit)
            raise FileRefused(message, worksheet.title)
        record = {}
        for name, index in positions.items():
            raw = values[index] if index < len(values) else None
            converter = converters.get(name)
            if converter is None:
                text = layout.restore(raw) if isinstance(raw, str) else raw
                record[name] = clean_text(text, multiline=True) if raw is not None else ""
                continue
            try:
                record[name] = converter[0](raw)
            except PathFinder.NotFound as error:
                message = _message(error.reason, value=clean_text(error.text))
                problems.append(ImportProblem(worksheet.title, number, message))
                record[name] = []
            except ValueError:
                problems.append(
                    ImportProblem(
                        worksheet.title, number, _message(converter[1], value=clean_text(raw))
                    )
                )
                record[name] = None
        yield number, record


def read_workbook(
    stream: IO[bytes], finder: PathFinder
) -> tuple[dict[str, _Entry], dict[str, str], list[ImportProblem]]:
    """Read the workbook: one entry per directorate code, the sheet titles and the problems."""
    try:
        uploads.check_archive(stream, ARCHIVE_MAX_ENTRIES, ARCHIVE_MAX_BYTES, ARCHIVE_MAX_RATIO)
    except uploads.ArchiveRefused as error:
        if error.reason == "damaged":
            raise FileRefused(_message("not_xlsx")) from None
        raise FileRefused(error.message) from None
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of errors on a bad file
        raise FileRefused(_message("not_xlsx")) from None
    try:
        return _read_book(book, finder)
    except _Unreadable:
        raise FileRefused(_message("not_xlsx")) from None
    finally:
        book.close()


def _read_book(
    book, finder: PathFinder
) -> tuple[dict[str, _Entry], dict[str, str], list[ImportProblem]]:
    problems: list[ImportProblem] = []
    entries: dict[str, _Entry] = {}
    titles: dict[str, str] = {}
    for sheet in layout.SHEETS:
        worksheet = _find_sheet(book, sheet)
        if worksheet is None:
            if sheet in layout.REQUIRED_SHEETS:
                problems.append(
                    ImportProblem(sheet.fr, None, _message("missing_sheet", sheet=sheet.fr))
                )
            continue
        titles[sheet.key] = worksheet.title
        rows = sorted(
            _read_sheet(worksheet, sheet, problems, _converters(finder)),
            key=lambda item: (item[1].get("directorate") or "", item[1].get("line") or 0, item[0]),
        )
        for number, record in rows:
            code = clean_text(record.pop("directorate", "")).upper()
            record.pop("line", None)
            if not code:
                problems.append(ImportProblem(worksheet.title, number, _message("no_code")))
                continue
            entry = entries.setdefault(code, _Entry())
            entry.rows.setdefault(sheet.key, []).append(number)
            if sheet.key == "summary":
                entry.data["wants_codir"] = bool(record.get("wants_codir"))
                entry.data["comments"] = record.get("comments") or ""
            else:
                fields = LIST_FIELDS[sheet.key]
                entry.data[sheet.key].append({f: record.get(f, _blank(f)) for f in fields})
    # A summary row alone, with nothing declared (a directorate that did not answer, as in the
    # consolidated export), is not a declaration.
    entries = {code: entry for code, entry in entries.items() if _declares_something(entry.data)}
    return entries, titles, problems


def _entry_problems(data: dict[str, Any], path_ids: set[int]) -> list[Problem]:
    """Return what cannot be stored, then what prevents submitting (once per field)."""
    problems = check_limits(data, path_ids=path_ids)
    seen = {path for path, _message in problems}
    return problems + [(path, m) for path, m in check_submission(data) if path not in seen]


def _declares_something(data: dict[str, Any]) -> bool:
    return bool(data["wants_codir"] or data["comments"] or any(data[k] for k in LIST_FIELDS))


def _blank(field_name: str):
    if field_name == "paths":
        return []
    return False if field_name == "hr_confirmed" else ""


def import_workbook(stream: IO[bytes], call: Call, actor: User | None) -> list[Declaration]:
    """Import every declaration of the workbook as submitted, or nothing if any row is wrong."""
    finder = PathFinder()
    entries, titles, problems = read_workbook(stream, finder)
    if not entries and not problems:
        problems.append(ImportProblem("—", None, _message("empty")))
    directorates = {d.code: d for d in db.session.scalars(select(Directorate))}
    existing = {
        d.directorate_id: d
        for d in db.session.scalars(select(Declaration).where(Declaration.call_id == call.id))
    }
    for code, entry in entries.items():
        first_sheet = next((k for k in LIST_FIELDS if entry.rows.get(k)), "campaigns")
        first = (titles.get(first_sheet, first_sheet), (entry.rows.get(first_sheet) or [None])[0])
        directorate = directorates.get(code)
        if directorate is None:
            problems.append(ImportProblem(*first, _message("unknown_directorate", code=code)))
            continue
        declaration = existing.get(directorate.id)
        if declaration is not None and declaration.status is not DeclarationStatus.DRAFT:
            problems.append(
                ImportProblem(*first, _message("already_declared", status=declaration.status.label))
            )
            continue
        for path, message in _entry_problems(entry.data, finder.active_ids()):
            kind = "summary" if path == ("comments",) else path[0]
            rows = entry.rows.get(kind) or [None]
            row = rows[path[1]] if len(path) == 3 else rows[0] if kind == "summary" else None
            where = f"{code}: " if row is None else ""
            problems.append(ImportProblem(titles.get(kind, kind), row, f"{where}{message}"))
    if problems:
        raise ImportFailed(sorted(problems, key=lambda p: (p.sheet, p.row or 0)))
    imported = []
    for code, entry in entries.items():
        directorate = directorates[code]
        declaration = existing.get(directorate.id)
        before = snapshot(declaration)
        if declaration is None:
            declaration = Declaration(call=call, directorate=directorate)
            db.session.add(declaration)
        apply_content(declaration, entry.data)
        declaration.status = DeclarationStatus.SUBMITTED
        declaration.submitted_at = utcnow()
        db.session.flush()
        record_event(declaration, "imported", actor, changes=diff(before, snapshot(declaration)))
        receipts.issue(declaration, ReceiptKind.SUBMISSION, actor, imported=True)
        imported.append(declaration)
    db.session.commit()
    return imported
