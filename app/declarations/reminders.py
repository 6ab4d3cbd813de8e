"""Reminders to the directorates that have not submitted, never sent twice the same day.

A reminder goes to the directorate's correspondents or, while it has none, to its active
contact mailboxes, each with a link to claim an account for it (app/reach).
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from app import audit, mail
from app.auth.models import User
from app.declarations import policies
from app.declarations.models import Declaration, DeclarationStatus, Reminder
from app.declarations.services import declaration_link
from app.directorates.contacts import contacts_by_directorate
from app.directorates.models import Call, Directorate, portal_today
from app.directorates.policies import directorates_visible_to
from app.directorates.services import users_by_directorate
from app.extensions import db
from app.reach.claims import ClaimLinks
from app.reach.opening import tag


@dataclass
class ReminderReport:
    """What a round of reminders did."""

    sent: int = 0  # directorates reminded, through their correspondents or their contacts
    through_contacts: int = 0  # of those, reminded through their contact mailboxes
    already_reminded: int = 0
    without_account: int = 0  # neither a correspondent nor an active contact mailbox


def _declarations(call: Call) -> dict[int, Declaration]:
    query = select(Declaration).where(Declaration.call_id == call.id)
    return {d.directorate_id: d for d in db.session.scalars(query)}


def _reminded_today(call: Call) -> set[int]:
    query = select(Reminder.directorate_id).where(
        Reminder.call_id == call.id, Reminder.sent_on == portal_today()
    )
    return set(db.session.scalars(query))


@dataclass
class Recipients:
    """Who may receive a call's reminders: correspondents, else contacts with a claim link."""

    call: Call
    people: dict[int, list[User]]
    contacts: dict
    links: ClaimLinks

    @classmethod
    def of(cls, call: Call) -> "Recipients":
        """Read the correspondents, contacts and claim links of every directorate (3 queries)."""
        return cls(call, users_by_directorate(), contacts_by_directorate(), ClaimLinks(call))


def _send(
    call: Call, directorate: Directorate, declaration, kind: str, actor, report, to: Recipients
) -> None:
    people = to.people.get(directorate.id, [])
    contacts = [] if people else to.contacts.get(directorate.id, [])
    if not people and not contacts:
        report.without_account += 1
        return
    deadline = policies.effective_deadline(call, declaration)
    for person in people:
        message = mail.send(
            person.email,
            "declaration_reminder",
            person.language,
            user=person,
            call=call,
            directorate=directorate,
            declaration=declaration,
            deadline=deadline,
            link=declaration_link(call, directorate, person.language),
            workbook=mail.external_url(
                "declarations.download_blank_workbook", call_code=call.code, lang=person.language
            ),
        )
        tag(message, call, directorate.id)
    for contact in contacts:
        link, days = to.links.issue(contact)
        message = mail.send(
            contact.email,
            "declaration_reminder_contact",
            contact.language,
            contact=contact,
            call=call,
            directorate=directorate,
            declaration=declaration,
            deadline=deadline,
            link=link,
            days=days,
        )
        tag(message, call, directorate.id, contact.id)
    db.session.add(
        Reminder(
            call_id=call.id,
            directorate_id=directorate.id,
            kind=kind,
            sent_on=portal_today(),
            actor_id=actor.id if actor else None,
        )
    )
    report.sent += 1
    report.through_contacts += 1 if contacts else 0


def remind_unsubmitted(actor: User, call: Call) -> ReminderReport:
    """E-mail every directorate that has not submitted, except those reminded today."""
    report = ReminderReport()
    declarations = _declarations(call)
    reminded = _reminded_today(call)
    recipients = Recipients.of(call)
    waiting = (None, DeclarationStatus.DRAFT, DeclarationStatus.CORRECTIONS_REQUESTED)
    for directorate in db.session.scalars(
        directorates_visible_to(actor).order_by(Directorate.code)
    ):
        declaration = declarations.get(directorate.id)
        if (declaration.status if declaration else None) not in waiting:
            continue
        if directorate.id in reminded:
            report.already_reminded += 1
            continue
        _send(call, directorate, declaration, "manual", actor, report, recipients)
    audit.record(
        "declarations.reminded",
        call,
        actor=actor,
        sent=report.sent,
        through_contacts=report.through_contacts,
    )
    db.session.commit()
    return report


def remind_before_deadline(call: Call, days: int) -> ReminderReport:
    """Remind the directorates in draft or not started whose deadline is in exactly N days."""
    report = ReminderReport()
    declarations = _declarations(call)
    kind = f"before:{days}"
    done = set(
        db.session.scalars(
            select(Reminder.directorate_id).where(
                Reminder.call_id == call.id, Reminder.kind == kind
            )
        )
    )
    target = portal_today() + timedelta(days=days)
    recipients = Recipients.of(call)
    for directorate in db.session.scalars(select(Directorate).order_by(Directorate.code)):
        declaration = declarations.get(directorate.id)
        if declaration is not None and declaration.status is not DeclarationStatus.DRAFT:
            continue
        if policies.effective_deadline(call, declaration) != target:
            continue
        if directorate.id in done:
            report.already_reminded += 1
            continue
        _send(call, directorate, declaration, kind, None, report, recipients)
    db.session.commit()
    return report
