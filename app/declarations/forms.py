"""Declaration forms: repeated rows are plain wtforms.Form inside FieldList(FormField(...))."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.declarations.models import PerimeterKind
from app.declarations.rules import LIST_FIELDS, Problem, clean_text

NOT_A_NUMBER = _l("Enter a whole number, such as 25.")
NOT_A_DATE = _l("Enter a date, such as 15/05/2023.")


def _strip(value):
    return clean_text(value) if isinstance(value, str) else value


def _strip_lines(value):
    return clean_text(value, multiline=True) if isinstance(value, str) else value


class WholeNumberField(IntegerField):
    """An integer field with a message in the user's language when the input is not a number."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                self.data = int(valuelist[0].strip().replace(" ", "").replace("\u202f", ""))
            except ValueError:
                self.data = None
                raise ValueError(NOT_A_NUMBER) from None
        else:
            self.data = None


class LocalDateField(DateField):
    """A date field (HTML date input) with a message in the user's language."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(NOT_A_DATE) from None


class CampaignForm(Form):
    """One campaign of the declaration."""

    label = StringField(
        _l("Label of the campaign"), [Optional(), Length(max=200)], filters=[_strip]
    )
    perimeter_kind = SelectField(_l("How the perimeter is organised"), validators=[Optional()])
    perimeter_description = TextAreaField(
        _l("Perimeter"), [Optional(), Length(max=2000)], filters=[_strip_lines]
    )
    target_population = StringField(
        _l("Target population"), [Optional(), Length(max=200)], filters=[_strip]
    )
    headcount = WholeNumberField(_l("Number of agents concerned"), [Optional()])
    licences = WholeNumberField(_l("Licences needed"), [Optional()])
    starts_on = LocalDateField(_l("Planned start"), [Optional()])
    ends_on = LocalDateField(_l("Planned end"), [Optional()])
    learning_paths = StringField(
        _l("Learning paths of Annex 2 (optional)"), [Optional(), Length(max=500)], filters=[_strip]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.perimeter_kind.choices = [SelectChoice("", _l("Choose"))] + [
            SelectChoice(kind.value, kind.label) for kind in PerimeterKind
        ]


class AmbassadorForm(Form):
    """One ambassador."""

    last_name = StringField(_l("Last name"), [Optional(), Length(max=100)], filters=[_strip])
    first_name = StringField(_l("First name"), [Optional(), Length(max=100)], filters=[_strip])
    email = EmailField(_l("E-mail address"), [Optional(), Length(max=254)], filters=[_strip])
    phone = StringField(_l("Telephone (optional)"), [Optional(), Length(max=30)], filters=[_strip])
    unit = StringField(_l("Unit (optional)"), [Optional(), Length(max=200)], filters=[_strip])


class AdministratorForm(Form):
    """One PIX Orga administrator."""

    last_name = StringField(_l("Last name"), [Optional(), Length(max=100)], filters=[_strip])
    first_name = StringField(_l("First name"), [Optional(), Length(max=100)], filters=[_strip])
    email = EmailField(_l("E-mail address"), [Optional(), Length(max=254)], filters=[_strip])
    function = StringField(_l("Function"), [Optional(), Length(max=200)], filters=[_strip])
    hr_confirmed = BooleanField(
        _l("I confirm that this person belongs to the HR or training domain.")
    )


class DeclarationForm(FlaskForm):
    """The whole Annex 1 declaration."""

    version = HiddenField()
    campaigns = FieldList(FormField(CampaignForm), min_entries=1, max_entries=50)
    ambassadors = FieldList(FormField(AmbassadorForm), min_entries=1, max_entries=50)
    administrators = FieldList(FormField(AdministratorForm), min_entries=1, max_entries=50)
    wants_codir = BooleanField(
        _l(
            "We would like our CVRH to present the PIX approach "
            "at our management committee (CODIR)."
        )
    )
    comments = TextAreaField(_l("Comments"), [Optional(), Length(max=5000)], filters=[_strip_lines])
    save = SubmitField(_l("Save the draft"))
    submit_declaration = SubmitField(_l("Submit the declaration"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Errors about a whole list (no campaign, no ambassador...), by list name.
        self.list_errors: dict[str, list] = {}

    def content(self) -> dict:
        """Return the content typed in the form as plain data."""
        data = {
            "wants_codir": self.wants_codir.data,
            "comments": (self.comments.data or "").strip(),
        }
        for kind, fields in LIST_FIELDS.items():
            data[kind] = [
                {field: entry.form[field].data or _empty(field) for field in fields}
                for entry in getattr(self, kind)
            ]
        return data

    def version_number(self) -> int | None:
        """Return the version of the declaration the form was opened on."""
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None

    def attach(self, problems: list[Problem]) -> None:
        """Show each problem on its field (or on the list for list-wide ones)."""
        for path, message in problems:
            if len(path) == 3:
                kind, index, field = path
                target = getattr(self, kind)[index].form[field]
                target.errors = [*target.errors, message]
            else:
                self.list_errors.setdefault(path[0], []).append(message)

    def error_summary(self) -> list[tuple[str, str]]:
        """Return (field id, message) for every error, in the order of the page."""
        items = []
        for kind in LIST_FIELDS:
            items += [(f"{kind}-list", str(message)) for message in self.list_errors.get(kind, [])]
            for number, entry in enumerate(getattr(self, kind), start=1):
                for sub in entry.form:
                    if sub.errors:
                        where = f"{row_title(kind, number)} – {sub.label.text}"
                        items.append(
                            (
                                sub.id,
                                _("%(field)s: %(error)s", field=where, error=sub.errors[0]),
                            )
                        )
        for sub in (self.wants_codir, self.comments):
            if sub.errors:
                items.append(
                    (
                        sub.id,
                        _("%(field)s: %(error)s", field=sub.label.text, error=sub.errors[0]),
                    )
                )
        return items


def _empty(field: str):
    return False if field == "hr_confirmed" else ("" if field not in _NULLABLE else None)


_NULLABLE = {"headcount", "licences", "starts_on", "ends_on", "perimeter_kind"}


class ReviewForm(FlaskForm):
    """The project team's decision on a declaration."""

    version = HiddenField()
    comment = TextAreaField(
        _l("Comment to the directorate"),
        [Optional(), Length(max=5000)],
        description=_l("Required to request corrections; e-mailed to the directorate."),
    )


