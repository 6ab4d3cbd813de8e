"""Forms of the licences: the pool of a call, the grant to a directorate."""

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.declarations.forms import WholeNumberField
from app.versioning import VersionedForm

# Far above any pool of the ministry, far below the largest INTEGER.
LICENCES_MAX = 10_000_000
COMMENT_MAX = 2000
NUMBER_RANGE = _l("Enter a whole number from 0 to 10,000,000.")


def _in_range(form, field) -> None:
    """Refuse a number out of range (a text that is no number has its own message)."""
    if field.data is not None and not 0 <= field.data <= LICENCES_MAX:
        raise ValidationError(NUMBER_RANGE)


class PoolForm(VersionedForm):
    """The number of licences of a call's pool, and why it changes."""

    licences = WholeNumberField(
        _l("Licences in the pool"),
        [
            InputRequired(_l("Enter the number of licences of the pool.")),
            _in_range,
        ],
    )
    comment = TextAreaField(
        _l("Reason for the change (optional)"),
        [Optional(), Length(max=COMMENT_MAX)],
        description=_l("Kept in the history of the pool."),
    )


class GrantForm(VersionedForm):
    """The licences granted to a directorate, and a comment it reads."""

    licences = WholeNumberField(
        _l("Licences granted"),
        [
            InputRequired(_l("Enter the number of licences granted.")),
            _in_range,
        ],
    )
    comment = TextAreaField(
        _l("Comment to the directorate (optional)"),
        [Optional(), Length(max=COMMENT_MAX)],
        description=_l("E-mailed to the directorate and shown on its declaration."),
    )
