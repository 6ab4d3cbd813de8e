"""Registrations: a seat within the capacity, or a place on a waiting list; moves, cancellations.

A person holds one registration per event at a time (a seat, or a place on a waiting list).
Seats are counted under the lock of the event's sessions (services.lock_sessions), so that two
people taking the last seat at once get one seat and one place on the waiting list, never two
seats. When a seat frees up before the session starts, the first person waiting (first come,
first served) gets it and is told by e-mail, with the calendar invitation.
"""

from sqlalchemy import select

from app import audit, mail
from app.events import calendar, links, people, services, timing
from app.events.models import (
    ACTIVE,
    Attendance,
    EventSession,
    Invitation,
    Registration,
    RegistrationStatus,
    audiences_for,
)
from app.events.services import Event, EventError
from app.extensions import db, utcnow

INVITATION_FILE = "webinar.ics"
CANCELLATION_FILE = "webinar-cancelled.ics"


def notify(
    event: Event,
    registration: Registration,
    kind: str,
    files: list[tuple[Registration, bool]] = (),
    **context,
) -> None:
    """E-mail a person what happened to their registration, with the calendar files given
    as (registration, cancelled) pairs, in their language."""
    invitation = registration.invitation
    language = invitation.language
    title = event.title(language)
    page = links.url_for_person(invitation, language)
    attachments = [
        mail.Attachment(
            CANCELLATION_FILE if cancelled else INVITATION_FILE,
            calendar.MIMETYPE,
            calendar.registration_file(item, title, language, page, cancelled),
        )
        for item, cancelled in files
    ]
    mail.send(
        invitation.email,
        "events_update",
        language,
        attachments,
        kind=kind,
        invitation=invitation,
        session=registration.session,
        span=timing.span_in(registration.session.starts_at, registration.session.ends_at, language),
        session_status=registration.status.value,
        title=title,
        link=page,
        **context,
    )


def _record(action: str, registration: Registration, **details) -> None:
    audit.record(
        f"events.{action}",
        registration,
        email=registration.invitation.email,
        session=registration.session_id,
        **details,
    )


def _change(registration: Registration, status: RegistrationStatus) -> None:
    """Move a registration to a state (a change: its calendar SEQUENCE goes up)."""
    registration.status = status
    registration.sequence += 1
    registration.updated_at = utcnow()


