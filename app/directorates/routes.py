"""Directorates as their users, their CVRH and the project team see them."""

from flask import Blueprint, render_template
from flask_login import current_user

from app.auth.access import login_required
from app.directorates import services

bp = Blueprint("directorates", __name__, url_prefix="/<lang:lang>/directorates")


@bp.route("/")
@login_required
def index():
    """List the directorates the user may see."""
    directorates = services.list_directorates(current_user)
    return render_template(
        "directorates/index.html",
        groups=services.group_by_type(directorates),
        count=len(directorates),
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
    )
