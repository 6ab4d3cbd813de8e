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
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.bounds import has_other_digits, parse_id, parse_integer
from app.declarations.models import PerimeterKind
from app.declarations.rules import (
    LENGTHS,
    LIST_FIELDS,
    MESSAGES,
    ROWS_MAX,
    Problem,
    check_limits,
    clean_text,
)
from app.directorates.models import LearningPath
from app.i18n import localized

NOT_A_NUMBER = _l("Enter a whole number, such as 25.")
OTHER_DIGITS = _l("Type the number with the digits 0 to 9.")
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
                self.data = parse_integer(valuelist[0])
            except ValueError:
                self.data = None
                if has_other_digits(valuelist[0]):
                    raise ValueError(OTHER_DIGITS) from None
                raise ValueError(NOT_A_NUMBER) from None
        else:
            self.data = None
            if valuelist:
                # Spaces alone are no number: InputRequired, which only looks at what was
                # sent, must ask for one rather than let None through to the service.
                self.raw_data = [""]


class LocalDateField(DateField):
    """A date field (HTML date input) with a message in the user's language."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(NOT_A_DATE) from None


class PathsField(SelectMultipleField):
    """The learning paths of a campaign, as checkboxes: the list of the ids ticked.

    Which ids may be chosen is a rule (rules.check_limits), checked with the other limits;
    anything that is not an id is refused here, on the field, keeping the ids that are.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, coerce=int, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist):
        ids = [parse_id(text) for text in valuelist]
        self.data = list(dict.fromkeys(i for i in ids if i is not None))
        if None in ids:
            raise ValueError(MESSAGES["unknown_path"])


def _text(label, field: str, multiline: bool = False):
    """Return a text field whose size limit (rules.LENGTHS) the browser knows too."""
    kind = TextAreaField if multiline else StringField
    return kind(
        label,
        filters=[_strip_lines if multiline else _strip],
        render_kw={"maxlength": LENGTHS[field]},
    )


class CampaignForm(Form):
    """One campaign of the declaration."""

    label = _text(_l("Label of the campaign"), "label")
    perimeter_kind = SelectField(
        _l("How the perimeter is organised"), validators=[Optional()], filters=[_strip]
    )
    perimeter_description = _text(_l("Perimeter"), "perimeter_description", multiline=True)
    target_population = _text(_l("Target population"), "target_population")
    headcount = WholeNumberField(_l("Number of agents concerned"), [Optional()])
    licences = WholeNumberField(_l("Licences needed"), [Optional()])
    starts_on = LocalDateField(_l("Planned start"), [Optional()])
    ends_on = LocalDateField(_l("Planned end"), [Optional()])
    paths = PathsField(_l("Learning paths of Annex 2 (optional)"))
    learning_paths_note = _text(
        _l("Other learning needs or paths (optional)"), "learning_paths_note"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.perimeter_kind.choices = [SelectChoice("", _l("Choose"))] + [
            SelectChoice(kind.value, kind.label) for kind in PerimeterKind
        ]


class AmbassadorForm(Form):
    """One ambassador."""

    last_name = _text(_l("Last name"), "last_name")
    first_name = _text(_l("First name"), "first_name")
    email = EmailField(
        _l("E-mail address"), filters=[_strip], render_kw={"maxlength": LENGTHS["email"]}
    )
    phone = _text(_l("Telephone (optional)"), "phone")
    unit = _text(_l("Unit (optional)"), "unit")


class AdministratorForm(Form):
    """One PIX Orga administrator."""

    last_name = _text(_l("Last name"), "last_name")
    first_name = _text(_l("First name"), "first_name")
    email = EmailField(
        _l("E-mail address"), filters=[_strip], render_kw={"maxlength": LENGTHS["email"]}
    )
    function = _text(_l("Function"), "function")
    hr_confirmed = BooleanField(
        _l("I confirm that this person belongs to the HR or training domain.")
    )


def row_index(text: str) -> int | None:
    """Return the row number written in a field name or a button, None if it is not one.

    ASCII digits only: `int()` refuses some characters `str.isdigit` accepts (`²`).
    """
    if text.isascii() and text.isdigit() and len(text) <= 9:
        return int(text)
    return None


class RowList(FieldList):
    """The rows of a list: at most rules.ROWS_MAX are built, but every row received is counted."""

    def __init__(self, row_form, **kwargs):
        super().__init__(FormField(row_form), min_entries=1, max_entries=ROWS_MAX, **kwargs)
        self.received = 0

    def _extract_indices(self, prefix, formdata):
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix + "-"):
                index = row_index(key[offset:].split("-", 1)[0])
                if index is not None:
                    yield index

    def process(self, formdata, data=unset_value, extra_filters=None):
        if formdata:
            self.received = len(set(self._extract_indices(self.name, formdata)))
        super().process(formdata, data, extra_filters)

    def is_full(self) -> bool:
        """Say whether no row can be added."""
        return len(self.entries) >= ROWS_MAX


