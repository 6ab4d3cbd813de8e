"""Opening a call: the call opens and every active contact gets its link to claim an account."""

from dataclasses import dataclass, field

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import audit, mail
from app.directorates.contacts import active_contacts
from app.directorates.models import Call, Directorate, DirectorateContact
from app.extensions import db
from app.mail import OutboxMessage
from app.reach.claims import ClaimLinks


class OpeningConflict(Exception):
    """Someone else opened the call or sent its links at the same time."""


@dataclass
class OpeningReport:
    """What opening a call did."""

    opened: bool = False  # the call was closed and is open now
    sent: int = 0  # links e-mailed now
    already_sent: int = 0  # contacts that had their link for this call already
    directorates: set[str] = field(default_factory=set)  # codes of those e-mailed now
    without_contact: list[str] = field(default_factory=list)  # codes: no active contact


def tag(message: OutboxMessage, call: Call, directorate_id: int, contact_id: int | None = None):
    """Say which call, directorate and contact a queued message is for (the call's reach)."""
    message.call_id = call.id
    message.directorate_id = directorate_id
    message.contact_id = contact_id


def send_claim_link(call: Call, contact: DirectorateContact, links: ClaimLinks) -> OutboxMessage:
    """Queue the e-mail giving a contact its link to claim an account for its directorate."""
    link, days = links.issue(contact)
    message = mail.send(
        contact.email,
        "reach_claim",
        contact.language,
        call=call,
        contact=contact,
        directorate=contact.directorate,
        link=link,
        days=days,
    )
    tag(message, call, contact.directorate_id, contact.id)
    return message


def _without_contact() -> list[str]:
    has_contact = exists().where(
        DirectorateContact.directorate_id == Directorate.id, DirectorateContact.active.is_(True)
    )
    query = select(Directorate.code).where(~has_contact).order_by(Directorate.code)
    return list(db.session.scalars(query))


def open_call(call: Call, actor=None) -> OpeningReport:
    """Open the call and e-mail each active contact without a link for it yet its claim link.

    Safe to run again: a contact is e-mailed once per call (contacts added since are e-mailed
    then). Of two openings at the same instant, the second raises OpeningConflict.
    """
    # Every read before the first write: of two openings at once, the second then fails at
    # its commit (the unique invitation per call and contact), not half-way.
    report = OpeningReport(opened=not call.is_open, without_contact=_without_contact())
    links = ClaimLinks(call)
    contacts = active_contacts()
    call.is_open = True
    for contact in contacts:
        if links.has(contact):
            report.already_sent += 1
            continue
        send_claim_link(call, contact, links)
        report.sent += 1
        report.directorates.add(contact.directorate.code)
    audit.record(
        "call.opened",
        call,
        actor=actor,
        opened=report.opened,
        sent=report.sent,
        had_their_link=report.already_sent,
    )
    try:
        db.session.commit()
    except (IntegrityError, StaleDataError):
        db.session.rollback()
        raise OpeningConflict(call.code) from None
    return report
