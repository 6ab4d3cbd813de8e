"""CODIR request pages: the directorate's requests, the CVRH inbox, the thread and its actions."""

from flask import (
    Blueprint,
    Response,
    abort,
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

from app.auth.access import STAFF, login_required, role_required
from app.auth.models import Role
from app.bounds import paginate
from app.codir import policies, services
from app.codir.forms import (
    HeldForm,
    MessageForm,
    ReasonForm,
    ReassignForm,
    RequestForm,
    ScheduleForm,
)
from app.codir.models import ACTION_LABELS, CodirFormat, CodirRequest, CodirStatus
from app.codir.workflow import OPEN, Transition, transitions_from
from app.directorates.models import Cvrh
from app.extensions import db, utcnow
from app.i18n import current_language
from app.once import AlreadyPosted

bp = Blueprint("codir", __name__, url_prefix="/<lang:lang>/codir")

PER_PAGE = 50

ACTION_FORMS = {
    Transition.SCHEDULE: ("schedule", ScheduleForm),
    Transition.RESCHEDULE: ("schedule", ScheduleForm),
    Transition.HOLD: ("held", HeldForm),
    Transition.DECLINE: ("reason", ReasonForm),
    Transition.CANCEL: ("reason", ReasonForm),
}


@bp.context_processor
def codir_helpers():
    return {"codir_actions": ACTION_LABELS}


@bp.route("/")
@login_required
def index():
    """List a page of the requests the user may see: the directorate's, the CVRH inbox, all."""
    view = request.args.get("view", "")
    cvrh_code = request.args.get("cvrh", "")
    status = request.args.get("status", "")
    staff = current_user.role in STAFF  # the filters by CVRH and state are theirs
    query = services.request_list(current_user, view, cvrh_code, status)
    return render_template(
        "codir/index.html",
        page=paginate(query, PER_PAGE),
        counters=services.inbox_counts(current_user) if current_user.role is Role.CVRH else {},
        views=services.INBOX_VIEWS,
        view=view,
        status=status,
        cvrh_code=cvrh_code,
        statuses=list(CodirStatus),
        cvrhs=services.all_cvrhs() if staff else [],
        now=utcnow(),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.DIRECTORATE)
def new():
    """Ask the directorate's CVRH for a presentation at the management committee.

    A directorate with a request under way is sent to it instead: one request at a time.
    """
    existing = services.open_request_of(current_user.directorate)
    if existing is not None:
        return render_template("codir/new.html", form=None, existing=existing), (
            409 if request.method == "POST" else 200
        )
    form = RequestForm()
    if form.validate_on_submit():
        try:
            created = services.create_request(
                current_user,
                current_user.directorate,
                format=CodirFormat(form.format.data),
                option_1=form.option_1.data,
                option_2=form.option_2.data,
                option_3=form.option_3.data,
                audience=form.audience.data.strip(),
                place=(form.place.data or "").strip(),
                topics=(form.topics.data or "").strip(),
            )
        except services.AlreadyOpen as error:  # sent by a colleague at the same instant
            return render_template("codir/new.html", form=None, existing=error.request), 409
        flash(_("Your request is sent to %(cvrh)s.", cvrh=created.cvrh.name), "success")
        return redirect(url_for("codir.detail", request_id=created.id))
    return render_template("codir/new.html", form=form, existing=None)


def _detail(item: CodirRequest, forms: dict, status: int = 200, conflict: bool = False):
    side = policies.side_of(current_user, item)
    can_reassign = policies.can_reassign(current_user, item)
    reassign = ReassignForm(prefix="reassign")
    if can_reassign:  # the other CVRHs are read only for the staff, who may reassign
        reassign.cvrh.choices = [
            SelectChoice(c.code, c.name) for c in services.all_cvrhs() if c.id != item.cvrh_id
        ]
    defaults = {
        "schedule": ScheduleForm.for_request(item, prefix="schedule"),
        "reason": ReasonForm(prefix="reason"),
        "held": HeldForm(prefix="held"),
        "message": MessageForm(prefix="message"),
    }
    defaults.update(forms)
    for form in (reassign, defaults["schedule"], defaults["reason"], defaults["held"]):
        form.version.data = item.version  # an action acts on the version shown
    return render_template(
        "codir/detail.html",
        item=item,
        conflict=conflict,
        side=side,
        actions=transitions_from(item.status, side) if side else [],
        can_write=policies.can_write(current_user, item) and item.status in OPEN,
        can_reassign=can_reassign,
        reassign_form=reassign,
        timeline=services.timeline(item),
        **defaults,
    ), status


@bp.route("/<int:request_id>")
@login_required
def detail(request_id: int):
    """Show a request, its thread and history, and the actions open to the user."""
    return _detail(services.get_request(current_user, request_id), {})


@bp.route("/<int:request_id>/invitation.ics")
@login_required
def ics(request_id: int):
    """Download the calendar invitation of a scheduled presentation."""
    item = services.get_request(current_user, request_id)
    if item.scheduled_at is None:
        abort(404)
    return Response(
        services.invitation(item, current_language()),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="codir-{item.id}.ics"'},
    )


@bp.route(
    "/<int:request_id>/<any(schedule, reschedule, hold, decline, cancel):move>", methods=["POST"]
)
@role_required(Role.DIRECTORATE, Role.CVRH)
def act(request_id: int, move: str):
    """Schedule, reschedule, mark held, decline or cancel a request."""
    item = services.get_request(current_user, request_id)
    transition = Transition(move)
    key, form_class = ACTION_FORMS[transition]
    form = form_class(prefix=key)
    if form.version_number() not in (None, item.version):
        return _detail(item, {key: form}, 409, conflict=True)  # acted on an outdated page
    if not policies.can_transition(current_user, item, transition):
        flash(_("This action is not possible on this request now."), "error")
        return redirect(url_for("codir.detail", request_id=item.id))
    if not form.validate_on_submit():
        return _detail(item, {key: form}, 400)
    try:
        services.transition(
            current_user, item, transition, version=form.version_number(), **form.values()
        )
    except services.Conflict as error:
        return _detail(error.request, {key: form}, 409, conflict=True)
    except services.NotAllowed:
        flash(_("This action is not possible on this request now."), "error")
        return redirect(url_for("codir.detail", request_id=item.id))
    messages = {
        "schedule": _("The presentation is scheduled; the directorate receives the invitation."),
        "reschedule": _("The presentation is rescheduled; the directorate receives the update."),
        "hold": _("The presentation is marked as held."),
        "decline": _("The request is declined; the directorate is told why."),
        "cancel": _("The request is cancelled; the CVRH is told why."),
    }
    flash(messages[move], "success")
    return redirect(url_for("codir.detail", request_id=item.id))


@bp.route("/<int:request_id>/messages", methods=["POST"])
@role_required(Role.DIRECTORATE, Role.CVRH)
def message(request_id: int):
    """Post a message on the thread."""
    item = services.get_request(current_user, request_id)
    if not policies.can_write(current_user, item) or item.status not in OPEN:
        abort(403)
    form = MessageForm(prefix="message")
    if not form.validate_on_submit():
        return _detail(item, {"message": form}, 400)
    try:
        services.post_message(current_user, item, form.body.data, form.once_key())
    except services.NotAllowed:
        flash(_("The request was closed meanwhile: your message is not sent."), "error")
        return _detail(item, {"message": form}, 409)
    except AlreadyPosted:
        pass  # sent by the first click: the page the browser shows says so all the same
    flash(_("Your message is sent."), "success")
    return redirect(url_for("codir.detail", request_id=item.id) + "#thread")


@bp.route("/<int:request_id>/reassign", methods=["POST"])
@role_required(*STAFF)
def reassign(request_id: int):
    """Send the request to another CVRH."""
    item = services.get_request(current_user, request_id)
    form = ReassignForm(prefix="reassign")
    code = request.form.get("reassign-cvrh", "")
    target = db.session.scalar(select(Cvrh).where(Cvrh.code == code))
    if target is None or not policies.can_reassign(current_user, item) or target.id == item.cvrh_id:
        flash(_("This request cannot be sent to that CVRH."), "error")
        return redirect(url_for("codir.detail", request_id=item.id))
    try:
        services.reassign(current_user, item, target, version=form.version_number())
    except services.Conflict as error:
        return _detail(error.request, {}, 409, conflict=True)
    else:
        flash(
            _("The request is now handled by %(cvrh)s; both CVRHs are told.", cvrh=target.name),
            "success",
        )
    return redirect(url_for("codir.detail", request_id=item.id))
