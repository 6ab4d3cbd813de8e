"""CODIR requests: creation, transitions, messages, reassignment, e-mails and invitations."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import abort, current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText
from sqlalchemy import ColumnElement, Select, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app import audit, mail
from app.auth.models import Role, User
from app.codir import policies
from app.codir.models import CodirEvent, CodirMessage, CodirRequest, CodirStatus
from app.codir.workflow import OPEN, Side, Transition, next_state
from app.directorates.models import Cvrh, Directorate
from app.extensions import db, utcnow
from app.once import AlreadyPosted, bound, posted
from app.versioning import StaleVersion, check_version


class CodirError(Exception):
    """A change that cannot be made; routes turn it into a message."""


class NotAllowed(CodirError):
    """Not this user, or not from this state."""


class AlreadyOpen(CodirError):
    """The directorate already has a request under way: it is followed there."""

    def __init__(self, request: CodirRequest):
        super().__init__("already_open")
        self.request = request


class Conflict(CodirError):
    """Someone else changed the request since the page was opened."""

    def __init__(self, request: CodirRequest):
        super().__init__("conflict")
        self.request = request


@contextmanager
def _conflicts(request: CodirRequest) -> Iterator[None]:
    """Turn a concurrent change of the same request, at any flush or the commit, into Conflict.

    The version check of the UPDATE fails (StaleDataError) when another transaction changed
    the request since it was read; everything of this one is rolled back, e-mails included.
    """
    try:
        yield
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        db.session.refresh(request)
        raise Conflict(request) from None


def _check_version(request: CodirRequest, version: int | None) -> None:
    try:
        check_version(request, version)
    except StaleVersion:
        raise Conflict(request) from None


# The tabs of the CVRH inbox, in the order shown.
INBOX_VIEWS = ("to_answer", "scheduled", "upcoming", "held", "declined")


def _this_month() -> tuple[datetime, datetime]:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    today = datetime.now(zone).date()
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return datetime.combine(first, time(0), zone), datetime.combine(following, time(0), zone)


def _inbox_conditions() -> dict[str, ColumnElement[bool]]:
    """Return the condition of each inbox tab (upcoming: scheduled later this month)."""
    start, end = _this_month()
    return {
        "to_answer": CodirRequest.status == CodirStatus.REQUESTED,
        "scheduled": CodirRequest.status == CodirStatus.SCHEDULED,
        "upcoming": (CodirRequest.status == CodirStatus.SCHEDULED)
        & (CodirRequest.scheduled_at >= max(start, utcnow()))
        & (CodirRequest.scheduled_at < end),
        "held": CodirRequest.status == CodirStatus.HELD,
        "declined": CodirRequest.status == CodirStatus.DECLINED,
    }


def inbox_counts(user: User) -> dict[str, int]:
    """Return the number of requests the user sees in each inbox tab, and in all, in one query."""
    columns = [
        func.count(case((condition, CodirRequest.id))).label(name)
        for name, condition in _inbox_conditions().items()
    ]
    query = policies.requests_visible_to(user).with_only_columns(
        func.count(CodirRequest.id).label("all"), *columns
    )
    return dict(db.session.execute(query.order_by(None)).one()._mapping)


def request_list(user: User, view: str = "", cvrh_code: str = "", status: str = "") -> Select:
    """Return a query of the requests the user sees, narrowed by tab, CVRH and status.

    Ordered by CVRH, newest first, the id breaking ties so that pages never overlap; the
    directorate and the CVRH of each row come in the same statement.
    """
    query = policies.requests_visible_to(user)
    conditions = _inbox_conditions()
    if view in conditions:
        query = query.where(conditions[view])
    if cvrh_code:
        query = query.join(Cvrh, CodirRequest.cvrh_id == Cvrh.id).where(Cvrh.code == cvrh_code)
    if status in {s.value for s in CodirStatus}:
        query = query.where(CodirRequest.status == CodirStatus(status))
    return query.options(
        joinedload(CodirRequest.directorate), joinedload(CodirRequest.cvrh)
    ).order_by(CodirRequest.cvrh_id, CodirRequest.created_at.desc(), CodirRequest.id.desc())


def all_cvrhs() -> list[Cvrh]:
    """Return every CVRH by code (the choices of the filters and of a reassignment)."""
    return list(db.session.scalars(select(Cvrh).order_by(Cvrh.code)))


def get_request(user: User, request_id: int) -> CodirRequest:
    """Return the request if the user may see it, with its directorate and CVRH, else 404."""
    request = db.session.scalar(
        policies.requests_visible_to(user)
        .where(CodirRequest.id == request_id)
        .options(joinedload(CodirRequest.directorate), joinedload(CodirRequest.cvrh))
    )
    if request is None:
        abort(404)
    return request


def timeline(request: CodirRequest) -> list[tuple[datetime, str, object]]:
    """Return the events and messages of a request, oldest first, as (time, kind, item).

    Two statements whatever the length of the thread: each brings its authors along.
    """
    events = db.session.scalars(
        select(CodirEvent)
        .where(CodirEvent.request_id == request.id)
        .options(joinedload(CodirEvent.actor))
    )
    messages = db.session.scalars(
        select(CodirMessage)
        .where(CodirMessage.request_id == request.id)
        .options(joinedload(CodirMessage.author))
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


def _open(user: User, directorate: Directorate, **values) -> CodirRequest:
    request = CodirRequest(
        directorate=directorate, cvrh=directorate.cvrh, created_by_id=user.id, **values
    )
    db.session.add(request)
    db.session.flush()
    _record(request, "requested", user)
    _notify(Side.CVRH, request, "requested")
    return request


def open_request_of(directorate: Directorate) -> CodirRequest | None:
    """Return the directorate's request under way (waiting or scheduled), if any."""
    return db.session.scalar(
        select(CodirRequest)
        .where(CodirRequest.directorate_id == directorate.id, CodirRequest.status.in_(OPEN))
        .order_by(CodirRequest.id)
        .limit(1)
    )


