"""A declared campaign to follow, and PIX Orga exports built for it (fictitious people)."""

import csv
import io
from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.declarations.models import (
    Campaign,
    Declaration,
    DeclarationStatus,
    PerimeterKind,
)
from app.directorates.models import Call, Directorate
from app.extensions import db
from app.followup.models import CampaignKind, Checkpoint, FollowupPlan
from app.followup.reference import competences
from tests.followup.pixorga_files import pix_csv

CALL = "PIX-2023"
DIRECTORATE = "DREAL-PDL"
BASE = f"/fr/followup/{CALL}/{DIRECTORATE}/1"


def declare_campaign(
    directorate: str = DIRECTORATE, status: DeclarationStatus = DeclarationStatus.SUBMITTED
) -> Declaration:
    """Add a declaration of the directorate to the first call, with one campaign of 10 people."""
    call = db.session.scalar(select(Call).where(Call.code == CALL))
    declaration = Declaration(
        call=call,
        directorate=db.session.scalar(select(Directorate).where(Directorate.code == directorate)),
        status=status,
    )
    declaration.campaigns.append(
        Campaign(
            position=1,
            label="Campagne agents 2026",
            perimeter_kind=PerimeterKind.POPULATION,
            target_population="Agents du siège",
            headcount=10,
            licences=10,
            starts_on=date(2026, 9, 1),
            ends_on=date(2026, 12, 31),
        )
    )
    db.session.add(declaration)
    db.session.commit()
    return declaration


def plan_form(kind: str = "profiles_collection", **fields) -> dict[str, str]:
    """Return the plan form's data: targets as {code: value}, checkpoints as [(name, date)]."""
    targets = fields.pop("targets", {"2.1": 3, "4.1": 2})
    checkpoints = fields.pop(
        "checkpoints", [("Lancement", "2026-09-01"), ("Bilan final", "2026-12-31")]
    )
    data = {
        "aim": "skills_project",
        "kind": kind,
        "population": "Agents du siège",
        "population_size": "10",
        "mastery_target": "",
        "stage_target": "",
        "version": "",
    }
    for index, item in enumerate(competences()):
        data[f"targets-{index}-competence"] = item.code
        data[f"targets-{index}-value"] = str(targets.get(item.code, ""))
    for index, (name, due_on) in enumerate(checkpoints):
        data[f"checkpoints-{index}-name"] = name
        data[f"checkpoints-{index}-due_on"] = due_on
    data.update({key: str(value) for key, value in fields.items()})
    return data


def profiles_export(people, code: str = "PDL26PROF", campaign_id: int = 61001) -> bytes:
    """Return a profiles collection export: people are (last, first, group, sent, {code: level})."""
    header = ["Nom de l'organisation", "ID Campagne", "Code", "Nom de la campagne"]
    header += ["Nom du Participant", "Prénom du Participant", "Groupe", "Envoi (O/N)"]
    header += ["Date et heure de l'envoi (Europe/Paris)", "Nombre de pix total"]
    header += ["Certifiable (O/N)", "Nombre de compétences certifiables"]
    for item in competences():
        header += [
            f"Niveau pour la compétence {item.name_fr}",
            f"Nombre de pix pour la compétence {item.name_fr}",
        ]
    rows = []
    for last, first, group, sent, levels in people:
        row = ["DREAL Pays de la Loire", campaign_id, code, "Profils agents 2026"]
        row += [last, first, group, sent, "02/10/2026 10:00" if sent else None]
        if sent:
            total = sum(levels.values()) * 8
            row += [total, False, 0]
            for item in competences():
                level = levels.get(item.code, 0)
                row += [level, level * 8]
        else:
            row += [None, None, None] + [None] * 32
        rows.append(row)
    return pix_csv(header, rows)


def assessment_export(people, code: str = "PDL26EVAL", campaign_id: int = 62001) -> bytes:
    """Return an assessment export on 2.1 and 4.1 with 4 stages.

    people are (last, first, progression, shared, mastery, stage, {code: share}).
    """
    names = {item.code: item.name_fr for item in competences()}
    header = ["Nom de l'organisation", "ID Campagne", "Code", "Nom de la campagne", "Parcours"]
    header += ["Nom du Participant", "Prénom du Participant", "% de progression"]
    header += ["Date et heure de début (Europe/Paris)", "Partage (O/N)"]
    header += ["Date et heure du partage (Europe/Paris)", "Palier obtenu (/4)"]
    header += ["% maitrise de l'ensemble des acquis du profil"]
    for code in ("2.1", "4.1"):
        header += [
            f"% de maitrise des acquis de la compétence {names[code]}",
            f"Nombre d'acquis du profil cible dans la compétence {names[code]}",
            f"Acquis maitrisés dans la compétence {names[code]}",
        ]
    rows = []
    for last, first, progression, shared, mastery, stage, shares in people:
        row = ["DREAL Pays de la Loire", campaign_id, code, "Évaluation 2026", "Socle agents"]
        row += [last, first, progression, "01/10/2026 09:00", shared]
        row += ["03/10/2026 11:00" if shared else None, stage, mastery]
        for competence in ("2.1", "4.1"):
            value = shares.get(competence) if shared else None
            row += [value, 10 if shared else None, None if value is None else round(value * 10)]
        rows.append(row)
    return pix_csv(header, rows)


