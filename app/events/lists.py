"""What the project team's pages list: calls and directorates to invite, registrations."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.directorates.models import Call, Directorate
from app.events.forms import InviteForm
from app.events.models import EventSession, Invitation, Registration, RegistrationStatus
from app.extensions import db, utcnow


def invite_form() -> InviteForm:
    """Return the invitation form, offering every call (latest first) and directorate."""
    calls = db.session.scalars(select(Call).order_by(Call.deadline.desc())).all()
    directorates = db.session.scalars(select(Directorate).order_by(Directorate.code)).all()
    return InviteForm(calls, directorates)


def chosen(form: InviteForm) -> tuple[Call, Directorate | None]:
    """Return the call and the directorate (if one) the form names."""
    call = db.session.scalar(select(Call).where(Call.code == form.call.data))
    directorate = None
    if form.directorate.data:
        directorate = db.session.scalar(
            select(Directorate).where(Directorate.code == form.directorate.data)
        )
    return call, directorate


def latest_registrations(items: list[Invitation]) -> dict[int, Registration]:
    """Return each invitation's registration to show: the active one, else the last cancelled."""
    if not items:
        return {}
    rows = db.session.scalars(
        select(Registration)
        .where(Registration.invitation_id.in_([item.id for item in items]))
        .options(selectinload(Registration.session))
        .order_by(Registration.updated_at, Registration.id)
    ).all()
    shown: dict[int, Registration] = {}
    for registration in rows:
        active = registration.status is not RegistrationStatus.CANCELLED
        if active or registration.invitation_id not in shown:
            shown[registration.invitation_id] = registration
    return shown


def seated_and_waiting(session: EventSession) -> tuple[list[Registration], list[Registration]]:
    """Return a session's seats and its waiting list, in the order they were taken."""
    rows = db.session.scalars(
        select(Registration)
        .where(
            Registration.session_id == session.id,
            Registration.status != RegistrationStatus.CANCELLED,
        )
        .options(selectinload(Registration.invitation))
        .order_by(Registration.queued_at, Registration.id)
    ).all()
    seated = [r for r in rows if r.status is RegistrationStatus.CONFIRMED]
    waiting = [r for r in rows if r.status is RegistrationStatus.WAITING]
    return seated, waiting


def has_started(session: EventSession) -> bool:
    """Say whether a session has started (its attendance may be recorded)."""
    return session.starts_at <= utcnow()
