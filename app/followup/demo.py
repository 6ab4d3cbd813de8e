"""Demo follow-ups: several directorates' campaigns over their checkpoints, fictitious people.

The results are written as PIX Orga exports (CSV) and imported the way a user would, so the
demo goes through the same reader and figures as real files.
"""

import csv
import io
import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from app.auth.models import Role, User
from app.declarations.models import Declaration
from app.directorates.models import Call, Directorate
from app.extensions import db
from app.followup import imports, policies, services
from app.followup.models import Aim, CampaignKind, FollowupPlan
from app.followup.reference import competences

DEMO_FOLLOWUP = ("PIX-2023", "DREAL-BRE", 1)


@dataclass(frozen=True)
class DemoCampaign:
    """A demo follow-up: which campaign, its targets, its PIX Orga campaign, its results."""

    call: str
    directorate: str
    position: int
    targets: dict[str, int]
    organisation: str
    pixorga_id: str
    pixorga_code: str
    pixorga_name: str
    seed: int
    checkpoints: int  # how many checkpoints get results
    people: int | None = None  # participants (default: the declared headcount less 8)


# Several directorates, so that the project team's and CVRHs' aggregates have something to
# group: DREAL Bretagne and DIR Ouest (CVRH Nantes) with results, DREAL Auvergne-Rhône-Alpes
# with results for one campaign and a plan without results for the other, and a DGEC pilot
# of four people (three joined by its only checkpoint), which the aggregates hide.
DEMO_CAMPAIGNS = (
    DemoCampaign(*DEMO_FOLLOWUP, {"2.1": 2, "3.1": 2, "4.1": 3}, "DREAL Bretagne (démonstration)",
                 "70123", "DEMOBRE23", "Profils agents 2023", 2023, 3),
    DemoCampaign("PIX-2023", "DIR-O", 1, {"1.1": 2, "2.1": 2, "4.1": 2},
                 "DIR Ouest (démonstration)", "70231", "DEMODIRO23", "Profils DIR Ouest 2023",
                 2024, 2),
    DemoCampaign("PIX-2023", "DREAL-ARA", 1, {"3.1": 3, "3.2": 2, "4.2": 2},
                 "DREAL ARA (démonstration)", "70342", "DEMOARA23", "Profils DREAL ARA 2023",
                 2025, 1),
    DemoCampaign("PIX-2023", "DREAL-ARA", 2, {"2.3": 2}, "DREAL ARA (démonstration)",
                 "70343", "DEMOARA23B", "Encadrants DREAL ARA 2023", 2026, 0),
    DemoCampaign("PIX-2023", "DGEC", 2, {"5.2": 2}, "DGEC (démonstration)", "70454",
                 "DEMODGEC23", "Pilote DGEC 2023", 2027, 1, people=4),
)  # fmt: skip
LAST_NAMES = [
    "Arnaud",
    "Barbier",
    "Blanc",
    "Bonnet",
    "Brun",
    "Caron",
    "Chevalier",
    "Clement",
    "Colin",
    "Denis",
    "Dufour",
    "Dumont",
    "Fontaine",
    "Fournier",
    "Gauthier",
    "Girard",
    "Guerin",
    "Henry",
    "Jacob",
    "Lacroix",
    "Leclerc",
    "Lemaire",
    "Marchand",
    "Mercier",
    "Meyer",
    "Morel",
    "Muller",
    "Noel",
    "Perrin",
    "Picard",
    "Renard",
    "Riviere",
    "Robin",
    "Roussel",
    "Schmitt",
]
FIRST_NAMES = [
    "Adèle",
    "Basile",
    "Camille",
    "Dorian",
    "Elsa",
    "Félix",
    "Gaëlle",
    "Hector",
    "Iris",
    "Jules",
    "Katia",
    "Louis",
    "Maëlle",
    "Noé",
    "Océane",
    "Pablo",
    "Rose",
    "Sacha",
    "Thaïs",
    "Ugo",
    "Valentine",
    "Yanis",
    "Zélie",
    "Armand",
]
GROUPS = ("Siège", "Unité départementale Nord", "Unité départementale Sud")


