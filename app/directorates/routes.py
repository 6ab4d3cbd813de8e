"""Directorates as their users, their CVRH and the project team see them."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from app.auth.access import login_required
from app.bounds import paginate
from app.directorates import contacts, services
from app.directorates.models import DirectorateType
from app.directorates.policies import sees_every_directorate

bp = Blueprint("directorates", __name__, url_prefix="/<lang:lang>/directorates")

PER_PAGE = 50


@bp.route("/")
@login_required
def index():
    """List a page of the directorates the user may see, found by code, name or type."""
    search = request.args.get("q", "")[: services.SEARCH_MAX]
    kind = request.args.get("type", "")
    query = services.search_directorates(current_user, search, kind)
    return render_template(
        "directorates/index.html",
        page=paginate(query, PER_PAGE),
        search=search,
        kind=kind,
        kinds=list(DirectorateType),
    )


@bp.route("/<code>")
@login_required
def detail(code: str):
    """Show one directorate, its CVRH and its users (404 if the user may not see it)."""
    directorate = services.get_directorate(current_user, code)
    return render_template(
        "directorates/detail.html",
        directorate=directorate,
        users=services.directorate_users(directorate),
        calls=services.open_calls(),
        contacts=contacts.directorate_contacts(directorate)
        if sees_every_directorate(current_user)
        else None,
    )


# The contact mailboxes' pages join this blueprint (a module of their own, for the staff).
from app.directorates import contact_routes  # noqa: E402, F401
