"""The reminder of the day before: each person with a seat at a session of tomorrow (Paris
time) is reminded once, whatever how often the command runs (even two runs at once)."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app import audit
from app.events import people, registrations, services
from app.events.models import EventSession, Invitation, Registration, RegistrationStatus
from app.events.timing import zone
from app.extensions import db, utcnow


def remind(today: date) -> dict[str, int]:
    """E-mail the people with a seat at a session starting tomorrow who were not reminded yet."""
    start = datetime.combine(today + timedelta(days=1), time(0), tzinfo=zone())
    end = start + timedelta(days=1)
    due = db.session.scalars(
        select(Registration)
        .join(EventSession, Registration.session_id == EventSession.id)
        .join(Invitation, Registration.invitation_id == Invitation.id)
        .where(
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.reminded_at.is_(None),
            Invitation.withdrawn_at.is_(None),
            EventSession.starts_at >= start,
            EventSession.starts_at < end,
        )
        .options(selectinload(Registration.session), selectinload(Registration.invitation))
        .order_by(Registration.id)
    ).all()
    named: dict[int, set[str]] = {}
    events: dict[int, services.Event] = {}
    report = {"sent": 0, "already": 0, "not_named": 0}
    for registration in due:
        invitation = registration.invitation
        if invitation.call_id not in named:
            named[invitation.call_id] = set(people.named_people(invitation.call_id, inviting=False))
        if invitation.email not in named[invitation.call_id]:
            report["not_named"] += 1
            continue
        # Claim the reminder: of two runs at once, the second finds it taken (no second e-mail).
        claimed = db.session.execute(
            update(Registration)
            .where(Registration.id == registration.id, Registration.reminded_at.is_(None))
            .values(reminded_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            report["already"] += 1
            continue
        event_id = registration.session.event_id
        if event_id not in events:
            events[event_id] = services.get_event(event_id)
        registrations.notify(events[event_id], registration, "reminder")
        report["sent"] += 1
    if report["sent"]:
        audit.record("events.reminded", sent=report["sent"], day=today.isoformat())
    db.session.commit()
    return report