class DeclarationForm(FlaskForm):
    """The whole Annex 1 declaration."""

    version = HiddenField()
    campaigns = RowList(CampaignForm)
    ambassadors = RowList(AmbassadorForm)
    administrators = RowList(AdministratorForm)
    wants_codir = BooleanField(
        _l(
            "We would like our CVRH to present the PIX approach "
            "at our management committee (CODIR)."
        )
    )
    comments = _text(_l("Comments"), "comments", multiline=True)
    save = SubmitField(_l("Save the draft"))
    submit_declaration = SubmitField(_l("Submit the declaration"))

    def __init__(self, *args, paths: list[LearningPath] = (), **kwargs):
        """Build the form; `paths` are those that may be chosen (services.choosable_paths)."""
        super().__init__(*args, **kwargs)
        # Errors about a whole list (no campaign, no ambassador...), by list name.
        self.list_errors: dict[str, list] = {}
        self.choosable_paths = list(paths)
        for entry in self.campaigns:
            self._offer_paths(entry.form.paths)

    def _offer_paths(self, field: PathsField) -> None:
        """Offer the active paths, and a retired one only on a row that has it ticked."""
        ticked = set(field.data or ())
        field.choices = [
            SelectChoice(str(path.id), localized(path, "name"))
            for path in self.choosable_paths
            if path.active or path.id in ticked
        ]

    def path_hints(self) -> dict[str, str]:
        """Return the text under each path's name: its kind of campaign, audience, description."""
        hints = {}
        for path in self.choosable_paths:
            parts = [path.campaign_kind.label, localized(path, "audience")]
            if not path.active:
                parts.insert(0, _("No longer offered"))
            text = " – ".join(part for part in parts if part)
            description = localized(path, "description")
            hints[str(path.id)] = f"{text}. {description}" if description else text
        return hints

    def validate(self, extra_validators=None) -> bool:
        """Check the input can be read (numbers, dates, choices), then that it can be stored."""
        valid = super().validate(extra_validators)
        counts = {kind: getattr(self, kind).received for kind in LIST_FIELDS}
        path_ids = {path.id for path in self.choosable_paths}
        problems = check_limits(self.content(), counts, path_ids)
        self.attach(problems)
        return valid and not problems

    def add_row(self, kind: str) -> bool:
        """Add an empty row to a list and return True, or say on the list that it is full."""
        rows = getattr(self, kind)
        if rows.is_full():
            self.list_errors.setdefault(kind, []).append(MESSAGES["rows_full"])
            return False
        rows.append_entry()
        if kind == "campaigns":
            self._offer_paths(rows[-1].form.paths)
        return True

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
        return _version(self.version.data)

    def attach(self, problems: list[Problem]) -> None:
        """Show each problem on its field (or on the list for list-wide ones)."""
        for path, message in problems:
            if path == ("comments",):
                self.comments.errors = [*self.comments.errors, message]
            elif len(path) == 3:
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


def _version(text: str | None) -> int | None:
    """Return the version a hidden field holds: None when empty, 0 (never a version) if garbled."""
    if not text:
        return None
    return parse_id(text) or 0


def _empty(field: str):
    if field == "paths":
        return []
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

    def version_number(self) -> int | None:
        """Return the version of the declaration the reviewer read, if the form says it."""
        return _version(self.version.data)


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


def row_title(kind: str, number: int) -> str:
    """Return the title of a row ("Campaign 2")."""
    return ROW_TITLES[kind] % {"num": number}


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
