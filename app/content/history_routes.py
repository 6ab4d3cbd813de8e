"""Content pages: the history of an item, the difference between two revisions, restoring one."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import login_required
from app.bounds import paginate, parse_id
from app.content import lists, policies, services, tags, tree
from app.content.forms import ReviewForm, field_labels
from app.content.history import diff as revision_diff
from app.content.history import tags_in
from app.content.models import REVISION_ACTIONS, ContentItem
from app.content.routes import PER_PAGE, bp


def _history_item(item_id: int) -> ContentItem:
    item = services.get_item(current_user, item_id)
    if not policies.can_see_copy(current_user, item):
        abort(403)
    return item


@bp.route("/item/<int:item_id>/history")
@login_required
def history(item_id: int):
    """List every revision of an item, with who, when and why, the latest first."""
    item = _history_item(item_id)
    tree.with_sections([item])
    return render_template(
        "content/history.html",
        item=item,
        page=paginate(lists.revisions(item), PER_PAGE),
        revision_actions=REVISION_ACTIONS,
        can_edit=policies.can_edit(current_user, item),
    )


@bp.route("/item/<int:item_id>/diff")
@login_required
def diff(item_id: int):
    """Show what changed between two revisions of an item."""
    item = _history_item(item_id)
    first, second = parse_id(request.args.get("a")), parse_id(request.args.get("b"))
    if first is None or second is None:
        abort(404)
    old, new = lists.two_revisions(item, first, second)
    used = tags_in(old, new)
    names = {
        "competences": {code: tags.competence_label(code) for code in used["competences"]},
        "learning_paths": tags.path_names(used["learning_paths"]),
    }
    return render_template(
        "content/diff.html",
        item=item,
        old=old,
        new=new,
        changes=revision_diff(old, new, names),
        field_labels=field_labels(),
    )


@bp.route("/item/<int:item_id>/restore/<int:number>", methods=["POST"])
@login_required
def restore(item_id: int, number: int):
    """Save an old revision again, as a new revision."""
    item = _history_item(item_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.restore(current_user, item, number)
    except services.NotAllowed:
        abort(403)
    except services.Conflict:
        flash(_("Someone else changed this item in the meantime: nothing was done."), "error")
        return redirect(url_for("content.history", item_id=item.id))
    flash(_("Revision %(number)d restored as a new revision.", number=number), "success")
    return redirect(url_for("content.history", item_id=item.id))
