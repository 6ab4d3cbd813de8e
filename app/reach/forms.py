"""The form of a claim link: a name and a password, with the invitations' password rules."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.auth.forms import SetPasswordForm


class ClaimForm(SetPasswordForm):
    """Claim an account for one's directorate: one's name and a new password."""

    full_name = StringField(
        _l("Your full name"),
        validators=[DataRequired(_l("Enter your full name.")), Length(max=200)],
    )
