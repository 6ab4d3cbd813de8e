"""Inviting the people the declarations name to an event, by e-mail, with their personal link.

An invitation run takes the ambassadors and PIX Orga administrators of the call's submitted or
accepted declarations (or of one directorate's), those whose role one of the event's sessions
is for, and invites each person once: by address, case-insensitively, however many lines name
them. Running it again invites only the people not invited yet: it never writes twice to the
same person.

A person who is no longer named (removed from every declaration of the call submitted at least
once) has their invitation withdrawn by the next run: their seat or place on a waiting list is
cancelled, with an e-mail and the calendar's cancellation, and the seat goes to the first
person waiting. Until then their link already says they are no longer invited (routes check it
on every use) and registers them nowhere. Named again later, they are invited again.

Each run locks the event's sessions first (services.lock_sessions): two runs at the same time
are served one after the other, the second finding everyone invited.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select, update

from app import audit, mail
from app.auth.models import User
from app.directorates.models import Call, Directorate
from app.events import links, people, registrations, services, timing
from app.events.models import AUDIENCE_ROLES, Invitation, PersonRole
from app.events.services import Event, EventError
from app.extensions import db, utcnow

# A new link is e-mailed on request at most this often (the person asks from an expired link).
RENEW_INTERVAL_SECONDS = 600


@dataclass
class Report:
    """What an invitation run did."""

    invited: list[str] = field(default_factory=list)
    already: int = 0
    not_for_this_event: int = 0
    withdrawn: list[str] = field(default_factory=list)


def send_invitation(event: Event, invitation: Invitation, sessions) -> None:
    """E-mail a person their invitation and personal link, in their language."""
    language = invitation.language
    token = links.token_for(invitation)
    offered = [
        (timing.span_in(s.starts_at, s.ends_at, language), s)
        for s in sessions
        if registrations.open_to(invitation, s) and s.starts_at > utcnow()
    ]
    mail.send(
        invitation.email,
        "events_invitation",
        language,
        invitation=invitation,
        title=event.title(language),
        sessions=offered,
        link=links.url_for_person(invitation, language, token),
        days=links.max_age() // (24 * 3600),
    )
    invitation.last_sent_at = utcnow()


def _apply_roles(invitation: Invitation, roles) -> None:
    invitation.ambassador = PersonRole.AMBASSADOR in roles
    invitation.administrator = PersonRole.ADMINISTRATOR in roles


def invite(actor: User, event: Event, call: Call, directorate: Directorate | None = None) -> Report:
    """Invite the people named for the call (or one directorate) not invited yet; withdraw the
    invitations of the people no longer named; commit with every e-mail."""
    sessions = services.lock_sessions(event.id)
    if not sessions:
        raise EventError("no_sessions")
    wanted = set().union(*(AUDIENCE_ROLES[s.audience] for s in sessions.values()))
    named = people.named_people(call.id, directorate.id if directorate else None)
    existing = {
        invitation.email: invitation
        for invitation in db.session.scalars(
            select(Invitation).where(Invitation.event_id == event.id)
        )
    }
    report = Report()
    fresh = [p for p in named.values() if p.roles & wanted]
    report.not_for_this_event = len(named) - len(fresh)
    to_write = [p for p in fresh if p.email not in existing or existing[p.email].withdrawn_at]
    languages = people.languages(to_write)
    ordered = sorted(sessions.values(), key=lambda s: (s.starts_at, s.id))
    for person in fresh:
        invitation = existing.get(person.email)
        if invitation is not None and invitation.withdrawn_at is None:
            if invitation.call_id == call.id:
                _apply_roles(invitation, person.roles | set(invitation.roles))
            report.already += 1
            continue
        if invitation is None:
            invitation = Invitation(event_id=event.id, email=person.email)
            db.session.add(invitation)
        invitation.call_id = call.id
        invitation.first_name = person.first_name[:100]
        invitation.last_name = person.last_name[:100]
        invitation.language = languages[person.email]
        invitation.invited_at = utcnow()
        invitation.invited_by_id = actor.id
        invitation.withdrawn_at = None
        _apply_roles(invitation, person.roles)
        db.session.flush()
        send_invitation(event, invitation, ordered)
        report.invited.append(person.email)
    report.withdrawn = _withdraw_unnamed(event, call, sessions, existing.values())
    audit.record(
        "events.invited",
        event.item("fr"),
        call=call.code,
        directorate=directorate.code if directorate else "",
        emails=report.invited,
        already_invited=report.already,
        withdrawn=report.withdrawn,
    )
    db.session.commit()
    return report


def _withdraw_unnamed(event: Event, call: Call, sessions, invitations) -> list[str]:
    """Withdraw the call's invitations of people no declaration names any more."""
    still = people.named_people(call.id, inviting=False)
    withdrawn = []
    for invitation in invitations:
        if invitation.call_id != call.id or invitation.withdrawn_at is not None:
            continue
        if invitation.email in still:
            continue
        invitation.withdrawn_at = utcnow()
        current = registrations.active_registration(invitation)
        if current is not None:
            registrations.cancel_registration(event, current, "withdrawn")
            registrations.promote(event, sessions[current.session_id])
        withdrawn.append(invitation.email)
    return withdrawn


def no_longer_invited(invitation: Invitation) -> bool:
    """Say whether a person's invitation was withdrawn or no declaration names them any more."""
    if invitation.withdrawn_at is not None:
        return True
    return not people.roles_still_named(invitation.call_id, invitation.email)


def send_again(actor: User, invitation: Invitation) -> None:
    """E-mail a person their invitation again, with a fresh link (the project team's choice);
    the links sent before stop working."""
    if invitation.withdrawn_at is not None:
        raise EventError("no_longer_invited")
    invitation.link_generation += 1
    event = services.get_event(invitation.event_id)
    sessions = sorted(
        services.lock_sessions(invitation.event_id).values(), key=lambda s: (s.starts_at, s.id)
    )
    send_invitation(event, invitation, sessions)
    audit.record("events.invitation_sent_again", invitation, actor=actor, email=invitation.email)
    db.session.commit()


def renew(invitation: Invitation) -> bool:
    """E-mail a fresh link to the address of an expired one; say whether it was sent.

    Only to the invitation's own address, and at most every few minutes.
    """
    if no_longer_invited(invitation):
        return False
    # Claim the send by a conditional UPDATE: of two requests at once, one only finds the
    # last sending old enough (the other waits for its row lock, then matches nothing).
    now = utcnow()
    claimed = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.last_sent_at <= now - timedelta(seconds=RENEW_INTERVAL_SECONDS),
        )
        .values(last_sent_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        return False
    event = services.get_event(invitation.event_id)
    sessions = sorted(
        services.lock_sessions(invitation.event_id).values(), key=lambda s: (s.starts_at, s.id)
    )
    send_invitation(event, invitation, sessions)
    audit.record("events.link_renewed", invitation, email=invitation.email)
    db.session.commit()
    return True


def invitations_of(event_id: int, call_id: int | None = None):
    """Return a query of an event's invitations, by name."""
    query = select(Invitation).where(Invitation.event_id == event_id)
    if call_id is not None:
        query = query.where(Invitation.call_id == call_id)
    return query.order_by(Invitation.last_name, Invitation.first_name, Invitation.email)
