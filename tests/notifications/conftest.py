"""Fixtures for notifications: an open call."""

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
