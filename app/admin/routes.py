"""Administration pages: users (admin and project team), reference data, outbox, audit (admin)."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from app.admin import audit_view, policies, services
from app.admin.forms import CallForm, CvrhForm, DirectorateForm, UserForm
from app.auth import services as accounts
from app.auth.access import STAFF, role_required
from app.auth.forms import ACCOUNT_ERRORS
from app.auth.models import Role, User
from app.bounds import paginate
from app.directorates import services as directorate_list
from app.directorates.models import Call, Cvrh, Directorate, DirectorateType
from app.extensions import db
from app.i18n import localized_column
from app.mail import MessageStatus, OutboxMessage, delivery
from app.versioning import StaleVersion

bp = Blueprint("admin", __name__, url_prefix="/<lang:lang>/admin")
# The audit table is on the admin's home page too: its words are the app's.
bp.add_app_template_global(audit_view.describe, "readable_audit")

PER_PAGE = 50
# The longest e-mail address; SQLite refuses a LIKE pattern of 50,000 bytes (a 500).
SEARCH_MAX = 254


def _user_choices(form: UserForm) -> None:
    form.role.choices = [
        SelectChoice(r.value, r.label) for r in policies.manageable_roles(current_user)
    ]
    form.directorate.choices = [SelectChoice("", "—")] + [
        SelectChoice(code, f"{code} – {name}")
        for code, name in services.names_by_code(
            Directorate.code, localized_column(Directorate, "name")
        )
    ]
    form.cvrh.choices = [SelectChoice("", "—")] + [
        SelectChoice(code, f"{code} – {name}")
        for code, name in services.names_by_code(Cvrh.code, Cvrh.name)
    ]


def _by_code(model, code: str | None):
    if not code:
        return None
    return db.session.scalar(select(model).where(model.code == code))


def _managed_user_or_404(user_id: int) -> User:
    user = db.get_or_404(User, user_id)
    if not policies.can_manage_user(current_user, user):
        abort(404)
    return user


def _attach_account_error(form: UserForm, code: str) -> None:
    field = {"email_taken": form.email, "directorate_required": form.directorate}.get(
        code, form.cvrh
    )
    field.errors.append(ACCOUNT_ERRORS[code])


@bp.route("/users")
@role_required(*STAFF)
def users():
    """List the accounts the user may manage, filtered by role, text and pending invitation."""
    role = request.args.get("role")
    search = request.args.get("q", "")[:SEARCH_MAX]
    invited = request.args.get("invited") == "1"
    query = services.user_query(policies.users_manageable_by(current_user), role, search, invited)
    page = paginate(query, PER_PAGE)
    return render_template(
        "admin/users.html",
        page=page,
        roles=policies.manageable_roles(current_user),
        role=role,
        search=search,
        invited=invited,
    )


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(*STAFF)
def invite_user():
    """Create an account and e-mail its owner an invitation to choose a password."""
    form = UserForm()
    _user_choices(form)
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.email.data,
                Role(form.role.data),
                full_name=form.full_name.data or "",
                language=form.language.data,
                directorate=_by_code(Directorate, form.directorate.data),
                cvrh=_by_code(Cvrh, form.cvrh.data),
            )
        except accounts.AccountError as error:
            db.session.rollback()
            _attach_account_error(form, str(error))
        else:
            flash(_("The invitation is sent to %(email)s.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_user(user_id: int):
    """Edit an account's name, language, role and attachment."""
    user = _managed_user_or_404(user_id)
    form = UserForm(obj=user)
    _user_choices(form)
    if request.method == "GET":
        form.role.data = user.role.value
        form.directorate.data = user.directorate.code if user.directorate else ""
        form.cvrh.data = user.cvrh.code if user.cvrh else ""
    form.email.render_kw = {"readonly": True}
    form.email.data = user.email
    if form.validate_on_submit():
        try:
            accounts.update_user(
                user,
                full_name=form.full_name.data or "",
                language=form.language.data,
                role=Role(form.role.data),
                directorate=_by_code(Directorate, form.directorate.data),
                cvrh=_by_code(Cvrh, form.cvrh.data),
                version=form.version_number(),
            )
        except accounts.AccountError as error:
            db.session.rollback()
            _attach_account_error(form, str(error))
        except StaleVersion:
            db.session.rollback()
            form.version.data = user.version
            return render_template("admin/user_form.html", form=form, user=user, conflict=True), 409
        else:
            flash(_("The account of %(email)s is updated.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@role_required(*STAFF)
def set_user_active(user_id: int):
    """Deactivate or reactivate an account."""
    user = _managed_user_or_404(user_id)
    active = request.form.get("active") == "1"
    accounts.set_active(user, active)
    if active:
        flash(_("The account of %(email)s is reactivated.", email=user.email), "success")
    else:
        flash(_("The account of %(email)s is deactivated.", email=user.email), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/invitation", methods=["POST"])
@role_required(*STAFF)
def resend_invitation(user_id: int):
    """Send the invitation again to an account that has no password yet."""
    user = _managed_user_or_404(user_id)
    if user.has_password or not user.active:
        abort(400)
    accounts.send_invitation(user)
    db.session.commit()
    flash(_("The invitation is sent again to %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/reference")
@role_required(Role.ADMIN)
def reference():
    """List the reference data: calls, CVRHs, learning paths, and a search of the directorates."""
    counts = services.directorate_counts()
    return render_template(
        "admin/reference.html",
        directorate_count=sum(counts.values()),
        directorate_counts=counts,
        cvrhs=services.list_cvrhs(),
        calls=services.list_calls(),
        learning_paths=services.list_learning_paths(),
        search="",
        kind="",
        kinds=list(DirectorateType),
    )


@bp.route("/directorates")
@role_required(Role.ADMIN)
def directorates():
    """List a page of the directorates, found by code, name or type, each linked to its form."""
    search = request.args.get("q", "")[: directorate_list.SEARCH_MAX]
    kind = request.args.get("type", "")
    query = directorate_list.search_directorates(current_user, search, kind)
    return render_template(
        "admin/directorates.html",
        page=paginate(query, PER_PAGE),
        search=search,
        kind=kind,
        kinds=list(DirectorateType),
    )


def edit_reference(
    record, form, save, template: str, values_from_form, back="admin.reference", **context
):
    """Save a reference record from its form, or show the form with its errors or conflict."""
    if form.validate_on_submit():
        try:
            save(record, form.version_number(), **values_from_form())
        except services.DuplicateCode:
            db.session.rollback()
            form.code.errors.append(_("Another record already uses this code."))
        except StaleVersion as error:
            # Input kept; saving again now knowingly replaces the other version.
            form.version.data = error.record.version
            page = render_template(
                template, form=form, record=error.record, conflict=True, **context
            )
            return page, 409
        else:
            flash(_("The changes are saved."), "success")
            return redirect(url_for(back))
    return render_template(template, form=form, record=record, **context)


@bp.route("/directorates/new", methods=["GET", "POST"], defaults={"code": None})
@bp.route("/directorates/<code>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_directorate(code: str | None):
    """Create or edit a directorate."""
    directorate = (
        db.first_or_404(select(Directorate).where(Directorate.code == code))
        if code
        else Directorate()
    )
    form = DirectorateForm(obj=directorate if code else None)
    cvrhs = services.list_cvrhs()
    form.cvrh.choices = [SelectChoice(c.code, f"{c.code} – {c.name}") for c in cvrhs]
    if request.method == "GET" and code:
        form.type.data = directorate.type.value
        form.cvrh.data = directorate.cvrh.code

    def values():
        return {
            "code": form.code.data,
            "name_fr": form.name_fr.data,
            "name_en": form.name_en.data,
            "type": DirectorateType(form.type.data),
            "region": form.region.data,
            "cvrh": next(c for c in cvrhs if c.code == form.cvrh.data),
        }

    return edit_reference(
        directorate,
        form,
        services.save_directorate,
        "admin/directorate_form.html",
        values_from_form=values,
        back="admin.directorates",
    )


@bp.route("/cvrhs/new", methods=["GET", "POST"], defaults={"code": None})
@bp.route("/cvrhs/<code>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_cvrh(code: str | None):
    """Create or edit a CVRH."""
    cvrh = db.first_or_404(select(Cvrh).where(Cvrh.code == code)) if code else Cvrh()
    form = CvrhForm(obj=cvrh if code else None)

    def values():
        return {f: getattr(form, f).data for f in ("code", "name", "city", "email")}

    return edit_reference(
        cvrh, form, services.save_cvrh, "admin/cvrh_form.html", values_from_form=values
    )


@bp.route("/calls/new", methods=["GET", "POST"], defaults={"code": None})
@bp.route("/calls/<code>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_call(code: str | None):
    """Create or edit a call for declarations."""
    call = db.first_or_404(select(Call).where(Call.code == code)) if code else Call()
    form = CallForm(obj=call if code else None)

    def values():
        fields = ("code", "title_fr", "title_en", "opens_on", "deadline", "is_open")
        return {f: getattr(form, f).data for f in fields}

    return edit_reference(
        call, form, services.save_call, "admin/call_form.html", values_from_form=values
    )


@bp.route("/outbox")
@role_required(Role.ADMIN)
def outbox():
    """List the outbox, newest first, with each message's delivery status."""
    status = request.args.get("status", "")
    status = status if status in {s.value for s in MessageStatus} else ""
    page = paginate(services.outbox_query(MessageStatus(status) if status else None), PER_PAGE)
    return render_template(
        "admin/outbox.html",
        page=page,
        status=status,
        statuses=list(MessageStatus),
        counts=services.outbox_counts(),
        mail_server=bool(current_app.config["MAIL_SERVER"]),
    )


@bp.route("/outbox/<int:message_id>")
@role_required(Role.ADMIN)
def outbox_message(message_id: int):
    """Show one e-mail of the outbox and its delivery attempts."""
    return render_template(
        "admin/outbox_message.html", message=db.get_or_404(OutboxMessage, message_id)
    )


@bp.route("/outbox/<int:message_id>/<any(resend, discard):action>", methods=["POST"])
@role_required(Role.ADMIN)
def outbox_action(message_id: int, action: str):
    """Send a failed message again, or discard a message that should not leave."""
    db.get_or_404(OutboxMessage, message_id)
    try:
        (delivery.resend if action == "resend" else delivery.discard)(message_id)
    except delivery.OutboxConflict:
        flash(
            _("The message changed meanwhile (it may be on its way): look at its status again."),
            "error",
        )
    else:
        if action == "resend":
            flash(_("The message is queued again; the mail worker sends it shortly."), "success")
        else:
            flash(_("The message is discarded: it will not be sent."), "success")
    return redirect(url_for("admin.outbox_message", message_id=message_id))


@bp.route("/audit")
@role_required(Role.ADMIN)
def audit_log():
    """List the audit log."""
    page = paginate(services.audit_query(), PER_PAGE)
    return render_template("admin/audit.html", page=page)


# The learning paths' pages join this blueprint (a module of their own, for the size of this one).
from app.admin import paths  # noqa: E402, F401
