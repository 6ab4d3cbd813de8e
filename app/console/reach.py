"""A call's reach in the console: who was written to, what failed or bounced, who claimed."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth.access import STAFF, role_required
from app.bounds import paginate
from app.console.routes import bp
from app.declarations.services import get_call
from app.directorates.services import SEARCH_MAX
from app.reach import opening, overview

PER_PAGE = 50


@bp.route("/<call_code>/reach")
@role_required(*STAFF)
def reach(call_code: str):
    """Show, per directorate, who the call's e-mails reached, when, and which failed."""
    call = get_call(call_code)
    search = request.args.get("q", "")[:SEARCH_MAX]
    state = request.args.get("state", "")
    state = state if state in overview.STATES else ""
    page = paginate(overview.directorates_query(current_user, call, search, state), PER_PAGE)
    return render_template(
        "console/reach.html",
        call=call,
        page=page,
        rows=overview.reach_of(call, page.items),
        numbers=overview.key_numbers(call),
        search=search,
        state=state,
        states=overview.STATES,
    )


@bp.route("/<call_code>/reach/open", methods=["POST"])
@role_required(*STAFF)
def open_call(call_code: str):
    """Open the call and e-mail each active contact not written to yet its claim link."""
    call = get_call(call_code)
    try:
        report = opening.open_call(call, current_user)
    except opening.OpeningConflict:
        flash(_("Someone else was opening this call at the same time: look again."), "error")
    else:
        flash(
            ngettext(
                "The call is open: %(num)d claim link e-mailed; %(already)d contacts had theirs.",
                "The call is open: %(num)d claim links e-mailed; %(already)d contacts had theirs.",
                report.sent,
                already=report.already_sent,
            ),
            "success",
        )
    return redirect(url_for("console.reach", call_code=call.code))


@bp.route("/<call_code>/claims")
@role_required(*STAFF)
def claims(call_code: str):
    """List the claim links of the call: contact, directorate, sent, claimed and by whom."""
    call = get_call(call_code)
    claimed = request.args.get("claimed", "")
    claimed = claimed if claimed in ("yes", "no") else ""
    page = paginate(overview.invitations_query(call, claimed), PER_PAGE)
    return render_template("console/claims.html", call=call, page=page, claimed=claimed)
