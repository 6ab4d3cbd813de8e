"""Demo data: one account per role and persona, fictitious people at example.org."""

from sqlalchemy import select

from app.auth import services as accounts
from app.auth.models import Role
from app.directorates.models import Cvrh, Directorate
from app.extensions import db

DEMO_PASSWORD = "demo-pix-2023"  # noqa: S105 - demo accounts only, printed by `make run`

DEMO_USERS = [
    {"email": "admin@example.org", "full_name": "Alice Martin", "role": Role.ADMIN},
    {"email": "equipe-projet@example.org", "full_name": "Bruno Petit", "role": Role.PROJECT_TEAM},
    {
        "email": "dreal-pdl@example.org",
        "full_name": "Chloé Bernard",
        "role": Role.DIRECTORATE,
        "directorate": "DREAL-PDL",
    },
    {
        "email": "dreal-bre@example.org",
        "full_name": "David Moreau",
        "role": Role.DIRECTORATE,
        "directorate": "DREAL-BRE",
    },
    {
        "email": "dir-o@example.org",
        "full_name": "Gaspard Roux",
        "role": Role.DIRECTORATE,
        "directorate": "DIR-O",
    },
    {
        "email": "dreal-ara@example.org",
        "full_name": "Inès Vidal",
        "role": Role.DIRECTORATE,
        "directorate": "DREAL-ARA",
    },
    {
        "email": "dgec@example.org",
        "full_name": "Hannah Clarke",
        "role": Role.DIRECTORATE,
        "directorate": "DGEC",
        "language": "en",
    },
    {
        # Named PIX Orga administrator in DREAL Bretagne's accepted declaration, invited.
        "email": "nadia.fabre@example.org",
        "full_name": "Nadia Fabre",
        "role": Role.PIXORGA_ADMIN,
        "directorate": "DREAL-BRE",
    },
    {
        "email": "cvrh-nantes@example.org",
        "full_name": "Emma Laurent",
        "role": Role.CVRH,
        "cvrh": "CVRH-NANTES",
    },
    {
        "email": "cvrh-paris@example.org",
        "full_name": "Farid Garnier",
        "role": Role.CVRH,
        "cvrh": "CVRH-PARIS",
    },
    {
        # Invited by e-mail (in the outbox), never logged in: no password.
        "email": "julien.mercier@example.org",
        "full_name": "Julien Mercier",
        "role": Role.CVRH,
        "cvrh": "CVRH-PARIS",
        "invited": True,
    },
]


def load_demo() -> int:
    """Create the demo accounts that do not exist yet (inviting those without a password);
    return how many were created."""
    created = 0
    for person in DEMO_USERS:
        if accounts.find_user_by_email(person["email"]) is not None:
            continue
        directorate = cvrh = None
        if "directorate" in person:
            directorate = db.session.scalar(
                select(Directorate).where(Directorate.code == person["directorate"])
            )
        if "cvrh" in person:
            cvrh = db.session.scalar(select(Cvrh).where(Cvrh.code == person["cvrh"]))
        accounts.create_user(
            person["email"],
            person["role"],
            full_name=person["full_name"],
            language=person.get("language", "fr"),
            directorate=directorate,
            cvrh=cvrh,
            password=None if person.get("invited") else DEMO_PASSWORD,
        )
        created += 1
    return created
