"""Declaration pages: the directorate's form, the timeline, the project team's review."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.auth.access import STAFF, login_required, role_required
from app.auth.models import Role
from app.bounds import paginate_list
from app.declarations import (
    importer,
    overview,
    paths,
    policies,
    reminders,
    services,
    thread,
    workbook,
)
from app.declarations.administrators import account_states
from app.declarations.forms import (
    DeclarationForm,
    ExtensionForm,
    ImportForm,
    ReviewForm,
    row_index,
    row_title,
)
from app.declarations.history import ACTION_LABELS, change_label, show_value
from app.declarations.models import PerimeterKind
from app.declarations.workflow import Side, Transition, transitions_from
from app.directorates import services as directorates
from app.directorates.models import Call
from app.extensions import db

PER_PAGE = 50

bp = Blueprint("declarations", __name__, url_prefix="/<lang:lang>/declarations")

LISTS = ("campaigns", "ambassadors", "administrators")


@bp.context_processor
def history_helpers():
    return {
        "change_label": change_label,
        "show_value": show_value,
        "action_labels": ACTION_LABELS,
        "row_title": row_title,
    }


@bp.route("/")
@login_required
def index():
    """List the calls and, for a directorate, its declaration in each."""
    calls = list(db.session.scalars(select(Call).order_by(Call.deadline.desc())))
    if current_user.role is Role.DIRECTORATE:
        mine = services.declarations_of(current_user.directorate)
        rows = [(call, mine.get(call.id)) for call in calls]
        unread = thread.unread_by_call(current_user, [call.id for call in calls])
        return render_template("declarations/index.html", calls=calls, rows=rows, unread=unread)
    return render_template("declarations/index.html", calls=calls, rows=None)


@bp.route("/<call_code>/")
@role_required(Role.CVRH, *STAFF)
def call_list(call_code: str):
    """List every directorate the user may see for a call, answered or not, with filters."""
    call = services.get_call(call_code)
    filters = overview.read_filters(request.args)
    visible = directorates.list_directorates(current_user)
    rows = overview.overview_of(visible, call, filters)
    unread = thread.unread_by_directorate(current_user, call)
    if request.args.get("unread") == "1":
        rows = [row for row in rows if unread.get(row.directorate.id)]
        filters["unread"] = "1"
    choices = overview.filter_choices(visible)
    return render_template(
        "declarations/call_list.html",
        call=call,
        page=paginate_list(rows, PER_PAGE),
        totals=overview.totals(rows),
        filters=filters,
        status_labels=dict(choices["statuses"]),
        **choices,
        can_review=policies.can_review(current_user),
        unread=unread,
    )


@bp.route("/<call_code>/remind", methods=["POST"])
@role_required(*STAFF)
def remind(call_code: str):
    """E-mail a reminder to every directorate that has not submitted (once a day at most)."""
    call = services.get_call(call_code)
    report = reminders.remind_unsubmitted(current_user, call)
    flash(
        _(
            "Reminders sent: %(sent)d. Already reminded today: %(already)d. Reminded through "
            "their contact mailboxes (no account yet): %(contacts)d. Neither an account nor an "
            "active contact mailbox: %(none)d.",
            sent=report.sent,
            already=report.already_reminded,
            contacts=report.through_contacts,
            none=report.without_account,
        ),
        "success",
    )
    return redirect(url_for("declarations.call_list", call_code=call.code))


@bp.route("/<call_code>/<directorate_code>")
@login_required
def view(call_code: str, directorate_code: str):
    """Show a declaration, its deadline, the actions allowed and its timeline."""
    call, directorate, declaration = services.get_context(current_user, call_code, directorate_code)
    return _render_view(call, directorate, declaration)


def _render_view(
    call, directorate, declaration, review_form=None, status=200, conflict=False, thread_forms=None
):
    side = policies.side_of(current_user)
    actions = []
    if declaration is not None and side is Side.PROJECT_TEAM:
        actions = transitions_from(declaration.status, side)
    review_form = review_form or ReviewForm(formdata=None)
    review_form.version.data = declaration.version if declaration else ""
    conversation = thread.for_page(current_user, call, directorate, thread_forms)
    page = render_template(
        "declarations/view.html",
        call=call,
        directorate=directorate,
        declaration=declaration,
        events=services.history(declaration) if declaration else [],
        paths=paths.every_path() if declaration else {},
        deadline=policies.deadline_at(call, declaration),
        can_edit=policies.can_edit(current_user, call, directorate, declaration),
        can_review=policies.can_review(current_user),
        actions=actions,
        review_form=review_form,
        extension_form=ExtensionForm(formdata=None),
        perimeter_kinds=PerimeterKind,
        conflict=conflict,
        administrator_access=account_states(declaration)
        if policies.can_invite_administrators(current_user, declaration)
        else None,
        thread=conversation,
    )
    thread.mark_read(current_user, call, directorate, conversation)
    return page, status


@bp.route("/<call_code>/<directorate_code>/print")
@login_required
def print_summary(call_code: str, directorate_code: str):
    """Show a printable summary of a declaration."""
    call, directorate, declaration = services.get_context(current_user, call_code, directorate_code)
    if declaration is None:
        abort(404)
    return render_template(
        "declarations/print.html", call=call, directorate=directorate, declaration=declaration
    )


def _renumbered(formdata: MultiDict, kind: str, removed: int) -> MultiDict:
    """Return the form data without row `removed` of a list, the following rows moved up."""
    result = MultiDict()
    prefix = f"{kind}-"
    for key, value in formdata.items(multi=True):
        index_text, _dash, rest = key[len(prefix) :].partition("-")
        index = row_index(index_text) if key.startswith(prefix) and rest else None
        if index is not None:
            if index == removed:
                continue
            key = f"{prefix}{index - 1 if index > removed else index}-{rest}"
        result.add(key, value)
    return result


def _row_action(form_data: MultiDict) -> tuple[str, str, int | None] | None:
    """Read an add/remove row button: ("add", kind, None) or ("remove", kind, index)."""
    action = form_data.get("row_action", "")
    parts = action.split(":")
    if len(parts) >= 2 and parts[0] in ("add", "remove") and parts[1] in LISTS:
        index = row_index(parts[2]) if len(parts) == 3 else None
        return parts[0], parts[1], index
    return None


@bp.route("/<call_code>/<directorate_code>/edit", methods=["GET", "POST"])
@role_required(Role.DIRECTORATE)
def edit(call_code: str, directorate_code: str):
    """Fill in the declaration: add and remove rows, save a draft, submit."""
    call, directorate, declaration = services.get_context(current_user, call_code, directorate_code)
    if not policies.is_owner(current_user, directorate):
        abort(404)
    view_url = _url("declarations.view", call, directorate)
    if not policies.can_edit(current_user, call, directorate, declaration):
        if request.method == "POST" and declaration is not None:
            form = DeclarationForm(formdata=request.form, paths=paths.choosable(declaration))
            if form.version_number() not in (None, declaration.version):
                # Submitted (or closed) by someone else meanwhile: show the input, not lose it.
                return _render_edit(call, directorate, declaration, form, declaration, True)
        flash(_("This declaration cannot be changed now."), "warning")
        return redirect(view_url)
    if request.method == "GET":
        return _render_edit(call, directorate, declaration, _form_for(declaration), None)
    row_action = _row_action(request.form)
    formdata = request.form
    if row_action and row_action[0] == "remove" and row_action[2] is not None:
        formdata = _renumbered(request.form, row_action[1], row_action[2])
    form = DeclarationForm(formdata=formdata, paths=paths.choosable(declaration))
    if row_action:
        kind = row_action[1]
        # The keyboard goes on from the new row, or from the list a row left (or that is full).
        focus = f"{kind}-list"
        if row_action[0] == "add" and form.add_row(kind):
            focus = form[kind][-1].id
        return _render_edit(call, directorate, declaration, form, None, focus=focus)
    if not form.validate():
        return _render_edit(call, directorate, declaration, form, None)
    submitting = bool(form.submit_declaration.data)
    action = services.submit if submitting else services.save
    try:
        action(current_user, call, directorate, declaration, form.content(), form.version_number())
    except services.Invalid as error:
        form = _form_for(error.declaration)
        form.attach(error.problems)
        flash(_("Your draft is saved, but the declaration cannot be submitted yet: correct the "
                "fields shown below."), "warning")  # fmt: skip
        return _render_edit(call, directorate, error.declaration, form, None)
    except services.Conflict as error:
        # Keep the input; saving again now knowingly replaces the other version.
        form.version.data = str(error.declaration.version)
        return _render_edit(call, directorate, declaration, form, error.declaration)
    except services.NotAllowed:
        flash(_("This declaration cannot be changed now."), "warning")
        return redirect(view_url)
    if submitting:
        flash(_("Your declaration is submitted. A confirmation e-mail is on its way."), "success")
        return redirect(view_url)
    flash(_("Your draft is saved. You can come back to it until the deadline."), "success")
    return redirect(_url("declarations.edit", call, directorate))


def _url(endpoint: str, call, directorate) -> str:
    return url_for(endpoint, call_code=call.code, directorate_code=directorate.code)


def _form_for(declaration) -> DeclarationForm:
    data = services.snapshot(declaration)
    for kind in LISTS:
        for row in data[kind]:
            if row.get("perimeter_kind"):
                row["perimeter_kind"] = row["perimeter_kind"].value
        if not data[kind]:
            data[kind] = [{}]
    data["version"] = declaration.version if declaration else ""
    return DeclarationForm(formdata=None, data=data, paths=paths.choosable(declaration))


def _render_edit(call, directorate, declaration, form, conflict, locked=False, focus=None):
    status = 409 if conflict is not None else 200
    return render_template(
        "declarations/edit.html",
        call=call,
        directorate=directorate,
        declaration=declaration,
        form=form,
        conflict=conflict,
        locked=locked,
        focus=focus,
        deadline=policies.deadline_at(call, declaration),
    ), status


@bp.route(
    "/<call_code>/<directorate_code>/<any(accept, request_corrections, reopen):transition>",
    methods=["POST"],
)
@role_required(*STAFF)
def review(call_code: str, directorate_code: str, transition: str):
    """Accept a declaration, request corrections on it or reopen it."""
    call, directorate, declaration = services.get_context(current_user, call_code, directorate_code)
    if declaration is None:
        abort(404)
    form = ReviewForm()
    back = url_for("declarations.view", call_code=call.code, directorate_code=directorate.code)
    if not form.validate():
        abort(400)
    try:
        services.review(
            current_user,
            declaration,
            Transition(transition),
            form.comment.data or "",
            form.version_number(),
        )
    except services.CommentRequired:
        flash(_("Write a comment telling the directorate what to correct."), "error")
    except services.Conflict as error:
        # The page shows the declaration as it is now, with the comment kept.
        return _render_view(call, directorate, error.declaration, form, 409, conflict=True)
    except services.NotAllowed:
        flash(_("This action is not possible in the declaration's current state."), "error")
    else:
        messages = {
            "accept": _("The declaration is accepted; the directorate is told by e-mail."),
            "request_corrections": _(
                "Corrections are requested; the directorate is told by e-mail."
            ),
            "reopen": _("The declaration is reopened; the directorate can change it again."),
        }
        flash(messages[transition], "success")
    return redirect(back)


@bp.route("/<call_code>/<directorate_code>/extend", methods=["POST"])
@role_required(*STAFF)
def extend(call_code: str, directorate_code: str):
    """Give one directorate more time after the call's deadline."""
    call, directorate, declaration = services.get_context(current_user, call_code, directorate_code)
    form = ExtensionForm(deadline=call.deadline)
    if form.validate():
        try:
            services.extend(current_user, call, directorate, declaration, form.until.data)
        except services.Conflict:
            flash(_("The declaration changed at the same time: give the extension again."), "error")
            return redirect(
                url_for("declarations.view", call_code=call.code, directorate_code=directorate.code)
            )
        flash(
            _(
                "The directorate can now submit until %(date)s.",
                date=format_date(form.until.data, "long"),
            ),
            "success",
        )
    else:
        for error in form.until.errors:
            flash(error, "error")
    return redirect(
        url_for("declarations.view", call_code=call.code, directorate_code=directorate.code)
    )


@bp.route("/<call_code>/import", methods=["GET", "POST"])
@role_required(*STAFF)
def import_workbook(call_code: str):
    """Import declarations received by e-mail from a workbook: all of them or none."""
    call = services.get_call(call_code)
    form = ImportForm()
    problems = []
    if form.validate_on_submit():
        try:
            imported = importer.import_workbook(form.workbook.data.stream, call, current_user)
        except importer.FileRefused as error:
            form.workbook.errors.append(error.message)
        except importer.ImportFailed as error:
            problems = error.problems
        else:
            flash(
                ngettext(
                    "%(num)d declaration imported.", "%(num)d declarations imported.", len(imported)
                ),
                "success",
            )
            return redirect(url_for("declarations.call_list", call_code=call.code))
    return render_template(
        "declarations/import.html", call=call, form=form, problems=problems, sheets=workbook.SHEETS
    )


# The invitation of the PIX Orga administrators, the documents (blank workbook, receipts) and
# the conversation, in their own modules (they import `bp` from here).
from app.declarations import (  # noqa: E402, F401
    administrator_routes,
    document_routes,
    thread_routes,
)
