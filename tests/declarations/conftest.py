"""Fixtures for declarations: an open call and a complete declaration's form data."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.directorates.models import Call
from app.extensions import db


@pytest.fixture
def call(app):
    """The 2023 call, with its deadline moved 30 days ahead so that it is open."""
    call = db.session.scalar(select(Call).where(Call.code == "PIX-2023"))
    call.deadline = date.today() + timedelta(days=30)
    db.session.commit()
    return call


EDIT_URL = "/{lang}/declarations/PIX-2023/DREAL-PDL/edit"
VIEW_URL = "/{lang}/declarations/PIX-2023/DREAL-PDL"


def complete_form(**overrides) -> dict:
    """Return the form fields of a complete declaration (two campaigns, two ambassadors)."""
    data = {
        "version": "",
        "campaigns-0-label": "Services centraux",
        "campaigns-0-perimeter_kind": "unit",
        "campaigns-0-perimeter_description": "Secrétariat général et services supports",
        "campaigns-0-target_population": "Assistants",
        "campaigns-0-headcount": "120",
        "campaigns-0-licences": "100",
        "campaigns-0-starts_on": "2026-09-01",
        "campaigns-0-ends_on": "2026-12-15",
        "campaigns-1-label": "Encadrement",
        "campaigns-1-perimeter_kind": "population",
        "campaigns-1-perimeter_description": "Tous les cadres",
        "campaigns-1-target_population": "Managers",
        "campaigns-1-headcount": "40",
        "campaigns-1-licences": "40",
        "campaigns-1-starts_on": "2026-10-01",
        "campaigns-1-ends_on": "2026-11-30",
        "ambassadors-0-last_name": "N'Diaye",
        "ambassadors-0-first_name": "Anne-Sophie",
        "ambassadors-0-email": "anne-sophie.ndiaye@example.org",
        "ambassadors-1-last_name": "Lefèvre",
        "ambassadors-1-first_name": "Éric",
        "ambassadors-1-email": "eric.lefevre@example.org",
        "administrators-0-last_name": "Dupont",
        "administrators-0-first_name": "Hélène",
        "administrators-0-email": "helene.dupont@example.org",
        "administrators-0-function": "Responsable formation",
        "administrators-0-hr_confirmed": "y",
        "wants_codir": "y",
        "comments": "Déploiement en deux vagues.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
