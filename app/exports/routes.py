"""Downloads of the consolidated export of a call, for the project team.

A download records itself (the "since your previous export" marker and the audit log), so it
is a POST from the console's forms, with their CSRF token: a link on another site cannot move
the marker. The filters travel in the query string, as on the console.
"""

import tempfile

from flask import Blueprint, Response, abort, request, send_file, stream_with_context
from flask_login import current_user

from app import database
from app.auth.access import STAFF, role_required
from app.declarations import overview
from app.declarations.services import get_call
from app.directorates.models import portal_today
from app.directorates.services import list_directorates
from app.exports import files, services
from app.exports.csv import csv_chunks
from app.exports.sheets import SHEETS
from app.i18n import current_language

SPOOL_BYTES = 16 * 1024 * 1024

bp = Blueprint("exports", __name__, url_prefix="/<lang:lang>/exports")


def _dataset(call_code: str, kind: str) -> services.Dataset:
    """Read the call and the filters, remember this export, and return what it holds."""
    call = get_call(call_code)
    filters = overview.read_filters(request.args)
    previous = services.previous_export(current_user, call)
    services.record_export(current_user, call, kind, filters)
    database.reads_only_from_now()
    return services.dataset(
        call,
        list_directorates(current_user),
        filters,
        current_language(),
        since=previous.created_at if previous else None,
    )


def _spooled():
    """Return a file kept in memory while small, on disk beyond; the response closes it."""
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)


@bp.route("/<call_code>/workbook.xlsx", methods=["POST"])
@role_required(*STAFF)
def workbook(call_code: str):
    """Download the consolidated workbook of a call, filtered like the console."""
    dataset = _dataset(call_code, "xlsx")
    stream = _spooled()
    files.write_workbook(dataset, stream)
    stream.seek(0)
    return send_file(
        stream,
        mimetype=files.XLSX_TYPE,
        as_attachment=True,
        download_name=files.xlsx_name(dataset, portal_today()),
    )


@bp.route("/<call_code>/csv.zip", methods=["POST"])
@role_required(*STAFF)
def csv_archive(call_code: str):
    """Download every sheet of a call as CSV files in one ZIP archive."""
    dataset = _dataset(call_code, "zip")
    stream = _spooled()
    files.write_csv_archive(dataset, stream)
    stream.seek(0)
    return send_file(
        stream,
        mimetype="application/zip",
        as_attachment=True,
        download_name=files.zip_name(dataset, portal_today()),
    )


@bp.route("/<call_code>/<sheet>.csv", methods=["POST"])
@role_required(*STAFF)
def csv_sheet(call_code: str, sheet: str):
    """Stream one sheet of a call as CSV, line by line."""
    if sheet not in {s.key for s in SHEETS}:
        abort(404)
    dataset = _dataset(call_code, "csv")
    [table] = [t for t in dataset.tables if t.key == sheet]
    name = files.csv_name(dataset, table)
    return Response(
        stream_with_context(chunk.encode("utf-8") for chunk in csv_chunks(table, dataset.language)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
