"""Who is trained: each ambassador and PIX Orga administrator a declaration names, and where
they stand with the webinars.

A person is trained in a role once they attended a session for that role (or for anyone);
until then they are registered at a session to come, waiting for a seat, invited, or not
invited yet: all of those still need training. The same person named by two directorates is
one person (by address, case-insensitively); each directorate sees its own lines.
The states are read in a fixed number of queries whatever the number of people.
"""

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.content.models import ContentItem
from app.directorates.models import Call, Directorate
from app.events.models import (
    ACTIVE,
    AUDIENCE_ROLES,
    Attendance,
    EventSession,
    Invitation,
    PersonRole,
    Registration,
)
from app.events.people import named_lines
from app.extensions import db, utcnow
from app.i18n import Labels


class TrainingState(enum.StrEnum):
    """Where a person stands with the webinars of their role."""

    TRAINED = "trained"
    REGISTERED = "registered"
    WAITING = "waiting"
    INVITED = "invited"
    NOT_INVITED = "not_invited"

    @property
    def label(self) -> str:
        """Return the translated name of the state."""
        return STATE_LABELS.text(self)


STATE_LABELS = Labels(
    {
        TrainingState.TRAINED: _l("Trained"),
        TrainingState.REGISTERED: _l("Registered, to train"),
        TrainingState.WAITING: _l("On a waiting list, to train"),
        TrainingState.INVITED: _l("Invited, not registered"),
        TrainingState.NOT_INVITED: _l("Not invited yet"),
    }
)


@dataclass
class Line:
    """A person named in a declaration, in one role, and where they stand."""

    call_id: int
    directorate_id: int
    code: str
    role: PersonRole
    first_name: str
    last_name: str
    email: str
    state: TrainingState = TrainingState.NOT_INVITED
    session: EventSession | None = None
    event_id: int | None = None

    @property
    def trained(self) -> bool:
        """Say whether the person is trained in this role."""
        return self.state is TrainingState.TRAINED


def lines_of(call_id: int | None = None, directorate_ids=None) -> list[Line]:
    """Return the named lines (of a call, of directorates) with their states (four queries)."""
    lines = named_lines(call_id, directorate_ids).subquery()
    rows = db.session.execute(
        select(lines).order_by(lines.c.code, lines.c.call_id, lines.c.role.desc(), lines.c.position)
    ).all()
    result = [
        Line(
            r.call_id,
            r.directorate_id,
            r.code,
            PersonRole(r.role),
            r.first_name.strip(),
            r.last_name.strip(),
            r.email,
        )
        for r in rows
    ]
    emails = select(lines.c.email)
    attended = db.session.execute(
        select(Invitation.email, EventSession)
        .join(Attendance, Attendance.invitation_id == Invitation.id)
        .join(EventSession, Attendance.session_id == EventSession.id)
        .where(Invitation.email.in_(emails))
        .order_by(EventSession.starts_at)
    ).all()
    coming = db.session.execute(
        select(Invitation.email, Registration.status, EventSession)
        .join(Registration, Registration.invitation_id == Invitation.id)
        .join(EventSession, Registration.session_id == EventSession.id)
        .where(
            Invitation.email.in_(emails),
            Registration.status.in_(ACTIVE),
            EventSession.ends_at > utcnow(),
        )
        .order_by(EventSession.starts_at)
    ).all()
    invited = db.session.execute(
        select(Invitation.email, Invitation.ambassador, Invitation.administrator).where(
            Invitation.email.in_(emails), Invitation.withdrawn_at.is_(None)
        )
    ).all()
    _resolve(result, attended, coming, invited)
    return result


