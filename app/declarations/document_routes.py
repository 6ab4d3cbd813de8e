"""Declaration documents: the blank Annex 1 workbook and the acknowledgements of receipt."""

import io

from flask import send_file
from flask_login import current_user

from app.auth.access import STAFF, login_required, role_required
from app.auth.models import Role
from app.declarations import blank_workbook, policies, receipts, services
from app.declarations.models import Declaration, DeclarationStatus
from app.declarations.routes import bp
from app.directorates.models import Call
from app.i18n import current_language


def offers_blank_workbook(user, call: Call, declaration: Declaration | None) -> bool:
    """Say whether the declaration's page offers the blank workbook to the user.

    To a correspondent of the directorate, while the call is open and before the deadline, as
    long as an imported workbook could still replace the declaration (not started or draft).
    """
    if user.role is not Role.DIRECTORATE or not call.is_open:
        return False
    if declaration is not None and declaration.status is not DeclarationStatus.DRAFT:
        return False
    return not policies.is_past_deadline(call, declaration)


@bp.context_processor
def document_helpers():
    return {"receipts_of": receipts.receipts_of, "offers_blank_workbook": offers_blank_workbook}


@bp.route("/<call_code>/blank-workbook.xlsx")
@role_required(Role.DIRECTORATE, *STAFF)
def download_blank_workbook(call_code: str):
    """Download a blank Annex 1 workbook to fill in and send by e-mail, in the page's language."""
    call = services.get_call(call_code)
    stream = io.BytesIO()
    name = blank_workbook.blank_workbook(current_user, call, current_language(), stream)
    stream.seek(0)
    return send_file(
        stream,
        mimetype=blank_workbook.XLSX_TYPE,
        as_attachment=True,
        download_name=name,
        max_age=0,
    )


@bp.route("/<call_code>/<directorate_code>/receipts/<reference>.pdf")
@login_required
def download_receipt(call_code: str, directorate_code: str, reference: str):
    """Download an acknowledgement of receipt of a declaration, in the page's language."""
    _call, _directorate, declaration = services.get_context(
        current_user, call_code, directorate_code
    )
    receipt = receipts.get_receipt(declaration, reference)
    return send_file(
        io.BytesIO(receipts.pdf(receipt, current_language())),
        mimetype=receipts.PDF_TYPE,
        as_attachment=True,
        download_name=receipts.filename(receipt),
        max_age=0,
    )
