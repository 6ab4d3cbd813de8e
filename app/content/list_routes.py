"""Content pages: the lists (site map, news, events, search, review queue, content to manage).

Every list that grows with the content is paginated, its page and filters in the address, and
reads the sections above its rows in one query (`tree.with_sections`), to make their addresses.
"""

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import STAFF, login_required, public, role_required
from app.bounds import paginate, paginate_list
from app.content import lists, policies, search, tree, visibility
from app.content.forms import SearchForm
from app.content.models import ContentKind, ContentState
from app.content.routes import PER_PAGE, bp
from app.i18n import current_language


@bp.route("/")
@bp.route("/sitemap")
@public
def sitemap():
    """Show every item the visitor may read, as a tree, a page at a time."""
    entries = visibility.sitemap(current_user, current_language())
    return render_template("content/sitemap.html", page=paginate_list(entries, PER_PAGE))


@bp.route("/search")
@public
def search_page():
    """Search the published items of the page's language; matches are highlighted.

    A competence keeps only its resources; with no words, it lists them all (the first 50).
    """
    form = SearchForm(formdata=request.args)
    hits = []
    query = form.q.data or ""
    # Blank counts as none: the field's Optional() would also let a blank pass as a choice.
    competence = (form.competence.data or "").strip() or None
    searched = bool(query or competence) and form.validate()
    if searched:
        hits = search.search(current_language(), query, competence)
    return render_template(
        "content/search.html",
        form=form,
        query=query,
        competence=competence if searched else None,
        searched=searched,
        hits=hits,
    )


@bp.route("/news/")
@public
def news():
    """List the published news, the newest first."""
    page = paginate(visibility.newest(current_language()), PER_PAGE)
    tree.with_sections(page.items)
    return render_template("content/list.html", page=page, title=_("News"))


@bp.route("/events/")
@public
def events():
    """List the coming webinars and events, the soonest first; or the past ones, latest first."""
    language = current_language()
    past = request.args.get("when") == "past"
    query = visibility.ended_events(language) if past else visibility.coming_events(language)
    page = paginate(query, PER_PAGE)
    tree.with_sections(page.items)
    title = _("Past events") if past else _("Webinars and events")
    return render_template("content/list.html", page=page, title=title, events=True, past=past)


@bp.route("/review")
@role_required(*STAFF)
def review():
    """List what waits for review: new items and changes to published ones."""
    page = paginate(lists.review_queue(), PER_PAGE)
    tree.with_sections(page.items)
    return render_template("content/review.html", page=page)


@bp.route("/manage")
@login_required
def manage():
    """List the items the user may edit, in every state and language, as filtered."""
    if not policies.can_author(current_user):
        abort(403)
    filters = lists.Filters.read(request.args)
    page = paginate(lists.manageable(current_user, filters), PER_PAGE)
    tree.with_sections(page.items)
    return render_template(
        "content/manage.html",
        page=page,
        filters=filters,
        kinds=list(ContentKind),
        states=list(ContentState),
        pending=lists.waiting_count() if policies.is_reviewer(current_user) else 0,
    )