def _resolve(result: list[Line], attended, coming, invited) -> None:
    seen: dict[str, list[EventSession]] = {}
    for email, session in attended:
        seen.setdefault(email, []).append(session)
    waiting: dict[str, list] = {}
    for email, status, session in coming:
        waiting.setdefault(email, []).append((status, session))
    asked: dict[str, set[PersonRole]] = {}
    for email, ambassador, administrator in invited:
        roles = asked.setdefault(email, set())
        if ambassador:
            roles.add(PersonRole.AMBASSADOR)
        if administrator:
            roles.add(PersonRole.ADMINISTRATOR)
    for line in result:
        session = next(
            (s for s in seen.get(line.email, []) if line.role in AUDIENCE_ROLES[s.audience]), None
        )
        if session is not None:
            line.state, line.session, line.event_id = (
                TrainingState.TRAINED,
                session,
                session.event_id,
            )
            continue
        booked = next(
            (
                (st, s)
                for st, s in waiting.get(line.email, [])
                if line.role in AUDIENCE_ROLES[s.audience]
            ),
            None,
        )
        if booked is not None:
            status, line.session = booked
            line.state = (
                TrainingState.REGISTERED if status.value == "confirmed" else TrainingState.WAITING
            )
        elif line.role in asked.get(line.email, set()):
            line.state = TrainingState.INVITED
        if line.session is not None:
            line.event_id = line.session.event_id


@dataclass
class CallTraining:
    """The lines of one call of a directorate, with the titles of the events they name."""

    call: Call
    lines: list[Line]

    @property
    def to_train(self) -> int:
        """Return how many lines still need training."""
        return sum(1 for line in self.lines if not line.trained)


def of_directorate(
    directorate: Directorate, language: str
) -> tuple[list[CallTraining], dict[int, str]]:
    """Return a directorate's lines by call (latest first) and the events' titles (6 queries)."""
    lines = lines_of(directorate_ids=[directorate.id])
    call_ids = {line.call_id for line in lines}
    calls = (
        {call.id: call for call in db.session.scalars(select(Call).where(Call.id.in_(call_ids)))}
        if call_ids
        else {}
    )
    event_ids = {line.event_id for line in lines if line.event_id}
    titles = event_titles(event_ids, language)
    grouped = [
        CallTraining(calls[call_id], [line for line in lines if line.call_id == call_id])
        for call_id in sorted(call_ids, key=lambda i: calls[i].deadline, reverse=True)
    ]
    return grouped, titles


def event_titles(event_ids, language: str) -> dict[int, str]:
    """Return the titles of events in a language (the other one when missing), by event."""
    if not event_ids:
        return {}
    titles: dict[int, str] = {}
    rows = db.session.execute(
        select(ContentItem.group_id, ContentItem.language, ContentItem.title).where(
            ContentItem.group_id.in_(event_ids)
        )
    ).all()
    for group_id, item_language, title in rows:
        if item_language == language or group_id not in titles:
            titles[group_id] = title
    return titles


@dataclass
class Figures:
    """People to train in a role: how many, how many trained (each person once)."""

    role: PersonRole
    people: int
    trained: int

    @property
    def to_train(self) -> int:
        """Return how many still need training."""
        return self.people - self.trained


def figures(call_id: int, directorate_ids=None) -> list[Figures]:
    """Return the trained / to train figures of a call, by role, each person counted once
    (one query: the people named, with the audiences of the sessions they attended)."""
    lines = named_lines(call_id, directorate_ids).subquery()
    seen = (
        select(Invitation.email, EventSession.audience)
        .join(Attendance, Attendance.invitation_id == Invitation.id)
        .join(EventSession, Attendance.session_id == EventSession.id)
        .subquery()
    )
    rows = db.session.execute(
        select(lines.c.role, lines.c.email, seen.c.audience)
        .outerjoin(seen, seen.c.email == lines.c.email)
        .distinct()
    ).all()
    people: dict[PersonRole, dict[str, bool]] = {role: {} for role in PersonRole}
    for role_value, email, audience in rows:
        role = PersonRole(role_value)
        done = audience is not None and role in AUDIENCE_ROLES[audience]
        people[role][email] = people[role].get(email, False) or done
    return [Figures(role, len(emails), sum(emails.values())) for role, emails in people.items()]
