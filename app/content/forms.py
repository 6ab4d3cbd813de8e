"""Content forms: one editor for every kind (event fields shown for events only)."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Length, Optional, Regexp, ValidationError

from app.content import tags
from app.content.models import TAGS, ContentKind
from app.declarations.forms import LocalDateField
from app.directorates.models import LearningPath
from app.i18n import localized, slugify
from app.versioning import VersionedForm

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


class ItemForm(VersionedForm):
    """Title, summary, address, body and dates of an item; place and time of an event."""

    title = StringField(
        _l("Title"), [DataRequired(_l("Enter a title.")), Length(max=200)], filters=[_strip]
    )
    summary = TextAreaField(_l("Summary"), [Optional(), Length(max=1000)], filters=[_strip])
    slug = StringField(
        _l("Address (slug)"),
        [
            Optional(),
            Length(max=120),
            Regexp(SLUG, message=_l("Use lower-case letters, digits and hyphens only.")),
        ],
        filters=[_strip],
    )
    body = TextAreaField(_l("Text (Markdown)"), [Optional(), Length(max=100_000)])
    effective_on = LocalDateField(_l("Publication date"), [Optional()])
    expires_on = LocalDateField(_l("Expiry date"), [Optional()])
    starts_at = DateTimeLocalField(_l("Starts"), [Optional()], format="%Y-%m-%dT%H:%M")
    ends_at = DateTimeLocalField(_l("Ends"), [Optional()], format="%Y-%m-%dT%H:%M")
    date_to_be_confirmed = BooleanField(_l("Date to be confirmed"))
    audience = StringField(_l("Audience"), [Optional(), Length(max=300)], filters=[_strip])
    online = BooleanField(_l("Online"))
    location = StringField(_l("Place"), [Optional(), Length(max=300)], filters=[_strip])
    link = StringField(
        _l("Link to join"),
        [
            Optional(),
            URL(message=_l("Enter a web address starting with https://.")),
            Length(max=500),
        ],
        filters=[_strip],
    )
    registration = TextAreaField(
        _l("How to register"), [Optional(), Length(max=2000)], filters=[_strip]
    )
    competences = SelectMultipleField(
        _l("PIX competences"),
        invalid_choice_message=_l("Choose among the PIX competences listed."),
    )
    learning_paths = SelectMultipleField(
        _l("Learning paths"),
        invalid_choice_message=_l("Choose among the learning paths listed."),
    )
    comment = StringField(
        _l("What changed (for the history)"), [Optional(), Length(max=300)], filters=[_strip]
    )
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))

    def __init__(
        self, *args, kind: ContentKind = ContentKind.PAGE, paths: list[LearningPath] = (), **kwargs
    ):
        """Build the form of a kind; `paths` are those an item may be tagged with."""
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.paths = list(paths)
        if kind is not ContentKind.EVENT:
            for name in EVENT_FIELDS:
                delattr(self, name)
        if kind is ContentKind.SECTION:
            for name in TAGS:
                delattr(self, name)
        else:
            self.competences.choices = [
                SelectChoice(item.code, tags.competence_label(item.code), optgroup=area.code)
                for area, items in tags.by_area()
                for item in items
            ]
            self.learning_paths.choices = [
                SelectChoice(str(path.id), localized(path, "name")) for path in self.paths
            ]

    def path_hints(self) -> dict[str, str]:
        """Return the text under each path's name: the competences it covers, whether retired."""
        hints = {}
        for path in self.paths:
            codes = ", ".join(path.competences or ())
            if path.active:
                hints[str(path.id)] = _("PIX competences covered: %(codes)s", codes=codes)
            else:
                hints[str(path.id)] = _(
                    "No longer offered: untick it to remove it. PIX competences covered: %(codes)s",
                    codes=codes,
                )
        return hints

    def validate_expires_on(self, field) -> None:
        """Refuse an expiry before the publication date."""
        if field.data and self.effective_on.data and field.data < self.effective_on.data:
            raise ValidationError(_l("The expiry date comes after the publication date."))

    def validate_link(self, field) -> None:
        """Accept only web links."""
        if field.data and not field.data.startswith(("https://", "http://")):
            raise ValidationError(_l("Enter a web address starting with https://."))

    def validate(self, extra_validators=None) -> bool:
        """Check the fields, then that an event has a start and ends after it starts."""
        valid = super().validate(extra_validators)
        if self.kind is ContentKind.EVENT:
            if self.starts_at.data is None and not self.starts_at.errors:
                self.starts_at.errors.append(_l("Enter when the event starts."))
                valid = False
            if (
                self.starts_at.data
                and self.ends_at.data
                and self.ends_at.data < self.starts_at.data
            ):
                self.ends_at.errors.append(_l("The end comes after the start."))
                valid = False
        return valid

    def values(self) -> dict[str, Any]:
        """Return the editable fields the form sets (times in UTC, slug from the title if empty)."""
        zone = _zone()
        values = {
            "title": self.title.data,
            "summary": self.summary.data or "",
            "slug": self.slug.data or slugify(self.title.data) or "item",
            "body": (self.body.data or "").replace("\r\n", "\n"),
            "effective_on": self.effective_on.data,
            "expires_on": self.expires_on.data,
        }
        if self.kind is not ContentKind.SECTION:
            values.update(
                competences=list(self.competences.data or ()),
                learning_paths=[int(path_id) for path_id in self.learning_paths.data or ()],
            )
        if self.kind is ContentKind.EVENT:
            values.update(
                starts_at=_aware(self.starts_at.data, zone),
                ends_at=_aware(self.ends_at.data, zone),
                date_to_be_confirmed=self.date_to_be_confirmed.data,
                audience=self.audience.data or "",
                online=self.online.data,
                location=self.location.data or "",
                link=self.link.data or "",
                registration=self.registration.data or "",
            )
        return values

    def fill(self, fields: dict[str, Any]) -> None:
        """Put an item's fields in the form (times in the portal's time zone)."""
        zone = _zone()
        for name, value in fields.items():
            if name not in self:
                continue
            if isinstance(value, datetime):
                value = value.astimezone(zone).replace(tzinfo=None)
            if name == "learning_paths":
                value = [str(path_id) for path_id in value or ()]
            getattr(self, name).data = value


