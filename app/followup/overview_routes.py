"""The skills follow-up of a call for the project team and the CVRHs: aggregates only."""

from flask import render_template, request, url_for
from flask_babel import format_percent, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.access import STAFF, role_required
from app.auth.models import Role
from app.bounds import paginate_list
from app.declarations import overview as declarations_overview
from app.declarations.services import get_call
from app.directorates import services as directorates
from app.directorates.models import Call
from app.directorates.policies import sees_every_directorate
from app.extensions import db
from app.followup import overview
from app.followup.routes import bp
from app.templating import decimal

READERS = (*STAFF, Role.CVRH)
PER_PAGE = 50
SORTS = ("gap", "code")


@bp.app_template_global()
def followup_figure(value, percent: bool = False, band: bool = False) -> str:
    """Return a follow-up figure as shown outside a directorate: hidden, unknown or a number
    (a share as a percentage, a mastery band as its range)."""
    if value is overview.HIDDEN:
        return _("fewer than %(count)s", count=overview.min_group())
    if value is None:
        return "—"
    if band:
        return overview.band_label(value)
    if percent:
        return format_percent(value, "#,##0 %")
    return decimal(value, get_locale())


@bp.route("/skills/")
@role_required(*READERS)
def skills_index():
    """List the calls, each leading to its skills follow-up."""
    calls = db.session.scalars(select(Call).order_by(Call.deadline.desc())).all()
    return render_template("followup/overview_index.html", calls=calls)


@bp.route("/skills/<call_code>/")
@role_required(*READERS)
def skills(call_code: str):
    """Show how the call's campaigns raise skills: by directorate, group and competence."""
    call = get_call(call_code)
    filters = declarations_overview.read_filters(request.args)
    state = request.args.get("state", "")
    if state not in overview.STATES:
        state = ""
    visible = directorates.list_directorates(current_user)
    rows = declarations_overview.overview_of(visible, call, filters)
    # Every directorate of the portal: figures for everyone, nothing left out by a filter.
    everyone = sees_every_directorate(current_user) and len(rows) == len(visible)
    followup = overview.build(call, rows, everyone=everyone, state=state or None)
    by = request.args.get("by", "")
    if by not in overview.GROUPINGS:
        by = "type"
    sort = request.args.get("sort", "")
    if sort not in SORTS:
        sort = "gap" if current_user.role is Role.CVRH else "code"
    grid = list(followup.competences.values())
    if sort == "gap":
        grid = overview.by_gap(followup.competences)
    all_filters = {**filters, **({"state": state} if state else {})}
    group_links = {
        grouping: [
            url_for("followup.skills", call_code=call.code, **{**all_filters, grouping: group.key})
            + "#directorates"
            for group in groups
        ]
        for grouping, groups in followup.groups.items()
    }
    return render_template(
        "followup/overview.html",
        call=call,
        followup=followup,
        filters=all_filters,
        page=paginate_list(followup.rows, PER_PAGE),
        grid=grid,
        by=by,
        sort=sort,
        followup_states=overview.STATE_LABELS,
        groupings=overview.GROUPING_LABELS,
        grouping_titles=overview.GROUPING_TITLES,
        group_links=group_links,
        min_group=overview.min_group(),
        **declarations_overview.filter_choices(visible),
    )
