"""CODIR requests: creation, transitions, messages, reassignment, e-mails and invitations."""

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from flask import abort, current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import audit, mail
from app.auth.models import Role, User
from app.codir import policies
from app.codir.models import CodirEvent, CodirMessage, CodirRequest, CodirStatus
from app.codir.workflow import Side, Transition, next_state
from app.directorates.models import Cvrh, Directorate
from app.extensions import db, utcnow


class CodirError(Exception):
    """A change that cannot be made; routes turn it into a message."""


class NotAllowed(CodirError):
    """Not this user, or not from this state."""


def get_request(user: User, request_id: int) -> CodirRequest:
    """Return the request if the user may see it, else abort with 404."""
    request = db.session.scalar(
        policies.requests_visible_to(user)
        .where(CodirRequest.id == request_id)
        .options(selectinload(CodirRequest.directorate), selectinload(CodirRequest.cvrh))
    )
    if request is None:
        abort(404)
    return request


def timeline(request: CodirRequest) -> list[tuple[datetime, str, object]]:
    """Return the events and messages of a request, oldest first, as (time, kind, item)."""
    events = db.session.scalars(
        select(CodirEvent)
        .where(CodirEvent.request_id == request.id)
        .options(selectinload(CodirEvent.actor))
    )
    messages = db.session.scalars(
        select(CodirMessage)
        .where(CodirMessage.request_id == request.id)
        .options(selectinload(CodirMessage.author))
    )
    items = [(e.created_at, "event", e) for e in events]
    items += [(m.created_at, "message", m) for m in messages]
    return sorted(items, key=lambda item: (item[0], item[1]))


def recipients(side: Side, request: CodirRequest) -> list[tuple[str, str]]:
    """Return (e-mail, language) of everyone on a side; a CVRH without users gets its mailbox."""
    if side is Side.DIRECTORATE:
        query = select(User).where(
            User.role == Role.DIRECTORATE, User.directorate_id == request.directorate_id
        )
    else:
        query = select(User).where(User.role == Role.CVRH, User.cvrh_id == request.cvrh_id)
    people = [(u.email, u.language) for u in db.session.scalars(query.where(User.active.is_(True)))]
    if not people and side is Side.CVRH:
        people = [(request.cvrh.email, "fr")]
    return people


def _link(request: CodirRequest, language: str) -> str:
    return mail.external_url("codir.detail", request_id=request.id, lang=language)


def _notify(
    side: Side, request: CodirRequest, action: str, with_invitation: bool = False, **context
) -> None:
    invitations: dict[str, bytes] = {}  # one per language, not one per recipient
    for email, language in recipients(side, request):
        attachments = []
        if with_invitation:
            if language not in invitations:
                invitations[language] = invitation(request, language)
            attachments.append(
                mail.Attachment("invitation.ics", "text/calendar", invitations[language])
            )
        mail.send(
            email,
            "codir_update",
            language,
            attachments,
            request=request,
            action=action,
            link=_link(request, language),
            **context,
        )


def _record(request: CodirRequest, action: str, actor: User | None, **details) -> None:
    db.session.add(
        CodirEvent(
            request=request, action=action, actor_id=actor.id if actor else None, details=details
        )
    )
    audit.record(f"codir.{action}", request, actor=actor, **details)


def create_request(user: User, directorate: Directorate, **values) -> CodirRequest:
    """Create a request routed to the directorate's CVRH and tell that CVRH."""
    request = CodirRequest(
        directorate=directorate, cvrh=directorate.cvrh, created_by_id=user.id, **values
    )
    db.session.add(request)
    db.session.flush()
    _record(request, "requested", user)
    _notify(Side.CVRH, request, "requested")
    db.session.commit()
    return request


def request_from_declaration(user: User, directorate: Directorate) -> CodirRequest | None:
    """Open a request for a directorate that wished one in its declaration, unless one is open."""
    under_way = select(CodirRequest.id).where(
        CodirRequest.directorate_id == directorate.id,
        CodirRequest.status.in_([CodirStatus.REQUESTED, CodirStatus.SCHEDULED]),
    )
    if db.session.scalar(under_way) is not None:
        return None
    topics = _("Requested in the Annex 1 declaration; dates to be agreed on this thread.")
    return create_request(user, directorate, topics=topics)


