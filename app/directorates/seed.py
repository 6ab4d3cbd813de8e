"""Load the reference data file into the database, idempotently."""

import tomllib
from pathlib import Path

from sqlalchemy import select

from app.directorates.models import (
    Call,
    CampaignKind,
    Cvrh,
    Directorate,
    DirectorateType,
    LearningPath,
)
from app.extensions import db

REFERENCE_FILE = Path(__file__).with_name("reference.toml")


def load_reference_data(path: Path = REFERENCE_FILE) -> dict[str, int]:
    """Create the CVRHs, directorates, calls and learning paths of the file not there yet.

    Records are matched by code; existing ones are left untouched so that an
    administrator's edits survive. Return how many records of each kind were created.
    """
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    created = {"cvrh": 0, "directorate": 0, "call": 0, "learning_path": 0}
    cvrhs = {c.code: c for c in db.session.scalars(select(Cvrh))}
    for row in data.get("cvrh", []):
        if row["code"] not in cvrhs:
            cvrhs[row["code"]] = Cvrh(**row)
            db.session.add(cvrhs[row["code"]])
            created["cvrh"] += 1
    existing = set(db.session.scalars(select(Directorate.code)))
    for row in data.get("directorate", []):
        if row["code"] not in existing:
            values = dict(row)
            values["type"] = DirectorateType(values["type"])
            values["cvrh"] = cvrhs[values["cvrh"]]
            db.session.add(Directorate(**values))
            created["directorate"] += 1
    calls = set(db.session.scalars(select(Call.code)))
    for row in data.get("call", []):
        if row["code"] not in calls:
            db.session.add(Call(**row))
            created["call"] += 1
    paths = set(db.session.scalars(select(LearningPath.code)))
    for row in data.get("learning_path", []):
        if row["code"] not in paths:
            values = {**row, "campaign_kind": CampaignKind(row["campaign_kind"])}
            db.session.add(LearningPath(**values))
            created["learning_path"] += 1
    db.session.commit()
    return created