class ExtensionForm(FlaskForm):
    """An extension of the deadline for one directorate."""

    until = LocalDateField(
        _l("New deadline for this directorate"),
        [DataRequired(_l("Enter the date until which the directorate may submit."))],
    )

    def __init__(self, *args, deadline=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._deadline = deadline

    def validate_until(self, field) -> None:
        """Refuse an extension that ends before the call's deadline."""
        if self._deadline and field.data and field.data <= self._deadline:
            raise ValidationError(_l("Choose a date after the call's deadline."))


ROW_FORMS = {
    "campaigns": CampaignForm,
    "ambassadors": AmbassadorForm,
    "administrators": AdministratorForm,
}
ROW_TITLES = {
    "campaigns": _l("Campaign %(num)s"),
    "ambassadors": _l("Ambassador %(num)s"),
    "administrators": _l("Administrator %(num)s"),
}
TOP_LABELS = {
    "wants_codir": _l("CODIR presentation requested"),
    "comments": _l("Comments"),
    "status": _l("Status"),
    "extended_until": _l("Extended deadline"),
}


def row_title(kind: str, number: int) -> str:
    """Return the title of a row ("Campaign 2")."""
    return ROW_TITLES[kind] % {"num": number}


def change_label(path: str) -> str:
    """Return a readable name for a changed field ("Campaign 2 – Licences needed")."""
    parts = path.split(".")
    if len(parts) == 3 and parts[0] in ROW_FORMS:
        kind, number, field = parts
        unbound = getattr(ROW_FORMS[kind], field, None)
        label = unbound.args[0] if unbound is not None and unbound.args else field
        return f"{row_title(kind, number)} – {label}"
    return str(TOP_LABELS.get(path, path))


ACTION_LABELS = {
    "saved": _l("Saved"),
    "submit": _l("Submitted"),
    "accept": _l("Accepted"),
    "request_corrections": _l("Corrections requested"),
    "reopen": _l("Reopened"),
    "extended": _l("Deadline extended"),
    "imported": _l("Imported from a workbook"),
}


def show_value(value) -> str:
    """Return a value of the history in words."""
    if value is None or value == "":
        return "—"
    if value is True:
        return str(_l("yes"))
    if value is False:
        return str(_l("no"))
    return str(value)


class ImportForm(FlaskForm):
    """A workbook of declarations received by e-mail."""

    workbook = FileField(
        _l("Workbook (.xlsx)"),
        validators=[
            FileRequired(_l("Choose the workbook to import.")),
            FileAllowed(["xlsx"], _l("Choose an Excel workbook (.xlsx).")),
        ],
    )
    submit = SubmitField(_l("Import"))
