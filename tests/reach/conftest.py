"""Contact mailboxes of two directorates, and the claim links e-mailed when a call opens."""

import re

import pytest
from sqlalchemy import select

from app.directorates.models import Call, Directorate, DirectorateContact
from app.extensions import db
from app.mail import OutboxMessage
from tests.conftest import outbox

LINK = re.compile(r"http://portal\.test(/(?:fr|en)/reach/claim/[^\s]+)")


def directorate(code: str) -> Directorate:
    """Return a seeded directorate by code."""
    return db.session.scalar(select(Directorate).where(Directorate.code == code))


def call(code: str = "PIX-2023") -> Call:
    """Return a call by code."""
    return db.session.scalar(select(Call).where(Call.code == code))


def add_contact(code: str, email: str, label: str = "", language: str = "fr", active=True):
    """Add a contact mailbox to a directorate."""
    contact = DirectorateContact(
        directorate_id=directorate(code).id,
        email=email,
        label=label,
        language=language,
        active=active,
    )
    db.session.add(contact)
    db.session.commit()
    return contact


def link_in(message: OutboxMessage) -> str:
    """Return the path of the claim link an e-mail carries."""
    return LINK.search(message.body).group(1)


def messages_to(email: str) -> list[OutboxMessage]:
    """Return the messages of the outbox sent to an address, oldest first."""
    return [m for m in outbox() if m.recipients == email]


@pytest.fixture
def contacts(app) -> dict[str, DirectorateContact]:
    """The management and HR mailboxes of DREAL-PDL, the HR mailbox of DREAL-ARA (English)."""
    return {
        "pdl_direction": add_contact("DREAL-PDL", "direction.pdl@example.org", "Direction"),
        "pdl_hr": add_contact("DREAL-PDL", "rh.pdl@example.org", "Ressources humaines"),
        "ara_hr": add_contact("DREAL-ARA", "hr.ara@example.org", "Ressources humaines", "en"),
    }


@pytest.fixture
def opened(runner, contacts) -> dict[str, str]:
    """Open the 2023 call from the command line; return each contact's claim link path."""
    call("PIX-2023").is_open = False
    db.session.commit()
    result = runner.invoke(args=["calls", "open", "PIX-2023"])
    assert result.exit_code == 0, result.output
    return {key: link_in(messages_to(c.email)[-1]) for key, c in contacts.items()}
