"""Forms of the conversation on a declaration: a message (with files) and a private note."""

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.declarations.rules import clean_text
from app.declarations.thread_models import BODY_MAX, FILES_MAX
from app.once import SentOnce
from app.uploads import size_of

_MB = 1024 * 1024


def _clean(value):
    """Trim the text, drop control characters; keep the lines."""
    return clean_text(value, multiline=True) if isinstance(value, str) else value


def _chosen(field) -> list:
    """Return the files actually sent (a form without a file sends one empty part)."""
    return [upload for upload in field.data or [] if upload and upload.filename]


def _few_files(form, field) -> None:
    if len(_chosen(field)) > FILES_MAX:
        raise ValidationError(_l("Attach %(max)d files at most.", max=FILES_MAX))


def _not_too_heavy(form, field) -> None:
    """Refuse files weighing more than MAX_UPLOAD_MB in all, on the field, the text kept."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    total = sum(size_of(upload.stream) for upload in _chosen(field))
    if limit is not None and total > limit:
        raise ValidationError(
            _(
                "The files weigh %(size)s MB in all: %(max)s MB at most.",
                size=format_decimal(round(total / _MB, 2)),
                max=format_decimal(round(limit / _MB, 2)),
            )
        )


_TOO_LONG = _l("The text is too long (%(length)d characters): %(max)d at most.")


class MessageForm(SentOnce, FlaskForm):
    """A message to the other side, with files if needed."""

    body = TextAreaField(
        _l("Your message"),
        [DataRequired(_l("Write your message.")), Length(max=BODY_MAX, message=_TOO_LONG)],
        filters=[_clean],
    )
    files = MultipleFileField(_l("Attached files (optional)"), [_few_files, _not_too_heavy])
    send = SubmitField(_l("Send the message"))

    def uploads(self) -> list:
        """Return the files sent with the message."""
        return _chosen(self.files)


class NoteForm(SentOnce, FlaskForm):
    """A private note of the project team."""

    body = TextAreaField(
        _l("Private note"),
        [DataRequired(_l("Write your note.")), Length(max=BODY_MAX, message=_TOO_LONG)],
        filters=[_clean],
    )
    save = SubmitField(_l("Add the note"))
