"""Demo CODIR requests in every state, with messages (fictitious people)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from app.auth.models import User
from app.codir.models import CodirEvent, CodirFormat, CodirMessage, CodirRequest, CodirStatus
from app.directorates.models import Directorate, portal_today
from app.extensions import db

# directorate, status, messages (author e-mail, text)
SCENARIOS = [
    (
        "DREAL-PDL",
        CodirStatus.REQUESTED,
        [
            (
                "dreal-pdl@example.org",
                "Notre CODIR se réunit le mardi matin ; "
                "une présentation de 30 minutes serait idéale.",
            ),
        ],
    ),
    (
        "DIR-O",
        CodirStatus.SCHEDULED,
        [
            (
                "cvrh-nantes@example.org",
                "Je vous propose le premier créneau ; la présentation durera 45 minutes.",
            ),
        ],
    ),
    ("DREAL-BRE", CodirStatus.HELD, [("dreal-bre@example.org", "Merci pour la présentation !")]),
    ("DGEC", CodirStatus.DECLINED, []),
    ("DIRM-NAMO", CodirStatus.CANCELLED, []),
]


def load_demo_requests() -> int:
    """Create the demo requests of directorates that have none yet; return how many."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    today = portal_today()
    users = {u.email: u for u in db.session.scalars(select(User))}
    created = 0
    for code, status, messages in SCENARIOS:
        directorate = db.session.scalar(select(Directorate).where(Directorate.code == code))
        if db.session.scalar(
            select(CodirRequest.id).where(CodirRequest.directorate_id == directorate.id)
        ):
            continue
        request = CodirRequest(
            directorate=directorate,
            cvrh=directorate.cvrh,
            status=status,
            format=CodirFormat.ON_SITE if status is not CodirStatus.DECLINED else CodirFormat.VIDEO,
            option_1=today + timedelta(days=21),
            option_2=today + timedelta(days=28),
            audience="Directeur, adjoints et chefs de service (12 personnes)",
            place="Salle du comité de direction",
            topics="Enjeux de PIX et organisation des campagnes",
        )
        if status in (CodirStatus.SCHEDULED, CodirStatus.HELD):
            day = (
                today + timedelta(days=21)
                if status is CodirStatus.SCHEDULED
                else today - timedelta(days=10)
            )
            request.scheduled_at = datetime.combine(day, time(10, 0), tzinfo=zone)
            request.duration_minutes = 45
            request.scheduled_place = "Salle du comité de direction"
            request.speaker = "Emma Laurent"
            request.sequence = 1
        if status is CodirStatus.HELD:
            request.outcome = "14 participants ; deux campagnes décidées en séance."
        if status is CodirStatus.DECLINED:
            request.reason = (
                "Aucun intervenant disponible aux dates proposées ; nouvelle demande bienvenue."
            )
        if status is CodirStatus.CANCELLED:
            request.reason = "CODIR annulé ; nous reviendrons vers vous."
        db.session.add(request)
        db.session.add(CodirEvent(request=request, action="requested", details={}))
        if status is not CodirStatus.REQUESTED:
            move = {
                "scheduled": "schedule",
                "held": "hold",
                "declined": "decline",
                "cancelled": "cancel",
            }
            db.session.add(
                CodirEvent(
                    request=request,
                    action=move[status.value],
                    details={"status": ["requested", status.value]},
                )
            )
        for email, text in messages:
            author = users.get(email)
            db.session.add(
                CodirMessage(request=request, author_id=author.id if author else None, body=text)
            )
        created += 1
    db.session.commit()
    return created
