"""The reach pages send a fixed number of statements, whatever the directorates, contacts and
messages: measured on a small data set, then on one about five times larger."""

from datetime import timedelta
from itertools import cycle

import pytest
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.directorates.models import Cvrh, Directorate, DirectorateContact, DirectorateType
from app.extensions import db, utcnow
from app.mail import MessageStatus, OutboxMessage
from app.reach.claims import ClaimLinks
from app.reach.models import ContactInvitation
from tests.budget import BUDGET
from tests.conftest import log_in, make_user, portal
from tests.queries import count_queries
from tests.reach.conftest import LINK, call

STATUSES = cycle([MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.BOUNCED])
PAGES = [
    ("project_team", "/fr/console/PIX-2023/reach"),
    ("project_team", "/fr/console/PIX-2023/reach?state=problems"),
    ("project_team", "/fr/console/PIX-2023/reach?state=unreached&q=echelle"),
    ("project_team", "/fr/console/PIX-2023/claims"),
    ("project_team", "/fr/console/PIX-2023/claims?claimed=yes"),
    ("admin", "/fr/console/PIX-2023/reach"),
    ("admin", "/fr/directorates/DREAL-PDL/contacts"),
    ("project_team", "/fr/directorates/DREAL-PDL/contacts/{contact}"),
    ("project_team", "/fr/directorates/DREAL-PDL"),
    ("anonymous", "{claim}"),
]
PERSONAS = {
    "project_team": ("bruno.petit@example.org", Role.PROJECT_TEAM),
    "admin": ("alice.martin@example.org", Role.ADMIN),
}


def _contact(directorate_id: int, email: str) -> DirectorateContact:
    contact = DirectorateContact(directorate_id=directorate_id, email=email, label="RH")
    db.session.add(contact)
    return contact


def grow(size: int) -> None:
    """Add `size` directorates with contacts, links (some claimed), accounts and e-mails."""
    current = call("PIX-2023")
    cvrh = db.session.scalar(select(Cvrh).order_by(Cvrh.code))
    start = db.session.scalar(select(func.count(Directorate.id)))
    pdl = db.session.scalar(select(Directorate.id).where(Directorate.code == "DREAL-PDL"))
    now = utcnow()
    for index in range(size):
        number = start + index
        _contact(pdl, f"boite{number}.pdl@example.org")
        directorate = Directorate(
            code=f"ECHELLE-{number:04d}",
            name_fr=f"Direction à l’échelle {number}",
            name_en=f"Scale directorate {number}",
            type=DirectorateType.DIR,
            region="Bretagne",
            cvrh=cvrh,
        )
        db.session.add(directorate)
        db.session.flush()
        contacts = [_contact(directorate.id, f"{kind}{number}@example.org") for kind in "ab"]
        owner = User(
            email=f"correspondant{number}@example.org",
            role=Role.DIRECTORATE,
            directorate_id=directorate.id,
        )
        db.session.add(owner)
        db.session.flush()
        for position, contact in enumerate(contacts):
            claimed = position == 0 and index % 2 == 0
            db.session.add(
                ContactInvitation(
                    call_id=current.id,
                    contact_id=contact.id,
                    directorate_id=directorate.id,
                    nonce_hash=f"{number:032d}{position:032d}",
                    email=contact.email,
                    expires_at=now + timedelta(days=30),
                    claimed_at=now if claimed else None,
                    claimed_by_id=owner.id if claimed else None,
                )
            )
            for _ in range(2):
                db.session.add(
                    OutboxMessage(
                        sender="pix-portal@example.org",
                        recipients=contact.email,
                        subject="PIX",
                        body="Lien",
                        language="fr",
                        status=next(STATUSES),
                        error="550 User unknown",
                        call_id=current.id,
                        directorate_id=directorate.id,
                        contact_id=contact.id,
                    )
                )
    db.session.commit()


def _placeholders() -> dict[str, str]:
    contact = _contact(
        db.session.scalar(select(Directorate.id).where(Directorate.code == "DREAL-PDL")),
        "direction.pdl@example.org",
    )
    db.session.commit()
    link, _ = ClaimLinks(call("PIX-2023")).issue(contact)
    db.session.commit()
    return {"contact": str(contact.id), "claim": LINK.search(link).group(1)}


def _count(app, values) -> dict:
    counts = {}
    for persona in ("anonymous", "project_team", "admin"):
        client = app.test_client()
        if persona != "anonymous":
            assert log_in(client, PERSONAS[persona][0]).status_code == 302
        for who, page in PAGES:
            if who != persona:
                continue
            db.session.remove()
            with count_queries() as statements:
                response = client.get(page.format(**values))
            counts[who, page] = (len(statements), response.status_code)
    return counts


@pytest.fixture(scope="module")
def measured(database_url):
    """Count the statements of every page on a small, then a larger data set."""
    with portal(database_url) as app:
        for email, role in PERSONAS.values():
            make_user(email, role)
        values = _placeholders()
        grow(3)
        small = _count(app, values)
        grow(12)
        large = _count(app, values)
    return {page: (small[page], large[page]) for page in PAGES}


@pytest.mark.parametrize("page", PAGES, ids=[f"{who}:{url}" for who, url in PAGES])
def test_the_page_keeps_to_the_budget(measured, page):
    (small, small_status), (large, large_status) = measured[page]
    assert (small_status, large_status) == (200, 200)
    assert large == small, "the page's statements grow with the data"
    assert large <= BUDGET
