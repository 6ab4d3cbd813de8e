"""Forms of the conversation on a declaration: a message (with files) and a private note."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.declarations.rules import clean_text
from app.declarations.thread_models import BODY_MAX, FILES_MAX
from app.once import SentOnce


def _clean(value):
    """Trim the text, drop control characters; keep the lines."""
    return clean_text(value, multiline=True) if isinstance(value, str) else value


def _chosen(field) -> list:
    """Return the files actually sent (a form without a file sends one empty part)."""
    return [upload for upload in field.data or [] if upload and upload.filename]


def _few_files(form, field) -> None:
    if len(_chosen(field)) > FILES_MAX:
        raise ValidationError(_l("Attach %(max)d files at most.", max=FILES_MAX))


_TOO_LONG = _l("The text is too long (%(length)d characters): %(max)d at most.")


class MessageForm(SentOnce, FlaskForm):
    """A message to the other side, with files if needed."""

    body = TextAreaField(
        _l("Your message"),
        [DataRequired(_l("Write your message.")), Length(max=BODY_MAX, message=_TOO_LONG)],
        filters=[_clean],
    )
    files = MultipleFileField(_l("Attached files (optional)"), [_few_files])
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
