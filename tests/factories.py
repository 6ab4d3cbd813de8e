"""Data sets built in the database for the tests: a known follow-up of a call."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.codir.models import CodirFormat, CodirRequest, CodirStatus
from app.declarations.models import (
    Administrator,
    Ambassador,
    Campaign,
    Declaration,
    DeclarationStatus,
    PerimeterKind,
)
from app.directorates.models import Call, Directorate, LearningPath
from app.extensions import db

SUBMITTED_AT = datetime(2026, 4, 20, 8, 30, tzinfo=UTC)  # 10:30 in Paris


@dataclass
class Known:
    """What the known data set holds, for the assertions."""

    call: Call
    declarations: dict[str, Declaration]


def learning_path(code: str) -> LearningPath:
    """Return a seeded learning path by code (the examples of reference.toml)."""
    return db.session.scalar(select(LearningPath).where(LearningPath.code == code))


def _directorate(code: str) -> Directorate:
    return db.session.scalar(select(Directorate).where(Directorate.code == code))


def declare(call: Call, code: str, status: DeclarationStatus, campaigns, people, **fields):
    """Add a declaration with campaigns (label, licences) and ambassadors (last name, e-mail)."""
    declaration = Declaration(
        call=call,
        directorate=_directorate(code),
        status=status,
        submitted_at=SUBMITTED_AT if status is not DeclarationStatus.DRAFT else None,
        **fields,
    )
    for position, (label, licences) in enumerate(campaigns, start=1):
        declaration.campaigns.append(
            Campaign(
                position=position,
                label=label,
                perimeter_kind=PerimeterKind.UNIT,
                perimeter_description="Siège et unités territoriales",
                target_population="Tous les agents",
                headcount=licences + 10,
                licences=licences,
                starts_on=date(2026, 9, 1),
                ends_on=date(2026, 12, 15),
            )
        )
    for position, (last_name, email) in enumerate(people, start=1):
        declaration.ambassadors.append(
            Ambassador(position=position, last_name=last_name, first_name="Zoé", email=email)
        )
    declaration.administrators.append(
        Administrator(
            position=1,
            last_name="Lévêque",
            first_name="Jean-Noël",
            email=f"admin.{code.lower()}@example.org",
            function="Chargée de formation",
            hr_confirmed=True,
        )
    )
    db.session.add(declaration)
    return declaration


def build_known() -> Known:
    """PIX-2023 with DREAL-PDL submitted, DREAL-ARA in draft, DGPR accepted; a CODIR request."""
    call = db.session.scalar(select(Call).where(Call.code == "PIX-2023"))
    call.deadline = date.today() + timedelta(days=30)
    declarations = {
        "DREAL-PDL": declare(
            call,
            "DREAL-PDL",
            DeclarationStatus.SUBMITTED,
            [("Services centraux", 100), ('=HYPERLINK("http://evil.example")', 40)],
            [("N'Diaye", "anne.ndiaye@example.org"), ("Lefèvre", "eric.lefevre@example.org")],
            wants_codir=True,
            comments="+33 1 23 45 67 89 ; @SUM(A1) ; bell\x07 gone",
        ),
        "DREAL-ARA": declare(
            call,
            "DREAL-ARA",
            DeclarationStatus.DRAFT,
            [("Encadrement", 5)],
            [("-Martin", "martin@example.org")],
        ),
        "DGPR": declare(
            call,
            "DGPR",
            DeclarationStatus.ACCEPTED,
            [("Risques", 60), ("Support", 20), ("Inspection", 15)],
            [("Œuvre", "oeuvre@example.org")],
            wants_codir=False,
            comments="\tTab first",
        ),
    }
    # Learning paths chosen (given in another order than the list's) and a note.
    services = declarations["DREAL-PDL"].campaigns[0]
    services.paths = [learning_path("EX-DONNEES"), learning_path("EX-SECURITE")]
    services.learning_paths_note = "Accompagnement à la messagerie"
    declarations["DGPR"].campaigns[1].paths = [learning_path("EX-ENCADREMENT")]
    dgpr = _directorate("DGPR")
    db.session.add(
        CodirRequest(
            directorate=dgpr,
            cvrh=dgpr.cvrh,
            status=CodirStatus.SCHEDULED,
            format=CodirFormat.VIDEO,
            option_1=date(2026, 5, 4),
            audience="Comité de direction",
            scheduled_at=datetime(2026, 5, 4, 12, 0, tzinfo=UTC),
            duration_minutes=45,
            scheduled_place="https://visio.example.org/codir",
            speaker="Emma Laurent",
        )
    )
    db.session.commit()
    return Known(call, declarations)
