"""Follow-up forms: the plan (aim, population, targets, checkpoints) and the import of a file."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.bounds import parse_id
from app.declarations.forms import LocalDateField, WholeNumberField
from app.directorates.models import CAMPAIGN_KIND_LABELS, CampaignKind
from app.followup.models import AIM_LABELS, Aim
from app.followup.reference import MAX_LEVEL, competences
from app.versioning import VersionedForm

CHECKPOINTS_MAX = 12
NEW_CHECKPOINT_ROWS = 2


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class TargetForm(Form):
    """The target of one competence; blank means the competence has no target."""

    competence = HiddenField()
    value = WholeNumberField(validators=[Optional()])


class CheckpointForm(Form):
    """One checkpoint; a row left blank is ignored, a ticked row is removed."""

    id = HiddenField()
    name = StringField(
        _l("Name of the checkpoint"),
        filters=[_strip],
        validators=[Length(max=120)],
        render_kw={"maxlength": 120},
    )
    due_on = LocalDateField(_l("Date"), validators=[Optional()])
    remove = BooleanField(_l("Remove this checkpoint"))


class PlanForm(VersionedForm):
    """The follow-up plan of a campaign."""

    aim = RadioField(
        _l("Aim of the campaign"),
        choices=[SelectChoice(aim.value, AIM_LABELS[aim]) for aim in Aim],
        validators=[DataRequired(_l("Choose the aim of the campaign."))],
    )
    kind = RadioField(
        _l("Kind of PIX Orga campaign"),
        choices=[SelectChoice(kind.value, CAMPAIGN_KIND_LABELS[kind]) for kind in CampaignKind],
        validators=[DataRequired(_l("Choose the kind of PIX Orga campaign."))],
    )
    population = StringField(
        _l("Population"),
        filters=[_strip],
        validators=[Length(max=200)],
        render_kw={"maxlength": 200},
    )
    population_size = WholeNumberField(
        _l("Size of the population"),
        validators=[
            Optional(),
            NumberRange(1, 1_000_000, _l("Enter a number between 1 and 1,000,000.")),
        ],
    )
    mastery_target = WholeNumberField(
        _l("Target mastery of the whole profile (%)"),
        validators=[Optional(), NumberRange(1, 100, _l("Enter a percentage between 1 and 100."))],
    )
    stage_target = WholeNumberField(
        _l("Minimum stage to reach"),
        validators=[Optional(), NumberRange(1, 20, _l("Enter a stage between 1 and 20."))],
    )
    targets = FieldList(FormField(TargetForm), min_entries=0, max_entries=16)
    checkpoints = FieldList(FormField(CheckpointForm), min_entries=0, max_entries=CHECKPOINTS_MAX)
    submit = SubmitField(_l("Save the plan"))

    def fill(self, values: dict[str, Any]) -> None:
        """Show a plan's values, one target row per competence and two blank checkpoint rows."""
        self.aim.data = values["aim"].value
        self.kind.data = values["kind"].value
        for key in ("population", "population_size", "mastery_target", "stage_target"):
            getattr(self, key).data = values[key]
        for item in competences():
            self.targets.append_entry(
                {"competence": item.code, "value": values["targets"].get(item.code)}
            )
        rows = values["checkpoints"][: CHECKPOINTS_MAX - NEW_CHECKPOINT_ROWS]
        for item in rows + [{"name": "", "due_on": None}] * NEW_CHECKPOINT_ROWS:
            self.checkpoints.append_entry({**item, "id": item.get("id") or ""})

    def check_rows(self) -> bool:
        """Check targets against the kind of campaign, and checkpoints; say if all is well."""
        profiles = self.kind.data == CampaignKind.PROFILES_COLLECTION.value
        known = {item.code for item in competences()}
        good = True
        for entry in self.targets:
            row = entry.form
            if row.competence.data not in known:
                row.value.errors.append(_l("This competence does not exist."))
                good = False
            elif row.value.data is None:
                continue
            elif profiles and not 1 <= row.value.data <= MAX_LEVEL:
                row.value.errors.append(_l("Enter a level between 1 and 8."))
                good = False
            elif not profiles and not 1 <= row.value.data <= 100:
                row.value.errors.append(_l("Enter a percentage between 1 and 100."))
                good = False
        for entry in self.checkpoints:
            row = entry.form
            blank = not row.name.data and row.due_on.data is None and not row.id.data
            if not blank and not row.remove.data and not row.name.data:
                row.name.errors.append(_l("Give the checkpoint a name."))
                good = False
        return good

    def values(self) -> dict[str, Any]:
        """Return the form's content as the plan's plain data."""
        kind = CampaignKind(self.kind.data)
        return {
            "aim": Aim(self.aim.data),
            "kind": kind,
            "population": self.population.data or "",
            "population_size": self.population_size.data,
            "mastery_target": self.mastery_target.data,
            "stage_target": self.stage_target.data,
            "targets": {
                entry.form.competence.data: entry.form.value.data
                for entry in self.targets
                if entry.form.value.data is not None
            },
            "checkpoints": [
                {
                    "id": parse_id(entry.form.id.data),
                    "name": entry.form.name.data,
                    "due_on": entry.form.due_on.data,
                }
                for entry in self.checkpoints
                if entry.form.name.data and not entry.form.remove.data
            ],
        }


class ResultImportForm(FlaskForm):
    """A PIX Orga result export to import at a checkpoint."""

    results = FileField(
        _l("PIX Orga result export (.csv)"),
        validators=[FileRequired(_l("Choose the CSV file exported from PIX Orga."))],
    )
    submit = SubmitField(_l("Import the results"))
