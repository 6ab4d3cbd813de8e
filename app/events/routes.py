"""The project team's pages of the webinars: sessions, invitations, registrations, attendance.

The people's own pages (their personal link), the calendars and the directorates' training
page are in `public_routes.py`, on the same blueprint.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from app.auth.access import STAFF, role_required
from app.bounds import paginate, parse_id
from app.events import attendance, invitations, lists, services, sessions
from app.events.forms import (
    AttendanceForm,
    AttendanceImportForm,
    SessionDeleteForm,
    SessionForm,
)
from app.events.models import EventSession, Invitation
from app.events.services import EventError
from app.events.timing import closes_at, span
from app.extensions import db, utcnow

bp = Blueprint("events", __name__, url_prefix="/<lang:lang>")

PER_PAGE = 50

MESSAGES = {
    "no_sessions": _l("Add a session first: the invitations offer its dates."),
    "capacity_below": _l("%(taken)s people have a seat: the session needs at least as many seats."),
    "not_started": _l("Attendance is recorded once the session has started."),
    "gone": _l("Someone else deleted this session meanwhile."),
    "started": _l(
        "The session has started: it keeps its registrations and attendance, and cannot be deleted."
    ),
    "no_longer_invited": _l("This person is no longer named in a declaration."),
    "encoding": _l(
        "The file is not text in UTF-8, UTF-16 or Windows-1252: export it again as CSV."
    ),
    "empty": _l("The file is empty."),
    "no_email_column": _l(
        "No column of e-mail addresses was found in the file (a header such as “Email”)."
    ),
    "too_long": _l("The file has too many lines (line %(line)s)."),
    "short_line": _l("Line %(line)s has no e-mail column."),
    "unreadable_line": _l(
        "Line %(line)s cannot be read as CSV (a quote never closed, or a cell far too long): "
        "export the list again as CSV."
    ),
    "not_an_email": _l("Line %(line)s: “%(value)s” is not an e-mail address."),
}


def message(error: EventError) -> str:
    """Return the text of a refused change, in the page's language."""
    text = MESSAGES.get(error.code)
    return str(text) % error.details if text is not None else error.code


@bp.app_context_processor
def event_helpers():
    return {
        "session_span": span,
        "session_closes": closes_at,
        "now": utcnow,
        "event_sessions": _event_sessions,
    }


def _event_sessions(item) -> list[services.SessionSeats]:
    """Return the sessions an event page shows (one query)."""
    return services.sessions_of(item.group_id) if item.group_id else []


@bp.route("/events/")
@role_required(*STAFF)
def index():
    """List the events with their sessions and seats."""
    events = services.events_list()
    seats = services.seats([event.id for event in events])
    return render_template("events/index.html", events=events, seats=seats)


@bp.route("/events/<int:event_id>/")
@role_required(*STAFF)
def manage(event_id: int):
    """Show an event's sessions, the invitation run and the people invited."""
    event = services.get_event(event_id)
    page = paginate(invitations.invitations_of(event.id), PER_PAGE)
    return render_template(
        "events/manage.html",
        event=event,
        sessions=services.sessions_of(event.id),
        form=lists.invite_form(),
        page=page,
        registrations=lists.latest_registrations(page.items),
    )