def transition(user: User, request: CodirRequest, move: Transition, **values) -> None:
    """Make a transition, record it and tell the other side (with an invitation when dated)."""
    if not policies.can_transition(user, request, move):
        raise NotAllowed(move.value)
    new_state, side = next_state(request.status, move)
    was_scheduled = request.status is CodirStatus.SCHEDULED
    details = {"status": [request.status.value, new_state.value]}
    for name, value in values.items():
        details[name] = value.isoformat() if hasattr(value, "isoformat") else value
        setattr(request, name, value)
    if move in (Transition.SCHEDULE, Transition.RESCHEDULE) or (
        move is Transition.CANCEL and was_scheduled
    ):
        request.sequence += 1
    request.status = new_state
    request.updated_at = utcnow()
    _record(request, move.value, user, **details)
    other = Side.DIRECTORATE if side is Side.CVRH else Side.CVRH
    dated = move in (Transition.SCHEDULE, Transition.RESCHEDULE) or (
        move is Transition.CANCEL and was_scheduled
    )
    _notify(other, request, move.value, with_invitation=dated)
    db.session.commit()


def post_message(user: User, request: CodirRequest, body: str) -> CodirMessage:
    """Add a message to the thread and e-mail the other side."""
    side = policies.side_of(user, request)
    if side is None:
        raise NotAllowed("message")
    message = CodirMessage(request=request, author_id=user.id, body=body.strip())
    db.session.add(message)
    request.updated_at = utcnow()
    other = Side.DIRECTORATE if side is Side.CVRH else Side.CVRH
    _notify(other, request, "message", message=message.body, author=user.display_name)
    db.session.commit()
    return message


def reassign(user: User, request: CodirRequest, cvrh: Cvrh) -> None:
    """Send a request to another CVRH, telling both CVRHs and the directorate."""
    if not policies.can_reassign(user, request) or cvrh.id == request.cvrh_id:
        raise NotAllowed("reassign")
    previous = request.cvrh
    _notify(Side.CVRH, request, "reassigned_away", other_cvrh=cvrh.name)
    request.cvrh = cvrh
    request.updated_at = utcnow()
    _record(request, "reassigned", user, cvrh=[previous.code, cvrh.code])
    db.session.flush()
    _notify(Side.CVRH, request, "reassigned_to", other_cvrh=previous.name)
    _notify(Side.DIRECTORATE, request, "reassigned", other_cvrh=cvrh.name)
    db.session.commit()


def invitation(request: CodirRequest, language: str) -> bytes:
    """Return the iCalendar invitation of a scheduled (or cancelled) presentation."""
    host = urlsplit(current_app.config["PORTAL_BASE_URL"]).hostname or "pix-portal"
    calendar = Calendar()
    calendar.add("prodid", "-//PIX deployment portal//CODIR//FR")
    calendar.add("version", "2.0")
    cancelled = request.status is CodirStatus.CANCELLED
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"codir-{request.id}@{host}")
    event.add("sequence", request.sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", request.scheduled_at)
    event.add("dtend", request.scheduled_at + timedelta(minutes=request.duration_minutes or 60))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    with force_locale(language):
        name = request.directorate.name_en if language == "en" else request.directorate.name_fr
        event.add(
            "summary",
            _(
                "PIX presentation to the management committee – %(name)s",
                name=name or request.directorate.name_fr,
            ),
        )
        description = _("Speaker: %(speaker)s", speaker=request.speaker)
    event.add("description", f"{description}\n{_link(request, language)}")
    event.add("location", request.scheduled_place)
    organizer = vCalAddress(f"mailto:{request.cvrh.email}")
    organizer.params["cn"] = vText(request.cvrh.name)
    event.add("organizer", organizer)
    for email, _language in recipients(Side.DIRECTORATE, request):
        event.add("attendee", vCalAddress(f"mailto:{email}"))
    calendar.add_component(event)
    return calendar.to_ical()


def remind_waiting(days: int, today: date) -> dict[str, int]:
    """E-mail each CVRH its requests waiting for an answer for more than N days, once a day."""
    limit = utcnow() - timedelta(days=days)
    query = (
        select(CodirRequest)
        .where(CodirRequest.status == CodirStatus.REQUESTED, CodirRequest.created_at < limit)
        .where((CodirRequest.last_reminded_on.is_(None)) | (CodirRequest.last_reminded_on < today))
        .options(selectinload(CodirRequest.directorate), selectinload(CodirRequest.cvrh))
        .order_by(CodirRequest.cvrh_id, CodirRequest.created_at)
    )
    by_cvrh: dict[int, list[CodirRequest]] = {}
    for request in db.session.scalars(query):
        by_cvrh.setdefault(request.cvrh_id, []).append(request)
    report = {}
    for waiting in by_cvrh.values():
        first = waiting[0]
        for email, language in recipients(Side.CVRH, first):
            links = [(r, _link(r, language)) for r in waiting]
            mail.send(email, "codir_reminder", language, cvrh=first.cvrh, waiting=links, days=days)
        for request in waiting:
            request.last_reminded_on = today
        report[first.cvrh.code] = len(waiting)
    db.session.commit()
    return report
