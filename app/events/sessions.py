"""The project team's changes to sessions: add one to an event, change one, delete one.

A change of time or place reaches the people registered: each gets the new calendar version
(the same UID, a higher SEQUENCE). More seats go to the people waiting; fewer seats than the
people registered are refused (nobody loses a seat they were given). A session to come can be
deleted: each person with a seat or a waiting place is told, with the calendar's cancellation;
a session that has started keeps its registrations and attendance, so it cannot be.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app import audit
from app.auth.models import User
from app.events import registrations, services
from app.events.models import EventSession, Registration, RegistrationStatus
from app.events.services import Conflict, Event, EventError
from app.extensions import db, utcnow
from app.versioning import StaleVersion, check_version

# The fields the form sets; those that move the meeting itself are told to the people registered.
FIELDS = ("starts_at", "ends_at", "link", "place", "capacity", "audience", "registration_closes_on")
MOVES = ("starts_at", "ends_at", "link", "place")


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return getattr(value, "value", value)


def create_session(actor: User, event: Event, values: dict[str, Any]) -> EventSession:
    """Add a session to an event."""
    session = EventSession(event_id=event.id, sequence=0, **values)
    db.session.add(session)
    db.session.flush()
    audit.record(
        "events.session_created",
        session,
        actor=actor,
        event=event.id,
        after={name: _plain(values[name]) for name in FIELDS},
    )
    db.session.commit()
    return session


@contextmanager
def _changing(session: EventSession, version: int | None) -> Iterator[Event]:
    """Lock the event's sessions and give the event, if the session is still there at the
    version the page showed: EventError "gone" if deleted meanwhile, else Conflict, even when
    another writer commits first (StaleDataError)."""
    event = services.get_event(session.event_id)
    session_id = session.id
    try:
        if session_id not in services.lock_sessions(event.id):
            raise EventError("gone")  # deleted by someone else meanwhile
        try:
            check_version(session, version)
        except StaleVersion:
            raise Conflict(session) from None
        yield event
    except StaleDataError:
        db.session.rollback()
        raise Conflict(db.session.get(EventSession, session_id)) from None


def update_session(
    actor: User, session: EventSession, values: dict[str, Any], version: int | None
) -> EventSession:
    """Change a session as the form says; raise Conflict if it changed since the page showed it."""
    with _changing(session, version) as event:
        taken = services.confirmed_count(session)
        if values["capacity"] < taken:
            raise EventError("capacity_below", taken=taken)
        before = {name: _plain(getattr(session, name)) for name in FIELDS}
        moved = any(getattr(session, name) != values[name] for name in MOVES)
        for name in FIELDS:
            setattr(session, name, values[name])
        session.updated_at = utcnow()
        if moved:
            session.sequence += 1
        db.session.flush()
        if moved:
            _tell_registered(event, session)
        registrations.promote(event, session)
        after = {name: _plain(values[name]) for name in FIELDS}
        audit.record(
            "events.session_updated",
            session,
            actor=actor,
            event=event.id,
            before=before,
            after=after,
        )
        db.session.commit()
    return session


def _tell_registered(event: Event, session: EventSession) -> None:
    """Send each person with a seat the session's new time or place, with the new calendar."""
    seated = db.session.scalars(
        select(Registration).where(
            Registration.session_id == session.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    ).all()
    for registration in seated:
        registration.sequence += 1
        registration.reminded_at = None
        registration.updated_at = utcnow()
        registrations.notify(event, registration, "changed", [(registration, False)])


def delete_session(actor: User, session: EventSession, version: int | None) -> int:
    """Delete a session to come, telling each person with a seat or a waiting place; return
    how many were told. Conflict if it changed since the page showed it."""
    with _changing(session, version) as event:
        if session.starts_at <= utcnow():
            raise EventError("started")
        held = db.session.scalars(
            select(Registration).where(Registration.session_id == session.id)
        ).all()
        told = []
        for registration in held:
            if registration.status is not RegistrationStatus.CANCELLED:
                registrations.cancel_registration(event, registration, "session_cancelled")
                told.append(registration.invitation.email)
        audit.record(
            "events.session_deleted",
            session,
            actor=actor,
            event=event.id,
            before={name: _plain(getattr(session, name)) for name in FIELDS},
            told=told,
        )
        db.session.flush()
        for registration in held:
            db.session.delete(registration)
        db.session.delete(session)
        db.session.commit()
    return len(told)