@bp.route("/events/<int:event_id>/sessions/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_session(event_id: int):
    """Add a session to an event."""
    event = services.get_event(event_id)
    form = SessionForm()
    if form.validate_on_submit():
        sessions.create_session(current_user, event, form.values())
        flash(_("Session added."), "success")
        return redirect(url_for("events.manage", event_id=event.id))
    return render_template("events/session_form.html", event=event, form=form, session=None)


@bp.route("/events/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_session(session_id: int):
    """Change a session; the people registered are told of a new time or place."""
    session = db.session.get(EventSession, session_id)
    if session is None:
        if request.method == "POST":
            return _gone()  # deleted while the form was open
        abort(404)
    event = services.get_event(session.event_id)
    form = SessionForm.for_session(session) if request.method == "GET" else SessionForm()
    conflict = None
    if form.validate_on_submit():
        try:
            sessions.update_session(current_user, session, form.values(), form.version_number())
        except services.Conflict:
            db.session.rollback()
            conflict = session = db.session.get(EventSession, session_id)
            form.version.data = str(session.version)
        except EventError as error:
            db.session.rollback()
            if error.code == "gone":
                return _gone(event.id)
            form.capacity.errors.append(message(error))
        else:
            flash(_("Session saved."), "success")
            return redirect(url_for("events.manage", event_id=event.id))
    page = render_template(
        "events/session_form.html", event=event, form=form, session=session, conflict=conflict
    )
    return page, 409 if conflict else 200


@bp.route("/events/<int:event_id>/invite", methods=["POST"])
@role_required(*STAFF)
def invite(event_id: int):
    """Invite the people named for a call (or a directorate) who are not invited yet."""
    event = services.get_event(event_id)
    form = lists.invite_form()
    if not form.validate_on_submit():
        abort(400)
    call, directorate = lists.chosen(form)
    try:
        report = invitations.invite(current_user, event, call, directorate)
    except EventError as error:
        db.session.rollback()
        flash(message(error), "error")
        return redirect(url_for("events.manage", event_id=event.id))
    parts = [
        ngettext("%(num)s person invited", "%(num)s people invited", len(report.invited)),
        ngettext("%(num)s already invited", "%(num)s already invited", report.already),
    ]
    if report.withdrawn:
        parts.append(
            ngettext(
                "%(num)s invitation withdrawn (no longer named)",
                "%(num)s invitations withdrawn (no longer named)",
                len(report.withdrawn),
            )
        )
    flash(" – ".join(parts) + ".", "success")
    return redirect(url_for("events.manage", event_id=event.id))


@bp.route("/events/invitations/<int:invitation_id>/send-again", methods=["POST"])
@role_required(*STAFF)
def send_again(invitation_id: int):
    """E-mail a person their invitation again, with a new link."""
    invitation = db.get_or_404(Invitation, invitation_id)
    try:
        invitations.send_again(current_user, invitation)
    except EventError as error:
        db.session.rollback()
        flash(message(error), "error")
    else:
        flash(_("Invitation sent again to %(email)s.", email=invitation.email), "success")
    return redirect(url_for("events.manage", event_id=invitation.event_id))


@bp.route("/events/sessions/<int:session_id>/")
@role_required(*STAFF)
def session_page(session_id: int):
    """Show a session's registrations and waiting list, and record its attendance."""
    session = services.get_session(session_id)
    return _session_page(session, AttendanceImportForm())


def _session_page(session: EventSession, import_form, report=None, status=200, delete_form=None):
    seated, waiting = lists.seated_and_waiting(session)
    form = AttendanceForm(data={"version": str(session.version)})
    if delete_form is None:
        delete_form = SessionDeleteForm(formdata=None, data={"version": str(session.version)})
    page = render_template(
        "events/session.html",
        event=services.get_event(session.event_id),
        session=session,
        seated=seated,
        waiting=waiting,
        roll=attendance.roll(session),
        started=lists.has_started(session),
        form=form,
        import_form=import_form,
        report=report,
        delete_form=delete_form,
    )
    return page, status


def _gone(event_id: int | None = None):
    """Send back to the event's page (or the list) a person whose session was deleted
    meanwhile."""
    flash(message(EventError("gone")), "error")
    if event_id is None:
        return redirect(url_for("events.index"), 303)
    return redirect(url_for("events.manage", event_id=event_id), 303)


@bp.route("/events/sessions/<int:session_id>/delete", methods=["POST"])
@role_required(*STAFF)
def delete_session(session_id: int):
    """Delete a session to come; its people are told, with the calendar's cancellation."""
    session = db.session.get(EventSession, session_id)
    if session is None:
        return _gone()  # deleted by someone else while the page was open
    form = SessionDeleteForm()
    if not form.validate_on_submit():
        return _session_page(session, AttendanceImportForm(), status=400, delete_form=form)
    event_id = session.event_id
    try:
        told = sessions.delete_session(current_user, session, form.version_number())
    except services.Conflict:
        db.session.rollback()
        flash(_("Someone else changed the session meanwhile: here it is now."), "error")
        return _session_page(
            db.session.get(EventSession, session_id), AttendanceImportForm(), status=409
        )
    except EventError as error:
        db.session.rollback()
        if error.code == "gone":
            return _gone(event_id)
        flash(message(error), "error")
        return redirect(url_for("events.session_page", session_id=session_id))
    flash(
        ngettext(
            "Session deleted; %(num)s person was told.",
            "Session deleted; %(num)s people were told.",
            told,
        ),
        "success",
    )
    return redirect(url_for("events.manage", event_id=event_id))


@bp.route("/events/sessions/<int:session_id>/attendance", methods=["POST"])
@role_required(*STAFF)
def save_attendance(session_id: int):
    """Record the people ticked as present at a session."""
    session = services.get_session(session_id)
    form = AttendanceForm()
    if not form.validate_on_submit():
        abort(400)
    ticked = {parse_id(value) for value in request.form.getlist("present")} - {None}
    try:
        count = attendance.save_ticks(current_user, session, ticked, form.version_number())
    except services.Conflict:
        db.session.rollback()
        flash(_("Someone else recorded the attendance meanwhile: here it is; tick again."), "error")
        return _session_page(
            db.session.get(EventSession, session_id), AttendanceImportForm(), status=409
        )
    except EventError as error:
        db.session.rollback()
        flash(message(error), "error")
        return redirect(url_for("events.session_page", session_id=session_id))
    flash(
        ngettext(
            "Attendance saved: %(num)s person present.",
            "Attendance saved: %(num)s people present.",
            count,
        ),
        "success",
    )
    return redirect(url_for("events.session_page", session_id=session_id))


@bp.route("/events/sessions/<int:session_id>/attendance/import", methods=["POST"])
@role_required(*STAFF)
def import_attendance(session_id: int):
    """Mark present the invited people of the video-conference tool's attendance list."""
    session = services.get_session(session_id)
    form = AttendanceImportForm()
    if not form.validate_on_submit():
        return _session_page(session, form, status=400)
    try:
        report = attendance.import_list(current_user, session, form.file.data.read())
    except EventError as error:
        db.session.rollback()
        form.file.errors.append(message(error))
        return _session_page(services.get_session(session_id), form, status=400)
    return _session_page(services.get_session(session_id), AttendanceImportForm(), report)


# The people's pages, the calendars and the training page: same blueprint, own module.
from app.events import public_routes  # noqa: E402, F401
