"""Reading events and their sessions, and the lock every change of an event's seats takes.

Every write that touches the seats of an event (a registration, a cancellation, an invitation
run that withdraws people, an edit of a session) first locks the event's sessions, in the order
of their ids (`lock_sessions`): on PostgreSQL with SELECT ... FOR UPDATE, so that two people
taking the last seat at the same instant are served one after the other; SQLite serialises
writers anyway (a writing request begins with BEGIN IMMEDIATE, app/database.py). One lock
order for everyone: no deadlock.
"""

from dataclasses import dataclass

from flask import abort
from sqlalchemy import case, func, select

from app.content import tree, visibility
from app.content.models import ContentItem, ContentKind
from app.events.models import EventSession, Registration, RegistrationStatus
from app.extensions import db


class EventError(Exception):
    """A change refused for a reason the user can understand; `code` says which."""

    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code = code
        self.details = details


class Conflict(Exception):
    """Someone else changed the session since the page was opened; `session` is theirs."""

    def __init__(self, session: EventSession):
        super().__init__("conflict")
        self.session = session


@dataclass
class Event:
    """An event (both language versions of a content item) and the sessions it holds."""

    id: int
    items: dict[str, ContentItem]

    def item(self, language: str) -> ContentItem:
        """Return the version in a language, or the other one when it has none."""
        return self.items.get(language) or next(iter(self.items.values()))

    def title(self, language: str) -> str:
        """Return the event's title in a language (or in the other one)."""
        return self.item(language).title


@dataclass
class SessionSeats:
    """A session with the number of its confirmed and waiting registrations."""

    session: EventSession
    confirmed: int
    waiting: int

    @property
    def left(self) -> int:
        """Return the seats still free."""
        return max(self.session.capacity - self.confirmed, 0)


def event_of(event_id: int) -> Event | None:
    """Return the event of a content group, or None if the group is not an event."""
    items = db.session.scalars(
        select(ContentItem).where(
            ContentItem.group_id == event_id, ContentItem.kind == ContentKind.EVENT
        )
    ).all()
    if not items:
        return None
    return Event(event_id, {item.language: item for item in items})


def get_event(event_id: int) -> Event:
    """Return the event of a content group, else 404 (management pages: staff only)."""
    event = event_of(event_id)
    if event is None:
        abort(404)
    return event


def events_list() -> list[Event]:
    """Return every event, newest first, each with its language versions (one query)."""
    items = db.session.scalars(
        select(ContentItem)
        .where(ContentItem.kind == ContentKind.EVENT)
        .order_by(ContentItem.starts_at.desc().nulls_last(), ContentItem.group_id.desc())
    ).all()
    events: dict[int, Event] = {}
    for item in items:
        events.setdefault(item.group_id, Event(item.group_id, {})).items[item.language] = item
    return list(events.values())


def seats(event_ids) -> dict[int, list[SessionSeats]]:
    """Return the sessions of events, by event, each with its registrations counted (one query)."""
    confirmed = func.count(case((Registration.status == RegistrationStatus.CONFIRMED, 1)))
    waiting = func.count(case((Registration.status == RegistrationStatus.WAITING, 1)))
    query = (
        select(EventSession, confirmed, waiting)
        .outerjoin(Registration, Registration.session_id == EventSession.id)
        .where(EventSession.event_id.in_(list(event_ids)))
        .group_by(EventSession.id)
        .order_by(EventSession.starts_at, EventSession.id)
    )
    result: dict[int, list[SessionSeats]] = {}
    for session, confirmed_count, waiting_count in db.session.execute(query):
        result.setdefault(session.event_id, []).append(
            SessionSeats(session, confirmed_count, waiting_count)
        )
    return result


def sessions_of(event_id: int) -> list[SessionSeats]:
    """Return the sessions of an event, soonest first, with their registrations counted."""
    return seats([event_id]).get(event_id, [])


def get_session(session_id: int) -> EventSession:
    """Return a session by id, else 404."""
    return db.get_or_404(EventSession, session_id)


def lock_sessions(event_id: int) -> dict[int, EventSession]:
    """Lock the sessions of an event (in id order) for the rest of the transaction; return them."""
    query = (
        select(EventSession)
        .where(EventSession.event_id == event_id)
        .order_by(EventSession.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {session.id: session for session in db.session.scalars(query)}


def confirmed_count(session: EventSession) -> int:
    """Return the number of seats taken at a session."""
    return db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.session_id == session.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    )


def published_sessions(language: str) -> list[tuple[EventSession, ContentItem]]:
    """Return the sessions of the events anyone may read today in a language, soonest first,
    each with its event's item and the sections above it (two queries)."""
    readable = visibility.public_items().with_only_columns(ContentItem.id)
    query = (
        select(EventSession, ContentItem)
        .join(ContentItem, ContentItem.group_id == EventSession.event_id)
        .where(
            ContentItem.language == language,
            ContentItem.kind == ContentKind.EVENT,
            ContentItem.id.in_(readable),
        )
        .order_by(EventSession.starts_at, EventSession.id)
    )
    rows = [tuple(row) for row in db.session.execute(query)]
    tree.with_sections([item for _session, item in rows])
    return rows
