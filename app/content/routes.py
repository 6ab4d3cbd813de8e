"""Content pages: reading by path, editing with preview, workflow, review queue.

The lists (`list_routes.py`), the history (`history_routes.py`) and the attached files
(`file_routes.py`) add their pages to the same blueprint; they are imported at the end of this
module.
"""

from dataclasses import dataclass

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from app.auth.access import login_required, public
from app.bounds import id_arg, paginate
from app.content import fields, lists, policies, services, tags, tree, visibility
from app.content.forms import AttachmentForm, ItemForm, ReviewForm
from app.content.markup import render
from app.content.models import ContentItem, ContentKind, ContentState
from app.content.workflow import TABLE, Transition, moves_from
from app.directorates.models import portal_today
from app.extensions import db
from app.i18n import current_language

bp = Blueprint("content", __name__, url_prefix="/<lang:lang>/content")

# Rows of a list page; sections of the main menu before it leads to the site map.
PER_PAGE = 50
MENU_SECTIONS = 6


@bp.app_context_processor
def content_helpers():
    return {
        "content_url": url_of,
        "content_navigation": _navigation,
        "render_markdown": render,
        "competence_label": tags.competence_label,
    }


@dataclass
class Menu:
    """The first top-level sections, and whether there are more (then the site map leads on)."""

    sections: list[ContentItem]
    more: bool


def _navigation() -> Menu:
    """Return the sections of the main menu; none if the database fails (error pages)."""
    try:
        sections = visibility.navigation(current_language(), MENU_SECTIONS + 1)
    except SQLAlchemyError:
        db.session.rollback()
        return Menu([], False)
    return Menu(sections[:MENU_SECTIONS], len(sections) > MENU_SECTIONS)


def url_of(item: ContentItem) -> str:
    """Return the address of an item, in its own language."""
    return url_for("content.view", lang=item.language, path=services.path_of(item))


def _alternate(item: ContentItem) -> ContentItem | None:
    """Point the language selector at the item's translation, or at the page saying it has none.

    Return the translation, whether the user may read it or not (editors then offer none).
    """
    other = "en" if item.language == "fr" else "fr"
    translated, readable = visibility.other_version(current_user, item)
    if translated is not None and readable:
        g.alternate_urls = {other: url_of(translated)}
    else:
        g.alternate_urls = {other: url_for("content.missing", lang=other, item_id=item.id)}
    return translated


@bp.route("/<path:path>")
@public
def view(path: str):
    """Show an item: a section with its contents, a page, a news item or an event."""
    item = visibility.by_path(current_user, current_language(), path)
    return render_view(item)


def render_view(
    item: ContentItem,
    attachment_form: AttachmentForm | None = None,
    status: int = 200,
    comment: str = "",
):
    """Render an item's page, with its editor tools for those who may use them.

    A fixed number of queries whatever its depth and its contents: the sections above it are
    read with it (`visibility.by_path`), a section's contents a page at a time.
    """
    translation = _alternate(item)
    contents = None
    if item.kind is ContentKind.SECTION:
        contents = paginate(visibility.children(current_user, item), PER_PAGE)
        tree.with_sections(contents.items)
    else:
        lists.with_tags(item)
    page = render_template(
        "content/view.html",
        item=item,
        crumbs=services.breadcrumbs(item),
        contents=contents,
        public=visibility.is_public_to_all(current_user, item),
        current=policies.is_current(item, portal_today()),
        can_edit=policies.can_edit(current_user, item),
        transitions=_transitions(item),
        comment=comment,
        translation=translation,
        can_author=policies.can_author(current_user),
        attachments=visibility.attachments(current_user, item),
        attachment_form=attachment_form or AttachmentForm(),
    )
    return page, status


def _transitions(item: ContentItem) -> list[Transition]:
    """Return the transitions the user may fire on the item (or its working copy) now."""
    state = item.working_state or item.state
    allowed = [
        t for t, move in moves_from(state).items() if policies.may_fire(current_user, item, move)
    ]
    if item.working_state is ContentState.PRIVATE:
        # The working copy is still a draft: the published item itself may be taken offline.
        move = TABLE[(ContentState.PUBLISHED, Transition.RETRACT)]
        if policies.may_fire(current_user, item, move) and Transition.RETRACT not in allowed:
            allowed.append(Transition.RETRACT)
    return allowed


@bp.route("/missing/<int:item_id>")
@public
def missing(item_id: int):
    """Say plainly that an item has no version in this language, and offer the one it has.

    A page of its own (200, not "not found"): the language switch of the item leads here.
    """
    item = services.get_item(current_user, item_id)
    g.alternate_urls = {item.language: url_of(item)}
    return render_template("content/missing.html", item=item)


def _alternate_of_new(kind: ContentKind, parent: ContentItem | None, source: ContentItem | None):
    """Point the language switch of a "new item" form at the same form in the other language.

    A translation's form switches to the item being translated; a form in a section switches
    to the form in the section's version in the other language, or, if it has none readable,
    to the page saying so. Never to a form that would answer "not found".
    """
    other = "en" if current_language() == "fr" else "fr"
    if source is not None:
        g.alternate_urls = {other: url_of(source)}
    elif parent is not None:
        translated, readable = visibility.other_version(current_user, parent)
        if translated is not None and readable:
            target = url_for("content.new", lang=other, kind=kind.value, parent=translated.id)
        else:
            target = url_for("content.missing", lang=other, item_id=parent.id)
        g.alternate_urls = {other: target}