def _people(count: int, rng: random.Random) -> list[dict]:
    """Return fictitious agents with a starting level per competence and a pace."""
    names = [(last, first) for last in LAST_NAMES for first in FIRST_NAMES]
    rng.shuffle(names)
    return [
        {
            "last": last,
            "first": first,
            "group": GROUPS[index % len(GROUPS)],
            "joins": rng.choice((0, 0, 0, 1, 1, 2, 3)),  # checkpoint at which they join
            "sends": rng.choice((0, 1, 1, 2, 2, 3)),  # checkpoints after joining to send
            "levels": {item.code: rng.choice((0, 1, 1, 1, 2, 2, 3)) for item in competences()},
            "pace": rng.choice((0, 1, 1, 2)),
        }
        for index, (last, first) in enumerate(names[:count])
    ]


def demo_export(
    people: list[dict], checkpoint: int, sent_on: str, campaign: DemoCampaign = DEMO_CAMPAIGNS[0]
) -> bytes:
    """Return the profiles collection export of a demo campaign at a checkpoint (0, 1, 2)."""
    header = ["Nom de l'organisation", "ID Campagne", "Code", "Nom de la campagne"]
    header += ["Nom du Participant", "Prénom du Participant", "Groupe", "Envoi (O/N)"]
    header += ["Date et heure de l'envoi (Europe/Paris)", "Nombre de pix total"]
    header += ["Certifiable (O/N)", "Nombre de compétences certifiables"]
    for item in competences():
        header += [
            f"Niveau pour la compétence {item.name_fr}",
            f"Nombre de pix pour la compétence {item.name_fr}",
        ]
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(header)
    for person in people:
        if person["joins"] > checkpoint:
            continue
        row = [campaign.organisation, campaign.pixorga_id, campaign.pixorga_code]
        row.append(campaign.pixorga_name)
        row += [person["last"], person["first"], person["group"]]
        sent = checkpoint - person["joins"] >= person["sends"]
        if not sent:
            writer.writerow(row + ["Non"] + ["NA"] * 36)
            continue
        grown = min(checkpoint - person["joins"] - person["sends"] + 1, 2) * person["pace"]
        levels = {code: min(level + grown, 6) for code, level in person["levels"].items()}
        certifiable = sum(1 for level in levels.values() if level >= 1)
        row += ["Oui", sent_on, str(sum(levels.values()) * 8)]
        row += ["Oui" if certifiable >= 5 else "Non", str(certifiable)]
        for item in competences():
            row += [str(levels[item.code]), str(levels[item.code] * 8)]
        writer.writerow(row)
    return ("\ufeff" + stream.getvalue()).encode()


def load_demo_followup() -> int:
    """Create the demo follow-ups that do not exist yet; return how many were created."""
    return sum(_load(campaign) for campaign in DEMO_CAMPAIGNS)


def _load(demo: DemoCampaign) -> int:
    directorate = db.session.scalar(select(Directorate).where(Directorate.code == demo.directorate))
    call = db.session.scalar(select(Call).where(Call.code == demo.call))
    declaration = db.session.scalar(
        select(Declaration).where(
            Declaration.call_id == call.id,
            Declaration.directorate_id == directorate.id,
            Declaration.status.in_(policies.FOLLOWED_STATUSES),
        )
    )
    author = db.session.scalar(
        select(User).where(User.directorate_id == directorate.id, User.role == Role.DIRECTORATE)
    )
    if declaration is None or author is None:
        return 0
    exists = select(FollowupPlan.id).where(
        FollowupPlan.declaration_id == declaration.id, FollowupPlan.position == demo.position
    )
    if db.session.scalar(exists):
        return 0
    context = services.find_context(demo.call, directorate, demo.position)
    values = services.default_plan(context)
    values.update(
        aim=Aim.SKILLS_PROJECT, kind=CampaignKind.PROFILES_COLLECTION, targets=demo.targets
    )
    services.save_plan(author, context, values, None)
    context = services.find_context(demo.call, directorate, demo.position)
    rng = random.Random(demo.seed)  # noqa: S311 - fictitious demo data, reproducible
    people = _people(demo.people or context.campaign.headcount - 8, rng)
    start = context.campaign.starts_on
    for index, checkpoint in enumerate(context.plan.checkpoints[: demo.checkpoints]):
        day = (checkpoint.due_on or start + timedelta(weeks=6 * index)).strftime("%d/%m/%Y")
        data = demo_export(people, index, f"{day} 17:00", demo)
        name = f"Resultats-{demo.pixorga_name}-{demo.pixorga_id}-{checkpoint.due_on}-1700.csv"
        imports.import_results(author, context, checkpoint, data, name)
    return 1