def lock_invitation(invitation_id: int) -> Invitation | None:
    """Lock a person's invitation (after the event's sessions) and return it."""
    return db.session.scalar(
        select(Invitation)
        .where(Invitation.id == invitation_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def active_registration(invitation: Invitation) -> Registration | None:
    """Return the person's seat or place on a waiting list at a session of the event that has
    not ended, if any (a past session's registration stays as it was: its history)."""
    return db.session.scalar(
        select(Registration)
        .join(EventSession, Registration.session_id == EventSession.id)
        .where(
            Registration.invitation_id == invitation.id,
            Registration.status.in_(ACTIVE),
            EventSession.ends_at > utcnow(),
        )
        .order_by(Registration.id)
        .limit(1)
    )


def attended_sessions(invitation: Invitation) -> list[EventSession]:
    """Return the sessions of the event the person was recorded at, oldest first."""
    return list(
        db.session.scalars(
            select(EventSession)
            .join(Attendance, Attendance.session_id == EventSession.id)
            .where(Attendance.invitation_id == invitation.id)
            .order_by(EventSession.starts_at, EventSession.id)
        )
    )


def waiting_position(registration: Registration) -> int:
    """Return the place of a waiting registration in its session's queue (1 is next)."""
    ahead = select(Registration.id).where(
        Registration.session_id == registration.session_id,
        Registration.status == RegistrationStatus.WAITING,
        (Registration.queued_at < registration.queued_at)
        | (
            (Registration.queued_at == registration.queued_at) & (Registration.id < registration.id)
        ),
    )
    return len(db.session.scalars(ahead).all()) + 1


def open_to(invitation: Invitation, session: EventSession) -> bool:
    """Say whether a session is for the roles the person is invited in."""
    return session.audience in audiences_for(invitation.roles)


def promote(event: Event, session: EventSession) -> list[Registration]:
    """Give the freed seats of a session not started yet to the first people waiting."""
    if session.starts_at <= utcnow():
        return []
    free = session.capacity - services.confirmed_count(session)
    if free <= 0:
        return []
    waiting = db.session.scalars(
        select(Registration)
        .where(
            Registration.session_id == session.id,
            Registration.status == RegistrationStatus.WAITING,
        )
        .order_by(Registration.queued_at, Registration.id)
        .limit(free)
    ).all()
    for registration in waiting:
        _change(registration, RegistrationStatus.CONFIRMED)
        notify(event, registration, "promoted", [(registration, False)])
        _record("promoted", registration)
    return list(waiting)


def register(invitation_id: int, session_id: int) -> Registration:
    """Register a person at a session, or put them on its waiting list when it is full.

    A person registered at another session of the event moves to this one (their seat there
    goes to the first person waiting); a move to a full session is refused, so that nobody
    gives up a seat for a place on a waiting list by mistake.
    """
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        raise EventError("not_found")
    event = services.get_event(invitation.event_id)
    sessions = services.lock_sessions(invitation.event_id)
    invitation = lock_invitation(invitation_id)
    if invitation.withdrawn_at is not None:
        raise EventError("no_longer_invited")
    roles = people.roles_still_named(invitation.call_id, invitation.email)
    if not roles:
        raise EventError("no_longer_invited")
    session = sessions.get(session_id)
    if session is None:
        raise EventError("not_found")
    if session.audience not in audiences_for(roles):
        raise EventError("not_for_you")
    if timing.closes_at(session) <= utcnow():
        raise EventError("closed")
    current = active_registration(invitation)
    if current is not None and current.session_id == session.id:
        return current
    full = services.confirmed_count(session) >= session.capacity
    if full and current is not None and current.status is RegistrationStatus.CONFIRMED:
        raise EventError("full")
    status = RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED
    registration = db.session.scalar(
        select(Registration).where(
            Registration.session_id == session.id, Registration.invitation_id == invitation.id
        )
    )
    if registration is None:
        registration = Registration(
            session=session, invitation=invitation, status=status, sequence=0, queued_at=utcnow()
        )
        db.session.add(registration)
    else:
        _change(registration, status)
        registration.queued_at = utcnow()
        registration.reminded_at = None
    db.session.flush()
    files = [(registration, False)] if status is RegistrationStatus.CONFIRMED else []
    if current is not None:
        was_confirmed = current.status is RegistrationStatus.CONFIRMED
        _change(current, RegistrationStatus.CANCELLED)
        if was_confirmed:
            files.append((current, True))
        _record("moved", registration, left=current.session_id, status=status.value)
        previous = current.session
        notify(
            event,
            registration,
            "moved",
            files,
            previous_span=timing.span_in(previous.starts_at, previous.ends_at, invitation.language),
            cancelled_previous=was_confirmed,
        )
        if was_confirmed:
            promote(event, sessions[current.session_id])
    else:
        _record("registered", registration, status=status.value)
        position = waiting_position(registration) if full else None
        notify(event, registration, "waiting" if full else "registered", files, position=position)
    db.session.commit()
    return registration


def cancel(invitation_id: int, registration_id: int | None = None) -> Registration:
    """Cancel a person's registration (their own: `registration_id`, if given, must be it)."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        raise EventError("not_found")
    event = services.get_event(invitation.event_id)
    sessions = services.lock_sessions(invitation.event_id)
    invitation = lock_invitation(invitation_id)
    current = active_registration(invitation)
    if registration_id is not None and (current is None or current.id != registration_id):
        raise EventError("not_found")
    if current is None:
        raise EventError("nothing_to_cancel")
    if current.session.starts_at <= utcnow():
        raise EventError("passed")
    cancel_registration(event, current, "cancelled")
    promote(event, sessions[current.session_id])
    db.session.commit()
    return current


def cancel_registration(event: Event, registration: Registration, kind: str) -> None:
    """Cancel a registration and tell the person (a seat comes with the calendar's CANCEL).

    The caller holds the event's lock, gives the freed seat (`promote`) and commits.
    """
    was_confirmed = registration.status is RegistrationStatus.CONFIRMED
    _change(registration, RegistrationStatus.CANCELLED)
    files = [(registration, True)] if was_confirmed else []
    notify(event, registration, kind if was_confirmed else f"{kind}_waiting", files)
    _record(kind, registration, was="confirmed" if was_confirmed else "waiting")
