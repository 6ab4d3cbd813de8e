"""Acknowledgements of receipt, issued when a declaration is submitted and when it is accepted.

Reference: `<call code>-<directorate code>-<S or A><n>`, such as `PIX-2023-DREAL-PDL-S1` for the
first submission of DREAL-PDL to the call PIX-2023 and `PIX-2023-DREAL-PDL-A1` for its first
acceptance; n counts the declaration's receipts of that kind, so a submission after corrections
is S2. The reference is stored, unique, and never changes.

A receipt keeps a copy of what it acknowledges, taken in the transaction that issues it: the
call, the directorate, the campaigns (with the names of their learning paths), the people, the
CODIR wish and the comments. Its PDF is drawn from that copy in the reader's language, so a later
edit of the declaration, of the call's title or of a path's name never changes an issued receipt.
"""

import enum
from datetime import date
from typing import Any

from flask import abort
from sqlalchemy import func, select

from app import mail
from app.auth.models import User
from app.declarations.models import Declaration, Receipt, ReceiptKind
from app.declarations.receipt_pdf import render
from app.declarations.rules import LIST_FIELDS
from app.declarations.workflow import Transition
from app.extensions import db, utcnow

PDF_TYPE = "application/pdf"

# The transitions that issue a receipt, and its kind.
ISSUED_BY = {Transition.SUBMIT: ReceiptKind.SUBMISSION, Transition.ACCEPT: ReceiptKind.ACCEPTANCE}


def reference_of(declaration: Declaration, kind: ReceiptKind, number: int) -> str:
    """Return the reference of a declaration's nth receipt of a kind."""
    return f"{declaration.call.code}-{declaration.directorate.code}-{kind.letter}{number}"


def _value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _campaign(campaign) -> dict[str, Any]:
    row = {f: _value(getattr(campaign, f)) for f in LIST_FIELDS["campaigns"] if f != "paths"}
    row["paths"] = [
        {"code": path.code, "name_fr": path.name_fr, "name_en": path.name_en}
        for path in campaign.paths
    ]
    return row


def content_of(declaration: Declaration, actor: User | None, imported: bool) -> dict[str, Any]:
    """Return the copy of a declaration a receipt keeps, as plain data."""
    call, directorate = declaration.call, declaration.directorate
    return {
        "call": {"code": call.code, "title_fr": call.title_fr, "title_en": call.title_en},
        "directorate": {
            "code": directorate.code,
            "name_fr": directorate.name_fr,
            "name_en": directorate.name_en,
        },
        "by": actor.display_name if actor is not None else "",
        "imported": imported,
        "campaigns": [_campaign(campaign) for campaign in declaration.campaigns],
        **{
            kind: [{f: _value(getattr(row, f)) for f in LIST_FIELDS[kind]} for row in rows]
            for kind, rows in (
                ("ambassadors", declaration.ambassadors),
                ("administrators", declaration.administrators),
            )
        },
        "wants_codir": declaration.wants_codir,
        "comments": declaration.comments or "",
    }


def issue(
    declaration: Declaration, kind: ReceiptKind, actor: User | None, imported: bool = False
) -> Receipt:
    """Add the next receipt of a kind to a flushed declaration; the caller commits."""
    last = db.session.scalar(
        select(func.max(Receipt.number)).where(
            Receipt.declaration_id == declaration.id, Receipt.kind == kind
        )
    )
    number = (last or 0) + 1
    receipt = Receipt(
        declaration=declaration,
        kind=kind,
        number=number,
        reference=reference_of(declaration, kind, number),
        issued_at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        content=content_of(declaration, actor, imported),
    )
    db.session.add(receipt)
    return receipt


def issue_for(transition: Transition, declaration: Declaration, actor: User) -> Receipt | None:
    """Issue the receipt a transition calls for, if any; the caller commits."""
    kind = ISSUED_BY.get(transition)
    return issue(declaration, kind, actor) if kind is not None else None


def receipts_of(declaration: Declaration | None) -> list[Receipt]:
    """Return a declaration's receipts, oldest first (none for no declaration)."""
    if declaration is None or declaration.id is None:
        return []
    query = select(Receipt).where(Receipt.declaration_id == declaration.id).order_by(Receipt.id)
    return list(db.session.scalars(query))


def get_receipt(declaration: Declaration | None, reference: str) -> Receipt:
    """Return the declaration's receipt of this reference, or abort with 404."""
    if declaration is None:
        abort(404)
    receipt = db.session.scalar(
        select(Receipt).where(
            Receipt.declaration_id == declaration.id, Receipt.reference == reference
        )
    )
    if receipt is None:
        abort(404)
    return receipt


def filename(receipt: Receipt) -> str:
    """Return the file name of a receipt's PDF."""
    return f"{receipt.reference}.pdf"


def pdf(receipt: Receipt, language: str) -> bytes:
    """Return the PDF of a receipt in a language."""
    return render(receipt, language)


def attachments(receipt: Receipt | None, language: str) -> list[mail.Attachment]:
    """Return the receipt's PDF in a language as an e-mail attachment (none for no receipt)."""
    if receipt is None:
        return []
    # Drawn once per language for all the recipients of one message.
    drawn = receipt.__dict__.setdefault("_pdf_by_language", {})
    if language not in drawn:
        drawn[language] = pdf(receipt, language)
    return [mail.Attachment(filename(receipt), PDF_TYPE, drawn[language])]
