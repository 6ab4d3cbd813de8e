"""The reminder of the day before: each person with a seat at a session of tomorrow (Paris
time) is reminded once, whatever how often the command runs (even two runs at once)."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update

from app import audit
from app.events import people, registrations, services
from app.events.models import EventSession, Invitation, Registration, RegistrationStatus
from app.events.timing import zone
from app.extensions import db, utcnow


def _due(today: date) -> list[tuple[int, int, str]]:
    """Return (registration, call, address) of the seats at tomorrow's sessions not reminded."""
    start = datetime.combine(today + timedelta(days=1), time(0), tzinfo=zone())
    query = (
        select(Registration.id, Invitation.call_id, Invitation.email)
        .join(EventSession, Registration.session_id == EventSession.id)
        .join(Invitation, Registration.invitation_id == Invitation.id)
        .where(
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.reminded_at.is_(None),
            Invitation.withdrawn_at.is_(None),
            EventSession.starts_at >= start,
            EventSession.starts_at < start + timedelta(days=1),
        )
        .order_by(Registration.id)
    )
    return [tuple(row) for row in db.session.execute(query)]


def _claim(registration_id: int) -> bool:
    """Mark a registration reminded, unless someone did or the seat was given up since the
    list was read; say whether this run did."""
    claimed = db.session.execute(
        update(Registration)
        .where(
            Registration.id == registration_id,
            Registration.reminded_at.is_(None),
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .values(reminded_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def remind(today: date) -> dict[str, int]:
    """E-mail the people with a seat at a session starting tomorrow who were not reminded yet.

    Each reminder is its own transaction, which starts with its claim (a write): of two runs
    at once, the second finds the registration claimed and sends nothing for it.
    """
    report = {"sent": 0, "already": 0, "not_named": 0, "cancelled": 0}
    due = _due(today)
    named = {
        call_id: set(people.named_people(call_id, inviting=False))
        for call_id in {call_id for _id, call_id, _email in due}
    }
    # End the reading transaction: on SQLite a transaction that read before writing could
    # fail on a concurrent commit.
    db.session.rollback()
    events: dict[int, services.Event] = {}
    for registration_id, call_id, email in due:
        if email not in named[call_id]:
            report["not_named"] += 1
            continue
        if not _claim(registration_id):
            db.session.rollback()
            registration = db.session.get(Registration, registration_id)
            given_up = registration.status is not RegistrationStatus.CONFIRMED
            report["cancelled" if given_up else "already"] += 1
            continue
        registration = db.session.get(Registration, registration_id)
        event_id = registration.session.event_id
        if event_id not in events:
            events[event_id] = services.get_event(event_id)
        registrations.notify(events[event_id], registration, "reminder")
        db.session.commit()
        report["sent"] += 1
    if report["sent"]:
        audit.record("events.reminded", sent=report["sent"], day=today.isoformat())
        db.session.commit()
    return report
