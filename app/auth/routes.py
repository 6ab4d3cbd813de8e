"""Login, logout, password reset, invitations and one's own account."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth import services
from app.auth.access import any_account, public
from app.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    NotificationsForm,
    ProfileForm,
    ResetRequestForm,
    SetPasswordForm,
)
from app.auth.models import Notifications
from app.extensions import limiter
from app.i18n import current_language
from app.notifications import services as notifications

bp = Blueprint("auth", __name__, url_prefix="/<lang:lang>")


def _account_key() -> str:
    email = services.normalize_email(request.form.get("email", ""))
    return f"account:{email}" if email else ""


def _login_failed(response) -> bool:
    return g.get("login_failed", False)


def _safe_next(target: str | None) -> str | None:
    """Return target if it is a path on this site, else None (no open redirect)."""
    if not target:
        return None
    try:
        parts = urlsplit(target)
    except ValueError:  # such as an unclosed IPv6 address: "http://[::1"
        return None
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_login_failed,
    scope="login-account",
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_login_failed,
    scope="login-address",
)
@public
def login():
    """Show the login form and log the user in."""
    next_url = _safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            g.login_failed = True
            form.email.errors.append(_("Incorrect e-mail address or password."))
        else:
            login_user(user)
            services.record_login(user)
            return redirect(next_url or url_for("core.home", lang=current_language()))
    return render_template("auth/login.html", form=form, next_url=next_url)


@bp.route("/logout", methods=["POST"])
@any_account
def logout():
    """Log out everywhere: every session of the user ends, on every device."""
    services.logout_everywhere(current_user)
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("core.index"))


@bp.route("/password/forgotten", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], scope="password-reset")
@public
def forgotten_password():
    """Send a password-reset link to an address, without saying whether it has an account."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.send_password_reset(form.email.data)
        flash(
            _(
                "If an account uses this address, an e-mail with a link to choose a new "
                "password is on its way. The link is valid for a limited time."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgotten_password.html", form=form)


def _choose_password(salt: str, max_age: int, template: str, done_message: str):
    user = services.user_from_token(request.view_args["token"], salt, max_age)
    if user is None:
        return render_template("auth/invalid_link.html"), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        logout_user()
        flash(done_message, "success")
        return redirect(url_for("auth.login"))
    return render_template(template, form=form, user=user)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    """Choose a new password from an e-mailed link."""
    return _choose_password(
        services.RESET_SALT,
        current_app.config["PASSWORD_RESET_MAX_AGE"],
        "auth/reset_password.html",
        _("Your password is changed. Log in with the new one."),
    )


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    """Choose the first password of an invited account."""
    return _choose_password(
        services.INVITATION_SALT,
        current_app.config["INVITATION_MAX_AGE"],
        "auth/accept_invitation.html",
        _("Your account is ready. Log in with your e-mail address and your password."),
    )


@bp.route("/account", methods=["GET", "POST"])
@any_account
def account():
    """Show one's account; change name, language of e-mails, notifications and password."""
    profile = ProfileForm(obj=current_user, prefix="profile")
    password = ChangePasswordForm(prefix="password")
    told = current_user.notification_choice
    told_form = None
    if told is not None:  # only the roles told of the project team's work choose how
        told_form = NotificationsForm(prefix="notifications", data={"choice": told.value})
        if told_form.submit.data and told_form.validate_on_submit():
            notifications.choose(current_user, Notifications(told_form.choice.data))
            flash(_("Your choice of notifications is saved."), "success")
            return redirect(url_for("auth.account"))
    if profile.submit.data and profile.validate_on_submit():
        services.update_profile(current_user, profile.full_name.data, profile.language.data)
        flash(_("Your account is updated."), "success")
        return redirect(url_for("auth.account"))
    if password.submit.data and password.validate_on_submit():
        if services.authenticate(current_user.email, password.current_password.data) is None:
            password.current_password.errors.append(_("The current password is incorrect."))
        else:
            user = current_user._get_current_object()
            services.set_password(user, password.password.data)
            login_user(user)  # this session goes on with the new token; the others end
            flash(_("Your password is changed. Your other sessions are closed."), "success")
            return redirect(url_for("auth.account"))
    return render_template(
        "auth/account.html", profile=profile, password=password, notifications=told_form
    )
