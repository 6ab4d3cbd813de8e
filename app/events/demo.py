"""Demo webinars: the sessions of the two 2023 webinars, their invitations, registrations and
attendance, and an invented catch-up session to come (the event texts say it is an example).

The people are those the demo declarations name (fictitious, at example.org). Loading is
idempotent: an event that has sessions already is left as it is.
"""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.content.models import ContentItem, ContentKind
from app.directorates.models import Call, portal_today
from app.events import invitations, registrations, services
from app.events.models import (
    Attendance,
    Audience,
    EventSession,
    Invitation,
    Registration,
    RegistrationStatus,
)
from app.events.timing import zone
from app.extensions import db

STAFF = "equipe-projet@example.org"
LINK = "https://webinaire.example.org/pix-{key}"

# (French slug of the event, key of its link, sessions: day, hours, seats, audience)
EVENTS = [
    (
        "webinaire-ambassadeurs-16-mai-2023",
        "ambassadeurs",
        [(date(2023, 5, 16), 14, 16, 60, Audience.AMBASSADORS)],
    ),
    (
        "webinaire-administrateurs-pix-orga",
        "administrateurs",
        [(date(2023, 5, 25), 10, 12, 40, Audience.ADMINISTRATORS)],
    ),
]
# Who attended the 2023 sessions (the others registered and did not come).
ATTENDED = {"ines.moreau@example.org", "nadia.fabre@example.org"}
# The invented catch-up session of the ambassadors' webinar: in a month, one seat.
CATCH_UP_DAYS, CATCH_UP_SEATS = 30, 1


def _session(event_id: int, day: date, start: int, end: int, seats: int, audience, link: str):
    zone_ = zone()
    return EventSession(
        event_id=event_id,
        starts_at=datetime.combine(day, time(start), tzinfo=zone_),
        ends_at=datetime.combine(day, time(end), tzinfo=zone_),
        capacity=seats,
        audience=audience,
        link=link,
        place="",
        sequence=0,
        registration_closes_on=day - timedelta(days=2),
    )


def load_demo_events() -> int:
    """Add the demo sessions of the webinars that have none; return how many sessions."""
    call = db.session.scalar(select(Call).where(Call.code == "PIX-2023"))
    staff = db.session.scalar(select(User).where(User.email == STAFF))
    if call is None or staff is None:
        return 0
    created = 0
    for slug, key, planned in EVENTS:
        item = db.session.scalar(
            select(ContentItem).where(
                ContentItem.slug == slug,
                ContentItem.language == "fr",
                ContentItem.kind == ContentKind.EVENT,
            )
        )
        if item is None or services.sessions_of(item.group_id):
            continue
        past = [_session(item.group_id, *plan, LINK.format(key=key)) for plan in planned]
        db.session.add_all(past)
        catch_up = None
        if key == "ambassadeurs":
            day = portal_today() + timedelta(days=CATCH_UP_DAYS)
            catch_up = _session(
                item.group_id, day, 10, 12, CATCH_UP_SEATS, Audience.AMBASSADORS,
                LINK.format(key=f"{key}-rattrapage"),
            )  # fmt: skip
            db.session.add(catch_up)
        db.session.commit()
        created += len(past) + (catch_up is not None)
        event = services.get_event(item.group_id)
        invitations.invite(staff, event, call)
        _held(past, staff)
        if catch_up is not None:
            _catch_up(event, catch_up)
    return created


def _held(sessions: list[EventSession], staff: User) -> None:
    """Register everyone invited at the 2023 sessions, and mark who attended."""
    for session in sessions:
        invited = db.session.scalars(
            select(Invitation).where(Invitation.event_id == session.event_id)
        ).all()
        for invitation in invited:
            if not registrations.open_to(invitation, session):
                continue
            moment = session.starts_at - timedelta(days=7)
            db.session.add(
                Registration(
                    session=session, invitation=invitation, status=RegistrationStatus.CONFIRMED,
                    queued_at=moment, created_at=moment, updated_at=moment, sequence=0,
                )
            )  # fmt: skip
            if invitation.email in ATTENDED:
                db.session.add(
                    Attendance(
                        session=session, invitation=invitation, source="ticked",
                        marked_at=session.ends_at, marked_by_id=staff.id,
                    )
                )  # fmt: skip
        session.attendance_saved_at = session.ends_at
    db.session.commit()


def _catch_up(event: services.Event, session: EventSession) -> None:
    """Register at the catch-up session the people who missed the 2023 one (through the same
    service as their link: e-mails and calendar files in the outbox)."""
    attended = set(db.session.scalars(select(Attendance.invitation_id)))
    for invitation in db.session.scalars(
        select(Invitation).where(Invitation.event_id == event.id).order_by(Invitation.email)
    ):
        if invitation.id not in attended and registrations.open_to(invitation, session):
            registrations.register(invitation.id, session.id)
