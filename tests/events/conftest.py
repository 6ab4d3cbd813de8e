"""Fixtures of the webinars: a published event in both languages, sessions, declarations naming
people, and the personal link of an invitation."""

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from app.content.models import ContentItem, ContentKind, ContentState
from app.declarations.models import Administrator, Ambassador, Declaration, DeclarationStatus
from app.directorates.models import Call, Directorate, portal_today
from app.events import links, services
from app.events.models import Audience, EventSession, Invitation
from app.events.timing import zone
from app.extensions import db, utcnow


@pytest.fixture
def call(app):
    """The 2023 call."""
    return db.session.scalar(select(Call).where(Call.code == "PIX-2023"))


def declare(call, code, status=DeclarationStatus.SUBMITTED, ambassadors=(), administrators=()):
    """Add a declaration of a directorate naming people: (first name, last name, e-mail) each."""
    directorate = db.session.scalar(select(Directorate).where(Directorate.code == code))
    declaration = Declaration(
        call=call,
        directorate=directorate,
        status=status,
        submitted_at=None if status is DeclarationStatus.DRAFT else utcnow(),
    )
    for position, (first, last, email) in enumerate(ambassadors, start=1):
        declaration.ambassadors.append(
            Ambassador(position=position, first_name=first, last_name=last, email=email)
        )
    for position, (first, last, email) in enumerate(administrators, start=1):
        declaration.administrators.append(
            Administrator(
                position=position,
                first_name=first,
                last_name=last,
                email=email,
                function="Formation",
                hr_confirmed=True,
            )
        )
    db.session.add(declaration)
    db.session.commit()
    return declaration


def make_event(
    title_fr="Webinaire des ambassadeurs",
    title_en="Ambassadors' webinar",
    slug="webinaire-ambassadeurs",
    state=ContentState.PUBLISHED,
) -> services.Event:
    """Add an event in French and English (published by default), at the top of the content."""
    french = ContentItem(
        kind=ContentKind.EVENT,
        language="fr",
        state=state,
        title=title_fr,
        slug=slug,
        summary="Découvrir PIX.",
        published_at=utcnow(),
    )
    db.session.add(french)
    db.session.flush()
    french.group_id = french.id
    english = ContentItem(
        kind=ContentKind.EVENT,
        language="en",
        state=state,
        title=title_en,
        slug=slug + "-en",
        summary="Discover PIX.",
        published_at=utcnow(),
        group_id=french.id,
    )
    db.session.add(english)
    db.session.commit()
    return services.get_event(french.id)


@pytest.fixture
def event(app):
    """A published event, in French and English."""
    return make_event()


def add_session(
    event,
    days=10,
    hour=14,
    capacity=2,
    audience=Audience.AMBASSADORS,
    closes_on: date | None = None,
    link="https://visio.example.org/pix",
) -> EventSession:
    """Add a session to an event, `days` from today at `hour` (Paris time), two hours long."""
    day = portal_today() + timedelta(days=days)
    start = datetime.combine(day, time(hour), tzinfo=zone())
    session = EventSession(
        event_id=event.id,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=capacity,
        audience=audience,
        registration_closes_on=closes_on,
        link=link,
        place="",
        sequence=0,
    )
    db.session.add(session)
    db.session.commit()
    return session


def invitation_of(event, email) -> Invitation | None:
    """Return the invitation of an address to an event, if any."""
    return db.session.scalar(
        select(Invitation).where(Invitation.event_id == event.id, Invitation.email == email)
    )


def personal_url(invitation, lang="fr") -> str:
    """Return the address of a person's page (a fresh link)."""
    return f"/{lang}/events/invitation/{links.token_for(invitation)}"


def invite(client, event, call_code="PIX-2023", directorate=""):
    """Post the invitation form of an event (logged in as the project team)."""
    return client.post(
        f"/fr/events/{event.id}/invite", data={"call": call_code, "directorate": directorate}
    )