EVENT_FIELDS = (
    "starts_at",
    "ends_at",
    "date_to_be_confirmed",
    "audience",
    "online",
    "location",
    "link",
    "registration",
)


def _aware(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    return value.replace(tzinfo=zone) if value else None


class ReviewForm(VersionedForm):
    """A reviewer's comment, required to send an item back to its author."""

    comment = TextAreaField(_l("Comment to the author"), [Optional(), Length(max=2000)])


def field_labels() -> dict[str, str]:
    """Return the label of each editable field, for the history."""
    form = ItemForm(kind=ContentKind.EVENT, meta={"csrf": False}, formdata=None)
    return {field.name: field.label.text for field in form}


class AttachmentForm(FlaskForm):
    """A file to attach to an item."""

    file = FileField(
        _l("File (PDF or office document)"), [FileRequired(_l("Choose a file to attach."))]
    )
    upload = SubmitField(_l("Attach"))


def _search_words(value):
    return value.strip()[:200] if isinstance(value, str) else value


class SearchForm(FlaskForm):
    """Words to look for in the published pages, and a PIX competence to keep its resources."""

    class Meta:
        csrf = False

    q = StringField(_l("Search the published pages"), filters=[_search_words])
    competence = SelectField(
        _l("PIX competence"),
        [Optional()],
        default="",
        invalid_choice_message=_l("Choose among the PIX competences listed."),
    )

    def __init__(self, *args, **kwargs):
        """Build the form; the competences are offered by area."""
        super().__init__(*args, **kwargs)
        choices = [SelectChoice("", _("Any competence"))]
        for area, items in tags.by_area():
            group = tags.area_label(area)
            choices += [
                SelectChoice(c.code, tags.competence_label(c.code), optgroup=group) for c in items
            ]
        self.competence.choices = choices
