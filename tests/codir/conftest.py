"""Fixtures for CODIR requests."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import log_in


def request_form(**overrides) -> dict:
    """Return the fields of a valid request."""
    soon = date.today() + timedelta(days=20)
    data = {
        "option_1": soon.isoformat(),
        "option_2": (soon + timedelta(days=7)).isoformat(),
        "format": "on_site",
        "audience": "Comité de direction (12 personnes)",
        "place": "Salle du conseil",
        "topics": "Présentation de PIX et des campagnes",
    }
    data.update(overrides)
    return data


def schedule_form(days: int = 25, **overrides) -> dict:
    """Return the fields that schedule a presentation."""
    # Days are Paris's: just before midnight UTC it is already tomorrow there.
    day = datetime.now(ZoneInfo("Europe/Paris")).date() + timedelta(days=days)
    data = {
        "schedule-day": day.isoformat(),
        "schedule-time": "14:30",
        "schedule-duration": "45",
        "schedule-place": "Salle du conseil, 2e étage",
        "schedule-speaker": "Emma Laurent",
    }
    data.update(overrides)
    return data


@pytest.fixture
def codir_request(app, directorate_user, cvrh_user):
    """A request from DREAL Pays de la Loire to CVRH Nantes, made through the web."""
    from sqlalchemy import select

    from app.codir.models import CodirRequest
    from app.extensions import db

    client = app.test_client()
    log_in(client, directorate_user)
    response = client.post("/fr/codir/new", data=request_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(CodirRequest))
