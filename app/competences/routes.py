"""The 16 PIX competences by area, and one page per competence with its resources."""

from flask import Blueprint, abort, render_template
from flask_login import current_user

from app.auth.access import public
from app.bounds import paginate
from app.content import policies, resources, tags, tree
from app.content.routes import PER_PAGE
from app.followup.reference import competence
from app.i18n import current_language

bp = Blueprint("competences", __name__, url_prefix="/<lang:lang>/competences")


@bp.route("/")
@public
def index():
    """List the 16 PIX competences by area, each linked to its page."""
    return render_template("competences/index.html", areas=tags.by_area())


@bp.route("/<code>")
@public
def detail(code: str):
    """Show a competence, the offered paths covering it and the resources the visitor may read.

    The resources come a page at a time, with the sections above them: a fixed number of queries.
    """
    try:
        item = competence(code)
    except KeyError:
        abort(404)
    paths = tags.covering(code, tags.offered_paths())
    found = paginate(
        resources.for_competence(current_user, current_language(), code, paths), PER_PAGE
    )
    tree.with_sections(found.items)
    hidden = (
        resources.hidden_from_readers(found.items) if policies.can_author(current_user) else set()
    )
    return render_template(
        "competences/detail.html",
        competence=item,
        paths=paths,
        page=found,
        hidden=hidden,
    )