@bp.route("/new/<kind>", methods=["GET", "POST"])
@login_required
def new(kind: str):
    """Create an item (in a section, or as the translation of another item)."""
    if kind not in {k.value for k in ContentKind}:
        abort(404)
    kind = ContentKind(kind)
    if not policies.can_author(current_user, kind):
        abort(403)
    source = _item_arg("translation_of")
    if source is not None and not policies.can_author(current_user, source.kind):
        abort(403)
    parent = _item_arg("parent")
    language = current_language()
    if source is not None:
        if source.language == language or services.translation(source) is not None:
            abort(404)
        kind = source.kind
        parent = services.translation(source.parent) if source.parent else None
    if parent is not None and (
        parent.kind is not ContentKind.SECTION or parent.language != language
    ):
        abort(404)
    _alternate_of_new(kind, parent, source)
    # A translation starts from the source's text online, and from the tags both versions
    # share as they are being edited (those of the source's working copy, if it has one).
    shared = fields.shared_tags(source) if source is not None else {}
    form = ItemForm(kind=kind, paths=tags.choosable_paths(shared.get("learning_paths", ())))
    if request.method == "GET" and source is not None:
        form.fill({**{k: v for k, v in source.fields().items() if k != "slug"}, **shared})
    preview = None
    if form.validate_on_submit():
        values = form.values()
        if form.preview.data:
            preview = values
        else:
            try:
                item = services.create(
                    current_user,
                    kind,
                    language,
                    parent,
                    values,
                    form.comment.data or "",
                    translation_of=source,
                )
            except services.ContentError as error:
                getattr(form, error.field).errors.append(error.message)
            else:
                flash(_("Saved. The item is private until it is published."), "success")
                _warn_if_tags_differ(item)
                return redirect(url_of(item))
    return render_template(
        "content/edit.html",
        form=form,
        kind=kind,
        parent=parent,
        source=source,
        item=None,
        preview=preview,
        area_names=_area_names(),
        shared_with=source,
    )


def _area_names() -> dict[int, str]:
    return {area.code: tags.area_label(area) for area, _competences in tags.by_area()}


def _item_arg(name: str) -> ContentItem | None:
    value = id_arg(name)
    if value is None:
        return None
    return services.get_item(current_user, value)


@bp.route("/item/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit(item_id: int):
    """Edit an item; a published one is edited in a working copy that goes through review."""
    item = services.get_item(current_user, item_id)
    if not policies.can_edit(current_user, item):
        abort(403)
    editing = fields.editing_fields(item)
    form = ItemForm(kind=item.kind, paths=tags.choosable_paths(editing["learning_paths"]))
    if request.method == "GET":
        form.fill(editing)
        form.version.data = str(item.version)
    preview = conflict = None
    if form.validate_on_submit():
        values = form.values()
        if form.preview.data:
            preview = values
        else:
            try:
                services.save(
                    current_user, item, values, form.comment.data or "", form.version_number()
                )
            except services.ContentError as error:
                getattr(form, error.field).errors.append(error.message)
            except services.Conflict as error:
                # Keep the input; saving again now knowingly replaces the other version.
                conflict = item = error.item
                form.version.data = str(item.version)
            else:
                flash(_saved_message(item), "success")
                _warn_if_tags_differ(item)
                return redirect(url_of(item))
    return render_template(
        "content/edit.html",
        form=form,
        kind=item.kind,
        parent=item.parent,
        source=None,
        item=item,
        preview=preview,
        conflict=conflict,
        area_names=_area_names(),
        shared_with=services.translation(item),
    ), 409 if conflict else 200


def _warn_if_tags_differ(item: ContentItem) -> None:
    """Say when the other language version keeps other tags (one the user may not change)."""
    if services.tags_differ(item) is not None:
        flash(
            _(
                "The other language version has other competences or learning paths "
                "than this one: open it to align them (or ask a reviewer)."
            ),
            "warning",
        )


def _saved_message(item: ContentItem) -> str:
    if item.working_copy is not None:
        return _(
            "Saved as a working copy: the published version stays online "
            "until the changes are published."
        )
    return _("Saved.")


@bp.route("/item/<int:item_id>/<any(submit, publish, reject, retract):name>", methods=["POST"])
@login_required
def transition(item_id: int, name: str):
    """Fire a workflow transition on an item or on its working copy."""
    item = services.get_item(current_user, item_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    comment = form.comment.data or ""
    try:
        services.transition(current_user, item, Transition(name), comment, form.version_number())
    except services.NotAllowed:
        abort(403)
    except services.ContentError as error:
        flash(error.message, "error")
        return redirect(url_of(item))
    except services.Conflict:
        flash(_conflict_message(), "error")
        return render_view(services.get_item(current_user, item_id), status=409, comment=comment)
    flash(_("Done: %(state)s.", state=(item.working_state or item.state).label), "success")
    if not visibility.is_visible(current_user, item):
        return redirect(url_for("content.manage"))
    return redirect(url_of(item))


def _conflict_message() -> str:
    return _(
        "Someone else changed this item in the meantime: nothing was done. "
        "Here is its current state; read it again, then decide."
    )


@bp.route("/item/<int:item_id>/discard", methods=["POST"])
@login_required
def discard(item_id: int):
    """Drop the working copy of a published item."""
    item = services.get_item(current_user, item_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.discard_copy(current_user, item, form.version_number())
    except services.NotAllowed:
        abort(403)
    except services.Conflict:
        flash(_conflict_message(), "error")
        return render_view(services.get_item(current_user, item_id), status=409)
    flash(_("The working copy was dropped; it stays in the history."), "success")
    return redirect(url_of(item))


# The other pages of the blueprint, in their own modules (they import `bp` from here).
from app.content import file_routes, history_routes, list_routes  # noqa: E402, F401
