"""Demo follow-up: one directorate's campaign over three checkpoints, fictitious people.

The results are written as PIX Orga exports (CSV) and imported the way a user would, so the
demo goes through the same reader and figures as real files.
"""

import csv
import io
import random
from datetime import timedelta

from sqlalchemy import select

from app.auth.models import Role, User
from app.declarations.models import Declaration, DeclarationStatus
from app.directorates.models import Call, Directorate
from app.extensions import db
from app.followup import imports, services
from app.followup.models import Aim, CampaignKind, FollowupPlan
from app.followup.reference import competences

DEMO_FOLLOWUP = ("PIX-2023", "DREAL-BRE", 1)
TARGETS = {"2.1": 2, "3.1": 2, "4.1": 3}
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


def demo_export(people: list[dict], checkpoint: int, sent_on: str) -> bytes:
    """Return the profiles collection export of the demo campaign at a checkpoint (0, 1, 2)."""
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
        row = ["DREAL Bretagne (démonstration)", "70123", "DEMOBRE23", "Profils agents 2023"]
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
    """Create the demo follow-up if it does not exist yet; return 1 if it was created."""
    call_code, directorate_code, position = DEMO_FOLLOWUP
    directorate = db.session.scalar(select(Directorate).where(Directorate.code == directorate_code))
    call = db.session.scalar(select(Call).where(Call.code == call_code))
    declaration = db.session.scalar(
        select(Declaration).where(
            Declaration.call_id == call.id,
            Declaration.directorate_id == directorate.id,
            Declaration.status == DeclarationStatus.ACCEPTED,
        )
    )
    if declaration is None or db.session.scalar(
        select(FollowupPlan.id).where(FollowupPlan.declaration_id == declaration.id)
    ):
        return 0
    author = db.session.scalar(
        select(User).where(User.directorate_id == directorate.id, User.role == Role.DIRECTORATE)
    )
    context = services.find_context(call_code, directorate, position)
    values = services.default_plan(context)
    values.update(aim=Aim.SKILLS_PROJECT, kind=CampaignKind.PROFILES_COLLECTION, targets=TARGETS)
    services.save_plan(author, context, values, None)
    context = services.find_context(call_code, directorate, position)
    rng = random.Random(2023)  # noqa: S311 - fictitious demo data, reproducible
    people = _people(context.campaign.headcount - 8, rng)
    start = context.campaign.starts_on
    for index, checkpoint in enumerate(context.plan.checkpoints):
        day = (checkpoint.due_on or start + timedelta(weeks=6 * index)).strftime("%d/%m/%Y")
        data = demo_export(people, index, f"{day} 17:00")
        file_name = f"Resultats-Profils agents 2023-70123-{checkpoint.due_on}-1700.csv"
        imports.import_results(author, context, checkpoint, data, file_name)
    return 1
