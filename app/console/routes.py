"""The project team's console: follow-up of a call in figures, and its exports."""

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.auth.access import STAFF, role_required
from app.console import services
from app.declarations import overview
from app.declarations.services import get_call
from app.directorates import services as directorates
from app.directorates.models import Call
from app.events import training
from app.exports import services as exports
from app.exports.sheets import SHEETS
from app.extensions import db
from app.licences import services as licences

bp = Blueprint("console", __name__, url_prefix="/<lang:lang>/console")


@bp.route("/")
@role_required(*STAFF)
def index():
    """List the calls, each leading to its follow-up."""
    calls = db.session.scalars(select(Call).order_by(Call.deadline.desc())).all()
    return render_template("console/index.html", calls=calls)


def _links(call: Call, figure: services.Figure, filters: dict[str, str]) -> list[str]:
    """Return the URL of the list behind each bar of a figure, keeping the console's filters."""
    if figure.endpoint == "codir.index":
        base = {"cvrh": filters["cvrh"]} if filters.get("cvrh") else {}
        return [url_for(figure.endpoint, **base, **bar.link) for bar in figure.bars]
    return [
        url_for(figure.endpoint, call_code=call.code, **{**filters, **bar.link})
        for bar in figure.bars
    ]


@bp.route("/<call_code>/")
@role_required(*STAFF)
def dashboard(call_code: str):
    """Show who answered, who is late, licences and people, CODIR requests, and the exports."""
    call = get_call(call_code)
    filters = overview.read_filters(request.args)
    visible = directorates.list_directorates(current_user)
    rows = overview.overview_of(visible, call, filters)
    figures = services.figures(rows)
    previous = exports.previous_export(current_user, call)
    return render_template(
        "console/dashboard.html",
        call=call,
        filters=filters,
        numbers=services.key_numbers(rows),
        figures=figures,
        licence_lines=services.licences_by_type(rows),
        pool=licences.pool_state(call),
        links={figure.key: _links(call, figure, filters) for figure in figures},
        previous=previous,
        sheets=SHEETS,
        training=training.figures(call.id, {row.directorate.id for row in rows}),
        **overview.filter_choices(visible),
    )


# A call's reach joins this blueprint (a module of its own).
from app.console import reach  # noqa: E402, F401
