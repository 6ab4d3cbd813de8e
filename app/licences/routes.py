"""Licences pages of the project team: the pool of a call, the grant to each directorate."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import STAFF, role_required
from app.declarations import services as declarations
from app.licences import policies, services
from app.licences.forms import GrantForm, PoolForm

bp = Blueprint("licences", __name__, url_prefix="/<lang:lang>/licences")


def _exceeded(error: services.PoolExceeded) -> str:
    return ngettext(
        "Only %(count)s licence is left in the pool of this call for this directorate: grant "
        "%(count)s at most, or raise the pool first.",
        "Only %(count)s licences are left in the pool of this call for this directorate: grant "
        "%(count)s at most, or raise the pool first.",
        error.available,
        count=format_number(error.available),
    )


def _below(error: services.BelowGranted) -> str:
    return ngettext(
        "%(count)s licence is already granted in this call: the pool cannot be smaller. Lower "
        "the grants first.",
        "%(count)s licences are already granted in this call: the pool cannot be smaller. Lower "
        "the grants first.",
        error.granted,
        count=format_number(error.granted),
    )


@bp.route("/<call_code>/", methods=["GET", "POST"])
@role_required(*STAFF)
def overview(call_code: str):
    """Show and set the call's pool, what each directorate requested and was granted."""
    call = declarations.get_call(call_code)
    form = PoolForm()
    status, conflict = 200, False
    if form.validate_on_submit():
        try:
            services.set_pool(
                current_user, call, form.licences.data, form.comment.data, form.version_number()
            )
        except services.BelowGranted as error:
            form.licences.errors.append(_below(error))
        except services.Conflict as error:
            status, conflict = 409, True
            form.version.data = str(error.record.version) if error.record else ""
        else:
            flash(_("The pool of the call is saved."), "success")
            return redirect(url_for("licences.overview", call_code=call.code))
    state = services.pool_state(call)
    if not form.is_submitted():
        form.licences.data = state.licences
        form.version.data = str(state.pool.version) if state.pool else ""
    return render_template(
        "licences/overview.html",
        call=call,
        state=state,
        form=form,
        conflict=conflict,
        rows=services.grant_rows(call),
        history=services.pool_history(call),
    ), status


@bp.route("/<call_code>/<directorate_code>", methods=["GET", "POST"])
@role_required(*STAFF)
def grant(call_code: str, directorate_code: str):
    """Grant licences to one directorate for its declaration, within the pool left."""
    call, directorate, declaration = declarations.get_context(
        current_user, call_code, directorate_code
    )
    if declaration is None:
        abort(404)
    form = GrantForm()
    status, conflict = 200, False
    if form.validate_on_submit():
        try:
            services.grant(
                current_user,
                declaration,
                form.licences.data,
                form.comment.data,
                form.version_number(),
            )
        except services.PoolExceeded as error:
            form.licences.errors.append(_exceeded(error))
        except services.NoPool:
            form.licences.errors.append(
                _("The pool of this call is not set yet: set it before granting licences.")
            )
        except services.NotGrantable:
            form.licences.errors.append(
                _(
                    "This declaration is not submitted: licences are granted to submitted or "
                    "accepted declarations (a grant already made may only be lowered)."
                )
            )
        except services.Conflict as error:
            # The page shows the grant as it is now, the input kept; saving again replaces it.
            status, conflict = 409, True
            form.version.data = str(error.record.version) if error.record else ""
        else:
            flash(
                _("The grant is saved; the directorate is told by e-mail."),
                "success",
            )
            return redirect(
                url_for("declarations.view", call_code=call.code, directorate_code=directorate.code)
            )
    current = declaration.grant
    if not form.is_submitted():
        form.licences.data = current.licences if current else None
        form.comment.data = current.comment if current else ""
        form.version.data = str(current.version) if current else ""
    return render_template(
        "licences/grant.html",
        call=call,
        directorate=directorate,
        declaration=declaration,
        current=current,
        state=services.pool_state(call),
        grantable=policies.can_grant(current_user, declaration),
        form=form,
        conflict=conflict,
    ), status
