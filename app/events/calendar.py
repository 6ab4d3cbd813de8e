"""iCalendar files: a person's invitation to their session, an event's sessions, the public feed.

Only a person's own file carries the session's video link; the public calendars say "Online".

A person's file has a UID of its own per person and session, kept whatever changes; its
SEQUENCE counts the changes (app/events/models.py: Registration.sequence), so that calendar
applications replace the earlier version; a cancellation is METHOD:CANCEL, STATUS:CANCELLED.
A session of the public feed has its own UID and the session's SEQUENCE.
"""

from collections.abc import Iterable
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from app.content.models import ContentItem
from app.events.models import EventSession, Registration
from app.extensions import utcnow

PRODID = "-//PIX deployment portal//Webinars//FR"
MIMETYPE = "text/calendar"


def _host() -> str:
    return urlsplit(current_app.config["PORTAL_BASE_URL"]).hostname or "pix-portal"


def registration_uid(registration: Registration) -> str:
    """Return the UID of a person's invitation to a session (the same for every version)."""
    return f"webinar-{registration.session_id}-{registration.invitation_id}@{_host()}"


def session_uid(session: EventSession) -> str:
    """Return the UID of a session in the public calendars."""
    return f"webinar-session-{session.id}@{_host()}"


def _calendar(method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def _event(session: EventSession, uid: str, sequence: int, title: str, description: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", title)
    event.add("description", description)
    return event


def registration_file(
    registration: Registration, title: str, language: str, page: str, cancelled: bool = False
) -> bytes:
    """Return the invitation (or its cancellation) of a person to their session."""
    session, invitation = registration.session, registration.invitation
    calendar = _calendar("CANCEL" if cancelled else "REQUEST")
    with force_locale(language):
        description = _("Your registration, to change or cancel it: %(link)s", link=page)
        organizer_name = _("PIX project team")
    event = _event(
        session, registration_uid(registration), registration.sequence, title, description
    )
    # The video link goes only to the people registered (their own file, their e-mails).
    if session.link or session.place:
        event.add("location", session.link or session.place)
    if session.link:
        event.add("url", session.link)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{current_app.config['PORTAL_CONTACT_EMAIL']}")
    organizer.params["cn"] = vText(organizer_name)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{invitation.email}")
    attendee.params["cn"] = vText(invitation.display_name)
    attendee.params["partstat"] = vText("DECLINED" if cancelled else "ACCEPTED")
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()


def sessions_file(rows: Iterable[tuple[EventSession, ContentItem, str]], name: str) -> bytes:
    """Return a published calendar of sessions, each with its event's title and page address."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    for session, item, page in rows:
        description = f"{item.summary}\n{page}".strip() if item.summary else page
        event = _event(session, session_uid(session), session.sequence, item.title, description)
        # Anyone may read these calendars: the place, never the video link (seats and
        # the waiting list would mean nothing).
        if session.place or session.link:
            event.add("location", session.place or _("Online"))
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
