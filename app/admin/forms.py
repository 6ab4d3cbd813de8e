"""Administration forms."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app.auth.forms import LANGUAGE_CHOICES
from app.declarations.forms import WholeNumberField
from app.directorates.models import CampaignKind, DirectorateType
from app.followup import reference
from app.i18n import localized
from app.versioning import VersionedForm

CODE_RULE = Regexp(
    r"^[A-Z0-9][A-Z0-9-]*$",
    message=_l("Use capital letters, digits and hyphens only, such as DREAL-ARA."),
)


class UserForm(VersionedForm):
    """Create (invite) or edit an account."""

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
    )
    full_name = StringField(_l("Full name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), validators=[DataRequired(_l("Choose a role."))])
    directorate = SelectField(
        _l("Directorate (for a directorate correspondent or a PIX Orga administrator)"),
        validators=[Optional()],
    )
    cvrh = SelectField(_l("CVRH (for CVRH staff)"), validators=[Optional()])
    language = SelectField(_l("Language of e-mails"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Save"))


class DirectorateForm(VersionedForm):
    """Create or edit a directorate."""

    code = StringField(
        _l("Code"), validators=[DataRequired(_l("Enter the code.")), Length(max=32), CODE_RULE]
    )
    name_fr = StringField(
        _l("Name in French"),
        validators=[DataRequired(_l("Enter the French name.")), Length(max=200)],
    )
    name_en = StringField(
        _l("Name in English"),
        validators=[DataRequired(_l("Enter the English name.")), Length(max=200)],
    )
    type = SelectField(_l("Type"))
    region = StringField(
        _l("Region"), validators=[DataRequired(_l("Enter the region.")), Length(max=80)]
    )
    cvrh = SelectField(_l("CVRH"), validators=[DataRequired(_l("Choose the CVRH."))])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = [SelectChoice(t.value, t.label) for t in DirectorateType]


class CvrhForm(VersionedForm):
    """Create or edit a CVRH."""

    code = StringField(
        _l("Code"), validators=[DataRequired(_l("Enter the code.")), Length(max=32), CODE_RULE]
    )
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter the name.")), Length(max=120)]
    )
    city = StringField(_l("City"), validators=[DataRequired(_l("Enter the city.")), Length(max=80)])
    email = EmailField(
        _l("Contact mailbox"),
        validators=[
            DataRequired(_l("Enter the e-mail address.")),
            Email(
                _l("Enter a valid e-mail address, such as name@example.org."),
                check_deliverability=False,
            ),
            Length(max=254),
        ],
    )
    submit = SubmitField(_l("Save"))


class CallForm(VersionedForm):
    """Create or edit a call for declarations."""

    code = StringField(
        _l("Code"), validators=[DataRequired(_l("Enter the code.")), Length(max=32), CODE_RULE]
    )
    title_fr = StringField(
        _l("Title in French"),
        validators=[DataRequired(_l("Enter the French title.")), Length(max=200)],
    )
    title_en = StringField(
        _l("Title in English"),
        validators=[DataRequired(_l("Enter the English title.")), Length(max=200)],
    )
    opens_on = DateField(
        _l("Opening date"), validators=[DataRequired(_l("Enter a date, such as 12/04/2023."))]
    )
    deadline = DateField(
        _l("Deadline"), validators=[DataRequired(_l("Enter a date, such as 28/04/2023."))]
    )
    is_open = BooleanField(_l("Open to declarations"))
    submit = SubmitField(_l("Save"))

    def validate_deadline(self, field) -> None:
        """Refuse a deadline before the opening date."""
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The deadline cannot be before the opening date."))


# Exports and the declaration workbook separate the names of several paths with "; ".
NO_SEPARATOR = Regexp(r"^[^;]*$", message=_l("Do not use “;”: it separates paths in exports."))


class LearningPathForm(VersionedForm):
    """Create or edit a learning path of Annex 2."""

    code = StringField(
        _l("Code"), validators=[DataRequired(_l("Enter the code.")), Length(max=32), CODE_RULE]
    )
    name_fr = StringField(
        _l("Name in French"),
        validators=[DataRequired(_l("Enter the French name.")), Length(max=200), NO_SEPARATOR],
    )
    name_en = StringField(
        _l("Name in English"),
        validators=[DataRequired(_l("Enter the English name.")), Length(max=200), NO_SEPARATOR],
    )
    description_fr = TextAreaField(_l("Short description in French"), [Length(max=500)])
    description_en = TextAreaField(_l("Short description in English"), [Length(max=500)])
    audience_fr = StringField(_l("Audience in French"), [Length(max=200)])
    audience_en = StringField(_l("Audience in English"), [Length(max=200)])
    campaign_kind = SelectField(_l("Kind of PIX Orga campaign"))
    competences = SelectMultipleField(
        _l("PIX competences covered"),
        validators=[DataRequired(_l("Choose at least one competence."))],
        invalid_choice_message=_l("Choose among the PIX competences listed."),
    )
    position = WholeNumberField(
        _l("Position in lists"),
        validators=[
            InputRequired(_l("Enter a whole number, such as 10.")),
            NumberRange(0, 9999, _l("Enter a whole number from 0 to 9999.")),
        ],
        default=0,
    )
    active = BooleanField(_l("Offered to directorates for new choices"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign_kind.choices = [SelectChoice(k.value, k.label) for k in CampaignKind]
        self.competences.choices = [
            SelectChoice(c.code, f"{c.code} {localized(c, 'name')}", optgroup=c.area.code)
            for c in reference.competences()
        ]


def area_names() -> dict[int, str]:
    """Return the PIX areas' names in the user's language, by area code."""
    return {area.code: f"{area.code}. {localized(area, 'name')}" for area in reference.areas()}
