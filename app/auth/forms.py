"""Account forms."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    ValidationError,
)

from app.auth.models import NOTIFICATION_LABELS, Notifications

ACCOUNT_ERRORS = {
    "email_taken": _l("An account already uses this e-mail address."),
    "directorate_required": _l("Choose the directorate of this user."),
    "cvrh_required": _l("Choose the CVRH of this user."),
}

LANGUAGE_CHOICES = [SelectChoice("fr", "Français"), SelectChoice("en", "English")]


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)]
    )
    submit = SubmitField(_l("Log in"))


class ResetRequestForm(FlaskForm):
    """Ask for a password-reset link."""

    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Email(
                _l("Enter a valid e-mail address, such as name@example.org."),
                check_deliverability=False,
            ),
            Length(max=254),
        ],
    )
    submit = SubmitField(_l("Send me a link"))


def _password_strength(form, field) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(field.data or "") < minimum:
        raise ValidationError(
            _l("The password must have at least %(count)d characters.", count=minimum)
        )


class SetPasswordForm(FlaskForm):
    """Choose a new password (reset or invitation)."""

    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a password.")), Length(max=200), _password_strength],
    )
    confirm = PasswordField(
        _l("Confirm the new password"),
        validators=[
            DataRequired(_l("Enter the password a second time.")),
            EqualTo("password", _l("The two passwords differ.")),
        ],
    )
    submit = SubmitField(_l("Save the password"))


class ChangePasswordForm(SetPasswordForm):
    """Change one's password, knowing the current one."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )


class ProfileForm(FlaskForm):
    """Name and language of one's account."""

    full_name = StringField(_l("Full name"), validators=[Length(max=200)])
    language = SelectField(
        _l("Language of e-mails"),
        choices=LANGUAGE_CHOICES,
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Save"))


NOTIFICATION_CHOICE_REQUIRED = _l(
    "Choose when to be told: immediately, in a daily digest or never."
)


class NotificationsForm(FlaskForm):
    """How to be told of the work waiting for the project team."""

    choice = RadioField(
        _l("E-mails about the work waiting for the project team"),
        choices=[SelectChoice(c.value, NOTIFICATION_LABELS[c]) for c in Notifications],
        validate_choice=False,  # the validators below say what is wrong, in the user's language
        validators=[
            InputRequired(NOTIFICATION_CHOICE_REQUIRED),
            AnyOf([c.value for c in Notifications], NOTIFICATION_CHOICE_REQUIRED),
        ],
    )
    submit = SubmitField(_l("Save my choice"))
