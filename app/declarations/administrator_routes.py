"""Declaration page: inviting the PIX Orga administrators of an accepted declaration."""

from flask import abort, flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.access import STAFF, role_required
from app.auth.models import Role
from app.declarations import administrators, policies, services
from app.declarations.administrators import AccountState, Outcome
from app.declarations.models import Administrator
from app.declarations.routes import bp
from app.extensions import db

OUTCOMES = {
    Outcome.INVITED: (
        "success",
        _l("An invitation to the campaign follow-up is sent to %(email)s."),
    ),
    Outcome.INVITED_AGAIN: (
        "success",
        _l("%(email)s had not chosen a password yet: the invitation is sent again."),
    ),
    Outcome.HAS_ACCESS: ("info", _l("%(email)s already has access to the campaign follow-up.")),
    Outcome.ALREADY_INVITED: (
        "info",
        _l("%(email)s is already invited to the campaign follow-up."),
    ),
}
REFUSALS = {
    AccountState.NO_EMAIL: _l("This administrator has no e-mail address in the declaration."),
    AccountState.DEACTIVATED: _l(
        "The account of %(email)s is deactivated: ask the project team to reactivate it."
    ),
    AccountState.OTHER_ACCOUNT: _l(
        "Another account of the portal (another role or another directorate) already uses "
        "%(email)s: it is not changed. Ask the project team if this person needs the follow-up."
    ),
}


class InvitationForm(FlaskForm):
    """The invite button: nothing to fill in, the CSRF token only."""


@bp.route(
    "/<call_code>/<directorate_code>/administrators/<int:administrator_id>/invite",
    methods=["POST"],
)
@role_required(Role.DIRECTORATE, *STAFF)
def invite_administrator(call_code: str, directorate_code: str, administrator_id: int):
    """Invite a PIX Orga administrator of an accepted declaration to the follow-up."""
    call, directorate, declaration = services.get_context(current_user, call_code, directorate_code)
    administrator = db.get_or_404(Administrator, administrator_id)
    if declaration is None or administrator.declaration_id != declaration.id:
        abort(404)
    if not policies.can_invite_administrators(current_user, declaration):
        abort(403)
    if not InvitationForm().validate_on_submit():
        abort(400)
    email = administrator.email.strip()
    try:
        outcome = administrators.invite(current_user, declaration, administrator)
    except administrators.InvitationRefused as error:
        flash(str(REFUSALS[error.state]) % {"email": email}, "error")
    else:
        category, message = OUTCOMES[outcome]
        flash(str(message) % {"email": email}, category)
    return redirect(
        url_for(
            "declarations.view",
            call_code=call.code,
            directorate_code=directorate.code,
            _anchor="administrator-access",
        )
    )
