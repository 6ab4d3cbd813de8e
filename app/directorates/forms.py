"""Forms of the directorates' reference data edited outside the administration."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from app.auth.forms import LANGUAGE_CHOICES
from app.versioning import VersionedForm


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


def _text(value: str | None) -> str:
    """Return the text trimmed; a field left out of the post is an empty text, not None."""
    return value.strip() if value else ""


class ContactForm(VersionedForm):
    """Add or change a contact mailbox of a directorate."""

    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter the e-mail address.")),
            Email(
                _l("Enter a valid e-mail address, such as name@example.org."),
                check_deliverability=False,
            ),
            Length(max=254),
        ],
        filters=[_strip],
    )
    label = StringField(
        _l("What this mailbox is (optional)"), validators=[Length(max=80)], filters=[_text]
    )
    language = SelectField(_l("Language of e-mails"), choices=LANGUAGE_CHOICES)
    active = BooleanField(_l("Active: the portal writes to this mailbox"), default=True)
    submit = SubmitField(_l("Save"))
