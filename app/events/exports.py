"""The webinar sheet of the consolidated export: each person a declaration names, by role, with
where they stand (trained or still to train) and the session attended or booked."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from app.declarations.workbook import CODE, EMAIL, FIRST_NAME, LAST_NAME, LINE, Column, Sheet
from app.directorates.models import Call
from app.events import training
from app.events.timing import zone

TRAINING = Sheet("webinar_training", "Formation webinaires", "Webinar training", (
    CODE, LINE,
    Column("role", "Rôle", "Role"),
    LAST_NAME, FIRST_NAME, EMAIL,
    Column("training", "Formation", "Training"),
    Column("trained", "Formé", "Trained"),
    Column("session_at", "Session (heure de Paris)", "Session (Paris time)"),
    Column("event", "Webinaire", "Webinar"),
))  # fmt: skip


def _local(moment: datetime | None) -> datetime | None:
    """Return a UTC time as Paris time without zone (spreadsheets have none)."""
    return moment.astimezone(zone()).replace(tzinfo=None, microsecond=0) if moment else None


def rows(call: Call, ids: set[int] | None, language: str) -> Iterator[list[Any]]:
    """Return the rows of the sheet: one per directorate and person named (fixed queries)."""
    lines = training.lines_of(call.id, ids)
    titles = training.event_titles({line.event_id for line in lines if line.event_id}, language)
    with force_locale(language):
        roles = {role: role.label for role in training.PersonRole}
        states = {state: state.label for state in training.TrainingState}
        yes_no = {True: _("Yes"), False: _("No")}
    code, number = None, 0
    for line in lines:
        number = number + 1 if line.code == code else 1
        code = line.code
        yield [
            line.code,
            number,
            roles[line.role],
            line.last_name,
            line.first_name,
            line.email,
            states[line.state],
            yes_no[line.trained],
            _local(line.session.starts_at) if line.session else None,
            titles.get(line.event_id, "") if line.event_id else "",
        ]