def create_request(user: User, directorate: Directorate, **values) -> CodirRequest:
    """Create a request routed to the directorate's CVRH and tell that CVRH.

    AlreadyOpen if the directorate has a request under way. Two submissions at the same
    instant both pass the first check on PostgreSQL; the unique index then refuses the
    second insert, which waits for the first to commit and becomes AlreadyOpen too.
    """
    existing = open_request_of(directorate)
    if existing is not None:
        raise AlreadyOpen(existing)
    try:
        request = _open(user, directorate, **values)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = open_request_of(directorate)
        if existing is None:
            raise
        raise AlreadyOpen(existing) from None
    return request


def open_from_declaration(user: User, directorate: Directorate) -> CodirRequest | None:
    """Open a request for a directorate that wished one in its declaration, unless one is open.

    The request is added to the caller's transaction (the submission), which commits it; a
    request opened meanwhile by someone else is kept, and the submission goes on without one.
    """
    if open_request_of(directorate) is not None:
        return None
    topics = _("Requested in the Annex 1 declaration; dates to be agreed on this thread.")
    try:
        with db.session.begin_nested():
            return _open(user, directorate, topics=topics)
    except IntegrityError:
        # Only the one-request-under-way rule may refuse it; any other refusal is a fault.
        if open_request_of(directorate) is None:
            raise
        return None


def transition(
    user: User, request: CodirRequest, move: Transition, version: int | None = None, **values
) -> None:
    """Make a transition, record it and tell the other side (with an invitation when dated).

    `version` is the request's version the user saw; a later change makes it a Conflict.
    """
    if not policies.can_transition(user, request, move):
        raise NotAllowed(move.value)
    _check_version(request, version)
    new_state, side = next_state(request.status, move)
    with _conflicts(request):
        was_scheduled = request.status is CodirStatus.SCHEDULED
        details = {"status": [request.status.value, new_state.value]}
        for name, value in values.items():
            details[name] = value.isoformat() if hasattr(value, "isoformat") else value
            setattr(request, name, value)
        dated = move in (Transition.SCHEDULE, Transition.RESCHEDULE) or (
            move is Transition.CANCEL and was_scheduled
        )
        if dated:
            request.sequence += 1
        request.status = new_state
        request.updated_at = utcnow()
        _record(request, move.value, user, **details)
        other = Side.DIRECTORATE if side is Side.CVRH else Side.CVRH
        _notify(other, request, move.value, with_invitation=dated)


def _still_open(request: CodirRequest) -> bool:
    """Read the request's state again, locking its row (PostgreSQL) until the commit.

    A message posted while the other side closes the request waits for that transition,
    then sees the closed state, instead of landing on a closed thread.
    """
    status = db.session.scalar(
        select(CodirRequest.status).where(CodirRequest.id == request.id).with_for_update()
    )
    return status in OPEN


def post_message(
    user: User, request: CodirRequest, body: str, once: str | None = None
) -> CodirMessage:
    """Add a message to the thread and e-mail the other side.

    NotAllowed once the request is closed; AlreadyPosted if the form of key `once` was posted
    already, even at the same instant.
    """
    side = policies.side_of(user, request)
    if side is None or not _still_open(request):
        db.session.rollback()  # shows the request as it is now
        raise NotAllowed("message")
    body = body.strip()
    once = bound(once, user.id, request.id, body)
    if posted(CodirMessage, once):
        db.session.rollback()  # lets go of the request's row
        raise AlreadyPosted
    try:
        message = CodirMessage(request=request, author_id=user.id, body=body, once_key=once)
        db.session.add(message)
        # A message is no change of the request itself: it must not make the other side's
        # open page stale, so the version stays as it is.
        db.session.execute(
            update(CodirRequest)
            .where(CodirRequest.id == request.id)
            .values(updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        other = Side.DIRECTORATE if side is Side.CVRH else Side.CVRH
        _notify(other, request, "message", message=message.body, author=user.display_name)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if posted(CodirMessage, once):
            raise AlreadyPosted from None  # the same form, sent at the same instant
        raise
    return message


def reassign(user: User, request: CodirRequest, cvrh: Cvrh, version: int | None = None) -> None:
    """Send a request to another CVRH, telling both CVRHs and the directorate."""
    if not policies.can_reassign(user, request) or cvrh.id == request.cvrh_id:
        raise NotAllowed("reassign")
    _check_version(request, version)
    with _conflicts(request):
        previous = request.cvrh
        _notify(Side.CVRH, request, "reassigned_away", other_cvrh=cvrh.name)
        request.cvrh = cvrh
        request.updated_at = utcnow()
        _record(request, "reassigned", user, cvrh=[previous.code, cvrh.code])
        db.session.flush()
        _notify(Side.CVRH, request, "reassigned_to", other_cvrh=previous.name)
        _notify(Side.DIRECTORATE, request, "reassigned", other_cvrh=cvrh.name)


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
        report[first.cvrh.code] = len(waiting)
    if by_cvrh:
        # Not a change of the requests: their version stays, so no open page becomes stale.
        reminded = [r.id for waiting in by_cvrh.values() for r in waiting]
        db.session.execute(
            update(CodirRequest)
            .where(CodirRequest.id.in_(reminded))
            .values(last_reminded_on=today)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return report
