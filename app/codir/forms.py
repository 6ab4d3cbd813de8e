"""CODIR request forms."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.codir.models import CodirFormat, CodirRequest
from app.declarations.forms import LocalDateField, WholeNumberField
from app.directorates.models import portal_today
from app.once import SentOnce
from app.versioning import VersionedForm


def _in_the_future(form, field) -> None:
    if field.data is not None and field.data <= portal_today():
        raise ValidationError(_l("Choose a date in the future."))


class RequestForm(FlaskForm):
    """A directorate's request for a presentation at its management committee."""

    option_1 = LocalDateField(
        _l("Preferred date"),
        [DataRequired(_l("Give at least one date that suits you.")), _in_the_future],
    )
    option_2 = LocalDateField(_l("Second choice (optional)"), [Optional(), _in_the_future])
    option_3 = LocalDateField(_l("Third choice (optional)"), [Optional(), _in_the_future])
    format = SelectField(_l("Format"), validators=[DataRequired(_l("Choose the format."))])
    audience = StringField(
        _l("Expected audience"),
        [DataRequired(_l("Say who will attend.")), Length(max=300)],
        description=_l("For example: director, deputy directors, heads of department (12 people)."),
    )
    place = StringField(
        _l("Place or video link"),
        [Optional(), Length(max=500)],
        description=_l("Address of the meeting, or the link of the video conference."),
    )
    topics = TextAreaField(_l("Topics and comments"), [Optional(), Length(max=5000)])
    submit = SubmitField(_l("Send the request"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.format.choices = [SelectChoice("", _l("Choose"))] + [
            SelectChoice(f.value, f.label) for f in CodirFormat
        ]


class ScheduleForm(VersionedForm):
    """The date, time, place and speaker the CVRH sets."""

    day = LocalDateField(_l("Date"), [DataRequired(_l("Enter the date.")), _in_the_future])
    time = TimeField(_l("Time"), [DataRequired(_l("Enter the time, such as 14:30."))])
    duration = WholeNumberField(
        _l("Duration in minutes"),
        [
            DataRequired(_l("Enter the duration in minutes.")),
            NumberRange(15, 480, _l("Between 15 and 480 minutes.")),
        ],
        default=60,
    )
    place = StringField(
        _l("Place or video link"),
        [DataRequired(_l("Enter the place or the link.")), Length(max=500)],
    )
    speaker = StringField(
        _l("Speaker"), [DataRequired(_l("Enter the name of the speaker.")), Length(max=200)]
    )
    submit = SubmitField(_l("Schedule"))

    @classmethod
    def for_request(cls, request: CodirRequest, **kwargs) -> "ScheduleForm":
        """Return the form filled from the request: its meeting when it has one (rescheduling),
        else the directorate's first preferred date still to come and its place or link."""
        if request.scheduled_at is not None:
            zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
            local = request.scheduled_at.astimezone(zone)
            data = {
                "day": local.date(),
                "time": local.time().replace(second=0, microsecond=0),
                "duration": request.duration_minutes or 60,
                "place": request.scheduled_place,
                "speaker": request.speaker,
            }
        else:
            today = portal_today()
            day = next((d for d in request.options if d > today), None)
            data = {"day": day, "duration": 60, "place": request.place}
        return cls(data=data, **kwargs)

    def values(self) -> dict:
        """Return the fields of the request this form sets."""
        zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
        return {
            "scheduled_at": datetime.combine(self.day.data, self.time.data, tzinfo=zone),
            "duration_minutes": self.duration.data,
            "scheduled_place": self.place.data.strip(),
            "speaker": self.speaker.data.strip(),
        }


class ReasonForm(VersionedForm):
    """Why the request is declined or cancelled."""

    reason = TextAreaField(
        _l("Reason"),
        [DataRequired(_l("Give the reason: it is sent to the other side.")), Length(max=2000)],
    )

    def values(self) -> dict:
        """Return the fields of the request this form sets."""
        return {"reason": self.reason.data.strip()}


class HeldForm(VersionedForm):
    """A note on the presentation once held."""

    outcome = TextAreaField(
        _l("Note (optional)"),
        [Optional(), Length(max=5000)],
        description=_l("Attendance, questions, follow-up."),
    )

    def values(self) -> dict:
        """Return the fields of the request this form sets."""
        return {"outcome": (self.outcome.data or "").strip()}


class MessageForm(SentOnce, FlaskForm):
    """A message on the thread (sent twice by a double click, it posts once)."""

    body = TextAreaField(
        _l("Your message"), [DataRequired(_l("Write your message.")), Length(max=5000)]
    )


class ReassignForm(VersionedForm):
    """Another CVRH for the request."""

    cvrh = SelectField(_l("CVRH"), validators=[DataRequired()])
