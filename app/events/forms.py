"""Forms of the webinars: a session, an invitation run, attendance."""

from datetime import date, datetime
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.declarations.forms import LocalDateField, WholeNumberField
from app.events.models import Audience, EventSession
from app.events.timing import local, zone
from app.i18n import localized
from app.versioning import VersionedForm


def _web_address(form, field) -> None:
    value = (field.data or "").strip()
    if not value:
        return
    try:
        parts = urlsplit(value)
    except ValueError:  # such as an unclosed IPv6 address: "https://[::1"
        parts = None
    if parts is None or parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValidationError(
            _l("Give the full address of the video conference, starting with https://.")
        )


# Sessions fall within this century: a date outside it is a typing error, and the calendar's
# first and last days leave no room for the time zone's offset (a server error, not a message).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def _plausible_day(form, field) -> None:
    if field.data is not None and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(_l("Enter a date from 2000 to 2099."))


class SessionForm(VersionedForm):
    """A session of an event, its times entered in the portal's time zone (Paris)."""

    day = LocalDateField(_l("Date"), [DataRequired(_l("Enter the date.")), _plausible_day])
    starts = TimeField(_l("Start time"), [DataRequired(_l("Enter the time, such as 14:00."))])
    ends = TimeField(_l("End time"), [DataRequired(_l("Enter the time, such as 16:00."))])
    audience = SelectField(
        _l("Audience"), validators=[DataRequired(_l("Choose who the session is for."))]
    )
    capacity = WholeNumberField(
        _l("Seats"),
        [
            InputRequired(_l("Enter the number of seats.")),
            NumberRange(1, 5000, _l("Between 1 and 5,000 seats.")),
        ],
    )
    link = StringField(
        _l("Video conference link"),
        [Optional(), Length(max=500), _web_address],
        description=_l("Sent to the people registered; leave empty for a session on site."),
    )
    place = StringField(
        _l("Place"),
        [Optional(), Length(max=300)],
        description=_l("Address of the room, for a session on site."),
    )
    registration_closes_on = LocalDateField(
        _l("Registrations close on (optional)"),
        [Optional(), _plausible_day],
        description=_l(
            "At the end of that day, Paris time; without a date, when the session starts."
        ),
    )
    submit = SubmitField(_l("Save the session"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.audience.choices = [SelectChoice("", _l("Choose"))] + [
            SelectChoice(a.value, a.label) for a in Audience
        ]

    @classmethod
    def for_session(cls, session: EventSession, **kwargs) -> "SessionForm":
        """Return the form filled from a session, its times in Paris time."""
        start, end = local(session.starts_at), local(session.ends_at)
        data = {
            "day": start.date(),
            "starts": start.time().replace(second=0, microsecond=0),
            "ends": end.time().replace(second=0, microsecond=0),
            "audience": session.audience.value,
            "capacity": session.capacity,
            "link": session.link,
            "place": session.place,
            "registration_closes_on": session.registration_closes_on,
            "version": str(session.version),
        }
        return cls(data=data, **kwargs)

    def validate(self, extra_validators=None) -> bool:
        """Check each field, then that the session ends after it starts, has a link or a place,
        and that registrations close by its day."""
        valid = super().validate(extra_validators)
        if self.starts.data and self.ends.data and self.ends.data <= self.starts.data:
            self.ends.errors.append(_l("The session ends after it starts."))
            valid = False
        if not (self.link.data or "").strip() and not (self.place.data or "").strip():
            self.link.errors.append(_l("Give the video conference link or the place."))
            valid = False
        closes, day = self.registration_closes_on.data, self.day.data
        if closes and day and closes > day:
            self.registration_closes_on.errors.append(
                _l("Registrations close by the day of the session.")
            )
            valid = False
        return valid

    def values(self) -> dict:
        """Return the fields of the session this form sets, times in UTC."""
        tz = zone()
        return {
            "starts_at": datetime.combine(self.day.data, self.starts.data, tzinfo=tz),
            "ends_at": datetime.combine(self.day.data, self.ends.data, tzinfo=tz),
            "audience": Audience(self.audience.data),
            "capacity": self.capacity.data,
            "link": (self.link.data or "").strip(),
            "place": (self.place.data or "").strip(),
            "registration_closes_on": self.registration_closes_on.data,
        }


class InviteForm(FlaskForm):
    """Whom to invite: the people of a call's declarations, or of one directorate's."""

    call = SelectField(
        _l("Call for declarations"), validators=[DataRequired(_l("Choose the call."))]
    )
    directorate = SelectField(_l("Directorate"), validators=[Optional()])
    submit = SubmitField(_l("Send the invitations"))

    def __init__(self, calls, directorates, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.call.choices = [SelectChoice(c.code, localized(c, "title")) for c in calls]
        self.directorate.choices = [SelectChoice("", _l("Every directorate"))] + [
            SelectChoice(d.code, f"{d.code} – {localized(d, 'name')}") for d in directorates
        ]


class AttendanceForm(VersionedForm):
    """The people ticked as present (checkboxes named `present`, read by the route)."""

    submit = SubmitField(_l("Save the attendance"))


class SessionDeleteForm(VersionedForm):
    """The confirmation that a session to come is deleted, and its people told."""

    confirm = BooleanField(
        _l("I confirm: delete this session and tell the people registered or waiting"),
        [DataRequired(_l("Tick the box to confirm the deletion."))],
    )
    submit = SubmitField(_l("Delete the session"))


class AttendanceImportForm(FlaskForm):
    """The attendance list exported by the video-conference tool."""

    file = FileField(
        _l("Attendance list (CSV)"),
        [DataRequired(_l("Choose the file exported by the video-conference tool."))],
    )
    submit = SubmitField(_l("Import the list"))