# The known data set: targets 2.1 → level 3 and 4.1 → level 2, a population of 10.
LAUNCH = [
    ("Martin", "Léa", "Siège", True, {"2.1": 3, "4.1": 2}),  # every target
    ("Bernard", "Hugo", "Siège", True, {"2.1": 2, "4.1": 3}),  # misses 2.1
    ("Dubois", "Inès", "Unité Nord", False, {}),  # not shared
    ("Thomas", "Jade", "Unité Nord", True, {"2.1": 4, "4.1": 1}),  # misses 4.1
]
FINAL = [
    ("Martin", "Léa", "Siège", True, {"2.1": 3, "4.1": 2}),
    ("Bernard", "Hugo", "Siège", True, {"2.1": 3, "4.1": 3}),
    ("Dubois", "Inès", "Unité Nord", True, {"2.1": 3, "4.1": 2}),
    ("Thomas", "Jade", "Unité Nord", True, {"2.1": 4, "4.1": 1}),
]


def upload(
    client, checkpoint_id: int, data: bytes, name: str = "Resultats.csv", base=BASE, **fields
):
    """Post a file to the import form of a checkpoint and return the response.

    The body is encoded in memory: the test client would spool a large one to a temporary
    file that it never closes.
    """
    upload = FileStorage(io.BytesIO(data), filename=name, content_type="text/csv")
    boundary, body = encode_multipart({**fields, "results": upload})
    return client.post(
        f"{base}/checkpoints/{checkpoint_id}/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def assessment_plan_form(**fields) -> dict[str, str]:
    """Return the plan form of an assessment: 2.1 ≥ 60 %, 4.1 ≥ 50 %, whole ≥ 70 %, stage ≥ 3."""
    fields.setdefault("targets", {"2.1": 60, "4.1": 50})
    fields.setdefault("mastery_target", "70")
    fields.setdefault("stage_target", "3")
    return plan_form("assessment", **fields)


# An assessment at two checkpoints, for the targets of assessment_plan_form; the figures are
# worked out by hand in tests/followup/test_figures.py.
# (last, first, progression, shared, mastery, stage, {code: share})
ASSESS_LAUNCH = [
    ("Martin", "Léa", 1, True, 0.8, 4, {"2.1": 0.9, "4.1": 0.7}),  # every target
    ("Bernard", "Hugo", 1, True, 0.6, 2, {"2.1": 0.6, "4.1": 0.4}),  # 2.1 exactly; 3 missed
    ("Dubois", "Inès", 0.5, False, None, None, {}),  # started, not shared
    ("Thomas", "Jade", 0, False, None, None, {}),  # not started
    ("Petit", "Noé", 1, True, 0.75, 3, {"2.1": 0.55, "4.1": 0.5}),  # 4.1 exactly; misses 2.1
    ("Roux", "Awa", 1, True, 0.7, 3, {"2.1": 0.65}),  # 4.1 is NA; whole profile exactly 70 %
]
ASSESS_FINAL = [
    ("Martin", "Léa", 1, True, 0.8, 4, {"2.1": 0.9, "4.1": 0.7}),
    ("Bernard", "Hugo", 1, True, 0.7, 3, {"2.1": 0.7, "4.1": 0.6}),
    ("Dubois", "Inès", 1, True, 0.72, 3, {"2.1": 0.6, "4.1": 0.5}),
    ("Thomas", "Jade", 0.3, False, None, None, {}),
    ("Petit", "Noé", 1, True, 0.75, 3, {"2.1": 0.55, "4.1": 0.5}),
    ("Roux", "Awa", 1, True, 0.7, 3, {"2.1": 0.65, "4.1": 0.5}),
]


def rewrite(
    data: bytes,
    *,
    drop: tuple[str, ...] = (),
    rename: dict[str, str] | None = None,
    order: Callable[[list[str]], list[str]] | None = None,
    rows_reversed: bool = False,
) -> bytes:
    """Return an export with columns dropped, renamed or put in another order, rows reversed.

    `order` receives the header and returns the names of the columns in their new order.
    """
    header, *rows = csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")
    names = order(header) if order else header
    keep = [header.index(name) for name in names if name not in drop]
    rename = rename or {}
    table = [[rename.get(header[index], header[index]) for index in keep]]
    body = [[row[index] for index in keep] for row in rows]
    table += list(reversed(body)) if rows_reversed else body
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(table)
    return ("\ufeff" + out.getvalue()).encode()


def add_plan(
    declaration: Declaration,
    position: int = 1,
    kind: CampaignKind = CampaignKind.PROFILES_COLLECTION,
    checkpoints: tuple[str, ...] = ("Lancement", "Bilan final"),
) -> FollowupPlan:
    """Add a plan without targets to the declaration's first campaign, straight in the database."""
    plan = FollowupPlan(
        declaration=declaration, position=position, kind=kind, campaign_label="Campagne"
    )
    for position, name in enumerate(checkpoints, start=1):
        plan.checkpoints.append(Checkpoint(position=position, name=name))
    db.session.add(plan)
    db.session.commit()
    return plan
