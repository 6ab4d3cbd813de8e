"""The page a contact's link opens to claim an account for its directorate (no login)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user

from app.auth import services as accounts
from app.auth.access import public
from app.i18n import current_language
from app.reach import claims
from app.reach.forms import ClaimForm

bp = Blueprint("reach", __name__, url_prefix="/<lang:lang>/reach")

REASONS = {
    "invalid": _l(
        "The link is incomplete, or a newer link was sent to this mailbox since: use the "
        "latest e-mail."
    ),
    "expired": _l("The link has expired."),
    "used": _l("The link was already used: an account was created with it."),
    "contact_inactive": _l("This mailbox is no longer a contact of its directorate."),
    "address_changed": _l(
        "The directorate's contact address was corrected since this link was sent: the new "
        "address receives its own link."
    ),
    "call_closed": _l("The call for declarations the link was sent for is closed."),
}


def _refused(error: claims.ClaimRefused):
    return render_template("reach/refused.html", reason=REASONS[error.reason], error=error), 400


@bp.route("/claim/<token>", methods=["GET", "POST"])
@public
def claim(token: str):
    """Create a directorate's account from a contact's link, then log its owner in."""
    try:
        invitation = claims.check_claim(token)
    except claims.ClaimRefused as error:
        return _refused(error)
    account = claims.existing_account(invitation)
    form = ClaimForm()
    if account is None and form.validate_on_submit():
        try:
            user = claims.claim(
                invitation, form.full_name.data, form.password.data, current_language()
            )
        except claims.ClaimRefused as error:
            if error.reason != "has_account":
                return _refused(error)
            account = True
        else:
            login_user(user)
            accounts.record_login(user)
            flash(_("Your directorate's account is ready: welcome."), "success")
            return redirect(url_for("core.home"))
    return render_template(
        "reach/claim.html", invitation=invitation, form=form, has_account=account is not None
    )
