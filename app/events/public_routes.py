"""Pages without an account: a person's invitation (their signed link), the calendars; and the
page telling a directorate which of its people still need training.

A personal link reaches one invitation and nothing else: a registration of another person
named in a form is refused as not found. A tampered link is not found; an expired one offers
to e-mail a new link to the invitation's own address; a person no longer named in any
declaration is told so, and can do nothing more with the link.
"""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.access import STAFF, public, role_required
from app.auth.models import Role
from app.bounds import parse_id
from app.content import services as content
from app.content import visibility
from app.content.models import ContentKind
from app.directorates.services import get_directorate
from app.events import calendar, invitations, links, registrations, services, training
from app.events.links import LinkState
from app.events.models import Invitation, RegistrationStatus
from app.events.routes import bp
from app.events.services import EventError
from app.extensions import utcnow
from app.i18n import current_language
from app.mail import external_url

PERSON_MESSAGES = {
    "not_for_you": _l("This session is for other participants than you."),
    "closed": _l("Registrations to this session are closed."),
    "full": _l(
        "This session is full: to keep your seat, stay at your session; or cancel it, then "
        "join the waiting list of this one."
    ),
    "passed": _l("This session has started: it can no longer be changed."),
    "nothing_to_cancel": _l("You have no registration to cancel."),
}


def _problem(kind: str, token: str = "", status: int = 404):
    return render_template("events/link_problem.html", problem=kind, token=token), status


def _invitation(token: str) -> Invitation | tuple:
    """Return the invitation of a valid link, or the page saying what is wrong with it."""
    opened = links.open_link(token)
    if opened.state is LinkState.INVALID:
        return _problem("invalid")
    if opened.state in (LinkState.EXPIRED, LinkState.REPLACED):
        return _problem(opened.state.value, token, 410)
    if invitations.no_longer_invited(opened.invitation):
        return _problem("withdrawn", status=410)
    return opened.invitation


@bp.route("/events/invitation/<token>")
@public
def personal(token: str):
    """Show a person their invitation: the sessions open to them, their registration."""
    invitation = _invitation(token)
    if not isinstance(invitation, Invitation):
        return invitation
    event = services.get_event(invitation.event_id)
    sessions = [
        s
        for s in services.sessions_of(event.id)
        if registrations.open_to(invitation, s.session) and s.session.ends_at > utcnow()
    ]
    current = registrations.active_registration(invitation)
    position = None
    if current is not None and current.status is RegistrationStatus.WAITING:
        position = registrations.waiting_position(current)
    item = event.item(current_language())
    return render_template(
        "events/personal.html",
        token=token,
        invitation=invitation,
        event=event,
        item=item,
        page_url=content.path_of(item) if visibility.is_public(item) else None,
        sessions=sessions,
        current=current,
        position=position,
        attended=registrations.attended_sessions(invitation),
    )


@bp.route("/events/invitation/<token>/register", methods=["POST"])
@public
def register(token: str):
    """Register the person of the link at a session (or on its waiting list)."""
    invitation = _invitation(token)
    if not isinstance(invitation, Invitation):
        return invitation
    session_id = parse_id(request.form.get("session"))
    if session_id is None:
        abort(404)
    try:
        registration = registrations.register(invitation.id, session_id)
    except EventError as error:
        if error.code == "not_found":
            abort(404)
        if error.code == "no_longer_invited":
            return _problem("withdrawn", status=410)
        flash(str(PERSON_MESSAGES[error.code]), "error")
        return redirect(url_for("events.personal", token=token), 303)
    if registration.status is RegistrationStatus.CONFIRMED:
        flash(
            _(
                "You are registered. The confirmation, with the calendar invitation, "
                "is on its way by e-mail."
            ),
            "success",
        )
    else:
        flash(
            _(
                "The session is full: you are on its waiting list. "
                "You will get an e-mail if a seat frees up."
            ),
            "warning",
        )
    return redirect(url_for("events.personal", token=token), 303)


@bp.route("/events/invitation/<token>/cancel", methods=["POST"])
@public
def cancel(token: str):
    """Cancel the registration of the person of the link (theirs only)."""
    invitation = _invitation(token)
    if not isinstance(invitation, Invitation):
        return invitation
    registration_id = request.form.get("registration")
    given = parse_id(registration_id) if registration_id else None
    if registration_id and given is None:
        abort(404)
    try:
        registrations.cancel(invitation.id, given)
    except EventError as error:
        if error.code == "not_found":
            abort(404)
        flash(str(PERSON_MESSAGES[error.code]), "error")
        return redirect(url_for("events.personal", token=token), 303)
    flash(_("Your registration is cancelled. The cancellation is on its way by e-mail."), "success")
    return redirect(url_for("events.personal", token=token), 303)


@bp.route("/events/invitation/<token>/webinar.ics")
@public
def personal_calendar(token: str):
    """Download the calendar invitation of the person's seat."""
    invitation = _invitation(token)
    if not isinstance(invitation, Invitation):
        return invitation
    current = registrations.active_registration(invitation)
    if current is None or current.status is not RegistrationStatus.CONFIRMED:
        abort(404)
    language = current_language()
    event = services.get_event(invitation.event_id)
    page = links.url_for_person(invitation, language, token)
    body = calendar.registration_file(current, event.title(language), language, page)
    return _calendar_response(body, "webinar.ics")


@bp.route("/events/invitation/<token>/renew", methods=["POST"])
@public
def renew(token: str):
    """E-mail a new link to the address of an expired one."""
    opened = links.open_link(token)
    if opened.state is LinkState.INVALID:
        return _problem("invalid")
    if opened.state is LinkState.VALID:
        return redirect(url_for("events.personal", token=token), 303)
    sent = invitations.renew(opened.invitation)
    return render_template(
        "events/link_problem.html", problem="renewed" if sent else "not_renewed", token=""
    )


def _calendar_response(body: bytes, name: str) -> Response:
    return Response(
        body,
        mimetype=calendar.MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/events.ics")
@public
def feed():
    """The calendar of the sessions of every published event, in the page's language."""
    language = current_language()
    rows = [
        (session, item, content_url(item))
        for session, item in services.published_sessions(language)
    ]
    body = calendar.sessions_file(rows, _("PIX deployment webinars"))
    return _calendar_response(body, f"pix-webinars-{language}.ics")


@bp.route("/events/<int:item_id>/calendar.ics")
@public
def event_calendar(item_id: int):
    """The calendar of one event's sessions (an event the reader may see)."""
    item = visibility.get_item(current_user, item_id)
    if item.kind is not ContentKind.EVENT:
        abort(404)
    sessions = services.sessions_of(item.group_id)
    if not sessions:
        abort(404)
    rows = [(seats.session, item, content_url(item)) for seats in sessions]
    body = calendar.sessions_file(rows, item.title)
    return _calendar_response(body, f"{item.slug}.ics")


def content_url(item) -> str:
    """Return the absolute address of a content item's page."""
    return external_url("content.view", lang=item.language, path=content.path_of(item))


@bp.route("/events/training/<code>")
@role_required(Role.DIRECTORATE, Role.CVRH, *STAFF)
def training_page(code: str):
    """Show which of a directorate's ambassadors and administrators are trained."""
    directorate = get_directorate(current_user, code)
    calls, titles = training.of_directorate(directorate, current_language())
    return render_template(
        "events/training.html", directorate=directorate, calls=calls, titles=titles
    )
